#pragma once
// Storage port: the instances sharing one database. A lease that one of them
// holds at a time (its leader, for work that must run in one place only:
// retention), and a heartbeat per live instance (how many share the
// platforms' send rates). Time is the instances' own clocks, as for the
// deliveries' claims: they must agree to within a few seconds (NTP).
#include <cstddef>
#include <string_view>

#include "core/model.hpp"

namespace fu {

class InstanceStore {
public:
    virtual ~InstanceStore() = default;

    // Takes the lease `name` for `holder` until `until`, or extends it, if it
    // is free at `now` (never taken, given up, or its last holder's time ran
    // out: expired at or before `now`) or `holder` holds it already. True:
    // `holder` holds it until `until`; false: another holds it, unchanged.
    virtual bool hold_lease(std::string_view name, std::string_view holder, TimePoint now, TimePoint until) = 0;
    // Gives the lease up if `holder` holds it, so another may take it at
    // once; nothing otherwise.
    virtual void release_lease(std::string_view name, std::string_view holder) = 0;

    // Records that instance `id` is alive at `now`, forgets the instances
    // last seen at or before `dead_before`, and returns how many are left
    // (`id` among them: at least 1).
    virtual std::size_t heartbeat(std::string_view id, TimePoint now, TimePoint dead_before) = 0;
    // Instance `id` stops (cleanly): no longer counted.
    virtual void instance_stopped(std::string_view id) = 0;
};

}  // namespace fu
