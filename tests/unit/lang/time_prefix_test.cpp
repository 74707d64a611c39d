// time_prefix_length: how much of a line is a time expression (syntax only).
#include <gtest/gtest.h>

#include <string>

#include "core/time_expr.hpp"

namespace fu {
namespace {

struct PrefixCase {
    std::string text;
    std::string prefix;  // the expected time part, a prefix of text ("" for none)
};

class TimePrefix : public ::testing::TestWithParam<PrefixCase> {};

TEST_P(TimePrefix, IsTheLongestValidExpressionAtAWordBoundary) {
    const auto& c = GetParam();
    ASSERT_EQ(c.text.substr(0, c.prefix.size()), c.prefix);
    EXPECT_EQ(time_prefix_length(c.text), c.prefix.size()) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    MixedInputs, TimePrefix,
    ::testing::Values(
        PrefixCase{"明天上午10点打电话", "明天上午10点"}, PrefixCase{"明天上午10点打电话问报价", "明天上午10点"},
        PrefixCase{"tomorrow 10am call acme", "tomorrow 10am"}, PrefixCase{"fri call", "fri"},
        PrefixCase{"fri 3pm about pricing", "fri 3pm"}, PrefixCase{"next fri 3pm about pricing", "next fri 3pm"},
        PrefixCase{"in 2h email the quote", "in 2h"}, PrefixCase{"2小时后打电话", "2小时后"},
        PrefixCase{"半小时后 回电", "半小时后"}, PrefixCase{"下周一9点拜访", "下周一9点"},
        PrefixCase{"周五 下午3点 见面", "周五 下午3点"}, PrefixCase{"2026-12-01 10:00 visit", "2026-12-01 10:00"},
        PrefixCase{"12月1日上午10点 上门", "12月1日上午10点"}, PrefixCase{"10am tomorrow call", "10am tomorrow"},
        PrefixCase{"3pm.", "3pm"}, PrefixCase{"tomorrow, call", "tomorrow"}, PrefixCase{"tomorrow", "tomorrow"},
        PrefixCase{"monkey business", ""}, PrefixCase{"call tomorrow", ""}, PrefixCase{"25:00 call", ""},
        PrefixCase{"tomorrow 25:00", "tomorrow"}, PrefixCase{"sunny day", ""}, PrefixCase{"打电话 明天", ""},
        PrefixCase{"", ""}, PrefixCase{"   ", ""}));

TEST(TimePrefixLength, CountsOriginalBytesOfFullWidthAndIdeographicSpaceInput) {
    EXPECT_EQ(time_prefix_length("２小时后打电话"), std::string("２小时后").size());
    EXPECT_EQ(time_prefix_length("周五\u3000下午3点 见面"), std::string("周五\u3000下午3点").size());
    EXPECT_EQ(time_prefix_length("明天１０：００ 打电话"), std::string("明天１０：００").size());
}

TEST(TimePrefixLength, IncludesLeadingSpaces) {
    EXPECT_EQ(time_prefix_length("  tomorrow call"), std::string("  tomorrow").size());
}

TEST(TimePrefixLength, AcceptsSyntacticallyValidButPastMoments) {
    // No clock or zone: a past date is still a time expression.
    EXPECT_EQ(time_prefix_length("2020-01-01 note"), std::string("2020-01-01").size());
}

}  // namespace
}  // namespace fu
