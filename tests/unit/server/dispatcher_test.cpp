// The delivery dispatcher against a scripted platform: sent, retried, 429, refused, late.
// Past 500 lines on purpose: one scripted platform and clock serve every
// outcome of a send; the instance tests are dispatcher_instances_test.cpp.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
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
    // On the storage thread: the store has one user at a time.
    Delivery delivery(std::size_t i) {
        std::promise<Delivery> d;
        boost::asio::post(storage.executor(),
                          [&] { real->transact([&](Repo& r) { d.set_value(*r.delivery(ids.at(i))); }); });
        return d.get_future().get();
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
    EXPECT_EQ(b.store.writes(), 2);                           // the two sends recorded, nothing else
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

}  // namespace
}  // namespace fu::server

namespace fu::server {
namespace {

// A platform whose answers a test decides (by the message), recording every
// call and the texts it accepted, in order.
class Outage final : public adapters::Adapter {
public:
    std::string_view name() const override { return "fake"; }
    adapters::Limits limits() const override { return {1000, 1000, 4000}; }
    boost::asio::awaitable<adapters::Intake> intake(const net::Request&) override {
        co_return adapters::Intake{net::Response{}, {}, {}};
    }
    boost::asio::awaitable<adapters::SendResult> send(adapters::Outbound out) override {
        std::lock_guard lock(mutex);
        calls.push_back(out);
        adapters::SendResult r = answer ? answer(out) : adapters::SendResult{Status::sent, "", "", std::nullopt, ""};
        if (r.status == Status::sent) {
            accepted.push_back(out.text);
            r.message_ref = "m" + std::to_string(accepted.size());
        }
        co_return r;
    }
    std::vector<std::string> texts() {
        std::lock_guard lock(mutex);
        return accepted;
    }
    std::mutex mutex;
    std::function<adapters::SendResult(const adapters::Outbound&)> answer;  // under mutex
    std::vector<adapters::Outbound> calls;
    std::vector<std::string> accepted;
};

// Deliveries to one chat, queued a second apart, and a dispatcher for them
// whose clock a test moves on (a second at a time) until everything is sent.
struct Backlogged {
    explicit Backlogged(DispatcherOptions options = DispatcherOptions{15min, 300s, 50, ""})
        : clock(from_unix(1795399200)), store(storage::SqliteStore::open(":memory:")) {
        store->transact([&](Repo& r) {
            User u;
            u.handle = "maria";
            u.display_name = "Maria";
            u.lang = Lang::en;
            user = r.add_user(u);
        });
        dispatcher =
            std::make_unique<Dispatcher>(ioc.get_executor(), storage, *store, platform, clock, metrics, options);
    }
    ~Backlogged() {
        dispatcher->stop();
        work.reset();
        if (thread.joinable()) thread.join();
        storage.join();
    }
    // Texts "n0", "n1", … (then `pad` dots), each with a Done button of its own.
    void queue(int n, std::size_t pad = 0) {
        store->transact([&](Repo& r) {
            for (int i = 0; i < n; ++i) {
                const int k = static_cast<int>(ids.size());
                std::string text = "n" + std::to_string(k) + (pad ? " " + std::string(pad, '.') : "");
                OutboxMessage m{{}, user, clock.now(), MessageKind::reminder, text, {}, {}};
                m.buttons = {{"Done #" + std::to_string(k), "done " + std::to_string(k)}};
                m.id = r.enqueue(m);
                ids.push_back(r.add_delivery(pending_delivery(m.id, "fake", "u1", "c1", clock.now())));
                clock.advance(1s);
            }
        });
    }
    void start() {
        dispatcher->start();
        thread = std::thread([this] { ioc.run(); });
    }
    std::vector<Delivery> deliveries() {
        std::promise<std::vector<Delivery>> out;
        boost::asio::post(storage.executor(), [&] {
            std::vector<Delivery> ds;
            store->transact([&](Repo& r) {
                for (auto id : ids) ds.push_back(*r.delivery(id));
            });
            out.set_value(ds);
        });
        return out.get_future().get();
    }
    bool all_sent() {
        for (const auto& d : deliveries())
            if (d.status != DeliveryStatus::sent) return false;
        return true;
    }
    // Moves the clock on a second at a time (waking the dispatcher) until
    // everything is sent; the seconds it took, or -1.
    int run_until_sent(int max_seconds) {
        for (int s = 0; s <= max_seconds; ++s) {
            for (int i = 0; i < 20; ++i) {  // let the dispatcher finish what is due at this second
                if (all_sent()) return s;
                std::this_thread::sleep_for(1ms);
            }
            clock.advance(1s);
            dispatcher->wake();
        }
        return -1;
    }

    FakeClock clock;
    std::unique_ptr<storage::SqliteStore> store;
    StorageExecutor storage{*store};
    Metrics metrics;
    Outage platform;
    boost::asio::io_context ioc;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{ioc.get_executor()};
    std::unique_ptr<Dispatcher> dispatcher;
    std::thread thread;
    UserId user;
    std::vector<DeliveryId> ids;
};

DispatcherOptions no_folding() {
    DispatcherOptions o{15min, 300s, 50, ""};
    o.fold_min = 1000;
    return o;
}

// Issue 15: after an outage the queue drained slowly and oldest last; 429s
// grew the backoff. Here the platform answers 500 six times, then 429 asking
// for 3 s (as a Retry-After header or a body's retry_after: the adapter's
// SendResult carries either), twice, then 200: every message arrives once,
// oldest first, the 429s wait exactly what they asked, and everything follows
// the first accepted send at once.
TEST(DispatcherCatchUp, AfterFiveHundredsAndTooManyRequestsEverythingArrivesOnceOldestFirst) {
    Backlogged b(no_folding());
    b.queue(10);
    int calls = 0;
    b.platform.answer = [&](const adapters::Outbound&) {
        ++calls;
        if (calls <= 6) return adapters::SendResult{Status::retry, "", "", std::nullopt, "HTTP 500"};
        if (calls <= 8) return adapters::SendResult{Status::retry, "", "", std::chrono::seconds(3), "HTTP 429"};
        return adapters::SendResult{Status::sent, "", "", std::nullopt, ""};
    };
    b.start();
    const int took = b.run_until_sent(300);
    ASSERT_GE(took, 0) << "not everything was sent";
    std::vector<std::string> expected;
    for (int i = 0; i < 10; ++i) expected.push_back("n" + std::to_string(i));
    EXPECT_EQ(b.platform.texts(), expected);
    std::lock_guard lock(b.platform.mutex);
    ASSERT_EQ(b.platform.calls.size(), 18u);  // 8 refused tries, then each of the 10 once
    // The oldest is tried first, but for one try after its third failure: a
    // second opinion (n1), which fails too: the platform is down, n0 goes on first.
    for (int i = 0; i < 9; ++i) EXPECT_EQ(b.platform.calls[i].text, i == 3 ? "n1" : "n0") << "try " << i;
    for (int i = 4; i < 9; ++i) EXPECT_TRUE(b.platform.calls[i].retry);
    // The bound: six failures wait at most 1.5 × (1, 2, 4, 8, 16) s, each
    // rounded up to a second, then 30 s (77 s); two 429s 3 s each; the rest at once.
    EXPECT_LE(took, 77 + 6 + 1);
    std::printf("[ measured ] 10 messages, 6 × 500 then 2 × 429 (3 s) then 200: all sent after %d s (fake clock)\n",
                took);
}

TEST(DispatcherCatchUp, TooManyRequestsWaitsWhatWasAskedAndGrowsNoBackoff) {
    Backlogged b(no_folding());
    b.queue(1);
    int calls = 0;
    b.platform.answer = [&](const adapters::Outbound&) {
        ++calls;
        if (calls <= 5) return adapters::SendResult{Status::retry, "", "", std::chrono::seconds(2), "HTTP 429"};
        if (calls == 6) return adapters::SendResult{Status::retry, "", "", std::nullopt, "HTTP 502"};
        return adapters::SendResult{Status::sent, "", "", std::nullopt, ""};
    };
    b.start();
    const int took = b.run_until_sent(60);
    ASSERT_GE(took, 0);
    // Five 429s of 2 s, then a 502 as if it were the first failure (1–2 s), not the sixth (32 s).
    EXPECT_LE(took, 5 * 2 + 2 + 1);
    EXPECT_EQ(b.deliveries()[0].attempts, 7);
}

// A message the platform refuses on its own (5xx for it, the rest go through)
// holds the others only for a few tries; then they go, and it keeps trying.
TEST(DispatcherCatchUp, AMessageThatFailsAloneHoldsTheOthersOnlyForAFewTries) {
    Backlogged b(no_folding());
    b.queue(5);
    bool poison_fails = true;
    b.platform.answer = [&](const adapters::Outbound& out) {
        if (out.text == "n0" && poison_fails)
            return adapters::SendResult{Status::retry, "", "", std::nullopt, "HTTP 500"};
        return adapters::SendResult{Status::sent, "", "", std::nullopt, ""};
    };
    b.start();
    int seconds = 0;
    for (; seconds < 60; ++seconds) {
        const auto ds = b.deliveries();
        if (std::all_of(ds.begin() + 1, ds.end(), [](const Delivery& d) { return d.status == DeliveryStatus::sent; }))
            break;
        std::this_thread::sleep_for(10ms);
        b.clock.advance(1s);
        b.dispatcher->wake();
    }
    // Three tries held the others: at most 1.5 × (1 + 2 + 4) s, rounded up.
    EXPECT_LE(seconds, 13);
    EXPECT_EQ(b.deliveries()[0].status, DeliveryStatus::pending);
    {
        std::lock_guard lock(b.platform.mutex);
        poison_fails = false;
    }
    EXPECT_GE(b.run_until_sent(400), 0);
}

// A long backlog for one person becomes one catch-up message: every text in
// full, oldest first, the buttons kept (and written out as commands), and all
// the deliveries recorded as sent together.
TEST(DispatcherCatchUp, ABacklogForOneChatIsFoldedIntoOneCatchUp) {
    Backlogged b;  // folds 5 or more waiting over 2 minutes
    b.queue(8);
    int calls = 0;
    b.platform.answer = [&](const adapters::Outbound&) {
        if (++calls == 1) return adapters::SendResult{Status::retry, "", "", std::chrono::seconds(300), "HTTP 429"};
        return adapters::SendResult{Status::sent, "", "", std::nullopt, ""};
    };
    b.start();
    ASSERT_GE(b.run_until_sent(400), 0);
    std::lock_guard lock(b.platform.mutex);
    ASSERT_EQ(b.platform.calls.size(), 2u) << "not one catch-up";
    const auto& out = b.platform.calls[1];
    EXPECT_EQ(out.kind, MessageKind::catch_up);
    EXPECT_EQ(out.text.rfind("⏰ 8 messages could not be delivered on time", 0), 0u) << out.text;
    std::size_t at = 0;
    for (int i = 0; i < 8; ++i) {
        const auto next = out.text.find("]\nn" + std::to_string(i) + "\n↳ Done #" + std::to_string(i) + ": done " +
                                        std::to_string(i));
        ASSERT_NE(next, std::string::npos) << i << "\n" << out.text;
        EXPECT_GT(next, at) << "not oldest first";
        at = next;
    }
    ASSERT_EQ(out.buttons.size(), 8u);
    EXPECT_EQ(out.buttons[7].command, "done 7");
    EXPECT_EQ(out.idempotency_key,
              "fu-" + std::to_string(b.ids[0].value) + "-1795399200-" + std::to_string(b.ids[7].value));
    EXPECT_TRUE(out.retry);
    const auto ds = b.deliveries();
    for (const auto& d : ds) {
        EXPECT_EQ(d.status, DeliveryStatus::sent);
        EXPECT_EQ(d.platform_message_id, "m1");
    }
}

TEST(DispatcherCatchUp, AFoldKeepsToTheMessageSizeAndTheRecipientsLanguage) {
    Backlogged b;
    b.store->transact([&](Repo& r) {
        auto u = *r.user(b.user);
        u.lang = Lang::zh;
        r.update_user(u);
    });
    b.queue(12, 600);  // about 650 bytes each with its heading: five fit in 4,000
    int calls = 0;
    b.platform.answer = [&](const adapters::Outbound&) {
        if (++calls == 1) return adapters::SendResult{Status::retry, "", "", std::chrono::seconds(300), "HTTP 429"};
        return adapters::SendResult{Status::sent, "", "", std::nullopt, ""};
    };
    b.start();
    ASSERT_GE(b.run_until_sent(400), 0);
    std::lock_guard lock(b.platform.mutex);
    ASSERT_EQ(b.platform.calls.size(), 5u);  // a refused try, then 5 + 5 folded, then 2 alone
    EXPECT_EQ(b.platform.calls[1].text.rfind("⏰ 有 5 条消息未能按时送达，合并如下", 0), 0u) << b.platform.calls[1].text;
    EXPECT_NE(b.platform.calls[1].text.find("↳ Done #4：done 4"), std::string::npos);
    EXPECT_EQ(b.platform.calls[2].text.rfind("⏰ 有 5 条消息", 0), 0u);
    EXPECT_NE(b.platform.calls[2].text.find("\nn9 "), std::string::npos);
    EXPECT_EQ(b.platform.accepted.size(), 4u);
    for (const auto& c : b.platform.calls) EXPECT_LE(c.text.size(), 4000u);
    // Every text is in exactly one accepted message, in order.
    std::string all;
    for (const auto& t : b.platform.accepted) all += t + "\n";
    std::size_t at = 0;
    for (int i = 0; i < 12; ++i) {
        const std::string text = "n" + std::to_string(i) + " " + std::string(600, '.');
        const auto found = all.find(text);
        ASSERT_NE(found, std::string::npos) << i;
        EXPECT_EQ(all.find(text, found + 1), std::string::npos) << i << " twice";
        EXPECT_GE(found, at) << i;
        at = found;
    }
}

}  // namespace
}  // namespace fu::server
