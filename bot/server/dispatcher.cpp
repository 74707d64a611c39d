#include "server/dispatcher.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

namespace fu::server {
namespace asio = boost::asio;
using namespace std::chrono_literals;

struct Dispatcher::Item {
    Delivery delivery;
    OutboxMessage message;
};

struct Dispatcher::Batch {
    std::vector<Item> items;
    std::optional<TimePoint> next;
    std::vector<Delivery> late;
    bool fell_back = false;
    std::optional<OutboxStore::PendingDeliveries> queue;  // read for the metrics this turn
};

std::string idempotency_key(const Delivery& d) {
    return "fu-" + std::to_string(d.id.value) + "-" + std::to_string(to_unix(d.created_at));
}

std::chrono::milliseconds backoff(int attempts, std::chrono::seconds cap, double jitter01) {
    const int exponent = std::clamp(attempts - 1, 0, 20);
    const auto base = std::min<std::chrono::milliseconds>(std::chrono::seconds(1LL << exponent), cap);
    return std::chrono::milliseconds(static_cast<std::int64_t>(base.count() * (0.5 + jitter01)));
}

Dispatcher::Dispatcher(asio::any_io_executor ex, StorageExecutor& storage, Store& store, adapters::Adapter& adapter,
                       const Clock& clock, Metrics& metrics, DispatcherOptions options)
    : strand_(asio::make_strand(ex)),
      timer_(strand_),
      storage_(storage),
      store_(store),
      adapter_(adapter),
      clock_(clock),
      metrics_(metrics),
      options_(options),
      platform_(adapter.name()) {}

void Dispatcher::start() {
    asio::co_spawn(strand_, loop(), [platform = platform_](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            spdlog::critical("{}: delivery loop stopped: {}", platform, ex.what());
        }
    });
}

void Dispatcher::wake() {
    woken_ = true;
    asio::post(strand_, [this] { timer_.cancel(); });
}

void Dispatcher::stop() {
    stopped_ = true;
    asio::post(strand_, [this] { timer_.cancel(); });
}

asio::awaitable<void> Dispatcher::pace(const std::string& chat) {
    const auto limits = adapter_.limits();
    const auto ready = std::max(platform_ready_, chat_ready_[chat]);
    while (ready > clock_.monotonic() && !stopped_) {  // a wake() cancels the timer: wait on
        timer_.expires_after(ready - clock_.monotonic());  // the clock's time, which a test may move on
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    const auto now = clock_.monotonic();
    platform_ready_ = now + std::chrono::microseconds(static_cast<std::int64_t>(1e6 / limits.per_second));
    chat_ready_[chat] = now + std::chrono::microseconds(static_cast<std::int64_t>(1e6 / limits.per_chat_per_second));
    if (chat_ready_.size() > 10000) std::erase_if(chat_ready_, [&](const auto& kv) { return kv.second < now; });
}

asio::awaitable<void> Dispatcher::send_one(Item& item) {
    Delivery& d = item.delivery;
    const std::string chat = d.chat_id.empty() ? d.recipient : d.chat_id;
    co_await pace(chat);  // long per-chat waits were deferred by the loop; short ones are sat out here
    if (options_.claim) {
        auto claim = [this, id = d.id, now = clock_.now()] {
            bool mine = false;
            store_.transact([&](Repo& repo) { mine = repo.defer_delivery(id, now, now + options_.lease); });
            return mine;
        };
        if (!co_await storage_.run(std::move(claim))) co_return;  // another instance has it, or sent it
    }
    adapters::Outbound out;
    out.recipient = d.recipient;
    out.chat_id = d.chat_id;
    out.kind = item.message.kind;
    out.text = adapter_.renders_fences() ? item.message.text : adapters::split_fences(item.message.text).text;
    out.buttons = item.message.buttons;
    out.replace_ref = d.replace_ref;
    out.idempotency_key = idempotency_key(d);
    out.retry = d.attempts > 0;
    const auto started = clock_.monotonic();
    adapters::SendResult r = co_await adapter_.send(std::move(out));
    const double seconds = std::chrono::duration<double>(clock_.monotonic() - started).count();

    static thread_local std::mt19937 rng{std::random_device{}()};
    const TimePoint now = clock_.now();
    d.attempts += 1;
    switch (r.status) {
        case adapters::SendResult::Status::sent:
            d.status = DeliveryStatus::sent;
            d.sent_at = now;
            d.platform_message_id = r.message_ref;
            d.last_error.clear();
            metrics_.sent(platform_, seconds);
            metrics_.send_outcome(platform_, true, now.time_since_epoch().count());
            break;
        case adapters::SendResult::Status::retry: {
            std::chrono::milliseconds wait;
            if (r.retry_after) {
                wait = std::max<std::chrono::milliseconds>(*r.retry_after, 1s);
                platform_ready_ = std::max(platform_ready_, clock_.monotonic() + wait);  // the platform asked
            } else {
                wait = backoff(d.attempts, options_.max_backoff, std::uniform_real_distribution<double>(0, 1)(rng));
            }
            d.next_attempt = now + std::chrono::ceil<std::chrono::seconds>(wait);
            d.last_error = r.error;
            metrics_.retried(platform_);
            metrics_.send_outcome(platform_, false, now.time_since_epoch().count());
            spdlog::warn("{}: delivery {} attempt {} will be retried in {} ms: {}", platform_, d.id.value, d.attempts,
                         wait.count(), r.error);
            break;
        }
        case adapters::SendResult::Status::failed:
            d.status = DeliveryStatus::failed;
            d.last_error = r.error;
            metrics_.failed(platform_);
            metrics_.send_outcome(platform_, false, now.time_since_epoch().count());
            spdlog::error("{}: delivery {} refused by the platform: {}", platform_, d.id.value, r.error);
            break;
    }
    auto record = [this, d, chat_id = r.chat_id] {
        store_.transact([&](Repo& repo) {
            Delivery updated = d;
            if (updated.chat_id.empty() && !chat_id.empty()) {
                updated.chat_id = chat_id;
                if (auto who = repo.identity(updated.platform, updated.recipient); who && who->chat_id.empty()) {
                    who->chat_id = chat_id;  // the direct chat the adapter opened, for next time
                    repo.link_identity(*who);
                }
            }
            repo.update_delivery(updated);
        });
    };
    co_await storage_.run(std::move(record));
}

// Once, when `d` is reported late: a reminder also goes to the recipient's
// identity on the fallback platform, if they have one.
bool Dispatcher::fall_back(Repo& repo, const Delivery& d, TimePoint now) {
    const auto& fallback = options_.fallback_platform;
    if (fallback.empty() || fallback == platform_) return false;
    const auto m = repo.message(d.message);
    if (!m || (m->kind != MessageKind::reminder && m->kind != MessageKind::catch_up)) return false;
    const auto who = repo.identity(d.platform, d.recipient);
    if (!who) return false;
    for (const auto& other : repo.identities_of(who->user)) {
        if (other.platform != fallback) continue;
        repo.add_delivery(pending_delivery(d.message, other.platform, other.external_id, other.chat_id, now));
        spdlog::warn("{}: delivery {} (message {}) also queued on {}", platform_, d.id.value, d.message.value,
                     fallback);
        return true;
    }
    return false;
}

// A storage error (a full disk, a failed commit) pauses the loop, never ends
// it: it reads the pending deliveries again once storage works.
asio::awaitable<void> Dispatcher::loop() {
    int failures = 0;
    while (!stopped_) {
        std::string error;
        try {
            co_await step();
            failures = 0;
        } catch (const std::exception& e) {
            error = e.what();
        }
        if (error.empty()) continue;
        ++failures;
        const auto wait = backoff(failures, std::chrono::seconds(30), 0.5);
        spdlog::error("{}: delivery loop: storage failed ({}); retrying in {} ms", platform_, error, wait.count());
        timer_.expires_after(wait);
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

// One turn: report late deliveries, send what is due, or wait for the next.
asio::awaitable<void> Dispatcher::step() {
    woken_ = false;
    auto fetch = [this] {
        Batch b;
        const TimePoint now = clock_.now();
        store_.transact([&](Repo& repo) {
            // Late ones first, so the copies sent below carry the flag.
            for (auto d : repo.deliveries_pending_since(now - options_.late_after, 100)) {
                if (d.platform != platform_ || d.late_reported) continue;
                d.late_reported = true;
                repo.update_delivery(d);
                b.fell_back = fall_back(repo, d, now) || b.fell_back;
                b.late.push_back(std::move(d));
            }
            for (auto& d : repo.deliveries_due(platform_, now, options_.batch)) {
                auto m = repo.message(d.message);
                if (m) b.items.push_back(Item{std::move(d), std::move(*m)});
            }
            if (b.items.empty()) b.next = repo.next_delivery_at(platform_);
            // Counting the queue is a range on an index as long as the queue:
            // cheap, but not worth doing on every turn of a busy platform.
            // Always before going idle, so a drained queue reads 0 at once.
            if (const auto mono = clock_.monotonic(); b.items.empty() || mono - queue_counted_ >= std::chrono::seconds(5)) {
                queue_counted_ = mono;
                b.queue = repo.pending_deliveries(platform_);
            }
        });
        return b;
    };
    Batch batch = co_await storage_.run(std::move(fetch));
    if (batch.fell_back && options_.fallback_queued) options_.fallback_queued();
    for (const auto& d : batch.late) {
        metrics_.late(platform_);
        spdlog::error("{}: delivery {} (message {}) undelivered for over {} min: {}", platform_, d.id.value,
                      d.message.value, options_.late_after.count() / 60, d.last_error);
    }
    if (batch.queue) {
        std::optional<std::int64_t> oldest;
        if (batch.queue->oldest_created) oldest = batch.queue->oldest_created->time_since_epoch().count();
        metrics_.outbox(platform_, batch.queue->count, oldest);
    }
    if (batch.items.empty()) {
        // Checked on the strand right before waiting: a wake()/stop() after
        // this point posts its cancel behind the wait, so none is lost.
        if (woken_ || stopped_) co_return;
        auto wait = std::chrono::seconds(60);
        if (batch.next) wait = std::clamp<std::chrono::seconds>(*batch.next - clock_.now(), 0s, wait);
        timer_.expires_after(wait);
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        co_return;
    }
    // A chat that is not ready yet (its per-chat pace) must not hold up the
    // others: its deliveries are skipped, not rewritten; they come again in
    // a later fetch. Only when a whole full batch is skipped, which could
    // keep the deliveries behind it from ever being read, do they move to
    // when their chat is ready.
    std::vector<Delivery> skipped;
    std::optional<Monotonic> first_ready;
    bool sent = false;
    for (auto& item : batch.items) {
        if (stopped_) break;
        const auto& d = item.delivery;
        const auto chat = d.chat_id.empty() ? d.recipient : d.chat_id;
        const auto ready = chat_ready_[chat];
        if (ready - clock_.monotonic() > 50ms) {  // shorter waits are cheaper to sit out (pace() does)
            skipped.push_back(d);
            if (!first_ready || ready < *first_ready) first_ready = ready;
            continue;
        }
        co_await send_one(item);
        sent = true;
    }
    if (sent || skipped.empty() || stopped_) co_return;
    if (batch.items.size() < options_.batch) {
        // Everything due waits for its chat: sleep until the first is ready
        // (or a wake: something new may be for another chat).
        if (woken_) co_return;
        timer_.expires_after(std::max<Monotonic::duration>(*first_ready - clock_.monotonic(), 1ms));
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        co_return;
    }
    for (auto& d : skipped) {
        const auto chat = d.chat_id.empty() ? d.recipient : d.chat_id;
        d.next_attempt = clock_.now() + std::chrono::ceil<std::chrono::seconds>(chat_ready_[chat] - clock_.monotonic());
    }
    // Only what is still pending and due moves: another instance may have sent some meanwhile.
    auto defer = [this, skipped = std::move(skipped)] {
        const TimePoint now = clock_.now();
        store_.transact([&](Repo& repo) {
            for (const auto& d : skipped) repo.defer_delivery(d.id, now, d.next_attempt);
        });
    };
    co_await storage_.run(std::move(defer));
}

}  // namespace fu::server
