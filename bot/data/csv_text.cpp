// CSV text in and out (see csv_text.hpp).
#include "data/csv_text.hpp"

#include <csv.h>
#include <iconv.h>

#include <date/date.h>
#include <date/tz.h>
#include <cerrno>
#include <cstring>

namespace fu::data::csv {

namespace {

std::optional<std::string> from_gb18030(std::string_view bytes) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::string out;
    out.resize(bytes.size() * 2 + 16);
    std::string in(bytes);
    char* inp = in.data();
    std::size_t inleft = in.size();
    std::size_t used = 0;
    bool ok = true;
    while (inleft > 0) {
        char* outp = out.data() + used;
        std::size_t outleft = out.size() - used;
        const std::size_t r = iconv(cd, &inp, &inleft, &outp, &outleft);
        used = out.size() - outleft;
        if (r == static_cast<std::size_t>(-1)) {
            if (errno == E2BIG) {
                out.resize(out.size() * 2);
                continue;
            }
            ok = false;  // EILSEQ / EINVAL: not GB18030 either
            break;
        }
    }
    iconv_close(cd);
    if (!ok) return std::nullopt;
    out.resize(used);
    return out;
}

}  // namespace

Decoded decode(std::string_view bytes) {
    constexpr std::string_view bom = "\xEF\xBB\xBF";
    if (bytes.starts_with(bom)) {
        bytes.remove_prefix(bom.size());
        if (valid_utf8(bytes)) return {std::string(bytes), "utf-8-bom"};
        return {};
    }
    if (valid_utf8(bytes)) return {std::string(bytes), "utf-8"};
    if (auto text = from_gb18030(bytes)) return {std::move(*text), "gbk"};
    return {};
}

namespace {

struct ParseState {
    Parsed* out;
    std::vector<std::string> cells;
    std::size_t records = 0;
};

void on_field(void* field, std::size_t len, void* data) {
    auto* st = static_cast<ParseState*>(data);
    st->cells.emplace_back(field ? static_cast<const char*>(field) : "", field ? len : 0);
}

void on_record(int, void* data) {
    auto* st = static_cast<ParseState*>(data);
    ++st->records;
    st->out->records.push_back(Record{st->records, std::move(st->cells)});
    st->cells.clear();
}

}  // namespace

Parsed parse(std::string_view text) {
    Parsed out;
    csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) throw std::bad_alloc();
    ParseState st{&out, {}, 0};
    const std::size_t done = csv_parse(&p, text.data(), text.size(), on_field, on_record, &st);
    if (done != text.size()) {
        out.error_row = st.records + 1;
    } else if (csv_fini(&p, on_field, on_record, &st) != 0) {
        out.error_row = st.records + 1;
        out.unterminated = true;
    }
    csv_free(&p);
    return out;
}

namespace {
bool formula_start(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }
}  // namespace

std::string unguard(std::string cell) {
    if (cell.size() >= 2 && cell.front() == '\'' && formula_start(cell[1])) cell.erase(0, 1);
    return cell;
}

void append_field(std::string& out, std::string_view field) {
    std::string guarded;
    if (!field.empty() && formula_start(field.front())) {
        guarded = "'" + std::string(field);
        field = guarded;
    }
    const std::string_view f = field;
    const bool quote = f.find_first_of(",\"\r\n") != std::string_view::npos ||
                       (!f.empty() && (f.front() == ' ' || f.back() == ' ' || f.front() == '\t' || f.back() == '\t'));
    if (!quote) {
        out += f;
        return;
    }
    out += '"';
    for (const char c : f) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

void append_record(std::string& out, const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        append_field(out, fields[i]);
    }
    out += "\r\n";
}

namespace {

// Reads 1..max digits.
bool digits(std::string_view& s, int max, int& value) {
    int n = 0;
    value = 0;
    while (n < max && !s.empty() && s.front() >= '0' && s.front() <= '9') {
        value = value * 10 + (s.front() - '0');
        s.remove_prefix(1);
        ++n;
    }
    return n > 0;
}

bool eat(std::string_view& s, std::string_view what) {
    if (!s.starts_with(what)) return false;
    s.remove_prefix(what.size());
    return true;
}

bool eat_date_sep(std::string_view& s, std::string_view cjk) {
    return eat(s, "-") || eat(s, "/") || eat(s, ".") || eat(s, cjk);
}

void skip_spaces(std::string_view& s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}

}  // namespace

std::optional<TimePoint> parse_time(std::string_view text, const date::time_zone* zone, int default_minute) {
    const std::string trimmed = trim(text);
    std::string_view s = trimmed;
    int y = 0, mo = 0, d = 0;
    if (s.size() < 8 || !digits(s, 4, y) || y < 1900 || !eat_date_sep(s, "年") || !digits(s, 2, mo) ||
        !eat_date_sep(s, "月") || !digits(s, 2, d))
        return std::nullopt;
    eat(s, "日");
    const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                   date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    int minutes = default_minute, seconds = 0;
    std::optional<int> offset_minutes;
    if (!s.empty()) {
        if (!eat(s, "T")) skip_spaces(s);
        int h = 0, mi = 0;
        if (!digits(s, 2, h) || !eat(s, ":") || !digits(s, 2, mi) || h > 23 || mi > 59) return std::nullopt;
        if (eat(s, ":")) {
            if (!digits(s, 2, seconds) || seconds > 59) return std::nullopt;
        }
        minutes = h * 60 + mi;
        skip_spaces(s);
        if (eat(s, "Z") || eat(s, "z")) {
            offset_minutes = 0;
        } else if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
            const int sign = s.front() == '-' ? -1 : 1;
            s.remove_prefix(1);
            int oh = 0, om = 0;
            std::string_view hh = s.substr(0, 2);
            if (hh.size() != 2 || !digits(hh, 2, oh)) return std::nullopt;
            s.remove_prefix(2);
            eat(s, ":");
            if (!s.empty()) {
                std::string_view mm = s.substr(0, 2);
                if (mm.size() != 2 || !digits(mm, 2, om)) return std::nullopt;
                s.remove_prefix(2);
            }
            if (oh > 14 || om > 59) return std::nullopt;
            offset_minutes = sign * (oh * 60 + om);
        }
        if (!s.empty()) return std::nullopt;
    }
    const auto local_seconds = date::local_days{ymd} + std::chrono::minutes(minutes) + std::chrono::seconds(seconds);
    if (offset_minutes) {
        const auto utc = date::sys_days{ymd} + std::chrono::minutes(minutes) + std::chrono::seconds(seconds) -
                         std::chrono::minutes(*offset_minutes);
        return TimePoint{std::chrono::duration_cast<Seconds>(utc.time_since_epoch())};
    }
    if (!zone) return std::nullopt;
    const auto sys = zone->to_sys(local_seconds, date::choose::earliest);
    return std::chrono::time_point_cast<Seconds>(sys);
}

std::string iso_time(TimePoint t, const date::time_zone* zone) {
    const auto info = zone ? zone->get_info(t) : date::sys_info{};
    const auto offset = zone ? std::chrono::duration_cast<std::chrono::minutes>(info.offset) : std::chrono::minutes(0);
    const TimePoint local = t + offset;
    std::string out = date::format("%Y-%m-%dT%H:%M:%S", local);
    if (offset.count() == 0) return out + "Z";
    const auto m = offset.count() < 0 ? -offset.count() : offset.count();
    char buf[8];
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset.count() < 0 ? '-' : '+', static_cast<int>(m / 60),
                  static_cast<int>(m % 60));
    return out + buf;
}

std::string trim(std::string_view s) {
    auto is_space = [](std::string_view v, bool front) {
        if (v.empty()) return std::size_t{0};
        const char c = front ? v.front() : v.back();
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return std::size_t{1};
        constexpr std::string_view ideographic = "\xE3\x80\x80";  // U+3000, the full-width space
        if (front ? v.starts_with(ideographic) : v.ends_with(ideographic)) return ideographic.size();
        return std::size_t{0};
    };
    while (auto n = is_space(s, true)) s.remove_prefix(n);
    while (auto n = is_space(s, false)) s.remove_suffix(n);
    return std::string(s);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string fnv1a_hex(std::string_view s) {
    std::uint64_t h = 1469598103934665603ULL;
    for (const char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

}  // namespace fu::data::csv
