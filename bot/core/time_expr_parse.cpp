// Time expressions: syntax only (no clock, no zone). See time_expr.hpp for the forms.
#include <cmath>
#include <utility>

#include "core/lang_time_parser.hpp"

namespace fu::lang {

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    if (month != 2) return kDays[month - 1];
    bool leap = year == 0 || (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0));
    return leap ? 29 : 28;
}

namespace detail {

int cn_digit(char32_t cp) {
    switch (cp) {
        case U'零':
        case U'〇': return 0;
        case U'一': return 1;
        case U'二':
        case U'两': return 2;
        case U'三': return 3;
        case U'四': return 4;
        case U'五': return 5;
        case U'六': return 6;
        case U'七': return 7;
        case U'八': return 8;
        case U'九': return 9;
        default: return -1;
    }
}

bool Parser::cn_number(int& v) {
    std::size_t j = i, n = 0;
    int total = 0, cur = 0;
    bool any = false, last_digit = false;
    while (j < s.size()) {
        char32_t cp = decode(s, j, &n);
        int d = cn_digit(cp);
        if (d >= 0) {
            cur = last_digit ? cur * 10 + d : d;
            last_digit = true;
        } else if (cp == U'十' || cp == U'百') {
            total += (cur == 0 && !last_digit ? 1 : cur) * (cp == U'十' ? 10 : 100);
            cur = 0;
            last_digit = false;
        } else {
            break;
        }
        any = true;
        j += n;
        if (total + cur > 99999) return false;
    }
    if (!any) return false;
    v = total + cur;
    i = j;
    return true;
}

void Parser::fail(std::size_t start, const std::string& en_why, const std::string& zh_why) {
    if (*why) return;
    std::string shown(o.substr(start, i - start));
    *why = LocalizedText{"'" + shown + "' is not a valid " + en_why, "“" + shown + "”" + zh_why};
}

bool Parser::quantity(double& q) {
    std::size_t start = i;
    if (lit("半")) return q = 0.5, true;
    if (word("half")) {
        sp();
        if (word("an") || word("a")) return sp(), q = 0.5, true;
        return i = start, false;
    }
    if (word("an") || word("a")) return sp(), q = 1, true;
    int v = 0;
    if (digits(v, 1, 6)) {
        q = v;
        if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
            ++i;
            double scale = 0.1;
            while (i < s.size() && is_digit(s[i])) q += (s[i++] - '0') * scale, scale /= 10;
        }
        return true;
    }
    if (cn_number(v)) return q = v, true;
    return false;
}

std::int64_t Parser::unit() {
    static const std::pair<sv, std::int64_t> kUnits[] = {
        {"minutes", 60},
        {"minute", 60},
        {"mins", 60},
        {"min", 60},
        {"m", 60},
        {"hours", 3600},
        {"hour", 3600},
        {"hrs", 3600},
        {"hr", 3600},
        {"h", 3600},
        {"days", 86400},
        {"day", 86400},
        {"d", 86400},
        {"weeks", 604800},
        {"week", 604800},
        {"wks", 604800},
        {"wk", 604800},
        {"w", 604800},
        // Seconds: rarely said by people, but exact for short tests and demos ("in 20s").
        {"seconds", 1},
        {"second", 1},
        {"secs", 1},
        {"sec", 1},
        {"s", 1}};
    for (auto& [w, u] : kUnits)
        if (word(w)) return u;
    static const std::pair<sv, std::int64_t> kCn[] = {{"小时", 3600}, {"钟头", 3600},   {"分钟", 60},
                                                      {"天", 86400},  {"星期", 604800}, {"礼拜", 604800},
                                                      {"周", 604800}, {"秒钟", 1},      {"秒", 1}};
    for (auto& [w, u] : kCn)
        if (lit(w)) return u;
    if (peek("分") && (lit("分"), peek_suffix())) return 60;
    return 0;
}

bool Parser::relative(TimeSpec& d) {
    if (word("in")) sp();
    double total = 0;
    int count = 0;
    bool whole_days = true;
    std::size_t resume = i;
    while (true) {
        std::size_t s0 = i;
        double q = 0;
        if (!quantity(q)) break;
        sp();
        lit("个");
        if (lit("半")) q += 0.5;
        std::int64_t u = unit();
        if (!u) {
            i = s0;
            break;
        }
        total += q * static_cast<double>(u);
        ++count;
        if (u < 86400 || q != std::floor(q)) whole_days = false;
        resume = i;
        sp();
        if (word("and")) sp();
    }
    i = resume;
    if (!count || total <= 0 || total > 10.0 * 366 * 86400) return false;
    if (!(lit("以后") || lit("之后") || lit("后"))) {
        std::size_t save = i;
        sp();
        if (!word("later")) {
            if (word("from")) {
                sp();
                if (!word("now")) i = save;
            } else {
                i = save;
            }
        }
    }
    if (whole_days) {
        std::size_t save = i;
        gap();
        if (word("at")) sp();
        int m = 0;
        if (clock(m)) {
            d.day = TimeSpec::Day::offset;
            d.offset = static_cast<int>(total / 86400);
            d.minute = m;
            return true;
        }
        i = save;
    }
    d.relative = true;
    d.seconds = std::llround(total);
    return true;
}

bool Parser::day_then_clock(TimeSpec& d) {
    if (word("on") || word("by")) sp();
    if (!day(d)) return false;
    std::size_t save = i;
    if (d.day == TimeSpec::Day::date && i + 1 < s.size() && s[i] == 't' && is_digit(s[i + 1]))
        ++i;  // ISO 8601: 2026-12-01T10:00
    else
        gap();
    if (eod()) {  // fri eod · 明天下班前
        d.end_of_work = true;
        return true;
    }
    if (word("at")) sp();
    int m = 0;
    if (clock(m))
        d.minute = m;
    else if (bare_hour(m))
        d.minute = m, d.bare_hour = true;
    else
        i = save;
    return true;
}

bool Parser::clock_then_day(TimeSpec& d) {
    if (word("at") || word("by")) sp();
    int m = 0;
    if (eod()) {  // eod · end of day fri · 下班前: the end of that working day (no day: the next one ahead)
        std::size_t save = i;
        gap();
        if (word("on")) sp();
        TimeSpec dd;
        if (day(dd) && !dd.minute && !dd.end_of_work)
            d = dd;
        else
            i = save;
        d.end_of_work = true;
        d.implied_minute.reset();
        return true;
    }
    if (!clock(m)) return false;
    std::size_t save = i;
    gap();
    if (word("on")) sp();
    TimeSpec dd;
    if (day(dd))
        d = dd;
    else
        i = save;
    d.minute = m;
    return true;
}

}  // namespace detail

using detail::Parser;
using detail::Period;
using detail::sv;

std::optional<TimeSpec> parse_time_spec(sv lower, sv shown, std::optional<LocalizedText>* why) {
    std::optional<LocalizedText> ignored;
    Parser p{lower, shown, 0, Period::none, why ? why : &ignored};
    for (int alt = 0; alt < 3; ++alt) {
        p.i = 0;
        p.hint = Period::none;
        p.sp();
        TimeSpec d;
        bool ok = alt == 0 ? p.relative(d) : alt == 1 ? p.day_then_clock(d) : p.clock_then_day(d);
        if (ok && p.at_end()) return d;
    }
    return std::nullopt;
}

std::size_t time_prefix(sv s, bool* broken) {
    std::size_t lead = 0;
    while (lead < s.size() && s[lead] == ' ') ++lead;
    std::size_t cap = std::min(s.size(), lead + 120);
    std::size_t ends[160];
    std::size_t count = 0;
    for (std::size_t i = lead, n = 0; i < cap && count < 160; i += n) {
        char32_t cp = decode(s, i, &n);
        if (cp == ' ' || separator_len(s, i)) continue;
        std::size_t e = i + n;
        // a word boundary: anything but an ASCII letter or digit next, or a Chinese run
        if (e == s.size() || !(is_alpha(s[e]) || is_digit(s[e])) || is_cjk(cp)) ends[count++] = e;
    }
    std::optional<LocalizedText> why;  // the parser only records a part it has begun to read
    std::size_t found = 0;
    while (count > 0 && !found) {
        std::size_t e = ends[--count];
        sv part = s.substr(lead, e - lead);
        auto spec = parse_time_spec(part, part, broken ? &why : nullptr);
        // "明天 3个样品": an hour alone must not run on into a word.
        if (spec && (!spec->bare_hour || e == s.size() || gap_len(s, e))) found = e;
    }
    if (broken) *broken = why.has_value();
    return found;
}

namespace {

// Chinese words that begin a time; 上 and 昨 forms are in the past and never valid,
// but they are times all the same.
constexpr sv kCnTimeStarts[] = {"昨天",   "前天", "今天",   "明天",   "后天", "今晚",   "明早", "明晚",
                                "上个月", "上月", "下个月", "下月",   "本月", "这个月", "上周", "下周",
                                "本周",   "这周", "上星期", "下星期", "星期", "礼拜",   "月底", "月末",
                                "年底",   "上午", "下午",   "晚上",   "早上", "中午",   "凌晨", "下班"};

}  // namespace

bool starts_like_time(sv lower) {
    sv t = trim_gaps(lower);
    if (t.empty()) return false;
    if (is_digit(t[0])) return true;
    std::size_t n = 0;
    char32_t first = decode(t, 0, &n);
    auto cn_numeral = [](char32_t cp) { return detail::cn_digit(cp) >= 0 || cp == U'十'; };
    if (cn_numeral(first) && n < t.size()) {  // 三号, 十点: a Chinese number then a time unit
        std::size_t j = n;
        while (j < t.size()) {
            char32_t cp = decode(t, j, &n);
            if (!cn_numeral(cp)) break;
            j += n;
        }
        for (sv u : {"号", "日", "点", "月", "天", "小时", "分钟", "周"})
            if (t.substr(j).starts_with(u)) return true;
    }
    for (sv w : kCnTimeStarts)
        if (t.starts_with(w)) return true;
    for (sv w : {"周一", "周二", "周三", "周四", "周五", "周六", "周日", "周天", "周末"})
        if (t.starts_with(w)) return true;
    std::size_t e = 0;
    while (e < t.size() && is_alpha(t[e])) ++e;
    sv w = t.substr(0, e);
    static constexpr sv kEn[] = {"yesterday", "today",   "tomorrow", "tonight",   "tmr",      "tmrw",      "eod",
                                 "eom",       "eow",     "noon",     "weekend",   "last",     "monday",    "mon",
                                 "tuesday",   "tue",     "tues",     "wednesday", "wed",      "thursday",  "thu",
                                 "thur",      "thurs",   "friday",   "fri",       "saturday", "sat",       "sunday",
                                 "sun",       "january", "jan",      "february",  "feb",      "march",     "april",
                                 "apr",       "june",    "july",     "august",    "aug",      "september", "sept",
                                 "sep",       "october", "oct",      "november",  "nov",      "december",  "dec"};
    for (sv k : kEn)
        if (w == k) return true;
    return false;
}

std::size_t time_word_suffix(sv s) {
    std::size_t best = 0;
    for (sv w : kCnTimeStarts)
        if (s.ends_with(w) && w.size() > best) best = w.size();
    return best;
}

LocalizedText unknown_time_message(sv shown) {
    std::string t(shown.substr(0, 80));
    if (t.size() < shown.size()) {
        while (!t.empty() && (static_cast<unsigned char>(t.back()) & 0xC0) == 0x80) t.pop_back();
        if (!t.empty() && static_cast<unsigned char>(t.back()) >= 0xC0) t.pop_back();
        t += "…";
    }
    return {"I couldn't read the time '" + t +
                "'. Try: in 2h · tomorrow 10am · fri 3pm · 2026-12-01 10:00 · 明天上午10点 · 2小时后",
            "看不懂时间“" + t +
                "”。可以这样写：2小时后 · 明天上午10点 · 周五下午3点 · 2026-12-01 10:00 · in 2h · tomorrow 10am"};
}

std::optional<LocalizedText> time_syntax_error(sv text) {
    sv t = trim_gaps(text);
    if (t.empty())
        return LocalizedText{"No time given. Try: in 2h · tomorrow 10am · fri 3pm · 明天上午10点 · 2小时后",
                             "没有给出时间。可以这样写：2小时后 · 明天上午10点 · 周五下午3点 · in 2h"};
    if (t.size() > 160) return unknown_time_message(t);  // far longer than any time expression
    std::string lower = lower_ascii(t);
    std::optional<LocalizedText> why;
    if (parse_time_spec(lower, t, &why)) return std::nullopt;
    return why ? *why : unknown_time_message(t);
}

}  // namespace fu::lang
