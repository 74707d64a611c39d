// migrate_sqlite_to_postgres (storage/migrate_db.hpp): rows copied as stored,
// the schema whole again after the copy, sequences moved past every id SQLite
// gave, and a target with any row in it, or a source PostgreSQL would refuse,
// left without a row written.
// Needs FU_TEST_PG_URL (scripts/test sets it); skipped without it.
#include <gmock/gmock.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "pg_schema.hpp"
#include "storage/migrate_db.hpp"
#include "storage/postgres/migrations.hpp"
#include "storage/postgres/pg.hpp"
#include "storage/postgres/pg_store.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage_test_util.hpp"

namespace fu::storage {
namespace {

using ::testing::HasSubstr;

const std::string kKey(32, 'a');  // the raw key (32 bytes)
const std::string kPhone = "13800138000";

class MigrateDb : public ::testing::Test {
protected:
    void SetUp() override {
        FU_NEED_PG_SERVER();
        schema_ = std::make_unique<fu::test::PgSchema>(fu::test::PgSchema::server());
        source_ = dir_.file("source.db");
    }

    // A source with a team, a rep, a customer whose phone is sealed with kKey,
    // and two outbox messages left of three (SQLite gave id 3, then it went).
    void make_source() {
        {
            auto store = SqliteStore::open(source_, kKey);
            store->transact([](Repo& r) { r.add_customer(Customer{.name = "Acme", .phone = kPhone}); });
        }
        Database db(source_);
        db.exec(
            "INSERT INTO teams (id, name) VALUES (5, 'East');"
            "INSERT INTO users (id, handle, role, team_id, time_zone, lang, work_start_minute, work_end_minute, "
            "work_days) VALUES (7, 'wang', 'rep', 5, 'Asia/Shanghai', 'zh', 540, 1080, 31);"
            "INSERT INTO outbox (user_id, created_at, kind, text) VALUES (7, 1, 'reply', 'a\tb\\c\nd'), "
            "(7, 2, 'reply', 'two'), (7, 3, 'reply', 'three');"
            "INSERT INTO outbox_buttons (message_id, ord, label, command) VALUES (1, 0, 'Done', 'done 1');"
            "DELETE FROM outbox WHERE id = 3;");
    }

    std::int64_t pg_int(const std::string& sql) {
        pg::Connection c(schema_->url());
        pg::Statement s(c, sql);
        auto scope = s.use();
        return s.step() ? s.column_int64(0) : -1;
    }

    std::int64_t rows_in_target() {
        std::int64_t n = 0;
        for (const auto& t : migrated_tables()) n += pg_int("SELECT count(*) FROM " + t);
        return n;
    }

    test::TempDir dir_;
    std::unique_ptr<fu::test::PgSchema> schema_;
    std::string source_;
};

TEST_F(MigrateDb, CopiesEveryRowAsStoredAndTheCopyOpensWithTheSameKey) {
    make_source();
    const auto report = migrate_sqlite_to_postgres(source_, schema_->url());
    ASSERT_EQ(report.tables.size(), migrated_tables().size());
    EXPECT_EQ(report.rows, 1 + 1 + 1 + 2 + 1 + 1);  // team, user, customer, outbox, button, contacts_key
    EXPECT_EQ(pg_int("SELECT count(*) FROM outbox WHERE text = E'a\\tb\\\\c\\nd'"), 1);  // COPY's escapes undone
    EXPECT_EQ(pg_int("SELECT count(*) FROM customers WHERE phone LIKE 'enc1:%'"), 1);    // still sealed

    auto store = PgStore::open(schema_->url(), kKey);
    store->transact([](Repo& r) {
        const auto found = r.find_customers("Acme", 5);
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(found[0].phone, kPhone);
    });
    EXPECT_THROW(PgStore::open(schema_->url(), std::string(32, 'b')), StorageError);
}

// Every index and constraint of the schema, as text, without the schema's name.
std::vector<std::string> schema_shape(const std::string& url) {
    pg::Connection c(url);
    pg::Statement s(c,
                    "SELECT replace(indexdef, current_schema() || '.', '') FROM pg_indexes "
                    "WHERE schemaname = current_schema() UNION ALL "
                    "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) "
                    "FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 1");
    auto scope = s.use();
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.column_text(0));
    return out;
}

// The same of a schema just made.
std::vector<std::string> fresh_schema_shape() {
    fu::test::PgSchema fresh(fu::test::PgSchema::server());
    pg::Connection c(fresh.url());
    pg::migrate(c);
    return schema_shape(fresh.url());
}

TEST_F(MigrateDb, TheIndexesAndForeignKeysSetAsideForTheCopyAreAllBack) {
    make_source();
    migrate_sqlite_to_postgres(source_, schema_->url());
    const auto expected = fresh_schema_shape();
    EXPECT_GT(expected.size(), 40u);
    EXPECT_EQ(schema_shape(schema_->url()), expected);
}

TEST_F(MigrateDb, NewIdsComeAfterEveryIdSqliteGave) {
    make_source();
    migrate_sqlite_to_postgres(source_, schema_->url());
    // outbox: id 3 was given and deleted; it must never come back (a client's cursor may be past it).
    EXPECT_EQ(pg_int("SELECT nextval(pg_get_serial_sequence('outbox', 'id'))"), 4);
    EXPECT_EQ(pg_int("SELECT nextval(pg_get_serial_sequence('users', 'id'))"), 8);
    EXPECT_EQ(pg_int("SELECT nextval(pg_get_serial_sequence('audit', 'id'))"), 1);  // none given: as it was
}

TEST_F(MigrateDb, RefusesATargetWithARowAndWritesNothing) {
    make_source();
    {
        pg::Connection c(schema_->url());
        pg::migrate(c);
        c.exec("INSERT INTO seen_events (platform, event_id, seen_at) VALUES ('telegram', '1', 0)");
    }
    try {
        migrate_sqlite_to_postgres(source_, schema_->url());
        FAIL() << "copied into a non-empty database";
    } catch (const TargetNotEmpty& e) {
        EXPECT_THAT(e.what(), HasSubstr("not empty"));
        EXPECT_THAT(e.what(), HasSubstr("seen_events"));
    }
    EXPECT_EQ(rows_in_target(), 1);
}

TEST_F(MigrateDb, ASecondCopyIsRefused) {
    make_source();
    migrate_sqlite_to_postgres(source_, schema_->url());
    const auto rows = rows_in_target();
    EXPECT_THROW(migrate_sqlite_to_postgres(source_, schema_->url()), TargetNotEmpty);
    EXPECT_EQ(rows_in_target(), rows);
}

TEST_F(MigrateDb, ARowPostgreSQLRefusesRollsEverythingBack) {
    make_source();
    {
        Database db(source_);
        // A follow-up of a customer that is not there, as a file written with
        // foreign keys off could hold.
        db.exec("PRAGMA foreign_keys = OFF");
        db.exec(
            "INSERT INTO tasks (customer_id, assignee_id, due, method, priority, status, origin, created_at) "
            "VALUES (999, 7, 0, 'call', 'normal', 'open', 'manual', 0)");
    }
    try {
        migrate_sqlite_to_postgres(source_, schema_->url());
        FAIL() << "copied a task whose customer is not there";
    } catch (const StorageError& e) {
        EXPECT_THAT(e.what(), HasSubstr("tasks"));
        EXPECT_THAT(e.what(), HasSubstr("999"));
    }
    EXPECT_EQ(rows_in_target(), 0);
    EXPECT_EQ(schema_shape(schema_->url()), fresh_schema_shape());  // what was set aside came back
}

TEST_F(MigrateDb, AMissingSourceIsAnErrorAndNoFileIsMade) {
    EXPECT_THROW(migrate_sqlite_to_postgres(dir_.file("nope.db"), schema_->url()), StorageError);
    EXPECT_FALSE(std::filesystem::exists(dir_.file("nope.db")));
}

}  // namespace
}  // namespace fu::storage
