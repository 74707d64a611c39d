// The command table itself: every command complete in both languages, no word shared, and
// help, usage and the role refusal read from it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "command_test_util.hpp"
#include "core/commands/table.hpp"
#include "core/lang_text.hpp"

namespace fu {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CommandTable, EveryCommandHasWordsUsageAndHelpInBothLanguagesAndSomeRole) {
    ASSERT_FALSE(cmd::commands().empty());
    for (const auto& c : cmd::commands()) {
        ASSERT_FALSE(c.en.empty());
        const std::string name(c.name());
        EXPECT_FALSE(c.zh.empty()) << name;
        for (auto w : c.en) {
            EXPECT_FALSE(lang::contains_cjk(w)) << name << " " << w;
            EXPECT_EQ(lang::lower_ascii(w), w) << name;
        }
        for (auto w : c.zh) EXPECT_TRUE(lang::contains_cjk(w)) << name << " " << w;
        EXPECT_TRUE(c.usage.en.starts_with("Usage: " + name)) << c.usage.en;
        EXPECT_TRUE(c.usage.zh.starts_with("用法：" + std::string(c.zh.front()))) << c.usage.zh;
        EXPECT_FALSE(c.summary.en.empty()) << name;
        EXPECT_FALSE(c.summary.zh.empty()) << name;
        EXPECT_NE(c.roles & cmd::kEveryone, 0u) << name;
        EXPECT_NE(c.parse, nullptr) << name;
        EXPECT_NE(c.handler.run, nullptr) << name;
    }
}

TEST(CommandTable, NoWordBelongsToTwoCommands) {
    std::map<std::string, std::string> owner;
    for (const auto& c : cmd::commands())
        for (const auto* words : {&c.en, &c.zh})
            for (auto w : *words) {
                auto [it, fresh] = owner.emplace(std::string(w), std::string(c.name()));
                EXPECT_TRUE(fresh) << "'" << w << "' starts both " << it->second << " and " << c.name();
            }
}

TEST(CommandTable, EveryKindOfCommandHasExactlyOneEntry) {
    std::set<cmd::TypeId> types;
    for (const auto& c : cmd::commands()) {
        EXPECT_TRUE(c.handler.run && c.handler.type && c.parse) << c.name() << " has no parser or handler";
        EXPECT_TRUE(types.insert(c.handler.type).second) << c.name() << " shares its handler type";
    }
    // Each kind the tests know of (testing::describe) has its entry.
    for (const auto& type : testing::described_types())
        EXPECT_TRUE(types.count(type)) << "a kind of command has no entry";
}

TEST(CommandTable, EveryWordFindsItsCommandAndNamesItAsAHelpTopic) {
    for (const auto& c : cmd::commands())
        for (const auto* words : {&c.en, &c.zh})
            for (auto w : *words) {
                EXPECT_EQ(cmd::find_command(w), &c) << w;
                const auto p = cmd::parse("help " + std::string(w));
                ASSERT_TRUE(std::holds_alternative<cmd::Command>(p.result)) << w;
                EXPECT_EQ(testing::describe(std::get<cmd::Command>(p.result)),
                          "help topic='" + std::string(c.name()) + "'")
                    << w;
                EXPECT_EQ(cmd::help_text(w).en.substr(0, c.usage.en.size()), c.usage.en) << w;
            }
}

// A command's word and nothing else either parses to that command or fails with its usage.
TEST(CommandTable, ParsingAnyWordGivesThatCommandOrAnErrorWithItsUsage) {
    for (const auto& c : cmd::commands())
        for (const auto* words : {&c.en, &c.zh})
            for (auto w : *words) {
                const auto p = cmd::parse(w);
                if (const auto* e = std::get_if<cmd::ParseError>(&p.result)) {
                    EXPECT_EQ(e->usage.en, c.usage.en) << w;
                    EXPECT_EQ(e->usage.zh, c.usage.zh) << w;
                } else {
                    EXPECT_EQ(&cmd::spec_of(std::get<cmd::Command>(p.result)), &c) << w;
                }
            }
}

TEST(CommandTable, HelpListsExactlyTheCommandsTheRoleMayUse) {
    for (Role role : {Role::rep, Role::manager, Role::admin}) {
        const auto help = cmd::help_text({}, role);
        for (const auto& c : cmd::commands()) {
            const bool listed = help.en.find("· " + c.summary.en + "\n") != std::string::npos;
            EXPECT_EQ(listed, c.allows(role)) << c.name() << " for role " << static_cast<int>(role);
            EXPECT_EQ(help.zh.find("· " + c.summary.zh + "\n") != std::string::npos, c.allows(role)) << c.name();
        }
    }
    for (const auto& c : cmd::commands()) EXPECT_TRUE(c.allows(Role::admin)) << c.name();
    const auto all = cmd::help_text();
    for (const auto& c : cmd::commands()) EXPECT_THAT(all.en, HasSubstr("· " + c.summary.en + "\n"));
}

// Help says who may use a command exactly when the table limits it.
TEST(CommandTable, UsageAndHelpLineMarkTheCommandsLimitedToManagersOrAdmins) {
    for (const auto& c : cmd::commands()) {
        const bool managers = !c.allows(Role::rep) && c.allows(Role::manager);
        const bool admins = !c.allows(Role::manager);
        for (const auto* text : {&c.usage, &c.summary}) {
            EXPECT_EQ(text->en.find("(managers)") != std::string::npos, managers) << text->en;
            EXPECT_EQ(text->zh.find("（主管）") != std::string::npos, managers) << text->zh;
            EXPECT_EQ(text->en.find("(admins)") != std::string::npos, admins) << text->en;
            EXPECT_EQ(text->zh.find("（管理员）") != std::string::npos, admins) << text->zh;
        }
    }
}

// The suggestion is the nearest word of the table; between two equally near, the command
// listed first in the table.
TEST(CommandTable, AnUnknownWordSuggestsTheNearestCommandWordInItsScript) {
    auto message = [](const char* line) { return std::get<cmd::ParseError>(cmd::parse(line).result).message; };
    EXPECT_EQ(message("tday").en, "Unknown command 'tday'. Did you mean 'today'? Send 'help' for the list.");
    EXPECT_EQ(message("stauts").en, "Unknown command 'stauts'. Did you mean 'status'? Send 'help' for the list.");
    EXPECT_EQ(message("完程").zh, "不认识的命令“完程”。你是想输入“完成”吗？发送“帮助”查看命令列表。");
    EXPECT_EQ(message("xyzzy").en, "Unknown command 'xyzzy'. Send 'help' for the list.");
}

TEST(CommandTable, TheRoleRefusalNamesTheCommandInTheAskersLanguage) {
    const auto team = cmd::role_refusal(*cmd::find_command("team"));
    EXPECT_EQ(team.en, "Only managers can do that ('team'). Try 'today' for your own tasks.");
    EXPECT_EQ(team.zh, "只有主管可以使用这个命令（“团队”）。查看自己的任务请发送「今天」。");
    const auto status = cmd::role_refusal(*cmd::find_command("状态"));
    EXPECT_EQ(status.en, "Sorry, only an admin can do that ('status'). Please ask your admin if you need it.");
    EXPECT_EQ(status.zh, "抱歉，只有管理员可以使用这个命令（“状态”）。如有需要，请联系管理员。");
    EXPECT_THAT(cmd::role_refusal(*cmd::find_command("交接")).en, HasSubstr("('handover')"));
    EXPECT_THAT(cmd::role_refusal(*cmd::find_command("audit")).zh, Not(HasSubstr("主管")));
}

}  // namespace
}  // namespace fu
