// Tables in replies: Markdown fences split into text and monospace ranges, and
// Telegram's "pre" entities in UTF-16 units.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "adapters/adapter.hpp"
#include "adapters/telegram/telegram.hpp"

namespace fu::adapters {
namespace {

using nlohmann::json;

std::string block(const Fenced& f, std::size_t i) {
    return f.text.substr(f.blocks.at(i).begin, f.blocks.at(i).end - f.blocks.at(i).begin);
}

TEST(Fences, TextWithoutFencesIsUnchanged) {
    const auto f = split_fences("line one\nline two\n");
    EXPECT_EQ(f.text, "line one\nline two\n");
    EXPECT_TRUE(f.blocks.empty());
}

TEST(Fences, FenceLinesAreRemovedAndTheirContentMarked) {
    const auto f = split_fences("Head\n```\nrep  due\nwang   3\n```\nTotal: 3\n```\n王伟   2\n```");
    EXPECT_EQ(f.text, "Head\nrep  due\nwang   3\nTotal: 3\n王伟   2");
    ASSERT_EQ(f.blocks.size(), 2u);
    EXPECT_EQ(block(f, 0), "rep  due\nwang   3");
    EXPECT_EQ(block(f, 1), "王伟   2");
}

TEST(Fences, AnUnclosedFenceRunsToTheEndAndEmptyBlocksAreDropped) {
    auto f = split_fences("a\n```\n```\nb\n```\nc\nd");
    EXPECT_EQ(f.text, "a\nb\nc\nd");
    ASSERT_EQ(f.blocks.size(), 1u);
    EXPECT_EQ(block(f, 0), "c\nd");
    f = split_fences("x ``` y\n``` not a fence");
    EXPECT_EQ(f.text, "x ``` y\n``` not a fence");  // only a line that is exactly ``` counts
    EXPECT_TRUE(f.blocks.empty());
}

TEST(TelegramRender, TablesBecomePreEntitiesCountedInUtf16Units) {
    Outbound out;
    out.chat_id = "42";
    out.text = "📊 团队\n```\n王伟  3\n```\nok";
    const json body = json::parse(telegram::render(out).body);
    EXPECT_EQ(body["text"], "📊 团队\n王伟  3\nok");
    ASSERT_TRUE(body.contains("entities"));
    ASSERT_EQ(body["entities"].size(), 1u);
    EXPECT_EQ(body["entities"][0]["type"], "pre");
    // "📊" is a surrogate pair (2 units), " 团队\n" 4 more: the table starts at 6.
    EXPECT_EQ(body["entities"][0]["offset"], 6);
    EXPECT_EQ(body["entities"][0]["length"], 5);  // 王伟  3
    EXPECT_FALSE(body.contains("parse_mode"));
}

TEST(TelegramRender, PlainTextHasNoEntities) {
    Outbound out;
    out.chat_id = "42";
    out.text = "no tables here";
    const json body = json::parse(telegram::render(out).body);
    EXPECT_FALSE(body.contains("entities"));
}

}  // namespace
}  // namespace fu::adapters
