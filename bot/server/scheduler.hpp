#pragma once
// Waits for exactly the next due reminder (an indexed MIN query), fires it,
// and waits again: one coroutine on the first lane of the storage executor.
// Firing is a piece of work of the storage executor, so it joins the group
// being committed; rearm() runs on a storage thread after commits. With
// several lanes (PostgreSQL), a burst is fired in as many parts side by side,
// one per lane, each rep's reminders in one part (AssigneePart).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <functional>
#include <optional>

#include "core/bot.hpp"
#include "server/storage_executor.hpp"

namespace fu::server {

class Scheduler {
public:
    Scheduler(StorageExecutor& storage, Bot& bot, const Clock& clock);

    // From any thread: deliver what came due while we were down, then wait.
    void start();
    // On a storage thread (any lane): the schedule may have changed (a task
    // created, snoozed or completed). Wakes the loop only if something is due
    // earlier.
    void rearm();
    // From any thread: no reminder fires after this.
    void stop();

    // Called on the storage thread, inside the group that put reminders into
    // outboxes (e.g. to report them to Effects, which waits for the commit).
    // Set before start().
    void on_fired(std::function<void(const std::vector<UserId>& users)> f) { on_fired_ = std::move(f); }
    // Called after a firing's commit with how late its reminders reached the
    // outbox: from the due time the loop waited for to now, in seconds.
    void on_lag(std::function<void(double seconds)> f) { on_lag_ = std::move(f); }

    // From any thread, for health: when the loop last looked for due reminders
    // and committed what it found (the Clock's monotonic time); empty before the
    // first look. It looks at least every minute.
    std::optional<Monotonic> last_ran() const;
    static constexpr std::chrono::seconds kMaxWait{60};

private:
    struct Fired {
        TimePoint next = TimePoint::max();
        std::size_t users = 0;
    };
    boost::asio::awaitable<void> loop();
    // Fires what is due; returns when to look next.
    boost::asio::awaitable<TimePoint> fire();
    boost::asio::awaitable<Fired> fire_parts();
    boost::asio::awaitable<Fired> fire_part(AssigneePart part);
    // On the first lane: wait for `at` if it is earlier than what the loop waits for.
    void earlier(TimePoint at);

    StorageExecutor& storage_;
    boost::asio::steady_timer timer_;
    Bot& bot_;
    const Clock& clock_;
    TimePoint armed_for_ = TimePoint::max();  // the due time the loop waits for
    std::atomic<bool> started_{false};        // set on the first lane, read on any
    std::atomic<bool> stopped_{false};
    std::function<void(const std::vector<UserId>&)> on_fired_;
    std::function<void(double)> on_lag_;
    std::atomic<Monotonic::rep> last_ran_{0};  // 0: never
};

}  // namespace fu::server
