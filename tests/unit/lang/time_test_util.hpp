#pragma once
// Helpers for the time-expression tests: fixed clocks in named zones, exact UTC instants.
#include <date/date.h>
#include <date/tz.h>
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "core/time_expr.hpp"

namespace fu::testing {

inline TimePoint utc(int y, unsigned mo, unsigned d, int h, int mi = 0, int sec = 0) {
    return TimePoint{date::sys_days{date::year{y} / mo / d}.time_since_epoch() + std::chrono::hours{h} +
                     std::chrono::minutes{mi} + std::chrono::seconds{sec}};
}

inline std::string show(TimePoint t) { return date::format("%Y-%m-%d %H:%M:%S UTC", t); }

inline TimeContext at(const char* zone, TimePoint now, int default_minute = 9 * 60) {
    return TimeContext{now, date::locate_zone(zone), default_minute};
}

// Resolves `text` and asserts the exact instant.
inline ::testing::AssertionResult resolves(const std::string& text, const TimeContext& ctx, TimePoint want) {
    auto r = resolve_time(text, ctx);
    if (auto* e = std::get_if<TimeError>(&r))
        return ::testing::AssertionFailure() << "'" << text << "' failed: " << e->message.en;
    auto got = std::get<TimePoint>(r);
    if (got != want)
        return ::testing::AssertionFailure() << "'" << text << "' -> " << show(got) << ", want " << show(want);
    return ::testing::AssertionSuccess();
}

// Asserts an error whose English and Chinese messages contain the given fragments.
inline ::testing::AssertionResult fails(const std::string& text, const TimeContext& ctx,
                                        const std::string& en_part = {}, const std::string& zh_part = {}) {
    auto r = resolve_time(text, ctx);
    if (auto* t = std::get_if<TimePoint>(&r))
        return ::testing::AssertionFailure() << "'" << text << "' unexpectedly resolved to " << show(*t);
    const auto& m = std::get<TimeError>(r).message;
    if (m.en.empty() || m.zh.empty()) return ::testing::AssertionFailure() << "'" << text << "': empty message";
    if (m.en.find(en_part) == std::string::npos || m.zh.find(zh_part) == std::string::npos)
        return ::testing::AssertionFailure() << "'" << text << "': message was '" << m.en << "' / '" << m.zh << "'";
    return ::testing::AssertionSuccess();
}

}  // namespace fu::testing
