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
