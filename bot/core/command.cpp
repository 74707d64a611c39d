// The command language: one line of chat text -> a Command (see command.hpp).
#include "core/command.hpp"

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

CustomerRef customer_ref(sv text) {
    CustomerRef ref;
    sv t = lang::trim_gaps(text);
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

Result parse_done(sv args) {
    sv rest;
    auto id = task_id(Kind::done, args, &rest);
    if (auto* e = std::get_if<ParseError>(&id))
        return *e;
    auto split = split_next(Kind::done, rest);
    if (auto* e = std::get_if<ParseError>(&split))
        return *e;
    Done d;
    d.task = std::get<TaskId>(id);
    d.next = std::get<NextSplit>(split).next;
    results_and_note(std::get<NextSplit>(split).body, d.results, d.note);
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
    auto split = split_next(Kind::log, args.substr(method_end));
    if (auto* e = std::get_if<ParseError>(&split))
        return *e;
    Log l;
    l.customer = customer_ref(args.substr(0, ws[k].b));
    l.method = *method;
    l.next = std::get<NextSplit>(split).next;
    results_and_note(std::get<NextSplit>(split).body, l.results, l.note);
    return l;
}

Result parse_snooze(sv args) {
    sv rest;
    auto id = task_id(Kind::snooze, args, &rest);
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
    if (rest.empty())
        return error(Kind::snooze, "Missing the time to snooze until, e.g. 2h or tomorrow 10am.",
                     "缺少推迟到的时间，例如：2小时后 或 明天上午10点。");
    if (auto why = lang::time_syntax_error(rest))
        return error(Kind::snooze, why->en, why->zh);
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

Result dispatch(Kind k, sv args) {
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
        case Kind::snooze: return parse_snooze(args);
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
        case Kind::overdue: return Overdue{};
        case Kind::assign: return parse_assign(args);
        case Kind::lang: return parse_lang(args);
        case Kind::link: return parse_link(args);
        case Kind::unlink: return parse_unlink(args);
        case Kind::status: return Status{};
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
    // Two-word commands: customer add · add customer · follow up
    if (lw == "customer" || lw == "add" || lw == "follow") {
        auto ws = lang::words(s.substr(e));
        if (!ws.empty()) {
            std::string two = lw + " " + lang::lower_ascii(s.substr(e + ws[0].b, ws[0].e - ws[0].b));
            if ((kind = detail::kind_of(two)))
                args_at = e + ws[0].e;
        }
    }
    if (!kind && (kind = detail::kind_of(lw)))
        args_at = e;
    if (!kind && lang::contains_cjk(w)) {  // Chinese command words may run straight into the argument
        std::size_t best = 0;
        for (const auto& cw : detail::command_words())
            if (cw.word.size() > best && lang::contains_cjk(cw.word) && w.starts_with(cw.word))
                best = cw.word.size(), kind = cw.kind;
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
    Result r = dispatch(*kind, args);
    if (auto* c = std::get_if<Command>(&r))
        out.result = std::move(*c);
    else
        out.result = std::get<ParseError>(r);
    return out;
}

}  // namespace fu::cmd
