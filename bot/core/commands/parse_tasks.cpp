// snooze, reschedule and followup: a task or customer and a time.
#include "core/commands/parsers.hpp"

#include <type_traits>

#include "core/commands/args.hpp"
#include "core/commands/vocab.hpp"
#include "core/lang_text.hpp"

namespace fu::cmd::detail {

namespace {

using sv = std::string_view;

// snooze / reschedule <task id> [for|until|to|到] <time>
template <class T>
Result task_time(sv args) {
    sv rest;
    auto id = task_id(args, &rest);
    if (auto* e = std::get_if<ParseError>(&id)) return *e;
    std::size_t e = 0;
    while (e < rest.size() && !lang::gap_len(rest, e)) ++e;
    std::string first = lang::lower_ascii(rest.substr(0, e));
    if (first == "for" || first == "until" || first == "till" || first == "to") rest.remove_prefix(e);
    for (sv f : {"到", "至"})
        if (rest.starts_with(f)) {
            rest.remove_prefix(f.size());
            break;
        }
    rest = lang::trim_gaps(rest);
    constexpr bool reschedule = std::is_same_v<T, Reschedule>;
    if (rest.empty() && reschedule)
        return fail("Missing the new due time, e.g. fri 3pm or tomorrow 10am.",
                    "缺少新的到期时间，例如：周五下午3点 或 明天上午10点。");
    if (rest.empty())
        return fail("Missing the time to snooze until, e.g. 2h or tomorrow 10am.",
                    "缺少推迟到的时间，例如：2小时后 或 明天上午10点。");
    if (auto why = lang::time_syntax_error(rest)) return fail(why->en, why->zh);
    return T{std::get<TaskId>(id), std::string(rest)};
}

}  // namespace

Result parse_snooze(sv args, sv) { return task_time<Snooze>(args); }

Result parse_reschedule(sv args, sv) { return task_time<Reschedule>(args); }

Result parse_followup(sv args, sv) {
    auto ws = lang::words(args);
    if (ws.empty()) return fail("Missing the customer and the time.", "缺少客户和时间。");
    std::string lower = lang::lower_ascii(args);
    std::size_t at = 0, len = 0;
    for (std::size_t k = 1; k < ws.size() && !len; ++k)
        if ((len = lang::time_prefix(sv(lower).substr(ws[k].b)))) at = ws[k].b;
    if (!len) {  // a time written straight after a Chinese name: 华为明天上午10点
        for (std::size_t i = ws[0].b, n = 0; i < args.size() && i < 240 && !len; i += n) {
            lang::decode(args, i, &n);
            if (i > ws[0].b && lang::cjk_before(args, i) && (lang::cjk_at(args, i) || lang::is_digit(args[i])) &&
                (len = lang::time_prefix(sv(lower).substr(i))))
                at = i;
        }
    }
    if (!len) {
        if (ws.size() == 1) return fail("Missing the time, e.g. tomorrow 10am.", "缺少时间，例如：明天上午10点。");
        return fail(
            "I couldn't find a time after the customer. Try: in 2h · tomorrow 10am · fri 3pm · 2026-12-01 10:00",
            "在客户名称后面没有找到时间。可以这样写：2小时后 · 明天上午10点 · 周五下午3点 · 2026-12-01 10:00");
    }
    // A time word left in front of the time found ("宏达机械 上个月1号", "Globex yesterday 3pm"):
    // the time was not understood, and the customer is not "宏达机械 上个月". English
    // names may end in a weekday or month ("Golden Sun"), so only words that never
    // end a name count there.
    {
        sv name = args.substr(0, at);
        std::size_t from = at;
        if (std::size_t n = lang::time_word_suffix(name))  // 宏达机械下个月, 宏达机械 上周
            from = at - n;
        auto ws_name = lang::words(lang::trim_gaps(name));
        if (from == at && ws_name.size() >= 2) {
            sv trimmed = lang::trim_gaps(name);
            sv tail = trimmed.substr(ws_name.back().b, ws_name.back().e - ws_name.back().b);
            const std::string t = lang::lower_ascii(tail);
            if (t == "yesterday" || t == "today" || t == "tomorrow" || t == "tonight" || t == "last" ||
                (lang::contains_cjk(tail) && lang::starts_like_time(t)))
                from = static_cast<std::size_t>(tail.data() - args.data());
        }
        if (from < at) {
            auto why = lang::unknown_time_message(lang::trim_gaps(args.substr(from, at + len - from)));
            return fail(why.en, why.zh);
        }
    }
    Followup f;
    f.customer = customer_ref(args.substr(0, at));
    f.when = std::string(lang::trim_gaps(args.substr(at, len)));
    sv rest = lang::trim_gaps(args.substr(at + len));
    std::size_t e = 0;
    while (e < rest.size() && !lang::gap_len(rest, e)) ++e;
    Method m{};
    if (auto mw = method_word(lang::lower_ascii(rest.substr(0, e)))) {
        f.method = *mw;
        rest = rest.substr(e);
    } else if (std::size_t n = method_prefix(rest, &m)) {
        f.method = m;
        rest = rest.substr(n);
    }
    f.topic = std::string(lang::trim_gaps(rest));
    return f;
}

}  // namespace fu::cmd::detail
