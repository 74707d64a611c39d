#pragma once
// Private to fu_lang: the syntax tree of a time expression, before it meets a clock and zone.
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/text.hpp"

namespace fu::lang {

struct TimeSpec {
    enum class Day {
        none,          // a clock alone: the next such moment
        offset,        // today + offset days
        weekday,       // first such weekday still ahead
        next_weekday,  // that weekday of next calendar week
        this_weekday,  // that weekday of this calendar week
        next_week,     // Monday of next week
        date,          // year (0: next such date), month (0: next such day of month), mday
        month_day,     // mday of this month (month_offset 0) or a later one: 下个月1号, 1st of next month
        month_end,     // the last working day of this month (+ month_offset): 月底, end of month
        week_end,      // the last working day of this week (+ offset weeks): 周末前, end of week
    };
    bool relative = false;
    std::int64_t seconds = 0;  // relative: now + seconds
    Day day = Day::none;
    int offset = 0;
    int weekday = 0;  // ISO: 1 Monday … 7 Sunday
    int year = 0, month = 0, mday = 0;
    int month_offset = 0;
    // No clock given: the end of the working day rather than its start (eod, 下班前, 月底).
    bool end_of_work = false;
    bool bare_hour = false;             // the clock is an hour alone (monday 9): it must be followed by a gap
    std::optional<int> minute;          // explicit clock, minutes after local midnight (may be 1440)
    std::optional<int> implied_minute;  // from the day word (tonight, 明早)
};

// Parses the whole of `lower` (normalised, lower-case). On failure returns nullopt and,
// when some part was recognised but impossible (25:00, 2月30日), sets *why, quoting
// from `shown` (the same text in its original case, same byte offsets).
std::optional<TimeSpec> parse_time_spec(std::string_view lower, std::string_view shown,
                                        std::optional<LocalizedText>* why);

int days_in_month(int year, int month);  // year 0: any year (February has 29)

}  // namespace fu::lang
