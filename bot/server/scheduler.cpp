#include "server/scheduler.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace fu::server {
namespace {
// Waits are capped so that a system clock step is noticed within a minute.
constexpr auto kMaxWait = std::chrono::seconds(60);
constexpr auto kRetryAfterError = std::chrono::seconds(5);
}  // namespace

Scheduler::Scheduler(boost::asio::thread_pool::executor_type storage, Bot& bot, const Clock& clock, EventHub& hub)
    : storage_(storage), timer_(storage), bot_(bot), clock_(clock), hub_(hub) {}

void Scheduler::start() {
    boost::asio::post(storage_, [this] { fire(); });
}

void Scheduler::stop() {
    boost::asio::post(storage_, [this] {
        stopped_ = true;
        timer_.cancel();
    });
}

void Scheduler::rearm() {
    if (stopped_) return;
    std::optional<TimePoint> next;
    try {
        next = bot_.next_reminder_at();
    } catch (const std::exception& e) {
        spdlog::error("scheduler: reading the next reminder failed: {}", e.what());
        next = clock_.now() + kRetryAfterError;
    }
    // Nothing pending still means a look every kMaxWait: `followupd import`
    // and other processes may add follow-ups to the database meanwhile.
    const TimePoint at = next.value_or(TimePoint::max());
    if (at == armed_for_) return;
    armed_for_ = at;
    const auto wait = std::clamp<std::chrono::seconds>(
        std::chrono::duration_cast<std::chrono::seconds>(at - clock_.now()), std::chrono::seconds(0), kMaxWait);
    timer_.expires_after(wait);
    timer_.async_wait([this](boost::system::error_code ec) {
        if (ec || stopped_) return;  // re-armed or stopped
        fire();
    });
}

void Scheduler::fire() {
    if (stopped_) return;
    armed_for_.reset();
    try {
        const auto users = bot_.fire_due_reminders();
        if (!users.empty()) {
            spdlog::info("scheduler: delivered reminders to {} user(s)", users.size());
            hub_.notify(users);
            if (on_fired_) on_fired_(users.size());
        }
    } catch (const std::exception& e) {
        // Nothing was marked delivered (the transaction rolled back): try again soon.
        spdlog::error("scheduler: delivering reminders failed: {}", e.what());
        timer_.expires_after(kRetryAfterError);
        timer_.async_wait([this](boost::system::error_code ec) {
            if (!ec && !stopped_) fire();
        });
        return;
    }
    rearm();
}

}  // namespace fu::server
