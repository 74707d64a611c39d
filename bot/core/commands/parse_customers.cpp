// Commands about one customer: history, who, claim, assign, complaint, release, close, handover.
#include "core/commands/parsers.hpp"

#include "core/commands/args.hpp"
#include "core/commands/vocab.hpp"
#include "core/lang_text.hpp"

namespace fu::cmd::detail {

using sv = std::string_view;

Result parse_history(sv args, sv) {
    if (args.empty()) return fail("Missing the customer.", "缺少客户。");
    return History{customer_ref(args)};
}

Result parse_who(sv args, sv) {
    if (auto c = customer_ref(args); !missing(c)) return Who{c};
    return fail("Missing the customer.", "缺少客户。");
}

Result parse_claim(sv args, sv) {
    if (auto c = customer_ref(args); !missing(c)) return Claim{c};
    return fail("Missing the customer.", "缺少客户。");
}

Result parse_assign(sv args, sv) {
    auto ws = lang::words(args);
    if (ws.size() < 2)
        return fail(ws.empty() ? "Missing the customer and the rep." : "Missing the rep to assign to.",
                    ws.empty() ? "缺少客户和销售。" : "缺少要转给的销售。");
    sv rep = args.substr(ws.back().b, ws.back().e - ws.back().b);
    std::size_t cut = ws.back().b;
    // After "to" the rep may be a display name of several words: "assign Acme to Wang Wei".
    for (std::size_t i = ws.size() - 1; i-- > 1;) {
        std::string w = lang::lower_ascii(args.substr(ws[i].b, ws[i].e - ws[i].b));
        if (w == "to" || w == "给" || w == "->") {
            rep = lang::trim_gaps(args.substr(ws[i + 1].b));
            cut = ws[i].b;
            break;
        }
    }
    while (rep.starts_with('@')) rep.remove_prefix(1);
    if (rep.empty()) return fail("Missing the rep to assign to.", "缺少要转给的销售。");
    Assign a;
    a.customer = customer_ref(args.substr(0, cut));
    a.rep = std::string(rep);
    if (a.customer.name.empty() && !a.customer.id) return fail("Missing the customer.", "缺少客户。");
    return a;
}

Result parse_complaint(sv args, sv) {
    if (args.empty()) return fail("Missing the customer and what they complain about.", "缺少客户和投诉内容。");
    auto lead = leading_customer(args);
    if (auto* e = std::get_if<ParseError>(&lead)) return *e;
    auto& [customer, text] = std::get<Lead>(lead);
    if (missing(customer)) return fail("Missing the customer.", "缺少客户。");
    if (text.empty())
        return fail("Missing what the customer complains about, after the customer and a space.",
                    "缺少投诉内容（写在客户后面，用空格隔开）。");
    return Complaint{customer, std::string(text)};
}

Result parse_release(sv args, sv) {
    auto lead = leading_customer(args);
    if (auto* e = std::get_if<ParseError>(&lead)) return *e;
    auto& [customer, reason] = std::get<Lead>(lead);
    if (missing(customer)) return fail("Missing the customer.", "缺少客户。");
    return Release{customer, std::string(reason)};
}

// handover <from> [to|给|到|->] <to>
Result parse_handover(sv args, sv) {
    auto ws = lang::words(args);
    auto handle = [&](std::size_t i) {
        sv w = args.substr(ws[i].b, ws[i].e - ws[i].b);
        while (w.starts_with('@')) w.remove_prefix(1);
        return w;
    };
    if (ws.size() == 3) {
        std::string mid = lang::lower_ascii(args.substr(ws[1].b, ws[1].e - ws[1].b));
        if (mid == "to" || mid == "给" || mid == "到" || mid == "->" || mid == "→") ws.erase(ws.begin() + 1);
    }
    if (ws.empty())
        return fail("Missing the rep to hand over from and the rep to hand over to.", "缺少交出的销售和接手的销售。");
    if (handle(0).empty()) return fail("Missing the rep to hand over from.", "缺少交出的销售。");
    if (ws.size() == 1 || handle(1).empty()) return fail("Missing the rep to hand over to.", "缺少接手的销售。");
    if (ws.size() > 2) {
        sv extra = shorten(lang::trim_gaps(args.substr(ws[2].b)));
        return fail(quote_en(extra) +
                        " after the rep to hand over to was not understood: handover needs only the "
                        "two reps.",
                    "接手的销售后面的" + quote_zh(extra) + "看不懂：交接只需要两位销售。");
    }
    return Handover{std::string(handle(0)), std::string(handle(1))};
}

// close <customer> won|lost [note]: as in log, the customer is everything before the first
// outcome word after the first word, so "Lost Horizons won" names the customer "Lost Horizons".
Result parse_close(sv args, sv) {
    auto ws = lang::words(args);
    auto lower_word = [&](std::size_t i) {
        std::string w = lang::lower_ascii(args.substr(ws[i].b, ws[i].e - ws[i].b));
        for (sv p : {".", "!", "。", "！"})  // "close Acme won."
            if (w.size() > p.size() && sv(w).ends_with(p)) w.resize(w.size() - p.size());
        return w;
    };
    auto close = [&](std::size_t customer_end, Stage outcome, std::size_t note_at) {
        Close c;
        c.customer = customer_ref(args.substr(0, customer_end));
        c.outcome = outcome;
        c.note = std::string(lang::trim_gaps(args.substr(note_at)));
        return c;
    };
    if (ws.empty()) return fail("Missing the customer and the outcome: won or lost.", "缺少客户和结果：成交或丢单。");
    for (std::size_t k = 1; k < ws.size(); ++k)
        if (auto outcome = outcome_word(lower_word(k))) return close(ws[k].b, *outcome, ws[k].e);
    for (std::size_t k = 0; k < ws.size(); ++k) {  // "结案 华为成交": the outcome straight after a Chinese name
        Stage outcome{};
        std::string w = lower_word(k);
        if (std::size_t n = outcome_suffix(w, &outcome)) return close(ws[k].b + w.size() - n, outcome, ws[k].e);
    }
    if (outcome_word(lower_word(0))) return fail("Missing the customer before the outcome.", "结果前面缺少客户。");
    if (ws.size() == 1)
        return fail("Missing the outcome after the customer: won or lost.", "客户后面缺少结果：成交或丢单。");
    // Names are mostly one word, so the second word stands where the outcome belongs.
    sv second = args.substr(ws[1].b, ws[1].e - ws[1].b);
    return fail("Unknown outcome " + quote_en(second) + ": use won or lost.",
                "不认识的结果" + quote_zh(second) + "：请用 成交 或 丢单。");
}

}  // namespace fu::cmd::detail
