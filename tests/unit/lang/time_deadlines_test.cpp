// What a rep types for a deadline, and an hour alone after a day word, read by a
// rep in Asia/Shanghai (UTC+8) on Wednesday 2026-03-04 at 10:00 local (02:00 UTC),
// working 09:00–18:00 Monday to Friday unless a test says otherwise.
#include "time_test_util.hpp"

namespace fu {
namespace {

using testing::at;
using testing::fails;
using testing::resolves;
using testing::utc;

TimeContext shanghai() { return at("Asia/Shanghai", utc(2026, 3, 4, 2)); }

// ---- an hour alone after a day word ----

TEST(TimeDeadlines, AnHourAloneAfterADayWordIsItsClock) {
    for (const char* t : {"monday 9", "mon 9", "next monday 9", "周一 9", "下周一 9", "monday at 9", "monday 09"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 9, 1))) << t;
    for (const char* t : {"tomorrow 10", "明天 10", "tomorrow at 10"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 5, 2))) << t;
    EXPECT_TRUE(resolves("12/24 11", shanghai(), utc(2026, 12, 24, 3)));
}

TEST(TimeDeadlines, AnHourAloneFollowsTheWorkingHoursRule) {
    // 1–6 with no am/pm is the afternoon, as 3点 is; the evening of tonight stays the evening.
    for (const char* t : {"next tuesday at 2", "next tue 2", "下周二 2", "tuesday 2"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 10, 6))) << t;
    EXPECT_TRUE(resolves("tomorrow 6", shanghai(), utc(2026, 3, 5, 10)));
    EXPECT_TRUE(resolves("tomorrow 7", shanghai(), utc(2026, 3, 4, 23)));
    EXPECT_TRUE(resolves("tonight 8", shanghai(), utc(2026, 3, 4, 12)));
    EXPECT_TRUE(resolves("tomorrow 03", shanghai(), utc(2026, 3, 4, 19)));  // zero-padded: as written
}

TEST(TimeDeadlines, AnHourMustStandAlone) {
    EXPECT_EQ(time_prefix_length("next tuesday at 2 call"), std::string("next tuesday at 2").size());
    EXPECT_EQ(time_prefix_length("monday 9 call"), std::string("monday 9").size());
    EXPECT_EQ(time_prefix_length("明天 3个样品"), std::string("明天").size());
    EXPECT_EQ(time_prefix_length("monday 2026"), std::string("monday").size());
    EXPECT_EQ(time_prefix_length("tomorrow 1/2 price"), std::string("tomorrow").size());
    EXPECT_EQ(time_prefix_length("明天下班后 打电话"), std::string("明天").size());  // after work is not end of day
    EXPECT_TRUE(fails("monday 24", shanghai(), "I couldn't read the time", "看不懂时间"));
    EXPECT_TRUE(fails("monday 9x", shanghai(), "I couldn't read the time", "看不懂时间"));
}

// ---- the end of the working day ----

TEST(TimeDeadlines, EndOfDayIsTheEndOfTheWorkingDay) {
    for (const char* t : {"eod", "EOD", "end of day", "end of the day", "by eod", "by end of day", "today eod",
                          "下班前", "今天下班前", "下班之前", "cob"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 4, 10))) << t;
    for (const char* t : {"tomorrow eod", "eod tomorrow", "明天下班前", "明天 下班前", "end of day tomorrow"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 5, 10))) << t;
    for (const char* t : {"fri eod", "friday end of day", "周五下班前", "eod fri"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 6, 10))) << t;
}

TEST(TimeDeadlines, EndOfDayFollowsTheUsersHoursAndWorkingDays) {
    TimeContext c = shanghai();
    c.end_minute = 17 * 60 + 30;
    EXPECT_TRUE(resolves("eod", c, utc(2026, 3, 4, 9, 30)));
    // Friday 19:00: today's working day is over; the next one is Monday.
    EXPECT_TRUE(resolves("eod", at("Asia/Shanghai", utc(2026, 3, 6, 11)), utc(2026, 3, 9, 10)));
    EXPECT_TRUE(resolves("下班前", at("Asia/Shanghai", utc(2026, 3, 6, 11)), utc(2026, 3, 9, 10)));
    // Asked for today by name, a working day already over is past.
    EXPECT_TRUE(fails("today eod", at("Asia/Shanghai", utc(2026, 3, 6, 11)), "already past", "已经过去了"));
}

// ---- the end of the month and of the week ----

TEST(TimeDeadlines, EndOfMonthIsTheLastWorkingDayAtTheEndOfWork) {
    // March 2026 ends on a Tuesday.
    for (const char* t : {"end of month", "end of the month", "end of this month", "eom", "by end of month", "月底",
                          "月底前", "本月底", "这个月底", "月末"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 31, 10))) << t;
    // April 2026 ends on a Thursday; May 2026 on a Sunday, so its last working day is Friday the 29th.
    for (const char* t : {"end of next month", "下个月底", "下月底"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 4, 30, 10))) << t;
    EXPECT_TRUE(resolves("月底", at("Asia/Shanghai", utc(2026, 5, 4, 2)), utc(2026, 5, 29, 10)));
    EXPECT_TRUE(resolves("月底下午3点", shanghai(), utc(2026, 3, 31, 7)));
}

TEST(TimeDeadlines, EndOfMonthSkipsDaysTheCalendarSaysAreOff) {
    TimeContext c = shanghai();
    c.working_day = [](date::local_days d) {
        return d != date::local_days{date::year{2026} / 3 / 31} && date::weekday{d}.iso_encoding() <= 5;
    };
    EXPECT_TRUE(resolves("月底", c, utc(2026, 3, 30, 10)));
}

TEST(TimeDeadlines, EndOfWeekIsTheLastWorkingDayOfTheWeek) {
    for (const char* t : {"end of week", "end of the week", "eow", "before the weekend", "周末前", "本周末前"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 6, 10))) << t;
    for (const char* t : {"end of next week", "下周末前"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 13, 10))) << t;
}

TEST(TimeDeadlines, TheWeekendIsItsSaturday) {
    for (const char* t : {"weekend", "the weekend", "this weekend", "周末", "这周末", "本周末", "这个周末"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 7, 1))) << t;
    for (const char* t : {"next weekend", "下周末", "下个周末"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 14, 1))) << t;
    EXPECT_TRUE(resolves("周末下午3点", shanghai(), utc(2026, 3, 7, 7)));
}

// ---- a day of this month or the next ----

TEST(TimeDeadlines, ADayOfNextMonth) {
    for (const char* t : {"1st of next month", "the 1st of next month", "the first of next month",
                          "first of next month", "下个月1号", "下月1号", "下个月1日", "下个月一号", "下个月 1号"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 4, 1, 1))) << t;
    EXPECT_TRUE(resolves("下个月15号下午3点", shanghai(), utc(2026, 4, 15, 7)));
    EXPECT_TRUE(resolves("15th of next month 3pm", shanghai(), utc(2026, 4, 15, 7)));
    EXPECT_TRUE(resolves("本月20号", shanghai(), utc(2026, 3, 20, 1)));
    EXPECT_TRUE(resolves("the 1st of the month", shanghai(), utc(2026, 4, 1, 1)));  // the next one
    EXPECT_TRUE(resolves("20th of this month", shanghai(), utc(2026, 3, 20, 1)));
    EXPECT_TRUE(fails("下个月31号", shanghai(), "That month (2026-04) has no day 31", "没有31号"));
    EXPECT_TRUE(fails("本月1号", shanghai(), "already past", "已经过去了"));
    EXPECT_TRUE(fails("下个月32号", shanghai(), "no day 32", "没有32号"));
}

// ---- numeric dates ----

TEST(TimeDeadlines, NumericDatesAreMonthFirst) {
    for (const char* t : {"12/24", "12-24", "12月24日", "12月24号", "12/24/2026", "dec 24"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 12, 24, 1))) << t;
    EXPECT_TRUE(resolves("12/24 3pm", shanghai(), utc(2026, 12, 24, 7)));
    EXPECT_TRUE(resolves("12/24 下午3点", shanghai(), utc(2026, 12, 24, 7)));
    // 1/2 is January 2nd, as Chinese and US writers mean it.
    EXPECT_TRUE(resolves("1/2", shanghai(), utc(2027, 1, 2, 1)));
    EXPECT_TRUE(fails("24/12", shanghai(), "no month 24 (dates are month/day: 12/24)", "日期写作 月/日：12/24"));
    EXPECT_TRUE(fails("2/30", shanghai(), "month 2 has no day 30", "2月没有30日"));
}

}  // namespace
}  // namespace fu
