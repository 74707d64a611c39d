// The overdue ladder (逾期升级), applied: core/ladder.hpp decides which step is
// due for a task and when the next one is; this file reads the task's state,
// takes the step (messages, audit, reclaim) and re-arms remind_at. A task's
// remind_at is the time of its next step (an indexed MIN for the scheduler);
// each step advances ladder_step, re-arms remind_at and writes its message and
// audit entry in one transaction, so a restart never repeats one.
#include <date/tz.h>

#include <algorithm>
#include <map>

#include "core/bot.hpp"
#include "core/bot_internal.hpp"
#include "core/ladder.hpp"
#include "core/render.hpp"

namespace fu {
namespace detail {
namespace {

// The customer is read (by `read`, CustomerId -> optional<Customer>) only
// when a reclaim may come within `steps_ahead`.
template <class Read>
LadderState ladder_state(const Task& t, bool steps_ahead, Read&& read) {
    LadderState s{t.due, t.ladder_step, t.snoozed_until};
    s.open = t.status != TaskStatus::done && t.status != TaskStatus::cancelled;
    s.urgent = urgent(t);
    if (s.open && !s.urgent && (t.ladder_step == 3 || (steps_ahead && t.ladder_step < 3))) {
        const std::optional<Customer>& c = read(t.customer);
        s.reclaimable = c && c->owner;
        if (c) s.last_contact = c->last_contact;
    }
    return s;
}

}  // namespace

std::optional<TimePoint> escalation_at(const SopRules& rules, const WorkCalendar& cal, const Task& t) {
    return ladder_escalation_at(t.due, rules, cal);
}

std::optional<TimePoint> next_step_at(Repo& repo, const BotOptions& opt, const Task& t) {
    const auto assignee = repo.user(t.assignee);
    if (!assignee) return std::nullopt;
    return ladder_next_at(ladder_state(t, false, [&](CustomerId id) { return repo.customer(id); }),
                          rules_for(opt, assignee->team), calendar_of(opt, *assignee));
}

void arm(Repo& repo, const BotOptions& opt, Task& t) { t.remind_at = next_step_at(repo, opt, t); }

std::optional<TimePoint> reclaim_at(Repo& repo, const BotOptions& opt, const Task& t) {
    const auto assignee = repo.user(t.assignee);
    if (!assignee) return std::nullopt;
    return ladder_reclaim_at(ladder_state(t, true, [&](CustomerId id) { return repo.customer(id); }),
                             rules_for(opt, assignee->team));
}

// The ladder's decision for a task as it stands in the store.
LadderDecision ladder_decision(Repo& repo, const BotOptions& opt, const User& assignee, const Task& t, TimePoint now) {
    return decide_ladder(ladder_state(t, true, [&](CustomerId id) { return repo.customer(id); }),
                         rules_for(opt, assignee.team), calendar_of(opt, assignee), now);
}

}  // namespace detail

namespace {

using detail::deliver;

// A pass's customers, each read once: a reminder's customer is read for its
// ladder state and again for its text. A change to one (a reclaim) forgets it.
class Customers {
public:
    explicit Customers(Repo& repo) : repo_(repo) {}
    const std::optional<Customer>& operator()(CustomerId id) {
        auto [it, fresh] = read_.try_emplace(id.value);
        if (fresh) it->second = repo_.customer(id);
        return it->second;
    }
    void forget(CustomerId id) { read_.erase(id.value); }

private:
    Repo& repo_;
    std::map<std::int64_t, std::optional<Customer>> read_;
};

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
OutboxMessage catch_up_message(Customers& customers, const User& to, const std::vector<Task>& tasks, TimePoint now) {
    const Lang lang = to.lang;
    const auto zone = render::zone_of(to);
    OutboxMessage m;
    m.to = to.id;
    m.created_at = now;
    m.kind = MessageKind::catch_up;
    m.text = lang == Lang::zh ? "⏰ 你有 " + std::to_string(tasks.size()) + " 项跟进到期："
                              : "⏰ " + std::to_string(tasks.size()) + " follow-ups are due:";
    for (const auto& t : tasks) {
        const auto& c = customers(t.customer);
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
    repo.append_audit(
        AuditEntry{{}, now, std::nullopt, std::move(action), "task:" + std::to_string(t.id.value), std::move(detail)});
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
            lang == Lang::zh
                ? "⚠️ 逾期升级：" + rep.display_name + " 的跟进已逾期超过1个工作日\n" + line +
                      (t.snooze_count > 0 ? "（已推迟" + std::to_string(t.snooze_count) + "次）" : "")
                : "⚠️ Escalation: " + rep.display_name + "'s follow-up is over a working day late\n" + line +
                      (t.snooze_count > 0 ? " (snoozed " + std::to_string(t.snooze_count) + "×)" : "");
        std::vector<Button> buttons{
            {lang == Lang::zh ? "📇 历史" : "📇 History", (lang == Lang::zh ? "历史 " : "history ") + cid(c->id)}};
        deliver(repo, m, notice(m, now, text, std::move(buttons), {t.id}));
        notified.push_back(m.id);
    }
    const std::string to_rep = rep.lang == Lang::zh ? "⚠️ #" + std::to_string(t.id.value) + " " + c->name +
                                                          " 已逾期超过1个工作日，已通知主管。"
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
    repo.add_transfer(Transfer{{},
                               c.id,
                               rep.id,
                               std::nullopt,
                               std::nullopt,
                               now,
                               "reclaimed: no follow-up for " + std::to_string(days) + " days"});
    repo.append_audit(AuditEntry{{},
                                 now,
                                 std::nullopt,
                                 "customer.reclaim",
                                 "customer:" + std::to_string(c.id.value),
                                 "from user:" + std::to_string(rep.id.value)});
    auto tell = [&](const User& u, bool owner) {
        const std::string who =
            owner ? (u.lang == Lang::zh ? "你的客户 " : "Your customer ")
                  : (u.lang == Lang::zh ? rep.display_name + " 的客户 " : rep.display_name + "'s customer ");
        const std::string text =
            u.lang == Lang::zh
                ? "🌊 " + who + cid(c.id) + " " + c.name + " 已" + std::to_string(days) + "天没有跟进，已收回公海。"
                : "🌊 " + who + cid(c.id) + " " + c.name + " had no follow-up for " + std::to_string(days) +
                      " days and went back to the public pool.";
        deliver(repo, u, notice(u, now, text, {}, {t.id}));
        notified.push_back(u.id);
    };
    tell(rep, true);
    for (const auto& m : detail::managers_of(repo, rep)) tell(m, false);
}

}  // namespace

// Every pass in one transaction, and the reminders sent once all passes are
// done: a rep's reminders due together become one list whatever the passes'
// boundaries, and a crash never leaves a step recorded without its message.
std::vector<UserId> Bot::run_ladder(TimePoint now, AssigneePart part) {
    std::vector<UserId> notified;
    store_.transact([&](Repo& repo) {
        std::map<UserId, std::vector<Task>> reminders;  // per rep, for one list when many
        std::map<UserId, User> reps;
        Customers customers(repo);
        std::vector<TaskId> again;  // second reminders
        for (;;) {
            const auto due = repo.reminders_due(now, kBatch, part);
            // Until nothing is due: a step may leave the next one due already
            // (after downtime); each pass advances every task it sees, so this ends.
            if (due.empty()) break;
            for (Task t : due) {
                // A rep's reminders come together: read each rep once a pass.
                const auto known = reps.find(t.assignee);
                auto rep = known != reps.end() ? std::optional<User>(known->second) : repo.user(t.assignee);
                const auto d = rep ? decide_ladder(detail::ladder_state(t, true, customers),
                                                   detail::rules_for(options_, rep->team),
                                                   detail::calendar_of(options_, *rep), now)
                                   : LadderDecision{};
                if (d.steps.empty()) {          // e.g. a follow-up was logged since: not yet
                    t.remind_at = d.remind_at;  // never left due: the loop below would spin
                    repo.update_task(t);
                    continue;
                }
                reps.emplace(rep->id, *rep);
                // One step a pass; the next pass takes the next.
                const LadderStep& step = d.steps.front();
                t.ladder_step = step.step_after;
                t.remind_at = step.next_at;
                if (step.snooze_spent) t.snoozed_until.reset();
                switch (step.action) {
                    case LadderAction::remind:
                    case LadderAction::remind_again: {
                        const bool second = step.action == LadderAction::remind_again;
                        if (second) again.push_back(t.id);
                        system_audit(repo, now, second ? "ladder.remind_again" : "ladder.remind", t, {});
                        auto& list = reminders[rep->id];  // a second reminder replaces the first
                        std::erase_if(list, [&](const Task& other) { return other.id == t.id; });
                        list.push_back(t);
                        break;
                    }
                    case LadderAction::escalate:
                        system_audit(repo, now, "ladder.escalate", t, {});
                        escalate(repo, t, *rep, now, notified);
                        break;
                    case LadderAction::reclaim:
                        system_audit(repo, now, "ladder.reclaim", t, {});
                        reclaim(repo, options_, t, *rep, now, notified);
                        customers.forget(t.customer);
                        break;
                }
                repo.update_task(t);
            }
        }
        for (auto& [rep_id, tasks] : reminders) {
            const User& to = reps.at(rep_id);
            if (tasks.size() >= std::size_t(options_.catch_up_min)) {
                deliver(repo, to, detail::fit_to_page(repo, options_, to, catch_up_message(customers, to, tasks, now)));
            } else {
                for (const auto& t : tasks) {
                    OutboxMessage m;
                    m.to = rep_id;
                    m.created_at = now;
                    m.kind = MessageKind::reminder;
                    m.text = reminder_text(t, *customers(t.customer), to, now,
                                           std::find(again.begin(), again.end(), t.id) != again.end());
                    m.buttons = render::reminder_buttons(t.id, to.lang);
                    m.tasks.push_back(t.id);
                    deliver(repo, to, m);
                }
            }
            notified.push_back(rep_id);
        }
    });
    return notified;
}

std::vector<UserId> Bot::fire_due_reminders(AssigneePart part) {
    const TimePoint now = clock_.now();
    ensure_schedules();
    auto notified = part.index == 0 ? run_schedules(now) : std::vector<UserId>{};
    auto more = run_ladder(now, part);
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
