#pragma once
// Wakes the live event streams (SSE) of a user when their outbox grows.
// notify() may be called from any thread; it never calls out under the lock.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/ids.hpp"

namespace fu::server {

class EventHub {
public:
    struct Subscriber {
        Subscriber(UserId u, boost::asio::any_io_executor ex) : user(u), signal(ex) {}
        UserId user;
        boost::asio::steady_timer signal;  // cancelled to wake the stream
        std::atomic<bool> pending{false};  // set before the wake-up, so none is lost
    };

    std::shared_ptr<Subscriber> subscribe(UserId, boost::asio::any_io_executor);
    void unsubscribe(const std::shared_ptr<Subscriber>&);
    void notify(UserId);
    void notify(const std::vector<UserId>&);
    void close_all();  // wakes every stream; they see closing() and end
    bool closing() const { return closing_; }

private:
    static void wake(const std::shared_ptr<Subscriber>&);

    mutable std::mutex mutex_;
    std::unordered_map<UserId, std::vector<std::shared_ptr<Subscriber>>> subs_;
    std::atomic<bool> closing_{false};
};

}  // namespace fu::server
