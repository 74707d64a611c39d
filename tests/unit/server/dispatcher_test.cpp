// The delivery dispatcher against a scripted platform: sent, retried, 429, refused, late.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "failing_store.hpp"
#include "server/dispatcher.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace fu::server {
namespace {

using namespace std::chrono_literals;
using Status = adapters::SendResult::Status;

class ScriptedPlatform final : public adapters::Adapter {
public:
    std::string_view name() const override { return "fake"; }
    adapters::Limits limits() const override { return {1000, 1000}; }
    boost::asio::awaitable<adapters::Intake> intake(const net::Request&) override {
        co_return adapters::Intake{net::Response{}, {}, {}};
    }
    boost::asio::awaitable<adapters::SendResult> send(adapters::Outbound out) override {
        std::lock_guard lock(mutex);
        sent.push_back(out);
        adapters::SendResult r;
        if (script.empty()) {
            r.status = Status::sent;
            r.message_ref = "m" + std::to_string(sent.size());
        } else {
            r = script.front();
            script.pop_front();
        }
        co_return r;
    }
    std::size_t calls() {
        std::lock_guard lock(mutex);
        return sent.size();
    }
    std::mutex mutex;
    std::deque<adapters::SendResult> script;
    std::vector<adapters::Outbound> sent;
};

struct Rig {
    explicit Rig(std::string fallback_platform = "")
        : clock(from_unix(1795399200)), store(storage::SqliteStore::open(":memory:")) {
        store->transact([&](Repo& r) {
            User u;
            u.handle = "maria";
            u.display_name = "Maria";
            user = r.add_user(u);
        });
        dispatcher = std::make_unique<Dispatcher>(ioc.get_executor(), storage, *store, platform, clock, metrics,
                                                  DispatcherOptions{15min, 300s, 50, fallback_platform});
        dispatcher->start();
        thread = std::thread([this] { ioc.run(); });
    }
    ~Rig() {
        dispatcher->stop();
        work.reset();
        thread.join();
        storage.join();
    }

    // Runs f on the storage thread (the store has one user at a time) and waits.
    template <class F>
    void on_storage(F f) {
        std::promise<void> done;
        boost::asio::post(storage.executor(), [&] {
            store->transact(f);
            done.set_value();
        });
        done.get_future().wait();
    }

    DeliveryId queue(const std::string& text, const std::string& chat = "c1") {
        DeliveryId id;
        on_storage([&](Repo& r) {
            OutboxMessage m{{}, user, clock.now(), MessageKind::reminder, text, {{"Done", "done 1"}}, {}};
            m.id = r.enqueue(m);
            id = r.add_delivery(pending_delivery(m.id, "fake", "u1", chat, clock.now()));
        });
        dispatcher->wake();
        return id;
    }

    Delivery get(DeliveryId id) {
        std::optional<Delivery> d;
        on_storage([&](Repo& r) { d = r.delivery(id); });
        return *d;
    }

    template <class Pred>
    bool eventually(Pred pred) {
        for (int i = 0; i < 400; ++i) {
            if (pred()) return true;
            std::this_thread::sleep_for(5ms);
        }
        return false;
    }

    FakeClock clock;
    std::unique_ptr<storage::SqliteStore> store;
    StorageExecutor storage{*store};
    Metrics metrics;
    ScriptedPlatform platform;
    boost::asio::io_context ioc;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{ioc.get_executor()};
    std::unique_ptr<Dispatcher> dispatcher;
    std::thread thread;
    UserId user;
};

TEST(Dispatcher, SendsAPendingDeliveryAndRecordsThePlatformMessageId) {
    Rig rig;
    const auto id = rig.queue("hello");
    ASSERT_TRUE(rig.eventually([&] { return rig.get(id).status == DeliveryStatus::sent; }));
    const auto d = rig.get(id);
    EXPECT_EQ(d.platform_message_id, "m1");
    EXPECT_EQ(d.attempts, 1);
    ASSERT_EQ(rig.platform.calls(), 1u);
    EXPECT_EQ(rig.platform.sent[0].text, "hello");
    EXPECT_EQ(rig.platform.sent[0].buttons.at(0).command, "done 1");
    EXPECT_NE(rig.metrics.render().find("followupd_messages_sent_total{platform=\"fake\"} 1"), std::string::npos);
}

TEST(Dispatcher, APlatformWithoutMonospaceGetsTablesWithoutTheirFenceLines) {
    Rig rig;
    const auto id = rig.queue("📊 Team\n```\nwang  3  1\nli    0  0\n```\nTotal 3");
    ASSERT_TRUE(rig.eventually([&] { return rig.get(id).status == DeliveryStatus::sent; }));
    ASSERT_EQ(rig.platform.calls(), 1u);
    EXPECT_EQ(rig.platform.sent[0].text, "📊 Team\nwang  3  1\nli    0  0\nTotal 3");
}

TEST(Dispatcher, ATransientFailureIsRetriedLaterNotDropped) {
    Rig rig;
    rig.platform.script.push_back({Status::retry, "", "", std::nullopt, "HTTP 502"});
    const auto id = rig.queue("hello");
    ASSERT_TRUE(rig.eventually([&] { return rig.get(id).attempts == 1; }));
    auto d = rig.get(id);
    EXPECT_EQ(d.status, DeliveryStatus::pending);
    EXPECT_EQ(d.last_error, "HTTP 502");
    // The first retry waits 0.5–1.5 s (rounded up to whole seconds).
    EXPECT_GE(d.next_attempt, rig.clock.now() + 1s);
    EXPECT_LE(d.next_attempt, rig.clock.now() + 2s);
    rig.clock.advance(2s);
    rig.dispatcher->wake();
    ASSERT_TRUE(rig.eventually([&] { return rig.get(id).status == DeliveryStatus::sent; }));
    EXPECT_EQ(rig.get(id).attempts, 2);
    EXPECT_EQ(rig.platform.calls(), 2u);
}

// Every attempt at a delivery carries the same key (Feishu's uuid; a card's
// task id on WeCom), and a retry says it is one: the platform can drop a
// second copy of a send whose answer was lost.
TEST(Dispatcher, EveryAttemptAtADeliveryCarriesItsKeyAndARetrySaysSo) {
    Rig rig;
    rig.platform.script.push_back({Status::retry, "", "", std::nullopt, "timeout after 30000 ms"});
    const auto id = rig.queue("hello");
    ASSERT_TRUE(rig.eventually([&] { return rig.get(id).attempts == 1; }));
    rig.clock.advance(2s);
    rig.dispatcher->wake();
    ASSERT_TRUE(rig.eventually([&] { return rig.get(id).status == DeliveryStatus::sent; }));
    const auto other = rig.queue("other", "c2");
    ASSERT_TRUE(rig.eventually([&] { return rig.get(other).status == DeliveryStatus::sent; }));
    std::lock_guard lock(rig.platform.mutex);
    ASSERT_EQ(rig.platform.sent.size(), 3u);
    const auto& first = rig.platform.sent[0];
    const auto& retry = rig.platform.sent[1];
    EXPECT_EQ(first.text, "hello");
    EXPECT_EQ(retry.text, "hello");
    EXPECT_EQ(first.idempotency_key, idempotency_key(rig.get(id)));
    EXPECT_EQ(retry.idempotency_key, first.idempotency_key);
    EXPECT_FALSE(first.retry);
    EXPECT_TRUE(retry.retry);
    EXPECT_NE(rig.platform.sent[2].idempotency_key, first.idempotency_key);
    EXPECT_EQ(first.idempotency_key, "fu-" + std::to_string(id.value) + "-1795399200");
}

TEST(Dispatcher, TheQueuesLengthAndOldestAgeReachTheMetricsAndDropToZeroOnceSent) {
    Rig rig;
    rig.metrics.set_clock(rig.clock);
    const auto has = [&](const std::string& line) { return rig.metrics.render().find(line) != std::string::npos; };
    rig.platform.script.push_back({Status::retry, "", "", std::nullopt, "HTTP 502"});
    const auto id = rig.queue("hello");
    // Waiting for its retry, the delivery is still in the queue.
    ASSERT_TRUE(rig.eventually([&] { return has("followupd_outbox_pending{platform=\"fake\"} 1\n"); }));
    rig.clock.advance(2s);
    EXPECT_TRUE(has("followupd_outbox_oldest_age_seconds{platform=\"fake\"} 2\n"));
    rig.dispatcher->wake();
    ASSERT_TRUE(rig.eventually([&] { return rig.get(id).status == DeliveryStatus::sent; }));
    ASSERT_TRUE(rig.eventually([&] { return has("followupd_outbox_pending{platform=\"fake\"} 0\n"); }));
    EXPECT_TRUE(has("followupd_outbox_oldest_age_seconds{platform=\"fake\"} 0\n"));
}

TEST(Dispatcher, RetryAfterFromThePlatformIsHonoured) {
    Rig rig;
    rig.platform.script.push_back({Status::retry, "", "", std::chrono::seconds(30), "429 Too Many Requests"});
    const auto id = rig.queue("hello");
    ASSERT_TRUE(rig.eventually([&] { return rig.get(id).attempts == 1; }));
    EXPECT_EQ(rig.get(id).next_attempt, rig.clock.now() + 30s);
    EXPECT_EQ(rig.get(id).status, DeliveryStatus::pending);
}

TEST(Dispatcher, APermanentRefusalIsRecordedAsFailed) {
    Rig rig;
    rig.platform.script.push_back({Status::failed, "", "", std::nullopt, "Forbidden: bot was blocked by the user"});
    const auto id = rig.queue("hello");
    ASSERT_TRUE(rig.eventually([&] { return rig.get(id).status == DeliveryStatus::failed; }));
    EXPECT_EQ(rig.get(id).last_error, "Forbidden: bot was blocked by the user");
}

TEST(Dispatcher, EveryDeliveryArrivesOnceInOrder) {
    Rig rig;
    std::vector<DeliveryId> ids;
    for (int i = 0; i < 20; ++i) ids.push_back(rig.queue("n" + std::to_string(i), "c" + std::to_string(i % 3)));
    ASSERT_TRUE(rig.eventually([&] { return rig.get(ids.back()).status == DeliveryStatus::sent; }));
    ASSERT_TRUE(rig.eventually([&] { return rig.platform.calls() == 20u; }));
    std::lock_guard lock(rig.platform.mutex);
    for (int i = 0; i < 20; ++i) EXPECT_EQ(rig.platform.sent[i].text, "n" + std::to_string(i));
}

TEST(Dispatcher, ADeliveryStuckPastTheThresholdIsReportedOnce) {
    Rig rig;
    for (int i = 0; i < 3; ++i)
        rig.platform.script.push_back({Status::retry, "", "", std::chrono::seconds(600), "HTTP 503"});
    const auto id = rig.queue("hello");
    ASSERT_TRUE(rig.eventually([&] { return rig.get(id).attempts == 1; }));
    rig.clock.advance(16min);
    rig.dispatcher->wake();
    ASSERT_TRUE(rig.eventually([&] { return rig.get(id).late_reported; }));
    rig.dispatcher->wake();
    std::this_thread::sleep_for(50ms);
    EXPECT_NE(rig.metrics.render().find("followupd_messages_late_total{platform=\"fake\"} 1"), std::string::npos);
}

// The fallback platform's deliveries, for one message.
std::vector<Delivery> fallbacks(Rig& rig, const std::string& platform) {
    std::vector<Delivery> out;
    rig.on_storage([&](Repo& r) { out = r.deliveries_due(platform, rig.clock.now() + 24h, 10); });
    return out;
}

TEST(Dispatcher, AReminderStuckPastTheThresholdAlsoGoesToTheFallbackPlatformOnce) {
    Rig rig("email");
    rig.on_storage([&](Repo& r) {
        r.link_identity(Identity{"fake", "u1", rig.user, "c1"});
        r.link_identity(Identity{"email", "maria@example.com", rig.user, ""});
    });
    for (int i = 0; i < 3; ++i)
        rig.platform.script.push_back({Status::retry, "", "", std::chrono::seconds(600), "HTTP 503"});
    const auto id = rig.queue("hello");
    ASSERT_TRUE(rig.eventually([&] { return rig.get(id).attempts == 1; }));
    EXPECT_TRUE(fallbacks(rig, "email").empty());  // not before the threshold
    rig.clock.advance(16min);
    rig.dispatcher->wake();
    ASSERT_TRUE(rig.eventually([&] { return rig.get(id).late_reported; }));
    rig.dispatcher->wake();
    std::this_thread::sleep_for(50ms);
    const auto copies = fallbacks(rig, "email");
    ASSERT_EQ(copies.size(), 1u);
    EXPECT_EQ(copies[0].recipient, "maria@example.com");
    EXPECT_EQ(copies[0].message, rig.get(id).message);
    EXPECT_EQ(rig.get(id).status, DeliveryStatus::pending);  // the chat copy keeps trying
}

TEST(Dispatcher, NoFallbackWithoutAnIdentityThereOrWithoutAFallbackPlatform) {
    for (const std::string fallback : {"email", ""}) {
        Rig rig(fallback);
        rig.on_storage([&](Repo& r) {
            r.link_identity(Identity{"fake", "u1", rig.user, "c1"});
            if (fallback.empty()) r.link_identity(Identity{"email", "maria@example.com", rig.user, ""});
        });
        rig.platform.script.push_back({Status::retry, "", "", std::chrono::seconds(600), "HTTP 503"});
        const auto id = rig.queue("hello");
        ASSERT_TRUE(rig.eventually([&] { return rig.get(id).attempts == 1; }));
        rig.clock.advance(16min);
        rig.dispatcher->wake();
        ASSERT_TRUE(rig.eventually([&] { return rig.get(id).late_reported; }));
        EXPECT_TRUE(fallbacks(rig, "email").empty()) << "fallback \"" << fallback << "\"";
    }
}

TEST(Dispatcher, BackoffGrowsAndIsCapped) {
    EXPECT_EQ(backoff(1, 300s, 0.5), 1000ms);
    EXPECT_EQ(backoff(2, 300s, 0.5), 2000ms);
    EXPECT_EQ(backoff(5, 300s, 0.5), 16000ms);
    EXPECT_EQ(backoff(30, 300s, 0.5), 300000ms);
    EXPECT_EQ(backoff(1, 300s, 0.0), 500ms);
    EXPECT_EQ(backoff(1, 300s, 0.99), 1490ms);
}

}  // namespace
}  // namespace fu::server

namespace fu::server {
namespace {

// One message per `per_chat_seconds` per chat; records the chat of every send.
class SlowChats final : public adapters::Adapter {
public:
    explicit SlowChats(double per_chat_seconds) : per_chat_seconds_(per_chat_seconds) {}
    std::string_view name() const override { return "fake"; }
    adapters::Limits limits() const override { return {1000, 1 / per_chat_seconds_}; }
    boost::asio::awaitable<adapters::Intake> intake(const net::Request&) override {
        co_return adapters::Intake{net::Response{}, {}, {}};
    }
    boost::asio::awaitable<adapters::SendResult> send(adapters::Outbound out) override {
        std::lock_guard lock(mutex);
        chats.push_back(out.chat_id);
        co_return adapters::SendResult{Status::sent, "m", "", std::nullopt, ""};
    }
    std::vector<std::string> sent() {
        std::lock_guard lock(mutex);
        return chats;
    }

private:
    double per_chat_seconds_;
    std::mutex mutex;
    std::vector<std::string> chats;
};

// Deliveries queued for `chats` (one each, in order), sent by a dispatcher
// that fetches `batch` at a time, through a store that counts writes and
// fails its `fail_write`th one (0: none). By default a chat is ready again
// after 10 s: never within a test.
struct Backlog {
    Backlog(const std::vector<std::string>& chats, std::size_t batch, double per_chat_seconds = 10, int fail_write = 0)
        : clock(from_unix(1795399200)),
          real(storage::SqliteStore::open(":memory:")),
          store(*real),
          platform(per_chat_seconds),
          dispatcher(ioc.get_executor(), storage, store, platform, clock, metrics,
                     DispatcherOptions{15min, 300s, batch, ""}) {
        real->transact([&](Repo& r) {
            User u;
            u.handle = "maria";
            const auto user = r.add_user(u);
            for (const auto& chat : chats) {
                OutboxMessage m{{}, user, clock.now(), MessageKind::notice, "n", {}, {}};
                m.id = r.enqueue(m);
                ids.push_back(r.add_delivery(pending_delivery(m.id, "fake", "u", chat, clock.now())));
            }
        });
        store.fail_at(fail_write);  // count writes from here
        dispatcher.start();
        io = std::thread([this] { ioc.run(); });
    }
    ~Backlog() {
        dispatcher.stop();
        work.reset();
        io.join();
        storage.join();
    }

    // Waits (up to 2 s) until chat `chat` got a message.
    bool sent_to(const std::string& chat) {
        for (int i = 0; i < 400; ++i) {
            const auto s = platform.sent();
            if (std::find(s.begin(), s.end(), chat) != s.end()) return true;
            std::this_thread::sleep_for(5ms);
        }
        return false;
    }
    Delivery delivery(std::size_t i) {
        std::optional<Delivery> d;
        real->transact([&](Repo& r) { d = r.delivery(ids.at(i)); });
        return *d;
    }

    FakeClock clock;
    std::unique_ptr<storage::SqliteStore> real;
    test::FailingStore store;
    StorageExecutor storage{store};
    Metrics metrics;
    SlowChats platform;
    boost::asio::io_context ioc;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{ioc.get_executor()};
    std::vector<DeliveryId> ids;
    Dispatcher dispatcher;
    std::thread io;
};

TEST(Dispatcher, ABusyChatDoesNotHoldUpTheOthersAndWhatWaitsForItsChatIsNotRewritten) {
    Backlog b({"A", "A", "A", "A", "A", "B"}, 50);
    ASSERT_TRUE(b.sent_to("B")) << "chat B waited behind chat A";
    std::this_thread::sleep_for(100ms);  // a dispatcher that churned would rewrite A's deliveries meanwhile
    const auto sent = b.platform.sent();
    EXPECT_EQ(std::count(sent.begin(), sent.end(), "A"), 1);  // the rest wait their turn
    EXPECT_EQ(b.store.writes(), 2);  // the two sends recorded, nothing else
    const Delivery second = b.delivery(1);
    EXPECT_EQ(second.status, DeliveryStatus::pending);
    EXPECT_EQ(second.next_attempt, b.clock.now());
}

TEST(Dispatcher, AFullBatchThatOnlyWaitsForItsChatMovesAsideSoWhatIsBehindItIsRead) {
    // Batches of 2: [A1 A2] sends A1; [A2 A3] all wait for chat A, and would be
    // read again and again: they move to when A is ready; [A4 B] sends B.
    Backlog b({"A", "A", "A", "A", "B"}, 2);
    ASSERT_TRUE(b.sent_to("B")) << "chat B was never read";
    const auto sent = b.platform.sent();
    EXPECT_EQ(std::count(sent.begin(), sent.end(), "A"), 1);
    for (const std::size_t i : {1, 2}) {
        EXPECT_GE(b.delivery(i).next_attempt, b.clock.now() + 9s) << i;
        EXPECT_LE(b.delivery(i).next_attempt, b.clock.now() + 10s) << i;
    }
    EXPECT_EQ(b.delivery(3).next_attempt, b.clock.now());  // skipped in a batch that sent: not rewritten
}

// A storage error (here: the write recording a send) pauses the delivery
// loop; it reads again and goes on. (It used to end the loop until restart.)
TEST(Dispatcher, AStorageErrorPausesTheLoopAndItGoesOn) {
    Backlog b({"A"}, 50, 0.01, 1);
    bool sent = false;
    for (int i = 0; i < 600 && !sent; ++i) {  // the pause after one failure is 1 s
        std::this_thread::sleep_for(5ms);
        sent = b.delivery(0).status == DeliveryStatus::sent;
    }
    EXPECT_TRUE(sent) << "the delivery loop did not go on after the storage error";
    // Sent twice: the first send's record was the write that failed.
    EXPECT_EQ(b.platform.sent().size(), 2u);
}

// A platform whose every send takes `ms` on the I/O thread's clock.
class SlowPlatform final : public adapters::Adapter {
public:
    explicit SlowPlatform(int ms) : ms_(ms) {}
    std::string_view name() const override { return "fake"; }
    adapters::Limits limits() const override { return {1000, 1000}; }
    boost::asio::awaitable<adapters::Intake> intake(const net::Request&) override {
        co_return adapters::Intake{net::Response{}, {}, {}};
    }
    boost::asio::awaitable<adapters::SendResult> send(adapters::Outbound out) override {
        boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, std::chrono::milliseconds(ms_));
        co_await t.async_wait(boost::asio::use_awaitable);
        std::lock_guard lock(mutex_);
        texts_.push_back(out.text);
        co_return adapters::SendResult{Status::sent, "m" + std::to_string(texts_.size()), "", {}, ""};
    }
    std::vector<std::string> texts() {
        std::lock_guard lock(mutex_);
        return texts_;
    }

private:
    int ms_;
    std::mutex mutex_;
    std::vector<std::string> texts_;
};

// Two instances on one database each run a dispatcher for the platform; both
// read the same due deliveries. Claimed before each send, every one is sent once.
void two_senders(bool claim, std::vector<std::string>& sent) {
    FakeClock clock(from_unix(1795399200));
    auto store = storage::SqliteStore::open(":memory:");
    std::vector<DeliveryId> ids;
    store->transact([&](Repo& r) {
        User u;
        u.handle = "maria";
        const auto user = r.add_user(u);
        for (int i = 0; i < 20; ++i) {
            OutboxMessage m{{}, user, clock.now(), MessageKind::notice, "n" + std::to_string(i), {}, {}};
            m.id = r.enqueue(m);
            ids.push_back(r.add_delivery(pending_delivery(m.id, "fake", "u", "chat" + std::to_string(i), clock.now())));
        }
    });
    StorageExecutor storage{*store};
    Metrics metrics;
    SlowPlatform platform(5);
    boost::asio::io_context ioc;
    auto work = boost::asio::make_work_guard(ioc);
    DispatcherOptions options{15min, 300s, 50, ""};
    options.claim = claim;
    Dispatcher a(ioc.get_executor(), storage, *store, platform, clock, metrics, options);
    Dispatcher b(ioc.get_executor(), storage, *store, platform, clock, metrics, options);
    a.start();
    b.start();
    std::thread io([&] { ioc.run(); });
    const auto all_sent = [&] {
        std::promise<bool> done;
        boost::asio::post(storage.executor(), [&] {
            bool all = true;
            store->transact([&](Repo& r) {
                for (auto id : ids) all = all && r.delivery(id)->status == DeliveryStatus::sent;
            });
            done.set_value(all);
        });
        return done.get_future().get();
    };
    for (int i = 0; i < 400 && !all_sent(); ++i) std::this_thread::sleep_for(5ms);
    std::this_thread::sleep_for(50ms);  // a second sender still at work would add to `sent`
    a.stop();
    b.stop();
    work.reset();
    io.join();
    storage.join();
    sent = platform.texts();
}

TEST(Dispatcher, TwoSendersOnOneDatabaseSendEachDeliveryOnceWhenTheyClaim) {
    std::vector<std::string> sent;
    two_senders(true, sent);
    std::sort(sent.begin(), sent.end());
    EXPECT_EQ(sent.size(), 20u);
    EXPECT_EQ(std::adjacent_find(sent.begin(), sent.end()), sent.end()) << "a delivery was sent twice";

    // The same without claims: both send what they read (what the claim prevents).
    std::vector<std::string> unclaimed;
    two_senders(false, unclaimed);
    EXPECT_GT(unclaimed.size(), 20u);
}

}  // namespace
}  // namespace fu::server
