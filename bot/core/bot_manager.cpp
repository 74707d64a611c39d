// Managers' commands: team, overdue.
#include <date/tz.h>

#include "core/bot_internal.hpp"

namespace fu::detail {
namespace {

TimePoint local_midnight(Ctx& ctx, date::local_days day) {
    return date::zoned_seconds{ctx.zone, date::local_seconds{day}, date::choose::earliest}.get_sys_time();
}

std::vector<TeamId> teams_in_view(Ctx& ctx) {
    if (ctx.me.role == Role::admin && !ctx.me.team) {
        std::vector<TeamId> all;
        for (const auto& t : ctx.repo.teams()) all.push_back(t.id);
        return all;
    }
    if (!ctx.me.team) ctx.fail("You are not in a team.", "你不属于任何团队。");
    return {*ctx.me.team};
}

}  // namespace

Reply run(Ctx& ctx, const cmd::Team&) {
    require_manager(ctx);
    const auto today = date::floor<date::days>(date::zoned_seconds{ctx.zone, ctx.now}.get_local_time());
    const auto monday = today - (date::weekday{today} - date::Monday);
    const TimePoint day_start = local_midnight(ctx, today);
    const TimePoint day_end = local_midnight(ctx, today + date::days{1});
    const TimePoint week_start = local_midnight(ctx, monday);

    std::string text;
    for (const TeamId team : teams_in_view(ctx)) {
        const auto t = ctx.repo.team(team);
        const auto stats = ctx.repo.team_stats(team, day_start, day_end, week_start, ctx.now);
        RepStats total;
        std::string rows;
        for (const auto& s : stats) {
            total.open += s.open;
            total.due_today += s.due_today;
            total.overdue += s.overdue;
            total.done_today += s.done_today;
            total.done_week += s.done_week;
            rows += "\n" + std::string(s.overdue > 0 ? "🔴 " : "🟢 ") + user_name(ctx.repo, s.rep) + ctx.t(": open ", "：待办 ") +
                    std::to_string(s.open) + ctx.t(" · due today ", " · 今天到期 ") + std::to_string(s.due_today) +
                    ctx.t(" · overdue ", " · 逾期 ") + std::to_string(s.overdue);
            if (s.oldest_overdue)
                rows += ctx.t(" (oldest ", "（最久") + render::lateness(*s.oldest_overdue, ctx.now, ctx.lang) +
                        ctx.t(")", "）");
            rows += ctx.t(" · done today ", " · 今天完成 ") + std::to_string(s.done_today) +
                    ctx.t(" · this week ", " · 本周完成 ") + std::to_string(s.done_week);
        }
        if (!text.empty()) text += "\n\n";
        text += ctx.t("📊 Team " + (t ? t->name : std::string()) + " — " + ctx.when(ctx.now),
                      "📊 团队 " + (t ? t->name : std::string()) + " — " + ctx.when(ctx.now));
        text += rows;
        text += ctx.t("\nTotal: open " + std::to_string(total.open) + " · due today " + std::to_string(total.due_today) +
                          " · overdue " + std::to_string(total.overdue) + " · done today " +
                          std::to_string(total.done_today) + " · this week " + std::to_string(total.done_week),
                      "\n合计：待办 " + std::to_string(total.open) + " · 今天到期 " + std::to_string(total.due_today) +
                          " · 逾期 " + std::to_string(total.overdue) + " · 今天完成 " + std::to_string(total.done_today) +
                          " · 本周完成 " + std::to_string(total.done_week));
    }
    Reply r{text, {}};
    r.buttons.push_back({ctx.t("⚠️ Overdue list", "⚠️ 逾期清单"), ctx.t("overdue", "逾期")});
    return r;
}

Reply run(Ctx& ctx, const cmd::Overdue&) {
    require_manager(ctx);
    std::string rows;
    std::size_t count = 0;
    for (const TeamId team : teams_in_view(ctx)) {
        for (const auto& t : ctx.repo.open_tasks_for_team(team, ctx.now)) {
            auto c = ctx.repo.customer(t.customer);
            rows += "\n  " + render::task_line(t, *c, ctx.now, ctx.zone, ctx.lang) + " · " + user_name(ctx.repo, t.assignee);
            if (t.snooze_count > 0) rows += ctx.t(" · snoozed " + std::to_string(t.snooze_count) + "×", " · 推迟" + std::to_string(t.snooze_count) + "次");
            ++count;
        }
    }
    if (count == 0) return {ctx.t("🎉 Nothing overdue in your team.", "🎉 团队没有逾期的跟进。"), {}};
    return {ctx.t("⚠️ Overdue follow-ups (" + std::to_string(count) + "):", "⚠️ 逾期跟进（" + std::to_string(count) + "）：") + rows, {}};
}

}  // namespace fu::detail
