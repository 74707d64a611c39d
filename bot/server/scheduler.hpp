#pragma once
// Waits for exactly the next due reminder (an indexed MIN query), fires it,
// and re-arms. Lives on the storage executor: rearm() and everything it calls
// run on the storage thread.
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <functional>
#include <optional>

#include "core/bot.hpp"
#include "server/event_hub.hpp"

namespace fu::server {

class Scheduler {
public:
    Scheduler(boost::asio::thread_pool::executor_type storage, Bot& bot, const Clock& clock, EventHub& hub);

    // From any thread: deliver what came due while we were down, then arm.
    void start();
    // Storage thread only: the schedule may have changed (a task created,
    // snoozed or completed).
    void rearm();
    // From any thread: cancel the timer; no reminder fires after this.
    void stop();

    // Called on the storage thread after reminders went into outboxes (e.g. to
    // wake the platform senders). Set before start().
    void on_fired(std::function<void(std::size_t users)> f) { on_fired_ = std::move(f); }

private:
    void fire();

    boost::asio::thread_pool::executor_type storage_;
    boost::asio::steady_timer timer_;
    Bot& bot_;
    const Clock& clock_;
    EventHub& hub_;
    std::optional<TimePoint> armed_for_;
    bool stopped_ = false;
    std::function<void(std::size_t)> on_fired_;
};

}  // namespace fu::server
