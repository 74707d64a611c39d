#include "storage/sqlite/checkpointer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "storage/sqlite/db.hpp"
#include "storage_test_util.hpp"

namespace fu::storage {
namespace {

using test::TempDir;

// The writer reports the log's size after each commit, as SqliteStore does.
void report_to(Database& writer, Checkpointer& c) {
    sqlite3_wal_hook(
        writer.handle(),
        [](void* self, sqlite3*, const char*, int pages) -> int {
            static_cast<Checkpointer*>(self)->grew(pages);
            return SQLITE_OK;
        },
        &c);
}

bool wait_for(const std::function<bool()>& done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

// What the writer committed reaches the database file while the writer is
// in its next transaction: the copy runs on the checkpointer's own
// connection and thread, and does not wait for the writer.
TEST(Checkpointer, CopiesTheLogBackWhileTheWriterIsInATransaction) {
    TempDir dir;
    const auto path = dir.file("fu.db");
    Database writer(path, Durability::normal);
    writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    Checkpointer c(path, Durability::normal, 100);
    report_to(writer, c);
    const auto before = std::filesystem::file_size(path);
    {
        Transaction tx(writer);
        for (int i = 0; i < 1000; ++i) writer.exec("INSERT INTO t (v) VALUES (hex(randomblob(500)))");  // ~250 pages
        tx.commit();
    }
    Transaction next(writer);
    writer.exec("INSERT INTO t (v) VALUES ('held')");
    EXPECT_TRUE(wait_for([&] { return std::filesystem::file_size(path) > before + 100 * 4096; }))
        << "the database file did not grow: " << std::filesystem::file_size(path) << " bytes";
    EXPECT_TRUE(wait_for([&] { return c.passes() >= 1; }));  // the pass ends after its last write
    next.commit();
}

// Below the threshold nothing runs: small commits are not each followed by
// a pass.
TEST(Checkpointer, WaitsUntilTheLogReachesItsThreshold) {
    TempDir dir;
    const auto path = dir.file("fu.db");
    Database writer(path, Durability::normal);
    writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    Checkpointer c(path, Durability::normal, 1000);
    report_to(writer, c);
    for (int i = 0; i < 20; ++i) writer.exec("INSERT INTO t (v) VALUES ('small')");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(c.passes(), 0u);
    {
        Transaction tx(writer);
        for (int i = 0; i < 4000; ++i) writer.exec("INSERT INTO t (v) VALUES (hex(randomblob(500)))");  // ~1,000 pages
        tx.commit();
    }
    EXPECT_TRUE(wait_for([&] { return c.passes() >= 1; }));
}

}  // namespace
}  // namespace fu::storage
