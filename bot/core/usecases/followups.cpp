#include "core/usecases/followups.hpp"

#include <algorithm>

#include "core/bot_internal.hpp"
#include "core/render.hpp"

namespace fu::uc {
namespace {

std::string tid(TaskId id) { return "task:" + std::to_string(id.value); }
std::string cid(CustomerId id) { return "customer:" + std::to_string(id.value); }

bool has(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

void require_open(const Task& t) {
    if (t.status == TaskStatus::done) throw Refused(Refused::Why::already_done, t.id);
    if (t.status == TaskStatus::cancelled) throw Refused(Refused::Why::cancelled, t.id);
}

void require_completable(const Task& t, const std::vector<std::string>& results) {
    if (t.origin == Origin::complaint && !has(results, "resolved"))
        throw Refused(Refused::Why::complaint_unresolved, t.id);
}

Task schedule_followup(Session& s, const Customer& c, UserId assignee, TimePoint due, Method method,
                       std::string topic) {
    // The rep's own plan supersedes an automatic one not yet reminded of.
    for (auto t : s.repo.open_tasks_for_customer(c.id))
        if (t.origin == Origin::cadence && t.ladder_step == 0) {
            t.status = TaskStatus::cancelled;
            t.remind_at.reset();
            s.repo.update_task(t);
            audit(s, "task.superseded", tid(t.id), "by a follow-up set by hand");
        }
    Task next;
    next.customer = c.id;
    next.assignee = assignee;
    next.due = due;
    next.method = method;
    next.topic = std::move(topic);
    next.origin = Origin::manual;
    next.created_by = s.actor.id;
    next.created_at = s.now;
    detail::arm(s.repo, s.opt, next);
    next.id = s.repo.add_task(next);
    audit(s, "task.create", tid(next.id), cid(c.id) + " due:" + std::to_string(to_unix(due)));
    detail::refresh_next_followup(s.repo, c.id);
    return next;
}

Task plan_followup(Session& s, const Customer& c, UserId assignee, TimePoint due, Method method, std::string topic) {
    Task t = schedule_followup(s, c, assignee, due, method, std::move(topic));
    if (assignee == s.actor.id) return t;
    const auto to = s.repo.user(assignee);
    if (!to) return t;
    const Lang lang = to->lang;
    const std::string line = render::task_line(t, c, s.now, render::zone_of(*to), lang);
    std::string text;
    if (s.via == Via::crm)
        text = lang == Lang::zh ? "📌 CRM 给你安排了跟进：" + line
                                : "📌 A follow-up was scheduled for you (from the CRM): " + line;
    else
        text = lang == Lang::zh ? "📌 " + s.actor.display_name + " 给你安排了跟进：" + line
                                : "📌 " + s.actor.display_name + " scheduled a follow-up for you: " + line;
    tell(s, *to, std::move(text), {t.id});
    return t;
}

std::optional<Task> ensure_next_step(Session& s, const Customer& c, bool intake) {
    if (!c.owner || detail::is_closed(c) || !s.repo.open_tasks_for_customer(c.id).empty()) return std::nullopt;
    const auto owner = s.repo.user(*c.owner);
    if (!owner) return std::nullopt;
    const auto choice = detail::cadence_next(s.repo, s.opt, c, *owner, s.now, intake);
    if (!choice) return std::nullopt;
    Task t;
    t.customer = c.id;
    t.assignee = *c.owner;
    t.due = choice->due;
    t.method = Method::call;
    t.topic = choice->code;  // worded in the reader's language when shown (core/topics.hpp)
    t.origin = Origin::cadence;
    t.created_at = s.now;
    detail::arm(s.repo, s.opt, t);
    t.id = s.repo.add_task(t);
    // The cadence acts, not the actor: no actor, no note.
    s.repo.append_audit(
        AuditEntry{{}, s.now, std::nullopt, "task.cadence", tid(t.id), cid(c.id) + " " + choice->why_en});
    detail::refresh_next_followup(s.repo, c.id);
    return t;
}

OutcomeEffect apply_outcome(Session& s, CustomerId id, const std::vector<std::string>& results) {
    auto c = s.repo.customer(id);
    if (!c) return {};
    if (has(results, "lost")) {
        c->stage = Stage::lost;
        s.repo.update_customer(*c);
        const auto cancelled = detail::cancel_open_tasks(s.repo, id);
        audit(s, "customer.close", cid(id), "lost");
        return {OutcomeEffect::lost, cancelled.size()};
    }
    if (has(results, "won") && c->stage != Stage::new_customer) {
        c->stage = Stage::new_customer;
        s.repo.update_customer(*c);
        audit(s, "customer.stage", cid(id), "new_customer (won)");
        return {OutcomeEffect::won, 0};
    }
    return {};
}

Completed complete(Session& s, Task task, const Completion& c) {
    require_open(task);
    require_completable(task, c.results);
    task.status = TaskStatus::done;
    task.done_at = s.now;
    task.remind_at.reset();
    s.repo.update_task(task);

    Interaction in;
    in.customer = task.customer;
    in.task = task.id;
    in.user = c.by;
    in.at = s.now;
    in.method = task.method;
    in.results = c.results;
    in.note = c.note;
    in.next_step = c.next_step;
    in.satisfaction = c.satisfaction;
    s.repo.add_interaction(in);
    if (auto cu = s.repo.customer(task.customer)) {
        cu->last_contact = s.now;
        s.repo.update_customer(*cu);
    }
    detail::refresh_next_followup(s.repo, task.customer);
    audit(s, "task.done", tid(task.id), render::results(c.results, Lang::en));

    Completed out{task, apply_outcome(s, task.customer, c.results), std::nullopt, std::nullopt};
    const auto customer = s.repo.customer(task.customer);
    if (!customer || detail::is_closed(*customer)) return out;
    if (c.next_due)
        out.next = schedule_followup(s, *customer, task.assignee, *c.next_due, task.method,
                                     c.note.empty() ? task.topic : c.note);
    else
        out.cadence = ensure_next_step(s, *customer);
    return out;
}

Snoozed snooze(Session& s, Task task, TimePoint until) {
    require_open(task);
    if (until <= s.now) throw Refused(Refused::Why::not_in_future, task.id);
    if (until <= task.due) {
        // Not due yet: the first reminder comes at due whatever the snooze, so
        // this is no snooze (and is not counted); an earlier snooze past due is undone.
        if (task.snoozed_until) {
            task.status = TaskStatus::open;
            task.snoozed_until.reset();
            detail::arm(s.repo, s.opt, task);
            s.repo.update_task(task);
        }
        return Snoozed{task, false, task.due, std::nullopt};
    }
    if (const auto reclaim = detail::reclaim_at(s.repo, s.opt, task); reclaim && until >= *reclaim)
        throw Refused(Refused::Why::past_reclaim, task.id, *reclaim);
    task.status = TaskStatus::snoozed;
    task.snoozed_until = until;
    task.snooze_count += 1;
    if (task.ladder_step <= 2) task.ladder_step = 0;  // the reminders start again; escalation keeps its time
    detail::arm(s.repo, s.opt, task);
    s.repo.update_task(task);
    audit(s, "task.snooze", tid(task.id), std::to_string(to_unix(until)));
    Snoozed out{task, true, until, std::nullopt};
    if (const auto assignee = s.repo.user(task.assignee)) {
        const WorkCalendar cal = detail::calendar_of(s.opt, *assignee);
        if (!detail::urgent(task)) {
            const TimePoint in_hours = cal.next_working_moment(until);
            out.reminder = in_hours == TimePoint::max() ? std::nullopt : std::optional(in_hours);
        }
        const auto esc = detail::escalation_at(detail::rules_for(s.opt, assignee->team), cal, task);
        if (esc && (!out.reminder || *esc <= *out.reminder)) out.escalation = esc;
    }
    return out;
}

Task reschedule(Session& s, Task task, TimePoint due) {
    require_open(task);
    const TimePoint before = task.due;
    task.due = due;
    task.status = TaskStatus::open;
    task.snoozed_until.reset();
    task.ladder_step = 0;
    task.reschedule_count += 1;
    detail::arm(s.repo, s.opt, task);
    s.repo.update_task(task);
    detail::refresh_next_followup(s.repo, task.customer);
    audit(s, "task.reschedule", tid(task.id), std::to_string(to_unix(before)) + "->" + std::to_string(to_unix(due)));
    return task;
}

}  // namespace fu::uc
