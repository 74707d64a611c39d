#pragma once
// All storage and domain work runs here, on storage threads: the network I/O
// threads never wait for the disk or the database.
//
// Lanes: SQLite has one writer, so it has one lane, one thread. A server
// engine (PostgreSQL) may have several lanes, each a thread with a connection
// of its own (a Store of its own), so that the round trips of several groups
// overlap. Work goes to the least busy lane, or, with a key, always to the
// same lane (one sender's messages run in the order they came). store() is
// the Store to use from work run here: it is the running lane's own.
//
// Group commit: the work queued while a lane was busy runs as one group
// (Store::group): one transaction, each piece's transact() a savepoint of it,
// so a piece that fails is undone alone. The group commits with one flush to
// disk, and only then does any of its callers resume, with its result or, if
// the commit failed, the commit's error: nothing is acknowledged before it is
// stored. Work queued to an idle lane starts at once; nothing waits to fill a
// group, and a group holds at most `max_group` pieces.
//
// Lanes run side by side, so their transactions may wait on each other's
// locks; the database then breaks a deadlock by failing one of them with a
// StoreConflict. A piece that fails so is run again in its group, and a group
// whose commit fails so is run again whole, up to kConflictTries in all.
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/store.hpp"

namespace fu::server {

class StorageExecutor {
public:
    static constexpr std::size_t kMaxLanes = 32;
    static constexpr int kConflictTries = 3;
    static constexpr std::size_t kNoLane = static_cast<std::size_t>(-1);

    // One lane on `store`.
    explicit StorageExecutor(Store& store, std::size_t max_group = 64);
    // A lane per store (1 to kMaxLanes); lanes[0] is the first lane, where
    // timers run and work that must run alone goes.
    explicit StorageExecutor(std::vector<Store*> lanes, std::size_t max_group = 64);
    ~StorageExecutor();
    StorageExecutor(const StorageExecutor&) = delete;
    StorageExecutor& operator=(const StorageExecutor&) = delete;

    // The first lane's thread, for timers of code that lives there (the
    // scheduler, retention).
    boost::asio::thread_pool::executor_type executor();
    std::size_t lanes() const { return lanes_.size(); }
    // The store for work run here: on a lane's thread, that lane's own; on
    // any other thread (start-up, tests), the first lane's.
    Store& store() { return *proxy_; }

    // Runs f on the least busy lane, inside a group; the awaiting coroutine
    // resumes on its own executor once the group is committed. An exception
    // from f, or from the commit, propagates to the awaiter.
    // Pass a named function object (co_await run(std::move(fn))): GCC 12
    // destroys non-trivial temporaries inside a co_await expression twice
    // (GCC PR 99576), so call sites must not build one there.
    template <class F>
    boost::asio::awaitable<std::invoke_result_t<std::decay_t<F>&>> run(F&& f) {
        return run_on(pick_lane(), false, std::forward<F>(f));
    }
    // The same, on the lane of `key`: work with one key runs in the order it
    // was queued, never side by side.
    template <class F>
    boost::asio::awaitable<std::invoke_result_t<std::decay_t<F>&>> run_keyed(std::uint64_t key, F&& f) {
        return run_on(key % lanes_.size(), false, std::forward<F>(f));
    }
    // The same, while no other lane runs anything (a reload that changes
    // what every lane reads); a group of its own on the first lane.
    template <class F>
    boost::asio::awaitable<std::invoke_result_t<std::decay_t<F>&>> run_alone(F&& f) {
        return run_on(0, true, std::forward<F>(f));
    }

    // Inside run()'s function (a storage thread): `fn` runs on that thread
    // after this group commits, before its callers resume; dropped if the
    // commit fails. Returns false, doing nothing, outside a group.
    static bool after_commit(std::function<void()> fn);
    // Which group this storage thread is running (unique across lanes); 0 outside one.
    static std::uint64_t current_group();
    // Which lane this thread is (0 … lanes()-1); kNoLane on any other thread.
    static std::size_t current_lane();

    // Finishes the queued work, then stops the threads.
    void join();

    // Set before any work: told of each group once it committed or failed
    // (pieces, seconds from its begin to its commit, committed), on the
    // lane's thread.
    void on_group(std::function<void(std::size_t, double, bool)> f) { on_group_ = std::move(f); }

private:
    struct Job {
        std::function<void()> work;                    // storage thread, inside the group
        std::function<void(std::exception_ptr)> done;  // after the commit (nullptr: success)
        bool alone = false;
    };
    struct Lane;
    class LaneStore;

    template <class F>
    boost::asio::awaitable<std::invoke_result_t<std::decay_t<F>&>> run_on(std::size_t lane, bool alone, F&& f);
    std::size_t pick_lane() const;
    void submit(std::size_t lane, Job job);
    void drain(Lane& lane);
    void run_group(Lane& lane, std::vector<Job>& jobs);
    void run_group_once(Lane& lane, std::vector<Job>& jobs, std::vector<std::exception_ptr>& errors);

    std::size_t max_group_;
    std::unique_ptr<Store> proxy_;
    std::atomic<std::uint64_t> groups_{0};
    std::function<void(std::size_t, double, bool)> on_group_;
    // Work that runs alone waits for the groups running on other lanes, and
    // they wait for it (only with more than one lane).
    std::mutex gate_mu_;
    std::condition_variable gate_cv_;
    int active_ = 0;
    bool alone_ = false;
    // Last: their threads are stopped and joined before anything they use goes.
    std::vector<std::unique_ptr<Lane>> lanes_;
};

template <class F>
boost::asio::awaitable<std::invoke_result_t<std::decay_t<F>&>> StorageExecutor::run_on(std::size_t lane, bool alone,
                                                                                       F&& f) {
    namespace asio = boost::asio;
    using R = std::invoke_result_t<std::decay_t<F>&>;
    using Value = std::conditional_t<std::is_void_v<R>, std::monostate, R>;
    auto slot = std::make_shared<std::optional<Value>>();
    auto fn = std::make_shared<std::decay_t<F>>(std::forward<F>(f));
    auto initiate = [this, slot, fn, lane, alone](auto handler) {
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        Job job;
        job.work = [slot, fn] {
            if constexpr (std::is_void_v<R>) {
                (*fn)();
                slot->emplace();
            } else {
                slot->emplace((*fn)());
            }
        };
        job.done = [slot, h](std::exception_ptr e) {
            auto ex = asio::get_associated_executor(*h);
            asio::post(ex, [slot, h, e] { std::move (*h)(e, e ? std::optional<Value>() : std::move(*slot)); });
        };
        job.alone = alone;
        submit(lane, std::move(job));
    };
    std::optional<Value> value =
        co_await asio::async_initiate<const asio::use_awaitable_t<>, void(std::exception_ptr, std::optional<Value>)>(
            initiate, asio::use_awaitable);
    if constexpr (!std::is_void_v<R>) co_return std::move(*value);
}

}  // namespace fu::server
