// Who may use which command, as the bot applies the command table: help lists what the
// asker may use, and a command beyond their role is refused by name before anything runs.
#include <gmock/gmock.h>

#include "core/commands/table.hpp"
#include "fixture.hpp"

namespace fu::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct RolesWorld : World {
    RolesWorld() {
        store->transact([&](Repo& r) { ada = add(r, "ada", "Ada", Role::admin, team, Lang::en); });
    }
    UserId ada;
};

TEST(CommandRoles, HelpListsExactlyTheCommandsTheAskersRoleMayUse) {
    RolesWorld w;
    const std::pair<const char*, Role> kAskers[] = {{"maria", Role::rep}, {"li", Role::manager}, {"ada", Role::admin}};
    for (auto [who, role] : kAskers) {
        const auto help = w.say(who, "help");
        for (const auto& c : cmd::commands())
            EXPECT_EQ(help.find("· " + c.summary.en + "\n") != std::string::npos, c.allows(role))
                << who << ": " << c.name();
    }
    const auto rep = w.say("maria", "help");
    EXPECT_THAT(rep, HasSubstr("· today — what is due today and overdue\n"));
    EXPECT_THAT(rep, Not(HasSubstr("team —")));
    EXPECT_THAT(rep, Not(HasSubstr("audit 20")));
    const auto manager = w.say("li", "help");
    EXPECT_THAT(manager, HasSubstr("· team — per-rep figures (managers)\n"));
    EXPECT_THAT(manager, Not(HasSubstr("status — deliveries")));
    EXPECT_THAT(w.say("ada", "help"), HasSubstr("· audit 20 @wang — the audit log (admins)\n"));
    // In Chinese too, for a rep who writes in Chinese.
    const auto zh = w.say("wang", "帮助");
    EXPECT_THAT(zh, HasSubstr("· 今天 —— 今天到期和逾期的跟进\n"));
    EXPECT_THAT(zh, Not(HasSubstr("团队 ——")));
}

TEST(CommandRoles, HelpForOneCommandExplainsItWhateverTheRole) {
    RolesWorld w;
    EXPECT_THAT(w.say("maria", "help team"), HasSubstr("Usage: team"));
    EXPECT_THAT(w.say("maria", "help frobnicate"), HasSubstr("No such command: frobnicate"));
    EXPECT_THAT(w.say("maria", "help frobnicate"), Not(HasSubstr("team —")));
}

TEST(CommandRoles, ARepUsingAManagersCommandIsToldWhichCommandAndWhoMayUseIt) {
    RolesWorld w;
    EXPECT_EQ(w.say("maria", "team"), "Only managers can do that ('team'). Try 'today' for your own tasks.");
    EXPECT_EQ(w.say("maria", "handover maria wang"),
              "Only managers can do that ('handover'). Try 'today' for your own tasks.");
    EXPECT_EQ(w.say("wang", "逾期"), "只有主管可以使用这个命令（“逾期”）。查看自己的任务请发送「今天」。");
    EXPECT_EQ(w.say("wang", "周报"), "只有主管可以使用这个命令（“报告”）。查看自己的任务请发送「今天」。");
    EXPECT_EQ(w.say("li", "status"),
              "Sorry, only an admin can do that ('status'). Please ask your admin if you need it.");
    EXPECT_EQ(w.say("maria", "audit"),
              "Sorry, only an admin can do that ('audit'). Please ask your admin if you need it.");
    // Admins may use the managers' commands; a parse error still comes first, with the usage.
    EXPECT_THAT(w.say("ada", "team"), Not(HasSubstr("Only managers")));
    EXPECT_THAT(w.say("maria", "assign"), HasSubstr("Usage: assign <customer> <rep>"));
}

TEST(CommandRoles, ARefusedCommandChangesNothing) {
    RolesWorld w;
    w.say("maria", "customer add Acme");
    EXPECT_THAT(w.say("maria", "assign Acme wang"), HasSubstr("('assign')"));
    EXPECT_THAT(w.say("maria", "who Acme"), HasSubstr("Maria"));
}

TEST(CommandRoles, EachCommandRunIsReportedWithItsResultForTheMetrics) {
    auto seen = std::make_shared<std::vector<std::string>>();
    auto options = World::quiet();
    options.on_command = [seen](std::string_view command, std::string_view result) {
        seen->push_back(std::string(command) + ":" + std::string(result));
    };
    World w(":memory:", options);
    w.say("maria", "customer add Acme");
    w.say("maria", "snooze");            // its arguments are missing
    w.say("maria", "frobnicate");        // no such command
    w.say("maria", "team");              // managers only
    w.say("maria", "done 999 reached");  // no such follow-up
    w.say("maria", "今天");
    EXPECT_THAT(*seen, ::testing::ElementsAre("customer add:ok", "snooze:usage", "unknown:usage", "team:forbidden",
                                              "done:refused", "today:ok"));
}

}  // namespace
}  // namespace fu::test
