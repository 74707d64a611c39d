// The day's agenda (`today`, `digest`, the morning digest) and the manager's
// weekly report, with their recurring schedules.
//
// Each rep gets the digest at the start of their working day (their zone,
// their hours, holidays skipped); it stands in for the reminders due by then,
// so nobody gets a digest and a reminder for the same follow-up. Each manager
// gets the weekly report at the start of the first working day of the week.
#include <date/date.h>
#include <date/tz.h>

#include <algorithm>

#include "core/bot.hpp"
#include "core/bot_internal.hpp"

namespace fu {
namespace detail {
namespace {

constexpr std::string_view kDigest = "digest";
constexpr std::string_view kWeekly = "weekly";

std::string num(std::size_t n) { return std::to_string(n); }

TimePoint local_midnight(const date::time_zone* zone, date::local_days day) {
    return date::zoned_seconds{zone, date::local_seconds{day}, date::choose::earliest}.get_sys_time();
}

date::local_days local_day(const date::time_zone* zone, TimePoint t) {
    return date::floor<date::days>(date::zoned_seconds{zone, t}.get_local_time());
}

// The agenda's text: overdue, due today, and the next few after today.
struct Agenda {
    std::vector<Task> today;  // open, due before the end of the local day (overdue first)
    std::vector<Task> later;  // the next few after today, earliest first
    std::string text;
    std::vector<Button> buttons;
};

Agenda agenda(Repo& repo, const User& u, Lang lang, TimePoint now, std::string_view head_en, std::string_view head_zh) {
    const auto* zone = render::zone_of(u);
    const TimePoint day_end = local_midnight(zone, local_day(zone, now) + date::days{1});
    auto t = [lang](std::string_view en, std::string_view zh) { return std::string(lang == Lang::zh ? zh : en); };
    Agenda a;
    // One read, earliest first: today's (overdue first), then the rest.
    a.today = repo.open_tasks_for(u.id, TimePoint::max());
    const auto tomorrow =
        std::find_if(a.today.begin(), a.today.end(), [&](const Task& task) { return task.due >= day_end; });
    const auto shown_later = std::min<std::ptrdiff_t>(3, a.today.end() - tomorrow);
    a.later.assign(tomorrow, tomorrow + shown_later);
    a.today.erase(tomorrow, a.today.end());
    std::string overdue, due;
    std::size_t n_overdue = 0;
    for (const auto& task : a.today) {
        const auto c = repo.customer(task.customer);
        const auto line = "\n  " + render::task_line(task, *c, now, zone, lang);
        if (task.due <= now) {
            overdue += line;
            ++n_overdue;
        } else {
            due += line;
        }
    }
    a.text = std::string(lang == Lang::zh ? head_zh : head_en) + num(a.today.size()) + t(" follow-up(s)", " 项");
    if (!overdue.empty())
        a.text += t("\n⚠️ Overdue (", "\n⚠️ 已逾期（") + num(n_overdue) + t("):", "）：") + overdue;
    if (!due.empty()) a.text += t("\n📋 Due today:", "\n📋 今天到期：") + due;
    std::string upcoming;
    for (const auto& task : a.later) {
        const auto c = repo.customer(task.customer);
        upcoming += "\n  " + render::task_line(task, *c, now, zone, lang);
    }
    if (!upcoming.empty()) a.text += t("\n🔜 Coming up:", "\n🔜 接下来：") + upcoming;
    a.text += t("\nReply: done <id> <result> [next <time>] · snooze <id> <time>",
                "\n回复：完成 <编号> <结果> [下次 <时间>] · 推迟 <编号> <时间>");
    for (std::size_t i = 0; i < a.today.size() && i < 3; ++i) {
        const auto n = std::to_string(a.today[i].id.value);
        a.buttons.push_back({t("✅ Done #", "✅ 完成 #") + n, t("done ", "完成 ") + n});
    }
    return a;
}

// The first working window of a week (normally Monday 09:00) after `after`.
TimePoint next_week_start(const WorkCalendar& cal, TimePoint after) {
    TimePoint candidate = cal.next_window_start(after);
    for (int i = 0; i < 16 && candidate != TimePoint::max(); ++i) {
        const auto day = cal.local_date(candidate);
        const auto monday = day - (date::weekday{day} - date::Monday);
        bool first = true;
        for (auto d = monday; d < day; d += date::days{1})
            if (cal.is_working_day(d)) first = false;
        if (first) return candidate;
        candidate = cal.next_window_start(candidate);
    }
    return candidate;
}

// A far date for a schedule whose owner has no working time at all: checked again then.
TimePoint or_later(TimePoint t, TimePoint now) { return t == TimePoint::max() ? now + std::chrono::days(30) : t; }

// The digest stands in for the reminders due by now of the follow-ups it lists.
void mark_reminded(Repo& repo, const BotOptions& opt, const std::vector<Task>& listed, TimePoint now) {
    for (Task t : listed) {
        if (t.ladder_step > 1 || !t.remind_at || *t.remind_at > now) continue;
        while (t.ladder_step <= 1) {
            const auto at = next_step_at(repo, opt, t);
            if (!at || *at > now) break;
            ++t.ladder_step;
        }
        repo.append_audit(AuditEntry{{}, now, std::nullopt, "ladder.digest", "task:" + std::to_string(t.id.value), {}});
        arm(repo, opt, t);
        repo.update_task(t);
    }
}

// ---- the weekly report ----------------------------------------------------------

// Last week's report (Monday to Sunday in the manager's zone), the same figures
// as `report last week`.
std::string weekly_report(Repo& repo, const BotOptions& opt, const User& m, TeamId team, TimePoint now) {
    return report_text(repo, opt, m, m.lang, reports::Scope{team}, reports::PeriodKind::last_week, now,
                       "📈 Weekly report", "📈 周报");
}

// The morning digest, in the user's language.
Agenda morning_digest(Repo& repo, const User& u, TimePoint now) {
    return agenda(repo, u, u.lang, now,
                  "🌅 Good morning, " + u.display_name + " — today: ", "🌅 早上好，" + u.display_name + "！今天的跟进：");
}

}  // namespace

Reply run(Ctx& ctx, const cmd::Today&) {
    auto a = agenda(ctx.repo, ctx.me, ctx.lang, ctx.now, "Today for " + ctx.me.display_name + ": ",
                    ctx.me.display_name + " 今天的跟进：");
    if (!a.today.empty()) return {std::move(a.text), std::move(a.buttons)};
    std::string text = ctx.t("Nothing due today. ", "今天没有待跟进的任务。");
    if (!a.later.empty()) {
        const auto c = ctx.repo.customer(a.later.front().customer);
        text += ctx.t("Next: ", "下一个：") + render::task_line(a.later.front(), *c, ctx.now, ctx.zone, ctx.lang);
    } else {
        text += ctx.t("Schedule one: followup <customer> <time> <topic>", "新建跟进：跟进 <客户> <时间> <内容>");
    }
    return {text, {}};
}

Reply run(Ctx& ctx, const cmd::Digest&) {
    auto a = agenda(ctx.repo, ctx.me, ctx.lang, ctx.now, "🌅 Digest for " + ctx.me.display_name + ": ",
                    "🌅 " + ctx.me.display_name + " 的日报：");
    mark_reminded(ctx.repo, ctx.opt, a.today, ctx.now);
    std::string text = std::move(a.text);
    if (ctx.me.role != Role::rep && ctx.me.team)
        text += "\n\n" + weekly_report(ctx.repo, ctx.opt, ctx.me, *ctx.me.team, ctx.now);
    return {text, std::move(a.buttons)};
}

}  // namespace detail

void Bot::ensure_schedules() {
    if (schedules_checked_) return;
    const TimePoint now = clock_.now();
    store_.transact([&](Repo& repo) {
        for (const auto& u : repo.users()) {
            const WorkCalendar cal = detail::calendar_of(options_, u);
            const SopRules& rules = detail::rules_for(options_, u.team);
            if (rules.daily_digest && u.role != Role::admin && !repo.schedule(u.id, detail::kDigest))
                repo.set_schedule(
                    Schedule{u.id, std::string(detail::kDigest), detail::or_later(cal.next_window_start(now), now)});
            if (rules.weekly_report && u.role == Role::manager && u.team && !repo.schedule(u.id, detail::kWeekly))
                repo.set_schedule(Schedule{u.id, std::string(detail::kWeekly),
                                           detail::or_later(detail::next_week_start(cal, now), now)});
        }
    });
    schedules_checked_ = true;
}

std::vector<UserId> Bot::run_schedules(TimePoint now) {
    std::vector<UserId> notified;
    for (;;) {
        std::size_t fetched = 0;
        store_.transact([&](Repo& repo) {
            const auto due = repo.schedules_due(now, 200);
            fetched = due.size();
            for (auto s : due) {
                const auto u = repo.user(s.user);
                if (!u) {
                    s.next_at = now + std::chrono::days(365);  // a removed user: out of the way
                    repo.set_schedule(s);
                    continue;
                }
                const SopRules& rules = detail::rules_for(options_, u->team);
                const WorkCalendar cal = detail::calendar_of(options_, *u);
                if (s.kind == detail::kWeekly) {
                    if (rules.weekly_report && u->team) {
                        const auto text = detail::weekly_report(repo, options_, *u, *u->team, now);
                        detail::deliver(
                            repo, *u,
                            detail::fit_to_page(repo, options_, *u,
                                                OutboxMessage{{}, u->id, now, MessageKind::notice, text, {}, {}}));
                        notified.push_back(u->id);
                    }
                    s.next_at = detail::or_later(detail::next_week_start(cal, now), now);
                } else {
                    if (rules.daily_digest)
                        if (auto d = detail::morning_digest(repo, *u, now); !d.today.empty()) {
                            std::vector<TaskId> ids;
                            for (const auto& t : d.today) ids.push_back(t.id);
                            detail::deliver(
                                repo, *u,
                                detail::fit_to_page(
                                    repo, options_, *u,
                                    OutboxMessage{{}, u->id, now, MessageKind::catch_up, d.text, d.buttons, ids}));
                            detail::mark_reminded(repo, options_, d.today, now);
                            notified.push_back(u->id);
                        }
                    s.next_at = detail::or_later(cal.next_window_start(now), now);
                }
                repo.set_schedule(s);
            }
        });
        if (fetched < 200) break;
    }
    return notified;
}

}  // namespace fu
