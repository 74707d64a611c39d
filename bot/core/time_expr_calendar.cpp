// Time expressions, syntax of clocks, days and dates: 3pm · 下午3点 · fri · 下周五 · 12月1日 · 2026-12-01.
// Just past 500 lines: the clock, day and date grammars of both languages read
// best side by side; relative times and words are in time_expr_parse.cpp.
#include <utility>

#include "core/lang_time_parser.hpp"

namespace fu::lang::detail {

namespace {

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

}  // namespace

Period Parser::period() {
    static const std::pair<sv, Period> kWords[] = {
        {"凌晨", Period::early},   {"早上", Period::am},      {"早晨", Period::am},     {"清晨", Period::am},
        {"上午", Period::am},      {"中午", Period::noon},    {"下午", Period::pm},     {"傍晚", Period::dusk},
        {"晚上", Period::evening}, {"夜里", Period::evening}, {"夜间", Period::evening}};
    for (auto& [w, p] : kWords)
        if (lit(w)) return p;
    return Period::none;
}

int Parser::ampm() {
    if (word("am") || lit("a.m.")) return 1;
    if (word("pm") || lit("p.m.")) return 2;
    return 0;
}

// Working hours: a clock with no period word (上午, 下午, 凌晨, …), no am/pm and no
// period from its day word (今晚, 明早, this morning) whose hour is 1–6 means the
// afternoon — 3点, 3点半, 明天3点, 周五4点, 3:30 are 15:00, 15:30, … because sales
// follow-ups are not scheduled at 3 a.m. Hours 0 and 7–23 stay as written, as does a
// zero-padded 24-hour clock (03:00, 2026-03-08 02:30); explicit markers always win:
// 凌晨3点, 上午3点, 早上3点, 3am are 03:00.
bool Parser::finish(int& out, int h, int m, int ap, Period p, std::size_t start, bool as_written) {
    if (ap) {
        if (h < 1 || h > 12) {
            fail(start, "time of day: with am/pm the hour is 1–12.", "不是有效的时刻：用 am/pm 时小时应为1–12。");
            i = start;
            return false;
        }
        h = h % 12 + (ap == 2 ? 12 : 0);
    } else if (h > 23 ||
               (p != Period::none && h > 12 && p != Period::pm && p != Period::evening && p != Period::dusk)) {
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
                if (h < 12)
                    h += 12;
                else if (h == 12)
                    h = 24;  // 晚上12点: midnight at the end of the day
                break;
            case Period::noon:
                if (h >= 1 && h <= 5) h += 12;
                break;
            case Period::early:
                if (h == 12) h = 0;
                break;
            case Period::none:
                if (!as_written && h >= 1 && h <= 6) h += 12;  // working hours: see above
                break;
            default: break;
        }
    }
    out = h * 60 + m;
    return true;
}

bool Parser::clock(int& out) {
    std::size_t start = i;
    static const std::pair<sv, int> kNamed[] = {{"noon", 720},      {"midday", 720},   {"morning", 540},
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
    std::size_t at_h = i;
    bool padded = false;  // 03:00, 03点: written in 24-hour form
    if (digits(h, 1, 2)) {
        std::size_t after_h = i;
        padded = after_h - at_h == 2 && s[at_h] == '0';
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
            return finish(out, h, m, ap, eff, start, padded);
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
        return finish(out, h, m, 0, eff, start, padded);
    }
    if (p != Period::none && p != Period::early) {
        i = after_p;
        out = period_default(p);
        return true;
    }
    i = start;
    return false;
}

bool Parser::eod() {
    std::size_t start = i;
    if (word("eod") || word("cob") || word("eob")) return true;
    // Not 下班 alone: 下班后 is after work, the evening.
    for (sv w : {"下班之前", "下班以前", "下班前", "下班时"})
        if (lit(w)) return true;
    if (word("end") || word("close")) {
        sp();
        if (word("of")) {
            sp();
            if (word("the")) sp();
            if (word("day") || word("business") || word("workday") || word("work")) return true;
        }
    }
    i = start;
    return false;
}

// The hour must stand alone ("monday 9 call", not "monday 9x" or "明天3个"), and is read
// by the working-hours rule of finish(): next tuesday at 2 is 14:00, monday 9 is 09:00.
bool Parser::bare_hour(int& out) {
    std::size_t start = i;
    int h = 0;
    if (!digits(h, 1, 2)) return false;
    if ((i < s.size() && !gap_len(s, i)) || h < 1 || h > 23) {
        i = start;
        return false;
    }
    bool padded = i - start == 2 && s[start] == '0';
    return finish(out, h, 0, 0, hint, start, padded);
}

int Parser::weekday_en() {
    static const std::pair<sv, int> kDays[] = {
        {"monday", 1}, {"mon", 1}, {"tuesday", 2},  {"tues", 2},  {"tue", 2},    {"wednesday", 3},
        {"weds", 3},   {"wed", 3}, {"thursday", 4}, {"thurs", 4}, {"thur", 4},   {"thu", 4},
        {"friday", 5}, {"fri", 5}, {"saturday", 6}, {"sat", 6},   {"sunday", 7}, {"sun", 7}};
    for (auto& [w, d] : kDays)
        if (word(w)) return d;
    return 0;
}

int Parser::weekday_cn() {
    if (i >= s.size()) return 0;
    std::size_t n = 0;
    char32_t cp = decode(s, i, &n);
    int d = cn_digit(cp);
    if (cp == U'日' || cp == U'天')
        d = 7;
    else if (cp >= U'1' && cp <= U'7')
        d = static_cast<int>(cp - U'0');
    if (d < 1 || d > 7) return 0;
    i += n;
    return d;
}

int Parser::month_word() {
    static const std::pair<sv, int> kMonths[] = {
        {"january", 1},  {"jan", 1},    {"february", 2},  {"feb", 2},       {"march", 3},     {"mar", 3},
        {"april", 4},    {"apr", 4},    {"may", 5},       {"june", 6},      {"jun", 6},       {"july", 7},
        {"jul", 7},      {"august", 8}, {"aug", 8},       {"september", 9}, {"sept", 9},      {"sep", 9},
        {"october", 10}, {"oct", 10},   {"november", 11}, {"nov", 11},      {"december", 12}, {"dec", 12}};
    for (auto& [w, m] : kMonths)
        if (word(w)) return m;
    return 0;
}

bool Parser::tomorrow_word() {
    return word("tomorrow") || word("tomorow") || word("tmrw") || word("tmr") || word("tmw") || word("tommorow");
}

bool Parser::check_date(TimeSpec& d, int y, int m, int dd, std::size_t start) {
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

bool Parser::numeric_date(TimeSpec& d) {
    std::size_t start = i;
    int y = 0, m = 0, dd = 0;
    if (digits(y, 4, 4)) {
        char sep = i < s.size() ? s[i] : 0;
        if ((sep == '-' || sep == '/' || sep == '.') && (++i, digits(m, 1, 2)) && i < s.size() && s[i] == sep &&
            (++i, digits(dd, 1, 2)))
            return check_date(d, y, m, dd, start);
    } else if (digits(m, 1, 2) && lit("-") && digits(dd, 1, 2)) {
        return check_date(d, 0, m, dd, start);
    } else if (i = start, digits(m, 1, 2) && lit("/") && digits(dd, 1, 2)) {
        // Month first, as both Chinese and US writers put it: 12/24, 1/2 (January 2nd), 12/24/2026.
        std::size_t save = i;
        if (!(lit("/") && digits(y, 4, 4))) i = save, y = 0;
        if (m > 12 && dd <= 12) {
            fail(start,
                 "date: there is no month " + std::to_string(m) + " (dates are month/day: " + std::to_string(dd) + "/" +
                     std::to_string(m) + ").",
                 "不是有效的日期：没有" + std::to_string(m) + "月（日期写作 月/日：" + std::to_string(dd) + "/" +
                     std::to_string(m) + "）。");
            i = start;
            return false;
        }
        return check_date(d, y, m, dd, start);
    }
    i = start;
    return false;
}

bool Parser::cn_date(TimeSpec& d) {
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

bool Parser::en_date(TimeSpec& d) {
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

bool Parser::deadline_day(TimeSpec& d) {
    using D = TimeSpec::Day;
    std::size_t start = i;
    auto month_end = [&](int months) {
        d.day = D::month_end;
        d.month_offset = months;
        d.end_of_work = true;
        before_word();
        return true;
    };
    auto week_end = [&](int weeks) {
        d.day = D::week_end;
        d.offset = weeks;
        d.end_of_work = true;
        return true;
    };
    auto month_day = [&](int months, int mday, std::size_t from) {
        if (mday < 1 || mday > 31) {
            fail(from, "date: there is no day " + std::to_string(mday) + " in a month.",
                 "不是有效的日期：没有" + std::to_string(mday) + "号。");
            i = start;
            return false;
        }
        d.day = D::month_day;
        d.month_offset = months;
        d.mday = mday;
        return true;
    };
    // 周末 · 下周末: that Saturday; 周末前: the end of the week's last working day.
    auto weekend = [&](bool next) {
        if (lit("之前") || lit("以前") || lit("前")) return week_end(next ? 1 : 0);
        d.day = next ? D::next_weekday : D::weekday;
        d.weekday = 6;
        return true;
    };

    // English: eom · eow · end of (this|next) month|week · [the|this|next] weekend · before the weekend
    if (word("eom")) return month_end(0);
    if (word("eow")) return week_end(0);
    if (word("end")) {
        sp();
        if (word("of")) {
            sp();
            if (word("the")) sp();
            int next = 0;
            if (word("next"))
                next = 1, sp();
            else if (word("this"))
                sp();
            if (word("month")) return month_end(next);
            if (word("week")) return week_end(next);
        }
        i = start;
        return false;
    }
    if (word("before")) {
        sp();
        if (word("the")) sp();
        if (word("weekend")) return week_end(0);
        i = start;
        return false;
    }
    {
        bool next = false;
        if (word("next"))
            next = true, sp();
        else if (word("this") || word("the"))
            sp();
        if (word("weekend")) return weekend(next);
        i = start;
    }
    // [the] 1st|first|N of (next|this|the) month
    {
        if (word("the")) sp();
        std::size_t at_n = i;
        int mday = 0;
        if (word("first"))
            mday = 1;
        else if (digits(mday, 1, 2))
            ordinal();
        if (mday) {
            sp();
            if (word("of")) {
                sp();
                int months = -1;
                bool the = false;
                if (word("next"))
                    months = 1;
                else if (word("this"))
                    months = 0;
                else if (word("the"))
                    the = true;
                sp();
                if (the && word("month"))  // the 1st of the month: the next one
                    return check_date(d, 0, 0, mday, at_n);
                if (months >= 0 && word("month")) return month_day(months, mday, at_n);
            }
        }
        i = start;
    }
    // Chinese: 月底 · 月末 · 本月底 · 下个月底 · 下个月1号 · 下个月 · 本月15号 · 周末 · 周末前 · 下周末
    for (sv w : {"下个月", "下月"}) {
        if (!lit(w)) continue;
        if (lit("底") || lit("末")) return month_end(1);
        gap();
        std::size_t at_n = i;
        int mday = 0;
        if (number(mday) && (lit("号") || lit("日"))) return month_day(1, mday, at_n);
        i = start;  // 下个月 alone names no day
        return false;
    }
    for (sv w : {"这个月", "本月", "这月"}) {
        if (!lit(w)) continue;
        if (lit("底") || lit("末")) return month_end(0);
        gap();
        std::size_t at_n = i;
        int mday = 0;
        if (number(mday) && (lit("号") || lit("日"))) return month_day(0, mday, at_n);
        i = start;
        return false;
    }
    if (lit("月底") || lit("月末")) return month_end(0);
    for (sv w : {"下个周末", "下周末", "下个星期末"})
        if (lit(w)) return weekend(true);
    for (sv w : {"这个周末", "这周末", "本周末", "周末"})
        if (lit(w)) return weekend(false);
    return false;
}

bool Parser::day(TimeSpec& d) {
    using D = TimeSpec::Day;
    std::size_t start = i;
    auto offset = [&](int n, int implied = -1, Period p = Period::none) {
        d.day = D::offset;
        d.offset = n;
        if (implied >= 0) d.implied_minute = implied;
        hint = p;
        return true;
    };
    if (deadline_day(d)) return true;
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
        if (word("morning")) return offset(0, 540, Period::am);
        if (word("afternoon")) return offset(0, 840, Period::pm);
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

}  // namespace fu::lang::detail
