#pragma once
// Retention: what the service keeps only for a while is deleted on the
// storage thread, a small batch per piece of storage work, so commands queued
// meanwhile run between two batches and no transaction grows with the backlog.
// Webhook event ids, old outbox messages (with their deliveries and buttons;
// never one still being delivered), expired sign-ins and, only when
// configured, the audit log (core/ports/retention.hpp). One coroutine on the
// storage thread, like the scheduler's: a pass every `interval`; with several
// instances on one database, on the leader only (server/leadership.hpp).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include "core/clock.hpp"
#include "core/store.hpp"
#include "server/storage_executor.hpp"

namespace fu::server {

// The retention.* keys (docs/CONFIG.md). A period of zero keeps that kind forever.
struct RetentionOptions {
    Seconds seen_events{7 * 86400};
    Seconds outbox{90 * 86400};
    Seconds audit{0};
    std::size_t batch = 500;  // rows per transaction
    Seconds interval{3600};   // from the end of one pass to the start of the next

    bool operator==(const RetentionOptions&) const = default;
};

// What a pass deleted, per table ("seen_events", "outbox", "audit",
// "sign_ins"; a kind kept forever is absent), and how many batches it took.
struct RetentionPass {
    std::map<std::string, std::size_t> deleted;
    std::size_t batches = 0;
    bool complete = true;  // false: a batch failed or stop() came; the rest waits for the next pass
};

class Retention {
public:
    Retention(StorageExecutor& storage, Store& store, const Clock& clock, RetentionOptions options);

    // From any thread: the first pass a minute after start (or sooner with a
    // shorter interval), then one every interval.
    void start();
    // From any thread: no batch starts after this.
    void stop();
    // Storage thread only (a SIGHUP's reload): the next pass uses these; a
    // new interval counts from now.
    void set_options(const RetentionOptions& options);

    // Storage thread: called after each pass with its result and seconds taken. Set before start().
    void on_pass(std::function<void(const RetentionPass&, double seconds)> f) { on_pass_ = std::move(f); }
    // Several instances on one database: a pass runs only on the one that
    // answers true (Leadership::leader), and stops between two batches once it
    // answers false; the others skip their turn. Unset: every pass runs. Set
    // before start().
    void set_leader(std::function<bool()> f) { leader_ = std::move(f); }

    // One pass, on the storage thread: every kind not kept forever, oldest
    // rows first, batch after batch until one comes back short of the batch
    // size. The cut-offs are fixed at its start, so it ends however fast new
    // rows come.
    boost::asio::awaitable<RetentionPass> pass();

private:
    boost::asio::awaitable<void> loop();
    bool leading() const { return !leader_ || leader_(); }

    StorageExecutor& storage_;
    Store& store_;
    const Clock& clock_;
    RetentionOptions options_;  // storage thread
    boost::asio::steady_timer timer_;
    bool started_ = false;
    bool stopped_ = false;
    std::function<void(const RetentionPass&, double)> on_pass_;
    std::function<bool()> leader_;
};

}  // namespace fu::server
