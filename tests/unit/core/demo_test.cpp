// The demo's seed: today's follow-ups for the reminders of the first minute,
// last week's for the managers' figures, and a public pool to claim from.
#include "core/demo.hpp"

#include <gmock/gmock.h>

#include "fixture.hpp"

namespace fu::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct DemoWorld : World {
    int added = 0;
    DemoWorld() {
        store->transact([&](Repo& r) { added = seed_demo(r, clock.now()); });
    }
};

TEST(Demo, SeedsTenCustomersAndTwoInThePoolOnceOnly) {
    DemoWorld w;
    EXPECT_EQ(w.added, 12);
    int again = -1;
    w.store->transact([&](Repo& r) { again = seed_demo(r, w.clock.now()); });
    EXPECT_EQ(again, 0);
    // The first reminders are still #1 (Wang Wei's) and #2 (Maria's), as the README says.
    ASSERT_TRUE(w.task(1));
    EXPECT_EQ(w.task(1)->assignee, w.wang);
    EXPECT_EQ(w.task(1)->status, TaskStatus::open);
    ASSERT_TRUE(w.task(2));
    EXPECT_EQ(w.task(2)->assignee, w.maria);
}

TEST(Demo, LastWeeksReportHasRealFigures) {
    DemoWorld w;  // now: Mon 2026-11-23 10:00 Asia/Shanghai; last week 11-16 – 11-22
    const auto report = w.say("li", "report last week");
    // Wang: on time (Mon), late (Tue, 2.5 h), snoozed but done before its
    // escalation point (Wed → Thu 09:30): on time; and today's overdue 远航物流,
    // due a day ago (Sunday), still open: late. Maria: on time (Mon, Wed, Fri),
    // late (Thu → Fri). 5 of 8.
    EXPECT_THAT(report, HasSubstr("Timeliness 63% · on time 5 · late 3 · pending 0")) << report;
    EXPECT_THAT(report, HasSubstr("Wang Wei  50%  2    2"));
    EXPECT_THAT(report, HasSubstr("Maria     75%  3    1"));
    EXPECT_THAT(report, HasSubstr("won 1"));
    EXPECT_THAT(report, HasSubstr("Satisfaction 4.0 (n=5)"));
    EXPECT_THAT(report, HasSubstr("Public pool: reclaimed 1 · released 1 · claimed 0 · assigned 0"));
    const auto team = w.say("li", "team");
    EXPECT_THAT(team, HasSubstr("Wang Wei"));
}

TEST(Demo, ThePoolCanBeTriedWithMaskedContacts) {
    DemoWorld w;
    const auto pool = w.say("wang", "pool");
    EXPECT_THAT(pool, HasSubstr("c11 东方纺织"));
    EXPECT_THAT(pool, HasSubstr("c12 Pacific Metals"));
    EXPECT_THAT(pool, HasSubstr("133****3007"));
    EXPECT_THAT(pool, Not(HasSubstr("13300133007")));
    // 东方纺织 was reclaimed from Wang Wei: he waits out the cooldown; Maria may claim it.
    EXPECT_THAT(
        w.say("wang", "领取 c11"),
        HasSubstr("东方纺织 在 11月19日 周四 16:00 从你名下回到公海，11月26日 周四 16:00 之后你才能再次领取。"));
    // Wang reads Chinese whichever language he types the command in.
    EXPECT_THAT(w.say("wang", "claim c11"), HasSubstr("之后你才能再次领取"));
    EXPECT_THAT(w.say("maria", "claim c11"), HasSubstr("13300133007"));  // now hers
}

}  // namespace
}  // namespace fu::test
