#pragma once
// Several instances on one database (PostgreSQL): which one is the leader,
// for the work that must run in one place only (retention), and how many are
// alive, so that each sends at its share of a platform's rate.
//
// One coroutine on the storage thread, like the scheduler's: every `renew`
// (10 s) one round, a piece of storage work, records this instance's
// heartbeat, counts the instances seen within `lease` (30 s), and takes the
// lease "leader" for `lease` if it is free or lapsed, or renews it if this
// instance holds it (core/ports/instances.hpp). One instance holds it at a
// time. A clean stop gives it up and removes the heartbeat, so another
// instance takes over at its next round (within `renew`); one that dies
// without a word is counted and leads until its lease runs out, so another
// leads within `lease` + `renew`. The leader believes it leads only while its
// lease runs (by its own monotonic clock, from before the round that renewed
// it): a failed or late renewal ends it, so no two instances lead at once as
// long as their clocks agree (NTP; the deliveries' claims assume the same).
//
// One instance on its own database (SQLite) needs none of it: it is the
// leader and counts itself alone from the start, with no round at all.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>

#include "core/clock.hpp"
#include "core/store.hpp"
#include "server/storage_executor.hpp"

namespace fu::server {

struct LeadershipOptions {
    bool shared = false;  // other instances may use the database (PostgreSQL)
    Seconds lease{30};    // how long a lease and a heartbeat count without a renewal
    Seconds renew{10};    // between two rounds: a third of the lease, so one late round costs nothing
};

class Leadership {
public:
    // `id`: this instance's name among the others (make_id()).
    Leadership(StorageExecutor& storage, Store& store, const Clock& clock, std::string id,
               LeadershipOptions options = {});

    // A name no other instance has: the host, the process id and a random part
    // (a restarted process is another instance).
    static std::string make_id();
    // The lease's name in the database.
    static constexpr const char* kLease = "leader";

    // From any thread: the first round at once, then one every `renew`.
    void start();
    // From any thread: no round starts after this; the lease, if held, is
    // given up and the heartbeat removed, as storage work queued before the
    // storage thread is joined.
    void stop();

    // Any thread: this instance is the leader now.
    bool leader() const;
    // Any thread: the live instances sharing the database, this one included
    // (at least 1), as of the last round.
    std::size_t instances() const { return instances_.load(); }
    const std::string& id() const { return id_; }

    // Storage thread: called when leadership or the number of instances
    // changed (and once at the start). Set before start().
    void on_change(std::function<void(bool leader, std::size_t instances)> f) { on_change_ = std::move(f); }

    // One round, on the storage thread (the loop's; tests call it directly).
    boost::asio::awaitable<void> round();
    // Gives the lease up and removes the heartbeat, on the storage thread.
    boost::asio::awaitable<void> step_down();

private:
    boost::asio::awaitable<void> loop();
    // Storage thread: records and reports a change; `why` says why leadership was lost.
    void update(bool leader, std::size_t instances, const std::string& why = {});

    StorageExecutor& storage_;
    Store& store_;
    const Clock& clock_;
    std::string id_;
    LeadershipOptions options_;
    boost::asio::steady_timer timer_;
    bool started_ = false;   // storage thread
    bool stopped_ = false;   // storage thread
    bool reported_ = false;  // on_change was called once
    std::atomic<bool> leader_{false};
    std::atomic<Monotonic::rep> held_until_{0};  // the lease runs until then (monotonic), while leader_
    std::atomic<std::size_t> instances_{1};
    std::function<void(bool, std::size_t)> on_change_;
};

}  // namespace fu::server
