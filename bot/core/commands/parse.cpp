// One line of chat text -> a Command: find the command word in the table, then let the
// command's parser read the rest.
#include "core/commands/parsers.hpp"

#include <algorithm>

#include "core/commands/args.hpp"
#include "core/commands/help.hpp"
#include "core/lang_text.hpp"

namespace fu::cmd {

namespace {

using sv = std::string_view;

// Whether some command word is `lower` followed by a second word ("customer" of "customer add").
bool starts_two_words(sv lower) {
    for (const auto& c : commands())
        for (const auto* words : {&c.en, &c.zh})
            for (sv w : *words)
                if (w.size() > lower.size() && w.starts_with(lower) && w[lower.size()] == ' ') return true;
    return false;
}

}  // namespace

namespace detail {

Result parse_help(sv args, sv) {
    std::string t = lang::lower_ascii(args);
    if (!t.empty() && t[0] == '/') t.erase(0, 1);
    if (const auto* c = find_command(t)) t = std::string(c->name());
    return Help{t};
}

}  // namespace detail

Parsed parse(std::string_view line) {
    using detail::quote_en;
    using detail::quote_zh;
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
    if (std::size_t at = w.find('@'); at != sv::npos && at > 0) w = w.substr(0, at);
    std::string lw = lang::lower_ascii(w);
    std::size_t args_at = e;
    const CommandSpec* spec = nullptr;
    sv word = lw;                // the command word as matched
    if (starts_two_words(lw)) {  // customer add · add customer · follow up
        auto ws = lang::words(s.substr(e));
        if (!ws.empty()) {
            std::string two = lw + " " + lang::lower_ascii(s.substr(e + ws[0].b, ws[0].e - ws[0].b));
            if ((spec = find_command(two))) args_at = e + ws[0].e, word = {};
        }
    }
    if (!spec && (spec = find_command(lw))) args_at = e;
    if (!spec)
        if (auto phrase = detail::report_phrase(s.substr(wb))) return *phrase;
    if (!spec && lang::contains_cjk(w)) {  // Chinese command words may run straight into the argument
        std::size_t best = 0;
        for (const auto& c : commands())
            for (sv cw : c.zh)
                if (cw.size() > best && lang::contains_cjk(cw) && w.starts_with(cw))
                    best = cw.size(), spec = &c, word = cw;
        if (spec) args_at = wb + best;
    }
    if (!spec) {
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
    Result r = spec->parse(args, word);
    if (auto* c = std::get_if<Command>(&r)) {
        out.result = std::move(*c);
    } else {
        auto& err = std::get<ParseError>(r);
        err.usage = spec->usage;
        err.command = spec->name();
        out.result = std::move(err);
    }
    return out;
}

}  // namespace fu::cmd
