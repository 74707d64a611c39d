// The SOP's commands: complaint, the public pool (pool, claim, release),
// handover and close.
#include <algorithm>

#include "core/bot_internal.hpp"

namespace fu::detail {
namespace {

std::string cid(CustomerId id) { return "c" + std::to_string(id.value); }

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
    auto s = session(ctx);
    const auto quota = uc::claim_quota(s);
    const int left = quota.left();
    if (pool.empty()) return {ctx.t("🌊 The public pool is empty.", "🌊 公海里没有客户。"), {}};
    const std::string count = std::to_string(std::min(pool.size(), kPoolShown)) + (pool.size() > kPoolShown ? "+" : "");
    // The quota first: on a long list the last page comes only after `more`.
    std::string text = ctx.t("🌊 Public pool (" + count + ") · claims left today: " + std::to_string(left) + " of " +
                                 std::to_string(quota.quota) + " · claim <customer>",
                             "🌊 公海客户（" + count + "）· 今天还可领取 " + std::to_string(left) + "/" +
                                 std::to_string(quota.quota) + " 个 · 领取 <客户>");
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
    auto s = session(ctx);
    uc::Claimed done;
    try {
        done = uc::claim_customer(s, cu);
    } catch (const uc::ClaimRefused& e) {
        if (e.why == uc::ClaimRefused::Why::quota)
            ctx.fail("You have claimed " + std::to_string(e.claimed) +
                         " customers today, the daily quota. Try again tomorrow.",
                     "你今天已领取 " + std::to_string(e.claimed) + " 个客户，达到每日上限，请明天再领。");
        ctx.fail(cu.name + " went from you to the public pool on " + ctx.when(e.released) +
                     "; you can claim it back from " + ctx.when(e.allowed) + ".",
                 cu.name + " 在 " + ctx.when(e.released) + " 从你名下回到公海，" + ctx.when(e.allowed) +
                     " 之后你才能再次领取。");
    }
    std::string text =
        ctx.t("🙋 " + cid(cu.id) + " " + cu.name + " is yours now.", "🙋 已领取 " + cid(cu.id) + " " + cu.name + "。");
    const Contacts shown = contacts(ctx, cu, true);  // the claimer owns it now
    if (!shown.phone.empty()) text += ctx.t(" Phone ", " 电话 ") + shown.phone;
    if (!shown.email.empty()) text += ctx.t(" · email ", " · 邮箱 ") + shown.email;
    if (!shown.im.empty()) text += ctx.t(" · IM ", " · 微信 ") + shown.im;
    text += contacts_note(ctx, shown, true);
    if (done.first)
        if (const auto choice = cadence_next(ctx.repo, ctx.opt, cu, ctx.me, ctx.now, true))
            text += cadence_line(ctx, *done.first, *choice);
    text += ctx.t("\nClaims left today: ", "\n今天还可领取：") + std::to_string(done.claims_left);
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
    auto s = session(ctx);
    const auto done = uc::handover(s, from, to);
    const auto customers = std::to_string(done.customers), tasks = std::to_string(done.moved.size());
    const auto counts_en = customers + " customer(s) and " + tasks + " open follow-up(s)";
    const auto counts_zh = customers + " 个客户、" + tasks + " 项待跟进";
    return {ctx.t("🤝 Handed over " + counts_en + " from " + from.display_name + " to " + to.display_name +
                      "; both have been told.",
                  "🤝 已把 " + from.display_name + " 的 " + counts_zh + " 交接给 " + to.display_name +
                      "，已通知双方。"),
            {}};
}

Reply run(Ctx& ctx, const cmd::Close& c) {
    Customer cu = load_customer(ctx, c.customer);
    if (is_closed(cu)) ctx.fail(cu.name + " is already closed.", cu.name + " 已经结案了。");
    auto s = session(ctx);
    const auto cancelled = uc::close_customer(s, cu, c.outcome, c.note, ctx.me.id);
    const auto n = std::to_string(cancelled.size());
    const bool won = c.outcome == Stage::won;
    return {
        ctx.t("🔒 " + cu.name + " closed as " + (won ? "won and handed over" : "lost") + ": no more follow-ups (" + n +
                  " open cancelled).",
              "🔒 " + cu.name + " 已结案（" + (won ? "成交并移交" : "丢单") + "），不再安排跟进（取消 " + n + " 项）。"),
        {}};
}

}  // namespace fu::detail
