// Time expressions in English and Chinese, resolved against a fixed clock in
// two zones (Shanghai, and New York across a daylight-saving change) with the
// built-in holiday calendar; and the prefix rule that finds one at the start
// of a command's text.
#include <date/tz.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "core/time_expr.hpp"
#include "core/work_calendar.hpp"

namespace {
using namespace fu;

struct World {
    HolidayCalendar holidays = HolidayCalendar::parse(builtin_holidays_cn());
    // Monday 2026-11-23 10:00 in Shanghai; Saturday 2026-10-31 22:00 in New
    // York, the day before clocks go back.
    TimeContext shanghai{from_unix(1795399200), date::locate_zone("Asia/Shanghai")};
    TimeContext new_york{from_unix(1793498400), date::locate_zone("America/New_York"), 8 * 60, 17 * 60};
    World() {
        shanghai.working_day = [this](date::local_days d) {
            if (const auto* day = holidays.find(std::chrono::sys_days{d.time_since_epoch()}))
                return day->kind == HolidayCalendar::Kind::work;
            const date::weekday wd{d};
            return wd != date::Saturday && wd != date::Sunday;
        };
    }
};

void check(std::string_view text, const TimeContext& ctx) {
    const auto r = resolve_time(text, ctx);
    if (const auto* e = std::get_if<TimeError>(&r)) {
        if (e->message.en.empty() || e->message.zh.empty()) std::abort();  // an error says what was wrong
    } else if (std::get<TimePoint>(r) < ctx.now) {
        std::abort();  // a moment in the past is refused, never returned
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const World w;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check(text, w.shanghai);
    check(text, w.new_york);
    if (time_prefix_length(text) > text.size()) std::abort();
    return 0;
}
