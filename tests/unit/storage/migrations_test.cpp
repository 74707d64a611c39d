#include <gtest/gtest.h>

#include <array>
#include <filesystem>

#include "storage/sqlite/db.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage_test_util.hpp"

namespace fu::storage {
namespace {

using test::RawDb;
using test::TempDir;

TEST(Migrations, FreshFileReachesTheLatestVersion) {
    TempDir dir;
    auto path = dir.file("var/nested/followupd.db");  // parent directories do not exist yet
    auto store = SqliteStore::open(path);
    EXPECT_TRUE(std::filesystem::exists(path));
    EXPECT_EQ(store->schema_version(), latest_schema_version());
    EXPECT_GE(latest_schema_version(), 1);

    RawDb raw(path);
    EXPECT_EQ(raw.scalar("SELECT MAX(version) FROM schema_version"), std::to_string(latest_schema_version()));
    for (const char* table : {"teams", "users", "customers", "tasks", "interactions", "transfers", "audit", "outbox",
                              "outbox_buttons", "identities", "seen_events", "deliveries"})
        EXPECT_EQ(raw.scalar(std::string("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = '") +
                             table + "'"),
                  "1")
            << table;
}

TEST(Migrations, ReopeningKeepsDataAndVersion) {
    TempDir dir;
    auto path = dir.file("f.db");
    TeamId id;
    {
        auto store = SqliteStore::open(path);
        store->transact([&](Repo& r) { id = r.add_team(Team{{}, "华东销售"}); });
    }
    auto store = SqliteStore::open(path);
    EXPECT_EQ(store->schema_version(), latest_schema_version());
    store->transact([&](Repo& r) {
        auto team = r.team(id);
        ASSERT_TRUE(team);
        EXPECT_EQ(team->name, "华东销售");
    });
    RawDb raw(path);
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM schema_version"), std::to_string(builtin_migrations().size()));
}

TEST(Migrations, WalForeignKeysSynchronousFullAndBusyTimeoutAreSet) {
    TempDir dir;
    auto path = dir.file("f.db");
    Database db(path);
    EXPECT_EQ(db.query_text("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(db.query_text("PRAGMA foreign_keys"), "1");
    EXPECT_EQ(db.query_text("PRAGMA synchronous"), "2");  // FULL: durable by default
    EXPECT_EQ(Database(path, Durability::normal).query_text("PRAGMA synchronous"), "1");
    EXPECT_EQ(db.query_text("PRAGMA busy_timeout"), "5000");

    // WAL is a property of the file: another connection sees it too.
    RawDb raw(path);
    EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
}

TEST(Migrations, AnOldFileIsUpgradedAndACurrentOneIsLeftAlone) {
    TempDir dir;
    Database db(dir.file("f.db"));
    const std::array<Migration, 1> v1{Migration{1, "CREATE TABLE one (x INTEGER)"}};
    const std::array<Migration, 2> v2{Migration{1, "CREATE TABLE one (x INTEGER)"},
                                      Migration{2, "CREATE TABLE two (y INTEGER); INSERT INTO one (x) VALUES (7)"}};
    EXPECT_EQ(current_schema_version(db), 0);
    EXPECT_EQ(apply_migrations(db, v1), 1);
    EXPECT_EQ(apply_migrations(db, v2), 2);
    EXPECT_EQ(db.query_text("SELECT COUNT(*) FROM two"), "0");
    // Running again re-applies nothing (re-running CREATE TABLE would fail).
    EXPECT_EQ(apply_migrations(db, v2), 2);
    EXPECT_EQ(db.query_text("SELECT COUNT(*) FROM one"), "1");
}

// Version 15 lets an outbox row have no user (a reply to a sender who is not
// registered) by editing the table's definition: a file at 14 with messages and
// deliveries keeps them all, foreign keys still hold (a delivery of no message
// is refused), and the file passes integrity_check.
TEST(Migrations, TheOutboxTakesAMessageWithNoUserAfterVersion15AndKeepsWhatItHad) {
    TempDir dir;
    const auto path = dir.file("f.db");
    {
        Database db(path);
        const auto all = builtin_migrations();
        ASSERT_EQ(all[14].version, 15);
        EXPECT_EQ(apply_migrations(db, all.first(14)), 14);
        db.exec(
            "INSERT INTO users (id, handle, role, time_zone, lang, work_start_minute, work_end_minute, work_days) "
            "VALUES (1, 'wang', 'rep', 'Asia/Shanghai', 'zh', 540, 1080, 31)");
        db.exec("INSERT INTO outbox (id, user_id, created_at, kind, text) VALUES (7, 1, 100, 'reply', 'hi')");
        db.exec(
            "INSERT INTO deliveries (message_id, platform, recipient, status, next_attempt, created_at) "
            "VALUES (7, 'telegram', '5', 'pending', 100, 100)");
        EXPECT_THROW(db.exec("INSERT INTO outbox (user_id, created_at, kind, text) VALUES (NULL, 1, 'reply', 'x')"),
                     StorageError);
        EXPECT_EQ(apply_migrations(db, all), latest_schema_version());
        db.exec("INSERT INTO outbox (id, user_id, created_at, kind, text) VALUES (8, NULL, 101, 'reply', 'stranger')");
        EXPECT_THROW(
            db.exec("INSERT INTO deliveries (message_id, platform, recipient, status, next_attempt, created_at) "
                    "VALUES (99, 'telegram', '5', 'pending', 100, 100)"),
            StorageError);
        EXPECT_EQ(apply_migrations(db, all), latest_schema_version());  // again: nothing to do
    }
    RawDb raw(path);
    EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM outbox"), "2");
    EXPECT_EQ(raw.scalar("SELECT user_id FROM outbox WHERE id = 7"), "1");
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM deliveries WHERE message_id = 7"), "1");
    EXPECT_EQ(raw.scalar("SELECT user_id FROM outbox WHERE id = 8"), "NULL");
}

TEST(Migrations, AFailingMigrationLeavesTheFileAtThePreviousVersion) {
    TempDir dir;
    Database db(dir.file("f.db"));
    const std::array<Migration, 2> broken{Migration{1, "CREATE TABLE one (x INTEGER)"},
                                          Migration{2, "CREATE TABLE two (y INTEGER); NOT SQL AT ALL"}};
    EXPECT_THROW(apply_migrations(db, broken), StorageError);
    EXPECT_EQ(current_schema_version(db), 1);
    EXPECT_EQ(db.query_text("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'two'"), "0");
    EXPECT_FALSE(db.in_transaction());
}

TEST(Migrations, AFileFromANewerBuildIsRefused) {
    TempDir dir;
    auto path = dir.file("f.db");
    {
        Database db(path);
        migrate(db);
        db.exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(latest_schema_version() + 1) + ")");
    }
    EXPECT_THROW(SqliteStore::open(path), StorageError);
}

TEST(Migrations, InMemoryStoreWorks) {
    auto store = SqliteStore::open(":memory:");
    EXPECT_EQ(store->schema_version(), latest_schema_version());
    store->transact([](Repo& r) { EXPECT_EQ(r.customer_count(), 0u); });
}

}  // namespace
}  // namespace fu::storage
