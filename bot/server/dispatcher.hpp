#pragma once
// Sends one platform's pending deliveries: paced by the platform's limits
// (overall and per chat), 429 honoured, 5xx and timeouts retried with
// exponential backoff and jitter, nothing dropped. A delivery still pending
// after `late_after` is reported once (log + metric; admins see it in status),
// and then, for a reminder whose recipient has an identity on
// `fallback_platform`, also queued there (e-mail when a chat platform is down).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
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
    std::string fallback_platform;         // empty: none
    std::function<void()> fallback_queued;  // wakes the fallback platform's dispatcher
    // Several instances share the database: each delivery is claimed (its next
    // attempt moved `lease` ahead) in a transaction of its own right before it
    // is sent, so one instance sends it; if that instance dies mid-send,
    // another sends it once the lease is over.
    bool claim = false;
    std::chrono::seconds lease{60};
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
    boost::asio::awaitable<void> send_one(Item&);
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
};

}  // namespace fu::server
