// One validated import row -> a created, updated or unchanged customer, with
// its owner's next step (see import_apply.hpp).
#include "core/import_apply.hpp"

#include <algorithm>

#include "core/bot_internal.hpp"
#include "core/topics.hpp"

namespace fu::imports {
namespace {

bool same_fields(const Customer& a, const Customer& b) {
    return a.name == b.name && a.company == b.company && a.phone == b.phone && a.email == b.email && a.im == b.im &&
           a.owner == b.owner && a.tier == b.tier && a.stage == b.stage && a.source == b.source && a.value == b.value &&
           a.tags == b.tags && a.team == b.team && a.external_id == b.external_id;
}

void fill(Customer& c, const ImportRow& r) {
    c.name = r.name;
    c.external_id = r.external_id;
    if (r.company) c.company = *r.company;
    if (r.phone) c.phone = *r.phone;
    if (r.email) c.email = *r.email;
    if (r.im) c.im = *r.im;
    if (r.source) c.source = *r.source;
    if (r.tier) c.tier = *r.tier;
    if (r.stage) c.stage = *r.stage;
    if (r.value) c.value = *r.value;
    if (r.tags) c.tags = *r.tags;
}

std::string subject(CustomerId id) { return "customer:" + std::to_string(id.value); }

std::string default_topic() { return topics::imported(); }  // worded for the reader (core/topics.hpp)

// The file's next follow-up for an owned, open customer: already there (an
// open follow-up due then), an automatic one moved, or a new one.
int place_followup(detail::Ctx& ctx, const Customer& c, const ImportRow& r) {
    auto open = ctx.repo.open_tasks_for_customer(c.id);
    for (const auto& t : open)
        if (t.due == *r.next_followup && t.assignee == *c.owner) return 0;
    std::sort(open.begin(), open.end(), [](const Task& a, const Task& b) { return a.due < b.due; });
    for (auto t : open) {
        if (t.origin != Origin::import && t.origin != Origin::cadence) continue;
        t.due = *r.next_followup;
        t.assignee = *c.owner;
        t.status = TaskStatus::open;
        t.snoozed_until.reset();
        t.ladder_step = 0;
        t.origin = Origin::import;
        if (!r.topic.empty()) t.topic = r.topic;
        detail::arm(ctx.repo, ctx.opt, t);
        ctx.repo.update_task(t);
        detail::refresh_next_followup(ctx.repo, c.id);
        return 1;
    }
    Task t;
    t.customer = c.id;
    t.assignee = *c.owner;
    t.due = *r.next_followup;
    t.method = Method::call;
    t.topic = r.topic.empty() ? default_topic() : r.topic;
    t.origin = Origin::import;
    t.created_by = ctx.me.id;
    t.created_at = ctx.now;
    detail::arm(ctx.repo, ctx.opt, t);
    t.id = ctx.repo.add_task(t);
    detail::refresh_next_followup(ctx.repo, c.id);
    return 1;
}

int next_step(detail::Ctx& ctx, const Customer& c, const ImportRow& r, bool intake) {
    if (!c.owner || detail::is_closed(c)) return 0;
    if (r.next_followup) return place_followup(ctx, c, r);
    return detail::ensure_next_step(ctx, c, intake) ? 1 : 0;
}

}  // namespace

RowApplied apply_import_row(Repo& repo, const BotOptions& opt, const User& actor, TimePoint now, const ImportRow& r) {
    std::vector<UserId> notified;  // an import sends no chat messages
    detail::Ctx ctx{repo, actor, actor.lang, now, render::zone_of(actor), notified, opt};
    RowApplied out;

    std::optional<Customer> existing = repo.customer_by_external_id(r.external_id);
    if (!existing && r.match) {
        existing = repo.customer(*r.match);
        if (existing && !existing->external_id.empty() && existing->external_id != r.external_id &&
            existing->external_id != r.previous_external_id)
            existing.reset();
    }

    if (!existing) {
        Customer c;
        fill(c, r);
        c.created_at = now;
        if (r.owner && *r.owner) c.owner = **r.owner;
        c.team = actor.team;
        if (c.owner) {
            const auto owner = repo.user(*c.owner);
            if (!owner) throw ImportConflict("row " + std::to_string(r.row) + ": the owner no longer exists");
            c.team = owner->team;
        }
        c.id = repo.add_customer(c);
        if (c.owner) repo.add_transfer(Transfer{{}, c.id, std::nullopt, c.owner, actor.id, now, "imported"});
        out.outcome = RowOutcome::created;
        out.customer = c.id;
        out.followups = next_step(ctx, c, r, true);
        return out;
    }

    const Customer before = *existing;
    Customer c = before;
    fill(c, r);
    if (r.owner && *r.owner != c.owner) {
        c.owner = *r.owner;
        if (c.owner) {
            const auto owner = repo.user(*c.owner);
            if (!owner) throw ImportConflict("row " + std::to_string(r.row) + ": the owner no longer exists");
            if (owner->team) c.team = owner->team;
        }
        out.owner_changed = true;
    }
    const bool fields_changed = !same_fields(before, c);
    if (fields_changed) repo.update_customer(c);

    if (out.owner_changed) {
        if (c.owner) {
            for (auto t : repo.open_tasks_for_customer(c.id)) {
                t.assignee = *c.owner;
                detail::arm(repo, opt, t);  // the new assignee's working hours
                repo.update_task(t);
            }
        } else {
            detail::cancel_open_tasks(repo, c.id);
        }
        repo.add_transfer(Transfer{{}, c.id, before.owner, c.owner, actor.id, now, "import by " + actor.handle});
        detail::audit(ctx, "customer.assign", subject(c.id),
                      (before.owner ? std::to_string(before.owner->value) : std::string("pool")) + "->" +
                          (c.owner ? std::to_string(c.owner->value) : std::string("pool")) + " (import)");
    }
    if (detail::is_closed(c) && !detail::is_closed(before)) detail::cancel_open_tasks(repo, c.id);

    out.customer = c.id;
    out.followups = next_step(ctx, c, r, false);
    out.outcome = fields_changed || out.followups > 0 ? RowOutcome::updated : RowOutcome::unchanged;
    return out;
}

}  // namespace fu::imports
