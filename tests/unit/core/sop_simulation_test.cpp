// A team over 90 days (2026-01-05 .. 2026-04-05) on a fake clock: Chinese New
// Year with its make-up Saturday, Qingming, a rep in New York across the DST
// switch, reps who answer and reps who don't, a complaint, the public pool,
// and a restart in the middle. The scheduler is driven event by event (the
// clock jumps to the next thing due), so three months run in well under a
// second; every rule is then checked against what was recorded.
#include <date/tz.h>
#include <gmock/gmock.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/render.hpp"
#include "fixture.hpp"

namespace fu::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

TimePoint shanghai(int y, unsigned m, unsigned d, int h, int min = 0) {
    const auto local = date::local_days{date::year{y} / m / d} + std::chrono::hours(h) + std::chrono::minutes(min);
    return date::zoned_seconds{"Asia/Shanghai", local}.get_sys_time();
}

struct Sim {
    TempDb db;
    FakeClock clock{shanghai(2026, 1, 5, 8)};  // Monday 08:00, before the first working window
    BotOptions options;
    std::unique_ptr<storage::SqliteStore> store;
    std::unique_ptr<Bot> bot;
    TeamId team;
    UserId li, wang, maria, zhao;
    std::map<UserId, std::int64_t> seen;  // last outbox id each simulated person has read
    std::set<std::int64_t> lazy;          // customers whose follow-ups the owner ignores
    int commands = 0, ticks = 0;

    Sim() {
        options.holidays = HolidayCalendar::parse(builtin_holidays_cn());
        reopen();
        store->transact([&](Repo& r) {
            team = r.add_team(Team{{}, "East Sales"});
            li = add(r, "li", Role::manager, "Asia/Shanghai");
            wang = add(r, "wang", Role::rep, "Asia/Shanghai");
            maria = add(r, "maria", Role::rep, "America/New_York");
            zhao = add(r, "zhao", Role::rep, "Asia/Shanghai");
        });
    }

    UserId add(Repo& r, std::string handle, Role role, std::string zone) {
        User u;
        u.handle = handle;
        u.display_name = handle;
        u.role = role;
        u.team = team;
        u.lang = Lang::en;
        u.time_zone = std::move(zone);
        return r.add_user(u);
    }

    void reopen() {
        bot.reset();
        store.reset();
        store = storage::SqliteStore::open(db.path);
        bot = std::make_unique<Bot>(*store, clock, options);
    }

    std::string say(const std::string& who, const std::string& text) {
        ++commands;
        return bot->handle(who, text).reply.text;
    }

    template <class F>
    auto read(F f) {
        decltype(f(std::declval<Repo&>())) out{};
        store->transact([&](Repo& r) { out = f(r); });
        return out;
    }

    std::vector<OutboxMessage> new_messages(UserId u) {
        auto msgs = read([&](Repo& r) { return r.messages_after(u, MessageId{seen[u]}, 10000); });
        if (!msgs.empty()) seen[u] = msgs.back().id.value;
        return msgs;
    }

    // A rep reads what arrived and completes the follow-ups it names, except
    // the lazy customers'; maria and wang log what happened.
    void act_on_messages(const std::string& handle, UserId u) {
        for (const auto& m : new_messages(u))
            for (const TaskId id : m.tasks) {
                const auto t = read([&](Repo& r) { return r.task(id); });
                if (!t || t->status == TaskStatus::done || t->status == TaskStatus::cancelled) continue;
                if (t->assignee != u || lazy.contains(t->customer.value)) continue;
                if (t->origin == Origin::complaint) continue;  // handled by the script below
                say(handle, "done " + std::to_string(id.value) + " reached interested sat 4");
            }
    }

    // Runs everything due up to `until`, one event at a time.
    void run_until(TimePoint until) {
        for (;;) {
            const auto next = bot->next_reminder_at();
            if (!next || *next > until) break;
            clock.set(std::max(clock.now(), *next));
            bot->fire_due_reminders();
            ++ticks;
            act_on_messages("wang", wang);
            act_on_messages("maria", maria);
            act_on_messages("zhao", zhao);
        }
        clock.set(std::max(clock.now(), until));
    }

    WorkCalendar calendar(UserId u) {
        const auto user = read([&](Repo& r) { return r.user(u); });
        return WorkCalendar(WorkSchedule{render::zone_of(*user), user->work_start_minute, user->work_end_minute,
                                         user->work_days, &options.holidays});
    }

    std::vector<AuditEntry> audit() {
        return read([](Repo& r) { return r.audit_tail(1000000); });
    }
};

TEST(SopSimulation, NinetyDaysOfATeam) {
    Sim s;
    const std::vector<std::pair<std::string, std::string>> roster = {{"wang", "A"}, {"maria", "B"}, {"zhao", "C"}};
    // 150 customers: every tier and stage, each rep fifty; every 6th is neglected.
    const char* stages[] = {"lead", "active", "active", "new", "silent", "churn_risk"};
    for (int i = 0; i < 150; ++i) {
        const auto& [rep, _] = roster[i % 3];
        const char tier = "ABC"[(i / 3) % 3];
        const auto reply = s.say(rep, "customer add Cust" + std::to_string(i) + " tier=" + tier +
                                          " stage=" + stages[i % 6] + " phone=1380013" + std::to_string(8000 + i));
        ASSERT_THAT(reply, HasSubstr("Next follow-up #")) << reply;  // never without a next step
        if (i % 6 == 5) s.lazy.insert(i + 1);
    }

    // Scripted moments, in time order.
    s.run_until(shanghai(2026, 1, 6, 14));
    // A complaint: urgent, the manager told at once, open until resolved.
    const auto before = s.read([&](Repo& r) { return r.last_message_id(s.li); });
    const auto complaint = s.say("wang", "complaint c1 delivery was two weeks late");
    ASSERT_THAT(complaint, HasSubstr("urgent task #"));
    const auto complaint_id = World::task_id_in(complaint);
    const auto li_msgs = s.new_messages(s.li);
    ASSERT_FALSE(li_msgs.empty());
    EXPECT_GT(li_msgs.back().id.value, before ? before->value : 0);
    EXPECT_THAT(li_msgs.back().text, HasSubstr("Complaint"));
    EXPECT_EQ(li_msgs.back().created_at, s.clock.now());
    EXPECT_THAT(s.say("wang", "done " + std::to_string(complaint_id) + " reached"), HasSubstr("resolved"));
    EXPECT_EQ(s.read([&](Repo& r) { return r.task(TaskId{complaint_id}); })->status, TaskStatus::open);
    // Tightened cadence while the complaint is open: c1 (A, lead) is asked for sooner than usual.
    s.run_until(shanghai(2026, 1, 7, 10));
    EXPECT_THAT(s.say("wang", "done " + std::to_string(complaint_id) + " resolved refund issued"), HasSubstr("done"));

    // Snooze is not reschedule.
    const auto snoozable = World::task_id_in(s.say("maria", "followup Cust1 tomorrow 10am call"));
    const auto due_before = s.read([&](Repo& r) { return r.task(TaskId{snoozable}); })->due;
    s.say("maria", "snooze " + std::to_string(snoozable) + " in 3 days");
    auto t = s.read([&](Repo& r) { return r.task(TaskId{snoozable}); });
    EXPECT_EQ(t->due, due_before);
    EXPECT_EQ(t->snooze_count, 1);
    s.say("maria", "reschedule " + std::to_string(snoozable) + " in 5 days");
    t = s.read([&](Repo& r) { return r.task(TaskId{snoozable}); });
    EXPECT_GT(t->due, due_before + 4 * 24h);
    EXPECT_EQ(t->reschedule_count, 1);
    EXPECT_FALSE(t->snoozed_until);

    // A follow-up on the make-up Saturday: the bot says so, and it arrives that day.
    const auto saturday = s.say("wang", "followup Cust3 2026-02-14 10:00 call");
    EXPECT_THAT(saturday, HasSubstr("make-up workday")) << saturday;
    EXPECT_THAT(s.say("wang", "followup Cust3 2026-02-17 10:00 call"), HasSubstr("public holiday"));

    // Through Chinese New Year; restart in the middle of the quarter.
    s.run_until(shanghai(2026, 2, 20, 12));
    s.reopen();
    s.run_until(shanghai(2026, 3, 2, 8));

    // The pool: zhao claims what was reclaimed, within the daily quota; wang
    // cannot claim back what he released until the cooldown is over.
    const auto pool = s.read([&](Repo& r) { return r.pool_customers(s.team, 100); });
    ASSERT_GE(pool.size(), 6u) << "the neglected customers went back to the pool";
    for (const auto& c : pool) EXPECT_TRUE(s.lazy.contains(c.id.value)) << c.name;
    EXPECT_THAT(s.say("zhao", "pool"), HasSubstr("138****"));  // contacts masked
    s.run_until(shanghai(2026, 3, 2, 10));
    int claimed = 0;
    for (const auto& c : pool) {
        const auto r = s.say("zhao", "claim c" + std::to_string(c.id.value));
        if (r.find("is yours now") != std::string::npos)
            ++claimed;
        else
            EXPECT_THAT(r, HasSubstr("daily quota"));
    }
    EXPECT_EQ(claimed, SopRules{}.claim_daily_quota);
    for (const auto& c : pool) s.lazy.erase(c.id.value);  // zhao follows up on them
    s.say("wang", "release c4 not a fit");
    EXPECT_THAT(s.say("wang", "claim c4"), HasSubstr("claim it back from"));
    // Handover: zhao leaves; maria takes everything.
    const auto zhao_before = s.read([&](Repo& r) { return r.customers_owned_by(s.zhao).size(); });
    EXPECT_THAT(s.say("li", "handover zhao maria"), HasSubstr(std::to_string(zhao_before) + " customer(s)"));
    EXPECT_TRUE(s.read([&](Repo& r) { return r.customers_owned_by(s.zhao); }).empty());
    EXPECT_THAT(s.say("maria", "handover zhao wang"), HasSubstr("Only managers"));

    s.run_until(shanghai(2026, 4, 5, 20));

    // ---- what the 90 days recorded ------------------------------------------------------
    const auto log = s.audit();
    const auto tasks_of = [&](const std::string& action) {
        std::map<std::string, int> n;
        for (const auto& a : log)
            if (a.action == action) ++n[a.subject];
        return n;
    };
    std::size_t messages = 0;
    for (const UserId u : {s.li, s.wang, s.maria, s.zhao})
        messages += s.read([&](Repo& r) { return r.messages_after(u, MessageId{0}, 100000); }).size();
    EXPECT_GT(s.commands + s.ticks + messages, 1000u) << "thousands of events";

    // Each escalation and reclaim happened once per task; each first and
    // second reminder once per task that was never snoozed.
    const auto escalations = tasks_of("ladder.escalate"), reclaims = tasks_of("ladder.reclaim");
    EXPECT_FALSE(escalations.empty());
    EXPECT_FALSE(reclaims.empty());
    for (const auto& [task, n] : escalations) EXPECT_EQ(n, 1) << task;
    for (const auto& [task, n] : reclaims) EXPECT_EQ(n, 1) << task;
    for (const auto& action : {"ladder.remind", "ladder.remind_again"})
        for (const auto& [task, n] : tasks_of(action)) {
            const auto tid = std::stoll(task.substr(5));
            if (s.read([&](Repo& r) { return r.task(TaskId{tid}); })->snooze_count == 0)
                EXPECT_EQ(n, 1) << action << task;
        }

    // Escalation exactly one working day after due; reclaim exactly 7 days after
    // the last follow-up; each reclaim told to the owner and the manager.
    for (const auto& a : log) {
        if (a.action != "ladder.escalate" && a.action != "ladder.reclaim") continue;
        const auto task = *s.read([&](Repo& r) { return r.task(TaskId{std::stoll(a.subject.substr(5))}); });
        const auto cal = s.calendar(task.assignee);
        if (a.action == "ladder.escalate") {
            EXPECT_EQ(a.at, cal.add_working(task.due, cal.working_day_length())) << a.subject;
        } else {
            TimePoint last{};  // the customer's last follow-up before the reclaim
            for (const auto& in : s.read([&](Repo& r) { return r.interactions_for_customer(task.customer, 1000); }))
                if (in.at <= a.at) last = std::max(last, in.at);
            EXPECT_EQ(a.at, std::max(task.due, last) + 7 * 24h) << a.subject;
            EXPECT_EQ(task.status, TaskStatus::cancelled);
        }
    }

    // Nobody is pinged outside working hours (complaints excepted), holidays
    // included; the make-up Saturday 2026-02-14 is a working day.
    bool make_up_saturday = false, spring_festival = false, ny_after_dst = false;
    for (const UserId u : {s.wang, s.maria, s.zhao, s.li}) {
        const auto cal = s.calendar(u);
        for (const auto& m : s.read([&](Repo& r) { return r.messages_after(u, MessageId{0}, 100000); })) {
            if (m.kind != MessageKind::reminder && m.kind != MessageKind::catch_up) continue;
            if (m.text.find("complaint") != std::string::npos) continue;
            EXPECT_TRUE(cal.is_working_time(m.created_at)) << m.text << " at " << to_unix(m.created_at);
            if (u == s.wang && cal.local_date(m.created_at) == date::sys_days{date::year{2026} / 2 / 14})
                make_up_saturday = true;
            if (u != s.maria && m.created_at >= shanghai(2026, 2, 15, 0) && m.created_at < shanghai(2026, 2, 24, 0))
                spring_festival = true;
            if (u == s.maria && m.created_at > shanghai(2026, 3, 9, 0)) ny_after_dst = true;
        }
    }
    EXPECT_TRUE(make_up_saturday) << "wang works on the make-up Saturday";
    EXPECT_FALSE(spring_festival) << "nothing during the Spring Festival holiday";
    EXPECT_TRUE(ny_after_dst);

    // One digest a working day at the start of the window, never on a day off.
    std::map<date::sys_days, int> digests;
    const auto wcal = s.calendar(s.wang);
    for (const auto& m : s.read([&](Repo& r) { return r.messages_after(s.wang, MessageId{0}, 100000); }))
        if (m.text.find("Good morning") != std::string::npos) {
            ++digests[wcal.local_date(m.created_at)];
            EXPECT_EQ(m.created_at, wcal.next_working_moment(m.created_at));
            EXPECT_EQ(date::zoned_seconds("Asia/Shanghai", m.created_at).get_local_time().time_since_epoch() %
                          std::chrono::days(1),
                      9h);
        }
    EXPECT_GT(digests.size(), 20u);
    for (const auto& [day, n] : digests) {
        EXPECT_EQ(n, 1) << "one digest a day, restart included";
        EXPECT_TRUE(wcal.is_working_day(day));
    }

    // The weekly report on each week's first working morning: Tuesday 02-24
    // after the Spring Festival Monday.
    std::set<date::sys_days> weekly;
    for (const auto& m : s.read([&](Repo& r) { return r.messages_after(s.li, MessageId{0}, 100000); }))
        if (m.text.find("Weekly report") != std::string::npos) weekly.insert(wcal.local_date(m.created_at));
    EXPECT_TRUE(weekly.contains(date::sys_days{date::year{2026} / 2 / 24}));
    EXPECT_FALSE(weekly.contains(date::sys_days{date::year{2026} / 2 / 23}));
    EXPECT_GE(weekly.size(), 11u);

    // Every open customer always has a next step.
    s.read([&](Repo& r) {
        for (const UserId u : {s.wang, s.maria, s.zhao})
            for (const auto& c : r.customers_owned_by(u))
                if (c.stage != Stage::won && c.stage != Stage::lost)
                    EXPECT_FALSE(r.open_tasks_for_customer(c.id).empty()) << c.name;
        return 0;
    });
}

}  // namespace
}  // namespace fu::test
