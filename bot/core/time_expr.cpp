// Time expressions: resolving the syntax tree against the user's clock and zone.
#include "core/time_expr.hpp"

#include <date/tz.h>

#include <cstdio>

#include "core/lang_text.hpp"
#include "core/lang_time.hpp"

namespace fu {

namespace {

using lang::TimeSpec;
using std::chrono::days;
using std::chrono::minutes;

// Local wall time -> instant. A time inside a spring-forward gap is read with the
// offset in force before the gap (02:30 -> 03:30 the new offset); an ambiguous one
// takes the earliest instant.
TimePoint to_instant(const date::time_zone* z, date::local_seconds lt) {
    date::local_info info = z->get_info(lt);
    return TimePoint{(lt - info.first.offset).time_since_epoch()};
}

std::string format_local(const date::time_zone* z, TimePoint t) {
    auto lt = z->to_local(t);
    auto ld = date::floor<days>(lt);
    date::year_month_day ymd{ld};
    auto hm = std::chrono::duration_cast<minutes>(lt - ld).count();
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(hm / 60),
                  static_cast<int>(hm % 60));
    return buf;
}

TimeError past(const date::time_zone* z, TimePoint t) {
    std::string when = format_local(z, t);
    return {{"That time (" + when + ") is already past. Try a later time, e.g. tomorrow 10am or in 2h.",
             "这个时间（" + when + "）已经过去了。请换一个以后的时间，例如：明天上午10点 · 2小时后"}};
}

}  // namespace

std::variant<TimePoint, TimeError> resolve_time(std::string_view text, const TimeContext& ctx) {
    std::string norm = lang::normalized(text);
    std::string_view shown = lang::trim_gaps(norm);
    if (auto err = lang::time_syntax_error(shown)) return TimeError{*err};
    std::string lower = lang::lower_ascii(shown);
    TimeSpec spec = *lang::parse_time_spec(lower, shown, nullptr);
    if (spec.relative) return ctx.now + Seconds{spec.seconds};

    const date::time_zone* z = ctx.zone;
    auto local_now = z->to_local(ctx.now);
    date::local_days today = date::floor<days>(local_now);
    int minute =
        spec.minute.value_or(spec.end_of_work ? ctx.end_minute : spec.implied_minute.value_or(ctx.default_minute));
    auto at = [&](date::local_days d) { return to_instant(z, d + minutes{minute}); };
    auto working = [&](date::local_days d) {
        if (ctx.working_day) return ctx.working_day(d);
        return date::weekday{d}.iso_encoding() <= 5;
    };
    // The last working day among [first, last]; `last` itself when none is.
    auto last_working = [&](date::local_days first, date::local_days last) {
        for (date::local_days d = last; d >= first; d -= days{1})
            if (working(d)) return d;
        return last;
    };
    auto ahead = [&](TimePoint t) -> std::variant<TimePoint, TimeError> {
        if (t <= ctx.now) return past(z, t);
        return t;
    };
    unsigned iso_today = date::weekday{today}.iso_encoding();  // 1 Monday … 7 Sunday
    date::local_days monday = today - days{iso_today - 1};

    using D = TimeSpec::Day;
    switch (spec.day) {
        case D::none: {
            if (spec.end_of_work && !spec.minute) {  // eod: the end of the next working day still ahead
                for (int k = 0; k < 60; ++k)
                    if (working(today + days{k}) && at(today + days{k}) > ctx.now) return at(today + days{k});
            }
            TimePoint t = at(today);
            return t > ctx.now ? t : at(today + days{1});
        }
        case D::offset: return ahead(at(today + days{spec.offset}));
        case D::weekday:
            for (int k = 0; k <= 7; ++k) {
                date::local_days d = today + days{k};
                if (static_cast<int>(date::weekday{d}.iso_encoding()) == spec.weekday && at(d) > ctx.now) return at(d);
            }
            break;
        case D::next_weekday: return ahead(at(monday + days{7 + spec.weekday - 1}));
        case D::this_weekday: return ahead(at(monday + days{spec.weekday - 1}));
        case D::next_week: return ahead(at(monday + days{7}));
        case D::month_day:
        case D::month_end: {
            date::year_month_day ymd{today};
            auto ym = date::year_month{ymd.year(), ymd.month()} + date::months{spec.month_offset};
            int y = static_cast<int>(ym.year()), m = static_cast<int>(static_cast<unsigned>(ym.month()));
            date::local_days first{ym / 1}, last{ym / date::last};
            if (spec.day == D::month_end) return ahead(at(last_working(first, last)));
            if (spec.mday > lang::days_in_month(y, m)) {
                char ym_text[16];
                std::snprintf(ym_text, sizeof ym_text, "%04d-%02d", y, m);
                return TimeError{{"That month (" + std::string(ym_text) + ") has no day " + std::to_string(spec.mday) +
                                      ". Try: end of month · 1st of next month · 2026-12-01",
                                  "那个月（" + std::string(ym_text) + "）没有" + std::to_string(spec.mday) +
                                      "号。可以这样写：月底 · 下个月1号 · 12月1日"}};
            }
            return ahead(at(first + days{spec.mday - 1}));
        }
        case D::week_end:
            return ahead(at(last_working(monday + days{7 * spec.offset}, monday + days{7 * spec.offset + 6})));
        case D::date: {
            date::year_month_day ymd{today};
            int year = static_cast<int>(ymd.year());
            if (spec.year) {
                auto d = date::local_days{date::year{spec.year} / spec.month / spec.mday};
                return ahead(at(d));
            }
            if (spec.month) {
                for (int y = year; y <= year + 8; ++y) {
                    if (spec.mday > lang::days_in_month(y, spec.month)) continue;
                    TimePoint t = at(date::local_days{date::year{y} / spec.month / spec.mday});
                    if (t > ctx.now) return t;
                }
                break;
            }
            int m0 = static_cast<int>(static_cast<unsigned>(ymd.month()));
            for (int k = 0; k < 24; ++k) {
                int y = year + (m0 - 1 + k) / 12, m = (m0 - 1 + k) % 12 + 1;
                if (spec.mday > lang::days_in_month(y, m)) continue;
                TimePoint t = at(date::local_days{date::year{y} / m / spec.mday});
                if (t > ctx.now) return t;
            }
            break;
        }
    }
    return TimeError{lang::unknown_time_message(shown)};
}

std::size_t time_prefix_length(std::string_view text) {
    lang::Normalized n = lang::normalize(text);
    std::size_t end = lang::time_prefix(lang::lower_ascii(n.text));
    return end ? n.source[end] : 0;
}

}  // namespace fu
