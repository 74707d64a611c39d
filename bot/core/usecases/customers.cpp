#include "core/usecases/customers.hpp"

#include "core/bot_internal.hpp"
#include "core/usecases/followups.hpp"

namespace fu::uc {
namespace {

std::string ref(const Customer& c) { return "c" + std::to_string(c.id.value) + " " + c.name; }

std::string in_lang(const User& to, std::string en, std::string zh) { return to.lang == Lang::zh ? zh : en; }

}  // namespace

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
    if (s.via == Via::crm) {
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

}  // namespace fu::uc
