// Column names and cell values of customer files (see csv_columns.hpp).
#include "data/csv_columns.hpp"

#include <cmath>

#include "data/csv_text.hpp"

namespace fu::data::columns {

const std::vector<Spec>& specs() {
    static const std::vector<Spec> all = {
        {Col::customer_id, "customer_id", "系统编号", {"系统编号", "customerid"}},
        {Col::external_id, "external_id", "外部编号", {"外部编号", "客户编号", "externalid", "id"}},
        {Col::name, "name", "客户名称", {"客户名称", "客户", "名称", "客户名", "name", "customername", "customer"}},
        {Col::company, "company", "公司", {"公司", "公司名称", "单位", "company"}},
        {Col::phone, "phone", "联系电话", {"联系电话", "电话", "手机", "手机号", "phone", "mobile", "tel"}},
        {Col::email, "email", "邮箱", {"邮箱", "电子邮箱", "email"}},
        {Col::im, "im", "微信", {"微信", "微信号", "im", "wechat"}},
        {Col::owner, "owner", "负责人", {"负责人", "销售", "跟进人", "owner"}},
        {Col::tier, "tier", "客户分级", {"客户分级", "分级", "等级", "客户等级", "tier"}},
        {Col::stage, "stage", "客户类型", {"客户类型", "阶段", "客户阶段", "stage"}},
        {Col::source, "source", "来源", {"来源", "客户来源", "source"}},
        {Col::value, "value", "金额", {"金额", "预计金额", "value", "amount"}},
        {Col::tags, "tags", "标签", {"标签", "tags", "tag"}},
        {Col::next_followup,
         "next_followup",
         "下次跟进",
         {"下次跟进", "下次跟进时间", "nextfollowup", "nextfollowupat"}},
        {Col::topic, "topic", "跟进内容", {"跟进内容", "跟进主题", "topic"}},
        {Col::read_only, "team", "团队", {"团队", "team"}},
        {Col::read_only, "last_contact", "最近联系", {"最近联系", "lastcontact"}},
        {Col::read_only, "created_at", "创建时间", {"创建时间", "createdat"}},
    };
    return all;
}

std::string normalize(std::string_view header) {
    std::string s = csv::lower(csv::trim(header));
    // A trailing note in brackets: "金额(元)", "金额（元）".
    for (const std::string_view open : {"(", "（"}) {
        const auto pos = s.find(open);
        if (pos != std::string::npos && pos > 0) s.erase(pos);
    }
    std::string out;
    constexpr std::string_view ideographic = "\xE3\x80\x80";
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (std::string_view(s).substr(i).starts_with(ideographic)) {
            i += ideographic.size() - 1;
            continue;
        }
        const char c = s[i];
        if (c == ' ' || c == '_' || c == '-' || c == '*' || c == '\t') continue;
        out += c;
    }
    return out;
}

std::optional<Col> find(std::string_view header) {
    const auto key = normalize(header);
    for (const auto& spec : specs())
        for (const auto name : spec.names)
            if (key == name) return spec.col;
    return std::nullopt;
}

std::string known_list() {
    std::string out;
    for (const auto& spec : specs()) {
        if (spec.col == Col::read_only) continue;
        if (!out.empty()) out += ", ";
        out += std::string(spec.zh) + "/" + std::string(spec.en);
    }
    return out;
}

namespace {

bool strip_suffix(std::string& s, std::string_view suffix) {
    if (s.size() <= suffix.size() || !std::string_view(s).ends_with(suffix)) return false;
    s.erase(s.size() - suffix.size());
    return true;
}

std::string squeeze(std::string_view text) {
    std::string out;
    for (const char c : csv::lower(csv::trim(text)))
        if (c != ' ' && c != '_' && c != '-') out += c;
    return out;
}

void erase_all(std::string& s, std::string_view what) {
    for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what)) s.erase(pos, what.size());
}

}  // namespace

std::optional<Tier> parse_tier(std::string_view text) {
    std::string s = squeeze(text);
    for (const std::string_view suffix : {"类客户", "级客户", "客户", "类", "级"})
        if (strip_suffix(s, suffix)) break;
    if (s == "a" || s == "vip") return Tier::a;
    if (s == "b") return Tier::b;
    if (s == "c") return Tier::c;
    return std::nullopt;
}

std::optional<Stage> parse_stage(std::string_view text) {
    const std::string s = squeeze(text);
    struct Word {
        std::string_view word;
        Stage stage;
    };
    static constexpr Word words[] = {
        {"lead", Stage::lead},
        {"potential", Stage::lead},
        {"潜在", Stage::lead},
        {"潜在客户", Stage::lead},
        {"潜力", Stage::lead},
        {"潜力客户", Stage::lead},
        {"线索", Stage::lead},
        {"new", Stage::new_customer},
        {"newcustomer", Stage::new_customer},
        {"新客户", Stage::new_customer},
        {"active", Stage::active},
        {"活跃", Stage::active},
        {"活跃客户", Stage::active},
        {"silent", Stage::silent},
        {"沉默", Stage::silent},
        {"沉默客户", Stage::silent},
        {"churnrisk", Stage::churn_risk},
        {"流失风险", Stage::churn_risk},
        {"won", Stage::won},
        {"成交", Stage::won},
        {"已成交", Stage::won},
        {"lost", Stage::lost},
        {"丢单", Stage::lost},
        {"流失", Stage::lost},
        {"已流失", Stage::lost},
    };
    for (const auto& w : words)
        if (s == w.word) return w.stage;
    return std::nullopt;
}

std::optional<std::int64_t> parse_value(std::string_view text) {
    std::string s = csv::lower(csv::trim(text));
    for (const std::string_view noise : {"¥", "￥", "元", "cny", "rmb", ",", "，", " "}) erase_all(s, noise);
    long double mult = 1;
    if (strip_suffix(s, "万")) mult = 10000;
    if (s.empty() || s.size() > 18) return std::nullopt;
    long double whole = 0, frac = 0, scale = 1;
    bool dot = false, any = false;
    for (const char c : s) {
        if (c == '.' && !dot) {
            dot = true;
            continue;
        }
        if (c < '0' || c > '9') return std::nullopt;
        any = true;
        if (!dot)
            whole = whole * 10 + (c - '0');
        else
            frac += (c - '0') * (scale /= 10);
    }
    if (!any) return std::nullopt;
    return static_cast<std::int64_t>(std::llround((whole + frac) * mult));
}

std::vector<std::string> split_tags(std::string_view text) {
    std::string s(text);
    for (const std::string_view sep : {"，", "；", "、", ";"})
        for (auto pos = s.find(sep); pos != std::string::npos; pos = s.find(sep)) s.replace(pos, sep.size(), ",");
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        auto end = s.find(',', start);
        if (end == std::string::npos) end = s.size();
        auto part = csv::trim(std::string_view(s).substr(start, end - start));
        if (!part.empty()) out.push_back(std::move(part));
        start = end + 1;
    }
    return out;
}

}  // namespace fu::data::columns
