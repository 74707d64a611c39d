// What follows a commit (server/effects.hpp): the senders of the platforms
// named are woken and no other (every one when the platforms are unknown),
// the live streams of the users named are woken and other instances told of
// them, the scheduler re-armed only when the schedule may have changed; and
// inside a group of the storage executor all of it waits for the group's
// commit, happens once for the whole group, and not at all if the commit fails.
#include <gmock/gmock.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "server/effects.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage_test_kit.hpp"

namespace fu::server {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using ::testing::ElementsAre;

using Log = test::OrderedLog;

using test::RecordingStore;

BotOptions quiet() {
    BotOptions o;
    o.sop.daily_digest = false;
    o.sop.weekly_report = false;
    return o;
}

struct Rig {
    Rig() : real(storage::SqliteStore::open(":memory:")), store(*real, log, /*note_starts=*/false) {
        real->transact([&](Repo& r) {
            const auto team = r.add_team(Team{{}, "East Sales"});
            for (const char* handle : {"maria", "wang", "olaf"}) {
                User u;
                u.handle = handle;
                u.display_name = handle;
                u.role = Role::rep;
                u.team = team;
                u.lang = Lang::en;
                u.time_zone = "Asia/Shanghai";
                users.push_back(r.add_user(u));
            }
        });
        for (const char* platform : {"telegram", "feishu", "slack"})
            effects.add_sender(platform, [this, platform] { log.note(std::string("wake ") + platform); });
        effects.set_announce([this](const std::vector<UserId>& who) {
            std::string line = "announce";
            for (const auto u : who) line += " " + std::to_string(u.value);
            log.note(line);
        });
    }
    ~Rig() {
        scheduler.stop();
        storage.join();
    }

    // Runs f on the storage thread, outside any group (as after a plain commit).
    template <class F>
    void on_storage_thread(F f) {
        std::promise<void> done;
        asio::post(storage.executor(), [&] {
            f();
            done.set_value();
        });
        done.get_future().get();
    }

    // Holds the storage thread until the returned promise is set, so that
    // what is queued meanwhile forms one group.
    std::promise<void> hold() {
        auto held = test::held_piece();
        asio::co_spawn(
            ioc,
            [this, wait = held.piece]() -> asio::awaitable<void> {
                co_await storage.run(wait);
                ++finished;
            },
            asio::detached);
        ioc.poll();
        held.started.wait();
        return std::move(held.release);
    }
    // Queues a piece that reports `changes`; its caller notes "answered <name>" or "failed <name>".
    void queue(std::string name, Changes changes) {
        auto piece = [this, name, changes] {
            effects.committed(changes);
            log.note("ran " + name);
        };
        asio::co_spawn(
            ioc,
            [this, name, piece]() -> asio::awaitable<void> {
                try {
                    co_await storage.run(piece);
                    log.note("answered " + name);
                } catch (const std::exception& e) {
                    log.note("failed " + name + ": " + e.what());
                }
                ++finished;
            },
            asio::detached);
        ioc.poll();
    }
    void wait_for(int n) {
        while (finished < n) ioc.run_one();
    }

    // Live streams, one per user, on an executor of their own: each wake-up
    // posts one handler there, so hub_ioc.poll() counts them.
    std::vector<std::shared_ptr<EventHub::Subscriber>> subscribe_all() {
        std::vector<std::shared_ptr<EventHub::Subscriber>> subs;
        for (const auto u : users) subs.push_back(hub.subscribe(u, hub_ioc.get_executor()));
        return subs;
    }

    Log log;
    FakeClock clock{from_unix(1795399200)};  // Monday 2026-11-23 10:00 in Asia/Shanghai
    std::unique_ptr<storage::SqliteStore> real;
    RecordingStore store;
    std::vector<UserId> users;
    Bot bot{store, clock, quiet()};
    asio::io_context ioc;
    asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
    asio::io_context hub_ioc;
    asio::executor_work_guard<asio::io_context::executor_type> hub_work{hub_ioc.get_executor()};
    int finished = 0;
    EventHub hub;
    StorageExecutor storage{store};
    Scheduler scheduler{storage, bot, clock};
    Effects effects{scheduler, hub};
};

TEST(Effects, WakesTheSendersOfThePlatformsNamedAndNoOther) {
    Rig rig;
    rig.effects.committed(Changes{{}, {"feishu", "line"}, false, false});  // no sender for "line"
    EXPECT_THAT(rig.log.snapshot(), ElementsAre("wake feishu"));
    rig.effects.committed(Changes{{}, {}, false, false});
    EXPECT_THAT(rig.log.snapshot(), ElementsAre("wake feishu"));
}

TEST(Effects, WakesEverySenderWhenThePlatformsAreUnknown) {
    Rig rig;
    rig.effects.committed(Changes{{}, {"feishu"}, true, false});
    auto woken = rig.log.snapshot();
    std::sort(woken.begin(), woken.end());
    EXPECT_THAT(woken, ElementsAre("wake feishu", "wake slack", "wake telegram"));  // each once
}

TEST(Effects, WakesTheStreamsOfTheUsersNamedAndTellsOtherInstances) {
    Rig rig;
    const auto subs = rig.subscribe_all();
    rig.effects.committed(Changes{{rig.users[0], rig.users[2]}, {}, false, false});
    EXPECT_TRUE(subs[0]->pending);
    EXPECT_FALSE(subs[1]->pending);
    EXPECT_TRUE(subs[2]->pending);
    EXPECT_EQ(rig.hub_ioc.poll(), 2u);
    EXPECT_THAT(rig.log.snapshot(), ElementsAre("announce " + std::to_string(rig.users[0].value) + " " +
                                                std::to_string(rig.users[2].value)));
    // Nobody to tell: no announcement.
    rig.effects.committed(Changes{{}, {"slack"}, false, false});
    EXPECT_EQ(rig.log.snapshot().back(), "wake slack");
    EXPECT_EQ(rig.log.snapshot().size(), 2u);
}

TEST(Effects, ReArmsTheSchedulerOnlyWhenTheScheduleMayHaveChanged) {
    Rig rig;
    std::promise<void> fired;
    auto fired_f = fired.get_future();
    rig.scheduler.on_fired([&](const std::vector<UserId>&) { fired.set_value(); });
    rig.scheduler.start();
    for (int i = 0; i < 200 && !rig.scheduler.last_ran(); ++i) std::this_thread::sleep_for(10ms);
    ASSERT_TRUE(rig.scheduler.last_ran());  // it looked, found nothing, and waits a minute
    // A follow-up the loop does not know of, then due: only a re-arm makes it look.
    rig.on_storage_thread([&] {
        rig.bot.handle("maria", "customer add Acme");
        rig.bot.handle("maria", "followup Acme in 10m call");
    });
    rig.clock.advance(10min);
    rig.on_storage_thread([&] { rig.effects.committed(Changes{{}, {}, false, false}); });
    EXPECT_EQ(fired_f.wait_for(300ms), std::future_status::timeout);
    rig.on_storage_thread([&] { rig.effects.committed(Changes{{}, {}, false, true}); });
    EXPECT_EQ(fired_f.wait_for(2s), std::future_status::ready);
}

TEST(Effects, InAGroupTheChangesOfAllPiecesAreAppliedOnceAfterTheCommit) {
    Rig rig;
    const auto subs = rig.subscribe_all();
    const auto maria = rig.users[0], wang = rig.users[1];
    auto release = rig.hold();
    rig.queue("A", Changes{{maria}, {"telegram"}, false, false});
    rig.queue("B", Changes{{maria, wang}, {"telegram", "feishu"}, false, false});
    release.set_value();
    rig.wait_for(3);
    EXPECT_THAT(rig.log.snapshot(),
                ElementsAre("commit",  // the held piece alone
                            "ran A", "ran B", "commit",
                            "announce " + std::to_string(maria.value) + " " + std::to_string(wang.value),
                            "wake telegram", "wake feishu",  // telegram once for both pieces
                            "answered A", "answered B"));
    EXPECT_EQ(rig.hub_ioc.poll(), 2u);  // maria's stream once, wang's once
    EXPECT_FALSE(subs[2]->pending);
}

TEST(Effects, InAGroupWhoseCommitFailsTheChangesAreDropped) {
    Rig rig;
    const auto subs = rig.subscribe_all();
    auto release = rig.hold();
    rig.queue("A", Changes{{rig.users[0]}, {"telegram"}, true, true});
    rig.store.fail_commit_of_group(2);  // the held piece's is the first
    release.set_value();
    rig.wait_for(2);
    EXPECT_THAT(rig.log.snapshot(), ElementsAre("commit", "ran A", "failed A: disk full"));
    EXPECT_EQ(rig.hub_ioc.poll(), 0u);
    EXPECT_FALSE(subs[0]->pending);
    // The next group starts afresh: nothing of the failed one comes with it.
    rig.queue("B", Changes{{rig.users[1]}, {"feishu"}, false, false});
    rig.wait_for(3);
    EXPECT_THAT(rig.log.snapshot(),
                ElementsAre("commit", "ran A", "failed A: disk full", "ran B", "commit",
                            "announce " + std::to_string(rig.users[1].value), "wake feishu", "answered B"));
    EXPECT_EQ(rig.hub_ioc.poll(), 1u);
    EXPECT_FALSE(subs[0]->pending);
}

}  // namespace
}  // namespace fu::server
