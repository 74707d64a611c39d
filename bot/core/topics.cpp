#include "core/topics.hpp"

#include <charconv>
#include <vector>

#include "core/render.hpp"

namespace fu::topics {
namespace {

constexpr std::string_view kPrefix = "auto:";
constexpr std::string_view kTight = ":tight:";

std::string days_en(int d) { return d == 1 ? "every day" : "every " + std::to_string(d) + " days"; }
std::string days_zh(int d) { return d == 1 ? "每天" : "每" + std::to_string(d) + "天"; }

std::optional<int> number(std::string_view s) {
    int n = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc{} || p != s.data() + s.size() || n <= 0) return std::nullopt;
    return n;
}

std::vector<std::string_view> fields(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        const auto end = s.find(':', start);
        out.push_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return out;
}

// The code worded, or nullopt when `stored` is not a well-formed code.
std::optional<std::string> word(std::string_view stored, Lang lang) {
    if (!stored.starts_with(kPrefix)) return std::nullopt;
    std::string_view body = stored.substr(kPrefix.size());
    std::optional<int> tight;
    if (const auto at = body.find(kTight); at != std::string_view::npos) {
        tight = number(body.substr(at + kTight.size()));
        if (!tight) return std::nullopt;
        body = body.substr(0, at);
    }
    const auto f = fields(body);
    const bool zh = lang == Lang::zh;
    std::string out;
    if (f.size() == 1 && f[0] == "import" && !tight) return std::string(zh ? "导入的跟进" : "imported follow-up");
    if (f.size() == 3 && f[0] == "tier") {
        const auto t = tier_from_code(f[1]);
        const auto d = number(f[2]);
        if (!t || !d) return std::nullopt;
        const std::string name(render::tier(*t, lang));
        out = zh ? name + "：" + days_zh(*d) : name + ": " + days_en(*d);
    } else if (f.size() == 2) {
        const auto n = number(f[1]);
        if (!n) return std::nullopt;
        const auto k = f[0];
        const auto ns = std::to_string(*n);
        if (k == "first" && !tight)
            return zh ? "新线索：" + ns + "个工作小时内首次响应"
                      : "new lead: first response within " + ns + " working hours";
        if (k == "revisit" && !tight) return zh ? "成交后第" + ns + "天回访" : "revisit " + ns + " days after the deal";
        if (k == "lead")
            out = zh ? "潜在客户：" + days_zh(*n) : "lead: " + days_en(*n);
        else if (k == "silent")
            out = zh ? "沉默客户：" + days_zh(*n) + "唤醒" : "silent: wake-up " + days_en(*n);
        else if (k == "churn")
            out = zh ? "流失风险：" + days_zh(*n) : "churn risk: " + days_en(*n);
        else
            return std::nullopt;
    } else {
        return std::nullopt;
    }
    if (tight)
        out += zh ? "，因投诉或满意度低加密为" + days_zh(*tight)
                  : ", tightened after a complaint or low satisfaction: " + days_en(*tight);
    return out;
}

}  // namespace

std::string first_response(int hours) { return "auto:first:" + std::to_string(hours); }
std::string lead(int days) { return "auto:lead:" + std::to_string(days); }
std::string revisit(int days) { return "auto:revisit:" + std::to_string(days); }
std::string tier(Tier t, int days) { return "auto:tier:" + std::string(code(t)) + ":" + std::to_string(days); }
std::string silent(int days) { return "auto:silent:" + std::to_string(days); }
std::string churn_risk(int days) { return "auto:churn:" + std::to_string(days); }
std::string imported() { return "auto:import"; }
std::string tightened(std::string code, int days) { return code + std::string(kTight) + std::to_string(days); }

std::string text(std::string_view stored, Lang lang) {
    if (auto w = word(stored, lang)) return *w;
    return std::string(stored);
}

bool is_code(std::string_view stored) { return word(stored, Lang::en).has_value(); }

// Worded topics carry at most two numbers (the interval, the tightened one);
// every code that could have been worded from them is worded both ways and
// compared. "every day" carries none: 1.
std::optional<std::string> code_of(std::string_view worded) {
    if (worded == "imported follow-up" || worded == "导入的跟进") return imported();
    std::vector<int> numbers{1};
    for (std::size_t i = 0; i < worded.size();) {
        if (worded[i] < '0' || worded[i] > '9') {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < worded.size() && worded[j] >= '0' && worded[j] <= '9') ++j;
        if (j - i > 6) return std::nullopt;
        int n = 0;
        std::from_chars(worded.data() + i, worded.data() + j, n);
        numbers.push_back(n);
        i = j;
    }
    if (numbers.size() > 3) return std::nullopt;
    std::vector<std::string> bases;
    for (const int n : numbers) {
        for (auto* make : {&first_response, &lead, &revisit, &silent, &churn_risk}) bases.push_back((*make)(n));
        for (const Tier t : {Tier::a, Tier::b, Tier::c}) bases.push_back(tier(t, n));
    }
    for (const auto& base : bases) {
        std::vector<std::string> candidates{base};
        for (const int m : numbers) candidates.push_back(tightened(base, m));
        for (const auto& c : candidates)
            for (const Lang l : {Lang::en, Lang::zh})
                if (auto w = word(c, l); w && *w == worded) return c;
    }
    return std::nullopt;
}

}  // namespace fu::topics
