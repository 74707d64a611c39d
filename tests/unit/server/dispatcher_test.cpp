// The delivery dispatcher against a scripted platform: sent, retried, 429, refused, late.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>

#include <deque>
#include <future>
#include <mutex>
#include <thread>

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
    explicit Rig(std::string fallback_platform = "") : clock(from_unix(1795399200)) {
        store = storage::SqliteStore::open(":memory:");
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
            Delivery d;
            d.message = m.id;
            d.platform = "fake";
            d.recipient = "u1";
            d.chat_id = chat;
            d.next_attempt = clock.now();
            d.created_at = clock.now();
            id = r.add_delivery(d);
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
    StorageExecutor storage;
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

class SlowChats final : public adapters::Adapter {
public:
    std::string_view name() const override { return "fake"; }
    adapters::Limits limits() const override { return {1000, 1}; }  // one message per second per chat
    boost::asio::awaitable<adapters::Intake> intake(const net::Request&) override {
        co_return adapters::Intake{net::Response{}, {}, {}};
    }
    boost::asio::awaitable<adapters::SendResult> send(adapters::Outbound out) override {
        std::lock_guard lock(mutex);
        chats.push_back(out.chat_id);
        co_return adapters::SendResult{Status::sent, "m", "", std::nullopt, ""};
    }
    std::mutex mutex;
    std::vector<std::string> chats;
};

TEST(Dispatcher, ABusyChatDoesNotHoldUpTheOthers) {
    FakeClock clock(from_unix(1795399200));
    auto store = storage::SqliteStore::open(":memory:");
    UserId user;
    std::vector<DeliveryId> ids;
    store->transact([&](Repo& r) {
        User u;
        u.handle = "maria";
        user = r.add_user(u);
        // Five messages for chat A, then one for chat B.
        for (int i = 0; i < 6; ++i) {
            OutboxMessage m{{}, user, clock.now(), MessageKind::notice, "n", {}, {}};
            m.id = r.enqueue(m);
            Delivery d;
            d.message = m.id;
            d.platform = "fake";
            d.recipient = "u";
            d.chat_id = i < 5 ? "A" : "B";
            d.next_attempt = clock.now();
            d.created_at = clock.now();
            ids.push_back(r.add_delivery(d));
        }
    });
    StorageExecutor storage;
    Metrics metrics;
    SlowChats platform;
    boost::asio::io_context ioc;
    auto work = boost::asio::make_work_guard(ioc);
    Dispatcher dispatcher(ioc.get_executor(), storage, *store, platform, clock, metrics);
    dispatcher.start();
    std::thread io([&] { ioc.run(); });
    bool b_sent = false;
    for (int i = 0; i < 200 && !b_sent; ++i) {
        std::this_thread::sleep_for(5ms);
        std::lock_guard lock(platform.mutex);
        b_sent = std::find(platform.chats.begin(), platform.chats.end(), "B") != platform.chats.end();
    }
    dispatcher.stop();
    work.reset();
    io.join();
    storage.join();
    EXPECT_TRUE(b_sent) << "chat B waited behind chat A";
    std::lock_guard lock(platform.mutex);
    EXPECT_EQ(std::count(platform.chats.begin(), platform.chats.end(), "A"), 1);  // the rest wait their turn
    std::optional<Delivery> second;
    store->transact([&](Repo& r) { second = r.delivery(ids[1]); });
    EXPECT_EQ(second->status, DeliveryStatus::pending);
    EXPECT_EQ(second->next_attempt, clock.now() + 1s);
}

}  // namespace
}  // namespace fu::server
