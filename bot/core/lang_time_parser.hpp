#pragma once
// Private to fu_lang: the recursive-descent reader of time expressions, shared by
// time_expr_parse.cpp (numbers, relative times, combinations) and
// time_expr_calendar.cpp (clocks, days, dates).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/lang_text.hpp"
#include "core/lang_time.hpp"

namespace fu::lang::detail {

using sv = std::string_view;

enum class Period { none, early, am, noon, pm, dusk, evening };

// 零〇一二两三四五六七八九 -> 0..9, else -1.
int cn_digit(char32_t cp);

struct Parser {
    sv s;  // lower case
    sv o;  // original case, same offsets
    std::size_t i = 0;
    Period hint = Period::none;         // from a day word: 今晚 makes 8点 mean 20:00
    std::optional<LocalizedText>* why;  // first impossible part seen (25:00, 2月30日)

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
    bool peek_suffix() const { return peek("后") || peek("以后") || peek("之后"); }
    void ordinal() { word("st") || word("nd") || word("rd") || word("th"); }

    // numbers and errors (time_expr_parse.cpp)
    bool cn_number(int& v);
    bool number(int& v) { return digits(v, 1, 3) || cn_number(v); }
    void fail(std::size_t start, const std::string& en_why, const std::string& zh_why);
    // clocks (time_expr_calendar.cpp)
    Period period();
    int ampm();
    // as_written: a zero-padded 24-hour clock (03:00), exempt from the working-hours rule.
    bool finish(int& out, int h, int m, int ap, Period p, std::size_t start, bool as_written = false);
    bool clock(int& out);
    // end of day · eod · 下班前: the end of the working day (a clock of its own)
    bool eod();
    // An hour alone after a day word (monday 9, next tuesday at 2), read as a clock.
    bool bare_hour(int& out);
    // days and dates (time_expr_calendar.cpp)
    int weekday_en();
    int weekday_cn();
    int month_word();
    bool tomorrow_word();
    bool check_date(TimeSpec& d, int y, int m, int dd, std::size_t start);
    bool numeric_date(TimeSpec& d);
    bool cn_date(TimeSpec& d);
    bool en_date(TimeSpec& d);
    // Deadline words: 月底 · end of month · 周末 · weekend · 周末前 · end of week · 下个月1号 · 1st of next month
    bool deadline_day(TimeSpec& d);
    void before_word() { lit("之前") || lit("以前") || lit("前"); }
    bool day(TimeSpec& d);
    // relative times and combinations (time_expr_parse.cpp)
    bool quantity(double& q);
    std::int64_t unit();
    bool relative(TimeSpec& d);
    bool day_then_clock(TimeSpec& d);
    bool clock_then_day(TimeSpec& d);
};

}  // namespace fu::lang::detail
