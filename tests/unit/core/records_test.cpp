// What the records say about people and customers: who a command names, the
// next follow-up shown, pool claims, complaint timeliness, linked accounts,
// duplicate follow-ups, a button pressed in a direct chat, the holiday
// calendar's end.
#include <date/date.h>
#include <gmock/gmock.h>

#include "core/work_calendar.hpp"
#include "fixture.hpp"

namespace fu::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

std::string id(std::int64_t n) { return std::to_string(n); }

// ---- adding a customer is not a claim -------------------------------------------------

TEST(Pool, AddingCustomersDoesNotUseUpTheDailyClaimQuota) {
    BotOptions o = World::quiet();
    o.sop.claim_daily_quota = 1;
    World w(":memory:", o);
    w.say("wang", "customer add Pooled");
    w.say("wang", "release c1");
    w.say("maria", "customer add Mine One");
    w.say("maria", "customer add Mine Two");
    EXPECT_THAT(w.say("maria", "pool"), HasSubstr("Claims left today: 1 of 1"));
    EXPECT_THAT(w.say("maria", "claim c1"), HasSubstr("is yours now"));
    EXPECT_THAT(w.say("maria", "公海"), Not(HasSubstr("领取 c")));
}

}  // namespace
}  // namespace fu::test
