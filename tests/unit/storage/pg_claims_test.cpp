// Several instances on one PostgreSQL database: what one instance's
// transaction is firing, another's does not see as due (FOR UPDATE SKIP
// LOCKED), and one of two claims on a delivery, or on the leader's lease, wins. Skipped without a server
// (scripts/test always has one).
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <thread>

#include "pg_schema.hpp"
#include "storage/postgres/pg_store.hpp"

namespace fu::storage {
namespace {

class PgClaims : public ::testing::Test {
protected:
    void SetUp() override {
        FU_NEED_PG_SERVER();
        schema = std::make_unique<test::PgSchema>(test::PgSchema::server());
        a = PgStore::open(schema->url());
        b = PgStore::open(schema->url());
        a->transact([&](Repo& r) {
            User u;
            u.handle = "wang";
            const auto rep = r.add_user(u);
            Customer c;
            c.name = "Globex";
            const auto customer = r.add_customer(c);
            for (int i = 0; i < 10; ++i) {
                Task t;
                t.customer = customer;
                t.assignee = rep;
                t.due = now - std::chrono::minutes(i);
                t.remind_at = t.due;
                r.add_task(t);
            }
            OutboxMessage m{{}, rep, now, MessageKind::notice, "hi", {}, {}};
            m.id = r.enqueue(m);
            delivery = r.add_delivery(pending_delivery(m.id, "telegram", "u", "c", now));
        });
    }

    const TimePoint now = from_unix(1795399200);
    std::unique_ptr<test::PgSchema> schema;
    std::unique_ptr<PgStore> a, b;
    DeliveryId delivery;
};

TEST_F(PgClaims, RemindersAnotherInstanceIsFiringAreSkippedTheRestAreTaken) {
    std::promise<void> a_read, b_done;
    std::size_t b_saw = 0;
    std::thread other([&] {
        a_read.get_future().wait();
        b->transact([&](Repo& r) { b_saw = r.reminders_due(now, 100, {}).size(); });
        b_done.set_value();
    });
    a->transact([&](Repo& r) {
        EXPECT_EQ(r.reminders_due(now, 6, {}).size(), 6u);  // six of ten claimed by A's transaction
        a_read.set_value();
        // B does not wait for A: it skips what A holds and takes the other four.
        b_done.get_future().wait();
    });
    other.join();
    EXPECT_EQ(b_saw, 4u);
}

TEST_F(PgClaims, OfTwoClaimsOnADeliveryOneWins) {
    std::promise<void> a_claimed;
    std::future<bool> b_won;
    a->transact([&](Repo& r) {
        EXPECT_TRUE(r.defer_delivery(delivery, now, now + std::chrono::seconds(60)));
        // B's claim waits for A's transaction, then finds the delivery no longer due.
        b_won = std::async(std::launch::async, [&] {
            bool won = false;
            b->transact([&](Repo& r2) { won = r2.defer_delivery(delivery, now, now + std::chrono::seconds(60)); });
            return won;
        });
        EXPECT_EQ(b_won.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
    });
    EXPECT_FALSE(b_won.get());
}

// Both instances find the lease free at once (the first start, or just after
// a leader stepped down): the second waits for the first's transaction, then
// finds the lease held.
TEST_F(PgClaims, OfTwoInstancesTakingAFreeLeaseAtOnceOneHoldsIt) {
    std::future<bool> b_took;
    a->transact([&](Repo& r) {
        EXPECT_TRUE(r.hold_lease("leader", "a", now, now + std::chrono::seconds(30)));
        b_took = std::async(std::launch::async, [&] {
            bool took = false;
            b->transact([&](Repo& r2) { took = r2.hold_lease("leader", "b", now, now + std::chrono::seconds(30)); });
            return took;
        });
        EXPECT_EQ(b_took.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
    });
    EXPECT_FALSE(b_took.get());
    // And a renewal does not wait for, nor lose to, the other's failed attempt.
    a->transact([&](Repo& r) { EXPECT_TRUE(r.hold_lease("leader", "a", now, now + std::chrono::seconds(40))); });
}

TEST_F(PgClaims, AnnouncedUsersReachTheOtherInstancesListenersNotItsOwn) {
    auto b_hears = b->listen();
    auto a_hears = a->listen();
    ASSERT_NE(b_hears, nullptr);
    a->announce({UserId{7}, UserId{42}});
    std::vector<UserId> got;
    for (int i = 0; i < 200 && got.empty(); ++i) {
        got = b_hears->take();
        if (got.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(got, (std::vector<UserId>{UserId{7}, UserId{42}}));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(a_hears->take().empty()) << "an instance woke its own streams twice";
    EXPECT_GE(b_hears->socket(), 0);
}

// A lane of the storage executor (storage.connections) is another connection
// of the same instance: its announcements are the instance's own.
TEST_F(PgClaims, AnotherConnectionOfAnInstanceReadsTheSameDataAndAnnouncesAsIt) {
    auto a2 = a->another();
    std::size_t users = 0;
    a2->transact([&](Repo& r) { users = r.users().size(); });
    EXPECT_EQ(users, 1u);
    auto a_hears = a->listen();
    auto b_hears = b->listen();
    a2->announce({UserId{9}});
    std::vector<UserId> got;
    for (int i = 0; i < 200 && got.empty(); ++i) {
        got = b_hears->take();
        if (got.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(got, (std::vector<UserId>{UserId{9}}));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(a_hears->take().empty()) << "a lane's announcement woke its own instance's streams";
}

// Two lanes whose transactions lock the same rows in opposite orders: the
// server breaks the deadlock by failing one, which the storage executor
// recognises as a StoreConflict and runs again.
TEST_F(PgClaims, ADeadlockBetweenTwoConnectionsFailsOneOfThemAsAStoreConflict) {
    DeliveryId other;
    a->transact([&](Repo& r) {
        OutboxMessage m{{}, r.users().front().id, now, MessageKind::notice, "hi", {}, {}};
        m.id = r.enqueue(m);
        other = r.add_delivery(pending_delivery(m.id, "telegram", "u", "c", now));
    });
    const auto later = now + std::chrono::seconds(60);
    std::promise<void> a_locked, b_locked;
    auto side = [&](PgStore& s, DeliveryId first, DeliveryId second, std::promise<void>& locked,
                    std::shared_future<void> their_lock) -> std::string {
        try {
            s.transact([&](Repo& r) {
                r.defer_delivery(first, now, later);
                locked.set_value();
                their_lock.wait();
                r.defer_delivery(second, now, later);
            });
            return "committed";
        } catch (const StoreConflict&) {
            return "conflict";
        } catch (const std::exception& e) {
            return std::string("other error: ") + e.what();
        }
    };
    auto from_a = std::async(std::launch::async, side, std::ref(*a), delivery, other, std::ref(a_locked),
                             b_locked.get_future().share());
    auto from_b = std::async(std::launch::async, side, std::ref(*b), other, delivery, std::ref(b_locked),
                             a_locked.get_future().share());
    std::vector<std::string> outcomes{from_a.get(), from_b.get()};
    std::sort(outcomes.begin(), outcomes.end());
    EXPECT_EQ(outcomes, (std::vector<std::string>{"committed", "conflict"}));
}

}  // namespace
}  // namespace fu::storage
