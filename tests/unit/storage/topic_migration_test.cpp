// The migration step that turns automatic follow-up topics stored worded (in
// the language of whoever's action made them) into their codes, on both
// engines: a database of the earlier version is made by storing worded topics
// and forgetting that the step ran.
#include <gtest/gtest.h>

#include <memory>

#include "core/topics.hpp"
#include "pg_schema.hpp"
#include "storage/postgres/pg.hpp"
#include "storage/postgres/pg_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage_test_util.hpp"

namespace fu::storage {
namespace {

struct Case {
    std::string stored;  // as an earlier version wrote it
    std::string after;   // after the migration
};

const std::vector<Case>& cases() {
    static const std::vector<Case> kCases{
        {"B类：每14天", topics::tier(Tier::b, 14)},
        {"A (VIP): every 7 days", topics::tier(Tier::a, 7)},
        {"潜在客户：每天", topics::lead(1)},
        {"new lead: first response within 24 working hours", topics::first_response(24)},
        {"成交后第30天回访", topics::revisit(30)},
        {"churn risk: every 3 days, tightened after a complaint or low satisfaction: every day",
         topics::tightened(topics::churn_risk(3), 1)},
        {"导入的跟进", topics::imported()},
        // Typed by people: left alone, even when they share words with the automatic ones.
        {"call every morning until they sign", "call every morning until they sign"},
        {"每周回访一次", "每周回访一次"},
        {"quote", "quote"},
    };
    return kCases;
}

std::vector<TaskId> seed(Store& store) {
    std::vector<TaskId> ids;
    store.transact([&](Repo& r) {
        User u;
        u.handle = "wang";
        const auto rep = r.add_user(u);
        Customer c;
        c.name = "Acme";
        c.owner = rep;
        const auto customer = r.add_customer(c);
        for (const auto& k : cases()) {
            Task t;
            t.customer = customer;
            t.assignee = rep;
            t.topic = k.stored;
            t.origin = Origin::cadence;
            ids.push_back(r.add_task(t));
        }
    });
    return ids;
}

void expect_coded(Store& store, const std::vector<TaskId>& ids) {
    store.transact([&](Repo& r) {
        for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(r.task(ids[i])->topic, cases()[i].after);
    });
}

TEST(TopicMigration, SqliteWordedTopicsBecomeCodes) {
    test::TempDir dir;
    const auto path = dir.file("f.db");
    std::vector<TaskId> ids;
    {
        auto store = SqliteStore::open(path);
        ids = seed(*store);
    }
    // Back to version 6: the later steps (7: this one; 8: sign-in tables; 9: calendar feeds; 10: retention; 11: the
    // report index) run again.
    test::RawDb(path).run("DELETE FROM schema_version WHERE version >= 7");
    test::RawDb(path).run("DROP TABLE sign_in_secrets");
    test::RawDb(path).run("DROP TABLE web_sessions");
    test::RawDb(path).run("DROP TABLE calendar_feeds");
    auto store = SqliteStore::open(path);
    expect_coded(*store, ids);
}

TEST(TopicMigration, PostgresWordedTopicsBecomeCodes) {
    FU_NEED_PG_SERVER();
    fu::test::PgSchema schema(fu::test::PgSchema::server());
    std::vector<TaskId> ids;
    {
        auto store = PgStore::open(schema.url());
        ids = seed(*store);
    }
    // Back to version 2: the later steps (3: this one; 4: sign-in tables; 5: calendar feeds; 6: retention; 7: the
    // report index) run again.
    pg::Connection(schema.url())
        .exec(
            "DELETE FROM schema_version WHERE version >= 3; DROP TABLE sign_in_secrets; DROP TABLE web_sessions; "
            "DROP TABLE calendar_feeds");
    auto store = PgStore::open(schema.url());
    expect_coded(*store, ids);
}

}  // namespace
}  // namespace fu::storage
