// Several instances' dispatchers on one database: each delivery sent once,
// the platform's rate shared among them, and a chat's rate kept by all
// together.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "server/dispatcher.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace fu::server {
namespace {

using namespace std::chrono_literals;
using Status = adapters::SendResult::Status;

// Queues `n` notices "n0", "n1" … to one user, each with a pending delivery
// on the platform "fake" to chat `chat(i)`; returns the deliveries' ids.
std::vector<DeliveryId> queue_notices(Store& store, const Clock& clock, int n,
                                      const std::function<std::string(int)>& chat) {
    std::vector<DeliveryId> ids;
    store.transact([&](Repo& r) {
        User u;
        u.handle = "maria";
        const auto user = r.add_user(u);
        for (int i = 0; i < n; ++i) {
            OutboxMessage m{{}, user, clock.now(), MessageKind::notice, "n" + std::to_string(i), {}, {}};
            m.id = r.enqueue(m);
            ids.push_back(r.add_delivery(pending_delivery(m.id, "fake", "u", chat(i), clock.now())));
        }
    });
    return ids;
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
    const auto ids = queue_notices(*store, clock, 20, [](int i) { return "chat" + std::to_string(i); });
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

// A platform that takes `per_second` sends a second overall and `per_chat` to
// each chat, and notes when each came.
class RatedPlatform final : public adapters::Adapter {
public:
    explicit RatedPlatform(double per_second, double per_chat = 1000) : per_second_(per_second), per_chat_(per_chat) {}
    std::string_view name() const override { return "fake"; }
    adapters::Limits limits() const override { return {per_second_, per_chat_}; }
    boost::asio::awaitable<adapters::Intake> intake(const net::Request&) override {
        co_return adapters::Intake{net::Response{}, {}, {}};
    }
    boost::asio::awaitable<adapters::SendResult> send(adapters::Outbound out) override {
        std::lock_guard lock(mutex_);
        times_.push_back(std::chrono::steady_clock::now());
        texts_.push_back(out.text);
        co_return adapters::SendResult{Status::sent, "m" + std::to_string(times_.size()), "", {}, ""};
    }
    std::vector<std::chrono::steady_clock::time_point> times() {
        std::lock_guard lock(mutex_);
        return times_;
    }
    std::vector<std::string> texts() {
        std::lock_guard lock(mutex_);
        return texts_;
    }

private:
    double per_second_;
    double per_chat_;
    std::mutex mutex_;
    std::vector<std::chrono::steady_clock::time_point> times_;
    std::vector<std::string> texts_;
};

// One instance of two (Leadership counts two live): it sends at half the
// platform's rate, 10 a second of 20, so that with the other it keeps to it.
TEST(Dispatcher, OneOfTwoInstancesSendsAtHalfThePlatformsRate) {
    FakeClock clock(from_unix(1795399200));
    auto store = storage::SqliteStore::open(":memory:");
    constexpr int kSends = 11;
    queue_notices(*store, clock, kSends, [](int i) { return "chat" + std::to_string(i); });
    StorageExecutor storage{*store};
    Metrics metrics;
    RatedPlatform platform(20);
    boost::asio::io_context ioc;
    auto work = boost::asio::make_work_guard(ioc);
    DispatcherOptions options{15min, 300s, 50, ""};
    options.claim = true;
    std::atomic<int> asked{0};
    options.instances = [&] {
        ++asked;
        return std::size_t{2};
    };
    Dispatcher dispatcher(ioc.get_executor(), storage, *store, platform, clock, metrics, options);
    dispatcher.start();
    std::thread io([&] { ioc.run(); });
    for (int i = 0; i < 600 && platform.times().size() < kSends; ++i) std::this_thread::sleep_for(5ms);
    dispatcher.stop();
    work.reset();
    io.join();
    storage.join();
    const auto times = platform.times();
    ASSERT_EQ(times.size(), std::size_t{kSends});
    // 10 intervals of 100 ms (less what the first send's claim took). At the
    // platform's whole rate they would take 500 ms.
    const auto span = std::chrono::duration_cast<std::chrono::milliseconds>(times.back() - times.front());
    EXPECT_GE(span.count(), 950) << "one of two instances sent at more than half the platform's rate";
    EXPECT_GE(asked.load(), kSends) << "the number of instances is read at every send";
}

// Two instances send to one chat (both read the same due deliveries), the
// second started between two of the first's sends. Each takes the chat's
// turn in the database with its claim: together they keep to the platform's
// 5 sends a second per chat, oldest first. Each alone would pace only its
// own sends, and the second would send between two of the first's.
TEST(Dispatcher, TwoInstancesTogetherKeepToAChatsRate) {
    SystemClock clock;  // the turns are wall-clock times
    auto store = storage::SqliteStore::open(":memory:");
    constexpr int kSends = 6;
    queue_notices(*store, clock, kSends, [](int) { return std::string("one chat"); });
    StorageExecutor storage{*store};
    Metrics metrics;
    RatedPlatform platform(1000, 5);
    boost::asio::io_context ioc;
    auto work = boost::asio::make_work_guard(ioc);
    DispatcherOptions options{15min, 300s, 50, ""};
    options.claim = true;
    options.fold_min = 0;  // one by one, as sent
    Dispatcher a(ioc.get_executor(), storage, *store, platform, clock, metrics, options);
    Dispatcher b(ioc.get_executor(), storage, *store, platform, clock, metrics, options);
    a.start();
    std::thread io([&] { ioc.run(); });
    std::this_thread::sleep_for(100ms);  // between a's sends: by its own pace, b would send now
    b.start();
    for (int i = 0; i < 1600 && platform.times().size() < kSends; ++i) std::this_thread::sleep_for(5ms);
    std::this_thread::sleep_for(300ms);  // a send too many would come now
    a.stop();
    b.stop();
    work.reset();
    io.join();
    storage.join();
    const auto times = platform.times();
    ASSERT_EQ(times.size(), std::size_t{kSends}) << "each delivery sent once, and every one";
    const auto texts = platform.texts();
    for (int i = 0; i < kSends; ++i) EXPECT_EQ(texts[i], "n" + std::to_string(i)) << "oldest first";
    for (std::size_t i = 1; i < times.size(); ++i) {
        const auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(times[i] - times[i - 1]);
        EXPECT_GE(gap.count(), 190) << "sends " << i - 1 << " and " << i << " to one chat, at 5 a second";
    }
}

}  // namespace
}  // namespace fu::server
