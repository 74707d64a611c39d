#pragma once
// Waits for exactly the next due reminder (an indexed MIN query), fires it,
// and waits again: one coroutine on the storage executor. rearm() and
// everything the loop calls run on the storage thread.
#include <boost/asio/awaitable.hpp>
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

    // From any thread: deliver what came due while we were down, then wait.
    void start();
    // Storage thread only: the schedule may have changed (a task created,
    // snoozed or completed). Wakes the loop only if something is due earlier.
    void rearm();
    // From any thread: no reminder fires after this.
    void stop();

    // Called on the storage thread after reminders went into outboxes (e.g. to
    // wake the platform senders). Set before start().
    void on_fired(std::function<void(const std::vector<UserId>& users)> f) { on_fired_ = std::move(f); }

private:
    boost::asio::awaitable<void> loop();
    // Fires what is due; returns when to look next.
    TimePoint fire();

    boost::asio::thread_pool::executor_type storage_;
    boost::asio::steady_timer timer_;
    Bot& bot_;
    const Clock& clock_;
    EventHub& hub_;
    TimePoint armed_for_ = TimePoint::max();  // the due time the loop waits for
    bool started_ = false;
    bool stopped_ = false;
    std::function<void(const std::vector<UserId>&)> on_fired_;
};

}  // namespace fu::server
