// Commands on follow-up tasks: done, log, snooze, reschedule, followup.
#include <algorithm>

#include "core/bot_internal.hpp"

namespace fu::detail {
namespace {

std::string id_text(TaskId id) { return "#" + std::to_string(id.value); }

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

// The reply's line about what an outcome did to the customer.
std::string outcome_text(Ctx& ctx, CustomerId id, const uc::OutcomeEffect& e) {
    if (e.kind == uc::OutcomeEffect::none) return {};
    const auto c = ctx.repo.customer(id);
    if (e.kind == uc::OutcomeEffect::lost)
        return ctx.t("\n🔒 " + c->name + " is closed as lost: no more follow-ups" +
                         (e.cancelled == 0 ? "" : " (" + std::to_string(e.cancelled) + " cancelled)") + ".",
                     "\n🔒 " + c->name + " 已按丢单结案，不再安排跟进" +
                         (e.cancelled == 0 ? "" : "（取消 " + std::to_string(e.cancelled) + " 项）") + "。");
    return ctx.t("\n🎉 Won: " + c->name + " is now a new customer; revisits follow the after-deal plan.",
                 "\n🎉 成交！" + c->name + " 转为新客户，按成交后回访计划跟进。");
}

// After an outcome: the asked-for next follow-up, or else the cadence's.
std::string next_step_text(Ctx& ctx, CustomerId id, const std::optional<Task>& asked,
                           const std::optional<Task>& cadence) {
    if (asked) return next_text(ctx, asked);
    if (!cadence) return {};
    const auto c = ctx.repo.customer(id);
    const auto owner = ctx.repo.user(cadence->assignee);
    return cadence_line(ctx, *cadence, *cadence_next(ctx.repo, ctx.opt, *c, *owner, ctx.now, false)) +
           non_working_note(ctx, cadence->due);
}

}  // namespace

Reply run(Ctx& ctx, const cmd::Done& c) {
    const Task task = load_task(ctx, c.task);
    uc::require_open(task);
    uc::require_completable(task, c.results);
    // Resolve the time before changing anything: a bad time changes nothing.
    std::optional<TimePoint> next_due;
    if (c.next) next_due = resolve_when(ctx, *c.next);
    auto s = session(ctx);
    const auto done = uc::complete(
        s, task, uc::Completion{ctx.me.id, c.results, c.note, c.satisfaction, next_due, c.next.value_or("")});
    const auto customer = ctx.repo.customer(task.customer);

    Reply r;
    const auto head = "✅ " + id_text(task.id) + " " + customer->name;
    if (c.results.empty())
        r.text = ctx.t(head + " done.", head + " 已完成。");
    else
        r.text = ctx.t(head + " done: " + render::results(c.results, ctx.lang),
                       head + " 已完成：" + render::results(c.results, ctx.lang));
    if (!c.note.empty()) r.text += ctx.t("\n📝 Note: ", "\n📝 备注：") + c.note;
    if (c.satisfaction) r.text += ctx.t("\n⭐ Satisfaction ", "\n⭐ 满意度 ") + std::to_string(*c.satisfaction) + "/5";
    r.text +=
        outcome_text(ctx, task.customer, done.outcome) + next_step_text(ctx, task.customer, done.next, done.cadence);
    return r;
}

Reply run(Ctx& ctx, const cmd::Log& c) {
    Customer customer = load_customer(ctx, c.customer);
    std::optional<TimePoint> next_due;
    if (c.next) next_due = resolve_when(ctx, *c.next);

    record_interaction(ctx, customer.id, std::nullopt, c.method, c.results, c.note, c.next, c.satisfaction);
    touch_customer(ctx, customer.id);
    audit(ctx, "interaction.log", "customer:" + std::to_string(customer.id.value),
          render::results(c.results, Lang::en));
    auto s = session(ctx);
    const std::string outcome = outcome_text(ctx, customer.id, uc::apply_outcome(s, customer.id, c.results));
    customer = *ctx.repo.customer(customer.id);

    std::optional<Task> next, cadence;
    if (next_due && !is_closed(customer))
        next = uc::schedule_followup(s, customer, customer.owner.value_or(ctx.me.id), *next_due, c.method,
                                     c.note.empty() ? std::string(render::method(c.method, ctx.lang)) : c.note);

    Reply r;
    r.text = ctx.t("📝 Logged for " + customer.name + " (" + std::string(render::method(c.method, ctx.lang)) +
                       "): " + render::results(c.results, ctx.lang),
                   "📝 已记录 " + customer.name + "（" + std::string(render::method(c.method, ctx.lang)) + "）：" +
                       render::results(c.results, ctx.lang));
    if (!c.note.empty()) r.text += ctx.t("\nNote: ", "\n备注：") + c.note;
    if (c.satisfaction) r.text += ctx.t("\n⭐ Satisfaction ", "\n⭐ 满意度 ") + std::to_string(*c.satisfaction) + "/5";
    if (!next && !is_closed(customer)) cadence = ensure_next_step(ctx, customer);
    r.text += outcome + next_step_text(ctx, customer.id, next, cadence);
    return r;
}

// Snooze moves the next reminder only: the due time (and so timeliness and
// the escalation point) stays. The reply says when the reminder comes and,
// when it is not the time asked for or the manager hears first, why.
Reply run(Ctx& ctx, const cmd::Snooze& c) {
    Task task = load_task(ctx, c.task);
    uc::require_open(task);
    const TimePoint until = resolve_when(ctx, c.when);
    auto s = session(ctx);
    const auto snoozed = uc::snooze(s, task, until);
    task = snoozed.task;
    auto customer = ctx.repo.customer(task.customer);
    const auto head = "⏰ " + id_text(task.id) + " " + customer->name;
    const auto n = std::to_string(task.id.value);
    const auto reschedule_hint = ctx.t("To move the due time itself: reschedule " + n + " " + c.when,
                                       "要改到期时间本身：改期 " + n + " " + c.when);
    if (!snoozed.counted)
        return {ctx.t(head + " is not due until " + ctx.when(task.due) +
                          ": its first reminder comes then, so there is nothing to snooze. " + reschedule_hint,
                      head + " 到期时间是 " + ctx.when(task.due) + "，到时才第一次提醒，无需推迟。" + reschedule_hint),
                {}};
    const auto times = std::to_string(task.snooze_count);
    const std::string next = snoozed.reminder ? ctx.when(*snoozed.reminder) : ctx.when(until);
    std::string text =
        ctx.t(head + ": next reminder " + next + " · still due " + ctx.when(task.due) + " (snoozed " + times + "×)",
              head + "：下次提醒 " + next + " · 到期时间不变 " + ctx.when(task.due) + "（第" + times + "次推迟）");
    if (snoozed.reminder && *snoozed.reminder > until) {
        const bool mine = task.assignee == ctx.me.id;
        const std::string who = mine ? "" : user_name(ctx.repo, task.assignee);
        text += ctx.t(mine ? "\n(outside your working hours: it waits for the next working window)"
                           : "\n(outside " + who + "'s working hours: it waits for the next working window)",
                      mine ? "\n（不在工作时间内，顺延到下一个工作时段）"
                           : "\n（不在" + who + "的工作时间内，顺延到下一个工作时段）");
    }
    if (snoozed.escalation) {
        if (*snoozed.escalation > ctx.now)
            text += ctx.t("\n⚠️ A snooze does not delay the escalation: if it is still open at " +
                              ctx.when(*snoozed.escalation) + ", the manager is told then. " + reschedule_hint,
                          "\n⚠️ 推迟提醒不会推迟逾期升级：如果到 " + ctx.when(*snoozed.escalation) +
                              " 仍未完成，届时会通知主管。" + reschedule_hint);
        else
            text += ctx.t("\n⚠️ It is past its escalation point (" + ctx.when(*snoozed.escalation) +
                              "): the manager is told whatever the snooze. " + reschedule_hint,
                          "\n⚠️ 已过逾期升级时间（" + ctx.when(*snoozed.escalation) +
                              "），推迟不影响通知主管。" + reschedule_hint);
    }
    return {text, {}};
}

// Reschedule moves the due time itself and starts the ladder again.
Reply run(Ctx& ctx, const cmd::Reschedule& c) {
    Task task = load_task(ctx, c.task);
    uc::require_open(task);
    const TimePoint due = resolve_when(ctx, c.when);
    const TimePoint before = task.due;
    auto s = session(ctx);
    task = uc::reschedule(s, task, due);
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
    check_name(ctx, c.topic, "topic", "跟进主题");
    Customer customer = load_customer(ctx, c.customer);
    const TimePoint due = resolve_when(ctx, c.when);
    const UserId assignee = customer.owner.value_or(ctx.me.id);
    const Method method = c.method.value_or(Method::call);
    // The same message sent twice (a retry, a double tap) schedules one follow-up.
    for (const auto& open : ctx.repo.open_tasks_for_customer(customer.id))
        if (open.due == due && open.topic == c.topic) {
            const auto line = render::task_line(open, customer, ctx.now, ctx.zone, ctx.lang);
            return {ctx.t("⚠️ This follow-up already exists, nothing new was scheduled: " + line,
                          "⚠️ 这条跟进已经存在，没有重复安排：" + line),
                    {}};
        }
    auto s = session(ctx);
    // A follow-up on a customer closed as lost is a try to win it back: it
    // reopens the customer, at the stage it was lost from, and the reply says so.
    std::string reopened;
    if (customer.stage == Stage::lost) {
        customer.stage = Stage::lead;
        for (const auto& in : ctx.repo.interactions_for_customer(customer.id, 50))
            if (std::find(in.results.begin(), in.results.end(), "lost") != in.results.end()) {
                if (in.stage && *in.stage != Stage::lost && *in.stage != Stage::won) customer.stage = *in.stage;
                break;
            }
        ctx.repo.update_customer(customer);
        audit(ctx, "customer.reopen", "customer:" + std::to_string(customer.id.value),
              std::string(code(customer.stage)));
        const std::string stage(render::stage(customer.stage, ctx.lang));
        reopened = ctx.t("\n🔓 " + customer.name + " was closed as lost; this follow-up reopens it (stage: " + stage +
                             "). To close it again: close " + customer.name + " lost",
                         "\n🔓 " + customer.name + " 已按丢单结案；这条跟进将其重新打开（阶段：" + stage +
                             "）。如要重新结案：结案 " + customer.name + " 丢单");
    }
    const Task task = uc::plan_followup(s, customer, assignee, due, method, c.topic);

    Reply r;
    const auto line = render::task_line(task, customer, ctx.now, ctx.zone, ctx.lang);
    r.text = ctx.t("📌 Follow-up scheduled: " + line, "📌 已安排跟进：" + line) + reopened + non_working_note(ctx, due);
    if (assignee != ctx.me.id) {
        auto owner = ctx.repo.user(assignee);
        r.text += ctx.t("\nAssigned to " + owner->display_name + " (the customer's owner).",
                        "\n已分配给客户负责人 " + owner->display_name + "。");
    }
    return r;
}

std::string refusal(const Ctx& ctx, const uc::Refused& e) {
    const auto n = std::to_string(e.task.value);
    switch (e.why) {
        case uc::Refused::Why::already_done:
            return ctx.t(id_text(e.task) + " is already done.", id_text(e.task) + " 已经完成了。");
        case uc::Refused::Why::cancelled:
            return ctx.t(id_text(e.task) + " was cancelled.", id_text(e.task) + " 已取消。");
        case uc::Refused::Why::not_in_future:
            return ctx.t("Snooze to a time in the future, e.g. snooze " + n + " 1h",
                         "推迟到将来的时间，例如：推迟 " + n + " 1小时后");
        case uc::Refused::Why::past_reclaim: {
            const auto at = e.at ? ctx.when(*e.at) : std::string("?");
            return ctx.t(
                "Not snoozed: if nobody follows up by " + at +
                    ", the customer goes back to the public pool, "
                    "so a reminder after that would never come. Snooze to an earlier time, or move the due time "
                    "itself: reschedule " +
                    n + " <time>",
                "未推迟：如果到 " + at +
                    " 仍无人跟进，客户会收回公海，之后的提醒不会再来。请推迟到更早的时间，"
                    "或改到期时间本身：改期 " +
                    n + " <时间>");
        }
        case uc::Refused::Why::complaint_unresolved:
            return ctx.t(
                "A complaint stays open until its resolution is logged: done " + n + " resolved <what was done>",
                "投诉要记录处理结果才能关闭：完成 " + n + " 已解决 <处理结果>");
    }
    return e.what();
}

}  // namespace fu::detail
