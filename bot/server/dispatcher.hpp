#pragma once
// Sends one platform's pending deliveries: paced by the platform's limits
// (overall and per chat), 429 honoured, 5xx and timeouts retried with
// exponential backoff and jitter, nothing dropped. A delivery still pending
// after `late_after` is reported once (log + metric; admins see it in status),
// and then, for a reminder whose recipient has an identity on
// `fallback_platform`, also queued there (e-mail when a chat platform is down).
//
// Oldest first, also after an outage: due deliveries are read in the order
// they were queued, and a turn ends at the first send the platform did not
// accept. A send that failed (5xx, timeout, network) holds the platform: it is
// retried first, after 1, 2, 4 … s (jittered, at most `probe_every`) counted by
// the platform's failures in a row, and nothing behind it goes before it. A
// 429 waits what the platform asked (Retry-After) and grows no backoff. The
// first send accepted ends the wait: the rest follow at the platform's full
// rate. A delivery that failed `hold_failures` times in a row while nothing
// else was tried is suspected of failing on its own: the next one is tried
// first. If the platform answers that one, the suspect waits on its own
// backoff (up to `max_backoff`) and the others go on; if it fails too, the
// platform is down, and the suspect is again the first to be tried.
//
// A backlog is folded: when one chat has `fold_min` or more deliveries due
// that were queued over `fold_after` ago, they go as one catch-up message
// (their texts in full, oldest first, as many as fit the platform's message
// size; the buttons they had, also written out as commands) and are all
// recorded as sent in one transaction.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>

#include "adapters/adapter.hpp"
#include "core/clock.hpp"
#include "core/store.hpp"
#include "server/metrics.hpp"
#include "server/storage_executor.hpp"

namespace fu::server {

struct DispatcherOptions {
    std::chrono::seconds late_after{15 * 60};
    std::chrono::seconds max_backoff{5 * 60};
    std::size_t batch = 50;
    std::string fallback_platform;          // empty: none
    std::function<void()> fallback_queued;  // wakes the fallback platform's dispatcher
    // Several instances share the database: each delivery is claimed (its next
    // attempt moved `lease` ahead) in a transaction of its own right before it
    // is sent, so one instance sends it; if that instance dies mid-send,
    // another sends it once the lease is over.
    bool claim = false;
    std::chrono::seconds lease{60};
    // How many instances send from this database (Leadership::instances),
    // read at every send: each paces the platform at its share of
    // `Limits::per_second`, so together they keep to it. Null: this one alone.
    // Per chat, the claim also takes the chat's turn in the database
    // (InstanceStore::take_chat_turn): all together keep to
    // `per_chat_per_second`.
    std::function<std::size_t()> instances;
    std::chrono::seconds probe_every{30};  // the longest wait between tries while a platform fails
    int hold_failures = 3;
    std::size_t fold_min = 5;
    std::chrono::seconds fold_after{120};
};

// The key a platform that deduplicates sends (Feishu's `uuid`, WeCom's card
// task ids) is given for every attempt at this delivery: the same on a retry,
// after a restart and on another instance, since it is made of what the row
// holds. Its creation time keeps it unique when a database is started afresh
// and ids begin again. "fu-<id>-<created, Unix s>": letters, digits and '-',
// at most 34 characters.
std::string idempotency_key(const Delivery&);

// Seconds to wait before attempt number `attempts` (1-based) of a failed
// send: 2^(attempts-1) s, capped, times a jitter factor in [0.5, 1.5).
std::chrono::milliseconds backoff(int attempts, std::chrono::seconds cap, double jitter01);

class Dispatcher {
public:
    Dispatcher(boost::asio::any_io_executor ex, StorageExecutor& storage, Store& store, adapters::Adapter& adapter,
               const Clock& clock, Metrics& metrics, DispatcherOptions options = {});

    void start();
    void wake();  // any thread: new deliveries may be due
    void stop();  // any thread: no send starts after this

private:
    struct Item;
    struct Batch;
    boost::asio::awaitable<void> loop();
    boost::asio::awaitable<void> step();
    boost::asio::awaitable<void> pace(const std::string& chat);
    std::chrono::milliseconds pace_interval() const;  // between two sends to one chat
    // false: not this instance's turn at the chat, or stopped while waiting for it.
    boost::asio::awaitable<bool> take_turn(const std::string& chat, const ChatTurn& turn);
    // false: the platform did not accept it (the turn ends).
    boost::asio::awaitable<bool> send_one(Item&);
    void fold(Repo&, Batch&, TimePoint now);
    bool fall_back(Repo&, const Delivery&, TimePoint now);  // true: a copy was queued

    boost::asio::strand<boost::asio::any_io_executor> strand_;
    boost::asio::steady_timer timer_;
    StorageExecutor& storage_;
    Store& store_;
    adapters::Adapter& adapter_;
    const Clock& clock_;
    Metrics& metrics_;
    DispatcherOptions options_;
    std::string platform_;
    std::atomic<bool> woken_{false};
    std::atomic<bool> stopped_{false};
    Monotonic platform_ready_{};
    Monotonic queue_counted_{};  // when the queue's metrics were last read (at most every few seconds)
    std::unordered_map<std::string, Monotonic> chat_ready_;
    int failures_in_a_row_ = 0;                      // the platform's, since its last accepted send
    std::int64_t run_first_ = 0;                     // the delivery that failed first in that run
    bool down_ = false;                              // more than one delivery failed in that run
    TimePoint held_until_{};                         // when the delivery that last failed is due again
    std::int64_t suspect_ = 0;                       // failed hold_failures times alone: another is tried
    std::unordered_map<std::int64_t, int> failed_;   // a delivery's failures in a row (while pending)
    std::unordered_map<std::string, bool> no_fold_;  // chats whose catch-up was refused: one by one
};

}  // namespace fu::server
