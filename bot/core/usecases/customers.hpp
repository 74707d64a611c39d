#pragma once
// Customers changing hands, as chat and the REST API do it: assigned to a new
// owner, released to the public pool. The people who lose or gain a customer
// are told, in their own language.
#include <optional>
#include <string>
#include <vector>

#include "core/usecases/session.hpp"

namespace fu::uc {

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

}  // namespace fu::uc
