// Leadership (server/leadership.hpp) of instances on one database, here two
// Leadership objects on one store: one leads; the other takes over once the
// leader steps down (at its next round) or its lease runs out (it died); a
// leader whose renewal fails or comes late leads no longer; heartbeats count
// the live instances.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>

#include <future>
#include <utility>
#include <vector>

#include "failing_store.hpp"
#include "server/leadership.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace fu::server {
namespace {

namespace asio = boost::asio;

struct Rig {
    Rig() : real(storage::SqliteStore::open(":memory:")), failing(*real), storage(failing) {
        for (auto* l : {&a, &b})
            l->on_change([this, l](bool leader, std::size_t n) { changes.push_back({l->id(), leader, n}); });
    }
    ~Rig() { storage.join(); }

    // Runs `step` on the storage thread and waits for it.
    void run(asio::awaitable<void> step) {
        std::promise<void> done;
        asio::co_spawn(storage.executor(), std::move(step), [&](std::exception_ptr e) {
            if (e)
                done.set_exception(e);
            else
                done.set_value();
        });
        done.get_future().get();
    }

    struct Change {
        std::string id;
        bool leader;
        std::size_t instances;
        bool operator==(const Change&) const = default;
    };

    FakeClock clock{from_unix(1795399200)};
    std::unique_ptr<storage::SqliteStore> real;
    test::FailingStore failing;
    StorageExecutor storage;
    Leadership a{storage, failing, clock, "a", LeadershipOptions{true}};
    Leadership b{storage, failing, clock, "b", LeadershipOptions{true}};
    std::vector<Change> changes;  // storage thread, read after run()
};

TEST(Leadership, OfTwoInstancesOneLeadsAndBothCountTwo) {
    Rig rig;
    rig.run(rig.a.round());
    rig.run(rig.b.round());
    EXPECT_TRUE(rig.a.leader());
    EXPECT_FALSE(rig.b.leader());
    EXPECT_EQ(rig.b.instances(), 2u);
    rig.run(rig.a.round());  // a hears of b at its next round
    EXPECT_TRUE(rig.a.leader());
    EXPECT_EQ(rig.a.instances(), 2u);
    EXPECT_EQ(rig.changes, (std::vector<Rig::Change>{{"a", true, 1}, {"b", false, 2}, {"a", true, 2}}));
}

TEST(Leadership, WhenTheLeaderStepsDownTheOtherLeadsAtItsNextRound) {
    Rig rig;
    rig.run(rig.a.round());
    rig.run(rig.b.round());
    rig.run(rig.a.step_down());
    EXPECT_FALSE(rig.a.leader());
    rig.clock.advance(Seconds{10});
    rig.run(rig.b.round());
    EXPECT_TRUE(rig.b.leader());
    EXPECT_EQ(rig.b.instances(), 1u) << "a stopped: b sends at the whole rate";
}

TEST(Leadership, WhenTheLeaderDiesTheOtherLeadsOnceItsLeaseRunsOut) {
    Rig rig;
    rig.run(rig.a.round());
    rig.run(rig.b.round());
    // a is killed: no more rounds. b goes on every 10 s.
    for (int s : {10, 20}) {
        rig.clock.advance(Seconds{10});
        rig.run(rig.b.round());
        EXPECT_FALSE(rig.b.leader()) << s << " s after a's last renewal";
        EXPECT_EQ(rig.b.instances(), 2u);
    }
    rig.clock.advance(Seconds{10});  // 30 s: a's lease and heartbeat have run out
    EXPECT_FALSE(rig.a.leader()) << "a would still believe it leads";
    rig.run(rig.b.round());
    EXPECT_TRUE(rig.b.leader());
    EXPECT_EQ(rig.b.instances(), 1u);
    // a comes back to life (it was only stuck): it does not lead, and is counted again.
    rig.run(rig.a.round());
    EXPECT_FALSE(rig.a.leader());
    EXPECT_EQ(rig.a.instances(), 2u);
}

TEST(Leadership, ALeaderWhoseRenewalFailsLeadsNoLonger) {
    Rig rig;
    rig.run(rig.a.round());
    ASSERT_TRUE(rig.a.leader());
    rig.failing.fail_at(1);  // the heartbeat's write: a lost connection
    rig.run(rig.a.round());
    EXPECT_FALSE(rig.a.leader());
    EXPECT_EQ(rig.changes.back(), (Rig::Change{"a", false, 1}));
    rig.failing.fail_at(0);
    rig.run(rig.a.round());  // its own lease, still there: renewed
    EXPECT_TRUE(rig.a.leader());
}

TEST(Leadership, ALeaderWhoseRoundIsLateLeadsNoLongerThanItsLease) {
    Rig rig;
    rig.run(rig.a.round());
    rig.clock.advance(Seconds{28});
    EXPECT_TRUE(rig.a.leader());
    rig.clock.advance(Seconds{1});  // 29 s: the lease (whole seconds, from before the round) may end any moment
    EXPECT_FALSE(rig.a.leader());
}

TEST(Leadership, AnInstanceAloneOnItsDatabaseLeadsFromTheStartWithoutAskingIt) {
    Rig rig;
    Leadership alone(rig.storage, rig.failing, rig.clock, "alone");
    std::promise<std::pair<bool, std::size_t>> told;
    alone.on_change([&](bool leader, std::size_t n) { told.set_value({leader, n}); });
    rig.failing.fail_at(1);  // any write would fail
    alone.start();
    EXPECT_EQ(told.get_future().get(), std::make_pair(true, std::size_t{1}));
    EXPECT_TRUE(alone.leader());
    EXPECT_EQ(alone.instances(), 1u);
    alone.stop();
    rig.run([]() -> asio::awaitable<void> { co_return; }());  // the stop has run: `alone` may go
}

}  // namespace
}  // namespace fu::server
