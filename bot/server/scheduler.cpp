#include "server/scheduler.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "server/logging.hpp"

namespace fu::server {
namespace asio = boost::asio;
namespace {
// Waits are capped so that a system clock step is noticed within a minute,
// and so are follow-ups that `followupd import` or another process added.
constexpr auto kRetryAfterError = std::chrono::seconds(5);
}  // namespace

Scheduler::Scheduler(StorageExecutor& storage, Bot& bot, const Clock& clock)
    : storage_(storage), timer_(storage.executor()), bot_(bot), clock_(clock) {}

void Scheduler::start() {
    asio::post(storage_.executor(), [this] {
        if (started_ || stopped_) return;
        started_ = true;
        asio::co_spawn(storage_.executor(), loop(), log_if_stopped("scheduler"));
    });
}

void Scheduler::stop() {
    asio::post(storage_.executor(), [this] {
        stopped_ = true;
        timer_.cancel();
    });
}

std::optional<Monotonic> Scheduler::last_ran() const {
    const auto r = last_ran_.load();
    if (r == 0) return std::nullopt;
    return Monotonic(Monotonic::duration(r));
}

void Scheduler::rearm() {
    if (stopped_ || !started_) return;
    std::optional<TimePoint> next;
    try {
        next = bot_.next_reminder_at();  // on this lane's connection
    } catch (const std::exception& e) {
        spdlog::error("scheduler: reading the next reminder failed: {}", e.what());
        return;  // the loop looks again within kMaxWait
    }
    if (!next) return;
    // The loop and its timer live on the first lane: another lane tells it there.
    if (StorageExecutor::current_lane() == 0 || storage_.lanes() == 1) {
        earlier(*next);
        return;
    }
    asio::post(storage_.executor(), [this, at = *next] {
        if (!stopped_) earlier(at);
    });
}

void Scheduler::earlier(TimePoint at) {
    if (at >= armed_for_) return;
    armed_for_ = at;
    timer_.cancel();  // the loop waits again, for the earlier time
}

// One part's firing, on its own lane (with one lane: all of it, and the next
// due time read in the same group).
asio::awaitable<Scheduler::Fired> Scheduler::fire_part(AssigneePart part) {
    auto work = [this, part] {
        const auto users = bot_.fire_due_reminders(part);
        if (!users.empty() && on_fired_) on_fired_(users);
        const auto next = part.count == 1 ? bot_.next_reminder_at() : std::nullopt;
        return Fired{next.value_or(TimePoint::max()), users.size()};
    };
    co_return co_await storage_.run_keyed(part.index, std::move(work));
}

// With several lanes, a part of the reps' reminders on each, side by side
// (each rep's in one part: one list still); then the next due time, once all
// are committed. The first error, if any, once all are over.
asio::awaitable<Scheduler::Fired> Scheduler::fire_parts() {
    const auto count = static_cast<std::uint32_t>(storage_.lanes());
    if (count == 1) co_return co_await fire_part({});
    Fired fired;
    std::exception_ptr error;
    std::uint32_t left = count;
    asio::steady_timer all_over(storage_.executor(), asio::steady_timer::time_point::max());
    for (std::uint32_t i = 0; i < count; ++i) {
        // The completions run on this (the first lane's) thread, as this coroutine does.
        asio::co_spawn(storage_.executor(), fire_part({i, count}), [&](std::exception_ptr e, Fired part) {
            if (e && !error) error = e;
            fired.users += part.users;
            if (--left == 0) all_over.cancel();
        });
    }
    while (left > 0) co_await all_over.async_wait(asio::as_tuple(asio::use_awaitable));
    if (error) std::rethrow_exception(error);
    auto next = [this] { return bot_.next_reminder_at().value_or(TimePoint::max()); };
    fired.next = co_await storage_.run(std::move(next));
    co_return fired;
}

asio::awaitable<TimePoint> Scheduler::fire() {
    // Work committed while this one waited for its group may have re-armed
    // for an earlier time: the earlier of the two wins.
    const TimePoint due = armed_for_;
    armed_for_ = TimePoint::max();
    TimePoint next;
    try {
        const Fired fired = co_await fire_parts();
        // Said once the group is committed: the reminders are in the outboxes.
        if (fired.users > 0) spdlog::info("scheduler: delivered reminders to {} user(s)", fired.users);
        if (fired.users > 0 && on_lag_ && due != TimePoint::max())
            on_lag_(std::max(0.0, std::chrono::duration<double>(clock_.precise_now() - PreciseTime(due)).count()));
        next = fired.next;
        last_ran_ = clock_.monotonic().time_since_epoch().count();
    } catch (const std::exception& e) {
        // Nothing was marked delivered (the group rolled back): try again soon.
        spdlog::error("scheduler: delivering reminders failed: {}", e.what());
        next = clock_.now() + kRetryAfterError;
    }
    co_return std::min(next, armed_for_);
}

asio::awaitable<void> Scheduler::loop() {
    armed_for_ = co_await fire();
    while (!stopped_) {
        // Armed at the due instant to the millisecond, not a whole-second
        // difference: a reminder due at 09:00:00 fires at 09:00:00.0xx.
        const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::time_point_cast<std::chrono::milliseconds>(
                armed_for_ == TimePoint::max() ? clock_.precise_now() + kMaxWait : PreciseTime(armed_for_)) -
            clock_.precise_now());
        timer_.expires_after(std::clamp<std::chrono::milliseconds>(until, std::chrono::milliseconds(0), kMaxWait));
        const auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        if (stopped_) break;
        // Cancelled by rearm(): wait again for the earlier armed_for_. Expired:
        // the due time came (or kMaxWait passed): fire and look again.
        if (ec == asio::error::operation_aborted) continue;
        armed_for_ = co_await fire();
    }
}

}  // namespace fu::server
