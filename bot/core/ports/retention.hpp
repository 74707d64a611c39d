#pragma once
// Storage port: retention. What the service keeps only for a while (webhook
// event ids, old outbox messages and their deliveries, expired sign-ins and,
// when configured, the audit log) deleted a small batch at a time, oldest
// first, so that one call is a short transaction whichever the engine.
#include <cstddef>

#include "core/model.hpp"

namespace fu {

class RetentionStore {
public:
    virtual ~RetentionStore() = default;

    // Each deletes at most `limit` rows that qualify and returns how many it
    // deleted; fewer than `limit`: nothing older is left for now.

    // Platform event ids first seen before `before` (a retry that late is no
    // longer deduplicated: the caller keeps them longer than any platform retries).
    virtual std::size_t prune_seen_events(TimePoint before, std::size_t limit) = 0;
    // Outbox messages created before `before` with no pending delivery, with
    // their buttons and deliveries (sent or failed). A message still on its way
    // to a platform stays, however old.
    virtual std::size_t prune_outbox(TimePoint before, std::size_t limit) = 0;
    // Audit entries made before `before`. The log is append-only otherwise: the
    // engine records how far it was pruned and refuses any other delete.
    virtual std::size_t prune_audit(TimePoint before, std::size_t limit) = 0;
    // Sign-in secrets and web sessions that expired before `before`.
    virtual std::size_t prune_sign_ins(TimePoint before, std::size_t limit) = 0;
};

}  // namespace fu
