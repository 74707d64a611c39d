// SQLite's transactions beyond the contract (contract/transaction_test.cpp):
// a failed statement undoes itself alone, nesting is refused, a commit is
// visible to other connections, and the audit table refuses changes.
#include <gtest/gtest.h>

#include <stdexcept>

#include "storage/sqlite/db.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage_test_util.hpp"

namespace fu::storage {
namespace {

using test::monday;
using test::RawDb;
using test::TempDir;

class Transactions : public ::testing::Test {
protected:
    void SetUp() override { store = SqliteStore::open(path); }

    TempDir dir;
    std::string path = dir.file("f.db");
    std::unique_ptr<SqliteStore> store;
};

TEST_F(Transactions, ATransactionCanCatchAFailedWriteAndStillCommitTheRest) {
    store->transact([&](Repo& r) {
        r.add_team(Team{{}, "East"});
        Task t;
        t.customer = CustomerId{999};
        t.assignee = UserId{999};
        EXPECT_THROW(r.add_task(t), StorageError);
    });
    store->transact([&](Repo& r) { EXPECT_EQ(r.teams().size(), 1u); });
}

TEST_F(Transactions, NestedTransactIsALogicError) {
    EXPECT_THROW(store->transact([&](Repo& r) {
        r.add_team(Team{{}, "East"});
        store->transact([](Repo&) {});
    }),
                 std::logic_error);
    // The outer transaction rolled back and the store is usable again.
    store->transact([&](Repo& r) { EXPECT_TRUE(r.teams().empty()); });
}

TEST_F(Transactions, CommittedWritesAreVisibleToAnotherConnection) {
    store->transact([&](Repo& r) { r.add_team(Team{{}, "East"}); });
    RawDb raw(path);
    EXPECT_EQ(raw.scalar("SELECT name FROM teams"), "East");
}

TEST_F(Transactions, TheAuditLogIsAppendOnly) {
    store->transact([&](Repo& r) {
        r.append_audit(AuditEntry{{}, monday(), std::nullopt, "customer.assign", "customer:7", "to wang"});
    });
    RawDb raw(path);
    auto update = raw.run("UPDATE audit SET action = 'forged'");
    EXPECT_NE(update.rc, SQLITE_OK);
    EXPECT_NE(update.error.find("append-only"), std::string::npos) << update.error;
    auto remove = raw.run("DELETE FROM audit");
    EXPECT_NE(remove.rc, SQLITE_OK);
    EXPECT_NE(remove.error.find("append-only"), std::string::npos) << remove.error;
    EXPECT_EQ(raw.scalar("SELECT action FROM audit"), "customer.assign");
    // Appending is still allowed.
    EXPECT_EQ(raw.run("INSERT INTO audit (at, action) VALUES (0, 'x')").rc, SQLITE_OK);
}

TEST_F(Transactions, PruningTheAuditLogLetsOnlyEntriesBeforeItsCutOffGo) {
    store->transact([&](Repo& r) {
        r.append_audit(AuditEntry{{}, monday(), std::nullopt, "task.add", "task:1", ""});
        r.append_audit(AuditEntry{{}, monday() + std::chrono::hours(48), std::nullopt, "task.add", "task:2", ""});
        r.append_audit(AuditEntry{{}, monday() + std::chrono::hours(72), std::nullopt, "task.add", "task:3", ""});
    });
    store->transact([&](Repo& r) { EXPECT_EQ(r.prune_audit(monday() + std::chrono::hours(24), 10), 1u); });
    RawDb raw(path);
    EXPECT_EQ(raw.scalar("SELECT pruned_before FROM audit_retention"),
              std::to_string(to_unix(monday() + std::chrono::hours(24))));
    // Newer than the cut-off: still append-only, by hand as well.
    auto remove = raw.run("DELETE FROM audit WHERE subject = 'task:2'");
    EXPECT_NE(remove.rc, SQLITE_OK);
    EXPECT_NE(remove.error.find("append-only"), std::string::npos) << remove.error;
    // Moving the cut-off back does not undo the guard either: it only moves forward.
    store->transact([&](Repo& r) { EXPECT_EQ(r.prune_audit(monday(), 10), 0u); });
    EXPECT_EQ(raw.scalar("SELECT pruned_before FROM audit_retention"),
              std::to_string(to_unix(monday() + std::chrono::hours(24))));
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM audit"), "2");
}

}  // namespace
}  // namespace fu::storage
