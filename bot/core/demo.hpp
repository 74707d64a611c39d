#pragma once
// Demo data for a first start: customers across tiers and stages, some
// history, and follow-ups due within the first minute so a newcomer sees a
// reminder arrive without doing anything.
#include "core/store.hpp"

namespace fu {

// Seeds customers for the reps already in the store; does nothing if there
// are no reps or already customers. Returns the number of customers added.
int seed_demo(Repo&, TimePoint now);

}  // namespace fu
