// Backups of a SQLite database (storage/sqlite/backup.hpp) and the backup a
// schema migration makes first.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "storage/sql/contact_cipher.hpp"
#include "storage/sql/statement.hpp"
#include "storage/sqlite/backup.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage_test_util.hpp"

namespace fu::storage {
namespace {

using test::TempDir;

const std::string kKey(ContactCipher::kKeyBytes, '\x42');

TEST(Backup, ACopyWithTheSchemaAndTheKeysCheckValueThatNeverOverwrites) {
    TempDir dir;
    const auto db = dir.file("live.db");
    SqliteStore::open(db, kKey).reset();
    const auto info = backup_database(db, dir.file("b.db"));
    EXPECT_EQ(info.schema_version, latest_schema_version());
    EXPECT_EQ(info.key_check, key_check_value(kKey));
    EXPECT_FALSE(std::filesystem::exists(dir.file("b.db.partial")));
    EXPECT_EQ(inspect_database(dir.file("b.db")).key_check, key_check_value(kKey));
    EXPECT_THROW(backup_database(db, dir.file("b.db")), StorageError);
    EXPECT_THROW(backup_database(dir.file("none.db"), dir.file("c.db")), StorageError);
}

TEST(Backup, InspectRefusesWhatIsNotAFollowupdDatabase) {
    TempDir dir;
    {
        Database other(dir.file("other.db"));
        other.exec("CREATE TABLE t (x)");
    }
    EXPECT_THROW(inspect_database(dir.file("other.db")), StorageError);
    std::filesystem::create_directories(dir.path());
    {
        std::FILE* f = std::fopen(dir.file("junk.db").c_str(), "w");
        std::fputs("this is not a database, just text that is long enough to have a header.......", f);
        std::fclose(f);
    }
    EXPECT_THROW(inspect_database(dir.file("junk.db")), StorageError);
}

TEST(Backup, RestoreRefusesADatabaseInUseAndReplacesOneThatIsNot) {
    TempDir dir;
    const auto source = dir.file("source.db");
    {
        Database d(source);
        migrate(d);
        d.exec("INSERT INTO teams (name) VALUES ('From Backup')");
    }
    backup_database(source, dir.file("b.db"));
    const auto target = dir.file("target.db");
    {
        auto open = SqliteStore::open(target);  // a running followupd
        EXPECT_THROW(restore_database(dir.file("b.db"), target), StorageError);
    }
    restore_database(dir.file("b.db"), target);
    Database d(target);
    EXPECT_EQ(d.query_text("SELECT name FROM teams"), "From Backup");
    EXPECT_EQ(d.query_text("PRAGMA journal_mode"), "wal");
}

TEST(Backup, AMigrationBacksTheOlderDatabaseUpFirst) {
    TempDir dir;
    const auto path = dir.file("old.db");
    // The version before the latest (versions need not be consecutive).
    const auto steps = builtin_migrations();
    ASSERT_GE(steps.size(), 2u);
    const int previous = steps[steps.size() - 2].version;
    {
        Database d(path);
        apply_migrations(d, steps.first(steps.size() - 1));
        d.exec("INSERT INTO teams (name) VALUES ('Before Upgrade')");
    }
    SqliteStore::open(path).reset();
    const auto bak = dir.file("old.db.v" + std::to_string(previous) + ".bak");
    ASSERT_TRUE(std::filesystem::exists(bak));
    EXPECT_EQ(inspect_database(bak).schema_version, previous);
    Database d(bak);
    EXPECT_EQ(d.query_text("SELECT name FROM teams"), "Before Upgrade");
    // An up-to-date database is not backed up again.
    SqliteStore::open(path).reset();
    EXPECT_FALSE(std::filesystem::exists(dir.file("old.db.v" + std::to_string(previous) + ".2.bak")));
    EXPECT_FALSE(std::filesystem::exists(dir.file("old.db.v" + std::to_string(latest_schema_version()) + ".bak")));
}

}  // namespace
}  // namespace fu::storage
