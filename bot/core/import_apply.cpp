// One validated import row -> a created, updated or unchanged customer, with
// its owner's next step (see import_apply.hpp).
#include "core/import_apply.hpp"

#include <algorithm>

#include "core/bot_internal.hpp"
#include "core/topics.hpp"
#include "core/usecases/customers.hpp"
#include "core/usecases/followups.hpp"

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

std::string default_topic() { return topics::imported(); }  // worded for the reader (core/topics.hpp)

// The file's next follow-up for an owned, open customer: already there (an
// open follow-up due then), an automatic one moved, or a new one.
int place_followup(uc::Session& s, const Customer& c, const ImportRow& r) {
    auto open = s.repo.open_tasks_for_customer(c.id);
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
        detail::arm(s.repo, s.opt, t);
        s.repo.update_task(t);
        detail::refresh_next_followup(s.repo, c.id);
        return 1;
    }
    Task t;
    t.customer = c.id;
    t.assignee = *c.owner;
    t.due = *r.next_followup;
    t.method = Method::call;
    t.topic = r.topic.empty() ? default_topic() : r.topic;
    t.origin = Origin::import;
    t.created_by = s.actor.id;
    t.created_at = s.now;
    detail::arm(s.repo, s.opt, t);
    t.id = s.repo.add_task(t);
    detail::refresh_next_followup(s.repo, c.id);
    return 1;
}

int next_step(uc::Session& s, const Customer& c, const ImportRow& r, bool intake) {
    if (!c.owner || detail::is_closed(c)) return 0;
    if (r.next_followup) return place_followup(s, c, r);
    return uc::ensure_next_step(s, c, intake) ? 1 : 0;
}

}  // namespace

RowApplied apply_import_row(Repo& repo, const BotOptions& opt, const User& actor, TimePoint now, const ImportRow& r) {
    std::vector<UserId> notified;  // stays empty: an import tells no one
    uc::Session s{repo, actor, now, opt, notified, uc::Via::import, "import"};
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
        out.followups = next_step(s, c, r, true);
        return out;
    }

    const Customer before = *existing;
    Customer c = before;
    fill(c, r);
    const bool fields_changed = !same_fields(before, c);
    if (fields_changed) repo.update_customer(c);
    // A new owner: the customer moves as an assignment moves it (its open
    // follow-ups along, a transfer, an audit entry); none: back to the pool.
    bool scheduled = false;  // by the move: a customer from the pool gets its first follow-up
    if (r.owner && *r.owner != c.owner) {
        const std::string reason = "import by " + actor.handle;
        if (*r.owner) {
            const auto owner = repo.user(**r.owner);
            if (!owner) throw ImportConflict("row " + std::to_string(r.row) + ": the owner no longer exists");
            scheduled = uc::assign_customer(s, c, *owner, reason).scheduled.has_value();
        } else {
            uc::release_customer(s, c, reason);
        }
        out.owner_changed = true;
    }
    if (detail::is_closed(c) && !detail::is_closed(before)) detail::cancel_open_tasks(repo, c.id);

    out.customer = c.id;
    // The file's next follow-up moves the one the move scheduled: counted once.
    out.followups = std::max(next_step(s, c, r, false), scheduled ? 1 : 0);
    out.outcome =
        fields_changed || out.owner_changed || out.followups > 0 ? RowOutcome::updated : RowOutcome::unchanged;
    return out;
}

}  // namespace fu::imports
