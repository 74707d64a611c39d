#pragma once
// Working time: a person's working hours and days in their time zone, minus
// public holidays, plus make-up workdays (调休). Every SOP clock that counts
// "working hours" (first response, second reminder, escalation) and every
// quiet-hours decision goes through here. Pure; time zones from date/tz.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace date {
class time_zone;
}

namespace fu {

// Public holidays and make-up workdays, loaded from a data file (one region).
//
// File format (UTF-8; `#` starts a comment; blank lines ignored), one entry a line:
//   2026-01-01..2026-01-03 off 元旦          a range of days off (both ends included)
//   2026-10-08 off 国庆节                    one day off
//   2026-01-04 work 元旦调休                  a make-up workday (even on a weekend)
// The name (rest of the line) is optional; CRLF line ends and a UTF-8 BOM are
// accepted. A day listed twice, a bad date, a range whose end is before its start
// or that spans more than 366 days, or a kind other than off/work is an error.
class HolidayCalendar {
public:
    enum class Kind { off, work };
    struct Day {
        Kind kind;
        std::string name;
    };

    HolidayCalendar() = default;
    // Throws CalendarError naming the line and what is wrong.
    static HolidayCalendar parse(std::string_view text);
    static HolidayCalendar load_file(const std::string& path);  // CalendarError also for an unreadable file

    // The listed entry for a civil date, if any.
    const Day* find(std::chrono::sys_days day) const;
    std::size_t size() const { return days_.size(); }

    // The last day the calendar speaks for: the end of the latest year it lists
    // (a State Council notice covers a whole year; a day of that year not
    // listed is an ordinary one). nullopt for an empty calendar.
    std::optional<std::chrono::sys_days> covered_until() const;
    // Days from `now`'s UTC date up to and including covered_until(), 0 once it
    // is past; nullopt for an empty calendar (no holidays configured).
    std::optional<int> covered_days(TimePoint now) const;
    // A calendar that ends within this many days is warned of (start-up log,
    // /metrics, the admin's status).
    static constexpr int kWarnDays = 60;

private:
    std::map<std::chrono::sys_days, Day> days_;  // civil date (as sys_days) -> entry
};

class CalendarError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One person's working time.
struct WorkSchedule {
    const date::time_zone* zone = nullptr;      // required
    int start_minute = 9 * 60;                  // local, minutes after midnight
    int end_minute = 18 * 60;                   // exclusive; 24 * 60 allowed
    std::uint8_t days = 0b0011111;              // bit 0 = Monday … bit 6 = Sunday
    const HolidayCalendar* holidays = nullptr;  // may be null: no holidays
};

// Answers about one schedule. All instants are UTC TimePoints (whole seconds).
//
// A working window runs, on a working day, from the first instant the local clock
// reads start_minute to the first instant it reads end_minute (choose::earliest):
// a time skipped by a spring-forward jump means the instant of the jump, and a
// time repeated by a fall-back means its first pass. So windows never overlap, and
// 00:00-24:00 every day covers all time (a 23- or 25-hour day included).
//
// Searches look at most 400 local days ahead. A schedule with no working window
// in that span (days == 0 and no make-up workday near, or a year of holidays) is
// "never": next_working_moment, next_window_start and add_working then return
// TimePoint::max(), as they do when given TimePoint::max(). working_between counts
// only the first 400 days after a.
class WorkCalendar {
public:
    // Throws std::invalid_argument without a zone or unless 0 <= start < end <= 24:00.
    explicit WorkCalendar(WorkSchedule s);

    // A civil date (local to the schedule's zone) is a working day: a listed
    // make-up workday, or else a weekday in `days` that is not a listed day off.
    bool is_working_day(std::chrono::sys_days local_date) const;
    // Inside a working window right now (start inclusive, end exclusive).
    bool is_working_time(TimePoint t) const;
    // t itself if working time; else the start of the next working window.
    TimePoint next_working_moment(TimePoint t) const;
    // The start of the first working window that starts strictly after t.
    TimePoint next_window_start(TimePoint t) const;
    // The instant after `amount` of working time counted from t (time outside
    // working windows does not count). amount 0 (or negative) -> next_working_moment(t);
    // an amount that ends exactly at a window's end gives that end.
    TimePoint add_working(TimePoint t, std::chrono::seconds amount) const;
    // Working time between a and b (0 if b <= a).
    std::chrono::seconds working_between(TimePoint a, TimePoint b) const;
    // One working day, as working time: end_minute - start_minute.
    std::chrono::seconds working_day_length() const;
    // The local civil date of t.
    std::chrono::sys_days local_date(TimePoint t) const;
    // The holiday entry (off or make-up) for t's local date, if any.
    const HolidayCalendar::Day* holiday(TimePoint t) const;

    const WorkSchedule& schedule() const { return s_; }

private:
    struct Window {
        TimePoint start, end;  // start < end
    };
    // The first instant the local clock reads `minute` on local date d.
    TimePoint at(std::chrono::sys_days d, int minute) const;
    // The first working window ending after t (it may contain t); none within the horizon.
    std::optional<Window> window_ending_after(TimePoint t) const;

    WorkSchedule s_;
};

}  // namespace fu

namespace fu {
// The shipped calendar of mainland China (config/holidays/cn.txt, built in).
std::string_view builtin_holidays_cn();
}  // namespace fu
