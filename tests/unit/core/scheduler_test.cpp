// The reminder schedule against a fake clock: due, snooze, complete, restart.
#include <unistd.h>

#include "fixture.hpp"

namespace fu::test {
namespace {

using std::chrono::seconds;
using namespace std::chrono_literals;

std::int64_t schedule(World& w, const std::string& who, const std::string& customer, const std::string& when) {
    w.say(who, "customer add " + customer);
    return World::task_id_in(w.say(who, "followup " + customer + " " + when + " call"));
}

TEST(Scheduler, NextReminderIsTheEarliestPendingOne) {
    World w;
    EXPECT_FALSE(w.bot->next_reminder_at());
    schedule(w, "maria", "Acme", "in 2h");
    schedule(w, "maria", "Beta", "in 30m");
    ASSERT_TRUE(w.bot->next_reminder_at());
    EXPECT_EQ(*w.bot->next_reminder_at(), w.clock.now() + 30min);
}

TEST(Scheduler, ReminderFiresAtDueTimeAndNeverBefore) {
    World w;
    const auto id = schedule(w, "maria", "Acme", "in 2h");
    w.clock.advance(2h - 1s);
    EXPECT_TRUE(w.bot->fire_due_reminders().empty());
    EXPECT_TRUE(w.messages(w.maria).empty());
    w.clock.advance(1s);
    const auto notified = w.bot->fire_due_reminders();
    ASSERT_EQ(notified.size(), 1u);
    EXPECT_EQ(notified[0], w.maria);
    const auto msgs = w.messages(w.maria);
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].kind, MessageKind::reminder);
    ASSERT_EQ(msgs[0].tasks.size(), 1u);
    EXPECT_EQ(msgs[0].tasks[0].value, id);
    ASSERT_EQ(msgs[0].buttons.size(), 3u);
    EXPECT_EQ(msgs[0].buttons[0].command, "done " + std::to_string(id));
    EXPECT_EQ(msgs[0].buttons[1].command, "snooze " + std::to_string(id) + " 1h");
    EXPECT_EQ(msgs[0].buttons[2].command, "snooze " + std::to_string(id) + " tomorrow 9:00");
    EXPECT_NE(msgs[0].text.find("Acme"), std::string::npos);
}

TEST(Scheduler, ReminderIsDeliveredOnlyOnce) {
    World w;
    schedule(w, "maria", "Acme", "in 10m");
    w.clock.advance(10min);
    EXPECT_EQ(w.bot->fire_due_reminders().size(), 1u);
    w.clock.advance(1h);
    EXPECT_TRUE(w.bot->fire_due_reminders().empty());
    EXPECT_EQ(w.messages(w.maria).size(), 1u);
    // Next on the ladder: the second reminder, 4 working hours after due (14:10).
    EXPECT_EQ(*w.bot->next_reminder_at(), monday_10am_shanghai() + 10min + 4h);
}

TEST(Scheduler, RemindersGoToTheAssigneeInTheirLanguage) {
    World w;
    schedule(w, "wang", "华为", "30分钟后");
    w.clock.advance(30min);
    w.bot->fire_due_reminders();
    const auto msgs = w.messages(w.wang);
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_NE(msgs[0].text.find("跟进提醒"), std::string::npos) << msgs[0].text;
    EXPECT_EQ(msgs[0].buttons[0].command.rfind("完成 ", 0), 0u);
    EXPECT_TRUE(w.messages(w.maria).empty());
}

TEST(Scheduler, SnoozeMovesTheReminder) {
    World w;
    const auto id = schedule(w, "maria", "Acme", "in 10m");
    w.clock.advance(10min);
    w.bot->fire_due_reminders();
    const auto reply = w.say("maria", "snooze " + std::to_string(id) + " 1h");
    EXPECT_NE(reply.find("snoozed"), std::string::npos) << reply;
    EXPECT_EQ(*w.bot->next_reminder_at(), w.clock.now() + 1h);
    w.clock.advance(59min);
    EXPECT_TRUE(w.bot->fire_due_reminders().empty());
    w.clock.advance(1min);
    EXPECT_EQ(w.bot->fire_due_reminders().size(), 1u);
    EXPECT_EQ(w.messages(w.maria).size(), 2u);
    const auto t = w.task(id);
    EXPECT_EQ(t->snooze_count, 1);
    EXPECT_EQ(t->status, TaskStatus::snoozed);
}

TEST(Scheduler, SnoozeBeforeDueReplacesTheFirstReminder) {
    World w;
    const auto id = schedule(w, "maria", "Acme", "in 10m");
    w.say("maria", "snooze " + std::to_string(id) + " tomorrow 9am");
    w.clock.advance(10min);
    EXPECT_TRUE(w.bot->fire_due_reminders().empty());
    // Tuesday 09:00 Shanghai = Tuesday 01:00 UTC.
    EXPECT_EQ(*w.bot->next_reminder_at(), from_unix(1795395600 + 86400));
}

TEST(Scheduler, CompletingATaskCancelsItsReminder) {
    World w;
    const auto id = schedule(w, "maria", "Acme", "in 10m");
    w.say("maria", "done " + std::to_string(id) + " reached");
    // Only the cadence's next follow-up is left, days away.
    EXPECT_GT(*w.bot->next_reminder_at(), w.clock.now() + 24h);
    w.clock.advance(1h);
    EXPECT_TRUE(w.bot->fire_due_reminders().empty());
    EXPECT_TRUE(w.messages(w.maria).empty());
}

TEST(Scheduler, DoneWithNextArmsTheNewTask) {
    World w;
    const auto id = schedule(w, "maria", "Acme", "in 10m");
    const auto reply = w.say("maria", "done " + std::to_string(id) + " reached interested next tomorrow 10am");
    ASSERT_NE(reply.find("#"), std::string::npos);
    // Tuesday 10:00 Shanghai.
    EXPECT_EQ(*w.bot->next_reminder_at(), from_unix(1795399200 + 86400));
}

TEST(Scheduler, RestartCatchUpSendsOneListPerRep) {
    TempDb db;
    World w(db.path);
    std::vector<std::int64_t> maria_ids;
    for (const auto* name : {"Acme", "Beta", "Gamma"}) maria_ids.push_back(schedule(w, "maria", name, "in 1h"));
    schedule(w, "wang", "华为", "2小时后");
    schedule(w, "wang", "Later Co", "in 2 days");

    // The process is down for three hours, then starts again.
    w.reopen();
    w.clock.advance(3h);
    const auto notified = w.bot->fire_due_reminders();
    EXPECT_EQ(notified.size(), 2u);

    const auto maria = w.messages(w.maria);
    ASSERT_EQ(maria.size(), 1u);
    EXPECT_EQ(maria[0].kind, MessageKind::catch_up);
    ASSERT_EQ(maria[0].tasks.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(maria[0].tasks[i].value, maria_ids[i]);
    EXPECT_EQ(maria[0].buttons.size(), 3u);  // a Done button per task

    const auto wang = w.messages(w.wang);
    ASSERT_EQ(wang.size(), 1u);
    EXPECT_EQ(wang[0].kind, MessageKind::reminder);  // only one was due

    // A second restart repeats nothing; the later task still waits.
    w.reopen();
    EXPECT_TRUE(w.bot->fire_due_reminders().empty());
    EXPECT_EQ(w.messages(w.maria).size(), 1u);
    // Next: maria's second reminders, 4 working hours after their 11:00 due time.
    EXPECT_EQ(*w.bot->next_reminder_at(), monday_10am_shanghai() + 5h);
}

// The ladder reads due tasks 500 at a time; a rep's reminders due together
// are still one list when they straddle two reads.
TEST(Scheduler, OneListPerRepWhateverTheReadBoundaries) {
    World w;
    const TimePoint due = w.clock.now() + 1h;
    w.store->transact([&](Repo& r) {
        auto add = [&](UserId rep, const std::string& name, TimePoint at) {
            Customer c;
            c.name = name;
            c.owner = rep;
            Task t;
            t.customer = r.add_customer(c);
            t.assignee = rep;
            t.due = at;
            t.remind_at = at;
            t.created_at = w.clock.now();
            r.add_task(t);
        };
        for (int i = 0; i < 499; ++i) add(w.wang, "W" + std::to_string(i), due);
        for (int i = 0; i < 3; ++i) add(w.maria, "M" + std::to_string(i), due + 1s);  // the 500th and two after
    });
    w.clock.advance(1h + 1s);
    w.bot->fire_due_reminders();
    const auto maria = w.messages(w.maria);
    ASSERT_EQ(maria.size(), 1u);
    EXPECT_EQ(maria[0].kind, MessageKind::catch_up);
    EXPECT_EQ(maria[0].tasks.size(), 3u);
    const auto wang = w.messages(w.wang);
    ASSERT_EQ(wang.size(), 1u);
    EXPECT_EQ(wang[0].kind, MessageKind::catch_up);
}

TEST(Scheduler, CatchUpThresholdIsConfigurable) {
    World w(":memory:", BotOptions{5});
    for (const auto* name : {"Acme", "Beta", "Gamma"}) schedule(w, "maria", name, "in 1h");
    w.clock.advance(2h);
    w.bot->fire_due_reminders();
    // Below the threshold each due task gets its own reminder; none is lost.
    const auto msgs = w.messages(w.maria);
    ASSERT_EQ(msgs.size(), 3u);
    for (const auto& m : msgs) {
        EXPECT_EQ(m.kind, MessageKind::reminder);
        EXPECT_EQ(m.tasks.size(), 1u);
    }
}

}  // namespace
}  // namespace fu::test
