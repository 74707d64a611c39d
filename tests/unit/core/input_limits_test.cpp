// How long a command and a name may be (limits.command_chars, limits.name_chars):
// refused with a reply in the person's language that gives the limit and the
// length, from the web chat and from the platforms alike, with nothing stored.
#include <gmock/gmock.h>

#include "fixture.hpp"

namespace fu::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string chars(std::size_t n, const std::string& one = "x") {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += one;
    return s;
}

TEST(InputLimits, CharactersAreCountedNotBytes) {
    EXPECT_EQ(char_count(""), 0u);
    EXPECT_EQ(char_count("Acme"), 4u);
    EXPECT_EQ(char_count("华为技术"), 4u);
    EXPECT_EQ(char_count("a😀b"), 3u);
}

TEST(InputLimits, ACommandOverTheLimitIsRefusedInEnglishWithBothLengths) {
    World w;
    const auto reply = w.say("maria", "customer add " + chars(5000));
    EXPECT_THAT(reply, HasSubstr("5013 characters"));
    EXPECT_THAT(reply, HasSubstr("at most 4000"));
    EXPECT_THAT(reply, HasSubstr("Nothing was done"));
    EXPECT_THAT(w.say("maria", "customers"), Not(HasSubstr("xxxx")));
}

TEST(InputLimits, ACommandOverTheLimitIsRefusedInChineseForAChineseUser) {
    World w;
    const auto reply = w.say("wang", "新客户 " + chars(4100, "客"));
    EXPECT_THAT(reply, HasSubstr("这条消息有 4104 个字符"));
    EXPECT_THAT(reply, HasSubstr("最多 4000 个字符"));
    EXPECT_THAT(w.say("wang", "我的客户"), Not(HasSubstr("客客客")));
}

TEST(InputLimits, ChineseIsCountedByCharacterSoALongChineseNoteFits) {
    World w;
    w.say("wang", "新客户 华为");
    // 1,500 characters are 4,500 bytes: within 4,000 characters.
    const auto reply = w.say("wang", "记录 华为 电话 " + chars(1500, "谈"));
    EXPECT_THAT(reply, Not(HasSubstr("个字符")));
    EXPECT_THAT(w.say("wang", "历史 华为"), HasSubstr("谈谈谈"));
}

TEST(InputLimits, ACommandOverTheLimitFromAPlatformGetsTheRefusalAsItsReply) {
    World w;
    w.store->transact([&](Repo& r) { r.link_identity(Identity{"telegram", "555", w.maria, ""}); });
    const auto first = w.bot->handle_platform(Inbound{"telegram", "u1", "555", "555", true, chars(9000), false, ""});
    EXPECT_FALSE(first.duplicate);
    std::vector<Delivery> due;
    std::string text;
    w.store->transact([&](Repo& r) {
        due = r.deliveries_due("telegram", w.clock.now(), 10);
        if (!due.empty()) text = r.message(due[0].message)->text;
    });
    ASSERT_EQ(due.size(), 1u);
    EXPECT_THAT(text, HasSubstr("9000 characters"));
    // The event is recorded like any other: a retry is not answered twice.
    EXPECT_TRUE(
        w.bot->handle_platform(Inbound{"telegram", "u1", "555", "555", true, chars(9000), false, ""}).duplicate);
}

TEST(InputLimits, TheCommandLimitComesFromTheOptions) {
    auto options = World::quiet();
    options.limits.command_chars = 100;
    World w(":memory:", options);
    EXPECT_THAT(w.say("maria", "customer add " + chars(100)), HasSubstr("at most 100"));
    EXPECT_THAT(w.say("maria", "customer add " + chars(80)), HasSubstr("added"));
}

TEST(InputLimits, ANameOverTheLimitIsRefusedAndNothingIsAdded) {
    World w;
    const auto en = w.say("maria", "customer add " + chars(201));
    EXPECT_THAT(en, HasSubstr("customer name is 201 characters long; it may have at most 200"));
    const auto zh = w.say("wang", "新客户 " + chars(250, "名"));
    EXPECT_THAT(zh, HasSubstr("客户名称有 250 个字符，最多 200 个字符"));
    EXPECT_THAT(w.say("li", "customers"), Not(HasSubstr("xxxx")));
    EXPECT_THAT(w.say("li", "customers"), Not(HasSubstr("名名名")));
    EXPECT_THAT(w.say("maria", "customer add " + chars(200)), HasSubstr("added"));
}

TEST(InputLimits, CompanyContactsAndTagsHaveTheNameLimitToo) {
    World w;
    EXPECT_THAT(w.say("maria", "customer add Acme company=" + chars(300)), HasSubstr("company is 300 characters long"));
    EXPECT_THAT(w.say("maria", "customer add Acme email=" + chars(250) + "@example.com"),
                HasSubstr("e-mail is 262 characters long"));
    EXPECT_THAT(w.say("maria", "customer add Acme tags=vip," + chars(201)), HasSubstr("tag is 201 characters long"));
    EXPECT_THAT(w.say("wang", "新客户 华为 公司=" + chars(201, "华")), HasSubstr("公司有 201 个字符"));
    EXPECT_THAT(w.say("maria", "customers"), Not(HasSubstr("Acme")));
}

TEST(InputLimits, AFollowupTopicHasTheNameLimit) {
    World w;
    w.say("maria", "customer add Acme");
    EXPECT_THAT(w.say("maria", "followup Acme tomorrow 10am call " + chars(201)),
                HasSubstr("topic is 201 characters long"));
    EXPECT_THAT(w.say("wang", "新客户 华为"), HasSubstr("华为"));
    EXPECT_THAT(w.say("wang", "跟进 华为 明天10点 电话 " + chars(201, "谈")), HasSubstr("跟进主题有 201 个字符"));
    EXPECT_THAT(w.say("maria", "followup Acme tomorrow 10am call " + chars(200)), Not(HasSubstr("characters long")));
}

}  // namespace
}  // namespace fu::test
