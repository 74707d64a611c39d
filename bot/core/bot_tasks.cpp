// Commands on follow-up tasks: done, log, snooze, reschedule, followup.
#include <algorithm>

#include "core/bot_internal.hpp"

namespace fu::detail {
namespace {

std::string id_text(TaskId id) { return "#" + std::to_string(id.value); }

void require_open(Ctx& ctx, const Task& t) {
    if (t.status == TaskStatus::done)
        ctx.fail(id_text(t.id) + " is already done.", id_text(t.id) + " 已经完成了。");
    if (t.status == TaskStatus::cancelled)
        ctx.fail(id_text(t.id) + " was cancelled.", id_text(t.id) + " 已取消。");
}

// Schedules the next follow-up asked for in a reply ("next fri 3pm").
Task schedule_next(Ctx& ctx, const Customer& c, UserId assignee, TimePoint due, Method method, std::string topic) {
    Task next;
    next.customer = c.id;
    next.assignee = assignee;
    next.due = due;
    next.method = method;
    next.topic = std::move(topic);
    next.origin = Origin::manual;
    next.created_by = ctx.me.id;
    next.created_at = ctx.now;
    // The rep's own plan supersedes an automatic one not yet reminded of.
    for (auto t : ctx.repo.open_tasks_for_customer(c.id))
        if (t.origin == Origin::cadence && t.ladder_step == 0) {
            t.status = TaskStatus::cancelled;
            t.remind_at.reset();
            ctx.repo.update_task(t);
            audit(ctx, "task.superseded", "task:" + std::to_string(t.id.value), "by a follow-up set by hand");
        }
    arm(ctx.repo, ctx.opt, next);
    next.id = ctx.repo.add_task(next);
    audit(ctx, "task.create", "task:" + std::to_string(next.id.value),
          "customer:" + std::to_string(c.id.value) + " due:" + std::to_string(to_unix(due)));
    return next;
}

void record_interaction(Ctx& ctx, CustomerId customer, std::optional<TaskId> task, Method method,
                        const std::vector<std::string>& results, const std::string& note,
                        const std::optional<std::string>& next, std::optional<int> satisfaction) {
    Interaction in;
    in.customer = customer;
    in.task = task;
    in.user = ctx.me.id;
    in.at = ctx.now;
    in.method = method;
    in.results = results;
    in.note = note;
    in.next_step = next.value_or("");
    in.satisfaction = satisfaction;
    ctx.repo.add_interaction(in);
}

void touch_customer(Ctx& ctx, CustomerId id) {
    if (auto c = ctx.repo.customer(id)) {
        c->last_contact = ctx.now;
        ctx.repo.update_customer(*c);
    }
    refresh_next_followup(ctx.repo, id);
}

std::string next_text(Ctx& ctx, const std::optional<Task>& next) {
    if (!next) return {};
    return ctx.t("\n➡️ Next follow-up " + id_text(next->id) + ": " + ctx.when(next->due),
                 "\n➡️ 下次跟进 " + id_text(next->id) + "：" + ctx.when(next->due)) +
           non_working_note(ctx, next->due);
}

bool has(const std::vector<std::string>& results, std::string_view code) {
    return std::find(results.begin(), results.end(), code) != results.end();
}

// The reply's line about what an outcome did to the customer.
std::string apply_outcome(Ctx& ctx, CustomerId id, const std::vector<std::string>& results) {
    const OutcomeEffect e = apply_outcome_effects(ctx, id, results);
    if (e.kind == OutcomeEffect::none) return {};
    const auto c = ctx.repo.customer(id);
    if (e.kind == OutcomeEffect::lost)
        return ctx.t("\n🔒 " + c->name + " is closed as lost: no more follow-ups" +
                         (e.cancelled == 0 ? "" : " (" + std::to_string(e.cancelled) + " cancelled)") + ".",
                     "\n🔒 " + c->name + " 已按丢单结案，不再安排跟进" +
                         (e.cancelled == 0 ? "" : "（取消 " + std::to_string(e.cancelled) + " 项）") + "。");
    return ctx.t("\n🎉 Won: " + c->name + " is now a new customer; revisits follow the after-deal plan.",
                 "\n🎉 成交！" + c->name + " 转为新客户，按成交后回访计划跟进。");
}

// After an outcome: the asked-for next follow-up, or else the cadence's.
std::string next_step_text(Ctx& ctx, CustomerId id, const std::optional<Task>& asked) {
    if (asked) return next_text(ctx, asked);
    const auto c = ctx.repo.customer(id);
    if (!c || is_closed(*c)) return {};
    if (auto t = ensure_next_step(ctx, *c)) {
        const auto owner = ctx.repo.user(t->assignee);
        return cadence_line(ctx, *t, *cadence_next(ctx.repo, ctx.opt, *c, *owner, ctx.now, false)) +
               non_working_note(ctx, t->due);
    }
    return {};
}

}  // namespace

Reply run(Ctx& ctx, const cmd::Done& c) {
    Task task = load_task(ctx, c.task);
    require_open(ctx, task);
    if (task.origin == Origin::complaint && !has(c.results, "resolved"))
        ctx.fail("A complaint stays open until its resolution is logged: done " + std::to_string(task.id.value) +
                     " resolved <what was done>",
                 "投诉要记录处理结果才能关闭：完成 " + std::to_string(task.id.value) + " 已解决 <处理结果>");
    // Resolve the time before changing anything: a bad time changes nothing.
    std::optional<TimePoint> next_due;
    if (c.next) next_due = resolve_when(ctx, *c.next);
    auto customer = ctx.repo.customer(task.customer);

    task.status = TaskStatus::done;
    task.done_at = ctx.now;
    task.remind_at.reset();
    ctx.repo.update_task(task);

    record_interaction(ctx, task.customer, task.id, task.method, c.results, c.note, c.next, c.satisfaction);
    touch_customer(ctx, task.customer);
    audit(ctx, "task.done", "task:" + std::to_string(task.id.value), render::results(c.results, Lang::en));
    const std::string outcome = apply_outcome(ctx, task.customer, c.results);
    customer = ctx.repo.customer(task.customer);

    std::optional<Task> next;
    if (next_due && !is_closed(*customer))
        next = schedule_next(ctx, *customer, task.assignee, *next_due, task.method,
                             c.note.empty() ? task.topic : c.note);

    Reply r;
    const auto head = "✅ " + id_text(task.id) + " " + customer->name;
    if (c.results.empty())
        r.text = ctx.t(head + " done.", head + " 已完成。");
    else
        r.text = ctx.t(head + " done: " + render::results(c.results, ctx.lang),
                       head + " 已完成：" + render::results(c.results, ctx.lang));
    if (!c.note.empty()) r.text += ctx.t("\n📝 Note: ", "\n📝 备注：") + c.note;
    if (c.satisfaction) r.text += ctx.t("\n⭐ Satisfaction ", "\n⭐ 满意度 ") + std::to_string(*c.satisfaction) + "/5";
    r.text += outcome + next_step_text(ctx, task.customer, next);
    return r;
}

Reply run(Ctx& ctx, const cmd::Log& c) {
    Customer customer = load_customer(ctx, c.customer);
    std::optional<TimePoint> next_due;
    if (c.next) next_due = resolve_when(ctx, *c.next);

    record_interaction(ctx, customer.id, std::nullopt, c.method, c.results, c.note, c.next, c.satisfaction);
    touch_customer(ctx, customer.id);
    audit(ctx, "interaction.log", "customer:" + std::to_string(customer.id.value), render::results(c.results, Lang::en));
    const std::string outcome = apply_outcome(ctx, customer.id, c.results);
    customer = *ctx.repo.customer(customer.id);

    std::optional<Task> next;
    if (next_due && !is_closed(customer))
        next = schedule_next(ctx, customer, customer.owner.value_or(ctx.me.id), *next_due, c.method,
                             c.note.empty() ? std::string(render::method(c.method, ctx.lang)) : c.note);

    Reply r;
    r.text = ctx.t("📝 Logged for " + customer.name + " (" + std::string(render::method(c.method, ctx.lang)) +
                       "): " + render::results(c.results, ctx.lang),
                   "📝 已记录 " + customer.name + "（" + std::string(render::method(c.method, ctx.lang)) +
                       "）：" + render::results(c.results, ctx.lang));
    if (!c.note.empty()) r.text += ctx.t("\nNote: ", "\n备注：") + c.note;
    if (c.satisfaction) r.text += ctx.t("\n⭐ Satisfaction ", "\n⭐ 满意度 ") + std::to_string(*c.satisfaction) + "/5";
    r.text += outcome + next_step_text(ctx, customer.id, next);
    return r;
}

// Snooze moves the next reminder only: the due time (and so timeliness and
// the escalation point) stays.
Reply run(Ctx& ctx, const cmd::Snooze& c) {
    Task task = load_task(ctx, c.task);
    require_open(ctx, task);
    const TimePoint until = resolve_when(ctx, c.when);
    if (until <= ctx.now)
        ctx.fail("Snooze to a time in the future, e.g. snooze " + std::to_string(task.id.value) + " 1h",
                 "推迟到将来的时间，例如：推迟 " + std::to_string(task.id.value) + " 1小时后");
    task.status = TaskStatus::snoozed;
    task.snoozed_until = until;
    task.snooze_count += 1;
    if (task.ladder_step <= 2) task.ladder_step = 0;  // the reminders start again; escalation keeps its time
    arm(ctx.repo, ctx.opt, task);
    ctx.repo.update_task(task);
    audit(ctx, "task.snooze", "task:" + std::to_string(task.id.value), std::to_string(to_unix(until)));
    auto customer = ctx.repo.customer(task.customer);
    const auto times = std::to_string(task.snooze_count);
    std::string text = ctx.t("⏰ " + id_text(task.id) + " " + customer->name + ": next reminder " +
                                 (task.remind_at ? ctx.when(*task.remind_at) : ctx.when(until)) + " · still due " +
                                 ctx.when(task.due) + " (snoozed " + times + "×)",
                             "⏰ " + id_text(task.id) + " " + customer->name + "：下次提醒 " +
                                 (task.remind_at ? ctx.when(*task.remind_at) : ctx.when(until)) + " · 到期时间不变 " +
                                 ctx.when(task.due) + "（第" + times + "次推迟）");
    if (task.remind_at && *task.remind_at > until)
        text += ctx.t("\n(outside your working hours: it waits for the next working window)",
                      "\n（不在工作时间内，顺延到下一个工作时段）");
    return {text, {}};
}

// Reschedule moves the due time itself and starts the ladder again.
Reply run(Ctx& ctx, const cmd::Reschedule& c) {
    Task task = load_task(ctx, c.task);
    require_open(ctx, task);
    const TimePoint due = resolve_when(ctx, c.when);
    const TimePoint before = task.due;
    task.due = due;
    task.status = TaskStatus::open;
    task.snoozed_until.reset();
    task.ladder_step = 0;
    task.reschedule_count += 1;
    arm(ctx.repo, ctx.opt, task);
    ctx.repo.update_task(task);
    refresh_next_followup(ctx.repo, task.customer);
    audit(ctx, "task.reschedule", "task:" + std::to_string(task.id.value),
          std::to_string(to_unix(before)) + "->" + std::to_string(to_unix(due)));
    auto customer = ctx.repo.customer(task.customer);
    const auto times = std::to_string(task.reschedule_count);
    return {ctx.t("📅 " + id_text(task.id) + " " + customer->name + " is now due " + ctx.when(due) + " (was " +
                      ctx.when(before) + "; rescheduled " + times + "×)",
                  "📅 " + id_text(task.id) + " " + customer->name + " 改期到 " + ctx.when(due) + "（原定 " +
                      ctx.when(before) + "；第" + times + "次改期）") +
                non_working_note(ctx, due),
            {}};
}

Reply run(Ctx& ctx, const cmd::Followup& c) {
    Customer customer = load_customer(ctx, c.customer);
    const TimePoint due = resolve_when(ctx, c.when);
    const UserId assignee = customer.owner.value_or(ctx.me.id);
    const Method method = c.method.value_or(Method::call);
    Task task = schedule_next(ctx, customer, assignee, due, method, c.topic);
    refresh_next_followup(ctx.repo, customer.id);

    Reply r;
    const auto line = render::task_line(task, customer, ctx.now, ctx.zone, ctx.lang);
    r.text = ctx.t("📌 Follow-up scheduled: " + line, "📌 已安排跟进：" + line) + non_working_note(ctx, due);
    if (assignee != ctx.me.id) {
        auto owner = ctx.repo.user(assignee);
        r.text += ctx.t("\nAssigned to " + owner->display_name + " (the customer's owner).",
                        "\n已分配给客户负责人 " + owner->display_name + "。");
        auto olang = owner->lang;
        notify(ctx, *owner, MessageKind::notice,
               (olang == Lang::zh ? "📌 " + ctx.me.display_name + " 给你安排了跟进："
                                  : "📌 " + ctx.me.display_name + " scheduled a follow-up for you: ") +
                   render::task_line(task, customer, ctx.now, render::zone_of(*owner), olang),
               {}, {task.id});
    }
    return r;
}

OutcomeEffect apply_outcome_effects(Ctx& ctx, CustomerId id, const std::vector<std::string>& results,
                                    std::string note) {
    auto c = ctx.repo.customer(id);
    if (!c) return {};
    const auto with_note = [&](std::string d) { return note.empty() ? d : d + " · " + note; };
    if (has(results, "lost")) {
        c->stage = Stage::lost;
        ctx.repo.update_customer(*c);
        const auto cancelled = cancel_open_tasks(ctx.repo, id);
        audit(ctx, "customer.close", "customer:" + std::to_string(id.value), with_note("lost"));
        return {OutcomeEffect::lost, cancelled.size()};
    }
    if (has(results, "won") && c->stage != Stage::new_customer) {
        c->stage = Stage::new_customer;
        ctx.repo.update_customer(*c);
        audit(ctx, "customer.stage", "customer:" + std::to_string(id.value), with_note("new_customer (won)"));
        return {OutcomeEffect::won, 0};
    }
    return {};
}

}  // namespace fu::detail
