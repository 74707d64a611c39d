// Commands on customers: customer add, history, customers, assign.
#include <algorithm>
#include <charconv>

#include "core/bot_internal.hpp"

namespace fu::detail {
namespace {

std::string cid(CustomerId id) { return "c" + std::to_string(id.value); }

std::vector<std::string> split_tags(std::string_view s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        const auto end = s.find(',', start);
        auto part = s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
        if (!part.empty()) out.emplace_back(part);
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return out;
}

// A user the speaker may hand customers to: themselves, a team member (manager), anyone (admin).
User load_assignee(Ctx& ctx, std::string_view who) {
    if (ctx.me.role != Role::rep) return resolve_person(ctx, who, people_in_reach(ctx));
    // A rep names someone of their team, but may only name themselves.
    const User u = resolve_person(ctx, who, ctx.me.team ? ctx.repo.team_members(*ctx.me.team) : people_in_reach(ctx));
    if (u.id != ctx.me.id)
        ctx.fail("Only a manager can give a customer to " + u.display_name + "; leave owner= out to own it yourself.",
                 "只有主管可以把客户交给 " + u.display_name + "；不写负责人则归你自己。");
    return u;
}

}  // namespace

std::string customer_summary(Ctx& ctx, const Customer& c) {
    std::string s = cid(c.id) + " " + c.name;
    if (!c.company.empty() && c.company != c.name) s += " (" + c.company + ")";
    s += " · " + std::string(render::tier(c.tier, ctx.lang)) + " · " + std::string(render::stage(c.stage, ctx.lang));
    if (c.next_followup)
        s += ctx.t(" · next ", " · 下次 ") + ctx.when(*c.next_followup);
    else if (is_closed(c))  // the stage says it: closed customers have no next step by design
        s += ctx.t(" · closed", " · 已结案");
    else
        s += ctx.t(" · ⚠️ no next follow-up", " · ⚠️ 无下次跟进");
    return s;
}

Reply run(Ctx& ctx, const cmd::CustomerAdd& c) {
    check_name(ctx, c.name, "customer name", "客户名称");
    struct Named {
        std::string_view key, en, zh;
    };
    static constexpr Named kNamed[] = {{"company", "company", "公司"},
                                       {"phone", "phone", "电话"},
                                       {"email", "e-mail", "邮箱"},
                                       {"im", "IM", "IM"},
                                       {"source", "source", "来源"}};
    for (const auto& [key, value] : c.fields) {
        for (const auto& n : kNamed)
            if (n.key == key) check_name(ctx, value, n.en, n.zh);
        if (key == "tags")
            for (const auto& tag : split_tags(value)) check_name(ctx, tag, "tag", "标签");
    }
    Customer cu;
    cu.name = c.name;
    cu.created_at = ctx.now;
    cu.owner = ctx.me.id;
    for (const auto& [key, value] : c.fields) {
        if (key == "company")
            cu.company = value;
        else if (key == "phone")
            cu.phone = value;
        else if (key == "email")
            cu.email = value;
        else if (key == "im")
            cu.im = value;
        else if (key == "source")
            cu.source = value;
        else if (key == "tags")
            cu.tags = split_tags(value);
        else if (key == "tier") {
            if (auto t = tier_from_code(value)) cu.tier = *t;
        } else if (key == "stage") {
            if (auto s = stage_from_code(value)) cu.stage = *s;
        } else if (key == "value") {
            std::int64_t v = 0;
            auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
            if (ec != std::errc{} || p != value.data() + value.size())
                ctx.fail("value must be a whole number, e.g. value=50000", "金额必须是整数，例如 金额=50000");
            cu.value = v;
        } else if (key == "owner") {
            cu.owner = load_assignee(ctx, value).id;
        }
    }
    for (const auto& existing : ctx.repo.find_customers(cu.name, 20)) {
        const bool same =
            std::equal(existing.name.begin(), existing.name.end(), cu.name.begin(), cu.name.end(),
                       [](char a, char b) { return std::tolower((unsigned char)a) == std::tolower((unsigned char)b); });
        if (same && can_act_on_customer(ctx, existing))
            ctx.fail("You already have " + cid(existing.id) + " " + existing.name + ". Send 'history " +
                         cid(existing.id) + "' to see it, or choose another name.",
                     "已经有客户 " + cid(existing.id) + " " + existing.name + "。发送「历史 " + cid(existing.id) +
                         "」查看，或换个名称。");
    }
    auto s = session(ctx);
    const auto first = uc::add_customer(s, cu);
    const auto owner = user_name(ctx.repo, *cu.owner);
    Reply r;
    r.text =
        ctx.t("👤 Customer " + cid(cu.id) + " " + cu.name + " added · " + std::string(render::tier(cu.tier, ctx.lang)) +
                  " · " + std::string(render::stage(cu.stage, ctx.lang)) + " · owner " + owner,
              "👤 已添加客户 " + cid(cu.id) + " " + cu.name + " · " + std::string(render::tier(cu.tier, ctx.lang)) +
                  " · " + std::string(render::stage(cu.stage, ctx.lang)) + " · 负责人 " + owner);
    // Never without a next step: the first follow-up comes from the cadence
    // (a new lead: within the first-response window).
    if (const auto& t = first) {
        const auto who = ctx.repo.user(t->assignee);
        r.text += cadence_line(ctx, *t, *cadence_next(ctx.repo, ctx.opt, cu, *who, ctx.now, true));
        r.text += ctx.t("\nTo pick another time: reschedule " + std::to_string(t->id.value) + " <time>",
                        "\n换个时间：改期 " + std::to_string(t->id.value) + " <时间>");
    }
    return r;
}

Reply run(Ctx& ctx, const cmd::History& c) {
    const Customer cu = load_customer(ctx, c.customer);
    std::string text = "📇 " + customer_summary(ctx, cu);
    text +=
        ctx.t("\nOwner: ", "\n负责人：") + (cu.owner ? user_name(ctx.repo, *cu.owner) : ctx.t("public pool", "公海"));
    const bool allowed = may_see_contacts(ctx, cu);  // a manager reading a pool customer's history: no
    const Contacts shown = contacts(ctx, cu, allowed);
    if (!shown.phone.empty()) text += ctx.t(" · phone ", " · 电话 ") + shown.phone;
    if (!shown.email.empty()) text += ctx.t(" · email ", " · 邮箱 ") + shown.email;
    if (!shown.im.empty()) text += ctx.t(" · IM ", " · 微信 ") + shown.im;
    text += contacts_note(ctx, shown, allowed);
    if (cu.last_contact) text += ctx.t("\nLast contact: ", "\n最近联系：") + ctx.when(*cu.last_contact);

    const auto open = ctx.repo.open_tasks_for_customer(cu.id);
    if (!open.empty()) {
        text += ctx.t("\n📋 Open follow-ups:", "\n📋 待跟进：");
        for (const auto& t : open) text += "\n  " + render::task_line(t, cu, ctx.now, ctx.zone, ctx.lang);
    }
    const auto log = ctx.repo.interactions_for_customer(cu.id, 10);
    if (log.empty()) {
        text += ctx.t("\nNo interactions recorded yet.", "\n还没有跟进记录。");
    } else {
        text += ctx.t("\n🕘 Recent interactions:", "\n🕘 最近跟进记录：");
        for (const auto& in : log) {
            text += "\n  " + ctx.when(in.at) + " · " + user_name(ctx.repo, in.user) + " · " +
                    std::string(render::method(in.method, ctx.lang)) + " · " + render::results(in.results, ctx.lang);
            if (!in.note.empty()) text += " · " + in.note;
        }
    }
    std::string steps;
    for (const auto& t : ctx.repo.tasks_for_customer(cu.id, 5))
        for (const auto& a : ctx.repo.audit_for("task:" + std::to_string(t.id.value), 20)) {
            std::string what;
            if (a.action == "ladder.remind")
                what = ctx.t("reminded", "已提醒");
            else if (a.action == "ladder.remind_again")
                what = ctx.t("reminded again", "再次提醒");
            else if (a.action == "ladder.digest")
                what = ctx.t("in the morning digest", "已列入日报");
            else if (a.action == "ladder.escalate")
                what = ctx.t("manager told (escalated)", "已升级通知主管");
            else if (a.action == "ladder.reclaim")
                what = ctx.t("reclaimed to the public pool", "已收回公海");
            else if (a.action == "task.snooze")
                what = ctx.t("snoozed", "推迟");
            else if (a.action == "task.reschedule")
                what = ctx.t("rescheduled", "改期");
            else
                continue;
            steps += "\n  #" + std::to_string(t.id.value) + " " + ctx.when(a.at) + " · " + what;
        }
    if (!steps.empty()) text += ctx.t("\n🪜 Reminders and escalations:", "\n🪜 提醒与升级：") + steps;
    const auto moves = ctx.repo.transfers_for_customer(cu.id);
    if (moves.size() > 1) {
        text += ctx.t("\n🔁 Transfers:", "\n🔁 流转记录：");
        for (const auto& m : moves) {
            if (m.reason == "created") continue;
            const auto from = m.from ? user_name(ctx.repo, *m.from) : ctx.t("public pool", "公海");
            const auto to = m.to ? user_name(ctx.repo, *m.to) : ctx.t("public pool", "公海");
            text += "\n  " + ctx.when(m.at) + " " + from + " → " + to;
            if (!m.reason.empty()) text += " (" + m.reason + ")";
        }
    }
    return {text, {}};
}

Reply run(Ctx& ctx, const cmd::Customers&) {
    std::vector<Customer> list = ctx.repo.customers_owned_by(ctx.me.id);
    if (ctx.me.role != Role::rep && ctx.me.team) {
        for (const auto& m : ctx.repo.team_members(*ctx.me.team)) {
            if (m.id == ctx.me.id) continue;
            auto theirs = ctx.repo.customers_owned_by(m.id);
            list.insert(list.end(), theirs.begin(), theirs.end());
        }
    }
    if (list.empty())
        return {ctx.t("No customers yet. Add one: customer add <name> tier=A stage=lead",
                      "还没有客户。新建：新客户 <名称> 等级=A 阶段=潜在"),
                {}};
    std::string text =
        ctx.t("👥 Customers (" + std::to_string(list.size()) + "):", "👥 客户（" + std::to_string(list.size()) + "）：");
    for (const auto& c : list) {
        text += "\n  " + customer_summary(ctx, c);
        if (c.owner && *c.owner != ctx.me.id) text += " · " + user_name(ctx.repo, *c.owner);
    }
    return {text, {}};
}

Reply run(Ctx& ctx, const cmd::Assign& c) {
    Customer cu = load_customer(ctx, c.customer);
    const User to = load_assignee(ctx, c.rep);
    if (cu.owner && *cu.owner == to.id)
        ctx.fail(cu.name + " already belongs to " + to.display_name + ".",
                 cu.name + " 已经是 " + to.display_name + " 的客户了。");
    const bool from_pool = !cu.owner;
    auto s = session(ctx);
    const auto done = uc::assign_customer(s, cu, to, "assigned by " + ctx.me.handle);
    const auto tasks = std::to_string(done.moved.size());
    std::string text = ctx.t("🔁 " + cid(cu.id) + " " + cu.name + " now belongs to " + to.display_name,
                             "🔁 " + cid(cu.id) + " " + cu.name + " 已转给 " + to.display_name);
    if (!done.moved.empty())
        text += ctx.t(" (" + tasks + " open follow-up(s) moved).", "（" + tasks + " 项待跟进一并转交）。");
    else
        text += ctx.t(from_pool ? " (from the public pool)." : ".", from_pool ? "（来自公海）。" : "。");
    // The follow-up it got, having none: said as such, not as one that was moved.
    if (done.scheduled)
        if (const auto choice = cadence_next(ctx.repo, ctx.opt, cu, to, ctx.now, from_pool))
            text += cadence_line(ctx, *done.scheduled, *choice);
    return {text, {}};
}

}  // namespace fu::detail
