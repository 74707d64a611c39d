#pragma once
// What follows every committed change, wherever it came from (a platform
// message, the web chat, the REST API, the scheduler): the scheduler re-armed,
// the live streams of the users with new messages woken, and the senders of
// the platforms that got new deliveries woken. One place, so that no path
// forgets one or wakes what has nothing to do.
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/ids.hpp"
#include "server/event_hub.hpp"
#include "server/scheduler.hpp"

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

    // Before start: how to wake a platform's sender (any thread).
    void add_sender(std::string platform, std::function<void()> wake) { senders_[std::move(platform)] = std::move(wake); }

    // On the storage thread right after the commit when `schedule` is set (the
    // scheduler lives there); from any thread otherwise.
    void committed(const Changes& c) {
        if (c.schedule) scheduler_.rearm();
        hub_.notify(c.notified);
        if (c.every_platform) {
            for (const auto& [name, wake] : senders_) wake();
            return;
        }
        for (const auto& p : c.platforms)
            if (auto it = senders_.find(p); it != senders_.end()) it->second();
    }

private:
    Scheduler& scheduler_;
    EventHub& hub_;
    std::unordered_map<std::string, std::function<void()>> senders_;
};

}  // namespace fu::server
