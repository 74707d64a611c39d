// Managers' commands: team, overdue, report, who. The figures come from
// core/reports.hpp; here they become compact tables, fenced so that chat
// platforms show them in monospace, aligned by display width and narrow enough
// for a phone. Reps that need attention come first.
#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/bot_internal.hpp"

namespace fu::detail {
namespace {

constexpr std::size_t kMaxRows = 15;     // rows of reps before "… and N more"
constexpr std::size_t kMaxOverdue = 20;  // overdue follow-ups listed
constexpr std::size_t kNameCols = 8;     // a rep's name in a table
constexpr std::size_t kCustomerCols = 10;

std::string num(long n) { return std::to_string(n); }

struct Words {
    Lang lang;
    std::string operator()(std::string_view en, std::string_view zh) const {
        return std::string(lang == Lang::zh ? zh : en);
    }
};

std::string scope_name(Repo& repo, const reports::Scope& scope, Words t) {
    if (!scope.team) return t("all teams", "全部团队");
    const auto team = repo.team(*scope.team);
    return team ? team->name : "#" + std::to_string(scope.team->value);
}

std::string day_text(date::local_days d) { return date::format("%m-%d", d); }

date::local_days local_day(const date::time_zone* zone, TimePoint t) {
    return date::floor<date::days>(date::zoned_seconds{zone, t}.get_local_time());
}

std::string period_name(reports::PeriodKind k, Words t) {
    switch (k) {
        case reports::PeriodKind::week: return t("this week", "本周");
        case reports::PeriodKind::month: return t("this month", "本月");
        case reports::PeriodKind::last_week: return t("last week", "上周");
        case reports::PeriodKind::last_month: return t("last month", "上月");
        case reports::PeriodKind::custom: return t("custom", "自定义");
    }
    return {};
}

reports::PeriodKind period_kind(cmd::ReportPeriod p) {
    switch (p) {
        case cmd::ReportPeriod::week: return reports::PeriodKind::week;
        case cmd::ReportPeriod::month: return reports::PeriodKind::month;
        case cmd::ReportPeriod::last_week: return reports::PeriodKind::last_week;
        case cmd::ReportPeriod::last_month: return reports::PeriodKind::last_month;
    }
    return reports::PeriodKind::week;
}

std::string more_line(std::size_t hidden, Words t) {
    return t("… and " + num(static_cast<long>(hidden)) + " more", "… 另有 " + num(static_cast<long>(hidden)) + " 位");
}

// ---- team ------------------------------------------------------------------------

// Most overdue first, then the oldest overdue, then most due today, then by name.
bool needs_attention_first(const reports::RepStatus& a, const reports::RepStatus& b) {
    if (a.overdue != b.overdue) return a.overdue > b.overdue;
    if (a.oldest_overdue != b.oldest_overdue) {
        if (!a.oldest_overdue || !b.oldest_overdue) return a.oldest_overdue.has_value();
        return *a.oldest_overdue < *b.oldest_overdue;
    }
    if (a.due_today != b.due_today) return a.due_today > b.due_today;
    return a.name < b.name;
}

std::vector<std::string> team_row(const reports::RepStatus& s, std::string name, TimePoint now, Lang lang) {
    return {std::move(name),
            num(s.open),
            num(s.due_today),
            num(s.overdue),
            num(s.done_today) + "/" + num(s.done_week),
            num(s.snoozes_week),
            s.oldest_overdue ? render::age(*s.oldest_overdue, now, lang) : std::string()};
}

// ---- report ----------------------------------------------------------------------

// Lowest timeliness first (reps with nothing counted last), then most late.
bool worst_timeliness_first(const reports::RepReport& a, const reports::RepReport& b) {
    const auto ra = a.timeliness.rate(), rb = b.timeliness.rate();
    if (ra.has_value() != rb.has_value()) return ra.has_value();
    if (ra && *ra != *rb) return *ra < *rb;
    if (a.timeliness.late != b.timeliness.late) return a.timeliness.late > b.timeliness.late;
    return a.name < b.name;
}

std::string conversion_rate(const reports::Conversion& c) {
    if (c.contacted == 0) return "-";
    return render::percent(static_cast<double>(c.won) / c.contacted);
}

std::string tier_label(std::string_view code_text, Lang lang) {
    if (auto t = tier_from_code(code_text)) return std::string(render::tier(*t, lang));
    return std::string(code_text);
}

std::string stage_label(std::string_view code_text, Lang lang) {
    if (auto s = stage_from_code(code_text)) return std::string(render::stage(*s, lang));
    return std::string(code_text);
}

// ---- who -------------------------------------------------------------------------

// A rep the manager may ask about, in their scope (resolve_person's rule).
User load_rep(Ctx& ctx, const reports::Scope& scope, std::string_view who) {
    return resolve_person(ctx, who, scope.team ? ctx.repo.team_members(*scope.team) : ctx.repo.users());
}

}  // namespace

reports::Scope manager_scope(Ctx& ctx) {
    if (ctx.me.role == Role::admin && !ctx.me.team) return reports::Scope{std::nullopt};
    if (!ctx.me.team) ctx.fail("You are not in a team.", "你不属于任何团队。");
    return reports::Scope{ctx.me.team};
}

Reply run(Ctx& ctx, const cmd::Team&) {
    const auto scope = manager_scope(ctx);
    const Words t{ctx.lang};
    const auto status = reports::team_status(ctx.repo, scope, ctx.zone, ctx.now);
    const auto week_first = local_day(ctx.zone, status.week_start);

    std::string text = "📊 " + t("Team ", "团队 ") + scope_name(ctx.repo, scope, t);
    text += t("\nNow ", "\n现在 ") + ctx.when(ctx.now) + t(" · week ", " · 本周 ") + day_text(week_first) + " – " +
            day_text(week_first + date::days{6}) + " · " + status.zone;
    if (status.reps.empty()) {
        text += t("\nNo reps in the team yet.", "\n团队里还没有销售。");
        return {text, {}};
    }
    auto reps = status.reps;
    std::stable_sort(reps.begin(), reps.end(), needs_attention_first);
    render::Table table;
    table.right = {false, true, true, true, true, true, false};
    table.add({t("rep", "销售"), t("open", "待办"), t("due", "今到"), t("ovd", "逾期"), t("done", "完成"),
               t("snz", "推迟"), t("oldest", "最久")});
    for (std::size_t i = 0; i < reps.size() && i < kMaxRows; ++i)
        table.add(team_row(reps[i], render::fit(reps[i].name, kNameCols), ctx.now, ctx.lang));
    if (reps.size() > kMaxRows) table.note(more_line(reps.size() - kMaxRows, t));
    table.add(team_row(status.total, t("Total", "合计"), ctx.now, ctx.lang));
    text += "\n" + render::fence(table.str());
    text +=
        t("\ndue: due today · ovd: overdue · done: today/this week · snz: snoozes this week · oldest: oldest "
          "overdue",
          "\n今到：今天到期 · 完成：今天/本周 · 推迟：本周推迟次数 · 最久：最久逾期");
    Reply r{text, {}};
    if (status.total.overdue > 0)
        r.buttons.push_back({t("⚠️ Overdue list", "⚠️ 逾期清单"), t("overdue", "逾期")});
    r.buttons.push_back({t("📈 Report", "📈 报告"), t("report", "报告")});
    return r;
}

Reply run(Ctx& ctx, const cmd::Overdue& c) {
    const auto scope = manager_scope(ctx);
    const Words t{ctx.lang};
    std::optional<User> rep;
    if (!c.rep.empty()) rep = load_rep(ctx, scope, c.rep);

    std::vector<Task> tasks;  // the dashboard's overdue list is the same (reports::overdue)
    for (auto& item : reports::overdue(ctx.repo, scope, rep ? std::optional(rep->id) : std::nullopt, ctx.now))
        tasks.push_back(std::move(item.task));

    const std::string whose = rep ? rep->display_name : scope_name(ctx.repo, scope, t);
    if (tasks.empty())
        return {rep ? t("🎉 " + whose + " has nothing overdue.", "🎉 " + whose + " 没有逾期的跟进。")
                    : t("🎉 Nothing overdue in " + whose + ".", "🎉 " + whose + " 没有逾期的跟进。"),
                {}};

    std::string text = "⚠️ " + t("Overdue · ", "逾期 · ") + whose + " · " + num(static_cast<long>(tasks.size()));
    text += t("\nNow ", "\n现在 ") + ctx.when(ctx.now) + " · " + ctx.me.time_zone;
    if (!rep) {  // who has how many, most first
        std::map<UserId, int> per_rep;
        for (const auto& task : tasks) ++per_rep[task.assignee];
        if (per_rep.size() > 1) {
            std::vector<std::pair<std::string, int>> counts;
            for (const auto& [id, n] : per_rep) counts.emplace_back(user_name(ctx.repo, id), n);
            std::stable_sort(counts.begin(), counts.end(),
                             [](const auto& a, const auto& b) { return a.second > b.second; });
            std::string line;
            for (std::size_t i = 0; i < counts.size() && i < 6; ++i)
                line += (i ? " · " : "") + counts[i].first + " " + num(counts[i].second);
            if (counts.size() > 6) line += " · …";
            text += t("\nBy rep: ", "\n按销售：") + line;
        }
    }
    render::Table table;
    table.right = {false, false, false, true, true};
    if (rep) table.right = {false, false, true, true};
    std::vector<std::string> head = {"#", t("customer", "客户"), t("rep", "销售"), t("late", "逾期"), t("snz", "推迟")};
    if (rep) head.erase(head.begin() + 2);
    table.add(head);
    for (std::size_t i = 0; i < tasks.size() && i < kMaxOverdue; ++i) {
        const auto& task = tasks[i];
        const auto cu = ctx.repo.customer(task.customer);
        std::vector<std::string> row = {num(task.id.value), render::fit(cu ? cu->name : "?", kCustomerCols),
                                        render::fit(user_name(ctx.repo, task.assignee), kNameCols),
                                        render::age(task.due, ctx.now, ctx.lang),
                                        task.snooze_count ? num(task.snooze_count) : std::string()};
        if (task.priority == Priority::high) row[0] += "!";
        if (rep) row.erase(row.begin() + 2);
        table.add(row);
    }
    if (tasks.size() > kMaxOverdue)
        table.note(t("… and " + num(static_cast<long>(tasks.size() - kMaxOverdue)) + " more",
                     "… 另有 " + num(static_cast<long>(tasks.size() - kMaxOverdue)) + " 项"));
    text += "\n" + render::fence(table.str());
    text += t("\nlate: how long past due · snz: times snoozed · !: urgent",
              "\n逾期：超过到期时间多久 · 推迟：推迟次数 · !：紧急");
    return {text, {}};
}

std::string report_text(Repo& repo, const BotOptions& opt, const User& viewer, Lang lang, reports::Scope scope,
                        reports::PeriodKind kind, TimePoint now, std::string_view title_en, std::string_view title_zh) {
    const Words t{lang};
    const auto* zone = render::zone_of(viewer);
    const auto period = reports::period_of(kind, zone, now);
    const auto r = reports::report(repo, opt, scope, period, now);

    std::string text =
        t(title_en, title_zh) + t(" — ", " — ") + scope_name(repo, scope, t) + " · " + period_name(kind, t);
    text += "\n" + day_text(period.first_day) + " – " + day_text(period.last_day) + " · " + period.zone;
    const auto& tl = r.total;
    text += t("\nTimeliness ", "\n跟进及时率 ") + render::percent(tl.rate()) + t(" · on time ", " · 按时 ") +
            num(tl.on_time) + t(" · late ", " · 延迟 ") + num(tl.late) + t(" · pending ", " · 未到期限 ") +
            num(tl.pending);

    if (!r.reps.empty()) {
        auto reps = r.reps;
        std::stable_sort(reps.begin(), reps.end(), worst_timeliness_first);
        render::Table table;
        table.right = {false, true, true, true, true, true};
        table.add({t("rep", "销售"), t("rate", "及时率"), t("on", "按时"), t("late", "延迟"), t("pend", "未到"),
                   t("log", "记录")});
        for (std::size_t i = 0; i < reps.size() && i < kMaxRows; ++i) {
            const auto& x = reps[i];
            table.add({render::fit(x.name, kNameCols), render::percent(x.timeliness.rate()), num(x.timeliness.on_time),
                       num(x.timeliness.late), num(x.timeliness.pending), num(x.interactions)});
        }
        if (reps.size() > kMaxRows) table.note(more_line(reps.size() - kMaxRows, t));
        text += "\n" + render::fence(table.str());
        text += t("\npend: deadline not reached · log: follow-ups recorded", "\n未到：未到完成期限 · 记录：跟进记录数");
    }

    std::string outcomes;
    for (const auto& code_name : cmd::result_codes())
        if (auto it = r.outcomes.find(std::string(code_name.code)); it != r.outcomes.end() && it->second > 0)
            outcomes += (outcomes.empty() ? "" : " · ") + std::string(lang == Lang::zh ? code_name.zh : code_name.en) +
                        " " + num(it->second);
    text += t("\nOutcomes: ", "\n跟进结果：") + (outcomes.empty() ? t("none recorded", "无记录") : outcomes);

    render::Table conv;
    conv.right = {false, true, true, true};
    conv.add({t("tier/stage", "等级/阶段"), t("contacted", "跟进"), t("won", "成交"), "%"});
    for (const auto& c : r.by_tier)
        conv.add({tier_label(c.key, lang), num(c.contacted), num(c.won), conversion_rate(c)});
    for (const auto& c : r.by_stage)
        conv.add({render::fit(stage_label(c.key, lang), 12), num(c.contacted), num(c.won), conversion_rate(c)});
    text += t("\nConversion (customers followed up → won):", "\n转化率（跟进的客户 → 成交）：");
    text += "\n" + render::fence(conv.str());

    std::string sat = "-";
    if (r.satisfaction_avg) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%.1f", *r.satisfaction_avg);
        sat = buf;
    }
    text += t("\nSatisfaction ", "\n满意度 ") + sat + " (n=" + num(r.satisfaction_count) + ")" +
            t(" · complaints open ", " · 未解决投诉 ") + num(r.complaints_open);
    text += t("\nEscalated ", "\n升级 ") + num(r.escalated) + t(" · overdue now ", " · 当前逾期 ") + num(r.overdue_now);
    text += t("\nPublic pool: reclaimed ", "\n公海：收回 ") + num(r.pool.reclaimed) + t(" · released ", " · 释放 ") +
            num(r.pool.released) + t(" · claimed ", " · 领取 ") + num(r.pool.claimed) + t(" · assigned ", " · 分配 ") +
            num(r.pool.assigned);
    return text;
}

Reply run(Ctx& ctx, const cmd::Report& c) {
    const auto scope = manager_scope(ctx);
    const auto kind = period_kind(c.period);
    Reply r{report_text(ctx.repo, ctx.opt, ctx.me, ctx.lang, scope, kind, ctx.now, "📈 Report", "📈 报告"), {}};
    const Words t{ctx.lang};
    if (kind == reports::PeriodKind::week)
        r.buttons.push_back({t("Last week", "上周"), t("report last week", "报告 上周")});
    if (kind == reports::PeriodKind::week || kind == reports::PeriodKind::last_week)
        r.buttons.push_back({t("This month", "本月"), t("report month", "报告 本月")});
    return r;
}

Reply run(Ctx& ctx, const cmd::Who& c) {
    const Customer cu = load_customer(ctx, c.customer);
    const Words t{ctx.lang};
    const std::string id = "c" + std::to_string(cu.id.value);
    std::string text = "👤 " + id + " " + cu.name;
    if (!cu.company.empty() && cu.company != cu.name) text += " (" + cu.company + ")";

    render::Table card;
    std::string owner = t("public pool", "公海");
    std::optional<User> owner_user;
    if (cu.owner) owner_user = ctx.repo.user(*cu.owner);
    if (owner_user) owner = owner_user->display_name + " @" + owner_user->handle;
    std::optional<TeamId> team_id = owner_user && owner_user->team ? owner_user->team : cu.team;
    std::string team = "-";
    if (team_id)
        if (auto tm = ctx.repo.team(*team_id)) team = tm->name;
    card.add({t("owner", "负责人"), owner});
    card.add({t("team", "团队"), team});
    card.add({t("tier", "等级"), std::string(render::tier(cu.tier, ctx.lang))});
    card.add({t("stage", "阶段"), std::string(render::stage(cu.stage, ctx.lang))});
    card.add({t("last", "最近联系"), cu.last_contact ? ctx.when(*cu.last_contact) : t("never", "无")});
    auto open = ctx.repo.open_tasks_for_customer(cu.id);
    std::stable_sort(open.begin(), open.end(), [](const Task& a, const Task& b) { return a.due < b.due; });
    if (!open.empty()) {
        const std::string next = ctx.when(open.front().due) + " #" + std::to_string(open.front().id.value);
        card.add({t("next", "下次跟进"), next});
    } else {
        card.add({t("next", "下次跟进"), t("none", "无")});
    }
    const bool allowed = may_see_contacts(ctx, cu);
    const Contacts shown = contacts(ctx, cu, allowed);
    if (!shown.phone.empty()) card.add({t("phone", "电话"), shown.phone});
    if (!shown.email.empty()) card.add({t("email", "邮箱"), shown.email});
    if (!shown.im.empty()) card.add({t("im", "微信"), shown.im});
    text += "\n" + render::fence(card.str());
    if (!open.empty() && open.front().due < ctx.now)
        text +=
            t("\n⚠️ The next follow-up is overdue (" + render::lateness(open.front().due, ctx.now, ctx.lang) + ").",
              "\n⚠️ 下次跟进已" + render::lateness(open.front().due, ctx.now, ctx.lang) + "。");
    text += contacts_note(ctx, shown, allowed);
    return {text, {{t("🕘 History", "🕘 历史"), t("history ", "历史 ") + id}}};
}

}  // namespace fu::detail
