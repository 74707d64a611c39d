// Commands on follow-up tasks: done, log, snooze, followup.
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
    next.remind_at = due;
    next.id = ctx.repo.add_task(next);
    audit(ctx, "task.create", "task:" + std::to_string(next.id.value),
          "customer:" + std::to_string(c.id.value) + " due:" + std::to_string(to_unix(due)));
    return next;
}

void record_interaction(Ctx& ctx, CustomerId customer, std::optional<TaskId> task, Method method,
                        const std::vector<std::string>& results, const std::string& note,
                        const std::optional<std::string>& next) {
    Interaction in;
    in.customer = customer;
    in.task = task;
    in.user = ctx.me.id;
    in.at = ctx.now;
    in.method = method;
    in.results = results;
    in.note = note;
    in.next_step = next.value_or("");
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
                 "\n➡️ 下次跟进 " + id_text(next->id) + "：" + ctx.when(next->due));
}

}  // namespace

Reply run(Ctx& ctx, const cmd::Done& c) {
    Task task = load_task(ctx, c.task);
    require_open(ctx, task);
    // Resolve the time before changing anything: a bad time changes nothing.
    std::optional<TimePoint> next_due;
    if (c.next) next_due = resolve_when(ctx, *c.next);
    auto customer = ctx.repo.customer(task.customer);

    task.status = TaskStatus::done;
    task.done_at = ctx.now;
    task.remind_at.reset();
    ctx.repo.update_task(task);

    record_interaction(ctx, task.customer, task.id, task.method, c.results, c.note, c.next);

    std::optional<Task> next;
    if (next_due)
        next = schedule_next(ctx, *customer, task.assignee, *next_due, task.method,
                             c.note.empty() ? task.topic : c.note);
    touch_customer(ctx, task.customer);
    audit(ctx, "task.done", "task:" + std::to_string(task.id.value), render::results(c.results, Lang::en));

    Reply r;
    const auto head = "✅ " + id_text(task.id) + " " + customer->name;
    if (c.results.empty())
        r.text = ctx.t(head + " done.", head + " 已完成。");
    else
        r.text = ctx.t(head + " done: " + render::results(c.results, ctx.lang),
                       head + " 已完成：" + render::results(c.results, ctx.lang));
    if (!c.note.empty()) r.text += ctx.t("\n📝 Note: ", "\n📝 备注：") + c.note;
    r.text += next_text(ctx, next);
    if (!next && ctx.repo.open_tasks_for_customer(customer->id).empty()) {
        // Never leave a customer without a next step: offer the usual ones.
        const auto ref = "c" + std::to_string(customer->id.value);
        r.text += ctx.t("\nNo next follow-up for " + customer->name + " yet — schedule one: followup " + ref +
                            " <time> <topic>",
                        "\n" + customer->name + " 还没有下次跟进——新建：跟进 " + ref + " <时间> <内容>");
        r.buttons.push_back({ctx.t("📅 Tomorrow 10:00", "📅 明天上午10点"),
                             ctx.t("followup " + ref + " tomorrow 10am ", "跟进 " + ref + " 明天上午10点 ") +
                                 std::string(code(task.method))});
        r.buttons.push_back({ctx.t("📅 In a week", "📅 一周后"),
                             ctx.t("followup " + ref + " in 7 days ", "跟进 " + ref + " 7天后 ") +
                                 std::string(code(task.method))});
    }
    return r;
}

Reply run(Ctx& ctx, const cmd::Log& c) {
    Customer customer = load_customer(ctx, c.customer);
    std::optional<TimePoint> next_due;
    if (c.next) next_due = resolve_when(ctx, *c.next);

    record_interaction(ctx, customer.id, std::nullopt, c.method, c.results, c.note, c.next);

    std::optional<Task> next;
    if (next_due)
        next = schedule_next(ctx, customer, customer.owner.value_or(ctx.me.id), *next_due, c.method,
                             c.note.empty() ? std::string(render::method(c.method, ctx.lang)) : c.note);
    touch_customer(ctx, customer.id);
    audit(ctx, "interaction.log", "customer:" + std::to_string(customer.id.value), render::results(c.results, Lang::en));

    Reply r;
    r.text = ctx.t("📝 Logged for " + customer.name + " (" + std::string(render::method(c.method, ctx.lang)) +
                       "): " + render::results(c.results, ctx.lang),
                   "📝 已记录 " + customer.name + "（" + std::string(render::method(c.method, ctx.lang)) +
                       "）：" + render::results(c.results, ctx.lang));
    if (!c.note.empty()) r.text += ctx.t("\nNote: ", "\n备注：") + c.note;
    r.text += next_text(ctx, next);
    return r;
}

Reply run(Ctx& ctx, const cmd::Snooze& c) {
    Task task = load_task(ctx, c.task);
    require_open(ctx, task);
    const TimePoint until = resolve_when(ctx, c.when);
    task.status = TaskStatus::snoozed;
    task.due = until;
    task.remind_at = until;
    task.snooze_count += 1;
    ctx.repo.update_task(task);
    refresh_next_followup(ctx.repo, task.customer);
    audit(ctx, "task.snooze", "task:" + std::to_string(task.id.value), std::to_string(to_unix(until)));
    auto customer = ctx.repo.customer(task.customer);
    const auto times = std::to_string(task.snooze_count);
    return {ctx.t("⏰ " + id_text(task.id) + " " + customer->name + " snoozed to " + ctx.when(until) + " (snoozed " +
                      times + "×)",
                  "⏰ " + id_text(task.id) + " " + customer->name + " 已推迟到 " + ctx.when(until) + "（第" + times +
                      "次推迟）"),
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
    r.text = ctx.t("📌 Follow-up scheduled: " + line, "📌 已安排跟进：" + line);
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

}  // namespace fu::detail
