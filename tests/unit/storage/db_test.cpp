#include <gtest/gtest.h>

#include <sqlite3.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "storage/sqlite/db.hpp"
#include "storage_test_util.hpp"

namespace fu::storage {
namespace {

using test::TempDir;

class DbWrappers : public ::testing::Test {
protected:
    void SetUp() override {
        db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)");
        db.exec("INSERT INTO t (v, n) VALUES ('a', 1), ('b', 2), ('c', NULL)");
    }
    Database db{":memory:"};
};

TEST_F(DbWrappers, AStatementLeftHalfReadIsResetAndReusable) {
    Statement s(db, "SELECT v FROM t WHERE id >= ? ORDER BY id");
    {
        auto scope = s.use();
        s.bind(1, std::int64_t{1});
        ASSERT_TRUE(s.step());
        EXPECT_EQ(s.column_text(0), "a");
        // leaves with two rows unread
    }
    auto scope = s.use();
    s.bind(1, std::int64_t{3});
    ASSERT_TRUE(s.step());
    EXPECT_EQ(s.column_text(0), "c");
    EXPECT_FALSE(s.step());
}

TEST_F(DbWrappers, BindingsAreClearedAfterUse) {
    Statement s(db, "SELECT COUNT(*) FROM t WHERE n = ?");
    {
        auto scope = s.use();
        s.bind(1, std::int64_t{1});
        ASSERT_TRUE(s.step());
        EXPECT_EQ(s.column_int64(0), 1);
    }
    auto scope = s.use();  // unbound parameter is NULL: matches nothing
    ASSERT_TRUE(s.step());
    EXPECT_EQ(s.column_int64(0), 0);
}

TEST_F(DbWrappers, OptionalsBindAsValueOrNull) {
    Statement insert(db, "INSERT INTO t (v, n) VALUES (?, ?)");
    {
        auto scope = insert.use();
        insert.bind(1, std::optional<std::string>{}).bind(2, std::optional<std::int64_t>{42});
        insert.run();
    }
    auto id = db.last_insert_id();
    Statement select(db, "SELECT v, n FROM t WHERE id = ?");
    auto scope = select.use();
    select.bind(1, id);
    ASSERT_TRUE(select.step());
    EXPECT_TRUE(select.column_is_null(0));
    EXPECT_EQ(select.column_optional_int64(1), 42);
}

TEST_F(DbWrappers, ErrorsCarrySqlitesMessageAndTheStartOfTheSql) {
    try {
        Statement s(db, "SELEKT v FROM t WHERE id = ?");
        FAIL() << "prepared a broken statement";
    } catch (const StorageError& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("syntax error"), std::string::npos) << what;
        EXPECT_NE(what.find("SELEKT v FROM"), std::string::npos) << what;
    }
    Statement dup(db, "INSERT INTO t (id, v) VALUES (?, 'x')");
    dup.bind(1, std::int64_t{1});
    try {
        dup.run();
        FAIL() << "duplicate primary key accepted";
    } catch (const StorageError& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("UNIQUE constraint failed"), std::string::npos) << what;
        EXPECT_NE(what.find("INSERT INTO t"), std::string::npos) << what;
    }
}

TEST_F(DbWrappers, ATransactionRollsBackUnlessCommitted) {
    {
        Transaction tx(db);
        db.exec("DELETE FROM t");
        EXPECT_TRUE(db.in_transaction());
    }
    EXPECT_FALSE(db.in_transaction());
    EXPECT_EQ(db.query_text("SELECT COUNT(*) FROM t"), "3");
    {
        Transaction tx(db);
        db.exec("DELETE FROM t WHERE id = 1");
        tx.commit();
    }
    EXPECT_EQ(db.query_text("SELECT COUNT(*) FROM t"), "2");
}

TEST_F(DbWrappers, TheStatementCacheHandsBackTheSamePreparedStatement) {
    StatementCache cache(db);
    std::string sql = "SELECT COUNT(*) FROM t";
    Statement& a = cache.get(sql);
    Statement& b = cache.get(std::string(sql));  // same text, different buffer
    EXPECT_EQ(&a, &b);
    EXPECT_NE(&a, &cache.get("SELECT 1"));
}

// Each command of a group runs in a savepoint, whose journal (the pages'
// original images) SQLite keeps in a temporary file once it passes 64 KiB,
// unless temporary data is kept in memory. Such a file is created and
// unlinked in the temporary directory for each transaction: costly, and
// page images in freed blocks. inotify sees any file made there.
TEST(Database, SavepointJournalsStayInMemory) {
    TempDir dir, tmp;
    const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    ASSERT_GE(fd, 0);
    ASSERT_GE(inotify_add_watch(fd, tmp.path().c_str(), IN_CREATE), 0);
    char* saved = sqlite3_temp_directory;
    sqlite3_temp_directory = sqlite3_mprintf("%s", tmp.path().c_str());
    {
        Database db(dir.file("fu.db"), Durability::normal);
        db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        db.exec("CREATE INDEX t_v ON t (v)");
        for (int i = 0; i < 2000; ++i) db.exec("INSERT INTO t (v) VALUES (hex(randomblob(200)))");
        Transaction tx(db);
        for (int step = 0; step < 3; ++step) {
            Savepoint sp(db);
            db.exec("UPDATE t SET v = hex(randomblob(200))");  // every page of the table and index
            sp.release();
        }
        tx.commit();
    }
    sqlite3_free(sqlite3_temp_directory);
    sqlite3_temp_directory = saved;
    char events[4096];
    const auto n = ::read(fd, events, sizeof events);
    ::close(fd);
    EXPECT_LE(n, 0) << "a temporary file was made in " << tmp.path();
}

TEST(Database, OpeningAnUnwritablePathFails) {
    TempDir dir;
    EXPECT_THROW(Database(dir.file("missing-dir/f.db")), StorageError);
}

}  // namespace
}  // namespace fu::storage
