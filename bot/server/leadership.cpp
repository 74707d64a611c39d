#include "server/leadership.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>

#include <unistd.h>

#include "server/logging.hpp"

namespace fu::server {
namespace asio = boost::asio;

Leadership::Leadership(StorageExecutor& storage, Store& store, const Clock& clock, std::string id,
                       LeadershipOptions options)
    : storage_(storage),
      store_(store),
      clock_(clock),
      id_(std::move(id)),
      options_(options),
      timer_(storage.executor()) {}

std::string Leadership::make_id() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::snprintf(host, sizeof host, "host");
    std::random_device random;
    return fmt::format("{}-{}-{:08x}", host, ::getpid(), static_cast<std::uint32_t>(random()));
}

void Leadership::start() {
    asio::post(storage_.executor(), [this] {
        if (started_ || stopped_) return;
        started_ = true;
        if (!options_.shared) {
            // The only instance: it leads, for as long as it runs.
            held_until_ = Monotonic::max().time_since_epoch().count();
            update(true, 1);
            return;
        }
        spdlog::info("instances: this is {} (a lease of {} s, renewed every {} s)", id_, options_.lease.count(),
                     options_.renew.count());
        asio::co_spawn(storage_.executor(), loop(), log_if_stopped("leadership"));
    });
}

void Leadership::stop() {
    asio::post(storage_.executor(), [this] {
        stopped_ = true;
        timer_.cancel();
    });
}

bool Leadership::leader() const {
    return leader_.load() && clock_.monotonic().time_since_epoch().count() < held_until_.load();
}

void Leadership::update(bool leader, std::size_t instances, const std::string& why) {
    const bool was_leader = leader_.exchange(leader);
    const std::size_t had = instances_.exchange(instances);
    if (options_.shared) {
        if (leader && !was_leader) spdlog::info("leadership: {} is now the leader (it runs retention)", id_);
        if (!leader && was_leader) spdlog::warn("leadership: {} is no longer the leader: {}", id_, why);
        if (instances != had || !reported_)
            spdlog::info("instances: {} live on this database; each sends at 1/{} of a platform's rate", instances,
                         instances);
    }
    if (on_change_ && (leader != was_leader || instances != had || !reported_)) on_change_(leader, instances);
    reported_ = true;
}

asio::awaitable<void> Leadership::round() {
    // The lease is counted from before the round: what the database records
    // (now + lease, whole seconds) never ends before what this instance believes.
    const Monotonic started = clock_.monotonic();
    const TimePoint now = clock_.now();
    if (leader_ && started.time_since_epoch().count() >= held_until_)
        update(false, instances_, "its lease ran out before it was renewed");
    struct Seen {
        std::size_t instances = 1;
        bool held = false;
    };
    auto beat = [this, now] {
        Seen seen;
        store_.transact([&](Repo& r) {
            seen.instances = std::max<std::size_t>(1, r.heartbeat(id_, now, now - options_.lease));
            seen.held = r.hold_lease(kLease, id_, now, now + options_.lease);
        });
        return seen;
    };
    Seen seen;
    try {
        seen = co_await storage_.run(std::move(beat));
    } catch (const std::exception& e) {
        // The database may have given the lease to another meanwhile: this
        // instance leads no longer. The instances counted stay as they were.
        spdlog::warn("leadership: the heartbeat of {} failed: {}", id_, e.what());
        if (leader_) update(false, instances_, "its lease could not be renewed");
        co_return;
    }
    if (seen.held) held_until_ = (started + options_.lease - std::chrono::seconds(1)).time_since_epoch().count();
    update(seen.held, seen.instances, "another instance holds the lease");
}

asio::awaitable<void> Leadership::step_down() {
    auto leave = [this] {
        store_.transact([&](Repo& r) {
            r.release_lease(kLease, id_);
            r.instance_stopped(id_);
        });
    };
    try {
        co_await storage_.run(std::move(leave));
    } catch (const std::exception& e) {
        // Its lease and heartbeat lapse on their own.
        spdlog::warn("leadership: {} could not step down: {}", id_, e.what());
    }
    if (leader_) update(false, instances_, "it is stopping");
}

asio::awaitable<void> Leadership::loop() {
    while (!stopped_) {
        co_await round();
        if (stopped_) break;
        timer_.expires_after(options_.renew);
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_await step_down();
}

}  // namespace fu::server
