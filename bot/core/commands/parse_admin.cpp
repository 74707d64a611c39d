// lang, and the admins' link, unlink and audit.
#include "core/commands/parsers.hpp"

#include <algorithm>

#include "core/commands/args.hpp"
#include "core/lang_text.hpp"

namespace fu::cmd::detail {

namespace {

using sv = std::string_view;

constexpr sv kPlatformsEn = "telegram, slack, feishu, dingtalk or wecom";
constexpr sv kPlatformsZh = "telegram、slack、飞书、钉钉 或 企业微信";

// The platform word of link / unlink, canonical.
std::variant<std::string, ParseError> platform_arg(sv word) {
    if (auto p = platform_from_word(word)) return *p;
    return fail("Unknown platform " + quote_en(word) + ": use " + std::string(kPlatformsEn) + ".",
                "不支持的平台" + quote_zh(word) + "：请用 " + std::string(kPlatformsZh) + "。");
}

bool notify_word(sv w) {
    std::string lw = lang::lower_ascii(w);
    return lw == "notify" || lw == "提醒";
}

}  // namespace

Result parse_lang(sv args, sv) {
    std::string a = lang::lower_ascii(lang::trim_gaps(args));
    for (sv w : {"en", "english", "eng", "英文", "英语"})
        if (a == w) return SetLang{Lang::en};
    for (sv w : {"zh", "chinese", "cn", "中文", "汉语", "简体中文"})
        if (a == w) return SetLang{Lang::zh};
    if (a.empty()) return fail("Missing the language: en or zh.", "缺少语言：en（英文）或 zh（中文）。");
    return fail("Unknown language " + quote_en(args) + ": use en or zh.",
                "不支持的语言" + quote_zh(args) + "：请用 en（英文）或 zh（中文）。");
}

// link <platform> <platform user id> <user> [notify]
Result parse_link(sv args, sv) {
    auto ws = lang::words(args);
    auto word = [&](std::size_t i) { return args.substr(ws[i].b, ws[i].e - ws[i].b); };
    if (ws.empty())
        return fail("Missing the platform, the platform user id and the user.", "缺少平台、平台用户ID和用户。");
    auto platform = platform_arg(word(0));
    if (auto* e = std::get_if<ParseError>(&platform)) return *e;
    if (ws.size() == 1) return fail("Missing the platform user id and the user.", "缺少平台用户ID和用户。");
    Link l;
    l.platform = std::get<std::string>(platform);
    l.external_id = std::string(word(1));
    sv user = ws.size() >= 3 ? word(2) : sv{};
    while (user.starts_with('@')) user.remove_prefix(1);
    if (user.empty() || (ws.size() == 3 && notify_word(user)))
        return fail("Missing the user to link the account to.", "缺少要关联的用户。");
    l.user = std::string(user);
    if (ws.size() >= 4) {
        if (ws.size() > 4 || !notify_word(word(3))) {
            sv extra = shorten(lang::trim_gaps(args.substr(ws[3].b)));
            return fail(quote_en(extra) + " after the user was not understood: only 'notify' may follow it.",
                        "用户后面的" + quote_zh(extra) + "看不懂：后面只能写“提醒”。");
        }
        l.notify = true;
    }
    return l;
}

// unlink <platform> <platform user id>
Result parse_unlink(sv args, sv) {
    auto ws = lang::words(args);
    auto word = [&](std::size_t i) { return args.substr(ws[i].b, ws[i].e - ws[i].b); };
    if (ws.empty()) return fail("Missing the platform and the platform user id.", "缺少平台和平台用户ID。");
    auto platform = platform_arg(word(0));
    if (auto* e = std::get_if<ParseError>(&platform)) return *e;
    if (ws.size() == 1) return fail("Missing the platform user id.", "缺少平台用户ID。");
    if (ws.size() > 2) {
        sv extra = shorten(lang::trim_gaps(args.substr(ws[2].b)));
        return fail(quote_en(extra) +
                        " after the platform user id was not understood: unlink needs only the "
                        "platform and the id.",
                    "平台用户ID后面的" + quote_zh(extra) + "看不懂：取消关联只需要平台和平台用户ID。");
    }
    return Unlink{std::get<std::string>(platform), std::string(word(1))};
}

// audit [n] [@user | customer | task:N]
Result parse_audit(sv args, sv) {
    Audit out;
    auto ws = lang::words(args);
    sv rest = args;
    if (!ws.empty()) {
        sv first = args.substr(ws[0].b, ws[0].e - ws[0].b);
        if (std::all_of(first.begin(), first.end(), [](char c) { return lang::is_digit(c); })) {
            int n = 0;
            for (char c : first) n = std::min(n * 10 + (c - '0'), 100000);
            if (n < 1 || n > 100)
                return fail("The number of entries must be 1 to 100, not " + std::string(shorten(first)) + ".",
                            "条数应为1到100，而不是" + std::string(shorten(first)) + "。");
            out.count = n;
            rest = lang::trim_gaps(args.substr(ws[0].e));
        }
    }
    if (rest.empty()) return out;
    if (rest.starts_with('@')) {
        sv h = rest;
        while (h.starts_with('@')) h.remove_prefix(1);
        h = lang::trim_gaps(h);
        if (h.empty()) return fail("Missing the user after '@'.", "“@”后面缺少用户。");
        auto hs = lang::words(h);
        if (hs.size() > 1) {
            sv extra = shorten(lang::trim_gaps(h.substr(hs[1].b)));
            return fail(quote_en(extra) +
                            " after the user was not understood: write the number first, then one "
                            "filter, e.g. audit 20 @wang.",
                        "用户后面的" + quote_zh(extra) + "看不懂：先写条数，再写一个筛选条件，例如：审计 20 @wang。");
        }
        out.user = std::string(h);
        return out;
    }
    const std::string lower = lang::lower_ascii(rest);
    for (sv p : {"task", "任务"}) {
        if (!sv(lower).starts_with(p)) continue;
        sv after = rest.substr(p.size());
        if (!after.empty() && after[0] != ':' && after[0] != ' ' && after[0] != '#' && !lang::is_digit(after[0]))
            break;  // "Taskforce": a customer
        if (after.starts_with(':')) after.remove_prefix(1);
        sv tail;
        auto id = task_id(lang::trim_gaps(after), &tail);
        if (auto* e = std::get_if<ParseError>(&id)) return *e;
        if (!tail.empty())
            return fail(quote_en(shorten(tail)) + " after the task id was not understood: use one filter.",
                        "任务编号后面的" + quote_zh(shorten(tail)) + "看不懂：只用一个筛选条件。");
        out.task = std::get<TaskId>(id);
        return out;
    }
    if (rest.starts_with('#') && rest.size() > 1 && lang::is_digit(rest[1])) {  // #42: a task
        sv tail;
        auto id = task_id(rest, &tail);
        if (auto* e = std::get_if<ParseError>(&id)) return *e;
        if (tail.empty()) {
            out.task = std::get<TaskId>(id);
            return out;
        }
    }
    out.customer = customer_ref(rest);
    return out;
}

}  // namespace fu::cmd::detail
