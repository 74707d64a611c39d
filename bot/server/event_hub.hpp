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

// How many live streams one person, and everyone together, may hold (config
// limits.streams_per_user and limits.streams_total): each holds a connection
// and wakes on every message, so without a bound a few thousand for one person
// took the server's memory and stalled the chat.
struct StreamLimits {
    std::size_t per_user = 8;
    std::size_t total = 500;
};

class EventHub {
public:
    enum class Full { no, user, server };  // why subscribe refused
    struct Subscriber {
        Subscriber(UserId u, boost::asio::any_io_executor ex) : user(u), signal(ex) {}
        UserId user;
        boost::asio::steady_timer signal;  // cancelled to wake the stream
        std::atomic<bool> pending{false};  // set before the wake-up, so none is lost
    };

    // A new stream for `user`; nullptr, with `why` set, when the user or the
    // server already has as many as the limits allow.
    std::shared_ptr<Subscriber> subscribe(UserId, boost::asio::any_io_executor, Full* why = nullptr);
    // From any thread (a reload); streams already open stay open.
    void set_limits(StreamLimits);
    StreamLimits limits() const;
    void unsubscribe(const std::shared_ptr<Subscriber>&);
    void notify(UserId);
    void notify(const std::vector<UserId>&);
    void close_all();  // wakes every stream; they see closing() and end
    bool closing() const { return closing_; }

private:
    static void wake(const std::shared_ptr<Subscriber>&);

    mutable std::mutex mutex_;
    std::unordered_map<UserId, std::vector<std::shared_ptr<Subscriber>>> subs_;
    std::size_t open_ = 0;  // streams in subs_
    StreamLimits limits_;
    std::atomic<bool> closing_{false};
};

}  // namespace fu::server
