// Working time: a holiday file parser, and working windows found day by day
// (never minute by minute), so a scheduler tick can afford one per task.
#include "core/work_calendar.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>

namespace fu {

namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;
using Kind = HolidayCalendar::Kind;

constexpr TimePoint kNever = TimePoint::max();
// More than a year, so a whole year of listed holidays cannot hide a working day.
constexpr days kHorizon{400};
// Holiday ranges span days; a longer one is a typo that would fill memory.
constexpr days kLongestRange{366};

// ---- parsing -----------------------------------------------------------------

[[noreturn]] void fail(int line, const std::string& what) {
    throw CalendarError("line " + std::to_string(line) + ": " + what);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// Takes the first whitespace-separated word off the (trimmed) front of s.
std::string_view take_word(std::string_view& s) {
    s = trim(s);
    const auto end = std::find_if(s.begin(), s.end(), is_space) - s.begin();
    const auto word = s.substr(0, end);
    s = trim(s.substr(end));
    return word;
}

std::optional<sys_days> parse_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    int fields[3] = {0, 0, 0};
    int* field = fields;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i == 4 || i == 7) {
            ++field;
            continue;
        }
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
        *field = *field * 10 + (s[i] - '0');
    }
    const date::year_month_day ymd{date::year{fields[0]}, date::month{static_cast<unsigned>(fields[1])},
                                   date::day{static_cast<unsigned>(fields[2])}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{date::sys_days{ymd}.time_since_epoch()};
}

sys_days date_at(std::string_view text, int line) {
    if (auto d = parse_date(text)) return *d;
    fail(line, "\"" + std::string(text) + "\" is not a date (YYYY-MM-DD, or a range YYYY-MM-DD..YYYY-MM-DD)");
}

struct Entry {
    sys_days first, last;
    HolidayCalendar::Day day;
};

// One non-blank line without its comment: "<date>[..<date>] off|work [name]".
Entry parse_entry(std::string_view rest, int line) {
    const auto span = take_word(rest);
    const auto dots = span.find("..");
    const auto first_text = span.substr(0, dots);
    const auto last_text = dots == std::string_view::npos ? first_text : span.substr(dots + 2);
    const auto first = date_at(first_text, line);
    const auto last = date_at(last_text, line);
    if (last < first)
        fail(line,
             "the range ends (" + std::string(last_text) + ") before it starts (" + std::string(first_text) + ")");
    if (last - first >= kLongestRange) fail(line, "the range " + std::string(span) + " is longer than a year");
    const auto kind = take_word(rest);
    if (kind.empty()) fail(line, "the kind (off or work) is missing after " + std::string(span));
    if (kind != "off" && kind != "work") fail(line, "the kind must be off or work, not \"" + std::string(kind) + "\"");
    return {first, last, {kind == "off" ? Kind::off : Kind::work, std::string(rest)}};
}

std::string format_date(sys_days d) {
    const date::year_month_day ymd{date::sys_days{d.time_since_epoch()}};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
}

// The whole file, or nothing if it cannot be read (missing, a directory, an I/O error).
std::optional<std::string> read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    try {
        std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        if (in.bad()) return std::nullopt;
        return text;
    } catch (const std::ios_base::failure&) {  // how libstdc++ reports reading a directory
        return std::nullopt;
    }
}

}  // namespace

HolidayCalendar HolidayCalendar::parse(std::string_view text) {
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
    HolidayCalendar cal;
    std::map<sys_days, int> listed_on;  // for "already listed on line N"
    for (int line = 1; !text.empty(); ++line) {
        const auto eol = text.find('\n');
        auto content = text.substr(0, eol);
        text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
        content = trim(content.substr(0, content.find('#')));
        if (content.empty()) continue;
        const auto e = parse_entry(content, line);
        for (auto d = e.first; d <= e.last; d += days{1}) {
            if (const auto [it, fresh] = listed_on.emplace(d, line); !fresh)
                fail(line, format_date(d) + " is already listed on line " + std::to_string(it->second));
            cal.days_.emplace(d, e.day);
        }
    }
    return cal;
}

HolidayCalendar HolidayCalendar::load_file(const std::string& path) {
    const auto text = read_all(path);
    if (!text) throw CalendarError(path + ": cannot read the holiday file");
    try {
        return parse(*text);
    } catch (const CalendarError& e) {
        throw CalendarError(path + ": " + e.what());
    }
}

const HolidayCalendar::Day* HolidayCalendar::find(sys_days day) const {
    const auto it = days_.find(day);
    return it == days_.end() ? nullptr : &it->second;
}

std::optional<sys_days> HolidayCalendar::covered_until() const {
    if (days_.empty()) return std::nullopt;
    const date::year_month_day last{date::sys_days{days_.rbegin()->first.time_since_epoch()}};
    return sys_days{date::sys_days{last.year() / date::December / 31}.time_since_epoch()};
}

std::optional<int> HolidayCalendar::covered_days(TimePoint now) const {
    const auto until = covered_until();
    if (!until) return std::nullopt;
    const auto today = std::chrono::floor<std::chrono::days>(now);
    return std::max(0, static_cast<int>((*until - today).count()) + 1);
}

// ---- working time ------------------------------------------------------------

WorkCalendar::WorkCalendar(WorkSchedule s) : s_(s) {
    if (!s_.zone) throw std::invalid_argument("work schedule: a time zone is required");
    if (s_.start_minute < 0 || s_.start_minute >= s_.end_minute || s_.end_minute > 24 * 60)
        throw std::invalid_argument("work schedule: working hours must satisfy 0 <= start < end <= 24:00");
}

bool WorkCalendar::is_working_day(sys_days local_date) const {
    if (const auto* h = s_.holidays ? s_.holidays->find(local_date) : nullptr) return h->kind == Kind::work;
    const unsigned bit = date::weekday{date::sys_days{local_date.time_since_epoch()}}.iso_encoding() - 1;
    return (s_.days >> bit) & 1u;
}

TimePoint WorkCalendar::at(sys_days d, int minute) const {
    const date::local_seconds local{d.time_since_epoch() + minutes{minute}};
    return s_.zone->to_sys(local, date::choose::earliest);
}

// Day windows are ordered in time (choose::earliest never goes backwards), and
// the window of the day before t's local date ends by t's local midnight, which
// is not after t: so the first hit scanning from t's local date is the answer.
std::optional<WorkCalendar::Window> WorkCalendar::window_ending_after(TimePoint t) const {
    if (t == kNever) return std::nullopt;
    auto d = local_date(t);
    for (auto limit = d + kHorizon; d < limit; d += days{1}) {
        if (!is_working_day(d)) continue;
        const Window w{at(d, s_.start_minute), at(d, s_.end_minute)};
        if (w.end > t && w.start < w.end)  // empty when both ends fall in a DST gap
            return w;
    }
    return std::nullopt;
}

bool WorkCalendar::is_working_time(TimePoint t) const {
    const auto w = window_ending_after(t);
    return w && w->start <= t;
}

TimePoint WorkCalendar::next_working_moment(TimePoint t) const {
    const auto w = window_ending_after(t);
    return w ? std::max(w->start, t) : kNever;
}

TimePoint WorkCalendar::next_window_start(TimePoint t) const {
    auto w = window_ending_after(t);
    if (w && w->start <= t) w = window_ending_after(w->end);
    return w ? w->start : kNever;
}

TimePoint WorkCalendar::add_working(TimePoint t, seconds amount) const {
    if (t == kNever) return kNever;
    const auto limit = t + kHorizon;
    auto left = std::max(amount, seconds{0});
    for (auto w = window_ending_after(t); w && w->start < limit; w = window_ending_after(w->end)) {
        const auto from = std::max(w->start, t);
        if (left <= w->end - from) return from + left;
        left -= w->end - from;
    }
    return kNever;
}

seconds WorkCalendar::working_between(TimePoint a, TimePoint b) const {
    if (b <= a) return seconds{0};
    if (b - a > kHorizon) b = a + kHorizon;
    seconds sum{0};
    for (auto w = window_ending_after(a); w && w->start < b; w = window_ending_after(w->end))
        sum += std::min(w->end, b) - std::max(w->start, a);
    return sum;
}

seconds WorkCalendar::working_day_length() const { return minutes{s_.end_minute - s_.start_minute}; }

sys_days WorkCalendar::local_date(TimePoint t) const {
    return sys_days{date::floor<days>(s_.zone->to_local(t)).time_since_epoch()};
}

const HolidayCalendar::Day* WorkCalendar::holiday(TimePoint t) const {
    return s_.holidays ? s_.holidays->find(local_date(t)) : nullptr;
}

}  // namespace fu
