// Group commit in the storage executor: work queued while the storage thread
// was busy runs as one group; a piece that fails is undone alone and its
// caller gets the error; no caller resumes before the group is committed; a
// failed commit fails every piece of the group and stores none of it.
#include <gmock/gmock.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/storage_executor.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage_test_kit.hpp"

namespace fu::server {
namespace {

namespace asio = boost::asio;
using ::testing::ElementsAre;

using Log = test::OrderedLog;

using test::RecordingStore;

struct Rig {
    Rig() : real(storage::SqliteStore::open(":memory:")), store(*real, log), storage(store) {}
    ~Rig() { storage.join(); }

    // Holds the storage thread until release(), so that what is queued
    // meanwhile forms one group.
    void hold() {
        auto held = test::held_piece();
        release_ = std::move(held.release);
        asio::co_spawn(
            ioc,
            [this, wait = held.piece]() -> asio::awaitable<void> {
                co_await storage.run(wait);
                ++finished;
            },
            asio::detached);
        ioc.poll();
        held.started.wait();
    }
    void release() { release_.set_value(); }

    // Queues `fn` as one piece; the caller notes "answered <name>" or "failed <name>: <error>".
    template <class F>
    void queue(std::string name, F fn) {
        asio::co_spawn(
            ioc,
            [this, name, fn]() -> asio::awaitable<void> {
                try {
                    co_await storage.run(fn);
                    log.note("answered " + name);
                } catch (const std::exception& e) {
                    log.note("failed " + name + ": " + e.what());
                }
                ++finished;
            },
            asio::detached);
        ioc.poll();  // runs the coroutine up to its co_await: the piece is queued
    }

    void wait_for(int n) {
        while (finished < n) ioc.run_one();
    }

    std::vector<std::string> teams() {
        std::vector<std::string> out;
        real->transact([&](Repo& r) {
            for (const auto& t : r.teams()) out.push_back(t.name);
        });
        return out;
    }

    std::function<void()> add_team(std::string name) {
        return [this, name] {
            store.transact([&](Repo& r) { r.add_team(Team{{}, name}); });
            log.note("ran " + name);
        };
    }

    Log log;
    std::unique_ptr<storage::SqliteStore> real;
    RecordingStore store;
    asio::io_context ioc;
    asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
    int finished = 0;
    std::promise<void> release_;
    StorageExecutor storage;
};

TEST(GroupCommit, WorkQueuedMeanwhileIsOneGroupAndNoCallerResumesBeforeItsCommit) {
    Rig rig;
    rig.hold();
    for (const char* name : {"A", "B", "C"}) rig.queue(name, rig.add_team(name));
    rig.release();
    rig.wait_for(4);
    EXPECT_THAT(rig.log.snapshot(), ElementsAre("group", "commit",                             // the held piece alone
                                                "group", "ran A", "ran B", "ran C", "commit",  // one commit for three
                                                "answered A", "answered B", "answered C"));
    EXPECT_THAT(rig.teams(), ElementsAre("A", "B", "C"));
}

TEST(GroupCommit, APieceThatFailsIsUndoneAloneAndOnlyItsCallerGetsTheError) {
    Rig rig;
    rig.hold();
    rig.queue("A", rig.add_team("A"));
    rig.queue("B", [&] {
        rig.store.transact([](Repo& r) {
            r.add_team(Team{{}, "B"});
            throw std::runtime_error("no such task");
        });
    });
    rig.queue("C", rig.add_team("C"));
    rig.release();
    rig.wait_for(4);
    EXPECT_THAT(rig.log.snapshot(), ElementsAre("group", "commit", "group", "ran A", "ran C", "commit", "answered A",
                                                "failed B: no such task", "answered C"));
    EXPECT_THAT(rig.teams(), ElementsAre("A", "C"));
}

TEST(GroupCommit, AFailedCommitFailsEveryPieceStoresNoneAndRunsNothingMeantForAfterIt) {
    Rig rig;
    rig.hold();
    rig.queue("A", rig.add_team("A"));
    rig.queue("B", [&] {
        rig.store.transact([](Repo& r) { r.add_team(Team{{}, "B"}); });
        EXPECT_TRUE(StorageExecutor::after_commit([&] { rig.log.note("after B"); }));
    });
    rig.store.fail_commit_of_group(2);  // the held piece's is the first
    rig.release();
    rig.wait_for(3);
    EXPECT_THAT(rig.log.snapshot(),
                ElementsAre("group", "commit", "group", "ran A", "failed A: disk full", "failed B: disk full"));
    EXPECT_TRUE(rig.teams().empty());
    // The executor goes on: the next piece is stored.
    rig.queue("C", rig.add_team("C"));
    rig.wait_for(4);
    EXPECT_THAT(rig.teams(), ElementsAre("C"));
}

TEST(GroupCommit, WhatFollowsACommitRunsAfterItAndBeforeTheCallersResume) {
    Rig rig;
    rig.hold();
    rig.queue("A", [&] {
        rig.store.transact([](Repo& r) { r.add_team(Team{{}, "A"}); });
        EXPECT_EQ(StorageExecutor::current_group() != 0, true);
        StorageExecutor::after_commit([&] { rig.log.note("after A"); });
    });
    rig.release();
    rig.wait_for(2);
    EXPECT_THAT(rig.log.snapshot(), ElementsAre("group", "commit", "group", "commit", "after A", "answered A"));
    EXPECT_FALSE(StorageExecutor::after_commit([] {}));  // not inside a group
    EXPECT_EQ(StorageExecutor::current_group(), 0u);
}

TEST(GroupCommit, AGroupHoldsAtMostTheBoundAndTheRestFollowInTheNext) {
    Log log;
    auto real = storage::SqliteStore::open(":memory:");
    RecordingStore store(*real, log);
    asio::io_context ioc;
    auto guard = asio::make_work_guard(ioc);
    StorageExecutor storage(store, 2);
    std::promise<void> released;
    auto gate = released.get_future().share();
    std::promise<void> started;
    int finished = 0;
    auto hold = [&] {
        started.set_value();
        gate.wait();
    };
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            co_await storage.run(hold);
            ++finished;
        },
        asio::detached);
    ioc.poll();
    started.get_future().wait();
    for (int i = 0; i < 5; ++i) {
        auto add = [&, i] { store.transact([&](Repo& r) { r.add_team(Team{{}, "T" + std::to_string(i)}); }); };
        asio::co_spawn(
            ioc,
            [&, add]() -> asio::awaitable<void> {
                co_await storage.run(add);
                ++finished;
            },
            asio::detached);
        ioc.poll();
    }
    released.set_value();
    while (finished < 6) ioc.run_one();
    storage.join();
    int groups = 0;
    for (const auto& l : log.snapshot()) groups += l == "group";
    EXPECT_EQ(groups, 1 + 3);  // the held piece, then 2 + 2 + 1
}

}  // namespace
}  // namespace fu::server
