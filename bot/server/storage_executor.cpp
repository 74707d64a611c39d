#include "server/storage_executor.hpp"

#include <chrono>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace fu::server {
namespace {

// The group this storage thread is running, what runs after its commit, and
// which lane (and store) the thread is.
thread_local std::vector<std::function<void()>>* t_after_commit = nullptr;
thread_local std::uint64_t t_group = 0;
thread_local std::size_t t_lane = StorageExecutor::kNoLane;
thread_local Store* t_store = nullptr;

bool conflict(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const StoreConflict&) {
        return true;
    } catch (...) {
        return false;
    }
}

}  // namespace

struct StorageExecutor::Lane {
    Lane(Store& s, std::size_t i) : store(s), index(i) {}
    Store& store;
    const std::size_t index;
    std::mutex mu;
    std::deque<Job> queue;
    bool draining = false;             // a drain() is posted or running
    std::atomic<std::size_t> load{0};  // queued and running pieces, for picking a lane
    boost::asio::thread_pool pool{1};  // last: joined before the queue goes
};

// What work run here calls: the running lane's own store.
class StorageExecutor::LaneStore final : public Store {
public:
    explicit LaneStore(Store& first) : first_(first) {}
    void transact(const std::function<void(Repo&)>& fn) override { here().transact(fn); }
    void group(const std::function<void()>& body) override { here().group(body); }
    int schema_version() override { return here().schema_version(); }
    void announce(const std::vector<UserId>& users) override { here().announce(users); }
    std::unique_ptr<Announcements> listen() override { return here().listen(); }

private:
    Store& here() const { return t_store ? *t_store : first_; }
    Store& first_;
};

StorageExecutor::StorageExecutor(Store& store, std::size_t max_group)
    : StorageExecutor(std::vector<Store*>{&store}, max_group) {}

StorageExecutor::StorageExecutor(std::vector<Store*> lanes, std::size_t max_group)
    : max_group_(std::max<std::size_t>(max_group, 1)) {
    if (lanes.empty() || lanes.size() > kMaxLanes)
        throw std::invalid_argument("StorageExecutor: 1 to " + std::to_string(kMaxLanes) + " lanes");
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        lanes_.push_back(std::make_unique<Lane>(*lanes[i], i));
        Lane* lane = lanes_.back().get();
        // The thread knows its lane from the start, also for timers that run there.
        boost::asio::post(lane->pool, [lane] {
            t_lane = lane->index;
            t_store = &lane->store;
        });
    }
    proxy_ = std::make_unique<LaneStore>(*lanes[0]);
}

StorageExecutor::~StorageExecutor() = default;

boost::asio::thread_pool::executor_type StorageExecutor::executor() { return lanes_[0]->pool.get_executor(); }

void StorageExecutor::join() {
    for (auto& lane : lanes_) lane->pool.join();
}

bool StorageExecutor::after_commit(std::function<void()> fn) {
    if (!t_after_commit) return false;
    t_after_commit->push_back(std::move(fn));
    return true;
}

std::uint64_t StorageExecutor::current_group() { return t_group; }

std::size_t StorageExecutor::current_lane() { return t_lane; }

std::size_t StorageExecutor::pick_lane() const {
    if (lanes_.size() == 1) return 0;
    std::size_t best = 0;
    std::size_t least = lanes_[0]->load.load(std::memory_order_relaxed);
    for (std::size_t i = 1; i < lanes_.size() && least > 0; ++i) {
        const auto load = lanes_[i]->load.load(std::memory_order_relaxed);
        if (load < least) {
            least = load;
            best = i;
        }
    }
    return best;
}

void StorageExecutor::submit(std::size_t index, Job job) {
    Lane& lane = *lanes_[index];
    lane.load.fetch_add(1, std::memory_order_relaxed);
    bool start = false;
    {
        std::lock_guard lock(lane.mu);
        lane.queue.push_back(std::move(job));
        start = !lane.draining;
        lane.draining = true;
    }
    if (start) boost::asio::post(lane.pool, [this, &lane] { drain(lane); });
}

// One group per turn; then, if more is queued, the next turn is posted, so
// timers on this thread (the scheduler's) run between groups. Work that runs
// alone is a group of its own.
void StorageExecutor::drain(Lane& lane) {
    std::vector<Job> jobs;
    {
        std::lock_guard lock(lane.mu);
        const std::size_t n = std::min(max_group_, lane.queue.size());
        jobs.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            if (lane.queue.front().alone && !jobs.empty()) break;
            jobs.push_back(std::move(lane.queue.front()));
            lane.queue.pop_front();
            if (jobs.back().alone) break;
        }
    }
    if (!jobs.empty()) {
        const bool alone = jobs.front().alone;
        const bool gated = lanes_.size() > 1;
        if (gated) {
            std::unique_lock lock(gate_mu_);
            if (alone) {
                gate_cv_.wait(lock, [&] { return !alone_; });
                alone_ = true;  // no lane starts a group now
                gate_cv_.wait(lock, [&] { return active_ == 0; });
            } else {
                gate_cv_.wait(lock, [&] { return !alone_; });
                ++active_;
            }
        }
        run_group(lane, jobs);
        if (gated) {
            {
                std::lock_guard lock(gate_mu_);
                if (alone)
                    alone_ = false;
                else
                    --active_;
            }
            gate_cv_.notify_all();
        }
        lane.load.fetch_sub(jobs.size(), std::memory_order_relaxed);
    }
    bool more = false;
    {
        std::lock_guard lock(lane.mu);
        more = !lane.queue.empty();
        if (!more) lane.draining = false;
    }
    if (more) boost::asio::post(lane.pool, [this, &lane] { drain(lane); });
}

void StorageExecutor::run_group(Lane& lane, std::vector<Job>& jobs) {
    std::vector<std::exception_ptr> errors(jobs.size());
    std::vector<std::function<void()>> after;
    for (int attempt = 1;; ++attempt) {
        std::fill(errors.begin(), errors.end(), nullptr);
        after.clear();
        const auto started = std::chrono::steady_clock::now();
        std::exception_ptr commit_error;
        t_after_commit = &after;
        t_group = ++groups_;
        try {
            run_group_once(lane, jobs, errors);
        } catch (...) {
            commit_error = std::current_exception();
        }
        t_after_commit = nullptr;
        t_group = 0;
        if (commit_error && conflict(commit_error) && attempt < kConflictTries) {
            spdlog::debug("storage: a group of {} met another transaction's locks; running it again", jobs.size());
            continue;  // a new group: nothing of this one was stored
        }
        if (commit_error) {
            // Nothing of the group is stored: every piece that had succeeded
            // gets the commit's error, and nothing that follows a commit happens.
            for (auto& err : errors)
                if (!err) err = commit_error;
            after.clear();
        }
        if (on_group_)
            on_group_(jobs.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                      !commit_error);
        break;
    }
    for (auto& fn : after) {
        try {
            fn();
        } catch (const std::exception& e) {
            spdlog::error("storage: after a commit: {}", e.what());
        }
    }
    for (std::size_t i = 0; i < jobs.size(); ++i) jobs[i].done(errors[i]);
}

void StorageExecutor::run_group_once(Lane& lane, std::vector<Job>& jobs, std::vector<std::exception_ptr>& errors) {
    lane.store.group([&] {
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            for (int attempt = 1;; ++attempt) {
                try {
                    jobs[i].work();
                    errors[i] = nullptr;
                } catch (...) {
                    errors[i] = std::current_exception();
                    // Undone alone (its savepoint): once more, now that the
                    // other transaction has its locks or is gone.
                    if (conflict(errors[i]) && attempt < kConflictTries) continue;
                }
                break;
            }
        }
    });
}

}  // namespace fu::server
