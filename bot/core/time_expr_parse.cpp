// Time expressions: syntax only (no clock, no zone). See time_expr.hpp for the forms.
#include <cmath>
#include <utility>

#include "core/lang_text.hpp"
#include "core/lang_time.hpp"

namespace fu::lang {

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    if (month != 2) return kDays[month - 1];
    bool leap = year == 0 || (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0));
    return leap ? 29 : 28;
}

namespace {

using sv = std::string_view;

enum class Period { none, early, am, noon, pm, dusk, evening };

int period_default(Period p) {
    switch (p) {
        case Period::am: return 9 * 60;
        case Period::noon: return 12 * 60;
        case Period::pm: return 14 * 60;
        case Period::dusk: return 18 * 60;
        case Period::evening: return 20 * 60;
        default: return -1;
    }
}

int cn_digit(char32_t cp) {
    switch (cp) {
        case U'零': case U'〇': return 0;
        case U'一': return 1;
        case U'二': case U'两': return 2;
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

struct Parser {
    sv s;  // lower case
    sv o;  // original case, same offsets
    std::size_t i = 0;
    Period hint = Period::none;
    std::optional<LocalizedText>* why;

    bool at_end() {
        std::size_t save = i;
        while (std::size_t n = gap_len(s, i)) i += n;
        if (i >= s.size()) return true;
        i = save;
        return false;
    }
    void sp() {
        while (i < s.size() && s[i] == ' ') ++i;
    }
    void gap() {
        while (std::size_t n = gap_len(s, i)) i += n;
    }
    bool lit(sv w) {
        if (!s.substr(i).starts_with(w)) return false;
        i += w.size();
        return true;
    }
    bool peek(sv w) const { return s.substr(i).starts_with(w); }
    // An English word: must not run on into more letters.
    bool word(sv w) {
        if (!s.substr(i).starts_with(w)) return false;
        std::size_t j = i + w.size();
        if (j < s.size() && is_alpha(s[j])) return false;
        i = j;
        return true;
    }
    // A run of minlen..maxlen ASCII digits (the whole run).
    bool digits(int& v, std::size_t minlen, std::size_t maxlen) {
        std::size_t j = i;
        while (j < s.size() && is_digit(s[j])) ++j;
        if (j - i < minlen || j - i > maxlen) return false;
        v = 0;
        for (std::size_t k = i; k < j; ++k) v = v * 10 + (s[k] - '0');
        i = j;
        return true;
    }
    bool cn_number(int& v) {
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
    bool number(int& v) { return digits(v, 1, 3) || cn_number(v); }
    void fail(std::size_t start, const std::string& en_why, const std::string& zh_why) {
        if (*why) return;
        std::string shown(o.substr(start, i - start));
        *why = LocalizedText{"'" + shown + "' is not a valid " + en_why, "“" + shown + "”" + zh_why};
    }

    // --- clock -------------------------------------------------------------
    Period period() {
        static const std::pair<sv, Period> kWords[] = {
            {"凌晨", Period::early}, {"早上", Period::am},   {"早晨", Period::am},      {"清晨", Period::am},
            {"上午", Period::am},    {"中午", Period::noon}, {"下午", Period::pm},      {"傍晚", Period::dusk},
            {"晚上", Period::evening}, {"夜里", Period::evening}, {"夜间", Period::evening}};
        for (auto& [w, p] : kWords)
            if (lit(w)) return p;
        return Period::none;
    }
    int ampm() {
        if (word("am") || lit("a.m.")) return 1;
        if (word("pm") || lit("p.m.")) return 2;
        return 0;
    }
    bool finish(int& out, int h, int m, int ap, Period p, std::size_t start) {
        if (ap) {
            if (h < 1 || h > 12) {
                fail(start, "time of day: with am/pm the hour is 1–12.", "不是有效的时刻：用 am/pm 时小时应为1–12。");
                i = start;
                return false;
            }
            h = h % 12 + (ap == 2 ? 12 : 0);
        } else if (h > 23 || (p != Period::none && h > 12 && p != Period::pm && p != Period::evening &&
                              p != Period::dusk)) {
            fail(start, "time of day: there is no hour " + std::to_string(h) + ".",
                 "不是有效的时刻：没有" + std::to_string(h) + "点。");
            i = start;
            return false;
        }
        if (m > 59) {
            fail(start, "time of day: there is no minute " + std::to_string(m) + ".",
                 "不是有效的时刻：没有" + std::to_string(m) + "分。");
            i = start;
            return false;
        }
        if (!ap) {
            switch (p) {
                case Period::pm:
                case Period::dusk:
                    if (h < 12) h += 12;
                    break;
                case Period::evening:
                    if (h < 12) h += 12;
                    else if (h == 12) h = 24;  // 晚上12点: midnight at the end of the day
                    break;
                case Period::noon:
                    if (h >= 1 && h <= 5) h += 12;
                    break;
                case Period::early:
                    if (h == 12) h = 0;
                    break;
                default: break;
            }
        }
        out = h * 60 + m;
        return true;
    }
    bool clock(int& out) {
        std::size_t start = i;
        static const std::pair<sv, int> kNamed[] = {{"noon", 720},      {"midday", 720},  {"morning", 540},
                                                    {"afternoon", 840}, {"evening", 1140}, {"night", 1200}};
        for (auto& [w, m] : kNamed)
            if (word(w)) {
                out = m;
                return true;
            }
        Period p = period();
        std::size_t after_p = i;
        Period eff = p != Period::none ? p : hint;
        int h = 0;
        if (digits(h, 1, 2)) {
            std::size_t after_h = i;
            if (lit(":")) {
                int m = 0;
                if (!digits(m, 2, 2)) {
                    i = start;
                    return false;
                }
                std::size_t save = i;
                sp();
                int ap = ampm();
                if (!ap) i = save;
                return finish(out, h, m, ap, eff, start);
            }
            sp();
            if (int ap = ampm()) return finish(out, h, 0, ap, eff, start);
            i = after_h;
        } else if (!cn_number(h)) {
            h = -1;
        }
        if (h >= 0 && (lit("点钟") || lit("点") || lit("时"))) {
            int m = 0;
            if (lit("半")) {
                m = 30;
            } else if (lit("一刻")) {
                m = 15;
            } else if (lit("三刻")) {
                m = 45;
            } else if (!lit("整")) {
                std::size_t save = i;
                if (digits(m, 1, 2) || cn_number(m))
                    lit("分");
                else
                    i = save, m = 0;
            }
            return finish(out, h, m, 0, eff, start);
        }
        if (p != Period::none && p != Period::early) {
            i = after_p;
            out = period_default(p);
            return true;
        }
        i = start;
        return false;
    }

    // --- day ---------------------------------------------------------------
    int weekday_en() {
        static const std::pair<sv, int> kDays[] = {
            {"monday", 1},   {"mon", 1},    {"tuesday", 2}, {"tues", 2},     {"tue", 2},  {"wednesday", 3},
            {"weds", 3},     {"wed", 3},    {"thursday", 4}, {"thurs", 4},   {"thur", 4}, {"thu", 4},
            {"friday", 5},   {"fri", 5},    {"saturday", 6}, {"sat", 6},     {"sunday", 7}, {"sun", 7}};
        for (auto& [w, d] : kDays)
            if (word(w)) return d;
        return 0;
    }
    int weekday_cn() {
        if (i >= s.size()) return 0;
        std::size_t n = 0;
        char32_t cp = decode(s, i, &n);
        int d = cn_digit(cp);
        if (cp == U'日' || cp == U'天') d = 7;
        else if (cp >= U'1' && cp <= U'7') d = static_cast<int>(cp - U'0');
        if (d < 1 || d > 7) return 0;
        i += n;
        return d;
    }
    int month_word() {
        static const std::pair<sv, int> kMonths[] = {
            {"january", 1}, {"jan", 1},  {"february", 2}, {"feb", 2},  {"march", 3},     {"mar", 3},
            {"april", 4},   {"apr", 4},  {"may", 5},      {"june", 6}, {"jun", 6},       {"july", 7},
            {"jul", 7},     {"august", 8}, {"aug", 8},    {"september", 9}, {"sept", 9}, {"sep", 9},
            {"october", 10}, {"oct", 10}, {"november", 11}, {"nov", 11}, {"december", 12}, {"dec", 12}};
        for (auto& [w, m] : kMonths)
            if (word(w)) return m;
        return 0;
    }
    bool tomorrow_word() {
        return word("tomorrow") || word("tomorow") || word("tmrw") || word("tmr") || word("tmw") ||
               word("tommorow");
    }
    bool check_date(TimeSpec& d, int y, int m, int dd, std::size_t start) {
        if (m < 0 || m > 12 || (y && m == 0)) {
            fail(start, "date: there is no month " + std::to_string(m) + ".",
                 "不是有效的日期：没有" + std::to_string(m) + "月。");
            i = start;
            return false;
        }
        int max = m ? days_in_month(y, m) : 31;
        if (dd < 1 || dd > max) {
            if (m)
                fail(start, "date: month " + std::to_string(m) + " has no day " + std::to_string(dd) + ".",
                     "不是有效的日期：" + std::to_string(m) + "月没有" + std::to_string(dd) + "日。");
            else
                fail(start, "date: there is no day " + std::to_string(dd) + " in a month.",
                     "不是有效的日期：没有" + std::to_string(dd) + "号。");
            i = start;
            return false;
        }
        d.day = TimeSpec::Day::date;
        d.year = y;
        d.month = m;
        d.mday = dd;
        return true;
    }
    bool numeric_date(TimeSpec& d) {
        std::size_t start = i;
        int y = 0, m = 0, dd = 0;
        if (digits(y, 4, 4)) {
            char sep = i < s.size() ? s[i] : 0;
            if ((sep == '-' || sep == '/' || sep == '.') && (++i, digits(m, 1, 2)) && i < s.size() && s[i] == sep &&
                (++i, digits(dd, 1, 2)))
                return check_date(d, y, m, dd, start);
        } else if (digits(m, 1, 2) && lit("-") && digits(dd, 1, 2)) {
            return check_date(d, 0, m, dd, start);
        }
        i = start;
        return false;
    }
    bool cn_date(TimeSpec& d) {
        std::size_t start = i;
        int y = 0, m = 0, dd = 0;
        if (!(digits(y, 4, 4) && lit("年"))) i = start, y = 0;
        std::size_t save = i;
        if (!(number(m) && lit("月"))) {
            i = save;
            m = 0;
            if (y) return i = start, false;
        }
        if (!number(dd)) return i = start, false;
        if (!(lit("日") || lit("号")) && !m) return i = start, false;
        return check_date(d, y, m, dd, start);
    }
    bool en_date(TimeSpec& d) {
        std::size_t start = i;
        int m = 0, dd = 0, y = 0;
        if ((m = month_word())) {
            sp();
            if (!digits(dd, 1, 2)) return i = start, false;
            ordinal();
        } else if (digits(dd, 1, 2)) {
            ordinal();
            sp();
            if (word("of")) sp();
            if (!(m = month_word())) return i = start, false;
        } else {
            return false;
        }
        std::size_t save = i;
        lit(",");
        sp();
        if (!digits(y, 4, 4)) i = save, y = 0;
        return check_date(d, y, m, dd, start);
    }
    void ordinal() { word("st") || word("nd") || word("rd") || word("th"); }

    bool day(TimeSpec& d) {
        using D = TimeSpec::Day;
        std::size_t start = i;
        auto offset = [&](int n, int implied = -1, Period p = Period::none) {
            d.day = D::offset;
            d.offset = n;
            if (implied >= 0) d.implied_minute = implied;
            hint = p;
            return true;
        };
        if (word("today")) return offset(0);
        if (word("tonight")) return offset(0, 1200, Period::evening);
        if (word("the")) sp();
        if (word("day")) {
            sp();
            if (word("after")) {
                sp();
                if (tomorrow_word()) return offset(2);
            }
        }
        i = start;
        if (tomorrow_word()) return offset(1);
        if (word("next")) {
            sp();
            if (int wd = weekday_en()) return d.day = D::next_weekday, d.weekday = wd, true;
            if (word("week")) return d.day = D::next_week, true;
            return i = start, false;
        }
        if (word("this")) {
            sp();
            if (int wd = weekday_en()) return d.day = D::this_weekday, d.weekday = wd, true;
            if (word("morning")) return offset(0, 540);
            if (word("afternoon")) return offset(0, 840);
            if (word("evening")) return offset(0, 1140, Period::evening);
            return i = start, false;
        }
        if (int wd = weekday_en()) return d.day = D::weekday, d.weekday = wd, true;
        if (lit("大后天")) return offset(3);
        if (lit("后天")) return offset(2);
        if (lit("明天") || lit("明日")) return offset(1);
        if (lit("明早")) return offset(1, 540, Period::am);
        if (lit("明晚")) return offset(1, 1200, Period::evening);
        if (lit("今天") || lit("今日")) return offset(0);
        if (lit("今早")) return offset(0, 540, Period::am);
        if (lit("今晚")) return offset(0, 1200, Period::evening);
        for (sv w : {"下个星期", "下个礼拜", "下星期", "下礼拜", "下周"}) {
            if (!lit(w)) continue;
            if (int wd = weekday_cn()) return d.day = D::next_weekday, d.weekday = wd, true;
            return d.day = D::next_week, true;
        }
        for (sv w : {"这个星期", "这星期", "本星期", "这礼拜", "本礼拜", "这周", "本周"}) {
            if (!lit(w)) continue;
            if (int wd = weekday_cn()) return d.day = D::this_weekday, d.weekday = wd, true;
            return i = start, false;
        }
        for (sv w : {"星期", "礼拜", "周"}) {
            if (!lit(w)) continue;
            if (int wd = weekday_cn()) return d.day = D::weekday, d.weekday = wd, true;
            return i = start, false;
        }
        return numeric_date(d) || cn_date(d) || en_date(d);
    }

    // --- relative ----------------------------------------------------------
    bool quantity(double& q) {
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
    bool suffix_follows() const { return peek("后") || peek("以后") || peek("之后"); }
    std::int64_t unit() {
        static const std::pair<sv, std::int64_t> kUnits[] = {
            {"minutes", 60},   {"minute", 60},   {"mins", 60},     {"min", 60},      {"m", 60},
            {"hours", 3600},   {"hour", 3600},   {"hrs", 3600},    {"hr", 3600},     {"h", 3600},
            {"days", 86400},   {"day", 86400},   {"d", 86400},     {"weeks", 604800}, {"week", 604800},
            {"wks", 604800},   {"wk", 604800},   {"w", 604800}};
        for (auto& [w, u] : kUnits)
            if (word(w)) return u;
        static const std::pair<sv, std::int64_t> kCn[] = {{"小时", 3600}, {"钟头", 3600}, {"分钟", 60},
                                                          {"天", 86400},  {"星期", 604800}, {"礼拜", 604800},
                                                          {"周", 604800}};
        for (auto& [w, u] : kCn)
            if (lit(w)) return u;
        if (peek("分") && (lit("分"), suffix_follows())) return 60;
        return 0;
    }
    bool relative(TimeSpec& d) {
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

    // --- combinations --------------------------------------------------------
    bool day_then_clock(TimeSpec& d) {
        if (word("on") || word("by")) sp();
        if (!day(d)) return false;
        std::size_t save = i;
        gap();
        if (word("at")) sp();
        int m = 0;
        if (clock(m))
            d.minute = m;
        else
            i = save;
        return true;
    }
    bool clock_then_day(TimeSpec& d) {
        if (word("at")) sp();
        int m = 0;
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
};

}  // namespace

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

std::size_t time_prefix(sv s) {
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
    while (count > 0) {
        std::size_t e = ends[--count];
        sv part = s.substr(lead, e - lead);
        if (parse_time_spec(part, part, nullptr)) return e;
    }
    return 0;
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
            "看不懂时间“" + t + "”。可以这样写：2小时后 · 明天上午10点 · 周五下午3点 · 2026-12-01 10:00 · in 2h · tomorrow 10am"};
}

std::optional<LocalizedText> time_syntax_error(sv text) {
    sv t = trim_gaps(text);
    if (t.empty()) return LocalizedText{"No time given. Try: in 2h · tomorrow 10am · fri 3pm · 明天上午10点 · 2小时后",
                                        "没有给出时间。可以这样写：2小时后 · 明天上午10点 · 周五下午3点 · in 2h"};
    if (t.size() > 160) return unknown_time_message(t);  // far longer than any time expression
    std::string lower = lower_ascii(t);
    std::optional<LocalizedText> why;
    if (parse_time_spec(lower, t, &why)) return std::nullopt;
    return why ? *why : unknown_time_message(t);
}

}  // namespace fu::lang
