// Several instances on one PostgreSQL database: what one instance's
// transaction is firing, another's does not see as due (FOR UPDATE SKIP
// LOCKED), and one of two claims on a delivery, or on the leader's lease, wins. Skipped without a server
// (scripts/test always has one).
#include <gtest/gtest.h>

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
        b->transact([&](Repo& r) { b_saw = r.reminders_due(now, 100).size(); });
        b_done.set_value();
    });
    a->transact([&](Repo& r) {
        EXPECT_EQ(r.reminders_due(now, 6).size(), 6u);  // six of ten claimed by A's transaction
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

}  // namespace
}  // namespace fu::storage
