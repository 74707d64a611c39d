// The managers' figures: overdue and report, and report phrases ("本周跟进及时率").
#include "core/commands/parsers.hpp"

#include "core/commands/args.hpp"
#include "core/lang_text.hpp"

namespace fu::cmd::detail {

namespace {

using sv = std::string_view;

// Period words of report, lower case: "last week", "上周", …
struct PeriodWord {
    sv word;
    ReportPeriod period;
};
constexpr PeriodWord kPeriodWords[] = {
    {"last week", ReportPeriod::last_week},
    {"previous week", ReportPeriod::last_week},
    {"this week", ReportPeriod::week},
    {"week", ReportPeriod::week},
    {"weekly", ReportPeriod::week},
    {"last month", ReportPeriod::last_month},
    {"previous month", ReportPeriod::last_month},
    {"this month", ReportPeriod::month},
    {"month", ReportPeriod::month},
    {"monthly", ReportPeriod::month},
    {"上周", ReportPeriod::last_week},
    {"上一周", ReportPeriod::last_week},
    {"上星期", ReportPeriod::last_week},
    {"上个星期", ReportPeriod::last_week},
    {"本周", ReportPeriod::week},
    {"这周", ReportPeriod::week},
    {"这一周", ReportPeriod::week},
    {"本星期", ReportPeriod::week},
    {"这个星期", ReportPeriod::week},
    {"周", ReportPeriod::week},
    {"上月", ReportPeriod::last_month},
    {"上个月", ReportPeriod::last_month},
    {"上一个月", ReportPeriod::last_month},
    {"本月", ReportPeriod::month},
    {"这个月", ReportPeriod::month},
    {"当月", ReportPeriod::month},
    {"月", ReportPeriod::month},
};

// Words that may stand next to the period without changing it: "timeliness rate last week",
// "report for last month", "上周的报告".
bool report_filler(sv w) {
    for (sv f : {"rate", "report", "reports", "for", "of", "the", "报告", "报表", "的", "跟进及时率", "及时率"})
        if (w == f) return true;
    return false;
}

std::optional<ReportPeriod> implied_period(sv command_word) {
    if (command_word == "周报") return ReportPeriod::week;
    if (command_word == "月报") return ReportPeriod::month;
    return std::nullopt;
}

// The period of report: "last week", "上周", "上周的", "for last month"; empty args: `implied`
// (周报 is the week's, 月报 the month's) or else this week.
Result report_of(std::optional<ReportPeriod> implied, sv args) {
    std::string lower = lang::lower_ascii(lang::trim_gaps(args));
    // Chinese fillers glued to the period: "上周的", "上月报告", "上周的及时率".
    std::string text;
    for (auto ws = lang::words(lower); const auto& w : ws) {
        sv word = sv(lower).substr(w.b, w.e - w.b);
        for (bool cut = true; cut;) {
            cut = false;
            for (sv f : {"的", "报告", "报表", "跟进及时率", "及时率"})
                if (word.size() > f.size() && word.ends_with(f) &&
                    lang::contains_cjk(word.substr(0, word.size() - f.size())))
                    word.remove_suffix(f.size()), cut = true;
        }
        if (report_filler(word)) continue;
        if (!text.empty()) text += ' ';
        text += word;
    }
    if (text.empty()) return Report{implied.value_or(ReportPeriod::week)};
    for (const auto& p : kPeriodWords)
        if (text == p.word) return Report{p.period};
    return fail(
        "Unknown period " + quote_en(shorten(lang::trim_gaps(args))) + ": use week, month, last week or last month.",
        "不认识的时间段" + quote_zh(shorten(lang::trim_gaps(args))) + "：请用 本周、本月、上周 或 上月。");
}

}  // namespace

Result parse_report(sv args, sv word) { return report_of(implied_period(word), args); }

// A report asked for in a phrase that starts with its period: "本周跟进及时率", "上周报告",
// "本月报告", "weekly report", "last month timeliness". nullopt if `s` is not one.
std::optional<Parsed> report_phrase(sv s) {
    static constexpr sv kNouns[] = {
        "timeliness rate", "timeliness", "reports", "report", "的跟进及时率", "跟进及时率", "的及时率",
        "及时率",          "的报告",     "报告",    "报表",   "周报",         "月报"};
    const std::string lower = lang::lower_ascii(s);
    const sv l = lower;
    for (const auto& p : kPeriodWords) {
        const bool cjk = lang::contains_cjk(p.word);
        if (p.word.size() <= 3 || !l.starts_with(p.word) || p.word == "week" || p.word == "month")
            continue;  // a bare 周 / 月 / week / month does not start a phrase
        sv rest = l.substr(p.word.size());
        if (!cjk && !rest.empty() && rest[0] != ' ') continue;
        rest = lang::trim_gaps(rest);
        for (sv n : kNouns) {
            if (!rest.starts_with(n)) continue;
            sv tail = rest.substr(n.size());
            if (!lang::contains_cjk(n) && !tail.empty() && tail[0] != ' ') continue;
            Parsed out;
            out.lang = cjk ? Lang::zh : Lang::en;
            Result r = report_of(p.period, s.substr(s.size() - tail.size()));
            if (auto* c = std::get_if<Command>(&r))
                out.result = std::move(*c);
            else
                out.result = ParseError{std::get<ParseError>(r).message, find_command("report")->usage};
            return out;
        }
    }
    return std::nullopt;
}

// overdue [@rep | rep name]
Result parse_overdue(sv args, sv) {
    sv a = lang::trim_gaps(args);
    if (a.empty()) return Overdue{};
    const bool at = a.starts_with('@');
    while (a.starts_with('@')) a.remove_prefix(1);
    a = lang::trim_gaps(a);
    if (a.empty()) return fail("Missing the rep after '@'.", "“@”后面缺少销售。");
    auto ws = lang::words(a);
    if (at && ws.size() > 1) {
        sv extra = shorten(lang::trim_gaps(a.substr(ws[1].b)));
        return fail(quote_en(extra) + " after the rep was not understood: name one rep.",
                    "销售后面的" + quote_zh(extra) + "看不懂：只写一位销售。");
    }
    return Overdue{std::string(a)};
}

}  // namespace fu::cmd::detail
