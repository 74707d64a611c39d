#pragma once
// Applying one validated row of a customer import (CSV, see docs/CSV.md) under
// the same SOP rules as chat: the owner's team, a transfer and an audit entry
// when the owner changes, and a next step for every open, owned customer —
// the file's next follow-up (Origin::import) or else the cadence's.
// Runs inside the caller's transaction; validation happened before.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/bot.hpp"
#include "core/model.hpp"
#include "core/store.hpp"

namespace fu::imports {

// One row, as validated. Unset fields: unchanged on an update, the default
// on a create.
struct ImportRow {
    std::size_t row = 0;      // spreadsheet row number (header = 1), for errors
    std::string external_id;  // required: the match key (the file's, or derived)
    // An existing customer to match when no customer has `external_id` yet
    // (an exported file's customer id); it takes the external id.
    std::optional<CustomerId> match;
    // The external id the matched customer may still carry from an earlier
    // derivation (an unkeyed one, from before contacts were encrypted); it
    // is replaced by `external_id`.
    std::string previous_external_id;
    std::string name;  // required
    std::optional<std::string> company, phone, email, im, source;
    // nullopt: keep (update) or no owner (create); a nullopt inside: to the public pool.
    std::optional<std::optional<UserId>> owner;
    std::optional<Tier> tier;
    std::optional<Stage> stage;
    std::optional<std::int64_t> value;
    std::optional<std::vector<std::string>> tags;
    std::optional<TimePoint> next_followup;
    std::string topic;  // of the next follow-up; empty: "imported follow-up"
};

enum class RowOutcome { created, updated, unchanged };

struct RowApplied {
    RowOutcome outcome = RowOutcome::unchanged;
    CustomerId customer;
    int followups = 0;  // follow-ups created or moved
    bool owner_changed = false;
};

// Thrown when the database no longer fits the validated row (changed meanwhile).
struct ImportConflict : std::runtime_error {
    using std::runtime_error::runtime_error;
};

RowApplied apply_import_row(Repo&, const BotOptions&, const User& actor, TimePoint now, const ImportRow&);

}  // namespace fu::imports
