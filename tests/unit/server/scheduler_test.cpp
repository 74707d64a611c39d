// The scheduler's loop arms its timer at the due instant to the millisecond:
// a reminder due at 10:10:00 while the wall clock reads 10:09:59.700 fires
// 300 ms later, not a whole second (what a difference of whole seconds would
// wait) and never before its due time. With several storage lanes
// (PostgreSQL), a burst is fired in parts, one per lane, each rep's in one.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>

#include "pg_schema.hpp"
#include "server/scheduler.hpp"
#include "storage/postgres/pg_store.hpp"
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

// Three lanes, each its own connection to one PostgreSQL database: twelve
// reps' follow-ups due at once are fired in three parts side by side, every
// lane firing some; each rep's three reminders still come as one list, and
// each follow-up is reminded once.
TEST(SchedulerLoop, ABurstIsFiredInPartsOnEveryLaneEachRepsRemindersInOneList) {
    if (!test::PgSchema::server()) {
        if (test::PgSchema::required()) FAIL() << "FU_TEST_PG_URL is not set";
        GTEST_SKIP() << "no PostgreSQL server (FU_TEST_PG_URL)";
    }
    test::PgSchema pg(test::PgSchema::server());
    RunningClock clock(PreciseTime(from_unix(1795399200)));  // Monday 10:00 in Asia/Shanghai
    std::vector<std::unique_ptr<Store>> stores;
    for (int i = 0; i < 3; ++i) stores.push_back(storage::PgStore::open(pg.url()));
    constexpr int kReps = 12;
    std::vector<std::string> handles;
    stores[0]->transact([&](Repo& r) {
        const auto team = r.add_team(Team{{}, "East Sales"});
        for (int i = 0; i < kReps; ++i) {
            User u;
            u.handle = "rep" + std::to_string(i);
            u.display_name = "Rep " + std::to_string(i);
            u.role = Role::rep;
            u.team = team;
            u.time_zone = "Asia/Shanghai";
            r.add_user(u);
            handles.push_back(u.handle);
        }
    });
    StorageExecutor storage({stores[0].get(), stores[1].get(), stores[2].get()});
    BotOptions options;
    options.sop.daily_digest = false;
    options.sop.weekly_report = false;
    Bot bot(storage.store(), clock, options);
    for (const auto& h : handles) {
        for (const char* name : {"Acme", "Globex", "Initech"}) {
            const std::string customer = std::string(name) + " " + h;
            bot.handle(h, "customer add " + customer);
            bot.handle(h, "followup " + customer + " in 10m call");
        }
    }
    const auto due = bot.next_reminder_at();
    ASSERT_TRUE(due);
    clock.set(PreciseTime(*due) + 100ms);

    std::mutex mu;
    std::set<std::size_t> lanes;
    std::size_t reminded = 0;
    std::promise<void> all;
    Scheduler scheduler(storage, bot, clock);
    scheduler.on_fired([&](const std::vector<UserId>& users) {
        std::lock_guard lock(mu);
        lanes.insert(StorageExecutor::current_lane());
        reminded += users.size();
        if (reminded == kReps) all.set_value();
    });
    scheduler.start();
    const bool fired = all.get_future().wait_for(10s) == std::future_status::ready;
    scheduler.stop();
    storage.join();
    ASSERT_TRUE(fired) << reminded << " of " << kReps << " reps reminded";
    EXPECT_EQ(lanes.size(), 3u) << "the burst did not run on every lane";
    std::multiset<std::int64_t> tasks;
    stores[0]->transact([&](Repo& r) {
        for (const auto& h : handles) {
            const auto rep = r.user_by_handle(h);
            ASSERT_TRUE(rep);
            std::vector<OutboxMessage> reminders;
            for (auto& m : r.recent_messages(rep->id, 20))
                if (m.kind == MessageKind::reminder || m.kind == MessageKind::catch_up) reminders.push_back(m);
            ASSERT_EQ(reminders.size(), 1u) << h << ": one list for the three follow-ups";
            EXPECT_EQ(reminders[0].tasks.size(), 3u) << h;
            for (const auto t : reminders[0].tasks) tasks.insert(t.value);
        }
        EXPECT_FALSE(r.reminders_due(clock.now(), 100, {}).size()) << "a follow-up was left due";
    });
    EXPECT_EQ(tasks.size(), std::size_t{3 * kReps});
    EXPECT_EQ(std::set<std::int64_t>(tasks.begin(), tasks.end()).size(), tasks.size()) << "a follow-up reminded twice";
}

}  // namespace
}  // namespace fu::server
