// Help and suggestions, both read from the command table.
#include "core/commands/help.hpp"

#include <algorithm>
#include <vector>

#include "core/commands/table.hpp"
#include "core/lang_text.hpp"

namespace fu::cmd {

namespace {

using sv = std::string_view;

// The working-hours rule for clocks (see Parser::finish in time_expr_calendar.cpp).
struct BareHours {
    std::string_view en, zh;
};
constexpr BareHours kBareHours{
    "An hour 1–6 with no am/pm means the afternoon: 3:30 and 3点 are 15:30 and 15:00; for the morning write 3am, "
    "上午3点 or 凌晨3点.",
    "没写上午/下午时，1–6点指下午：3点、3:30 是 15:00、15:30；早上请写 上午3点、凌晨3点 或 3am。"};

std::size_t edit_distance(const std::vector<char32_t>& a, const std::vector<char32_t>& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

}  // namespace

namespace detail {

std::optional<std::string_view> suggest(std::string_view word) {
    std::string lw = lang::lower_ascii(word);
    auto a = lang::code_points(lw);
    if (a.empty() || a.size() > 24) return std::nullopt;
    bool cjk = lang::contains_cjk(lw);
    std::optional<sv> best;
    std::size_t best_d = 99;
    for (const auto& c : commands())
        for (sv w : cjk ? c.zh : c.en) {
            auto b = lang::code_points(w);
            if (b.size() < 2) continue;
            std::size_t d = edit_distance(a, b);
            if (d < best_d) best_d = d, best = w;
        }
    std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(2, a.size() / 2));
    if (best && best_d <= limit) return best;
    return std::nullopt;
}

LocalizedText times_note() {
    return {
        "\nTimes: in 2h · 30m · tomorrow 10am · fri 3pm · next mon · 2026-12-01 10:00\n"
        "Deadlines: eod · fri eod · end of week · end of month · 1st of next month · 12/24 (month/day)\n" +
            std::string(kBareHours.en),
        "\n时间：2小时后 · 半小时后 · 明天上午10点 · 周五下午3点 · 下周一9点 · 12月1日\n"
        "截止：下班前 · 周五下班前 · 周末前 · 月底 · 下个月1号 · 12/24（月/日）\n" +
            std::string(kBareHours.zh)};
}

LocalizedText contact_note(bool done) {
    LocalizedText out{"\nResults: ", "\n结果："};
    for (const auto& r : result_codes()) {
        bool last = &r == &result_codes().back();
        out.en += std::string(r.en) + (last ? "" : ", ");
        out.zh += std::string(r.zh) + (last ? "" : "、");
    }
    out.en += "\nSatisfaction: sat 4, sat=4 or satisfaction 4 (1 to 5), among the results or the note.";
    out.zh += "\n满意度：满意度4、满意度 4 或 满意度4分（1到5），写在结果或备注中。";
    out.en +=
        "\nNext: the time after the last 'next' (next fri 3pm); a 'next' with no time after it is "
        "part of the note (said to call next quarter).\n" +
        std::string(kBareHours.en);
    out.zh +=
        "\n下次：最后一个“下次”后面的时间（下次 周五下午3点）；后面没有时间的“下次”算作备注"
        "（客户说下次再谈）。\n" +
        std::string(kBareHours.zh);
    if (done) {
        out.en += "\nMore: done 7 · done #7 no answer next 2h · done 7 won signed the annual plan";
        out.zh += "\n更多：完成 7 · 完成7 未接通 下次2小时后 · 完成 7 成交 签了年度合同";
    } else {
        out.en += "\nMethods: call, email, visit, im, other";
        out.zh += "\n方式：电话、邮件、拜访、微信、其他";
    }
    return out;
}

LocalizedText platforms_note() {
    return {"\nPlatforms: telegram, slack, feishu (飞书), dingtalk (钉钉), wecom (企业微信, 企微).",
            "\n平台：telegram、slack、飞书（feishu）、钉钉（dingtalk）、企业微信/企微（wecom）。"};
}

}  // namespace detail

LocalizedText help_text(std::string_view topic, std::optional<Role> role) {
    std::string t = lang::lower_ascii(lang::trim_gaps(lang::normalized(topic)));
    if (!t.empty() && t[0] == '/') t.erase(0, 1);
    if (t.empty()) {
        LocalizedText out{"Commands (each line is one example):\n", "命令（每行一个例子）：\n"};
        for (const auto& c : commands()) {
            if (role && !c.allows(*role)) continue;
            out.en += "· " + c.summary.en + "\n";
            out.zh += "· " + c.summary.zh + "\n";
        }
        out.en += "Times: in 2h · tomorrow 10am · fri 3pm · next mon · 2026-12-01 10:00\n";
        out.zh += "时间：2小时后 · 明天上午10点 · 周五下午3点 · 下周一9点 · 12月1日\n";
        out.en += kBareHours.en;
        out.zh += kBareHours.zh;
        return out;
    }
    const CommandSpec* c = find_command(t == "customer" ? "customer add" : t);
    if (!c) return {};
    LocalizedText out = c->usage;
    if (c->details) {
        const LocalizedText more = c->details();
        out.en += more.en;
        out.zh += more.zh;
    }
    return out;
}

}  // namespace fu::cmd
