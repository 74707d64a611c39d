#include "server/storage_executor.hpp"

#include <chrono>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace fu::server {
namespace {

// The group the storage thread is running, and what runs after its commit.
thread_local std::vector<std::function<void()>>* t_after_commit = nullptr;
thread_local std::uint64_t t_group = 0;

}  // namespace

StorageExecutor::StorageExecutor(Store& store, std::size_t max_group)
    : store_(store), max_group_(std::max<std::size_t>(max_group, 1)) {}

bool StorageExecutor::after_commit(std::function<void()> fn) {
    if (!t_after_commit) return false;
    t_after_commit->push_back(std::move(fn));
    return true;
}

std::uint64_t StorageExecutor::current_group() { return t_group; }

void StorageExecutor::submit(Job job) {
    bool start = false;
    {
        std::lock_guard lock(mu_);
        queue_.push_back(std::move(job));
        start = !draining_;
        draining_ = true;
    }
    if (start) boost::asio::post(pool_, [this] { drain(); });
}

// One group per turn; then, if more is queued, the next turn is posted, so
// timers on this thread (the scheduler's) run between groups.
void StorageExecutor::drain() {
    std::vector<Job> jobs;
    {
        std::lock_guard lock(mu_);
        const std::size_t n = std::min(max_group_, queue_.size());
        jobs.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            jobs.push_back(std::move(queue_.front()));
            queue_.pop_front();
        }
    }
    if (!jobs.empty()) run_group(jobs);
    bool more = false;
    {
        std::lock_guard lock(mu_);
        more = !queue_.empty();
        if (!more) draining_ = false;
    }
    try {
        store_.upkeep(!more);
    } catch (const std::exception& e) {
        spdlog::warn("storage: upkeep failed: {}", e.what());
    }
    if (more) boost::asio::post(pool_, [this] { drain(); });
}

void StorageExecutor::run_group(std::vector<Job>& jobs) {
    std::vector<std::exception_ptr> errors(jobs.size());
    std::vector<std::function<void()>> after;
    t_after_commit = &after;
    t_group = ++groups_;
    const auto started = std::chrono::steady_clock::now();
    bool committed = true;
    try {
        store_.group([&] {
            for (std::size_t i = 0; i < jobs.size(); ++i) {
                try {
                    jobs[i].work();
                } catch (...) {
                    errors[i] = std::current_exception();
                }
            }
        });
    } catch (...) {
        // Nothing of the group is stored: every piece that had succeeded gets
        // the commit's error, and nothing that follows a commit happens.
        const auto e = std::current_exception();
        for (auto& err : errors)
            if (!err) err = e;
        after.clear();
        committed = false;
    }
    if (on_group_)
        on_group_(jobs.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                  committed);
    t_after_commit = nullptr;
    t_group = 0;
    for (auto& fn : after) {
        try {
            fn();
        } catch (const std::exception& e) {
            spdlog::error("storage: after a commit: {}", e.what());
        }
    }
    for (std::size_t i = 0; i < jobs.size(); ++i) jobs[i].done(errors[i]);
}

}  // namespace fu::server
