#include "core/usecases/customers.hpp"

#include <date/tz.h>

#include <algorithm>

#include "core/bot_internal.hpp"
#include "core/usecases/followups.hpp"

namespace fu::uc {
namespace {

std::string ref(const Customer& c) { return "c" + std::to_string(c.id.value) + " " + c.name; }

std::string in_lang(const User& to, std::string en, std::string zh) { return to.lang == Lang::zh ? zh : en; }

std::string subject(const Customer& c) { return "customer:" + std::to_string(c.id.value); }

// Midnight today where the actor is: the day a claim quota counts.
TimePoint local_midnight_today(const Session& s) {
    const auto* zone = render::zone_of(s.actor);
    const auto today = date::floor<date::days>(date::zoned_seconds{zone, s.now}.get_local_time());
    return date::zoned_seconds{zone, date::local_seconds{today}, date::choose::earliest}.get_sys_time();
}

}  // namespace

std::optional<Task> add_customer(Session& s, Customer& cu, std::string reason) {
    std::optional<User> owner;
    if (cu.owner) owner = s.repo.user(*cu.owner);
    if (owner && owner->team) cu.team = owner->team;
    cu.id = s.repo.add_customer(cu);
    s.repo.add_transfer(Transfer{{}, cu.id, std::nullopt, cu.owner, s.actor.id, s.now, std::move(reason)});
    audit(s, "customer.add", subject(cu), cu.name);
    // Never without a next step: a new lead's first response.
    auto first = ensure_next_step(s, cu, true);
    if (owner) {
        std::string due_en, due_zh;
        std::vector<TaskId> tasks;
        if (first) {
            const auto when = render::when(first->due, s.now, render::zone_of(*owner), owner->lang);
            due_en = "; first follow-up #" + std::to_string(first->id.value) + " due " + when;
            due_zh = "；首次跟进 #" + std::to_string(first->id.value) + " 在 " + when;
            tasks.push_back(first->id);
        }
        const std::string c = "c" + std::to_string(cu.id.value);
        tell(s, *owner,
             s.via == Via::crm
                 ? in_lang(*owner, "👤 New customer " + ref(cu) + " is yours (from the CRM)" + due_en + ".",
                           "👤 新客户 " + ref(cu) + " 已通过 CRM 分配给你" + due_zh + "。")
                 : in_lang(*owner,
                           "👤 " + s.actor.display_name + " added customer " + ref(cu) + " for you" + due_en +
                               ". Send 'history " + c + "' to see it.",
                           "👤 " + s.actor.display_name + " 为你添加了客户 " + ref(cu) + due_zh + "。发送「历史 " + c +
                               "」查看。"),
             tasks);
    }
    return first;
}

std::vector<TaskId> Assigned::all() const {
    auto out = moved;
    if (scheduled) out.push_back(scheduled->id);
    return out;
}

Assigned assign_customer(Session& s, Customer& cu, const User& to, std::string reason) {
    const auto from = cu.owner;
    cu.owner = to.id;
    if (to.team) cu.team = to.team;
    s.repo.update_customer(cu);
    std::vector<TaskId> moved;
    for (auto t : s.repo.open_tasks_for_customer(cu.id)) {
        t.assignee = to.id;
        detail::arm(s.repo, s.opt, t);  // the new assignee's working hours
        s.repo.update_task(t);
        moved.push_back(t.id);
    }
    // From the pool it is an intake, as a claim is: a lead gets its first response.
    const auto scheduled = ensure_next_step(s, cu, !from);
    s.repo.add_transfer(Transfer{{}, cu.id, from, to.id, s.actor.id, s.now, std::move(reason)});
    audit(s, "customer.assign", "customer:" + std::to_string(cu.id.value),
          (from ? std::to_string(from->value) : std::string("pool")) + "->" + std::to_string(to.id.value));

    const Assigned out{moved, scheduled};
    const auto n = std::to_string(moved.size());
    const std::string& by = s.actor.display_name;
    // What comes with it: the follow-ups moved, or the first one just scheduled.
    std::string with_en = moved.empty() ? "" : ", with " + n + " open follow-up(s)";
    std::string with_zh = moved.empty() ? "" : "，" + n + " 项待跟进一并转交";
    if (scheduled) {
        const auto when = render::when(scheduled->due, s.now, render::zone_of(to), to.lang);
        with_en += "; first follow-up #" + std::to_string(scheduled->id.value) + " due " + when;
        with_zh += "；首次跟进 #" + std::to_string(scheduled->id.value) + " 在 " + when;
    }
    if (s.via == Via::import) {
        // An import tells no one.
    } else if (s.via == Via::crm) {
        tell(s, to,
             in_lang(to, "🔁 Customer " + ref(cu) + " was assigned to you (from the CRM)" + with_en + ".",
                     "🔁 客户 " + ref(cu) + " 已通过 CRM 转给你" + with_zh + "。"),
             out.all());
    } else {
        // In chat the new owner hears of it even when they assigned it themselves: the hint to catch up is for them.
        const std::string c = "c" + std::to_string(cu.id.value);
        detail::deliver(s.repo, to,
                        OutboxMessage{{},
                                      to.id,
                                      s.now,
                                      MessageKind::notice,
                                      in_lang(to,
                                              "🔁 " + by + " assigned customer " + ref(cu) + " to you" + with_en +
                                                  ". Send 'history " + c + "' to catch up.",
                                              "🔁 " + by + " 把客户 " + ref(cu) + " 转给了你" + with_zh +
                                                  "。发送「历史 " + c + "」查看。"),
                                      {},
                                      out.all()});
        s.notified.push_back(to.id);
    }
    if (from && *from != to.id)
        if (auto old = s.repo.user(*from))
            tell(s, *old,
                 s.via == Via::crm
                     ? in_lang(*old, "🔁 Customer " + ref(cu) + " was moved to " + to.display_name + " (from the CRM).",
                               "🔁 客户 " + ref(cu) + " 已通过 CRM 转给 " + to.display_name + "。")
                     : in_lang(*old, "🔁 Customer " + ref(cu) + " was moved to " + to.display_name + " by " + by + ".",
                               "🔁 客户 " + ref(cu) + " 已由 " + by + " 转给 " + to.display_name + "。"));
    return out;
}

std::vector<TaskId> release_customer(Session& s, Customer& cu, std::string reason) {
    if (!cu.owner) return {};
    const UserId from = *cu.owner;
    const auto cancelled = detail::cancel_open_tasks(s.repo, cu.id);
    cu = *s.repo.customer(cu.id);
    if (!cu.team)
        if (auto owner = s.repo.user(from)) cu.team = owner->team;
    cu.owner.reset();
    s.repo.update_customer(cu);
    s.repo.add_transfer(Transfer{{}, cu.id, from, std::nullopt, s.actor.id, s.now, std::move(reason)});
    audit(s, "customer.release", "customer:" + std::to_string(cu.id.value), std::to_string(from.value) + "->pool");
    if (auto owner = s.repo.user(from))
        tell(s, *owner,
             s.via == Via::crm
                 ? in_lang(*owner, "🔁 Customer " + ref(cu) + " was returned to the public pool (from the CRM).",
                           "🔁 客户 " + ref(cu) + " 已通过 CRM 退回公海。")
                 : in_lang(*owner,
                           "🌊 " + s.actor.display_name + " released your customer " + ref(cu) + " to the public pool.",
                           "🌊 " + s.actor.display_name + " 把你的客户 " + ref(cu) + " 释放到了公海。"));
    return cancelled;
}

ClaimQuota claim_quota(Session& s) {
    return {s.repo.claims_since(s.actor.id, local_midnight_today(s)),
            detail::rules_for(s.opt, s.actor.team).claim_daily_quota};
}

Claimed claim_customer(Session& s, Customer& cu) {
    const SopRules& rules = detail::rules_for(s.opt, s.actor.team);
    const auto quota = claim_quota(s);
    if (quota.left() == 0) throw ClaimRefused(ClaimRefused::Why::quota, quota.claimed);
    // Released by the actor, or reclaimed from them by the overdue ladder: the same cooldown.
    if (const auto released = s.repo.last_release(cu.id, s.actor.id)) {
        const TimePoint allowed = *released + std::chrono::days(rules.reclaim_cooldown_days);
        if (s.now < allowed) throw ClaimRefused(ClaimRefused::Why::cooldown, quota.claimed, *released, allowed);
    }
    cu.owner = s.actor.id;
    if (s.actor.team) cu.team = s.actor.team;
    s.repo.update_customer(cu);
    s.repo.add_transfer(Transfer{{}, cu.id, std::nullopt, s.actor.id, s.actor.id, s.now, "claimed from the pool"});
    audit(s, "customer.claim", subject(cu), "user:" + std::to_string(s.actor.id.value));
    Claimed out;
    out.first = ensure_next_step(s, cu, true);
    out.claims_left = std::max(0, quota.left() - 1);
    return out;
}

HandedOver handover(Session& s, const User& from, const User& to) {
    HandedOver out;
    for (auto cu : s.repo.customers_owned_by(from.id)) {
        cu.owner = to.id;
        if (to.team) cu.team = to.team;
        s.repo.update_customer(cu);
        s.repo.add_transfer(Transfer{{}, cu.id, from.id, to.id, s.actor.id, s.now, "handover"});
        ++out.customers;
    }
    for (auto t : s.repo.open_tasks_for(from.id, TimePoint::max())) {
        t.assignee = to.id;
        detail::arm(s.repo, s.opt, t);  // the new assignee's working hours
        s.repo.update_task(t);
        out.moved.push_back(t.id);
    }
    const auto tasks = std::to_string(out.moved.size());
    const auto customers = std::to_string(out.customers);
    audit(s, "customer.handover", "user:" + std::to_string(from.id.value),
          "to user:" + std::to_string(to.id.value) + " customers " + customers + " tasks " + tasks);
    const auto counts_en = customers + " customer(s) and " + tasks + " open follow-up(s)";
    const auto counts_zh = customers + " 个客户、" + tasks + " 项待跟进";
    const std::string& by = s.actor.display_name;
    tell(s, to,
         in_lang(
             to,
             "🤝 " + from.display_name + "'s " + counts_en + " are now yours (handover by " + by +
                 "). Send 'today' to start.",
             "🤝 " + from.display_name + " 的 " + counts_zh + " 已交接给你（" + by + " 操作）。发送「今天」开始。"),
         out.moved);
    tell(s, from,
         in_lang(from, "🤝 Your " + counts_en + " were handed over to " + to.display_name + ".",
                 "🤝 你的 " + counts_zh + " 已交接给 " + to.display_name + "。"));
    for (const auto& m : detail::managers_of(s.repo, from))
        tell(s, m,
             in_lang(m,
                     "🤝 " + by + " handed " + from.display_name + "'s " + counts_en + " over to " + to.display_name +
                         ".",
                     "🤝 " + by + " 把 " + from.display_name + " 的 " + counts_zh + " 交接给了 " + to.display_name +
                         "。"));
    return out;
}

std::vector<TaskId> close_customer(Session& s, Customer& cu, Stage outcome, std::string note, UserId by) {
    const auto cancelled = detail::cancel_open_tasks(s.repo, cu.id);
    cu = *s.repo.customer(cu.id);
    const Stage before = cu.stage;  // the interaction records the stage it closed from
    cu.stage = outcome;
    cu.last_contact = s.now;  // closing is recorded as an interaction: the last contact, as for done and log
    s.repo.update_customer(cu);
    Interaction in;
    in.customer = cu.id;
    in.user = by;
    in.at = s.now;
    in.method = Method::other;
    in.results = {outcome == Stage::won ? "won" : "lost"};
    in.note = std::move(note);
    in.stage = before;
    s.repo.add_interaction(in);
    audit(s, "customer.close", subject(cu), std::string(code(outcome)));
    return cancelled;
}

}  // namespace fu::uc
