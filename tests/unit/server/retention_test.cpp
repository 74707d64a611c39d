// The retention pass (server/retention.hpp): batch after batch until one comes
// back short, each its own piece of storage work so that commands queued
// meanwhile run between two batches; kinds kept forever (the audit log by
// default) are not touched; a failed batch, stop() or the end of this
// instance's leadership ends the pass early.
#include <gmock/gmock.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "failing_store.hpp"
#include "server/retention.hpp"
#include "server/storage_executor.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace fu::server {
namespace {

namespace asio = boost::asio;
using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr Seconds kDay{86400};
const TimePoint kT0 = from_unix(1732492800);
const TimePoint kNow = kT0 + 100 * kDay;

// Forwards to the real store; notes each of the pruner's transactions and can
// hold the first one until released.
class GatedStore final : public Store {
public:
    explicit GatedStore(Store& inner) : inner_(inner) {}
    void transact(const std::function<void(Repo&)>& fn) override {
        note("batch");
        if (gated_ && !passed_gate_) {
            passed_gate_ = true;
            started_.set_value();
            gate_.wait();
        }
        inner_.transact(fn);
    }
    void group(const std::function<void()>& body) override { inner_.group(body); }
    int schema_version() override { return inner_.schema_version(); }

    // The first transaction waits until release(); returns when it has started.
    std::future<void> gate_first() {
        gated_ = true;
        return started_.get_future();
    }
    void release() { released_.set_value(); }

    void note(std::string s) {
        std::lock_guard lock(mu_);
        log_.push_back(std::move(s));
    }
    std::vector<std::string> log() {
        std::lock_guard lock(mu_);
        return log_;
    }

private:
    Store& inner_;
    bool gated_ = false, passed_gate_ = false;
    std::promise<void> started_, released_;
    std::shared_future<void> gate_ = released_.get_future().share();
    std::mutex mu_;
    std::vector<std::string> log_;
};

struct Rig {
    explicit Rig(RetentionOptions o)
        : real(storage::SqliteStore::open(":memory:")),
          gated(*real),
          storage(gated),
          retention(storage, gated, clock, o) {}
    ~Rig() { storage.join(); }

    // Runs a pass on the storage thread; the future has its result.
    std::future<RetentionPass> start_pass() {
        auto done = std::make_shared<std::promise<RetentionPass>>();
        auto result = done->get_future();
        asio::co_spawn(storage.executor(), retention.pass(), [done](std::exception_ptr e, RetentionPass p) {
            if (e)
                done->set_exception(e);
            else
                done->set_value(std::move(p));
        });
        return result;
    }

    void seed(int events, int messages, int audits) {
        real->transact([&](Repo& r) {
            User u;
            u.handle = "wang";
            const auto wang = r.add_user(u);
            for (int i = 0; i < events; ++i) r.first_sighting("telegram", std::to_string(i), kT0);
            r.first_sighting("telegram", "recent", kNow - kDay);
            for (int i = 0; i < messages; ++i)
                r.enqueue(OutboxMessage{{}, wang, kT0, MessageKind::notice, "m", {}, {}});
            for (int i = 0; i < audits; ++i) r.append_audit(AuditEntry{{}, kT0, wang, "task.add", "task:1", ""});
        });
    }

    std::size_t audit_entries() {
        std::size_t n = 0;
        real->transact([&](Repo& r) { n = r.audit_tail(1000).size(); });
        return n;
    }

    FakeClock clock{kNow};
    std::unique_ptr<storage::SqliteStore> real;
    GatedStore gated;
    StorageExecutor storage;
    Retention retention;
};

RetentionOptions options(std::size_t batch) {
    RetentionOptions o;
    o.seen_events = 7 * kDay;
    o.outbox = 30 * kDay;
    o.batch = batch;
    return o;
}

TEST(RetentionPass, PrunesBatchAfterBatchUntilOneComesBackShortAndKeepsTheAuditLogByDefault) {
    Rig rig(options(100));
    rig.seed(250, 5, 3);
    const auto p = rig.start_pass().get();
    EXPECT_TRUE(p.complete);
    EXPECT_THAT(p.deleted, UnorderedElementsAre(Pair("seen_events", 250u), Pair("outbox", 5u), Pair("sign_ins", 0u)));
    // seen events 100 + 100 + 50; outbox 5; sign-ins 0.
    EXPECT_EQ(p.batches, 5u);
    EXPECT_EQ(rig.audit_entries(), 3u);
    // What is recent stays: a second pass finds nothing.
    const auto again = rig.start_pass().get();
    EXPECT_THAT(again.deleted, UnorderedElementsAre(Pair("seen_events", 0u), Pair("outbox", 0u), Pair("sign_ins", 0u)));
}

TEST(RetentionPass, TheAuditLogGoesOnlyWhenConfigured) {
    auto o = options(100);
    o.audit = 30 * kDay;
    o.seen_events = Seconds{0};  // kept forever: not even asked
    Rig rig(o);
    rig.seed(10, 0, 3);
    const auto p = rig.start_pass().get();
    EXPECT_THAT(p.deleted, UnorderedElementsAre(Pair("outbox", 0u), Pair("audit", 3u), Pair("sign_ins", 0u)));
    EXPECT_EQ(rig.audit_entries(), 0u);
}

TEST(RetentionPass, ACommandQueuedDuringABatchRunsBeforeTheNextBatch) {
    Rig rig(options(100));
    rig.seed(250, 0, 0);
    auto started = rig.gated.gate_first();
    auto pass = rig.start_pass();
    started.wait();  // the first batch holds the storage thread
    asio::io_context ioc;
    auto work = asio::make_work_guard(ioc);
    bool answered = false;
    auto command = [&] {
        rig.real->transact([&](Repo& r) { r.add_team(Team{{}, "East"}); });
        rig.gated.note("command");
    };
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            co_await rig.storage.run(command);
            answered = true;
        },
        asio::detached);
    ioc.poll();  // queued behind the batch
    rig.gated.release();
    const auto p = pass.get();
    while (!answered) ioc.run_one();
    EXPECT_EQ(p.deleted.at("seen_events"), 250u);
    // Not behind the whole pass: right after the batch it waited for.
    EXPECT_THAT(rig.gated.log(), ElementsAre("batch", "command", "batch", "batch", "batch", "batch"));
}

TEST(RetentionPass, StopEndsThePassBetweenBatches) {
    Rig rig(options(100));
    rig.seed(250, 0, 0);
    auto started = rig.gated.gate_first();
    auto pass = rig.start_pass();
    started.wait();
    rig.retention.stop();
    rig.gated.release();
    const auto p = pass.get();
    EXPECT_FALSE(p.complete);
    EXPECT_EQ(p.batches, 1u);
    EXPECT_EQ(p.deleted.at("seen_events"), 100u);
}

// Several instances: only the leader prunes, and one that stops leading
// mid-pass starts no further batch.
TEST(RetentionPass, AnInstanceThatDoesNotLeadPrunesNothingAndOneThatStopsLeadingStopsBetweenBatches) {
    Rig rig(options(100));
    std::atomic<bool> leading{false};
    rig.retention.set_leader([&] { return leading.load(); });
    rig.seed(250, 0, 0);
    const auto follower = rig.start_pass().get();
    EXPECT_FALSE(follower.complete);
    EXPECT_EQ(follower.batches, 0u);
    EXPECT_TRUE(rig.gated.log().empty()) << "a follower touched the database";

    leading = true;
    auto started = rig.gated.gate_first();
    auto pass = rig.start_pass();
    started.wait();
    leading = false;  // its lease lapsed while the first batch ran
    rig.gated.release();
    const auto p = pass.get();
    EXPECT_FALSE(p.complete);
    EXPECT_EQ(p.batches, 1u);
    EXPECT_EQ(p.deleted.at("seen_events"), 100u);
}

TEST(RetentionPass, AFailedBatchEndsThePassAndTheNextOneGoesOn) {
    auto real = storage::SqliteStore::open(":memory:");
    test::FailingStore failing(*real);
    FakeClock clock(kNow);
    StorageExecutor storage(failing);
    Retention retention(storage, failing, clock, options(100));
    real->transact([&](Repo& r) {
        for (int i = 0; i < 250; ++i) r.first_sighting("telegram", std::to_string(i), kT0);
    });
    auto run_pass = [&] {
        std::promise<RetentionPass> done;
        asio::co_spawn(storage.executor(), retention.pass(), [&](std::exception_ptr e, RetentionPass p) {
            if (e)
                done.set_exception(e);
            else
                done.set_value(std::move(p));
        });
        return done.get_future().get();
    };
    failing.fail_at(2);  // the second batch's delete fails (a lost connection, a full disk)
    const auto first = run_pass();
    EXPECT_FALSE(first.complete);
    EXPECT_EQ(first.deleted.at("seen_events"), 100u);
    EXPECT_FALSE(first.deleted.contains("outbox"));
    failing.fail_at(0);
    const auto second = run_pass();
    EXPECT_TRUE(second.complete);
    EXPECT_EQ(second.deleted.at("seen_events"), 150u);
    storage.join();
}

}  // namespace
}  // namespace fu::server
