#include "server/announcements.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>

namespace fu::server {

namespace asio = boost::asio;

CrossInstanceEvents::CrossInstanceEvents(asio::any_io_executor ex, StorageExecutor& storage, Store& store,
                                         EventHub& hub)
    : strand_(asio::make_strand(ex)), storage_(storage), store_(store), hub_(hub), pause_(strand_) {}

CrossInstanceEvents::~CrossInstanceEvents() {
    if (socket_) socket_->release();
}

void CrossInstanceEvents::start() { asio::co_spawn(strand_, loop(), asio::detached); }

void CrossInstanceEvents::stop() {
    stopped_ = true;
    asio::post(strand_, [this] {
        pause_.cancel();
        if (socket_) socket_->cancel();
    });
}

asio::awaitable<void> CrossInstanceEvents::loop() {
    int failures = 0;
    while (!stopped_) {
        std::string error;
        if (!announcements_) {
            // Connecting blocks: on the storage thread, not an I/O thread.
            auto connect = [this] { return std::shared_ptr<Announcements>(store_.listen()); };
            try {
                announcements_ = co_await storage_.run(std::move(connect));
                if (!announcements_) co_return;  // this engine has no other instances
                socket_.emplace(strand_, announcements_->socket());
                if (failures > 0) spdlog::info("live events: listening to the other instances again");
                failures = 0;
            } catch (const std::exception& e) {
                error = e.what();
            }
        }
        if (stopped_) break;  // a stop() while connecting found no socket to cancel
        if (error.empty()) {
            auto [ec] = co_await socket_->async_wait(asio::posix::stream_descriptor::wait_read,
                                                     asio::as_tuple(asio::use_awaitable));
            if (stopped_) break;
            try {
                hub_.notify(announcements_->take());
                continue;
            } catch (const std::exception& e) {
                error = e.what();
            }
        }
        if (socket_) {
            socket_->release();
            socket_.reset();
        }
        announcements_.reset();
        ++failures;
        const auto wait = std::chrono::seconds(std::min(30, 1 << std::min(failures - 1, 5)));
        spdlog::warn("live events: not listening to the other instances ({}); again in {} s", error, wait.count());
        pause_.expires_after(wait);
        co_await pause_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (socket_) {
        socket_->release();
        socket_.reset();
    }
}

}  // namespace fu::server
