// The overdue ladder (逾期升级), exactly once per step:
//   step 0 -> 1  at due (or when snoozed to), inside the rep's working hours: remind the rep
//   step 1 -> 2  still open `second_reminder_working_hours` after due: remind again
//   step 2 -> 3  still open `escalate_working_days` after due: tell the rep's manager(s)
//   step 3 -> 4  no follow-up for `reclaim_days` after due (or the last contact): the
//                customer goes back to the public pool; the former owner and the manager are told
// A task's remind_at is the time of its next step (an indexed MIN for the
// scheduler); each step advances ladder_step, re-arms remind_at and writes its
// message and audit entry in one transaction, so a restart never repeats one.
// Snooze delays the reminders (steps 1 and 2) but not escalation: the
// manager hears about a follow-up a working day late however often it was
// snoozed. Complaints are urgent: reminded at once whatever the hour, never
// reclaimed.
#include <date/tz.h>

#include <algorithm>
#include <map>

#include "core/bot.hpp"
#include "core/bot_internal.hpp"
#include "core/render.hpp"

namespace fu {
namespace detail {
namespace {

std::optional<TimePoint> finite(TimePoint t) {
    if (t == TimePoint::max()) return std::nullopt;  // the calendar has no working time ahead
    return t;
}

}  // namespace

// Escalation is not delayed by snoozes: a working day after due, whatever the reminders did.
std::optional<TimePoint> escalation_at(const SopRules& rules, const WorkCalendar& cal, const Task& t) {
    return finite(cal.add_working(t.due, rules.escalate_working_days * cal.working_day_length()));
}

std::optional<TimePoint> next_step_at(Repo& repo, const BotOptions& opt, const Task& t) {
    if (t.status == TaskStatus::done || t.status == TaskStatus::cancelled) return std::nullopt;
    const auto assignee = repo.user(t.assignee);
    if (!assignee) return std::nullopt;
    const SopRules& rules = rules_for(opt, assignee->team);
    const WorkCalendar cal = calendar_of(opt, *assignee);
    const TimePoint snoozed = t.snoozed_until.value_or(TimePoint{});
    auto in_hours = [&](TimePoint at) { return urgent(t) ? std::optional(at) : finite(cal.next_working_moment(at)); };
    auto or_escalation = [&](std::optional<TimePoint> remind) {
        const auto esc = escalation_at(rules, cal, t);
        if (!remind) return esc;
        return esc ? std::optional(std::min(*remind, *esc)) : remind;
    };
    switch (t.ladder_step) {
    case 0:
        return or_escalation(in_hours(std::max(t.due, snoozed)));
    case 1: {
        const auto again = cal.add_working(t.due, std::chrono::hours(rules.second_reminder_working_hours));
        if (again == TimePoint::max()) return or_escalation(std::nullopt);
        return or_escalation(in_hours(std::max(again, snoozed)));
    }
    case 2:
        return escalation_at(rules, cal, t);
    case 3: {
        if (urgent(t)) return std::nullopt;
        const auto c = repo.customer(t.customer);
        if (!c || !c->owner) return std::nullopt;
        const TimePoint since = std::max(t.due, c->last_contact.value_or(TimePoint{}));
        return since + std::chrono::days(rules.reclaim_days);
    }
    default:
        return std::nullopt;
    }
}

void arm(Repo& repo, const BotOptions& opt, Task& t) { t.remind_at = next_step_at(repo, opt, t); }

}  // namespace detail

namespace {

using detail::deliver;

constexpr std::size_t kBatch = 500;

std::string cid(CustomerId id) { return "c" + std::to_string(id.value); }

std::string reminder_text(const Task& t, const Customer& c, const User& to, TimePoint now, bool again) {
    const auto zone = render::zone_of(to);
    const Lang lang = to.lang;
    std::string head = again ? (lang == Lang::zh ? "⏰ 再次提醒：跟进仍未完成" : "⏰ Reminder again: still open")
                             : (lang == Lang::zh ? "⏰ 跟进提醒" : "⏰ Follow-up due");
    if (detail::urgent(t)) head = lang == Lang::zh ? "🚨 客户投诉，请立即处理" : "🚨 Customer complaint: act now";
    std::string s = head + "\n" + render::task_line(t, c, now, zone, lang);
    s += "\n" + std::string(render::tier(c.tier, lang)) + " · " + std::string(render::stage(c.stage, lang));
    if (t.snooze_count > 0)
        s += lang == Lang::zh ? " · 已推迟" + std::to_string(t.snooze_count) + "次"
                              : " · snoozed " + std::to_string(t.snooze_count) + "×";
    if (detail::urgent(t))
        s += lang == Lang::zh ? "\n处理后回复：完成 " + std::to_string(t.id.value) + " 已解决 <处理结果>"
                              : "\nWhen handled: done " + std::to_string(t.id.value) + " resolved <what was done>";
    else
        s += lang == Lang::zh ? "\n回复：完成 " + std::to_string(t.id.value) + " <结果> [下次 <时间>]"
                              : "\nReply: done " + std::to_string(t.id.value) + " <result> [next <time>]";
    return s;
}

// Several due at once (typically after downtime): one list, a Done button each.
OutboxMessage catch_up_message(Repo& repo, const User& to, const std::vector<Task>& tasks, TimePoint now) {
    const Lang lang = to.lang;
    const auto zone = render::zone_of(to);
    OutboxMessage m;
    m.to = to.id;
    m.created_at = now;
    m.kind = MessageKind::catch_up;
    m.text = lang == Lang::zh ? "⏰ 你有 " + std::to_string(tasks.size()) + " 项跟进到期："
                              : "⏰ " + std::to_string(tasks.size()) + " follow-ups are due:";
    for (const auto& t : tasks) {
        const auto c = repo.customer(t.customer);
        m.text += "\n  " + render::task_line(t, *c, now, zone, lang);
        if (m.buttons.size() < 10) {
            auto done = render::reminder_buttons(t.id, lang).front();
            done.label = (lang == Lang::zh ? "✅ 完成 #" : "✅ Done #") + std::to_string(t.id.value);
            m.buttons.push_back(std::move(done));
        }
        m.tasks.push_back(t.id);
    }
    m.text += lang == Lang::zh ? "\n回复：完成 <编号> <结果> · 推迟 <编号> <时间>"
                               : "\nReply: done <id> <result> · snooze <id> <time>";
    return m;
}

void system_audit(Repo& repo, TimePoint now, std::string action, const Task& t, std::string detail) {
    repo.append_audit(AuditEntry{{}, now, std::nullopt, std::move(action), "task:" + std::to_string(t.id.value),
                                 std::move(detail)});
}

OutboxMessage notice(const User& to, TimePoint now, std::string text, std::vector<Button> buttons,
                     std::vector<TaskId> tasks) {
    return OutboxMessage{{}, to.id, now, MessageKind::notice, std::move(text), std::move(buttons), std::move(tasks)};
}

// Step 2 -> 3: the manager hears of it, and the rep hears that they did.
void escalate(Repo& repo, const Task& t, const User& rep, TimePoint now, std::vector<UserId>& notified) {
    const auto c = repo.customer(t.customer);
    for (const auto& m : detail::managers_of(repo, rep)) {
        const Lang lang = m.lang;
        const auto line = render::task_line(t, *c, now, render::zone_of(m), lang);
        const std::string text =
            lang == Lang::zh ? "⚠️ 逾期升级：" + rep.display_name + " 的跟进已逾期超过1个工作日\n" + line +
                                   (t.snooze_count > 0 ? "（已推迟" + std::to_string(t.snooze_count) + "次）" : "")
                             : "⚠️ Escalation: " + rep.display_name + "'s follow-up is over a working day late\n" + line +
                                   (t.snooze_count > 0 ? " (snoozed " + std::to_string(t.snooze_count) + "×)" : "");
        std::vector<Button> buttons{{lang == Lang::zh ? "📇 历史" : "📇 History",
                                     (lang == Lang::zh ? "历史 " : "history ") + cid(c->id)}};
        deliver(repo, m, notice(m, now, text, std::move(buttons), {t.id}));
        notified.push_back(m.id);
    }
    const std::string to_rep = rep.lang == Lang::zh
                                   ? "⚠️ #" + std::to_string(t.id.value) + " " + c->name + " 已逾期超过1个工作日，已通知主管。"
                                   : "⚠️ #" + std::to_string(t.id.value) + " " + c->name +
                                         " is over a working day late; your manager has been told.";
    deliver(repo, rep, notice(rep, now, to_rep, render::reminder_buttons(t.id, rep.lang), {t.id}));
    notified.push_back(rep.id);
}

// Step 3 -> 4: back to the public pool, with the history kept.
void reclaim(Repo& repo, const BotOptions& opt, Task& t, const User& rep, TimePoint now,
             std::vector<UserId>& notified) {
    auto c = *repo.customer(t.customer);
    const int days = detail::rules_for(opt, rep.team).reclaim_days;
    c.owner.reset();
    if (!c.team) c.team = rep.team;
    repo.update_customer(c);
    detail::cancel_open_tasks(repo, c.id);
    t.status = TaskStatus::cancelled;
    t.remind_at.reset();
    repo.add_transfer(Transfer{{}, c.id, rep.id, std::nullopt, std::nullopt, now,
                               "reclaimed: no follow-up for " + std::to_string(days) + " days"});
    repo.append_audit(AuditEntry{{}, now, std::nullopt, "customer.reclaim", "customer:" + std::to_string(c.id.value),
                                 "from user:" + std::to_string(rep.id.value)});
    auto tell = [&](const User& u, bool owner) {
        const std::string who = owner ? (u.lang == Lang::zh ? "你的客户 " : "Your customer ")
                                      : (u.lang == Lang::zh ? rep.display_name + " 的客户 " : rep.display_name + "'s customer ");
        const std::string text =
            u.lang == Lang::zh ? "🌊 " + who + cid(c.id) + " " + c.name + " 已" + std::to_string(days) +
                                     "天没有跟进，已收回公海。"
                               : "🌊 " + who + cid(c.id) + " " + c.name + " had no follow-up for " + std::to_string(days) +
                                     " days and went back to the public pool.";
        deliver(repo, u, notice(u, now, text, {}, {t.id}));
        notified.push_back(u.id);
    };
    tell(rep, true);
    for (const auto& m : detail::managers_of(repo, rep)) tell(m, false);
}

}  // namespace

std::vector<UserId> Bot::run_ladder(TimePoint now) {
    std::vector<UserId> notified;
    for (;;) {
        std::size_t fetched = 0;
        store_.transact([&](Repo& repo) {
            const auto due = repo.reminders_due(now, kBatch);
            fetched = due.size();
            std::map<UserId, std::vector<Task>> reminders;  // per rep, for one list when many
            std::map<UserId, User> reps;
            std::vector<TaskId> again;  // second reminders
            for (Task t : due) {
                auto rep = repo.user(t.assignee);
                const auto step_at = detail::next_step_at(repo, options_, t);
                if (!rep || !step_at || *step_at > now) {  // e.g. a follow-up was logged since: not yet
                    t.remind_at = rep ? step_at : std::nullopt;  // never left due: the loop below would spin
                    repo.update_task(t);
                    continue;
                }
                reps.emplace(rep->id, *rep);
                // A working day late however it was snoozed: the manager hears now.
                if (t.ladder_step <= 1) {
                    const WorkCalendar cal = detail::calendar_of(options_, *rep);
                    if (auto esc = detail::escalation_at(detail::rules_for(options_, rep->team), cal, t); esc && *esc <= now)
                        t.ladder_step = 2;
                }
                const int step = t.ladder_step++;
                if (step <= 1) {
                    if (step == 1) again.push_back(t.id);
                    system_audit(repo, now, step == 0 ? "ladder.remind" : "ladder.remind_again", t, {});
                    // Late (after downtime, or snoozed past it): one reminder stands for both.
                    if (t.ladder_step == 1) {
                        const WorkCalendar cal = detail::calendar_of(options_, *rep);
                        const auto again = cal.add_working(t.due, std::chrono::hours(detail::rules_for(options_, rep->team)
                                                                                         .second_reminder_working_hours));
                        if (again <= now) ++t.ladder_step;
                    }
                    reminders[rep->id].push_back(t);
                } else if (step == 2) {
                    system_audit(repo, now, "ladder.escalate", t, {});
                    escalate(repo, t, *rep, now, notified);
                } else {
                    system_audit(repo, now, "ladder.reclaim", t, {});
                    reclaim(repo, options_, t, *rep, now, notified);
                }
                if (t.status != TaskStatus::cancelled) detail::arm(repo, options_, t);
                repo.update_task(t);
            }
            for (auto& [rep_id, tasks] : reminders) {
                const User& to = reps.at(rep_id);
                if (tasks.size() >= std::size_t(options_.catch_up_min)) {
                    deliver(repo, to, catch_up_message(repo, to, tasks, now));
                } else {
                    for (const auto& t : tasks) {
                        OutboxMessage m;
                        m.to = rep_id;
                        m.created_at = now;
                        m.kind = MessageKind::reminder;
                        m.text = reminder_text(t, *repo.customer(t.customer), to, now,
                                               std::find(again.begin(), again.end(), t.id) != again.end());
                        m.buttons = render::reminder_buttons(t.id, to.lang);
                        m.tasks.push_back(t.id);
                        deliver(repo, to, m);
                    }
                }
                notified.push_back(rep_id);
            }
        });
        // Until nothing is due: a step may leave the next one due already
        // (after downtime); each pass advances every task it sees, so this ends.
        if (fetched == 0) break;
    }
    return notified;
}

std::vector<UserId> Bot::fire_due_reminders() {
    const TimePoint now = clock_.now();
    ensure_schedules();
    auto notified = run_schedules(now);
    auto more = run_ladder(now);
    notified.insert(notified.end(), more.begin(), more.end());
    std::sort(notified.begin(), notified.end());
    notified.erase(std::unique(notified.begin(), notified.end()), notified.end());
    return notified;
}

std::optional<TimePoint> Bot::next_reminder_at() {
    ensure_schedules();
    std::optional<TimePoint> next;
    store_.transact([&](Repo& repo) {
        next = repo.next_reminder_at();
        if (auto s = repo.next_schedule_at(); s && (!next || *s < *next)) next = s;
    });
    return next;
}

}  // namespace fu
