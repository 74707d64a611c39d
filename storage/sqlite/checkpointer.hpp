#pragma once
// Copies a SQLite database's write-ahead log back into its file, on a thread
// and connection of its own, so that no request's commit ever waits for it.
//
// The writer's WAL hook reports the log's size after each commit (grew());
// from `threshold` pages on, the checkpointer wakes and runs a PASSIVE
// checkpoint: it copies what is committed and never waits for, nor blocks,
// the writer. Once it has copied everything, the writer's next transaction
// starts the log over from its beginning.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "storage/sqlite/db.hpp"

namespace fu::storage {

class Checkpointer {
public:
    static constexpr int kDefaultThreshold = 1000;  // pages: 4 MiB, SQLite's own default

    // Opens its own connection to `path` (a file, not ":memory:"). Throws StorageError.
    Checkpointer(const std::string& path, Durability durability, int threshold = kDefaultThreshold);
    ~Checkpointer();  // finishes a pass under way, then stops
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

    // From the writer's thread, after a commit: the log now holds `pages`.
    void grew(int pages);
    // Passes run so far (for tests and the logs).
    std::uint64_t passes() const { return passes_.load(); }

private:
    void run();

    std::unique_ptr<Database> db_;
    const int threshold_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool wake_ = false;
    bool stop_ = false;
    std::atomic<std::uint64_t> passes_{0};
    std::thread thread_;
};

}  // namespace fu::storage
