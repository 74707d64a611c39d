// The pieces command arguments are made of: task ids, customers, quoted names.
#include "core/commands/args.hpp"

#include "core/lang_text.hpp"

namespace fu::cmd::detail {

using sv = std::string_view;

ParseError fail(std::string en, std::string zh) { return {{std::move(en), std::move(zh)}, {}}; }

std::string quote_en(sv s) { return "'" + std::string(s) + "'"; }
std::string quote_zh(sv s) { return "“" + std::string(s) + "”"; }

std::optional<Quoted> quoted(sv s) {
    static constexpr std::pair<sv, sv> kQuotes[] = {{"\"", "\""}, {"'", "'"},   {"“", "”"},
                                                    {"‘", "’"},   {"「", "」"}, {"『", "』"}};
    for (auto [open, close] : kQuotes) {
        if (!s.starts_with(open)) continue;
        std::size_t e = s.find(close, open.size());
        if (e == sv::npos) return Quoted{{}, sv::npos};
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
    if (id.starts_with('#')) id.remove_prefix(1);
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

bool missing(const CustomerRef& c) { return !c.id && c.name.empty(); }

std::variant<Lead, ParseError> leading_customer(sv args) {
    std::size_t end = 0;
    if (auto q = quoted(args)) {
        if (q->len == sv::npos)
            return fail("The quote around the customer's name is not closed.", "客户名称的引号没有闭合。");
        end = q->len;
    } else {
        while (end < args.size() && !lang::gap_len(args, end) && args[end] != ':') ++end;
    }
    sv rest = args.substr(end);
    if (rest.starts_with(':')) rest.remove_prefix(1);
    return Lead{customer_ref(args.substr(0, end)), lang::trim_gaps(rest)};
}

// A task id at the start of `args` ("42", "#42"); `rest` gets what follows.
std::variant<TaskId, ParseError> task_id(sv args, sv* rest) {
    if (args.empty())
        return fail("Missing the task id (the number in the reminder).", "缺少任务编号（提醒消息里的数字）。");
    std::size_t i = args[0] == '#' ? 1 : 0, b = i;
    std::int64_t v = 0;
    while (i < args.size() && lang::is_digit(args[i]) && i - b < 15) v = v * 10 + (args[i++] - '0');
    bool ends = i == args.size() || lang::gap_len(args, i) || lang::cjk_at(args, i);
    if (i == b || !ends) {
        std::size_t e = 0;
        while (e < args.size() && !lang::gap_len(args, e)) ++e;
        sv word = args.substr(0, e);
        return fail("The task id must be a number like 42, not " + quote_en(word) + ".",
                    "任务编号应该是数字（例如 42），而不是" + quote_zh(word) + "。");
    }
    if (v == 0) return fail("There is no task 0; task ids start at 1.", "没有0号任务，任务编号从1开始。");
    *rest = lang::trim_gaps(args.substr(i));
    return TaskId{v};
}

bool boundary_before(sv s, std::size_t i) {
    if (i == 0) return true;
    if (s[i - 1] == ' ' || s[i - 1] == ',' || s[i - 1] == ';') return true;
    return (i >= 3 && lang::separator_len(s, i - 3) == 3) || lang::cjk_before(s, i);
}

// At most about 60 bytes of `s` for quoting, cut at a character boundary.
sv shorten(sv s) {
    if (s.size() <= 60) return s;
    std::size_t e = 60;
    while (e > 0 && (static_cast<unsigned char>(s[e]) & 0xC0) == 0x80) --e;
    return s.substr(0, e);
}

}  // namespace fu::cmd::detail
