// The command language: one line of chat text -> a Command (see command.hpp).
#include "core/command.hpp"

#include <algorithm>

#include "core/lang_command.hpp"
#include "core/lang_text.hpp"

namespace fu::cmd {

namespace {

using detail::error;
using detail::Kind;
using sv = std::string_view;
using Result = std::variant<Command, ParseError>;

std::string quote_en(sv s) {
    return "'" + std::string(s) + "'";
}
std::string quote_zh(sv s) {
    return "“" + std::string(s) + "”";
}

// A quoted name at the start of `s` ("Acme Corp", “华为 深圳”, 「…」) and the length of the
// quoted part including the quotes; len is npos when the closing quote is missing.
struct Quoted {
    sv name;
    std::size_t len;
};
std::optional<Quoted> quoted(sv s) {
    static constexpr std::pair<sv, sv> kQuotes[] = {{"\"", "\""}, {"'", "'"},   {"“", "”"},
                                                    {"‘", "’"},   {"「", "」"}, {"『", "』"}};
    for (auto [open, close] : kQuotes) {
        if (!s.starts_with(open))
            continue;
        std::size_t e = s.find(close, open.size());
        if (e == sv::npos)
            return Quoted{{}, sv::npos};
        return Quoted{s.substr(open.size(), e - open.size()), e + close.size()};
    }
    return std::nullopt;
}

CustomerRef customer_ref(sv text) {
    CustomerRef ref;
    sv t = lang::trim_gaps(text);
    if (auto q = quoted(t); q && q->len == t.size())  // the quotes only group the words of the name
        t = lang::trim_gaps(q->name);
    sv id = t;
    if (id.starts_with('#'))
        id.remove_prefix(1);
    if (id.size() >= 2 && id.size() <= 16 && (id[0] == 'c' || id[0] == 'C')) {
        std::int64_t v = 0;
        bool digits = true;
        for (char c : id.substr(1)) {
            if (!lang::is_digit(c))
                digits = false;
            else
                v = v * 10 + (c - '0');
        }
        if (digits && v > 0) {
            ref.id = CustomerId{v};
            return ref;
        }
    }
    ref.name = std::string(t);
    return ref;
}

bool missing(const CustomerRef& c) {
    return !c.id && c.name.empty();
}

// Where the text after the customer has no keyword to split at (complaint, release), the
// customer is the first word, up to a space, separator or colon ("Acme: late delivery"); a
// name with spaces is written in quotes. `rest` is what follows, without the colon.
struct Lead {
    CustomerRef customer;
    sv rest;
};
std::variant<Lead, ParseError> leading_customer(Kind k, sv args) {
    std::size_t end = 0;
    if (auto q = quoted(args)) {
        if (q->len == sv::npos)
            return error(k, "The quote around the customer's name is not closed.", "客户名称的引号没有闭合。");
        end = q->len;
    } else {
        while (end < args.size() && !lang::gap_len(args, end) && args[end] != ':') ++end;
    }
    sv rest = args.substr(end);
    if (rest.starts_with(':'))
        rest.remove_prefix(1);
    return Lead{customer_ref(args.substr(0, end)), lang::trim_gaps(rest)};
}

// A task id at the start of `args` ("42", "#42"); `rest` gets what follows.
std::variant<TaskId, ParseError> task_id(Kind k, sv args, sv* rest) {
    if (args.empty())
        return error(k, "Missing the task id (the number in the reminder).", "缺少任务编号（提醒消息里的数字）。");
    std::size_t i = args[0] == '#' ? 1 : 0, b = i;
    std::int64_t v = 0;
    while (i < args.size() && lang::is_digit(args[i]) && i - b < 15) v = v * 10 + (args[i++] - '0');
    bool ends = i == args.size() || lang::gap_len(args, i) || lang::cjk_at(args, i);
    if (i == b || !ends) {
        std::size_t e = 0;
        while (e < args.size() && !lang::gap_len(args, e)) ++e;
        sv word = args.substr(0, e);
        return error(k, "The task id must be a number like 42, not " + quote_en(word) + ".",
                     "任务编号应该是数字（例如 42），而不是" + quote_zh(word) + "。");
    }
    if (v == 0)
        return error(k, "There is no task 0; task ids start at 1.", "没有0号任务，任务编号从1开始。");
    *rest = lang::trim_gaps(args.substr(i));
    return TaskId{v};
}

bool boundary_before(sv s, std::size_t i) {
    if (i == 0)
        return true;
    if (s[i - 1] == ' ' || s[i - 1] == ',' || s[i - 1] == ';')
        return true;
    return (i >= 3 && lang::separator_len(s, i - 3) == 3) || lang::cjk_before(s, i);
}

// At most about 60 bytes of `s` for quoting, cut at a character boundary.
sv shorten(sv s) {
    if (s.size() <= 60)
        return s;
    std::size_t e = 60;
    while (e > 0 && (static_cast<unsigned char>(s[e]) & 0xC0) == 0x80) --e;
    return s.substr(0, e);
}

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
std::variant<NextSplit, ParseError> split_next(Kind k, sv s) {
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
        if (!m.en || s.substr(m.after).starts_with(':'))
            return std::nullopt;
        return lang::trim_gaps(s.substr(m.at));
    };
    // The time that runs from marker m to the end of the line, if any.
    auto time_to_end = [&](const Marker& m) -> std::optional<sv> {
        sv t = lang::trim_gaps(after_of(m));
        if (!t.empty() && !lang::time_syntax_error(t))
            return t;
        if (auto w = whole_time(m); w && !lang::time_syntax_error(*w))
            return *w;
        return std::nullopt;
    };
    for (std::size_t j = marks.size(); j-- > 0;) {
        auto t = time_to_end(marks[j]);
        if (!t)
            continue;
        // "next next fri": the later "next" is part of the earlier marker's time.
        while (j > 0) {
            auto prev = time_to_end(marks[j - 1]);
            if (!prev || prev->data() != s.data() + marks[j].at)
                break;
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
            return error(k, "Missing the time after " + quote_en(word) + ", e.g. next tomorrow 10am.",
                         quote_zh(word) + "后面缺少时间，例如：下次 明天上午10点。");
        std::size_t t_at = static_cast<std::size_t>(t.data() - s.data());
        bool broken = false;
        std::size_t len = lang::time_prefix(sv(lower).substr(t_at), &broken);
        if (broken) {  // 25:00, 2月30日, 明天25点
            auto why = lang::time_syntax_error(t);
            return error(k, "The time after " + quote_en(word) + " was not understood. " + why->en,
                         quote_zh(word) + "后面的时间看不懂。" + why->zh);
        }
        if (!len) {  // "next week maybe": the time may start at the marker itself
            if (auto w = whole_time(m)) {
                std::size_t w_at = static_cast<std::size_t>(w->data() - s.data());
                if ((len = lang::time_prefix(sv(lower).substr(w_at))))
                    t = *w;
            }
        }
        if (!len)
            continue;  // note text
        sv time = lang::trim_gaps(t.substr(0, len));
        sv left = shorten(lang::trim_gaps(t.substr(len)));
        return error(k,
                     quote_en(left) + " after the time " + quote_en(time) +
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
            if (r == code)
                return;
        results.emplace_back(code);
    };
    std::size_t k = 0;
    while (k < ws.size()) {
        sv w1 = body.substr(ws[k].b, ws[k].e - ws[k].b);
        for (sv p : {".", "!", "。", "！"})  // "reached." still counts
            if (w1.size() > p.size() && w1.ends_with(p))
                w1.remove_suffix(p.size());
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
        auto parts = detail::split_results(w1);
        if (parts.empty())
            break;
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
std::variant<Satisfaction, ParseError> take_satisfaction(Kind k, sv body) {
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
        if (j < l.size() && (l[j] == '=' || l[j] == ':'))
            ++j;
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
            if (!score)
                continue;
        } else {
            if (l.substr(end).starts_with("/5"))
                end += 2;
            std::size_t f = end;
            while (f < l.size() && l[f] == ' ') ++f;
            if (l.substr(f).starts_with("分"))
                end = f + sv("分").size();
        }
        const char c = end < l.size() ? l[end] : ' ';
        if (lang::is_alpha(c) || lang::is_digit(c) || c == ':' || c == '/' ||
            (c == '.' && end + 1 < l.size() && lang::is_digit(l[end + 1])))
            continue;
        std::size_t w = end;
        while (w < l.size() && l[w] == ' ') ++w;
        if (at_word(w, "am") || at_word(w, "pm"))
            continue;
        if (score < 1 || score > 5) {
            const std::string s = std::to_string(score);
            return error(k, "Satisfaction must be 1 to 5, not " + s + ".", "满意度应为1到5，而不是" + s + "。");
        }
        sv before = lang::trim_gaps(body.substr(0, i)), after = body.substr(end);
        for (sv p : {".", "!", "。", "！"})  // "满意度5分。"
            if (after.starts_with(p))
                after.remove_prefix(p.size());
        after = lang::trim_gaps(after);
        std::string rest(before);
        if (!before.empty() && !after.empty())
            rest += ' ';
        rest += after;
        return Satisfaction{score, std::move(rest)};
    }
    return Satisfaction{std::nullopt, std::string(body)};
}

// [result…] [sat N] [note] [next <time>]: the part of done and log after the task / method.
template <class T>
std::optional<ParseError> contact_tail(Kind k, sv text, T& out) {
    auto split = split_next(k, text);
    if (auto* e = std::get_if<ParseError>(&split))
        return *e;
    auto sat = take_satisfaction(k, std::get<NextSplit>(split).body);
    if (auto* e = std::get_if<ParseError>(&sat))
        return *e;
    out.next = std::get<NextSplit>(split).next;
    out.satisfaction = std::get<Satisfaction>(sat).score;
    results_and_note(std::get<Satisfaction>(sat).rest, out.results, out.note);
    return std::nullopt;
}

Result parse_done(sv args) {
    sv rest;
    auto id = task_id(Kind::done, args, &rest);
    if (auto* e = std::get_if<ParseError>(&id))
        return *e;
    Done d;
    d.task = std::get<TaskId>(id);
    if (auto e = contact_tail(Kind::done, rest, d))
        return *e;
    return d;
}

Result parse_log(sv args) {
    auto ws = lang::words(args);
    std::size_t k = 0, method_end = 0;
    std::optional<Method> method;
    for (; k < ws.size() && !method; ++k) {
        sv w = args.substr(ws[k].b, ws[k].e - ws[k].b);
        if ((method = detail::method_word(lang::lower_ascii(w)))) {
            method_end = ws[k].e;
            break;
        }
        Method m{};
        std::size_t n = detail::method_prefix(w, &m);
        if (n && !detail::split_results(w.substr(n)).empty()) {
            method = m;
            method_end = ws[k].b + n;
            break;
        }
    }
    if (ws.empty())
        return error(Kind::log, "Missing the customer and the method.", "缺少客户和跟进方式。");
    if (!method) {
        if (ws.size() == 1)
            return error(Kind::log, "Missing the method: call, email, visit, im or other.",
                         "缺少跟进方式：电话、邮件、拜访、微信或其他。");
        sv last = args.substr(ws.back().b, ws.back().e - ws.back().b);
        return error(Kind::log, "Unknown method " + quote_en(last) + ": use call, email, visit, im or other.",
                     "不认识的跟进方式" + quote_zh(last) + "：请用 电话、邮件、拜访、微信 或 其他。");
    }
    if (k == 0)
        return error(Kind::log, "Missing the customer before the method.", "跟进方式前面缺少客户名称。");
    Log l;
    l.customer = customer_ref(args.substr(0, ws[k].b));
    l.method = *method;
    if (auto e = contact_tail(Kind::log, args.substr(method_end), l))
        return *e;
    return l;
}

// snooze / reschedule <task id> [for|until|to|到] <time>
Result parse_task_time(Kind k, sv args) {
    sv rest;
    auto id = task_id(k, args, &rest);
    if (auto* e = std::get_if<ParseError>(&id))
        return *e;
    std::size_t e = 0;
    while (e < rest.size() && !lang::gap_len(rest, e)) ++e;
    std::string first = lang::lower_ascii(rest.substr(0, e));
    if (first == "for" || first == "until" || first == "till" || first == "to")
        rest.remove_prefix(e);
    for (sv f : {"到", "至"})
        if (rest.starts_with(f)) {
            rest.remove_prefix(f.size());
            break;
        }
    rest = lang::trim_gaps(rest);
    if (rest.empty() && k == Kind::reschedule)
        return error(k, "Missing the new due time, e.g. fri 3pm or tomorrow 10am.",
                     "缺少新的到期时间，例如：周五下午3点 或 明天上午10点。");
    if (rest.empty())
        return error(k, "Missing the time to snooze until, e.g. 2h or tomorrow 10am.",
                     "缺少推迟到的时间，例如：2小时后 或 明天上午10点。");
    if (auto why = lang::time_syntax_error(rest))
        return error(k, why->en, why->zh);
    if (k == Kind::reschedule)
        return Reschedule{std::get<TaskId>(id), std::string(rest)};
    return Snooze{std::get<TaskId>(id), std::string(rest)};
}

Result parse_followup(sv args) {
    auto ws = lang::words(args);
    if (ws.empty())
        return error(Kind::followup, "Missing the customer and the time.", "缺少客户和时间。");
    std::string lower = lang::lower_ascii(args);
    std::size_t at = 0, len = 0;
    for (std::size_t k = 1; k < ws.size() && !len; ++k)
        if ((len = lang::time_prefix(sv(lower).substr(ws[k].b))))
            at = ws[k].b;
    if (!len) {  // a time written straight after a Chinese name: 华为明天上午10点
        for (std::size_t i = ws[0].b, n = 0; i < args.size() && i < 240 && !len; i += n) {
            lang::decode(args, i, &n);
            if (i > ws[0].b && lang::cjk_before(args, i) && (lang::cjk_at(args, i) || lang::is_digit(args[i])) &&
                (len = lang::time_prefix(sv(lower).substr(i))))
                at = i;
        }
    }
    if (!len) {
        if (ws.size() == 1)
            return error(Kind::followup, "Missing the time, e.g. tomorrow 10am.", "缺少时间，例如：明天上午10点。");
        return error(
            Kind::followup,
            "I couldn't find a time after the customer. Try: in 2h · tomorrow 10am · fri 3pm · 2026-12-01 10:00",
            "在客户名称后面没有找到时间。可以这样写：2小时后 · 明天上午10点 · 周五下午3点 · 2026-12-01 10:00");
    }
    Followup f;
    f.customer = customer_ref(args.substr(0, at));
    f.when = std::string(lang::trim_gaps(args.substr(at, len)));
    sv rest = lang::trim_gaps(args.substr(at + len));
    std::size_t e = 0;
    while (e < rest.size() && !lang::gap_len(rest, e)) ++e;
    Method m{};
    if (auto mw = detail::method_word(lang::lower_ascii(rest.substr(0, e)))) {
        f.method = *mw;
        rest = rest.substr(e);
    } else if (std::size_t n = detail::method_prefix(rest, &m)) {
        f.method = m;
        rest = rest.substr(n);
    }
    f.topic = std::string(lang::trim_gaps(rest));
    return f;
}

Result parse_assign(sv args) {
    auto ws = lang::words(args);
    if (ws.size() < 2)
        return error(Kind::assign, ws.empty() ? "Missing the customer and the rep." : "Missing the rep to assign to.",
                     ws.empty() ? "缺少客户和销售。" : "缺少要转给的销售。");
    sv rep = args.substr(ws.back().b, ws.back().e - ws.back().b);
    while (rep.starts_with('@')) rep.remove_prefix(1);
    std::size_t cut = ws.back().b;
    if (ws.size() >= 3) {
        auto prev = ws[ws.size() - 2];
        std::string w = lang::lower_ascii(args.substr(prev.b, prev.e - prev.b));
        if (w == "to" || w == "给" || w == "->")
            cut = prev.b;
    }
    if (rep.empty())
        return error(Kind::assign, "Missing the rep to assign to.", "缺少要转给的销售。");
    Assign a;
    a.customer = customer_ref(args.substr(0, cut));
    a.rep = std::string(rep);
    if (a.customer.name.empty() && !a.customer.id)
        return error(Kind::assign, "Missing the customer.", "缺少客户。");
    return a;
}

Result parse_complaint(sv args) {
    if (args.empty())
        return error(Kind::complaint, "Missing the customer and what they complain about.", "缺少客户和投诉内容。");
    auto lead = leading_customer(Kind::complaint, args);
    if (auto* e = std::get_if<ParseError>(&lead))
        return *e;
    auto& [customer, text] = std::get<Lead>(lead);
    if (missing(customer))
        return error(Kind::complaint, "Missing the customer.", "缺少客户。");
    if (text.empty())
        return error(Kind::complaint, "Missing what the customer complains about, after the customer and a space.",
                     "缺少投诉内容（写在客户后面，用空格隔开）。");
    return Complaint{customer, std::string(text)};
}

Result parse_release(sv args) {
    auto lead = leading_customer(Kind::release, args);
    if (auto* e = std::get_if<ParseError>(&lead))
        return *e;
    auto& [customer, reason] = std::get<Lead>(lead);
    if (missing(customer))
        return error(Kind::release, "Missing the customer.", "缺少客户。");
    return Release{customer, std::string(reason)};
}

// handover <from> [to|给|到|->] <to>
Result parse_handover(sv args) {
    auto ws = lang::words(args);
    auto handle = [&](std::size_t i) {
        sv w = args.substr(ws[i].b, ws[i].e - ws[i].b);
        while (w.starts_with('@')) w.remove_prefix(1);
        return w;
    };
    if (ws.size() == 3) {
        std::string mid = lang::lower_ascii(args.substr(ws[1].b, ws[1].e - ws[1].b));
        if (mid == "to" || mid == "给" || mid == "到" || mid == "->" || mid == "→")
            ws.erase(ws.begin() + 1);
    }
    if (ws.empty())
        return error(Kind::handover, "Missing the rep to hand over from and the rep to hand over to.",
                     "缺少交出的销售和接手的销售。");
    if (handle(0).empty())
        return error(Kind::handover, "Missing the rep to hand over from.", "缺少交出的销售。");
    if (ws.size() == 1 || handle(1).empty())
        return error(Kind::handover, "Missing the rep to hand over to.", "缺少接手的销售。");
    if (ws.size() > 2) {
        sv extra = shorten(lang::trim_gaps(args.substr(ws[2].b)));
        return error(Kind::handover,
                     quote_en(extra) + " after the rep to hand over to was not understood: handover needs only the "
                                       "two reps.",
                     "接手的销售后面的" + quote_zh(extra) + "看不懂：交接只需要两位销售。");
    }
    return Handover{std::string(handle(0)), std::string(handle(1))};
}

// close <customer> won|lost [note]: as in log, the customer is everything before the first
// outcome word after the first word, so "Lost Horizons won" names the customer "Lost Horizons".
Result parse_close(sv args) {
    auto ws = lang::words(args);
    auto lower_word = [&](std::size_t i) {
        std::string w = lang::lower_ascii(args.substr(ws[i].b, ws[i].e - ws[i].b));
        for (sv p : {".", "!", "。", "！"})  // "close Acme won."
            if (w.size() > p.size() && sv(w).ends_with(p))
                w.resize(w.size() - p.size());
        return w;
    };
    auto close = [&](std::size_t customer_end, Stage outcome, std::size_t note_at) {
        Close c;
        c.customer = customer_ref(args.substr(0, customer_end));
        c.outcome = outcome;
        c.note = std::string(lang::trim_gaps(args.substr(note_at)));
        return c;
    };
    if (ws.empty())
        return error(Kind::close, "Missing the customer and the outcome: won or lost.", "缺少客户和结果：成交或丢单。");
    for (std::size_t k = 1; k < ws.size(); ++k)
        if (auto outcome = detail::outcome_word(lower_word(k)))
            return close(ws[k].b, *outcome, ws[k].e);
    for (std::size_t k = 0; k < ws.size(); ++k) {  // "结案 华为成交": the outcome straight after a Chinese name
        Stage outcome{};
        std::string w = lower_word(k);
        if (std::size_t n = detail::outcome_suffix(w, &outcome))
            return close(ws[k].b + w.size() - n, outcome, ws[k].e);
    }
    if (detail::outcome_word(lower_word(0)))
        return error(Kind::close, "Missing the customer before the outcome.", "结果前面缺少客户。");
    if (ws.size() == 1)
        return error(Kind::close, "Missing the outcome after the customer: won or lost.",
                     "客户后面缺少结果：成交或丢单。");
    // Names are mostly one word, so the second word stands where the outcome belongs.
    sv second = args.substr(ws[1].b, ws[1].e - ws[1].b);
    return error(Kind::close, "Unknown outcome " + quote_en(second) + ": use won or lost.",
                 "不认识的结果" + quote_zh(second) + "：请用 成交 或 丢单。");
}

Result parse_lang(sv args) {
    std::string a = lang::lower_ascii(lang::trim_gaps(args));
    for (sv w : {"en", "english", "eng", "英文", "英语"})
        if (a == w)
            return SetLang{Lang::en};
    for (sv w : {"zh", "chinese", "cn", "中文", "汉语", "简体中文"})
        if (a == w)
            return SetLang{Lang::zh};
    if (a.empty())
        return error(Kind::lang, "Missing the language: en or zh.", "缺少语言：en（英文）或 zh（中文）。");
    return error(Kind::lang, "Unknown language " + quote_en(args) + ": use en or zh.",
                 "不支持的语言" + quote_zh(args) + "：请用 en（英文）或 zh（中文）。");
}

constexpr sv kPlatformsEn = "telegram, slack, feishu, dingtalk or wecom";
constexpr sv kPlatformsZh = "telegram、slack、飞书、钉钉 或 企业微信";

// The platform word of link / unlink, canonical.
std::variant<std::string, ParseError> platform_arg(Kind k, sv word) {
    if (auto p = platform_from_word(word))
        return *p;
    return error(k, "Unknown platform " + quote_en(word) + ": use " + std::string(kPlatformsEn) + ".",
                 "不支持的平台" + quote_zh(word) + "：请用 " + std::string(kPlatformsZh) + "。");
}

bool notify_word(sv w) {
    std::string lw = lang::lower_ascii(w);
    return lw == "notify" || lw == "提醒";
}

// link <platform> <platform user id> <user> [notify]
Result parse_link(sv args) {
    auto ws = lang::words(args);
    auto word = [&](std::size_t i) { return args.substr(ws[i].b, ws[i].e - ws[i].b); };
    if (ws.empty())
        return error(Kind::link, "Missing the platform, the platform user id and the user.",
                     "缺少平台、平台用户ID和用户。");
    auto platform = platform_arg(Kind::link, word(0));
    if (auto* e = std::get_if<ParseError>(&platform))
        return *e;
    if (ws.size() == 1)
        return error(Kind::link, "Missing the platform user id and the user.", "缺少平台用户ID和用户。");
    Link l;
    l.platform = std::get<std::string>(platform);
    l.external_id = std::string(word(1));
    sv user = ws.size() >= 3 ? word(2) : sv{};
    while (user.starts_with('@')) user.remove_prefix(1);
    if (user.empty() || (ws.size() == 3 && notify_word(user)))
        return error(Kind::link, "Missing the user to link the account to.", "缺少要关联的用户。");
    l.user = std::string(user);
    if (ws.size() >= 4) {
        if (ws.size() > 4 || !notify_word(word(3))) {
            sv extra = shorten(lang::trim_gaps(args.substr(ws[3].b)));
            return error(Kind::link,
                         quote_en(extra) + " after the user was not understood: only 'notify' may follow it.",
                         "用户后面的" + quote_zh(extra) + "看不懂：后面只能写“提醒”。");
        }
        l.notify = true;
    }
    return l;
}

// unlink <platform> <platform user id>
Result parse_unlink(sv args) {
    auto ws = lang::words(args);
    auto word = [&](std::size_t i) { return args.substr(ws[i].b, ws[i].e - ws[i].b); };
    if (ws.empty())
        return error(Kind::unlink, "Missing the platform and the platform user id.", "缺少平台和平台用户ID。");
    auto platform = platform_arg(Kind::unlink, word(0));
    if (auto* e = std::get_if<ParseError>(&platform))
        return *e;
    if (ws.size() == 1)
        return error(Kind::unlink, "Missing the platform user id.", "缺少平台用户ID。");
    if (ws.size() > 2) {
        sv extra = shorten(lang::trim_gaps(args.substr(ws[2].b)));
        return error(Kind::unlink,
                     quote_en(extra) + " after the platform user id was not understood: unlink needs only the "
                                       "platform and the id.",
                     "平台用户ID后面的" + quote_zh(extra) + "看不懂：取消关联只需要平台和平台用户ID。");
    }
    return Unlink{std::get<std::string>(platform), std::string(word(1))};
}

// ---- the managers' commands -----------------------------------------------------

// Period words of report, lower case: "last week", "上周", …
struct PeriodWord {
    sv word;
    ReportPeriod period;
};
constexpr PeriodWord kPeriodWords[] = {
    {"last week", ReportPeriod::last_week},   {"previous week", ReportPeriod::last_week},
    {"this week", ReportPeriod::week},        {"week", ReportPeriod::week},
    {"weekly", ReportPeriod::week},           {"last month", ReportPeriod::last_month},
    {"previous month", ReportPeriod::last_month}, {"this month", ReportPeriod::month},
    {"month", ReportPeriod::month},           {"monthly", ReportPeriod::month},
    {"上周", ReportPeriod::last_week},        {"上一周", ReportPeriod::last_week},
    {"上星期", ReportPeriod::last_week},      {"上个星期", ReportPeriod::last_week},
    {"本周", ReportPeriod::week},             {"这周", ReportPeriod::week},
    {"这一周", ReportPeriod::week},           {"本星期", ReportPeriod::week},
    {"这个星期", ReportPeriod::week},         {"周", ReportPeriod::week},
    {"上月", ReportPeriod::last_month},       {"上个月", ReportPeriod::last_month},
    {"上一个月", ReportPeriod::last_month},   {"本月", ReportPeriod::month},
    {"这个月", ReportPeriod::month},          {"当月", ReportPeriod::month},
    {"月", ReportPeriod::month},
};

// Words that may stand next to the period without changing it: "timeliness rate last week",
// "report for last month", "上周的报告".
bool report_filler(sv w) {
    for (sv f : {"rate", "report", "reports", "for", "of", "the", "报告", "报表", "的", "跟进及时率", "及时率"})
        if (w == f)
            return true;
    return false;
}

// The period of report: "last week", "上周", "上周的", "for last month"; empty args: `implied`
// (周报 is the week's, 月报 the month's) or else this week.
Result parse_report(std::optional<ReportPeriod> implied, sv args) {
    std::string lower = lang::lower_ascii(lang::trim_gaps(args));
    // Chinese fillers glued to the period: "上周的", "上月报告", "上周的及时率".
    std::string text;
    for (auto ws = lang::words(lower); const auto& w : ws) {
        sv word = sv(lower).substr(w.b, w.e - w.b);
        for (bool cut = true; cut;) {
            cut = false;
            for (sv f : {"的", "报告", "报表", "跟进及时率", "及时率"})
                if (word.size() > f.size() && word.ends_with(f) && lang::contains_cjk(word.substr(0, word.size() - f.size())))
                    word.remove_suffix(f.size()), cut = true;
        }
        if (report_filler(word))
            continue;
        if (!text.empty())
            text += ' ';
        text += word;
    }
    if (text.empty())
        return Report{implied.value_or(ReportPeriod::week)};
    for (const auto& p : kPeriodWords)
        if (text == p.word)
            return Report{p.period};
    return error(Kind::report, "Unknown period " + quote_en(shorten(lang::trim_gaps(args))) + ": use week, month, last week or last month.",
                 "不认识的时间段" + quote_zh(shorten(lang::trim_gaps(args))) + "：请用 本周、本月、上周 或 上月。");
}

std::optional<ReportPeriod> implied_period(sv command_word) {
    if (command_word == "周报")
        return ReportPeriod::week;
    if (command_word == "月报")
        return ReportPeriod::month;
    return std::nullopt;
}

// A report asked for in a phrase that starts with its period: "本周跟进及时率", "上周报告",
// "本月报告", "weekly report", "last month timeliness". nullopt if `s` is not one.
std::optional<Parsed> report_phrase(sv s) {
    static constexpr sv kNouns[] = {"timeliness rate", "timeliness", "reports", "report", "的跟进及时率", "跟进及时率",
                                    "的及时率",        "及时率",     "的报告",  "报告",   "报表",         "周报",
                                    "月报"};
    const std::string lower = lang::lower_ascii(s);
    const sv l = lower;
    for (const auto& p : kPeriodWords) {
        const bool cjk = lang::contains_cjk(p.word);
        if (p.word.size() <= 3 || !l.starts_with(p.word) || p.word == "week" || p.word == "month")
            continue;  // a bare 周 / 月 / week / month does not start a phrase
        sv rest = l.substr(p.word.size());
        if (!cjk && !rest.empty() && rest[0] != ' ')
            continue;
        rest = lang::trim_gaps(rest);
        for (sv n : kNouns) {
            if (!rest.starts_with(n))
                continue;
            sv tail = rest.substr(n.size());
            if (!lang::contains_cjk(n) && !tail.empty() && tail[0] != ' ')
                continue;
            Parsed out;
            out.lang = cjk ? Lang::zh : Lang::en;
            Result r = parse_report(p.period, s.substr(s.size() - tail.size()));
            if (auto* c = std::get_if<Command>(&r))
                out.result = std::move(*c);
            else
                out.result = std::get<ParseError>(r);
            return out;
        }
    }
    return std::nullopt;
}

// overdue [@rep | rep name]
Result parse_overdue(sv args) {
    sv a = lang::trim_gaps(args);
    if (a.empty())
        return Overdue{};
    const bool at = a.starts_with('@');
    while (a.starts_with('@')) a.remove_prefix(1);
    a = lang::trim_gaps(a);
    if (a.empty())
        return error(Kind::overdue, "Missing the rep after '@'.", "“@”后面缺少销售。");
    auto ws = lang::words(a);
    if (at && ws.size() > 1) {
        sv extra = shorten(lang::trim_gaps(a.substr(ws[1].b)));
        return error(Kind::overdue, quote_en(extra) + " after the rep was not understood: name one rep.",
                     "销售后面的" + quote_zh(extra) + "看不懂：只写一位销售。");
    }
    return Overdue{std::string(a)};
}

// audit [n] [@user | customer | task:N]
Result parse_audit(sv args) {
    Audit out;
    auto ws = lang::words(args);
    sv rest = args;
    if (!ws.empty()) {
        sv first = args.substr(ws[0].b, ws[0].e - ws[0].b);
        if (std::all_of(first.begin(), first.end(), [](char c) { return lang::is_digit(c); })) {
            int n = 0;
            for (char c : first) n = std::min(n * 10 + (c - '0'), 100000);
            if (n < 1 || n > 100)
                return error(Kind::audit, "The number of entries must be 1 to 100, not " + std::string(shorten(first)) + ".",
                             "条数应为1到100，而不是" + std::string(shorten(first)) + "。");
            out.count = n;
            rest = lang::trim_gaps(args.substr(ws[0].e));
        }
    }
    if (rest.empty())
        return out;
    if (rest.starts_with('@')) {
        sv h = rest;
        while (h.starts_with('@')) h.remove_prefix(1);
        h = lang::trim_gaps(h);
        if (h.empty())
            return error(Kind::audit, "Missing the user after '@'.", "“@”后面缺少用户。");
        auto hs = lang::words(h);
        if (hs.size() > 1) {
            sv extra = shorten(lang::trim_gaps(h.substr(hs[1].b)));
            return error(Kind::audit,
                         quote_en(extra) + " after the user was not understood: write the number first, then one "
                                           "filter, e.g. audit 20 @wang.",
                         "用户后面的" + quote_zh(extra) + "看不懂：先写条数，再写一个筛选条件，例如：审计 20 @wang。");
        }
        out.user = std::string(h);
        return out;
    }
    const std::string lower = lang::lower_ascii(rest);
    for (sv p : {"task", "任务"}) {
        if (!sv(lower).starts_with(p))
            continue;
        sv after = rest.substr(p.size());
        if (!after.empty() && after[0] != ':' && after[0] != ' ' && after[0] != '#' && !lang::is_digit(after[0]))
            break;  // "Taskforce": a customer
        if (after.starts_with(':'))
            after.remove_prefix(1);
        sv tail;
        auto id = task_id(Kind::audit, lang::trim_gaps(after), &tail);
        if (auto* e = std::get_if<ParseError>(&id))
            return *e;
        if (!tail.empty())
            return error(Kind::audit,
                         quote_en(shorten(tail)) + " after the task id was not understood: use one filter.",
                         "任务编号后面的" + quote_zh(shorten(tail)) + "看不懂：只用一个筛选条件。");
        out.task = std::get<TaskId>(id);
        return out;
    }
    if (rest.starts_with('#') && rest.size() > 1 && lang::is_digit(rest[1])) {  // #42: a task
        sv tail;
        auto id = task_id(Kind::audit, rest, &tail);
        if (auto* e = std::get_if<ParseError>(&id))
            return *e;
        if (tail.empty()) {
            out.task = std::get<TaskId>(id);
            return out;
        }
    }
    out.customer = customer_ref(rest);
    return out;
}

Result dispatch(Kind k, sv word, sv args) {
    switch (k) {
        case Kind::help: {
            std::string t = lang::lower_ascii(args);
            if (!t.empty() && t[0] == '/')
                t.erase(0, 1);
            if (auto tk = detail::kind_of(t))
                t = std::string(detail::canonical(*tk));
            return Help{t};
        }
        case Kind::today: return Today{};
        case Kind::done: return parse_done(args);
        case Kind::log: return parse_log(args);
        case Kind::snooze:
        case Kind::reschedule: return parse_task_time(k, args);
        case Kind::customer_add: {
            auto r = detail::parse_customer_add(args);
            if (auto* e = std::get_if<ParseError>(&r))
                return *e;
            return std::get<CustomerAdd>(r);
        }
        case Kind::followup: return parse_followup(args);
        case Kind::history:
            if (args.empty())
                return error(k, "Missing the customer.", "缺少客户。");
            return History{customer_ref(args)};
        case Kind::customers: return Customers{};
        case Kind::whoami: return WhoAmI{};
        case Kind::team: return Team{};
        case Kind::overdue: return parse_overdue(args);
        case Kind::assign: return parse_assign(args);
        case Kind::lang: return parse_lang(args);
        case Kind::link: return parse_link(args);
        case Kind::unlink: return parse_unlink(args);
        case Kind::status: return Status{};
        case Kind::complaint: return parse_complaint(args);
        case Kind::pool: return Pool{};
        case Kind::claim:
            if (auto c = customer_ref(args); !missing(c))
                return Claim{c};
            return error(k, "Missing the customer.", "缺少客户。");
        case Kind::release: return parse_release(args);
        case Kind::handover: return parse_handover(args);
        case Kind::close: return parse_close(args);
        case Kind::digest: return Digest{};
        case Kind::report: return parse_report(implied_period(word), args);
        case Kind::who:
            if (auto c = customer_ref(args); !missing(c))
                return Who{c};
            return error(k, "Missing the customer.", "缺少客户。");
        case Kind::audit: return parse_audit(args);
    }
    return Help{};
}

}  // namespace

Parsed parse(std::string_view line) {
    std::string text = lang::normalized(line);
    Parsed out;
    out.lang = lang::contains_cjk(text) ? Lang::zh : Lang::en;
    if (text.empty()) {
        out.result = ParseError{
            {"Empty message. Send 'help' for the list of commands.", "消息是空的。发送“帮助”查看命令列表。"}, {}};
        return out;
    }
    sv s = text;
    std::size_t e = 0;
    while (e < s.size() && !lang::gap_len(s, e)) ++e;
    std::size_t wb = s[0] == '/' ? 1 : 0;
    sv w = s.substr(wb, e - wb);
    if (std::size_t at = w.find('@'); at != sv::npos && at > 0)
        w = w.substr(0, at);
    std::string lw = lang::lower_ascii(w);
    std::size_t args_at = e;
    std::optional<Kind> kind;
    sv word = lw;  // the command word as matched
    // Two-word commands: customer add · add customer · follow up
    if (lw == "customer" || lw == "add" || lw == "follow") {
        auto ws = lang::words(s.substr(e));
        if (!ws.empty()) {
            std::string two = lw + " " + lang::lower_ascii(s.substr(e + ws[0].b, ws[0].e - ws[0].b));
            if ((kind = detail::kind_of(two)))
                args_at = e + ws[0].e, word = {};
        }
    }
    if (!kind && (kind = detail::kind_of(lw)))
        args_at = e;
    if (!kind)
        if (auto phrase = report_phrase(s.substr(wb)))
            return *phrase;
    if (!kind && lang::contains_cjk(w)) {  // Chinese command words may run straight into the argument
        std::size_t best = 0;
        for (const auto& cw : detail::command_words())
            if (cw.word.size() > best && lang::contains_cjk(cw.word) && w.starts_with(cw.word))
                best = cw.word.size(), kind = cw.kind, word = cw.word;
        if (kind)
            args_at = wb + best;
    }
    if (!kind) {
        std::string en = "Unknown command " + quote_en(w) + ".", zh = "不认识的命令" + quote_zh(w) + "。";
        if (auto sug = detail::suggest(w)) {
            en += " Did you mean " + quote_en(*sug) + "?";
            zh += "你是想输入" + quote_zh(*sug) + "吗？";
        }
        en += " Send 'help' for the list.";
        zh += "发送“帮助”查看命令列表。";
        out.result = ParseError{{en, zh}, {}};
        return out;
    }
    if (lang::contains_cjk(w))
        out.lang = Lang::zh;
    else if (!lw.empty() && lang::is_alpha(lw[0]))
        out.lang = Lang::en;
    sv args = lang::trim_gaps(s.substr(std::min(args_at, s.size())));
    Result r = dispatch(*kind, word, args);
    if (auto* c = std::get_if<Command>(&r))
        out.result = std::move(*c);
    else
        out.result = std::get<ParseError>(r);
    return out;
}

}  // namespace fu::cmd
