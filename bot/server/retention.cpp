#include "server/retention.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <vector>

#include "server/logging.hpp"

namespace fu::server {
namespace asio = boost::asio;
namespace {

// Not at start-up itself: the first pass on a database that never had one may
// be long, and start-up work (catching up on reminders) goes first.
constexpr Seconds kFirstPassAfter{60};

struct Kind {
    const char* table;
    TimePoint before;
    std::size_t (RetentionStore::*prune)(TimePoint, std::size_t);
};

std::vector<Kind> kinds(const RetentionOptions& o, TimePoint now) {
    std::vector<Kind> out;
    if (o.seen_events.count() > 0)
        out.push_back({"seen_events", now - o.seen_events, &RetentionStore::prune_seen_events});
    if (o.outbox.count() > 0) out.push_back({"outbox", now - o.outbox, &RetentionStore::prune_outbox});
    if (o.audit.count() > 0) out.push_back({"audit", now - o.audit, &RetentionStore::prune_audit});
    // An expired sign-in answers nothing: always gone.
    out.push_back({"sign_ins", now, &RetentionStore::prune_sign_ins});
    return out;
}

std::string summary(const RetentionPass& p) {
    std::string out;
    for (const auto& [table, n] : p.deleted)
        if (n > 0) out += (out.empty() ? "" : ", ") + table + " " + std::to_string(n);
    return out;
}

}  // namespace

Retention::Retention(StorageExecutor& storage, Store& store, const Clock& clock, RetentionOptions options)
    : storage_(storage), store_(store), clock_(clock), options_(options), timer_(storage.executor()) {}

void Retention::start() {
    asio::post(storage_.executor(), [this] {
        if (started_ || stopped_) return;
        started_ = true;
        asio::co_spawn(storage_.executor(), loop(), log_if_stopped("retention"));
    });
}

void Retention::stop() {
    asio::post(storage_.executor(), [this] {
        stopped_ = true;
        timer_.cancel();
    });
}

void Retention::set_options(const RetentionOptions& options) {
    const bool new_interval = options.interval != options_.interval;
    options_ = options;
    if (new_interval) timer_.cancel();  // the loop waits again, for the new interval
}

asio::awaitable<RetentionPass> Retention::pass() {
    RetentionPass out;
    const RetentionOptions o = options_;
    for (const Kind& k : kinds(o, clock_.now())) {
        std::size_t& deleted = out.deleted[k.table];
        for (;;) {
            if (stopped_ || !leading()) {
                out.complete = false;
                co_return out;
            }
            // One batch is one piece of storage work: whatever was queued
            // while it ran goes before the next one.
            auto batch = [this, &k, limit = o.batch] {
                std::size_t n = 0;
                store_.transact([&](Repo& r) { n = (r.*k.prune)(k.before, limit); });
                return n;
            };
            std::size_t n = 0;
            try {
                n = co_await storage_.run(std::move(batch));
            } catch (const std::exception& e) {
                // Nothing of this batch was deleted; the next pass tries again.
                spdlog::warn("retention: pruning {} failed: {}", k.table, e.what());
                out.complete = false;
                co_return out;
            }
            ++out.batches;
            deleted += n;
            if (n < o.batch) break;
        }
    }
    co_return out;
}

asio::awaitable<void> Retention::loop() {
    bool first = true;
    while (!stopped_) {
        timer_.expires_after(first ? std::min(kFirstPassAfter, options_.interval) : options_.interval);
        const auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        if (stopped_) break;
        if (ec == asio::error::operation_aborted) continue;  // set_options: a new interval
        first = false;
        if (!leading()) continue;  // another instance prunes
        const auto started = clock_.monotonic();
        const RetentionPass result = co_await pass();
        const double seconds = std::chrono::duration<double>(clock_.monotonic() - started).count();
        if (const auto s = summary(result); !s.empty())
            spdlog::info("retention: deleted {} in {} batch(es), {:.3f} s", s, result.batches, seconds);
        if (on_pass_) on_pass_(result, seconds);
    }
}

}  // namespace fu::server
