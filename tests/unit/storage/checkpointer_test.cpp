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

// A writer on a new database file with a table `t`, and a checkpointer of
// `threshold` pages it reports to after each commit, as SqliteStore does.
struct WalRig {
    explicit WalRig(int threshold)
        : path(dir.file("fu.db")), writer(path, Durability::normal), checkpointer(path, Durability::normal, threshold) {
        writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        sqlite3_wal_hook(
            writer.handle(),
            [](void* self, sqlite3*, const char*, int pages) -> int {
                static_cast<Checkpointer*>(self)->grew(pages);
                return SQLITE_OK;
            },
            &checkpointer);
    }
    // Commits `rows` rows of 1,000 characters (about 4 to a page).
    void commit_rows(int rows) {
        Transaction tx(writer);
        for (int i = 0; i < rows; ++i) writer.exec("INSERT INTO t (v) VALUES (hex(randomblob(500)))");
        tx.commit();
    }
    TempDir dir;
    std::string path;
    Database writer;
    Checkpointer checkpointer;
};

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
    WalRig s(100);
    const auto before = std::filesystem::file_size(s.path);
    s.commit_rows(1000);  // ~250 pages
    Transaction next(s.writer);
    s.writer.exec("INSERT INTO t (v) VALUES ('held')");
    EXPECT_TRUE(wait_for([&] { return std::filesystem::file_size(s.path) > before + 100 * 4096; }))
        << "the database file did not grow: " << std::filesystem::file_size(s.path) << " bytes";
    EXPECT_TRUE(wait_for([&] { return s.checkpointer.passes() >= 1; }));  // the pass ends after its last write
    next.commit();
}

// Below the threshold nothing runs: small commits are not each followed by
// a pass.
TEST(Checkpointer, WaitsUntilTheLogReachesItsThreshold) {
    WalRig s(1000);
    for (int i = 0; i < 20; ++i) s.writer.exec("INSERT INTO t (v) VALUES ('small')");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(s.checkpointer.passes(), 0u);
    s.commit_rows(4000);  // ~1,000 pages
    EXPECT_TRUE(wait_for([&] { return s.checkpointer.passes() >= 1; }));
}

}  // namespace
}  // namespace fu::storage
