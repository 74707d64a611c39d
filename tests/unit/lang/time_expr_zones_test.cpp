// Time expressions are read in the speaking rep's own zone, across DST changes.
#include "time_test_util.hpp"

namespace fu {
namespace {

using testing::at;
using testing::fails;
using testing::resolves;
using testing::utc;

TEST(TimeExprZones, TomorrowMorningRespectsRepTimeZone) {
    // The same instant, 2026-03-04 02:00 UTC, for reps in five zones.
    TimePoint now = utc(2026, 3, 4, 2);
    EXPECT_TRUE(resolves("tomorrow morning", at("Asia/Shanghai", now), utc(2026, 3, 5, 1)));
    EXPECT_TRUE(resolves("tomorrow morning", at("America/New_York", now), utc(2026, 3, 4, 14)));  // still Mar 3 there
    EXPECT_TRUE(resolves("tomorrow morning", at("Europe/Berlin", now), utc(2026, 3, 5, 8)));
    EXPECT_TRUE(resolves("tomorrow morning", at("Asia/Kolkata", now), utc(2026, 3, 5, 3, 30)));
    EXPECT_TRUE(resolves("tomorrow morning", at("UTC", now), utc(2026, 3, 5, 9)));
}

TEST(TimeExprZones, RelativeTimesIgnoreTheZone) {
    TimePoint now = utc(2026, 3, 4, 2);
    for (const char* z : {"Asia/Shanghai", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "UTC"}) {
        EXPECT_TRUE(resolves("in 2h", at(z, now), utc(2026, 3, 4, 4))) << z;
        EXPECT_TRUE(resolves("30分钟后", at(z, now), utc(2026, 3, 4, 2, 30))) << z;
    }
}

// --- America/New_York: spring forward on Sunday 2026-03-08 at 02:00 EST -> 03:00 EDT.
TimeContext ny_before_spring() { return at("America/New_York", utc(2026, 3, 7, 17)); }  // Sat 12:00 EST

TEST(TimeExprNewYork, ClocksBeforeAndAfterTheSpringForwardGap) {
    EXPECT_TRUE(resolves("tomorrow 1:30am", ny_before_spring(), utc(2026, 3, 8, 6, 30)));  // EST
    EXPECT_TRUE(resolves("tomorrow 3am", ny_before_spring(), utc(2026, 3, 8, 7)));         // EDT
    EXPECT_TRUE(resolves("tomorrow 10am", ny_before_spring(), utc(2026, 3, 8, 14)));
    EXPECT_TRUE(resolves("tomorrow", ny_before_spring(), utc(2026, 3, 8, 13)));
    EXPECT_TRUE(resolves("sun 9am", ny_before_spring(), utc(2026, 3, 8, 13)));
}

TEST(TimeExprNewYork, NonexistentLocalTimeMovesForwardPastTheGap) {
    // 02:30 does not exist on 2026-03-08; it is read as 03:30 EDT (07:30 UTC).
    EXPECT_TRUE(resolves("tomorrow 2:30am", ny_before_spring(), utc(2026, 3, 8, 7, 30)));
    EXPECT_TRUE(resolves("2026-03-08 02:30", ny_before_spring(), utc(2026, 3, 8, 7, 30)));
    EXPECT_TRUE(resolves("明天凌晨2点半", ny_before_spring(), utc(2026, 3, 8, 7, 30)));
}

TEST(TimeExprNewYork, RelativeHoursAcrossTheGapAreRealHours) {
    EXPECT_TRUE(resolves("in 24h", ny_before_spring(), utc(2026, 3, 8, 17)));  // 13:00 EDT
    EXPECT_TRUE(resolves("1d", ny_before_spring(), utc(2026, 3, 8, 17)));
}

TEST(TimeExprNewYork, WeekdaysAndClocksInEasternTime) {
    EXPECT_TRUE(resolves("3pm", ny_before_spring(), utc(2026, 3, 7, 20)));       // today, EST
    EXPECT_TRUE(resolves("fri 3pm", ny_before_spring(), utc(2026, 3, 13, 19)));  // next Friday, EDT
    EXPECT_TRUE(resolves("next mon", ny_before_spring(), utc(2026, 3, 9, 13)));  // week starts Monday
    EXPECT_TRUE(resolves("sat", ny_before_spring(), utc(2026, 3, 14, 13)));      // today 09:00 is past
    EXPECT_TRUE(resolves("周五下午3点", ny_before_spring(), utc(2026, 3, 13, 19)));
    EXPECT_TRUE(fails("today 9am", ny_before_spring(), "(2026-03-07 09:00) is already past"));
}

// --- America/New_York: fall back on Sunday 2026-11-01 at 02:00 EDT -> 01:00 EST.
TimeContext ny_before_fall() { return at("America/New_York", utc(2026, 10, 31, 16)); }  // Sat 12:00 EDT

TEST(TimeExprNewYork, AmbiguousLocalTimeTakesTheEarliest) {
    EXPECT_TRUE(resolves("tomorrow 1:30am", ny_before_fall(), utc(2026, 11, 1, 5, 30)));  // 01:30 EDT
    EXPECT_TRUE(resolves("2026-11-01 01:30", ny_before_fall(), utc(2026, 11, 1, 5, 30)));
}

TEST(TimeExprNewYork, ClocksAfterTheFallBackUseStandardTime) {
    EXPECT_TRUE(resolves("tomorrow 9am", ny_before_fall(), utc(2026, 11, 1, 14)));
    EXPECT_TRUE(resolves("sun", ny_before_fall(), utc(2026, 11, 1, 14)));
    EXPECT_TRUE(resolves("tomorrow 12:30am", ny_before_fall(), utc(2026, 11, 1, 4, 30)));  // before the change
    EXPECT_TRUE(resolves("in 1 day", ny_before_fall(), utc(2026, 11, 1, 16)));
}

// --- Europe/Berlin: CET, spring forward on Sunday 2026-03-29 at 02:00 -> 03:00 CEST.
TimeContext berlin() { return at("Europe/Berlin", utc(2026, 3, 25, 17)); }  // Wed 18:00 CET

TEST(TimeExprBerlin, DaysAndClocksAcrossTheEuropeanChange) {
    EXPECT_TRUE(resolves("tomorrow 10am", berlin(), utc(2026, 3, 26, 9)));
    EXPECT_TRUE(resolves("fri", berlin(), utc(2026, 3, 27, 8)));
    EXPECT_TRUE(resolves("next mon 9am", berlin(), utc(2026, 3, 30, 7)));    // CEST
    EXPECT_TRUE(resolves("wed 3pm", berlin(), utc(2026, 4, 1, 13)));         // today's 15:00 is past
    EXPECT_TRUE(resolves("sun 2:30am", berlin(), utc(2026, 3, 29, 1, 30)));  // in the gap -> 03:30 CEST
    EXPECT_TRUE(resolves("20:00", berlin(), utc(2026, 3, 25, 19)));
    EXPECT_TRUE(resolves("17:00", berlin(), utc(2026, 3, 26, 16)));
    EXPECT_TRUE(resolves("1 apr", berlin(), utc(2026, 4, 1, 7)));
}

// --- Asia/Kolkata: +05:30, no DST.
TimeContext kolkata() { return at("Asia/Kolkata", utc(2026, 3, 4, 4, 30)); }  // Wed 10:00 IST

TEST(TimeExprKolkata, HalfHourOffsetIsApplied) {
    EXPECT_TRUE(resolves("tomorrow 9am", kolkata(), utc(2026, 3, 5, 3, 30)));
    EXPECT_TRUE(resolves("3pm", kolkata(), utc(2026, 3, 4, 9, 30)));
    EXPECT_TRUE(resolves("in 2h", kolkata(), utc(2026, 3, 4, 6, 30)));
    EXPECT_TRUE(resolves("12月1日", kolkata(), utc(2026, 12, 1, 3, 30)));
    EXPECT_TRUE(resolves("周五下午3点", kolkata(), utc(2026, 3, 6, 9, 30)));
    EXPECT_TRUE(resolves("9:45", kolkata(), utc(2026, 3, 5, 4, 15)));
    EXPECT_TRUE(fails("today 9am", kolkata(), "(2026-03-04 09:00) is already past"));
}

// --- UTC, on the last evening of the year.
TimeContext new_years_eve() { return at("UTC", utc(2026, 12, 31, 23, 30)); }  // Thursday

TEST(TimeExprUtc, DayWordsRollIntoTheNextYear) {
    EXPECT_TRUE(resolves("tomorrow", new_years_eve(), utc(2027, 1, 1, 9)));
    EXPECT_TRUE(resolves("fri", new_years_eve(), utc(2027, 1, 1, 9)));
    EXPECT_TRUE(resolves("next mon", new_years_eve(), utc(2027, 1, 4, 9)));
    EXPECT_TRUE(resolves("thu", new_years_eve(), utc(2027, 1, 7, 9)));
    EXPECT_TRUE(resolves("12-01", new_years_eve(), utc(2027, 12, 1, 9)));
    EXPECT_TRUE(resolves("1 jan", new_years_eve(), utc(2027, 1, 1, 9)));
    EXPECT_TRUE(resolves("1号", new_years_eve(), utc(2027, 1, 1, 9)));
}

TEST(TimeExprUtc, ClocksAndPastMomentsNearMidnight) {
    EXPECT_TRUE(resolves("11pm", new_years_eve(), utc(2027, 1, 1, 23)));
    EXPECT_TRUE(resolves("23:45", new_years_eve(), utc(2026, 12, 31, 23, 45)));
    EXPECT_TRUE(resolves("in 1h", new_years_eve(), utc(2027, 1, 1, 0, 30)));
    EXPECT_TRUE(resolves("2026-12-31 23:45", new_years_eve(), utc(2026, 12, 31, 23, 45)));
    EXPECT_TRUE(fails("today 11pm", new_years_eve(), "That time (2026-12-31 23:00) is already past",
                      "这个时间（2026-12-31 23:00）已经过去了"));
    EXPECT_TRUE(fails("this thu", new_years_eve(), "(2026-12-31 09:00)"));
    EXPECT_TRUE(fails("2026-12-31", new_years_eve(), "(2026-12-31 09:00)"));
}

}  // namespace
}  // namespace fu
