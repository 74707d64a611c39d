// Store::transact: one use case, all or nothing.
#include <gtest/gtest.h>

#include <stdexcept>

#include "engines.hpp"

namespace fu::contract {
namespace {

using Transactions = StoreTest;

TEST_P(Transactions, AnExceptionInsideTransactLeavesNothingWritten) {
    struct Boom : std::runtime_error {
        Boom() : std::runtime_error("boom") {}
    };
    EXPECT_THROW(store->transact([](Repo& r) {
        auto team = r.add_team(Team{{}, "East"});
        User u;
        u.handle = "wang";
        u.team = team;
        r.add_user(u);
        r.add_customer(Customer{.name = "Acme"});
        throw Boom();
    }),
                 Boom);
    store->transact([](Repo& r) {
        EXPECT_TRUE(r.teams().empty());
        EXPECT_TRUE(r.users().empty());
        EXPECT_EQ(r.customer_count(), 0u);
    });
}

// A use case tells from writes() whether it changed anything since a point:
// every insert, update and delete counts; reads do not.
TEST_P(Transactions, WritesCountsWhatChangedAndNotWhatWasRead) {
    store->transact([](Repo& r) {
        const auto start = r.writes();
        (void)r.teams();
        (void)r.users();
        EXPECT_EQ(r.writes(), start);
        const auto team = r.add_team(Team{{}, "East"});
        EXPECT_EQ(r.writes(), start + 1);
        User u;
        u.handle = "wang";
        u.team = team;
        u.id = r.add_user(u);
        u.display_name = "Wang";
        r.update_user(u);
        EXPECT_GE(r.writes(), start + 3);
    });
}

// The scheduler re-arms after work only when schedule_writes() moved: every
// write of a follow-up or a schedule counts; other writes and reads do not.
TEST_P(Transactions, ScheduleWritesCountsFollowupsAndSchedulesOnly) {
    store->transact([](Repo& r) {
        const auto start = r.schedule_writes();
        User u;
        u.handle = "wang";
        u.id = r.add_user(u);
        const auto customer = r.add_customer(Customer{.name = "Acme"});
        const auto message = r.enqueue(OutboxMessage{{}, u.id, monday(), MessageKind::reply, "hi", {}, {}});
        r.add_delivery(Delivery{.message = message, .platform = "telegram", .recipient = "1"});
        (void)r.open_tasks_for(u.id, monday());
        EXPECT_EQ(r.schedule_writes(), start);  // a user, a customer, a message: nothing due moved
        const auto writes = r.writes();
        Task t;
        t.customer = customer;
        t.assignee = u.id;
        t.due = monday();
        t.remind_at = monday();
        t.id = r.add_task(t);
        EXPECT_EQ(r.schedule_writes(), start + 1);
        t.remind_at = monday() + std::chrono::hours(1);
        r.update_task(t);
        EXPECT_GE(r.schedule_writes(), start + 2);
        const auto after_tasks = r.schedule_writes();
        r.set_schedule(Schedule{u.id, "digest", monday()});
        EXPECT_GE(r.schedule_writes(), after_tasks + 1);
        EXPECT_EQ(r.schedule_writes() - start, r.writes() - writes);  // every write since was one of those
    });
}

TEST_P(Transactions, AForeignKeyFailureRollsBackTheEarlierWritesOfThatTransaction) {
    UserId rep;
    store->transact([&](Repo& r) {
        User u;
        u.handle = "wang";
        rep = r.add_user(u);
    });
    EXPECT_THROW(store->transact([&](Repo& r) {
        r.add_customer(Customer{.name = "Acme"});
        r.append_audit(AuditEntry{{}, monday(), rep, "customer.add", "customer:1", ""});
        Task t;
        t.customer = CustomerId{999};  // no such customer
        t.assignee = rep;
        r.add_task(t);
    }),
                 std::runtime_error);
    store->transact([&](Repo& r) {
        EXPECT_EQ(r.customer_count(), 0u);
        EXPECT_TRUE(r.audit_tail(10).empty());
        EXPECT_EQ(r.users().size(), 1u);  // the earlier, committed transaction stays
    });
}

FU_CONTRACT_SUITE(Transactions);

}  // namespace
}  // namespace fu::contract
