// The words inside commands: results, platforms, methods and outcomes.
#include "core/commands/vocab.hpp"

#include <algorithm>

#include "core/command.hpp"
#include "core/lang_text.hpp"

namespace fu::cmd {

namespace {

using sv = std::string_view;

struct ResultWord {
    sv word;
    sv code;
};

const std::vector<ResultWord>& result_words() {
    static const std::vector<ResultWord> kWords = {
        {"reached", "reached"},
        {"connected", "reached"},
        {"answered", "reached"},
        {"已接通", "reached"},
        {"接通", "reached"},
        {"联系上", "reached"},
        {"no answer", "no_answer"},
        {"noanswer", "no_answer"},
        {"missed", "no_answer"},
        {"未接通", "no_answer"},
        {"未接", "no_answer"},
        {"没接", "no_answer"},
        {"无人接听", "no_answer"},
        {"interested", "interested"},
        {"有意向", "interested"},
        {"感兴趣", "interested"},
        {"not interested", "not_interested"},
        {"无意向", "not_interested"},
        {"没兴趣", "not_interested"},
        {"不感兴趣", "not_interested"},
        {"quote sent", "quote_sent"},
        {"quoted", "quote_sent"},
        {"已报价", "quote_sent"},
        {"报价", "quote_sent"},
        {"meeting", "meeting"},
        {"meeting booked", "meeting"},
        {"已约见", "meeting"},
        {"约见", "meeting"},
        {"won", "won"},
        {"deal", "won"},
        {"成交", "won"},
        {"已成交", "won"},
        {"签单", "won"},
        {"lost", "lost"},
        {"丢单", "lost"},
        {"complaint", "complaint"},
        {"投诉", "complaint"},
        {"resolved", "resolved"},
        {"fixed", "resolved"},
        {"已解决", "resolved"},
        {"解决", "resolved"},
        {"已处理", "resolved"},
        {"call back", "callback"},
        {"callback", "callback"},
        {"回电", "callback"},
        {"需回电", "callback"},
    };
    return kWords;
}

}  // namespace

const std::vector<ResultName>& result_codes() {
    static const std::vector<ResultName> kCodes = {
        {"reached", "reached", "已接通"},
        {"no_answer", "no answer", "未接通"},
        {"interested", "interested", "有意向"},
        {"not_interested", "not interested", "无意向"},
        {"quote_sent", "quote sent", "已报价"},
        {"meeting", "meeting booked", "已约见"},
        {"won", "won", "成交"},
        {"lost", "lost", "丢单"},
        {"complaint", "complaint", "投诉"},
        {"resolved", "resolved", "已解决"},  // the only result that closes a complaint task
        {"callback", "call back", "需回电"},
    };
    return kCodes;
}

std::optional<std::string_view> result_from_word(std::string_view word) {
    std::string w;
    for (char c : lang::lower_ascii(lang::trim_gaps(lang::normalized(word)))) {
        if (c == '-' || c == '_') c = ' ';
        if (c == ' ' && (w.empty() || w.back() == ' ')) continue;
        w += c;
    }
    for (const auto& r : result_codes()) {
        std::string code(r.code);
        std::replace(code.begin(), code.end(), '_', ' ');
        if (w == code) return r.code;
    }
    for (const auto& r : result_words())
        if (w == r.word) return r.code;
    return std::nullopt;
}

std::optional<std::string> platform_from_word(std::string_view word) {
    static const std::pair<sv, sv> kPlatforms[] = {
        {"telegram", "telegram"}, {"slack", "slack"},       {"feishu", "feishu"},
        {"飞书", "feishu"},       {"dingtalk", "dingtalk"}, {"钉钉", "dingtalk"},
        {"wecom", "wecom"},       {"企业微信", "wecom"},    {"企微", "wecom"}};
    const std::string w = lang::lower_ascii(lang::trim_gaps(lang::normalized(word)));
    for (auto& [name, code] : kPlatforms)
        if (w == name) return std::string(code);
    return std::nullopt;
}

namespace detail {

std::optional<Method> method_word(std::string_view lower) {
    static const std::pair<sv, Method> kWords[] = {
        {"call", Method::call},  {"phone", Method::call},  {"电话", Method::call},    {"打电话", Method::call},
        {"致电", Method::call},  {"email", Method::email}, {"e-mail", Method::email}, {"mail", Method::email},
        {"邮件", Method::email}, {"visit", Method::visit}, {"拜访", Method::visit},   {"上门", Method::visit},
        {"面谈", Method::visit}, {"im", Method::im},       {"wechat", Method::im},    {"chat", Method::im},
        {"微信", Method::im},    {"消息", Method::im},     {"other", Method::other},  {"其他", Method::other}};
    for (auto& [w, m] : kWords)
        if (w == lower) return m;
    return std::nullopt;
}

std::size_t method_prefix(std::string_view s, Method* m) {
    static const std::pair<sv, Method> kWords[] = {
        {"打电话", Method::call}, {"电话", Method::call},  {"致电", Method::call},  {"邮件", Method::email},
        {"拜访", Method::visit},  {"上门", Method::visit}, {"面谈", Method::visit}, {"微信", Method::im},
        {"消息", Method::im},     {"其他", Method::other}};
    for (auto& [w, mm] : kWords)
        if (s.starts_with(w)) return *m = mm, w.size();
    return 0;
}

namespace {

constexpr std::pair<sv, Stage> kChineseOutcomes[] = {{"成交", Stage::won},  {"赢单", Stage::won},
                                                     {"签单", Stage::won},  {"丢单", Stage::lost},
                                                     {"输单", Stage::lost}, {"流失", Stage::lost}};

}  // namespace

std::optional<Stage> outcome_word(std::string_view lower) {
    if (lower == "won" || lower == "win") return Stage::won;
    if (lower == "lost" || lower == "lose") return Stage::lost;
    for (auto& [w, st] : kChineseOutcomes)
        if (w == lower) return st;
    return std::nullopt;
}

std::size_t outcome_suffix(std::string_view word, Stage* outcome) {
    for (auto& [w, st] : kChineseOutcomes)
        if (word.size() > w.size() && word.ends_with(w) && lang::cjk_before(word, word.size() - w.size()))
            return *outcome = st, w.size();
    return 0;
}

std::vector<std::string_view> split_results(std::string_view s) {
    // Longest match first with backtracking over a small DP: best[i] = code list for s[i..].
    const std::size_t n = s.size();
    std::vector<int> next(n + 1, -1);  // next[i]: end of the word starting at i on a full split
    std::vector<std::string_view> code_at(n + 1);
    std::vector<bool> ok(n + 1, false);
    ok[n] = true;
    for (std::size_t i = n; i-- > 0;) {
        std::size_t best = 0;
        for (const auto& r : result_words()) {
            if (!lang::contains_cjk(r.word) || !s.substr(i).starts_with(r.word)) continue;
            std::size_t e = i + r.word.size();
            if (ok[e] && r.word.size() > best) best = r.word.size(), code_at[i] = r.code;
        }
        if (best) ok[i] = true, next[i] = static_cast<int>(i + best);
    }
    std::vector<std::string_view> out;
    if (n == 0 || !ok[0]) return out;
    for (std::size_t i = 0; i < n; i = static_cast<std::size_t>(next[i])) out.push_back(code_at[i]);
    return out;
}

}  // namespace detail

}  // namespace fu::cmd
