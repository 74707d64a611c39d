// customer add <name> [key=value …]: field keys and values.
#include "core/commands/parsers.hpp"

#include "core/commands/args.hpp"
#include "core/lang_text.hpp"

namespace fu::cmd::detail {

namespace {

using sv = std::string_view;

constexpr sv kKeysEn = "company, phone, email, im, tier, stage, source, value, tags, owner";
constexpr sv kKeysZh = "公司、电话、邮箱、微信、等级、阶段、来源、金额、标签、负责人";

std::optional<sv> canonical_key(sv key) {
    static const std::pair<sv, sv> kKeys[] = {
        {"company", "company"}, {"公司", "company"}, {"phone", "phone"}, {"tel", "phone"},     {"mobile", "phone"},
        {"电话", "phone"},      {"手机", "phone"},   {"email", "email"}, {"mail", "email"},    {"邮箱", "email"},
        {"im", "im"},           {"wechat", "im"},    {"微信", "im"},     {"tier", "tier"},     {"等级", "tier"},
        {"级别", "tier"},       {"stage", "stage"},  {"阶段", "stage"},  {"source", "source"}, {"来源", "source"},
        {"value", "value"},     {"金额", "value"},   {"价值", "value"},  {"tags", "tags"},     {"tag", "tags"},
        {"标签", "tags"},       {"owner", "owner"},  {"负责人", "owner"}};
    std::string k = lang::lower_ascii(key);
    for (auto& [w, c] : kKeys)
        if (w == k) return c;
    return std::nullopt;
}

std::optional<std::string> tier_value(sv v) {
    std::string t = lang::lower_ascii(v);
    for (sv suffix : {"级", "类"})
        if (sv(t).ends_with(suffix)) t.resize(t.size() - suffix.size());
    if (t == "a" || t == "vip") return "A";
    if (t == "b") return "B";
    if (t == "c") return "C";
    return std::nullopt;
}

std::optional<std::string> stage_value(sv v) {
    static const std::pair<sv, sv> kStages[] = {{"lead", "lead"},
                                                {"潜在", "lead"},
                                                {"潜力", "lead"},
                                                {"潜在客户", "lead"},
                                                {"new", "new"},
                                                {"新客户", "new"},
                                                {"active", "active"},
                                                {"活跃", "active"},
                                                {"silent", "silent"},
                                                {"沉默", "silent"},
                                                {"churn_risk", "churn_risk"},
                                                {"churn-risk", "churn_risk"},
                                                {"流失风险", "churn_risk"},
                                                {"won", "won"},
                                                {"成交", "won"},
                                                {"lost", "lost"},
                                                {"流失", "lost"}};
    std::string t = lang::lower_ascii(v);
    for (auto& [w, c] : kStages)
        if (w == t) return std::string(c);
    return std::nullopt;
}

// 50000 · 50,000 · 50k · 5万 · 1.5万 · ¥20000 · 20000元 -> decimal digits.
std::optional<std::string> money_value(sv v) {
    std::string t;
    for (char c : lang::lower_ascii(v))
        if (c != ',' && c != ' ') t += c;
    sv s = t;
    for (sv p : {"¥", "￥", "rmb", "cny"})
        if (s.starts_with(p)) s.remove_prefix(p.size());
    for (sv p : {"元", "rmb", "cny"})
        if (s.ends_with(p)) s.remove_suffix(p.size());
    std::int64_t whole = 0, frac = 0, frac_div = 1;
    std::size_t i = 0;
    while (i < s.size() && lang::is_digit(s[i]) && i < 15) whole = whole * 10 + (s[i++] - '0');
    if (i == 0) return std::nullopt;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && lang::is_digit(s[i]) && frac_div < 1000000)
            frac = frac * 10 + (s[i++] - '0'), frac_div *= 10;
    }
    sv suffix = s.substr(i);
    std::int64_t mult = 0;
    static const std::pair<sv, std::int64_t> kMult[] = {{"", 1},           {"k", 1000},      {"千", 1000},
                                                        {"w", 10000},      {"万", 10000},    {"m", 1000000},
                                                        {"百万", 1000000}, {"亿", 100000000}};
    for (auto& [w, m] : kMult)
        if (suffix == w) mult = m;
    if (!mult || (frac * mult) % frac_div != 0) return std::nullopt;
    return std::to_string(whole * mult + frac * mult / frac_div);
}

std::string list_value(sv v) {
    std::string out;
    auto ws = lang::words(v);
    for (const auto& w : ws) {
        if (!out.empty()) out += ',';
        out += v.substr(w.b, w.e - w.b);
    }
    return out;
}

bool key_char_ok(sv key) {
    if (key.empty()) return false;
    for (std::size_t i = 0, n = 0; i < key.size(); i += n) {
        char32_t cp = lang::decode(key, i, &n);
        if (!(lang::is_alpha(static_cast<char>(cp < 0x80 ? cp : 0)) || cp == '_' || cp == '-' || lang::is_cjk(cp)))
            return false;
    }
    return true;
}

struct Field {
    std::size_t b;      // start of "key=value"
    std::size_t val_b;  // start of the value
    sv key;
};

}  // namespace

Result parse_customer_add(sv args, sv) {
    // Fields are tokens "key=value" / "key:value"; a value runs to the next field.
    std::vector<Field> fields;
    std::size_t i = 0;
    while (i < args.size()) {
        std::size_t b = i;
        while (i < args.size() && args[i] != ' ' && !args.substr(i).starts_with("，") &&
               !args.substr(i).starts_with("；") && args[i] != ';')
            ++i;
        sv tok = args.substr(b, i - b);
        std::size_t p = tok.find_first_of("=:");
        if (p != sv::npos && p > 0 && key_char_ok(tok.substr(0, p)) &&
            !(tok[p] == ':' && p + 1 < tok.size() && tok[p + 1] == '/'))
            fields.push_back({b, b + p + 1, tok.substr(0, p)});
        while (i < args.size() && (args[i] == ' ' || args[i] == ';')) ++i;
        while (args.substr(i).starts_with("，") || args.substr(i).starts_with("；")) i += 3;
    }
    CustomerAdd out;
    out.name = std::string(lang::trim_gaps(args.substr(0, fields.empty() ? args.size() : fields.front().b)));
    if (out.name.empty()) return fail("Missing the customer's name.", "缺少客户名称。");
    for (std::size_t k = 0; k < fields.size(); ++k) {
        const Field& f = fields[k];
        std::size_t end = k + 1 < fields.size() ? fields[k + 1].b : args.size();
        sv value = lang::trim_gaps(args.substr(f.val_b, end - f.val_b));
        std::string kq(f.key), vq(value);
        auto key = canonical_key(f.key);
        if (!key)
            return fail("Unknown field '" + kq + "'. Fields: " + std::string(kKeysEn) + ".",
                        "不认识的字段“" + kq + "”。可用字段：" + std::string(kKeysZh) + "。");
        if (value.empty()) return fail("The field '" + kq + "' has no value.", "字段“" + kq + "”没有填写内容。");
        std::optional<std::string> v;
        if (*key == "tier") {
            if (!(v = tier_value(value)))
                return fail("Unknown tier '" + vq + "': use A, B, C or VIP (VIP is A).",
                            "不认识的等级“" + vq + "”：请用 A、B、C 或 VIP（VIP 即 A）。");
        } else if (*key == "stage") {
            if (!(v = stage_value(value)))
                return fail("Unknown stage '" + vq + "': use lead, new, active, silent, churn_risk, won or lost.",
                            "不认识的阶段“" + vq + "”：请用 潜在、新客户、活跃、沉默、流失风险、成交 或 流失。");
        } else if (*key == "value") {
            if (!(v = money_value(value)))
                return fail("The value '" + vq + "' is not a whole number, e.g. 50000, 50k or 5万.",
                            "金额“" + vq + "”不是整数，例如：50000、50k 或 5万。");
        } else if (*key == "tags") {
            v = list_value(value);
        } else if (*key == "owner") {
            while (value.starts_with('@')) value.remove_prefix(1);
            v = std::string(value);
        } else if (*key == "email") {
            if (value.find('@') == sv::npos || value.find(' ') != sv::npos)
                return fail("'" + vq + "' doesn't look like an email address.", "“" + vq + "”不像是邮箱地址。");
            v = std::string(value);
        } else if (*key == "phone") {
            int digits = 0;
            for (char c : value) {
                if (lang::is_digit(c))
                    ++digits;
                else if (c != '+' && c != '-' && c != ' ' && c != '(' && c != ')')
                    digits = -100;
            }
            if (digits < 5)
                return fail("'" + vq + "' doesn't look like a phone number.", "“" + vq + "”不像是电话号码。");
            v = std::string(value);
        } else {
            v = std::string(value);
        }
        out.fields[std::string(*key)] = *v;
    }
    return out;
}

// find <words>: each word is a tier, a stage, phone digits or a fragment of a
// name, company or tag; "tier" / "stage" (等级 / 阶段) before a value, or as
// "tier=a", say which. Every one must match (see run(Find) in bot_book.cpp).
Result parse_find(sv args, sv) {
    Find f;
    f.query = std::string(lang::trim_gaps(args));
    for (const auto& span : lang::words(args)) {
        sv w = args.substr(span.b, span.e - span.b);
        std::optional<sv> key;
        if (const auto eq = w.find('='); eq != sv::npos) {
            key = canonical_key(w.substr(0, eq));
            w = w.substr(eq + 1);
        } else if (auto k = canonical_key(w); k && (*k == "tier" || *k == "stage")) {
            continue;  // "tier A": the value follows
        }
        if (w.empty()) continue;
        if (!key || *key == "tier")
            if (auto t = tier_value(w)) {
                f.tier = tier_from_code(*t);
                continue;
            }
        if (!key || *key == "stage")
            if (auto st = stage_value(w)) {
                f.stage = stage_from_code(*st);
                continue;
            }
        std::string digits;
        bool phone_like = true;
        for (const char c : w) {
            if (c >= '0' && c <= '9')
                digits += c;
            else if (c != '+' && c != '-' && c != '(' && c != ')' && c != '.')
                phone_like = false;
        }
        if (phone_like && digits.size() >= 4) {
            f.digits.push_back(digits);
            continue;
        }
        f.words.emplace_back(w);
    }
    if (f.words.empty() && f.digits.empty() && !f.tier && !f.stage)
        return fail("Missing what to look for.", "缺少要查找的内容。");
    return f;
}

}  // namespace fu::cmd::detail
