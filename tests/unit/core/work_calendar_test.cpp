// Working time: the holiday file, working days, and working-hour arithmetic in
// Shanghai (with the 2026 holidays) and New York (across both DST switches).
#include "core/work_calendar.hpp"

#include <date/tz.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

namespace fu {
namespace {

using namespace std::chrono_literals;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;
using testing::HasSubstr;

constexpr TimePoint kNever = TimePoint::max();
constexpr std::uint8_t kMonFri = 0b0011111;
constexpr std::uint8_t kEveryDay = 0b1111111;

sys_days day(int y, unsigned m, unsigned d) {
    return sys_days{date::sys_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch()};
}

TimePoint utc(int y, unsigned m, unsigned d, int h, int min = 0) { return day(y, m, d) + hours{h} + minutes{min}; }

// Wall time in a zone; the library throws for a time skipped or repeated by DST,
// so a test cannot silently pick the wrong side of a switch.
TimePoint wall(const char* zone, int y, unsigned m, unsigned d, int h, int min = 0) {
    const date::local_seconds lt{day(y, m, d).time_since_epoch() + hours{h} + minutes{min}};
    return date::locate_zone(zone)->to_sys(lt);
}
TimePoint sh(int y, unsigned m, unsigned d, int h, int min = 0) { return wall("Asia/Shanghai", y, m, d, h, min); }
TimePoint ny(int y, unsigned m, unsigned d, int h, int min = 0) { return wall("America/New_York", y, m, d, h, min); }

// The 2026 notice (国务院办公厅关于2026年部分节假日安排的通知), written out here
// independently of config/holidays/cn.txt so the two check each other.
struct Span {
    sys_days first, last;
};
const std::vector<Span> kOff2026 = {
    {day(2026, 1, 1), day(2026, 1, 3)},   {day(2026, 2, 15), day(2026, 2, 23)}, {day(2026, 4, 4), day(2026, 4, 6)},
    {day(2026, 5, 1), day(2026, 5, 5)},   {day(2026, 6, 19), day(2026, 6, 21)}, {day(2026, 9, 25), day(2026, 9, 27)},
    {day(2026, 10, 1), day(2026, 10, 7)},
};
const std::set<sys_days> kMakeUp2026 = {day(2026, 1, 4), day(2026, 2, 14), day(2026, 2, 28),
                                        day(2026, 5, 9), day(2026, 9, 20), day(2026, 10, 10)};

bool off_2026(sys_days d) {
    for (const auto& s : kOff2026)
        if (s.first <= d && d <= s.last) return true;
    return false;
}

const HolidayCalendar& cn() {
    static const HolidayCalendar cal = HolidayCalendar::parse(builtin_holidays_cn());
    return cal;
}

WorkSchedule schedule(const char* zone, int start, int end, std::uint8_t days, const HolidayCalendar* h) {
    return WorkSchedule{date::locate_zone(zone), start, end, days, h};
}

WorkCalendar shanghai_cn() { return WorkCalendar{schedule("Asia/Shanghai", 9 * 60, 18 * 60, kMonFri, &cn())}; }
WorkCalendar new_york(int start = 9 * 60, int end = 18 * 60, std::uint8_t days = kMonFri) {
    return WorkCalendar{schedule("America/New_York", start, end, days, nullptr)};
}

std::string parse_error(const std::string& text) {
    try {
        HolidayCalendar::parse(text);
    } catch (const CalendarError& e) {
        return e.what();
    }
    return "(parsed without error)";
}

// ---- the holiday file ----------------------------------------------------------

TEST(HolidayCalendar, ParsesRangesSingleDaysNamesAndComments) {
    const auto cal = HolidayCalendar::parse(
        "# a comment line\n"
        "\n"
        "   \n"
        "2026-01-01..2026-01-03 off 元旦\n"
        "2026-01-04 work 元旦调休   # trailing comment\n"
        "\t2026-03-02   off\n");
    EXPECT_EQ(cal.size(), 5u);
    for (auto d : {day(2026, 1, 1), day(2026, 1, 2), day(2026, 1, 3)}) {
        const auto* e = cal.find(d);
        ASSERT_NE(e, nullptr);
        EXPECT_EQ(e->kind, HolidayCalendar::Kind::off);
        EXPECT_EQ(e->name, "元旦");
    }
    ASSERT_NE(cal.find(day(2026, 1, 4)), nullptr);
    EXPECT_EQ(cal.find(day(2026, 1, 4))->kind, HolidayCalendar::Kind::work);
    EXPECT_EQ(cal.find(day(2026, 1, 4))->name, "元旦调休");
    ASSERT_NE(cal.find(day(2026, 3, 2)), nullptr);
    EXPECT_EQ(cal.find(day(2026, 3, 2))->name, "");
    EXPECT_EQ(cal.find(day(2025, 12, 31)), nullptr);
    EXPECT_EQ(cal.find(day(2026, 1, 5)), nullptr);
}

TEST(HolidayCalendar, ToleratesCrlfAndBom) {
    const auto cal =
        HolidayCalendar::parse("\xEF\xBB\xBF# header\r\n2026-05-01..2026-05-02 off 劳动节\r\n2026-05-09 work\r\n");
    EXPECT_EQ(cal.size(), 3u);
    ASSERT_NE(cal.find(day(2026, 5, 1)), nullptr);
    EXPECT_EQ(cal.find(day(2026, 5, 1))->name, "劳动节");  // no stray '\r'
    ASSERT_NE(cal.find(day(2026, 5, 9)), nullptr);
    EXPECT_EQ(cal.find(day(2026, 5, 9))->kind, HolidayCalendar::Kind::work);
}

TEST(HolidayCalendar, EmptyTextIsAnEmptyCalendar) {
    EXPECT_EQ(HolidayCalendar::parse("").size(), 0u);
    EXPECT_EQ(HolidayCalendar::parse("# only a comment\n\n").size(), 0u);
}

TEST(HolidayCalendar, ErrorsNameTheLineAndWhatIsWrong) {
    struct Case {
        std::string line, says;
    };
    const Case cases[] = {
        {"2026-02-30 off", "\"2026-02-30\" is not a date"},
        {"2026-13-01 off", "\"2026-13-01\" is not a date"},
        {"2026/03/01 off", "\"2026/03/01\" is not a date"},
        {"2026-03-01..2026-02-30 off", "\"2026-02-30\" is not a date"},
        {"hello world", "\"hello\" is not a date"},
        {"2026-03-01 holiday 假", "must be off or work, not \"holiday\""},
        {"2026-03-01", "kind (off or work) is missing"},
        {"2026-03-05..2026-03-01 off", "ends (2026-03-01) before it starts (2026-03-05)"},
        {"2026-01-02 work", "2026-01-02 is already listed on line 2"},
        {"2025-12-30..2026-01-01 off", "2026-01-01 is already listed on line 2"},
        {"2026-03-01..2027-03-05 off", "longer than a year"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.line);
        const auto msg = parse_error("# header\n2026-01-01..2026-01-03 off 元旦\n" + c.line + "\n2026-12-01 off\n");
        EXPECT_THAT(msg, HasSubstr("line 3: "));
        EXPECT_THAT(msg, HasSubstr(c.says));
    }
}

TEST(HolidayCalendar, LoadFileReadsTheFileAndNamesItInErrors) {
    const auto dir = std::filesystem::path(testing::TempDir());
    const auto good = (dir / "work_calendar_good.txt").string();
    const auto bad = (dir / "work_calendar_bad.txt").string();
    std::ofstream(good) << "2026-06-19..2026-06-21 off 端午节\n";
    std::ofstream(bad) << "2026-06-19 off\n2026-06-31 off\n";
    EXPECT_EQ(HolidayCalendar::load_file(good).size(), 3u);
    try {
        HolidayCalendar::load_file(bad);
        ADD_FAILURE() << "a bad date was accepted";
    } catch (const CalendarError& e) {
        EXPECT_THAT(e.what(), HasSubstr(bad + ": line 2: "));
    }
    EXPECT_THROW(HolidayCalendar::load_file((dir / "no_such_holiday_file.txt").string()), CalendarError);
    EXPECT_THROW(HolidayCalendar::load_file(dir.string()), CalendarError);  // a directory
    std::filesystem::remove(good);
    std::filesystem::remove(bad);
}

TEST(HolidayCalendar, BuiltinChinaMatchesThe2026Notice) {
    for (auto d = day(2026, 1, 1); d <= day(2026, 12, 31); d += std::chrono::days{1}) {
        SCOPED_TRACE(date::format("%F", date::sys_days{d.time_since_epoch()}));
        const auto* e = cn().find(d);
        if (kMakeUp2026.count(d)) {
            ASSERT_NE(e, nullptr);
            EXPECT_EQ(e->kind, HolidayCalendar::Kind::work);
        } else if (off_2026(d)) {
            ASSERT_NE(e, nullptr);
            EXPECT_EQ(e->kind, HolidayCalendar::Kind::off);
        } else {
            EXPECT_EQ(e, nullptr);
        }
    }
    EXPECT_THAT(cn().find(day(2026, 2, 17))->name, HasSubstr("春节"));
    EXPECT_THAT(cn().find(day(2026, 10, 10))->name, HasSubstr("国庆"));
}

// ---- working days ----------------------------------------------------------------

TEST(WorkCalendar, ConstructorRejectsAnUnusableSchedule) {
    const auto* z = date::locate_zone("Asia/Shanghai");
    EXPECT_THROW(WorkCalendar(WorkSchedule{nullptr, 540, 1080, kMonFri, nullptr}), std::invalid_argument);
    EXPECT_THROW(WorkCalendar(WorkSchedule{z, 600, 600, kMonFri, nullptr}), std::invalid_argument);
    EXPECT_THROW(WorkCalendar(WorkSchedule{z, 700, 600, kMonFri, nullptr}), std::invalid_argument);
    EXPECT_THROW(WorkCalendar(WorkSchedule{z, -1, 600, kMonFri, nullptr}), std::invalid_argument);
    EXPECT_THROW(WorkCalendar(WorkSchedule{z, 0, 24 * 60 + 1, kMonFri, nullptr}), std::invalid_argument);
    EXPECT_NO_THROW(WorkCalendar(WorkSchedule{z, 0, 24 * 60, kMonFri, nullptr}));
}

TEST(WorkCalendar, MakeUpDaysWorkHolidaysRestWeekendsRest) {
    const auto h = HolidayCalendar::parse("2026-03-07 work 补班\n2026-03-04 off 假日\n");
    const WorkCalendar cal{schedule("Asia/Shanghai", 540, 1080, kMonFri, &h)};
    EXPECT_TRUE(cal.is_working_day(day(2026, 3, 7)));    // a Saturday, but a make-up workday
    EXPECT_FALSE(cal.is_working_day(day(2026, 3, 4)));   // a Wednesday, but a holiday
    EXPECT_FALSE(cal.is_working_day(day(2026, 3, 8)));   // an ordinary Sunday
    EXPECT_FALSE(cal.is_working_day(day(2026, 3, 14)));  // an ordinary Saturday
    EXPECT_TRUE(cal.is_working_day(day(2026, 3, 5)));    // an ordinary Thursday
    const WorkCalendar plain{schedule("Asia/Shanghai", 540, 1080, kMonFri, nullptr)};
    EXPECT_TRUE(plain.is_working_day(day(2026, 3, 4)));
    EXPECT_FALSE(plain.is_working_day(day(2026, 3, 7)));
}

TEST(WorkCalendar, DaysBitsStartOnMonday) {
    const WorkCalendar sun_only{schedule("Asia/Shanghai", 540, 1080, 0b1000000, nullptr)};
    const WorkCalendar mon_only{schedule("Asia/Shanghai", 540, 1080, 0b0000001, nullptr)};
    EXPECT_TRUE(sun_only.is_working_day(day(2026, 3, 8)));
    EXPECT_FALSE(sun_only.is_working_day(day(2026, 3, 9)));
    EXPECT_TRUE(mon_only.is_working_day(day(2026, 3, 9)));
    EXPECT_FALSE(mon_only.is_working_day(day(2026, 3, 10)));
}

TEST(WorkCalendar, EveryChineseMakeUpWorkdayOf2026IsWorked) {
    const auto cal = shanghai_cn();
    for (auto d : kMakeUp2026) {
        EXPECT_TRUE(cal.is_working_day(d));
        EXPECT_TRUE(cal.is_working_time(sh(2026, 1, 1, 10) + (d - day(2026, 1, 1))));
    }
    EXPECT_FALSE(cal.is_working_day(day(2026, 2, 16)));  // Monday in Spring Festival
    EXPECT_FALSE(cal.is_working_day(day(2026, 10, 7)));  // Wednesday, last day of National Day
    EXPECT_TRUE(cal.is_working_day(day(2026, 10, 8)));
}

TEST(WorkCalendar, LocalDateAndHolidayFollowTheZone) {
    const auto cal = shanghai_cn();
    EXPECT_EQ(cal.local_date(utc(2026, 2, 14, 16, 30)), day(2026, 2, 15));  // 00:30 on the 15th in Shanghai
    EXPECT_EQ(cal.local_date(utc(2026, 2, 14, 15, 59)), day(2026, 2, 14));
    ASSERT_NE(cal.holiday(utc(2026, 2, 14, 16, 30)), nullptr);
    EXPECT_EQ(cal.holiday(utc(2026, 2, 14, 16, 30))->kind, HolidayCalendar::Kind::off);
    EXPECT_EQ(cal.holiday(utc(2026, 2, 14, 15, 59))->kind, HolidayCalendar::Kind::work);
    EXPECT_EQ(cal.holiday(sh(2026, 3, 10, 10)), nullptr);
    EXPECT_EQ(new_york().holiday(ny(2026, 2, 16, 10)), nullptr);  // no calendar: nothing listed
}

TEST(WorkCalendar, WorkingDayLengthIsEndMinusStart) {
    EXPECT_EQ(shanghai_cn().working_day_length(), 9h);
    EXPECT_EQ(new_york(8 * 60 + 30, 12 * 60).working_day_length(), 3h + 30min);
    EXPECT_EQ(new_york(0, 24 * 60).working_day_length(), 24h);
}

// ---- windows in Shanghai -------------------------------------------------------

TEST(WorkCalendar, WindowIncludesItsStartAndExcludesItsEnd) {
    const auto cal = shanghai_cn();
    EXPECT_EQ(sh(2026, 3, 9, 9), utc(2026, 3, 9, 1));  // UTC+8, no DST
    EXPECT_FALSE(cal.is_working_time(sh(2026, 3, 9, 9) - 1s));
    EXPECT_TRUE(cal.is_working_time(sh(2026, 3, 9, 9)));
    EXPECT_TRUE(cal.is_working_time(sh(2026, 3, 9, 18) - 1s));
    EXPECT_FALSE(cal.is_working_time(sh(2026, 3, 9, 18)));
    EXPECT_FALSE(cal.is_working_time(sh(2026, 3, 7, 10)));  // Saturday
}

TEST(WorkCalendar, NextWorkingMoment) {
    const auto cal = shanghai_cn();
    EXPECT_EQ(cal.next_working_moment(sh(2026, 3, 9, 10, 17)), sh(2026, 3, 9, 10, 17));
    EXPECT_EQ(cal.next_working_moment(sh(2026, 3, 9, 7)), sh(2026, 3, 9, 9));
    EXPECT_EQ(cal.next_working_moment(sh(2026, 3, 9, 18)), sh(2026, 3, 10, 9));
    EXPECT_EQ(cal.next_working_moment(sh(2026, 3, 6, 19)), sh(2026, 3, 9, 9));    // Friday night -> Monday
    EXPECT_EQ(cal.next_working_moment(sh(2026, 4, 30, 19)), sh(2026, 5, 6, 9));   // 劳动节 5/1-5/5
    EXPECT_EQ(cal.next_working_moment(sh(2026, 5, 8, 19)), sh(2026, 5, 9, 9));    // make-up Saturday
    EXPECT_EQ(cal.next_working_moment(sh(2026, 9, 19, 10)), sh(2026, 9, 20, 9));  // make-up Sunday
    EXPECT_EQ(cal.next_working_moment(sh(2026, 9, 24, 18)), sh(2026, 9, 28, 9));  // 中秋 9/25-9/27
}

TEST(WorkCalendar, NextWindowStartIsStrictlyAfter) {
    const auto cal = shanghai_cn();
    EXPECT_EQ(cal.next_window_start(sh(2026, 3, 9, 8)), sh(2026, 3, 9, 9));
    EXPECT_EQ(cal.next_window_start(sh(2026, 3, 9, 9)), sh(2026, 3, 10, 9));
    EXPECT_EQ(cal.next_window_start(sh(2026, 3, 9, 12)), sh(2026, 3, 10, 9));
    EXPECT_EQ(cal.next_window_start(sh(2026, 3, 13, 12)), sh(2026, 3, 16, 9));
    EXPECT_EQ(cal.next_window_start(sh(2026, 2, 13, 12)), sh(2026, 2, 14, 9));  // make-up Saturday
    EXPECT_EQ(cal.next_window_start(sh(2026, 2, 14, 12)), sh(2026, 2, 24, 9));  // over Spring Festival
}

TEST(WorkCalendar, AddWorkingWithinADayAndToItsEnd) {
    const auto cal = shanghai_cn();
    EXPECT_EQ(cal.add_working(sh(2026, 3, 9, 10), 3h), sh(2026, 3, 9, 13));
    EXPECT_EQ(cal.add_working(sh(2026, 3, 9, 14), 4h), sh(2026, 3, 9, 18));  // the window's end, not 09:00 next day
    EXPECT_EQ(cal.add_working(sh(2026, 3, 9, 14), 4h + 1s), sh(2026, 3, 10, 9) + 1s);
    EXPECT_EQ(cal.add_working(sh(2026, 3, 9, 7), 1h), sh(2026, 3, 9, 10));
}

TEST(WorkCalendar, AddWorkingZeroOrNegativeIsTheNextWorkingMoment) {
    const auto cal = shanghai_cn();
    EXPECT_EQ(cal.add_working(sh(2026, 3, 7, 10), 0s), sh(2026, 3, 9, 9));
    EXPECT_EQ(cal.add_working(sh(2026, 3, 9, 11), 0s), sh(2026, 3, 9, 11));
    EXPECT_EQ(cal.add_working(sh(2026, 3, 7, 10), -5h), sh(2026, 3, 9, 9));
}

TEST(WorkCalendar, AddWorkingSkipsWeekendsAndHolidays) {
    const auto cal = shanghai_cn();
    EXPECT_EQ(cal.add_working(sh(2026, 3, 6, 16), 4h), sh(2026, 3, 9, 11));  // across a weekend
    // Spring Festival: Friday 17:00 + 4h = 1h on Friday, 3h on the make-up Saturday.
    EXPECT_EQ(cal.add_working(sh(2026, 2, 13, 17), 4h), sh(2026, 2, 14, 12));
    EXPECT_EQ(cal.add_working(sh(2026, 2, 14, 16), 4h), sh(2026, 2, 24, 11));  // 2h, then 9 days off
    EXPECT_EQ(cal.add_working(sh(2026, 4, 30, 17), 2h), sh(2026, 5, 6, 10));   // 劳动节 week
    EXPECT_EQ(cal.add_working(sh(2026, 5, 8, 17), 2h), sh(2026, 5, 9, 10));    // into the make-up Saturday
    // National Day: 1h on 9/30, then 10/8, 10/9 and the make-up Saturday 10/10.
    EXPECT_EQ(cal.add_working(sh(2026, 9, 30, 17), 27h), sh(2026, 10, 10, 17));
    EXPECT_EQ(cal.add_working(sh(2026, 9, 30, 17), 28h), sh(2026, 10, 10, 18));
    EXPECT_EQ(cal.add_working(sh(2026, 9, 30, 17), 28h + 1min), sh(2026, 10, 12, 9, 1));
    // Without the holiday file the same request lands on Labour Day itself.
    const WorkCalendar plain{schedule("Asia/Shanghai", 540, 1080, kMonFri, nullptr)};
    EXPECT_EQ(plain.add_working(sh(2026, 4, 30, 17), 2h), sh(2026, 5, 1, 10));
}

TEST(WorkCalendar, WorkingBetween) {
    const auto cal = shanghai_cn();
    EXPECT_EQ(cal.working_between(sh(2026, 3, 9, 10), sh(2026, 3, 9, 10)), 0s);
    EXPECT_EQ(cal.working_between(sh(2026, 3, 9, 12), sh(2026, 3, 9, 10)), 0s);
    EXPECT_EQ(cal.working_between(sh(2026, 3, 9, 7), sh(2026, 3, 9, 20)), 9h);
    EXPECT_EQ(cal.working_between(sh(2026, 3, 6, 17), sh(2026, 3, 9, 10)), 2h);
    EXPECT_EQ(cal.working_between(sh(2026, 2, 13, 17), sh(2026, 2, 24, 10)), 1h + 9h + 1h);
    EXPECT_EQ(cal.working_between(sh(2026, 9, 28, 0), sh(2026, 10, 13, 0)), 9h * 7);  // 9/28-30, 10/8-10, 10/12
}

// ---- New York across DST -----------------------------------------------------------

TEST(WorkCalendarDst, SpringForwardMovesTheWindowAnHourEarlierInUtc) {
    const auto cal = new_york();
    EXPECT_EQ(cal.next_working_moment(utc(2026, 3, 6, 12)), utc(2026, 3, 6, 14));  // Friday, EST
    EXPECT_EQ(cal.next_working_moment(utc(2026, 3, 7, 12)), utc(2026, 3, 9, 13));  // Monday, EDT
    EXPECT_EQ(cal.next_window_start(utc(2026, 3, 6, 15)), utc(2026, 3, 9, 13));
    EXPECT_EQ(cal.add_working(ny(2026, 3, 6, 17), 2h), utc(2026, 3, 9, 14));  // Fri 17:00 + 2h = Mon 10:00
    EXPECT_EQ(cal.working_between(ny(2026, 3, 6, 17), ny(2026, 3, 9, 10)), 2h);
    EXPECT_FALSE(cal.is_working_time(utc(2026, 3, 9, 12) + 59min));
    EXPECT_TRUE(cal.is_working_time(utc(2026, 3, 9, 13)));
}

TEST(WorkCalendarDst, FallBackMovesTheWindowAnHourLaterInUtc) {
    const auto cal = new_york();
    EXPECT_EQ(cal.next_working_moment(utc(2026, 10, 30, 12)), utc(2026, 10, 30, 13));  // Friday, EDT
    EXPECT_EQ(cal.next_working_moment(utc(2026, 10, 31, 12)), utc(2026, 11, 2, 14));   // Monday, EST
    EXPECT_EQ(cal.add_working(ny(2026, 10, 30, 17), 2h), utc(2026, 11, 2, 15));
    EXPECT_EQ(cal.working_between(ny(2026, 10, 30, 17), ny(2026, 11, 2, 10)), 2h);
}

TEST(WorkCalendarDst, AroundTheClockCountsTheRealLengthOfSwitchDays) {
    const auto cal = new_york(0, 24 * 60, kEveryDay);
    EXPECT_EQ(cal.working_between(ny(2026, 3, 8, 0), ny(2026, 3, 9, 0)), 23h);
    EXPECT_EQ(cal.working_between(ny(2026, 11, 1, 0), ny(2026, 11, 2, 0)), 25h);
    EXPECT_EQ(cal.add_working(ny(2026, 11, 1, 0), 24h), ny(2026, 11, 1, 23));
    EXPECT_EQ(cal.next_window_start(ny(2026, 3, 8, 12)), ny(2026, 3, 9, 0));
}

TEST(WorkCalendarDst, WindowEdgesInsideTheSwitchHours) {
    // 02:30 does not exist on 2026-03-08: the window starts at the jump, 03:00 EDT.
    const auto gap = new_york(2 * 60 + 30, 4 * 60, kEveryDay);
    EXPECT_EQ(gap.next_working_moment(utc(2026, 3, 8, 5)), utc(2026, 3, 8, 7));
    EXPECT_EQ(gap.working_between(ny(2026, 3, 8, 0), ny(2026, 3, 8, 12)), 1h);
    EXPECT_EQ(gap.working_between(ny(2026, 3, 7, 0), ny(2026, 3, 7, 12)), 1h + 30min);
    // 02:00-02:30 lies wholly in the gap: no working time that day at all.
    const auto lost = new_york(2 * 60, 2 * 60 + 30, kEveryDay);
    EXPECT_EQ(lost.next_working_moment(ny(2026, 3, 8, 0)), ny(2026, 3, 9, 2));
    EXPECT_EQ(lost.working_between(ny(2026, 3, 8, 0), ny(2026, 3, 9, 0)), 0s);
    // 01:30 happens twice on 2026-11-01: the window ends at its first pass (EDT).
    const auto overlap = new_york(0, 90, kEveryDay);
    EXPECT_EQ(overlap.working_between(ny(2026, 11, 1, 0), ny(2026, 11, 1, 12)), 1h + 30min);
    EXPECT_FALSE(overlap.is_working_time(utc(2026, 11, 1, 5, 30)));  // 01:30 EDT
    EXPECT_TRUE(overlap.is_working_time(utc(2026, 11, 1, 5, 29)));
}

// ---- properties ---------------------------------------------------------------------

TEST(WorkCalendar, AroundTheClockIsAlwaysWorkingTime) {
    for (const char* zone : {"Asia/Shanghai", "America/New_York"}) {
        SCOPED_TRACE(zone);
        const WorkCalendar cal{schedule(zone, 0, 24 * 60, kEveryDay, nullptr)};
        // Every 7 minutes over two months that include New York's spring-forward day.
        for (auto t = utc(2026, 2, 20, 0); t < utc(2026, 4, 20, 0); t += 7min) {
            ASSERT_TRUE(cal.is_working_time(t)) << to_unix(t);
            ASSERT_EQ(cal.next_working_moment(t), t);
            ASSERT_EQ(cal.add_working(t, 50h + 13min), t + 50h + 13min);
            ASSERT_EQ(cal.working_between(t, t + 30h), 30h);
        }
    }
}

TEST(WorkCalendar, WorkingBetweenUndoesAddWorking) {
    const WorkCalendar cals[] = {shanghai_cn(), new_york(), new_york(8 * 60 + 30, 17 * 60 + 15, 0b0111110)};
    for (const auto& cal : cals) {
        for (int i = 0; i < 300; ++i) {
            // ~26.9 h apart: walks through every hour of the day and every weekday of 2026.
            const auto t = utc(2026, 1, 1, 0) + seconds{i * 96'817};
            const auto d = seconds{(i * 7'919) % (100 * 3'600)};  // 0 to ~11 working days
            const auto end = cal.add_working(t, d);
            ASSERT_GE(end, t);
            ASSERT_EQ(cal.working_between(t, end), d) << "i=" << i;
            if (d > 0s) {
                ASSERT_TRUE(cal.is_working_time(end - 1s)) << "i=" << i;  // ends on the last working second
            }
        }
    }
}

// A per-minute model of Shanghai 2026 built only from the notice above and the
// fixed UTC+8 offset, against which the day-window arithmetic must agree exactly.
class ShanghaiModel {
public:
    ShanghaiModel() : worked_before_(kMinutes + 1, 0) {
        for (int m = 0; m < kMinutes; ++m) worked_before_[m + 1] = worked_before_[m] + (working(m) ? 1 : 0);
    }
    static TimePoint instant(int m) { return utc(2025, 12, 31, 16) + minutes{m}; }  // m = 0 at 2026-01-01 00:00 +08
    static bool working(int m) {
        const auto d = day(2026, 1, 1) + std::chrono::days{m / 1440};
        const int minute_of_day = m % 1440;
        const unsigned iso = date::weekday{date::sys_days{d.time_since_epoch()}}.iso_encoding();
        const bool day_worked = kMakeUp2026.count(d) || (iso <= 5 && !off_2026(d));
        return day_worked && minute_of_day >= 540 && minute_of_day < 1080;
    }
    seconds between(int a, int b) const { return minutes{worked_before_[b] - worked_before_[a]}; }
    static constexpr int kMinutes = 365 * 1440;

private:
    std::vector<int> worked_before_;
};

TEST(WorkCalendar, ShanghaiAgreesWithAPerMinuteModelOf2026) {
    const ShanghaiModel model;
    const auto cal = shanghai_cn();
    for (int i = 0; i < 400; ++i) {
        const int a = (i * 131'071) % (ShanghaiModel::kMinutes - 30 * 1440);
        const int b = a + (i * 8'191) % (20 * 1440);
        ASSERT_EQ(cal.is_working_time(ShanghaiModel::instant(a)), ShanghaiModel::working(a)) << "a=" << a;
        ASSERT_EQ(cal.working_between(ShanghaiModel::instant(a), ShanghaiModel::instant(b)), model.between(a, b))
            << "a=" << a << " b=" << b;
    }
}

// ---- the horizon: no endless search ------------------------------------------------

TEST(WorkCalendar, NoWorkingDaysMeansNever) {
    const auto cal = new_york(540, 1080, 0);
    const auto t = ny(2026, 3, 9, 10);
    EXPECT_FALSE(cal.is_working_day(day(2026, 3, 9)));
    EXPECT_FALSE(cal.is_working_time(t));
    EXPECT_EQ(cal.next_working_moment(t), kNever);
    EXPECT_EQ(cal.next_window_start(t), kNever);
    EXPECT_EQ(cal.add_working(t, 1h), kNever);
    EXPECT_EQ(cal.working_between(t, t + 24h * 30), 0s);
    EXPECT_EQ(cal.working_between(t, kNever), 0s);
}

TEST(WorkCalendar, MakeUpDaysWorkEvenWithNoWeekdays) {
    const WorkCalendar cal{schedule("Asia/Shanghai", 540, 1080, 0, &cn())};
    EXPECT_EQ(cal.next_working_moment(sh(2026, 1, 1, 0)), sh(2026, 1, 4, 9));
    EXPECT_EQ(cal.next_working_moment(sh(2026, 10, 10, 18)), kNever);  // the last listed make-up day is over
}

TEST(WorkCalendar, SearchesStopAfterFourHundredDays) {
    // Off from 2026-01-01 to 2027-02-04: the next working day, 2027-02-05, is 400 days
    // after 2026-01-01, one past the last day a search from there looks at.
    const auto long_break = HolidayCalendar::parse("2026-01-01..2026-12-31 off\n2027-01-01..2027-02-04 off\n");
    const WorkCalendar cal{schedule("Asia/Shanghai", 540, 1080, kEveryDay, &long_break)};
    EXPECT_EQ(cal.next_working_moment(sh(2026, 1, 1, 0)), kNever);
    EXPECT_EQ(cal.next_working_moment(sh(2026, 1, 2, 0)), sh(2027, 2, 5, 9));  // 400 days ahead: still found
    const auto around_the_clock = new_york(0, 24 * 60, kEveryDay);
    EXPECT_EQ(around_the_clock.working_between(ny(2026, 1, 1, 0), kNever), 400 * 24h);
}

TEST(WorkCalendar, NeverStaysNever) {
    const auto cal = shanghai_cn();
    EXPECT_EQ(cal.next_working_moment(kNever), kNever);
    EXPECT_EQ(cal.next_window_start(kNever), kNever);
    EXPECT_EQ(cal.add_working(kNever, 1h), kNever);
    EXPECT_FALSE(cal.is_working_time(kNever));
    EXPECT_EQ(cal.working_between(kNever, kNever), 0s);
}

// ---- cost -----------------------------------------------------------------------------

TEST(WorkCalendar, TenWorkingDaysTakeMicroseconds) {
    const auto cal = shanghai_cn();
    constexpr int kCalls = 5'000;
    TimePoint sink{};
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kCalls; ++i) sink = std::max(sink, cal.add_working(sh(2026, 9, 1, 10) + minutes{i % 600}, 90h));
    const auto per_call = (std::chrono::steady_clock::now() - start) / kCalls;
    EXPECT_GT(sink, sh(2026, 9, 1, 10));
    // A minute-by-minute walk needs over 20,000 zone look-ups for this; day windows need ~40.
    EXPECT_LT(per_call, 50us);
}

}  // namespace
}  // namespace fu
