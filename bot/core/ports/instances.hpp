#pragma once
// Storage port: the instances sharing one database. A lease that one of them
// holds at a time (its leader, for work that must run in one place only:
// retention), a heartbeat per live instance (how many share the platforms'
// send rates), and each chat's turn (its own send rate, kept among all).
// Time is the instances' own clocks, as for the deliveries' claims: they must
// agree to within a few seconds (NTP).
#include <chrono>
#include <cstddef>
#include <string_view>

#include "core/model.hpp"

namespace fu {

// A chat's turn to be sent to (InstanceStore::take_chat_turn).
struct ChatTurn {
    bool taken = false;  // true: this sender's turn, at `at`
    PreciseTime at{};    // taken: when to send; not taken: when the chat is free
};

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

    // One send to `chat` on `platform` per `interval`, whichever instance
    // sends. If the chat is free by `now + slack` (never sent to, or its last
    // turn's interval is over by then), the turn is taken: `at` is the later
    // of `now` and when the chat is free, and the chat is free again
    // `interval` after `at`. Otherwise nothing changes, and `at` is when the
    // chat is free. Taken in the sender's claim transaction: on PostgreSQL
    // the chat's row makes two takers go one after the other.
    virtual ChatTurn take_chat_turn(std::string_view platform, std::string_view chat, PreciseTime now,
                                    std::chrono::milliseconds interval, std::chrono::milliseconds slack) = 0;

    // Records that instance `id` is alive at `now`, forgets the instances
    // last seen at or before `dead_before` and the chats free since then,
    // and returns how many instances are left (`id` among them: at least 1).
    virtual std::size_t heartbeat(std::string_view id, TimePoint now, TimePoint dead_before) = 0;
    // Instance `id` stops (cleanly): no longer counted.
    virtual void instance_stopped(std::string_view id) = 0;
};

}  // namespace fu
