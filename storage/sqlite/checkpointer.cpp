#include "storage/sqlite/checkpointer.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

namespace fu::storage {

Checkpointer::Checkpointer(const std::string& path, Durability durability, int threshold)
    : db_(std::make_unique<Database>(path, durability)), threshold_(threshold) {
    thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
}

void Checkpointer::grew(int pages) {
    if (pages < threshold_) return;
    {
        std::lock_guard lock(mu_);
        if (wake_) return;  // already asked
        wake_ = true;
    }
    cv_.notify_one();
}

void Checkpointer::run() {
    for (;;) {
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [this] { return wake_ || stop_; });
            if (stop_) return;
            wake_ = false;
        }
        // PASSIVE never takes the writer's lock and never waits: SQLITE_BUSY
        // only means another checkpoint ran at that moment.
        const int rc = sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            spdlog::warn("storage: checkpoint of the write-ahead log failed: {}", sqlite3_errmsg(db_->handle()));
        passes_.fetch_add(1);
    }
}

}  // namespace fu::storage
