#pragma once
// All storage and domain work runs here, on one thread: SQLite has one writer,
// and the network I/O threads never wait for the disk.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>
#include <utility>

namespace fu::server {

class StorageExecutor {
public:
    StorageExecutor() : pool_(1) {}
    StorageExecutor(const StorageExecutor&) = delete;
    StorageExecutor& operator=(const StorageExecutor&) = delete;

    boost::asio::thread_pool::executor_type executor() { return pool_.get_executor(); }

    // Runs f on the storage thread; the awaiting coroutine resumes on its own
    // executor. Exceptions from f propagate to the awaiter.
    // Pass a named function object (co_await run(std::move(fn))): GCC 12
    // destroys non-trivial temporaries inside a co_await expression twice
    // (GCC PR 99576), so call sites must not build one there.
    template <class F>
    boost::asio::awaitable<std::invoke_result_t<std::decay_t<F>&>> run(F&& f) {
        using R = std::invoke_result_t<std::decay_t<F>&>;
        return boost::asio::co_spawn(
            pool_.get_executor(),
            [f = std::forward<F>(f)]() mutable -> boost::asio::awaitable<R> {
                if constexpr (std::is_void_v<R>) {
                    f();
                    co_return;
                } else {
                    co_return f();
                }
            },
            boost::asio::use_awaitable);
    }

    void join() { pool_.join(); }

private:
    boost::asio::thread_pool pool_;
};

}  // namespace fu::server
