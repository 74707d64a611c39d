#pragma once
// Time expressions in English and Chinese, read in the speaking user's zone:
//   relative   in 2h · 30m · 1h30m · in 3 days · 2小时后 · 半小时后 · 30分钟后 · 3天后
//   day words  today · tomorrow · fri · friday · next fri · 今天 · 明天 · 后天 · 周五 · 星期五 · 下周一
//   clock      9am · 9:30am · 15:00 · 3pm · 下午3点 · 上午9点半 · 晚上8点 · 9点15分
//   absolute   2026-12-01 10:00 · 2026-12-01 · 12-01 · 12/01 (month/day) · 12月1日 · 12月1号
//   deadlines  eod · end of day · 下班前 · fri eod · 明天下班前 · end of month · eom · 月底 · 下个月底 ·
//              end of week · eow · 周末前 · 1st of next month · 下个月1号 · 本月15号 · weekend · 周末 · 下周末
//   and a day followed by a clock: tomorrow 10am · fri 3pm · 明天上午10点 · 周五 下午3点 ·
//   or by an hour alone: monday 9 · next tuesday at 2 (14:00, by the working-hours rule)
// A day without a clock means the default time of day (09:00); a clock
// without a day means the next such moment (today if still ahead, else tomorrow).
// The end of the working day (end_minute) is the clock of eod / 下班前, and of
// 月底 / end of month and 周末前 / end of week, which fall on the last working day
// of the month or week; eod alone is the end of the next working day still ahead.
// Weekend / 周末 is the Saturday.
#include <date/date.h>

#include <cstddef>
#include <functional>
#include <string_view>
#include <variant>

#include "core/clock.hpp"
#include "core/text.hpp"

namespace date {
class time_zone;
}

namespace fu {

struct TimeError {
    LocalizedText message;  // what was wrong, and examples of the right form
};

struct TimeContext {
    TimePoint now;
    const date::time_zone* zone;  // the speaking user's zone; never null
    int default_minute = 9 * 60;  // time of day for a bare day word
    int end_minute = 18 * 60;     // the end of the working day: eod, 下班前, 月底
    // Whether a local date is a working day (月底 is the month's last one); null: Monday to Friday.
    std::function<bool(date::local_days)> working_day;
};

// Resolves a whole expression (surrounding spaces ignored). Errors for unknown
// words, impossible dates/clocks (25:00, 2月30日) and moments in the past.
std::variant<TimePoint, TimeError> resolve_time(std::string_view text, const TimeContext& ctx);

// Length in bytes of the longest prefix of `text` that is a valid time
// expression, ending at a space or, for Chinese, inside a word
// ("明天上午10点打电话" -> the bytes of "明天上午10点"). 0 if none.
// Syntax only: needs no clock or zone.
std::size_t time_prefix_length(std::string_view text);

}  // namespace fu
