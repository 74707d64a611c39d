// done and log: [result…] [sat N] [note] [next <time>] after the task or the method.
#include "core/commands/parsers.hpp"

#include "core/commands/args.hpp"
#include "core/commands/vocab.hpp"
#include "core/lang_text.hpp"

namespace fu::cmd::detail {

namespace {

using sv = std::string_view;

struct NextSplit {
    sv body;
    std::optional<std::string> next;
};

// Splits "[results] [note] next <time>" at the next-marker (next / 下次 / 下次跟进 / 下一步).
// The marker counts only when a time runs from it to the end of the line; if it appears
// several times, the last such one wins and the others are note text. A marker that no
// time expression follows ("客户说下次再谈", "call next quarter") is note text too. A time
// that starts after a marker but is impossible (25:00) or has words left over after it
// ("next fri blah") is an error that says which part was not understood.
std::variant<NextSplit, ParseError> split_next(sv s) {
    std::string lower = lang::lower_ascii(s);
    struct Marker {
        std::size_t at, after;
        bool en;
    };
    std::vector<Marker> marks;
    for (std::size_t i = 0, n = 0; i < s.size(); i += n) {
        lang::decode(s, i, &n);
        sv r = sv(lower).substr(i);
        if (r.starts_with("next") && boundary_before(s, i) && (r.size() == 4 || !lang::is_alpha(r[4]))) {
            marks.push_back({i, i + 4, true});
        } else {
            for (sv m : {"下次跟进", "下一步", "下次"})
                if (r.starts_with(m)) {
                    marks.push_back({i, i + m.size(), false});
                    n = m.size();  // "下次跟进" is one marker, not also "下次"
                    break;
                }
        }
    }
    // The text after a marker (and its optional colon), untrimmed.
    auto after_of = [&](const Marker& m) {
        sv after = s.substr(m.after);
        return after.starts_with(':') ? after.substr(1) : after;
    };
    // "next week" / "next fri": an English marker with no colon may be the start of the time itself.
    auto whole_time = [&](const Marker& m) -> std::optional<sv> {
        if (!m.en || s.substr(m.after).starts_with(':')) return std::nullopt;
        return lang::trim_gaps(s.substr(m.at));
    };
    // The time that runs from marker m to the end of the line, if any.
    auto time_to_end = [&](const Marker& m) -> std::optional<sv> {
        sv t = lang::trim_gaps(after_of(m));
        if (!t.empty() && !lang::time_syntax_error(t)) return t;
        if (auto w = whole_time(m); w && !lang::time_syntax_error(*w)) return *w;
        return std::nullopt;
    };
    for (std::size_t j = marks.size(); j-- > 0;) {
        auto t = time_to_end(marks[j]);
        if (!t) continue;
        // "next next fri": the later "next" is part of the earlier marker's time.
        while (j > 0) {
            auto prev = time_to_end(marks[j - 1]);
            if (!prev || prev->data() != s.data() + marks[j].at) break;
            t = prev;
            --j;
        }
        return NextSplit{s.substr(0, marks[j].at), std::string(*t)};
    }
    // No marker is followed by a time to the end: each one is note text unless a time starts
    // after it (then the user meant a next time and is told what went wrong).
    for (std::size_t j = marks.size(); j-- > 0;) {
        const auto& m = marks[j];
        sv word = s.substr(m.at, m.after - m.at);
        sv t = lang::trim_gaps(after_of(m));
        if (t.empty())
            return fail("Missing the time after " + quote_en(word) + ", e.g. next tomorrow 10am.",
                        quote_zh(word) + "后面缺少时间，例如：下次 明天上午10点。");
        std::size_t t_at = static_cast<std::size_t>(t.data() - s.data());
        bool broken = false;
        std::size_t len = lang::time_prefix(sv(lower).substr(t_at), &broken);
        if (broken) {  // 25:00, 2月30日, 明天25点
            auto why = lang::time_syntax_error(t);
            return fail("The time after " + quote_en(word) + " was not understood. " + why->en,
                        quote_zh(word) + "后面的时间看不懂。" + why->zh);
        }
        if (!len) {  // "next week maybe": the time may start at the marker itself
            if (auto w = whole_time(m)) {
                std::size_t w_at = static_cast<std::size_t>(w->data() - s.data());
                if ((len = lang::time_prefix(sv(lower).substr(w_at)))) t = *w;
            }
        }
        if (!len && lang::starts_like_time(sv(lower).substr(t_at))) {  // next yesterday, 下次 上个月
            auto why = lang::unknown_time_message(t);
            return fail("The time after " + quote_en(word) + " was not understood. " + why.en,
                        quote_zh(word) + "后面的时间看不懂。" + why.zh);
        }
        if (!len) continue;  // note text
        sv time = lang::trim_gaps(t.substr(0, len));
        sv left = shorten(lang::trim_gaps(t.substr(len)));
        return fail(quote_en(left) + " after the time " + quote_en(time) +
                        " was not understood: write the note before " + quote_en(word) + " and only the time after it.",
                    "时间" + quote_zh(time) + "后面的" + quote_zh(left) + "看不懂：备注请写在" + quote_zh(word) +
                        "前面，后面只写时间。");
    }
    return NextSplit{s, std::nullopt};
}

// Leading result words, then the note.
void results_and_note(sv body, std::vector<std::string>& results, std::string& note) {
    auto ws = lang::words(body);
    auto add = [&](sv code) {
        for (const auto& r : results)
            if (r == code) return;
        results.emplace_back(code);
    };
    std::size_t k = 0;
    while (k < ws.size()) {
        sv w1 = body.substr(ws[k].b, ws[k].e - ws[k].b);
        for (sv p : {".", "!", "。", "！"})  // "reached." still counts
            if (w1.size() > p.size() && w1.ends_with(p)) w1.remove_suffix(p.size());
        if (k + 1 < ws.size()) {
            std::string two = std::string(w1) + " " + std::string(body.substr(ws[k + 1].b, ws[k + 1].e - ws[k + 1].b));
            if (auto r = result_from_word(two)) {
                add(*r);
                k += 2;
                continue;
            }
        }
        if (auto r = result_from_word(w1)) {
            add(*r);
            ++k;
            continue;
        }
        auto parts = split_results(w1);
        if (parts.empty()) break;
        for (sv p : parts) add(p);
        ++k;
    }
    note = std::string(lang::trim_gaps(k < ws.size() ? body.substr(ws[k].b) : sv{}));
}

struct Satisfaction {
    std::optional<int> score;
    std::string rest;  // the results and note without it
};

// The satisfaction score among the results and note of done / log: "sat 4", "sat=4",
// "satisfaction: 4/5", "满意度4", "满意度：4分". The first one counts; it is taken out and the
// words on either side stay apart. A marker with no number after it is note text
// ("sat down with the CFO", "客户满意度很高"), and so is a number that reads as a clock
// ("sat 3pm", "sat 4:30", "sat 4 pm": Saturday).
std::variant<Satisfaction, ParseError> take_satisfaction(sv body) {
    const std::string lower = lang::lower_ascii(body);
    const sv l = lower;
    auto at_word = [&](std::size_t i, sv w) {
        return l.substr(i).starts_with(w) && (i + w.size() == l.size() || !lang::is_alpha(l[i + w.size()]));
    };
    for (std::size_t i = 0, n = 0; i < l.size(); i += n) {
        lang::decode(l, i, &n);
        std::size_t j = i;
        if (l.substr(i).starts_with("满意度"))
            j += sv("满意度").size();
        else if (boundary_before(l, i) && (at_word(i, "satisfaction") || at_word(i, "sat")))
            j += at_word(i, "sat") ? 3 : sv("satisfaction").size();
        else
            continue;
        while (j < l.size() && l[j] == ' ') ++j;
        if (j < l.size() && (l[j] == '=' || l[j] == ':')) ++j;
        while (j < l.size() && l[j] == ' ') ++j;
        const std::size_t d = j;
        int score = 0;
        while (j < l.size() && lang::is_digit(l[j]) && j - d < 3) score = score * 10 + (l[j++] - '0');
        std::size_t end = j;
        if (j == d) {  // "满意度五分": a Chinese numeral only with 分, since "满意度一般" is note text
            static constexpr sv kNumerals[] = {"一", "二", "三", "四", "五"};
            for (int v = 1; v <= 5 && !score; ++v) {
                sv num = kNumerals[v - 1];
                if (l.substr(d).starts_with(num) && l.substr(d + num.size()).starts_with("分"))
                    score = v, end = d + num.size() + sv("分").size();
            }
            if (!score) continue;
        } else {
            if (l.substr(end).starts_with("/5")) end += 2;
            std::size_t f = end;
            while (f < l.size() && l[f] == ' ') ++f;
            if (l.substr(f).starts_with("分")) end = f + sv("分").size();
        }
        const char c = end < l.size() ? l[end] : ' ';
        if (lang::is_alpha(c) || lang::is_digit(c) || c == ':' || c == '/' ||
            (c == '.' && end + 1 < l.size() && lang::is_digit(l[end + 1])))
            continue;
        std::size_t w = end;
        while (w < l.size() && l[w] == ' ') ++w;
        if (at_word(w, "am") || at_word(w, "pm")) continue;
        if (score < 1 || score > 5) {
            const std::string s = std::to_string(score);
            return fail("Satisfaction must be 1 to 5, not " + s + ".", "满意度应为1到5，而不是" + s + "。");
        }
        sv before = lang::trim_gaps(body.substr(0, i)), after = body.substr(end);
        for (sv p : {".", "!", "。", "！"})  // "满意度5分。"
            if (after.starts_with(p)) after.remove_prefix(p.size());
        after = lang::trim_gaps(after);
        std::string rest(before);
        if (!before.empty() && !after.empty()) rest += ' ';
        rest += after;
        return Satisfaction{score, std::move(rest)};
    }
    return Satisfaction{std::nullopt, std::string(body)};
}

// [result…] [sat N] [note] [next <time>]: the part of done and log after the task / method.
template <class T>
std::optional<ParseError> contact_tail(sv text, T& out) {
    auto split = split_next(text);
    if (auto* e = std::get_if<ParseError>(&split)) return *e;
    auto sat = take_satisfaction(std::get<NextSplit>(split).body);
    if (auto* e = std::get_if<ParseError>(&sat)) return *e;
    out.next = std::get<NextSplit>(split).next;
    out.satisfaction = std::get<Satisfaction>(sat).score;
    results_and_note(std::get<Satisfaction>(sat).rest, out.results, out.note);
    return std::nullopt;
}

}  // namespace

Result parse_done(sv args, sv) {
    sv rest;
    auto id = task_id(args, &rest);
    if (auto* e = std::get_if<ParseError>(&id)) return *e;
    Done d;
    d.task = std::get<TaskId>(id);
    if (auto e = contact_tail(rest, d)) return *e;
    return d;
}

Result parse_log(sv args, sv) {
    auto ws = lang::words(args);
    std::size_t k = 0, method_end = 0;
    std::optional<Method> method;
    for (; k < ws.size() && !method; ++k) {
        sv w = args.substr(ws[k].b, ws[k].e - ws[k].b);
        if ((method = method_word(lang::lower_ascii(w)))) {
            method_end = ws[k].e;
            break;
        }
        Method m{};
        std::size_t n = method_prefix(w, &m);
        if (n && !split_results(w.substr(n)).empty()) {
            method = m;
            method_end = ws[k].b + n;
            break;
        }
    }
    if (ws.empty()) return fail("Missing the customer and the method.", "缺少客户和跟进方式。");
    if (!method) {
        if (ws.size() == 1)
            return fail("Missing the method: call, email, visit, im or other.",
                        "缺少跟进方式：电话、邮件、拜访、微信或其他。");
        sv last = args.substr(ws.back().b, ws.back().e - ws.back().b);
        return fail("Unknown method " + quote_en(last) + ": use call, email, visit, im or other.",
                    "不认识的跟进方式" + quote_zh(last) + "：请用 电话、邮件、拜访、微信 或 其他。");
    }
    if (k == 0) return fail("Missing the customer before the method.", "跟进方式前面缺少客户名称。");
    Log l;
    l.customer = customer_ref(args.substr(0, ws[k].b));
    l.method = *method;
    if (auto e = contact_tail(args.substr(method_end), l)) return *e;
    return l;
}

}  // namespace fu::cmd::detail
