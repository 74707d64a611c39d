// Automatic follow-up topics are stored as codes and worded in the reader's
// language: the same follow-up reads "B类：每14天" to a Chinese rep and
// "B: every 14 days" to an English manager, whoever made it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/topics.hpp"
#include "fixture.hpp"

namespace fu::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Topics, CodesAreWordedInEachLanguage) {
    EXPECT_EQ(topics::text(topics::tier(Tier::b, 14), Lang::en), "B: every 14 days");
    EXPECT_EQ(topics::text(topics::tier(Tier::b, 14), Lang::zh), "B类：每14天");
    EXPECT_EQ(topics::text(topics::tier(Tier::a, 7), Lang::en), "A (VIP): every 7 days");
    EXPECT_EQ(topics::text(topics::lead(1), Lang::zh), "潜在客户：每天");
    EXPECT_EQ(topics::text(topics::first_response(24), Lang::en), "new lead: first response within 24 working hours");
    EXPECT_EQ(topics::text(topics::revisit(30), Lang::zh), "成交后第30天回访");
    EXPECT_EQ(topics::text(topics::tightened(topics::silent(30), 15), Lang::en),
              "silent: wake-up every 30 days, tightened after a complaint or low satisfaction: every 15 days");
    EXPECT_EQ(topics::text(topics::tightened(topics::churn_risk(3), 1), Lang::zh),
              "流失风险：每3天，因投诉或满意度低加密为每天");
    EXPECT_EQ(topics::text(topics::imported(), Lang::zh), "导入的跟进");
    // What people type stays as typed, even when it looks like a code.
    EXPECT_EQ(topics::text("ask about the quote", Lang::zh), "ask about the quote");
    EXPECT_EQ(topics::text("auto: check the invoice", Lang::zh), "auto: check the invoice");
    EXPECT_FALSE(topics::is_code("auto:tier:D:7"));
    EXPECT_TRUE(topics::is_code("auto:tier:C:30"));
}

TEST(Topics, WordedTopicsOfEarlierVersionsAreRecognisedInBothLanguages) {
    const std::vector<std::string> codes{topics::tier(Tier::a, 7),
                                         topics::tier(Tier::b, 14),
                                         topics::tier(Tier::c, 30),
                                         topics::lead(3),
                                         topics::lead(1),
                                         topics::first_response(24),
                                         topics::revisit(7),
                                         topics::silent(30),
                                         topics::churn_risk(3),
                                         topics::tightened(topics::tier(Tier::b, 14), 7),
                                         topics::tightened(topics::lead(2), 1),
                                         topics::imported()};
    for (const auto& code : codes)
        for (const Lang l : {Lang::en, Lang::zh}) {
            const auto worded = topics::text(code, l);
            EXPECT_EQ(topics::code_of(worded), code) << worded;
        }
    EXPECT_EQ(topics::code_of("call about the every-day pricing"), std::nullopt);
    EXPECT_EQ(topics::code_of("每周回访一次"), std::nullopt);
    EXPECT_EQ(topics::code_of("B类：每14天 再问问"), std::nullopt);
}

// A manager whose language is English adds a customer for a Chinese rep: the
// automatic follow-up reads in Chinese to the rep and in English to the manager.
TEST(Topics, TheSameFollowUpReadsInEachReadersLanguage) {
    World w;
    w.say("li", "customer add Globex owner=wang tier=B stage=active");
    const auto rep = w.say("wang", "历史 Globex");
    EXPECT_THAT(rep, HasSubstr("B类：每14天"));
    EXPECT_THAT(rep, Not(HasSubstr("every 14 days")));
    const auto manager = w.say("li", "history Globex");
    EXPECT_THAT(manager, HasSubstr("B: every 14 days"));
    EXPECT_THAT(manager, Not(HasSubstr("每14天")));

    // And the other way round: a Chinese rep's own customer, read by the English manager.
    w.say("wang", "新客户 华为 等级=A 阶段=活跃");
    EXPECT_THAT(w.say("wang", "历史 华为"), HasSubstr("A类(VIP)：每7天"));
    EXPECT_THAT(w.say("li", "history 华为"), HasSubstr("A (VIP): every 7 days"));

    // Stored as the code, not as either wording.
    w.store->transact([&](Repo& r) {
        for (const auto& c : r.customers_owned_by(w.wang))
            for (const auto& t : r.open_tasks_for_customer(c.id)) EXPECT_TRUE(topics::is_code(t.topic)) << t.topic;
    });
}

// The reminder a rep gets is worded for them, too.
TEST(Topics, RemindersWordTheTopicForTheirReader) {
    World w;
    w.say("li", "customer add Acme tier=C stage=active owner=wang");
    w.clock.advance(std::chrono::hours(24 * 30 + 1));  // C, active: due in 30 days, a Wednesday
    w.bot->fire_due_reminders();
    std::string all;
    for (const auto& m : w.messages(w.wang)) all += m.text + "\n";
    EXPECT_THAT(all, HasSubstr("C类：每30天"));
    for (const auto& m : w.messages(w.wang)) EXPECT_THAT(m.text, Not(HasSubstr("every ")));
}

}  // namespace
}  // namespace fu::test
