// Replies follow the user's language setting, whatever language the command
// word was typed in.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fixture.hpp"

namespace fu::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ReplyLanguage, FollowsTheUserNotTheCommandWord) {
    World w;
    w.say("maria", "customer add Acme");
    // Maria's language is English: a Chinese command word still gets English.
    EXPECT_THAT(w.say("maria", "我的客户"), HasSubstr("Customers (1)"));
    EXPECT_THAT(w.say("maria", "今天"), Not(HasSubstr("今天")));
    EXPECT_THAT(w.say("maria", "逾期"), HasSubstr("Only managers"));
    EXPECT_THAT(w.say("maria", "推迟"), HasSubstr("Usage: snooze"));  // a mistake, explained in English
    // Wang's is Chinese: an English command word gets Chinese.
    w.say("wang", "新客户 华为");
    EXPECT_THAT(w.say("wang", "customers"), HasSubstr("客户（1）"));
    EXPECT_THAT(w.say("wang", "team"), HasSubstr("只有主管"));
    // Until they change it.
    w.say("maria", "语言 中文");
    EXPECT_THAT(w.say("maria", "customers"), HasSubstr("客户（1）"));
}

}  // namespace
}  // namespace fu::test
