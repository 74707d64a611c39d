// The scheduler's loop arms its timer at the due instant to the millisecond:
// a reminder due at 10:10:00 while the wall clock reads 10:09:59.700 fires
// 300 ms later, not a whole second (what a difference of whole seconds would
// wait) and never before its due time.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>

#include "server/scheduler.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace fu::server {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// Wall time that runs as the real one does, from a start we choose to the
// millisecond.
class RunningClock final : public Clock {
public:
    explicit RunningClock(PreciseTime start) { set(start); }
    void set(PreciseTime t) {
        start_ms_ = t.time_since_epoch().count();
        since_ = std::chrono::steady_clock::now().time_since_epoch().count();
    }
    PreciseTime precise_now() const override {
        const auto ran = std::chrono::steady_clock::now() - Monotonic(Monotonic::duration(since_.load()));
        return PreciseTime(milliseconds(start_ms_.load())) + std::chrono::duration_cast<milliseconds>(ran);
    }
    TimePoint now() const override { return std::chrono::floor<Seconds>(precise_now()); }
    Monotonic monotonic() const override { return std::chrono::steady_clock::now(); }

private:
    std::atomic<std::int64_t> start_ms_{0};
    std::atomic<Monotonic::rep> since_{0};
};

TEST(SchedulerLoop, ArmsAtTheDueInstantToTheMillisecond) {
    RunningClock clock(PreciseTime(from_unix(1795399200)));  // Monday 2026-11-23 10:00 in Asia/Shanghai
    auto store = storage::SqliteStore::open(":memory:");
    store->transact([&](Repo& r) {
        User u;
        u.handle = "maria";
        u.display_name = "Maria";
        u.role = Role::rep;
        u.team = r.add_team(Team{{}, "East Sales"});
        u.time_zone = "Asia/Shanghai";
        r.add_user(u);
    });
    BotOptions options;
    options.sop.daily_digest = false;
    options.sop.weekly_report = false;
    Bot bot(*store, clock, options);
    bot.handle("maria", "customer add Acme");
    bot.handle("maria", "followup Acme in 10m call");
    const auto due = bot.next_reminder_at();
    ASSERT_TRUE(due);
    const PreciseTime due_at(*due);

    clock.set(due_at - 300ms);  // 10:09:59.700: whole seconds would say "1 s to go"
    std::promise<PreciseTime> fired;
    auto fired_f = fired.get_future();
    StorageExecutor storage(*store);
    Scheduler scheduler(storage, bot, clock);
    // Inside the group that puts the reminder into the outbox.
    scheduler.on_fired([&](const std::vector<UserId>&) { fired.set_value(clock.precise_now()); });
    scheduler.start();
    const bool in_time = fired_f.wait_for(2s) == std::future_status::ready;
    scheduler.stop();
    storage.join();
    ASSERT_TRUE(in_time) << "the reminder did not fire";
    const auto late = fired_f.get() - due_at;
    EXPECT_GE(late, 0ms);
    EXPECT_LT(late, 150ms) << "fired " << late.count() << " ms after its due time";
}

}  // namespace
}  // namespace fu::server
