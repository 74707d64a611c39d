// Retention on PostgreSQL beyond the contract (contract/retention_test.cpp):
// instances pruning together skip the rows another one is deleting instead of
// waiting for it, and the audit log stays append-only past its cut-off.
// Skipped without a server (scripts/test always has one).
#include <gtest/gtest.h>

#include <future>
#include <string>

#include "pg_schema.hpp"
#include "storage/postgres/pg.hpp"
#include "storage/postgres/pg_store.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {
namespace {

class PgRetention : public ::testing::Test {
protected:
    void SetUp() override {
        FU_NEED_PG_SERVER();
        schema = std::make_unique<test::PgSchema>(test::PgSchema::server());
        a = PgStore::open(schema->url());
        b = PgStore::open(schema->url());
    }

    const TimePoint t0 = from_unix(1795399200);
    std::unique_ptr<test::PgSchema> schema;
    std::unique_ptr<PgStore> a, b;
};

TEST_F(PgRetention, TwoInstancesPruningTogetherNeitherWaits) {
    a->transact([&](Repo& r) {
        for (int i = 0; i < 10; ++i) r.first_sighting("telegram", std::to_string(i), t0 + std::chrono::minutes(i));
    });
    std::size_t a_pruned = 0;
    std::future<std::size_t> b_pruned;
    a->transact([&](Repo& r) {
        a_pruned = r.prune_seen_events(t0 + std::chrono::hours(1), 6);
        // B runs while A's transaction holds its six: it takes the other four at once.
        b_pruned = std::async(std::launch::async, [&] {
            std::size_t n = 0;
            b->transact([&](Repo& r2) { n = r2.prune_seen_events(t0 + std::chrono::hours(1), 100); });
            return n;
        });
        ASSERT_EQ(b_pruned.wait_for(std::chrono::seconds(5)), std::future_status::ready) << "B waited for A";
    });
    EXPECT_EQ(a_pruned, 6u);
    EXPECT_EQ(b_pruned.get(), 4u);
}

TEST_F(PgRetention, TheAuditLogRefusesADeleteNewerThanItsCutOff) {
    a->transact([&](Repo& r) {
        r.append_audit(AuditEntry{{}, t0, std::nullopt, "task.add", "task:1", ""});
        r.append_audit(AuditEntry{{}, t0 + std::chrono::hours(48), std::nullopt, "task.add", "task:2", ""});
    });
    a->transact([&](Repo& r) { EXPECT_EQ(r.prune_audit(t0 + std::chrono::hours(24), 10), 1u); });
    pg::Connection raw(schema->url());
    try {
        raw.exec("DELETE FROM audit");
        FAIL() << "deleted an audit entry newer than the cut-off";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
    EXPECT_THROW(raw.exec("TRUNCATE audit"), StorageError);
    EXPECT_THROW(raw.exec("UPDATE audit SET action = 'forged'"), StorageError);
    a->transact([&](Repo& r) { EXPECT_EQ(r.audit_tail(10).size(), 1u); });
}

}  // namespace
}  // namespace fu::storage
