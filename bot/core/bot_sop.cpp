// The SOP's commands: complaint, the public pool (pool, claim, release),
// handover and close.
#include <date/tz.h>

#include <algorithm>

#include "core/bot_internal.hpp"

namespace fu::detail {
namespace {

std::string cid(CustomerId id) { return "c" + std::to_string(id.value); }

TimePoint local_midnight_today(const Ctx& ctx) {
    const auto today = date::floor<date::days>(date::zoned_seconds{ctx.zone, ctx.now}.get_local_time());
    return date::zoned_seconds{ctx.zone, date::local_seconds{today}, date::choose::earliest}.get_sys_time();
}

// A pool customer the speaker may claim or see: their team's pool (admins: any).
Customer load_pool_customer(Ctx& ctx, const cmd::CustomerRef& ref) {
    auto visible = [&](const Customer& c) {
        return !c.owner && (ctx.me.role == Role::admin || !c.team || c.team == ctx.me.team);
    };
    std::vector<Customer> found;
    if (ref.id) {
        if (auto c = ctx.repo.customer(*ref.id)) found.push_back(*c);
    } else {
        found = ctx.repo.find_customers(ref.name, 50);
    }
    std::erase_if(found, [&](const Customer& c) { return !visible(c); });
    const std::string what = ref.id ? cid(*ref.id) : ref.name;
    if (found.empty())
        ctx.fail("No customer '" + what + "' in the public pool. Send 'pool' to see it.",
                 "公海里没有「" + what + "」。发送「公海」查看。");
    if (found.size() > 1) {
        std::string list;
        for (std::size_t i = 0; i < found.size() && i < 5; ++i) list += "\n  " + cid(found[i].id) + " " + found[i].name;
        ctx.fail("'" + what + "' matches several pool customers; use the id:" + list,
                 "「" + what + "」在公海里匹配到多个客户，请用编号：" + list);
    }
    return found.front();
}

User load_member(Ctx& ctx, std::string_view who) {
    if (ctx.me.role == Role::admin) return resolve_person(ctx, who, ctx.repo.users());
    return resolve_person(ctx, who, ctx.me.team ? ctx.repo.team_members(*ctx.me.team) : std::vector<User>{});
}

void tell(Ctx& ctx, const User& to, std::string_view en, std::string_view zh, std::vector<TaskId> tasks = {}) {
    notify(ctx, to, MessageKind::notice, std::string(to.lang == Lang::zh ? zh : en), {}, std::move(tasks));
}

}  // namespace

Reply run(Ctx& ctx, const cmd::Complaint& c) {
    Customer cu = load_customer(ctx, c.customer);
    const UserId owner = cu.owner.value_or(ctx.me.id);
    Task t;
    t.customer = cu.id;
    t.assignee = owner;
    t.due = ctx.now;
    t.method = Method::call;
    t.topic = c.text;
    t.priority = Priority::high;
    t.origin = Origin::complaint;
    t.created_by = ctx.me.id;
    t.created_at = ctx.now;
    arm(ctx.repo, ctx.opt, t);
    t.id = ctx.repo.add_task(t);

    Interaction in;
    in.customer = cu.id;
    in.task = t.id;
    in.user = ctx.me.id;
    in.at = ctx.now;
    in.method = Method::other;
    in.results = {"complaint"};
    in.note = c.text;
    ctx.repo.add_interaction(in);
    refresh_next_followup(ctx.repo, cu.id);
    audit(ctx, "complaint.open", "task:" + std::to_string(t.id.value), "customer:" + std::to_string(cu.id.value));

    const auto rep = ctx.repo.user(owner);
    for (const auto& m : managers_of(ctx.repo, *rep)) {
        if (m.id == ctx.me.id) continue;
        notify(
            ctx, m, MessageKind::notice,
            m.lang == Lang::zh
                ? "🚨 客户投诉：" + cu.name + "（" + cid(cu.id) + "），负责人 " + rep->display_name + "\n" + c.text +
                      "\n任务 #" + std::to_string(t.id.value) + "，处理完前保持打开。"
                : "🚨 Complaint from " + cu.name + " (" + cid(cu.id) + "), owner " + rep->display_name + "\n" + c.text +
                      "\nTask #" + std::to_string(t.id.value) + " stays open until it is resolved.",
            {{m.lang == Lang::zh ? "📇 历史" : "📇 History", (m.lang == Lang::zh ? "历史 " : "history ") + cid(cu.id)}},
            {t.id});
    }
    if (owner != ctx.me.id)
        tell(ctx, *rep,
             "🚨 Complaint on your customer " + cu.name + ": " + c.text + " — task #" + std::to_string(t.id.value),
             "🚨 你的客户 " + cu.name + " 投诉：" + c.text + " —— 任务 #" + std::to_string(t.id.value), {t.id});
    return {ctx.t("🚨 Complaint recorded for " + cu.name + " as urgent task #" + std::to_string(t.id.value) +
                      "; the manager has been told. Close it with: done " + std::to_string(t.id.value) +
                      " resolved <what was done>",
                  "🚨 已记录 " + cu.name + " 的投诉，紧急任务 #" + std::to_string(t.id.value) +
                      "，已通知主管。处理后回复：完成 " + std::to_string(t.id.value) + " 已解决 <处理结果>"),
            {}};
}

Reply run(Ctx& ctx, const cmd::Pool&) {
    const auto team = ctx.me.role == Role::admin && !ctx.me.team ? std::nullopt : ctx.me.team;
    // Listed whole up to kPoolShown, in pages where the platform needs them (`more`).
    constexpr std::size_t kPoolShown = 500;
    const auto pool = ctx.repo.pool_customers(team, kPoolShown + 1);
    const SopRules& rules = rules_for(ctx.opt, ctx.me.team);
    const int claimed = ctx.repo.claims_since(ctx.me.id, local_midnight_today(ctx));
    const int left = std::max(0, rules.claim_daily_quota - claimed);
    if (pool.empty()) return {ctx.t("🌊 The public pool is empty.", "🌊 公海里没有客户。"), {}};
    const std::string count = std::to_string(std::min(pool.size(), kPoolShown)) + (pool.size() > kPoolShown ? "+" : "");
    // The quota first: on a long list the last page comes only after `more`.
    std::string text = ctx.t("🌊 Public pool (" + count + ") · claims left today: " + std::to_string(left) + " of " +
                                 std::to_string(rules.claim_daily_quota) + " · claim <customer>",
                             "🌊 公海客户（" + count + "）· 今天还可领取 " + std::to_string(left) + "/" +
                                 std::to_string(rules.claim_daily_quota) + " 个 · 领取 <客户>");
    Reply r;
    for (std::size_t i = 0; i < pool.size() && i < kPoolShown; ++i) {
        const auto& c = pool[i];
        text += "\n  " + cid(c.id) + " " + c.name + " · " + std::string(render::tier(c.tier, ctx.lang)) + " · " +
                std::string(render::stage(c.stage, ctx.lang));
        if (!c.phone.empty()) text += " · " + render::mask_phone(c.phone);
        if (!c.email.empty()) text += " · " + render::mask_email(c.email);
        if (c.last_contact) text += ctx.t(" · last contact ", " · 最近联系 ") + ctx.when(*c.last_contact);
        if (r.buttons.size() < 3 && left > 0)
            r.buttons.push_back({ctx.t("🙋 Claim ", "🙋 领取 ") + cid(c.id), ctx.t("claim ", "领取 ") + cid(c.id)});
    }
    r.text = text;
    return r;
}

Reply run(Ctx& ctx, const cmd::Claim& c) {
    Customer cu = load_pool_customer(ctx, c.customer);
    const SopRules& rules = rules_for(ctx.opt, ctx.me.team);
    const int claimed = ctx.repo.claims_since(ctx.me.id, local_midnight_today(ctx));
    if (claimed >= rules.claim_daily_quota)
        ctx.fail(
            "You have claimed " + std::to_string(claimed) + " customers today, the daily quota. Try again tomorrow.",
            "你今天已领取 " + std::to_string(claimed) + " 个客户，达到每日上限，请明天再领。");
    if (const auto released = ctx.repo.last_release(cu.id, ctx.me.id)) {
        const TimePoint allowed = *released + std::chrono::days(rules.reclaim_cooldown_days);
        if (ctx.now < allowed)
            // Released by the rep, or reclaimed from them by the overdue ladder: the same cooldown.
            ctx.fail(cu.name + " went from you to the public pool on " + ctx.when(*released) +
                         "; you can claim it back from " + ctx.when(allowed) + ".",
                     cu.name + " 在 " + ctx.when(*released) + " 从你名下回到公海，" + ctx.when(allowed) +
                         " 之后你才能再次领取。");
    }
    cu.owner = ctx.me.id;
    if (ctx.me.team) cu.team = ctx.me.team;
    ctx.repo.update_customer(cu);
    ctx.repo.add_transfer(Transfer{{}, cu.id, std::nullopt, ctx.me.id, ctx.me.id, ctx.now, "claimed from the pool"});
    audit(ctx, "customer.claim", "customer:" + std::to_string(cu.id.value), "user:" + std::to_string(ctx.me.id.value));
    std::string text =
        ctx.t("🙋 " + cid(cu.id) + " " + cu.name + " is yours now.", "🙋 已领取 " + cid(cu.id) + " " + cu.name + "。");
    const Contacts shown = contacts(ctx, cu, true);  // the claimer owns it now
    if (!shown.phone.empty()) text += ctx.t(" Phone ", " 电话 ") + shown.phone;
    if (!shown.email.empty()) text += ctx.t(" · email ", " · 邮箱 ") + shown.email;
    if (!shown.im.empty()) text += ctx.t(" · IM ", " · 微信 ") + shown.im;
    text += contacts_note(ctx, shown, true);
    if (auto t = ensure_next_step(ctx, cu, true)) {
        const auto choice = cadence_next(ctx.repo, ctx.opt, cu, ctx.me, ctx.now, true);
        if (choice) text += cadence_line(ctx, *t, *choice);
    }
    text += ctx.t("\nClaims left today: ", "\n今天还可领取：") +
            std::to_string(std::max(0, rules.claim_daily_quota - claimed - 1));
    return {text, {}};
}

Reply run(Ctx& ctx, const cmd::Release& c) {
    Customer cu = load_customer(ctx, c.customer);
    if (!cu.owner) ctx.fail(cu.name + " is already in the public pool.", cu.name + " 已经在公海里了。");
    auto s = session(ctx);
    const auto cancelled = uc::release_customer(s, cu, c.reason.empty() ? "released" : c.reason);
    const auto n = std::to_string(cancelled.size());
    return {ctx.t("🌊 " + cid(cu.id) + " " + cu.name + " is back in the public pool (" + n +
                      " open follow-up(s) cancelled; the history stays).",
                  "🌊 " + cid(cu.id) + " " + cu.name + " 已释放到公海（取消 " + n + " 项待跟进，历史记录保留）。"),
            {}};
}

Reply run(Ctx& ctx, const cmd::Handover& c) {
    const User from = load_member(ctx, c.from);
    const User to = load_member(ctx, c.to);
    if (from.id == to.id) ctx.fail("Hand over to someone else.", "请交接给另一个人。");
    if (to.role == Role::admin)
        ctx.fail(to.display_name + " is an admin, not a rep.", to.display_name + " 是管理员，不是销售。");
    std::size_t customers = 0, tasks = 0;
    for (auto cu : ctx.repo.customers_owned_by(from.id)) {
        cu.owner = to.id;
        if (to.team) cu.team = to.team;
        ctx.repo.update_customer(cu);
        ctx.repo.add_transfer(Transfer{{}, cu.id, from.id, to.id, ctx.me.id, ctx.now, "handover"});
        ++customers;
    }
    std::vector<TaskId> moved;
    for (auto t : ctx.repo.open_tasks_for(from.id, TimePoint::max())) {
        t.assignee = to.id;
        arm(ctx.repo, ctx.opt, t);  // the new assignee's working hours
        ctx.repo.update_task(t);
        moved.push_back(t.id);
        ++tasks;
    }
    audit(ctx, "customer.handover", "user:" + std::to_string(from.id.value),
          "to user:" + std::to_string(to.id.value) + " customers " + std::to_string(customers) + " tasks " +
              std::to_string(tasks));
    const auto counts_en =
        std::to_string(customers) + " customer(s) and " + std::to_string(tasks) + " open follow-up(s)";
    const auto counts_zh = std::to_string(customers) + " 个客户、" + std::to_string(tasks) + " 项待跟进";
    tell(ctx, to,
         "🤝 " + from.display_name + "'s " + counts_en + " are now yours (handover by " + ctx.me.display_name +
             "). Send 'today' to start.",
         "🤝 " + from.display_name + " 的 " + counts_zh + " 已交接给你（" + ctx.me.display_name +
             " 操作）。发送「今天」开始。",
         moved);
    tell(ctx, from, "🤝 Your " + counts_en + " were handed over to " + to.display_name + ".",
         "🤝 你的 " + counts_zh + " 已交接给 " + to.display_name + "。");
    for (const auto& m : managers_of(ctx.repo, from))
        if (m.id != ctx.me.id)
            tell(ctx, m,
                 "🤝 " + ctx.me.display_name + " handed " + from.display_name + "'s " + counts_en + " over to " +
                     to.display_name + ".",
                 "🤝 " + ctx.me.display_name + " 把 " + from.display_name + " 的 " + counts_zh + " 交接给了 " +
                     to.display_name + "。");
    return {ctx.t("🤝 Handed over " + counts_en + " from " + from.display_name + " to " + to.display_name +
                      "; both have been told.",
                  "🤝 已把 " + from.display_name + " 的 " + counts_zh + " 交接给 " + to.display_name +
                      "，已通知双方。"),
            {}};
}

Reply run(Ctx& ctx, const cmd::Close& c) {
    Customer cu = load_customer(ctx, c.customer);
    if (is_closed(cu)) ctx.fail(cu.name + " is already closed.", cu.name + " 已经结案了。");
    const auto cancelled = cancel_open_tasks(ctx.repo, cu.id);
    cu = *ctx.repo.customer(cu.id);
    const Stage before = cu.stage;  // the interaction records the stage it closed from
    cu.stage = c.outcome;
    cu.last_contact = ctx.now;  // closing is recorded as an interaction: the last contact, as for done and log
    ctx.repo.update_customer(cu);
    Interaction in;
    in.customer = cu.id;
    in.user = ctx.me.id;
    in.at = ctx.now;
    in.method = Method::other;
    in.results = {c.outcome == Stage::won ? "won" : "lost"};
    in.note = c.note;
    in.stage = before;
    ctx.repo.add_interaction(in);
    audit(ctx, "customer.close", "customer:" + std::to_string(cu.id.value), std::string(code(c.outcome)));
    const auto n = std::to_string(cancelled.size());
    const bool won = c.outcome == Stage::won;
    return {
        ctx.t("🔒 " + cu.name + " closed as " + (won ? "won and handed over" : "lost") + ": no more follow-ups (" + n +
                  " open cancelled).",
              "🔒 " + cu.name + " 已结案（" + (won ? "成交并移交" : "丢单") + "），不再安排跟进（取消 " + n + " 项）。"),
        {}};
}

}  // namespace fu::detail
