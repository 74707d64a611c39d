#pragma once
// Customers as chat, the REST API and the CSV import change them: added,
// assigned to a new owner, claimed from or released to the public pool, handed
// over all at once, closed. The people who lose or gain a customer are told,
// in their own language (an import tells no one). The checks of what a caller
// may touch, and the reply, stay with the caller.
#include <optional>
#include <string>
#include <vector>

#include "core/usecases/session.hpp"

namespace fu::uc {

// A new customer: stored in its owner's team (the team the caller set when the
// owner has none), with its first transfer (`reason`) and a "customer.add"
// audit entry. Owned and open, it gets its first follow-up from the cadence (a
// new lead's first response), and an owner other than the actor is told.
// `cu.id` is set. Returns the first follow-up.
std::optional<Task> add_customer(Session&, Customer& cu, std::string reason = "created");

// A customer moves to a new owner: its open follow-ups go along, re-armed in
// the new owner's working hours, it gets a next step if it had none (from the
// public pool: a new lead's first response, as when a rep claims it), and the
// transfer (`reason`) and a "customer.assign" audit entry are recorded. The
// new owner and the one before (unless the actor) are told. `cu` is updated.
struct Assigned {
    std::vector<TaskId> moved;      // open follow-ups it had, now the new owner's
    std::optional<Task> scheduled;  // the next step it got, having none
    std::vector<TaskId> all() const;
};
Assigned assign_customer(Session&, Customer& cu, const User& to, std::string reason);

// Back to the public pool, in the team it was in (else its owner's): its open
// follow-ups are cancelled, the history stays; the transfer keeps `reason`,
// the audit entry who had it. The owner (unless the actor)
// is told. Returns the cancelled follow-ups. `cu` is updated.
std::vector<TaskId> release_customer(Session&, Customer& cu, std::string reason);

// The actor takes a customer from the public pool, within the SOP's daily
// quota and not before the cooldown after it last left them (released, or
// reclaimed by the overdue ladder) is over; else ClaimRefused. It joins the
// actor's team, gets its first follow-up (a new lead's first response), and
// the transfer and a "customer.claim" audit entry are recorded. `cu` is updated.
struct ClaimRefused : std::runtime_error {
    enum class Why { quota, cooldown } why;
    int claimed = 0;                  // quota: claims today (the quota)
    TimePoint released{}, allowed{};  // cooldown: when it left the actor, when it may come back
    ClaimRefused(Why why, int claimed, TimePoint released = {}, TimePoint allowed = {})
        : std::runtime_error(why == Why::quota ? "the daily claim quota is used up"
                                               : "the reclaim cooldown is not over"),
          why(why),
          claimed(claimed),
          released(released),
          allowed(allowed) {}
};
struct Claimed {
    std::optional<Task> first;  // the follow-up it got
    int claims_left = 0;        // today, after this one
};
Claimed claim_customer(Session&, Customer& cu);
// The actor's claims today (from midnight where they are) and their team's daily quota.
struct ClaimQuota {
    int claimed = 0, quota = 0;
    int left() const { return quota > claimed ? quota - claimed : 0; }
};
ClaimQuota claim_quota(Session&);

// Everything `from` owns goes to `to`: the customers (a transfer each) and the
// open follow-ups (re-armed in the new owner's working hours). Both, and
// from's managers other than the actor, are told; one audit entry.
struct HandedOver {
    std::size_t customers = 0;
    std::vector<TaskId> moved;
};
HandedOver handover(Session&, const User& from, const User& to);

// The deal ends: won or lost. Open follow-ups are cancelled, the stage set,
// and the end is recorded as an interaction by `by` (the last contact; the
// reports count wins from it) and a "customer.close" audit entry. Returns the
// cancelled follow-ups. `cu` is updated.
std::vector<TaskId> close_customer(Session&, Customer& cu, Stage outcome, std::string note, UserId by);

}  // namespace fu::uc
