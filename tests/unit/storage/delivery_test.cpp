// Schema v2: the upgrade of a v1 file, and the indexes behind the deliveries'
// queries (what they return: contract/outbox_test.cpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "storage/sql/queries.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage_test_util.hpp"

namespace fu::storage {
namespace {

using test::kDay;
using test::kHour;
using test::monday;
using test::RawDb;
using test::TempDir;
using ::testing::ElementsAre;

template <class T>
std::vector<std::int64_t> ids(const std::vector<T>& items) {
    std::vector<std::int64_t> out;
    for (const auto& i : items) out.push_back(i.id.value);
    return out;
}

TEST(SchemaV2, AVersionOneFileIsUpgradedKeepingItsData) {
    TempDir dir;
    auto path = dir.file("v1.db");
    {
        Database db(path);
        ASSERT_EQ(apply_migrations(db, builtin_migrations().first(1)), 1);
        db.exec(
            "INSERT INTO teams (id, name) VALUES (1, 'East');"
            "INSERT INTO users (id, handle, display_name, role, team_id, time_zone, lang, work_start_minute, "
            "work_end_minute, work_days) VALUES (7, 'wang', '王伟', 'rep', 1, 'Asia/Shanghai', 'zh', 540, 1080, 31);"
            "INSERT INTO outbox (id, user_id, created_at, kind, text) VALUES (3, 7, 1732492800, 'notice', 'hi');"
            "INSERT INTO customers (id, name, owner_id, tier, stage, created_at) VALUES (5, 'Acme', 7, 'B', 'active', "
            "1);"
            "INSERT INTO tasks (id, customer_id, assignee_id, due, method, priority, status, snooze_count, origin, "
            "created_at, remind_at) VALUES (9, 5, 7, 1732492800, 'call', 'normal', 'snoozed', 2, 'manual', 1, "
            "1732492800)");
    }
    auto store = SqliteStore::open(path);
    EXPECT_GE(store->schema_version(), 3);
    EXPECT_GE(latest_schema_version(), 3);
    store->transact([&](Repo& r) {
        auto u = r.user(UserId{7});
        ASSERT_TRUE(u);
        EXPECT_EQ(u->handle, "wang");
        EXPECT_EQ(u->display_name, "王伟");
        EXPECT_EQ(u->team, TeamId{1});
        EXPECT_EQ(u->notify_platform, "web");
        auto m = r.message(MessageId{3});
        ASSERT_TRUE(m);
        EXPECT_EQ(m->text, "hi");
        // v3: a customer's team comes from its owner; tasks keep their counts.
        auto c = r.customer(CustomerId{5});
        ASSERT_TRUE(c);
        EXPECT_EQ(c->team, TeamId{1});
        auto t = r.task(TaskId{9});
        ASSERT_TRUE(t);
        EXPECT_EQ(t->snooze_count, 2);
        EXPECT_EQ(t->ladder_step, 0);
        EXPECT_EQ(t->reschedule_count, 0);
        EXPECT_FALSE(t->snoozed_until);
        // The new tables work on the upgraded file.
        r.link_identity(Identity{"telegram", "42", UserId{7}, ""});
        EXPECT_TRUE(r.first_sighting("telegram", "1", monday()));
        Delivery d;
        d.message = MessageId{3};
        d.platform = "telegram";
        d.recipient = "42";
        EXPECT_TRUE(r.add_delivery(d));
    });
    RawDb raw(path);
    std::string every_version;  // each step once, in order (the numbers need not be consecutive)
    for (const auto& m : builtin_migrations())
        every_version += (every_version.empty() ? "" : ",") + std::to_string(m.version);
    EXPECT_EQ(raw.scalar("SELECT group_concat(version) FROM schema_version"), every_version);
    EXPECT_EQ(raw.scalar("PRAGMA foreign_key_check"), "");
}

// EXPLAIN QUERY PLAN of the exact SQL the store prepares, on a migrated file.
class DeliveryPlan : public ::testing::Test {
protected:
    void SetUp() override { SqliteStore::open(path); }

    std::string plan(std::string_view sql) {
        RawDb raw(path);
        auto r = raw.run("EXPLAIN QUERY PLAN " + std::string(sql));
        EXPECT_EQ(r.rc, SQLITE_OK) << r.error;
        std::string out;
        for (const auto& row : r.rows) out += row.back() + "\n";
        return out;
    }

    static bool scans(const std::string& plan, std::string_view table) {
        return plan.find("SCAN " + std::string(table)) != std::string::npos;
    }

    TempDir dir;
    std::string path = dir.file("f.db");
};

TEST_F(DeliveryPlan, TheSenderQueriesUseThePendingPartialIndex) {
    struct Case {
        std::string_view sql;
        std::string_view index;
    };
    // Due deliveries oldest first: walked in (created_at, id) order, no sort.
    for (auto [q, index] : {Case{sql::kNextDeliveryAt, "deliveries_pending_next"},
                            Case{sql::kSelectDeliveriesDue, "deliveries_pending_queue"}}) {
        auto p = plan(q);
        EXPECT_NE(p.find(index), std::string::npos) << q << "\n" << p;
        EXPECT_FALSE(scans(p, "deliveries")) << q << "\n" << p;
        EXPECT_EQ(p.find("TEMP B-TREE"), std::string::npos) << q << "\n" << p;
    }
}

TEST_F(DeliveryPlan, OtherLookupsAreIndexed) {
    struct Case {
        std::string_view sql;
        std::string_view index;
    };
    for (auto [q, index] :
         {Case{sql::kSelectDeliveriesPendingSince, "deliveries_pending_created"},
          Case{sql::kSelectDeliveryByPlatformMessage, "deliveries_platform_message"},
          Case{sql::kSelectDelivery, "INTEGER PRIMARY KEY"}, Case{sql::kSelectMessage, "INTEGER PRIMARY KEY"},
          Case{sql::kSelectIdentity, "sqlite_autoindex_identities"},
          Case{sql::kDeleteIdentity, "sqlite_autoindex_identities"}, Case{sql::kSelectIdentitiesOf, "identities_user"},
          Case{sql::kInsertSeenEvent, ""}}) {
        auto p = plan(q);
        EXPECT_NE(p.find(index), std::string::npos) << q << "\n" << p;
        for (auto table : {"deliveries", "outbox", "identities", "seen_events"})
            EXPECT_FALSE(scans(p, table)) << q << "\n" << p;
    }
    EXPECT_EQ(plan(sql::kSelectDeliveriesPendingSince).find("TEMP B-TREE"), std::string::npos);
}

}  // namespace
}  // namespace fu::storage
