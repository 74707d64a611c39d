#pragma once
// All storage and domain work runs here, on one thread: SQLite has one writer,
// and the network I/O threads never wait for the disk.
//
// Group commit: the work queued while the thread was busy runs as one group
// (Store::group): one transaction, each piece's transact() a savepoint of it,
// so a piece that fails is undone alone. The group commits with one flush to
// disk, and only then does any of its callers resume, with its result or, if
// the commit failed, the commit's error: nothing is acknowledged before it is
// stored. Work queued to an idle thread starts at once; nothing waits to fill
// a group, and a group holds at most `max_group` pieces.
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

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
    explicit StorageExecutor(Store& store, std::size_t max_group = 64);
    StorageExecutor(const StorageExecutor&) = delete;
    StorageExecutor& operator=(const StorageExecutor&) = delete;

    // The storage thread, for timers of code that lives there (the scheduler).
    boost::asio::thread_pool::executor_type executor() { return pool_.get_executor(); }

    // Runs f on the storage thread, inside a group; the awaiting coroutine
    // resumes on its own executor once the group is committed. An exception
    // from f, or from the commit, propagates to the awaiter.
    // Pass a named function object (co_await run(std::move(fn))): GCC 12
    // destroys non-trivial temporaries inside a co_await expression twice
    // (GCC PR 99576), so call sites must not build one there.
    template <class F>
    boost::asio::awaitable<std::invoke_result_t<std::decay_t<F>&>> run(F&& f);

    // Inside run()'s function (the storage thread): `fn` runs on the storage
    // thread after this group commits, before its callers resume; dropped if
    // the commit fails. Returns false, doing nothing, outside a group.
    static bool after_commit(std::function<void()> fn);
    // Which group the storage thread is running; 0 outside one.
    static std::uint64_t current_group();

    // Finishes the queued work, then stops the thread.
    void join() { pool_.join(); }

    // Set before any work: told of each group once it committed or failed
    // (pieces, seconds from its begin to its commit, committed), on the
    // storage thread.
    void on_group(std::function<void(std::size_t, double, bool)> f) { on_group_ = std::move(f); }

private:
    struct Job {
        std::function<void()> work;                      // storage thread, inside the group
        std::function<void(std::exception_ptr)> done;    // after the commit (nullptr: success)
    };
    void submit(Job job);
    void drain();
    void run_group(std::vector<Job>& jobs);

    Store& store_;
    std::size_t max_group_;
    std::mutex mu_;
    std::deque<Job> queue_;
    bool draining_ = false;  // a drain() is posted or running
    std::uint64_t groups_ = 0;
    std::function<void(std::size_t, double, bool)> on_group_;
    boost::asio::thread_pool pool_{1};  // last: joined before the queue goes
};

template <class F>
boost::asio::awaitable<std::invoke_result_t<std::decay_t<F>&>> StorageExecutor::run(F&& f) {
    namespace asio = boost::asio;
    using R = std::invoke_result_t<std::decay_t<F>&>;
    using Value = std::conditional_t<std::is_void_v<R>, std::monostate, R>;
    auto slot = std::make_shared<std::optional<Value>>();
    auto fn = std::make_shared<std::decay_t<F>>(std::forward<F>(f));
    auto initiate = [this, slot, fn](auto handler) {
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
        submit(std::move(job));
    };
    std::optional<Value> value =
        co_await asio::async_initiate<const asio::use_awaitable_t<>, void(std::exception_ptr, std::optional<Value>)>(
            initiate, asio::use_awaitable);
    if constexpr (!std::is_void_v<R>) co_return std::move(*value);
}

}  // namespace fu::server
