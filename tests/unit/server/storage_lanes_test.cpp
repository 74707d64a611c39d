// Several lanes in the storage executor (PostgreSQL's storage.connections):
// work runs on its lane's own store; work with one key keeps its order on one
// lane; other work goes to a lane that is free; work that runs alone waits for
// the other lanes and they wait for it; and a piece or a group that lost to
// another transaction (StoreConflict) runs again.
#include <gmock/gmock.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <atomic>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "server/storage_executor.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage_test_kit.hpp"

namespace fu::server {
namespace {

namespace asio = boost::asio;
using ::testing::ElementsAre;

struct Conflict : std::runtime_error, StoreConflict {
    Conflict() : std::runtime_error("deadlock detected") {}
};

using Log = test::OrderedLog;

std::vector<std::string> teams(Store& s) {
    std::vector<std::string> out;
    s.transact([&](Repo& r) {
        for (const auto& t : r.teams()) out.push_back(t.name);
    });
    return out;
}

// Two lanes, each on a database of its own, so that where a piece ran shows
// in which database its write is.
struct Rig {
    Rig() : a(storage::SqliteStore::open(":memory:")), b(storage::SqliteStore::open(":memory:")) {}
    ~Rig() { storage.join(); }

    template <class Run>
    void spawn(std::string name, Run run) {
        asio::co_spawn(
            ioc,
            [this, name, run]() -> asio::awaitable<void> {
                try {
                    co_await run();
                    log.note("answered " + name);
                } catch (const std::exception& e) {
                    log.note("failed " + name + ": " + e.what());
                }
                ++finished;
            },
            asio::detached);
        ioc.poll();
    }
    // A piece that holds its lane until the returned promise is set.
    std::promise<void> hold(std::size_t lane) {
        auto held = test::held_piece();
        spawn("hold " + std::to_string(lane),
              [this, lane, wait = held.piece]() { return storage.run_keyed(lane, wait); });
        held.started.wait();
        return std::move(held.release);
    }
    std::function<void()> add_team(std::string name) {
        return [this, name] {
            storage.store().transact([&](Repo& r) { r.add_team(Team{{}, name}); });
            log.note("ran " + name + " on " + std::to_string(StorageExecutor::current_lane()));
        };
    }
    void wait_for(int n) {
        while (finished < n) ioc.run_one();
    }

    Log log;
    std::unique_ptr<storage::SqliteStore> a, b;
    asio::io_context ioc;
    asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
    int finished = 0;
    StorageExecutor storage{std::vector<Store*>{a.get(), b.get()}};
};

TEST(Lanes, WorkRunsOnItsLaneWithThatLanesOwnStore) {
    Rig rig;
    EXPECT_EQ(rig.storage.lanes(), 2u);
    rig.spawn("A", [&, f = rig.add_team("A")]() { return rig.storage.run_keyed(0, f); });
    rig.spawn("B", [&, f = rig.add_team("B")]() { return rig.storage.run_keyed(1, f); });
    rig.spawn("C", [&, f = rig.add_team("C")]() { return rig.storage.run_keyed(3, f); });  // 3 % 2
    rig.wait_for(3);
    EXPECT_THAT(teams(*rig.a), ElementsAre("A"));
    EXPECT_THAT(teams(*rig.b), ElementsAre("B", "C"));
    EXPECT_EQ(StorageExecutor::current_lane(), StorageExecutor::kNoLane);  // not a storage thread
}

TEST(Lanes, WorkWithOneKeyRunsInTheOrderItCame) {
    Rig rig;
    auto release = rig.hold(1);
    std::vector<std::string> names;
    for (int i = 0; i < 20; ++i) {
        names.push_back("T" + std::to_string(i));
        rig.spawn(names.back(), [&, f = rig.add_team(names.back())]() { return rig.storage.run_keyed(7, f); });
    }
    release.set_value();
    rig.wait_for(21);
    auto stored = teams(*rig.b);
    EXPECT_EQ(stored.size(), 20u);
    std::vector<std::string> ran;
    for (const auto& l : rig.log.snapshot())
        if (l.starts_with("ran ")) ran.push_back(l.substr(4, l.find(' ', 4) - 4));
    EXPECT_EQ(ran, names);
    EXPECT_TRUE(teams(*rig.a).empty());
}

TEST(Lanes, WorkWithoutAKeyGoesToALaneThatIsFree) {
    Rig rig;
    auto release = rig.hold(0);
    rig.spawn("A", [&, f = rig.add_team("A")]() { return rig.storage.run(f); });
    rig.wait_for(1);  // answered while lane 0 is still held
    EXPECT_THAT(teams(*rig.b), ElementsAre("A"));
    release.set_value();
    rig.wait_for(2);
}

TEST(Lanes, WorkThatRunsAloneWaitsForTheOtherLanesAndTheyWaitForIt) {
    Rig rig;
    auto release_b = rig.hold(1);
    std::promise<void> alone_started;
    auto alone_gate = std::make_shared<std::promise<void>>();
    auto alone_wait = alone_gate->get_future().share();
    auto alone = [&, alone_wait] {
        rig.log.note("alone");
        alone_started.set_value();
        alone_wait.wait();
        rig.log.note("alone done");
    };
    rig.spawn("alone", [&, alone]() { return rig.storage.run_alone(alone); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_TRUE(rig.log.snapshot().empty()) << "ran while lane 1 was in a group";
    release_b.set_value();
    alone_started.get_future().wait();
    // Now lane 1 waits for it.
    rig.spawn("B", [&, f = rig.add_team("B")]() { return rig.storage.run_keyed(1, f); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_THAT(rig.log.snapshot(), ElementsAre("alone", "answered hold 1"));  // no "ran B" yet
    alone_gate->set_value();
    rig.wait_for(3);
    const auto lines = rig.log.snapshot();
    const auto at = [&](const std::string& line) {
        return std::find(lines.begin(), lines.end(), line) - lines.begin();
    };
    EXPECT_LT(at("alone done"), at("ran B on 1"));
    EXPECT_LT(at("ran B on 1"), static_cast<long>(lines.size()));
}

TEST(Lanes, APieceThatLostToAnotherTransactionRunsAgainInItsGroup) {
    auto real = storage::SqliteStore::open(":memory:");
    StorageExecutor storage(*real);
    asio::io_context ioc;
    int tries = 0, always = 0, finished = 0;
    std::string failed;
    auto flaky = [&] {
        storage.store().transact([&](Repo& r) {
            r.add_team(Team{{}, "A" + std::to_string(++tries)});
            if (tries == 1) throw Conflict();
        });
    };
    auto hopeless = [&] {
        ++always;
        storage.store().transact([](Repo&) { throw Conflict(); });
    };
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            co_await storage.run(flaky);
            ++finished;
            try {
                co_await storage.run(hopeless);
            } catch (const std::exception& e) {
                failed = e.what();
            }
            ++finished;
        },
        asio::detached);
    ioc.run();
    storage.join();
    EXPECT_EQ(finished, 2);
    EXPECT_EQ(tries, 2);
    EXPECT_THAT(teams(*real), ElementsAre("A2"));  // the first try was undone
    EXPECT_EQ(always, StorageExecutor::kConflictTries);
    EXPECT_EQ(failed, "deadlock detected");
}

// Throws a conflict at the commit of its first group.
class ConflictOnceStore final : public Store {
public:
    ConflictOnceStore(Store& inner, Log& log) : inner_(inner), log_(log) {}
    void transact(const std::function<void(Repo&)>& fn) override { inner_.transact(fn); }
    void group(const std::function<void()>& body) override {
        log_.note("group");
        inner_.group([&] {
            body();
            if (groups_++ == 0) throw Conflict();
        });
        log_.note("commit");
    }
    int schema_version() override { return inner_.schema_version(); }

private:
    Store& inner_;
    Log& log_;
    int groups_ = 0;
};

TEST(Lanes, AGroupWhoseCommitLostRunsAgainWholeAndIsStoredOnce) {
    Log log;
    auto real = storage::SqliteStore::open(":memory:");
    ConflictOnceStore store(*real, log);
    StorageExecutor storage(store);
    asio::io_context ioc;
    std::uint64_t first_group = 0, second_group = 0;
    int after = 0;
    auto add = [&] {
        (first_group ? second_group : first_group) = StorageExecutor::current_group();
        storage.store().transact([](Repo& r) { r.add_team(Team{{}, "A"}); });
        StorageExecutor::after_commit([&] { ++after; });
        log.note("ran A");
    };
    bool answered = false;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            co_await storage.run(add);
            answered = true;
        },
        asio::detached);
    ioc.run();
    storage.join();
    EXPECT_TRUE(answered);
    EXPECT_THAT(log.snapshot(), ElementsAre("group", "ran A", "group", "ran A", "commit"));
    EXPECT_THAT(teams(*real), ElementsAre("A"));
    EXPECT_EQ(after, 1);                   // what the lost group meant to do after its commit never ran
    EXPECT_NE(first_group, second_group);  // a group of its own: Effects starts afresh
}

}  // namespace
}  // namespace fu::server
