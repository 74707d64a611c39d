// Every time-expression form, read by a rep in Asia/Shanghai (UTC+8) on
// Wednesday 2026-03-04 at 10:00 local (02:00 UTC).
#include "time_test_util.hpp"

namespace fu {
namespace {

using testing::at;
using testing::fails;
using testing::resolves;
using testing::utc;

TimeContext shanghai() { return at("Asia/Shanghai", utc(2026, 3, 4, 2)); }

TEST(TimeExprShanghai, RelativeHoursInEveryWrittenForm) {
    for (const char* t :
         {"in 2h", "2h", "2 h", "in 2 hours", "2 hours", "2hr", "IN 2H", "2小时后", "2个小时后", "两小时后",
          "两个小时后", "二小时后", "2个钟头后", "２小时后", "2 hours later", "2h from now"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 4, 4))) << t;
}

TEST(TimeExprShanghai, RelativeMinutesInEveryWrittenForm) {
    for (const char* t : {"30m", "30 min", "30 mins", "30 minutes", "in 30 minutes", "half an hour", "in half an hour",
                          "半小时后", "半个小时后", "30分钟后", "三十分钟后", "30分后"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 4, 2, 30))) << t;
}

TEST(TimeExprShanghai, RelativeSecondsForShortWaits) {
    for (const char* t :
         {"in 20s", "20s", "20 sec", "20 secs", "20 seconds", "in 20 seconds", "20秒后", "二十秒后", "20秒钟后"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 4, 2, 0, 20))) << t;
    EXPECT_TRUE(resolves("1m30s", shanghai(), utc(2026, 3, 4, 2, 1, 30)));
}

TEST(TimeExprShanghai, CombinedHoursAndMinutes) {
    for (const char* t : {"1h30m", "1h 30m", "1 hour 30 minutes", "1 hour and 30 minutes", "1.5h", "一个半小时后",
                          "1小时30分钟后", "90 min"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 4, 3, 30))) << t;
}

TEST(TimeExprShanghai, ChineseNumeralsUpToNinetyNine) {
    EXPECT_TRUE(resolves("十分钟后", shanghai(), utc(2026, 3, 4, 2, 10)));
    EXPECT_TRUE(resolves("二十五分钟后", shanghai(), utc(2026, 3, 4, 2, 25)));
    EXPECT_TRUE(resolves("九十九分钟后", shanghai(), utc(2026, 3, 4, 3, 39)));
    EXPECT_TRUE(resolves("十二小时后", shanghai(), utc(2026, 3, 4, 14)));
    EXPECT_TRUE(resolves("一小时后", shanghai(), utc(2026, 3, 4, 3)));
}

TEST(TimeExprShanghai, RelativeDaysAndWeeksAreExactDurations) {
    for (const char* t : {"in 3 days", "3d", "3 days", "3天后", "三天后"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 7, 2))) << t;
    for (const char* t : {"1w", "1 week", "in a week", "1周后", "一周后", "一个星期后", "1个礼拜后"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 11, 2))) << t;
}

TEST(TimeExprShanghai, RelativeDaysFollowedByAClockMeanThatDay) {
    EXPECT_TRUE(resolves("3天后上午10点", shanghai(), utc(2026, 3, 7, 2)));
    EXPECT_TRUE(resolves("in 2 days at 3pm", shanghai(), utc(2026, 3, 6, 7)));
}

TEST(TimeExprShanghai, DayWordsUseTheDefaultTimeOfDay) {
    for (const char* t : {"tomorrow", "Tomorrow", "tmr", "tmrw", "明天", "明日"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 5, 1))) << t;
    for (const char* t : {"day after tomorrow", "the day after tomorrow", "后天"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 6, 1))) << t;
    EXPECT_TRUE(resolves("大后天", shanghai(), utc(2026, 3, 7, 1)));
}

TEST(TimeExprShanghai, TheDefaultTimeOfDayComesFromTheContext) {
    EXPECT_TRUE(resolves("tomorrow", at("Asia/Shanghai", utc(2026, 3, 4, 2), 8 * 60 + 30), utc(2026, 3, 5, 0, 30)));
}

TEST(TimeExprShanghai, TodayWithAClockStillAheadIsToday) {
    for (const char* t : {"today 3pm", "today at 15:00", "今天下午3点", "今日 15:00", "3pm today"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 4, 7))) << t;
    EXPECT_TRUE(resolves("tonight", shanghai(), utc(2026, 3, 4, 12)));
    EXPECT_TRUE(resolves("今晚8点", shanghai(), utc(2026, 3, 4, 12)));
    EXPECT_TRUE(resolves("this afternoon", shanghai(), utc(2026, 3, 4, 6)));
}

TEST(TimeExprShanghai, DayThenClockWithOrWithoutSpace) {
    for (const char* t :
         {"tomorrow 10am", "tomorrow at 10am", "tomorrow 10:00", "10am tomorrow", "at 10am tomorrow", "明天上午10点",
          "明天 上午10点", "明天10点", "明天 10:00", "明天十点", "tomorrow 10 am", "明早10点", "明天，10点"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 5, 2))) << t;
    EXPECT_TRUE(resolves("tomorrow morning", shanghai(), utc(2026, 3, 5, 1)));
    EXPECT_TRUE(resolves("明天下午", shanghai(), utc(2026, 3, 5, 6)));
    EXPECT_TRUE(resolves("明晚", shanghai(), utc(2026, 3, 5, 12)));
}

TEST(TimeExprShanghai, PlainWeekdayIsTheNextOneStillAhead) {
    for (const char* t : {"fri", "friday", "Friday", "on friday", "周五", "星期五", "礼拜五"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 6, 1))) << t;
    for (const char* t :
         {"fri 3pm", "friday at 3pm", "3pm fri", "周五 下午3点", "周五下午3点", "星期五下午三点", "礼拜五 15:00"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 6, 7))) << t;
    for (const char* t : {"sun", "sunday", "周日", "周天", "星期天", "星期日", "礼拜天"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 8, 1))) << t;
    for (const char* t : {"tue", "tues", "tuesday", "周二"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 10, 1))) << t;
}

TEST(TimeExprShanghai, TodaysWeekdayIsTodayOnlyWhileTheMomentIsAhead) {
    // It is Wednesday 10:00: wed 3pm is today, bare wed (09:00) is next week.
    EXPECT_TRUE(resolves("wed 3pm", shanghai(), utc(2026, 3, 4, 7)));
    EXPECT_TRUE(resolves("周三下午3点", shanghai(), utc(2026, 3, 4, 7)));
    EXPECT_TRUE(resolves("wed", shanghai(), utc(2026, 3, 11, 1)));
    EXPECT_TRUE(resolves("周三", shanghai(), utc(2026, 3, 11, 1)));
}

TEST(TimeExprShanghai, NextWeekdayIsInTheNextCalendarWeek) {
    for (const char* t : {"next fri", "next friday", "下周五", "下星期五", "下礼拜五", "下个星期五"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 13, 1))) << t;
    for (const char* t : {"next mon", "下周一", "下周一9点", "next monday 9am", "下周一 上午9点"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 9, 1))) << t;
    EXPECT_TRUE(resolves("next week", shanghai(), utc(2026, 3, 9, 1)));
    EXPECT_TRUE(resolves("下周", shanghai(), utc(2026, 3, 9, 1)));
}

TEST(TimeExprShanghai, ThisWeekdayIsThisCalendarWeekOrAnError) {
    for (const char* t : {"this fri", "这周五", "本周五", "这星期五"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 6, 1))) << t;
    EXPECT_TRUE(fails("这周一", shanghai(), "(2026-03-02 09:00) is already past", "2026-03-02 09:00"));
}

TEST(TimeExprShanghai, ClockAloneIsTodayIfAheadElseTomorrow) {
    for (const char* t : {"3pm", "3 pm", "15:00", "at 3pm", "下午3点", "下午三点", "15点", "3:00pm", "3 p.m."})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 4, 7))) << t;
    EXPECT_TRUE(resolves("3:15pm", shanghai(), utc(2026, 3, 4, 7, 15)));
    EXPECT_TRUE(resolves("下午3点一刻", shanghai(), utc(2026, 3, 4, 7, 15)));
    EXPECT_TRUE(resolves("noon", shanghai(), utc(2026, 3, 4, 4)));
    EXPECT_TRUE(resolves("中午12点", shanghai(), utc(2026, 3, 4, 4)));
    EXPECT_TRUE(resolves("晚上8点", shanghai(), utc(2026, 3, 4, 12)));
    EXPECT_TRUE(resolves("傍晚6点", shanghai(), utc(2026, 3, 4, 10)));
    EXPECT_TRUE(resolves("十一点", shanghai(), utc(2026, 3, 4, 3)));
    // Already past today: tomorrow.
    for (const char* t : {"9am", "9 am", "9:00", "上午9点", "9点", "九点"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 5, 1))) << t;
    EXPECT_TRUE(resolves("9:30am", shanghai(), utc(2026, 3, 5, 1, 30)));
    EXPECT_TRUE(resolves("9点半", shanghai(), utc(2026, 3, 5, 1, 30)));
    EXPECT_TRUE(resolves("9点15分", shanghai(), utc(2026, 3, 5, 1, 15)));
    EXPECT_TRUE(resolves("9点15", shanghai(), utc(2026, 3, 5, 1, 15)));
    EXPECT_TRUE(resolves("早上8点", shanghai(), utc(2026, 3, 5, 0)));
    EXPECT_TRUE(resolves("3点一刻", shanghai(), utc(2026, 3, 4, 7, 15)));  // a bare 3 is 15:00 (see below)
    // Exactly now is not ahead.
    EXPECT_TRUE(resolves("10:00", shanghai(), utc(2026, 3, 5, 2)));
}

// Working hours: a bare hour 1–6 (no period word, no am/pm) is in the afternoon.
TEST(TimeExprShanghai, BareHoursOneToSixMeanTheAfternoon) {
    for (const char* t : {"3点", "三点", "3点钟", "3:00", "3时", "15:00", "15点", "下午3点", "3pm"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 4, 7))) << t;
    for (const char* t : {"3点半", "3:30", "三点半", "3点30分", "today 3:30", "this afternoon 3:30"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 4, 7, 30))) << t;
    EXPECT_TRUE(resolves("1点", shanghai(), utc(2026, 3, 4, 5)));
    EXPECT_TRUE(resolves("6:59", shanghai(), utc(2026, 3, 4, 10, 59)));
    EXPECT_TRUE(resolves("今天5:30", shanghai(), utc(2026, 3, 4, 9, 30)));
    for (const char* t : {"明天3点", "明天 3:00", "明天三点", "tomorrow 3:00", "3:00 tomorrow"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 5, 7))) << t;
    for (const char* t : {"周五4点", "周五 4:00", "星期五四点", "fri 4:00"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 6, 8))) << t;
    EXPECT_TRUE(resolves("下周一2点", shanghai(), utc(2026, 3, 9, 6)));
    EXPECT_TRUE(resolves("in 2 days at 3:30", shanghai(), utc(2026, 3, 6, 7, 30)));
    EXPECT_TRUE(resolves("3天后3点", shanghai(), utc(2026, 3, 7, 7)));
    EXPECT_TRUE(resolves("2026-12-01 3:00", shanghai(), utc(2026, 12, 1, 7)));
    EXPECT_TRUE(resolves("12月1日4点", shanghai(), utc(2026, 12, 1, 8)));
}

TEST(TimeExprShanghai, HoursZeroAndSevenToTwentyThreeStayAsWritten) {
    EXPECT_TRUE(resolves("7点", shanghai(), utc(2026, 3, 4, 23)));  // 07:00 tomorrow
    EXPECT_TRUE(resolves("7:30", shanghai(), utc(2026, 3, 4, 23, 30)));
    EXPECT_TRUE(resolves("0点", shanghai(), utc(2026, 3, 4, 16)));  // midnight
    EXPECT_TRUE(resolves("0:30", shanghai(), utc(2026, 3, 4, 16, 30)));
    EXPECT_TRUE(resolves("11:30", shanghai(), utc(2026, 3, 4, 3, 30)));
    EXPECT_TRUE(resolves("12点", shanghai(), utc(2026, 3, 4, 4)));
    EXPECT_TRUE(resolves("18:00", shanghai(), utc(2026, 3, 4, 10)));
    EXPECT_TRUE(resolves("明天8点", shanghai(), utc(2026, 3, 5, 0)));
}

TEST(TimeExprShanghai, ExplicitMorningMarkersAndPaddedClocksKeepEarlyHours) {
    for (const char* t : {"凌晨3点", "上午3点", "早上3点", "3am", "3 am", "3:00am", "3 a.m.", "03:00", "03点",
                          "明早3点", "tomorrow 3am", "明天凌晨3点", "明天上午3点"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 3, 4, 19))) << t;
    EXPECT_TRUE(resolves("凌晨3点半", shanghai(), utc(2026, 3, 4, 19, 30)));
    EXPECT_TRUE(resolves("早上6点", shanghai(), utc(2026, 3, 4, 22)));
    EXPECT_TRUE(resolves("2026-12-01 03:00", shanghai(), utc(2026, 11, 30, 19)));
    EXPECT_TRUE(resolves("2026-12-01T03:00", shanghai(), utc(2026, 11, 30, 19)));
    // Afternoon and evening markers read as before.
    EXPECT_TRUE(resolves("晚上6点", shanghai(), utc(2026, 3, 4, 10)));
    EXPECT_TRUE(resolves("中午1点", shanghai(), utc(2026, 3, 4, 5)));
}

TEST(TimeExprShanghai, AbsoluteDatesWithAndWithoutYear) {
    for (const char* t : {"2026-12-01", "2026/12/01", "2026-12-1", "12-01", "12月1日", "12月1号", "2026年12月1日",
                          "dec 1", "1 dec", "December 1st", "dec 1 2026", "十二月一日"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 12, 1, 1))) << t;
    for (const char* t :
         {"2026-12-01 10:00", "2026-12-01T10:00", "2026-12-01 10am", "12月1日上午10点", "12月1日 10:00", "dec 1 10am"})
        EXPECT_TRUE(resolves(t, shanghai(), utc(2026, 12, 1, 2))) << t;
}

TEST(TimeExprShanghai, DateWithoutYearIsTheNextOneStillAhead) {
    EXPECT_TRUE(resolves("3月1日", shanghai(), utc(2027, 3, 1, 1)));
    EXPECT_TRUE(resolves("03-04", shanghai(), utc(2027, 3, 4, 1)));          // today 09:00 is past
    EXPECT_TRUE(resolves("3月4日下午3点", shanghai(), utc(2026, 3, 4, 7)));  // today 15:00 is ahead
    EXPECT_TRUE(resolves("2月29日", shanghai(), utc(2028, 2, 29, 1)));
    EXPECT_TRUE(resolves("5号", shanghai(), utc(2026, 3, 5, 1)));
    EXPECT_TRUE(resolves("2号", shanghai(), utc(2026, 4, 2, 1)));
}

TEST(TimeExprShanghai, SurroundingSpacesAndFullWidthFormsAreIgnored) {
    EXPECT_TRUE(resolves("  tomorrow   10am  ", shanghai(), utc(2026, 3, 5, 2)));
    EXPECT_TRUE(resolves("明天\u3000１０：００", shanghai(), utc(2026, 3, 5, 2)));
}

TEST(TimeExprShanghai, UnknownWordsAreRejectedWithExamples) {
    for (const char* t : {"blah", "tomorrowish", "monkey", "someday", "明年", "3", "in", "next", "10", "tomorrow 10x",
                          "周八", "fri fri", "凌晨"})
        EXPECT_TRUE(fails(t, shanghai(), "I couldn't read the time", "看不懂时间")) << t;
    EXPECT_TRUE(fails("blah", shanghai(), "'blah'. Try: in 2h · tomorrow 10am · fri 3pm · 2026-12-01 10:00", "“blah”"));
    EXPECT_TRUE(fails("", shanghai(), "No time given", "没有给出时间"));
}

TEST(TimeExprShanghai, ImpossibleClocksSayWhichPart) {
    EXPECT_TRUE(fails("25:00", shanghai(), "no hour 25", "没有25点"));
    EXPECT_TRUE(fails("tomorrow 25:00", shanghai(), "'25:00' is not a valid time of day", "“25:00”"));
    EXPECT_TRUE(fails("9:75", shanghai(), "no minute 75", "没有75分"));
    EXPECT_TRUE(fails("13pm", shanghai(), "with am/pm the hour is 1–12", "1–12"));
    EXPECT_TRUE(fails("0am", shanghai(), "1–12", "1–12"));
    EXPECT_TRUE(fails("明天25点", shanghai(), "no hour 25", "没有25点"));
    EXPECT_TRUE(fails("上午15点", shanghai(), "no hour 15", "没有15点"));
}

TEST(TimeExprShanghai, ImpossibleDatesSayWhichPart) {
    EXPECT_TRUE(fails("2月30日", shanghai(), "month 2 has no day 30", "2月没有30日"));
    EXPECT_TRUE(fails("2026-13-01", shanghai(), "no month 13", "没有13月"));
    EXPECT_TRUE(fails("2026-02-29", shanghai(), "month 2 has no day 29", "2月没有29日"));
    EXPECT_TRUE(fails("4月31号", shanghai(), "month 4 has no day 31", "4月没有31日"));
    EXPECT_TRUE(fails("32号", shanghai(), "no day 32", "没有32号"));
    EXPECT_TRUE(fails("feb 30", shanghai(), "'feb 30' is not a valid date", "“feb 30”"));
}

TEST(TimeExprShanghai, MomentsInThePastAreRejectedInTheUsersZone) {
    EXPECT_TRUE(fails("2025-12-01", shanghai(), "That time (2025-12-01 09:00) is already past", "2025-12-01 09:00"));
    EXPECT_TRUE(fails("today", shanghai(), "(2026-03-04 09:00) is already past", "已经过去了"));
    EXPECT_TRUE(fails("today 9am", shanghai(), "(2026-03-04 09:00)", "（2026-03-04 09:00）"));
    EXPECT_TRUE(fails("今天上午8点", shanghai(), "(2026-03-04 08:00)", "已经过去了"));
    EXPECT_TRUE(fails("2026-03-04 09:59", shanghai(), "(2026-03-04 09:59)"));
}

}  // namespace
}  // namespace fu
