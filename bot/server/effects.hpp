#pragma once
// What follows every committed change, wherever it came from (a platform
// message, the web chat, the REST API, the scheduler): the scheduler re-armed,
// the live streams of the users with new messages woken, and the senders of
// the platforms that got new deliveries woken. One place, so that no path
// forgets one or wakes what has nothing to do. Inside a group of the storage
// executor the changes wait for its commit and are applied once for the
// whole group: one re-arm of the scheduler however many commands it held.
#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/ids.hpp"
#include "server/event_hub.hpp"
#include "server/scheduler.hpp"
#include "server/storage_executor.hpp"

namespace fu::server {

struct Changes {
    std::vector<UserId> notified;        // users with new outbox messages
    std::vector<std::string> platforms;  // platforms with new deliveries
    bool every_platform = false;         // platforms unknown: wake every sender
    bool schedule = true;                // follow-ups may have been added, moved or done
};

class Effects {
public:
    Effects(Scheduler& scheduler, EventHub& hub) : scheduler_(scheduler), hub_(hub) {}

    // Before start: how to tell other instances on the same database which
    // users have new messages (Store::announce; called on the storage thread).
    void set_announce(std::function<void(const std::vector<UserId>&)> announce) { announce_ = std::move(announce); }

    // Before start: how to wake a platform's sender (any thread).
    void add_sender(std::string platform, std::function<void()> wake) {
        senders_[std::move(platform)] = std::move(wake);
    }

    // On a storage thread inside a group (applied after its commit), or
    // right after a commit; from any thread when `schedule` is not set.
    void committed(const Changes& c) {
        const std::uint64_t group = StorageExecutor::current_group();
        const std::size_t lane = StorageExecutor::current_lane();
        if (group == 0 || lane >= pending_.size()) {
            apply(c);
            return;
        }
        Pending& p = pending_[lane];
        if (group != p.group) {  // the first change of this group (a failed group's are dropped)
            p.changes = Changes{{}, {}, false, false};
            p.group = group;
            StorageExecutor::after_commit([this, &p] {
                p.group = 0;
                apply(p.changes);
            });
        }
        for (const auto u : c.notified)
            if (std::find(p.changes.notified.begin(), p.changes.notified.end(), u) == p.changes.notified.end())
                p.changes.notified.push_back(u);
        for (const auto& name : c.platforms)
            if (std::find(p.changes.platforms.begin(), p.changes.platforms.end(), name) == p.changes.platforms.end())
                p.changes.platforms.push_back(name);
        p.changes.every_platform = p.changes.every_platform || c.every_platform;
        p.changes.schedule = p.changes.schedule || c.schedule;
    }

private:
    void apply(const Changes& c) {
        if (c.schedule) scheduler_.rearm();
        hub_.notify(c.notified);
        if (announce_ && !c.notified.empty()) announce_(c.notified);
        if (c.every_platform) {
            for (const auto& [name, wake] : senders_) wake();
            return;
        }
        for (const auto& p : c.platforms)
            if (auto it = senders_.find(p); it != senders_.end()) it->second();
    }

    Scheduler& scheduler_;
    EventHub& hub_;
    std::unordered_map<std::string, std::function<void()>> senders_;
    std::function<void(const std::vector<UserId>&)> announce_;
    // Per lane of the storage executor, on its thread: this group's changes so far.
    struct Pending {
        Changes changes;
        std::uint64_t group = 0;  // the group they belong to
    };
    std::array<Pending, StorageExecutor::kMaxLanes> pending_;
};

}  // namespace fu::server
