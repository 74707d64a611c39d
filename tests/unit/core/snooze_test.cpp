// Snooze as a rep meets it: the time asked for is the time reminded, or the
// reply says plainly why not; and day words for round-the-clock users. The
// clock starts Monday 2026-11-23 10:00 in Asia/Shanghai; reps work 09:00-18:00
// Monday to Friday unless a test says otherwise.
#include <date/date.h>
#include <gmock/gmock.h>

#include "fixture.hpp"

namespace fu::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

// Shanghai wall time on a day of November 2026 (UTC+8).
TimePoint sh(unsigned day, int hour, int minute = 0) {
    return TimePoint{date::sys_days{date::year{2026} / 11 / day}.time_since_epoch() + std::chrono::hours{hour - 8} +
                     std::chrono::minutes{minute}};
}

std::int64_t followup(World& w, const std::string& who, const std::string& customer, const std::string& when) {
    w.say(who, (who == "wang" ? "新客户 " : "customer add ") + customer);
    const auto reply = w.say(who, (who == "wang" ? "跟进 " : "followup ") + customer + " " + when + " call");
    return World::task_id_in(reply);
}

void round_the_clock(World& w, UserId who) {
    w.store->transact([&](Repo& r) {
        auto u = *r.user(who);
        u.work_start_minute = 0;
        u.work_end_minute = 24 * 60;
        u.work_days = 0b1111111;
        r.update_user(u);
    });
}

std::vector<OutboxMessage> of_kind(World& w, UserId who, MessageKind kind) {
    auto all = w.messages(who);
    std::erase_if(all, [&](const OutboxMessage& m) { return m.kind != kind; });
    return all;
}

// Due Tuesday 09:00; it is Tuesday 11:00 and the reminder has come. The manager
// is told a working day after due: Tuesday 18:00.
std::int64_t reminded_on_tuesday(World& w, const std::string& who, const std::string& customer) {
    const auto id = followup(w, who, customer, who == "wang" ? "明天" : "tomorrow");
    EXPECT_EQ(w.task(id)->due, sh(24, 9));
    w.clock.set(sh(24, 11));
    w.bot->fire_due_reminders();
    return id;
}

TEST(Snooze, PastTheEscalationTheRepIsRemindedAtTheTimeAskedForAndToldWhenTheManagerHears) {
    World w;
    const auto id = reminded_on_tuesday(w, "maria", "Globex");
    const auto n = std::to_string(id);
    const auto reply = w.say("maria", "snooze " + n + " fri 3pm");
    EXPECT_THAT(reply, HasSubstr("next reminder Fri 11-27 15:00 · still due Tue 11-24 09:00 (snoozed 1×)"));
    EXPECT_THAT(reply, HasSubstr("if it is still open at Tue 11-24 18:00, the manager is told then"));
    EXPECT_THAT(reply, HasSubstr("To move the due time itself: reschedule " + n + " fri 3pm"));
    EXPECT_EQ(w.task(id)->snoozed_until, sh(27, 15));

    // The manager hears on time…
    w.clock.set(sh(24, 18));
    w.bot->fire_due_reminders();
    ASSERT_EQ(w.messages(w.li).size(), 1u);
    EXPECT_THAT(w.messages(w.li)[0].text, HasSubstr("Escalation"));
    const auto reminders = of_kind(w, w.maria, MessageKind::reminder).size();
    // …and the rep is reminded at the time asked for, once.
    w.clock.set(sh(27, 15) - 1s);
    w.bot->fire_due_reminders();
    EXPECT_EQ(of_kind(w, w.maria, MessageKind::reminder).size(), reminders);
    w.clock.set(sh(27, 15));
    w.bot->fire_due_reminders();
    EXPECT_EQ(of_kind(w, w.maria, MessageKind::reminder).size(), reminders + 1);
    EXPECT_FALSE(w.task(id)->snoozed_until);
    w.clock.set(sh(27, 17));
    w.bot->fire_due_reminders();
    EXPECT_EQ(of_kind(w, w.maria, MessageKind::reminder).size(), reminders + 1);
}

TEST(Snooze, PastTheEscalationInChinese) {
    World w;
    const auto id = reminded_on_tuesday(w, "wang", "宏达");
    const auto reply = w.say("wang", "推迟 " + std::to_string(id) + " 周五下午3点");
    EXPECT_THAT(reply, HasSubstr("下次提醒 11月27日"));
    EXPECT_THAT(reply, HasSubstr("15:00"));
    EXPECT_THAT(reply, HasSubstr("推迟提醒不会推迟逾期升级"));
    EXPECT_THAT(reply, HasSubstr("改期 " + std::to_string(id) + " 周五下午3点"));
    EXPECT_EQ(w.task(id)->snoozed_until, sh(27, 15));
}

TEST(Snooze, TheTomorrowButtonMeansTomorrowAtNineInEitherLanguage) {
    for (const std::string who : {"maria", "wang"}) {
        SCOPED_TRACE(who);
        World w;
        const auto id = reminded_on_tuesday(w, who, "Globex");
        const auto reminder = of_kind(w, who == "wang" ? w.wang : w.maria, MessageKind::reminder);
        ASSERT_EQ(reminder.size(), 1u);
        ASSERT_EQ(reminder[0].buttons.size(), 3u);
        const auto reply = w.say(who, reminder[0].buttons[2].command);
        EXPECT_EQ(w.task(id)->snoozed_until, sh(25, 9)) << reply;
        EXPECT_THAT(reply, HasSubstr(who == "wang" ? "下次提醒 11月25日" : "next reminder Wed 11-25 09:00"));
        // The reminder comes then, after the manager was told on Tuesday evening.
        const auto before = of_kind(w, who == "wang" ? w.wang : w.maria, MessageKind::reminder).size();
        w.clock.set(sh(25, 9));
        w.bot->fire_due_reminders();
        EXPECT_EQ(of_kind(w, who == "wang" ? w.wang : w.maria, MessageKind::reminder).size(), before + 1);
    }
}

TEST(Snooze, PastTheReclaimIsRefusedAndSaysWhy) {
    World w;
    const auto id = reminded_on_tuesday(w, "maria", "Globex");
    const auto reply = w.say("maria", "snooze " + std::to_string(id) + " in 10 days");
    EXPECT_THAT(reply, HasSubstr("Not snoozed: if nobody follows up by Tue 12-01 09:00, the customer goes back to the "
                                 "public pool"));
    EXPECT_EQ(w.task(id)->snooze_count, 0);
    EXPECT_FALSE(w.task(id)->snoozed_until);
    World zh;
    const auto id2 = reminded_on_tuesday(zh, "wang", "宏达");
    EXPECT_THAT(zh.say("wang", "推迟 " + std::to_string(id2) + " 10天后"), HasSubstr("未推迟：如果到 12月1日"));
    EXPECT_EQ(zh.task(id2)->snooze_count, 0);
}

TEST(Snooze, BeforeTheDueTimeIsNoSnoozeNotCountedAndNotAboutWorkingHours) {
    World w;
    round_the_clock(w, w.maria);
    const auto id = followup(w, "maria", "Acme", "in 1h");
    const auto reply = w.say("maria", "snooze " + std::to_string(id) + " 30m");
    EXPECT_THAT(reply, HasSubstr("is not due until Mon 11-23 11:00: its first reminder comes then, so there is "
                                 "nothing to snooze"));
    EXPECT_THAT(reply, Not(HasSubstr("working hours")));
    EXPECT_EQ(w.task(id)->snooze_count, 0);
    EXPECT_EQ(w.task(id)->status, TaskStatus::open);
    EXPECT_EQ(w.task(id)->remind_at, sh(23, 11));

    const auto zh = followup(w, "wang", "华为", "1小时后");
    const auto zh_reply = w.say("wang", "推迟 " + std::to_string(zh) + " 30分钟后");
    EXPECT_THAT(zh_reply, HasSubstr("无需推迟"));
    EXPECT_THAT(zh_reply, Not(HasSubstr("工作时间")));
    EXPECT_EQ(w.task(zh)->snooze_count, 0);
}

TEST(Snooze, TheWorkingHoursNoteOnlyWhenTheReminderWaitsForThem) {
    World w;
    const auto id = followup(w, "maria", "Acme", "in 1h");
    // 20:00 is after maria's hours: the reminder waits for Tuesday 09:00.
    const auto evening = w.say("maria", "snooze " + std::to_string(id) + " 8pm");
    EXPECT_THAT(evening, HasSubstr("next reminder Tue 11-24 09:00"));
    EXPECT_THAT(evening, HasSubstr("(outside your working hours"));
    // Round the clock, 20:00 is 20:00.
    round_the_clock(w, w.maria);
    const auto night = w.say("maria", "snooze " + std::to_string(id) + " 9pm");
    EXPECT_THAT(night, HasSubstr("next reminder Mon 11-23 21:00"));
    EXPECT_THAT(night, Not(HasSubstr("working hours")));
}

TEST(Snooze, ADayWordForARoundTheClockUserIsNineAndEndOfDayIsSix) {
    World w;
    round_the_clock(w, w.maria);
    EXPECT_EQ(w.task(followup(w, "maria", "Acme", "tomorrow"))->due, sh(24, 9));
    EXPECT_EQ(w.task(followup(w, "maria", "Beta", "eod"))->due, sh(23, 18));
    round_the_clock(w, w.wang);
    EXPECT_EQ(w.task(followup(w, "wang", "华为", "周三"))->due, sh(25, 9));
    EXPECT_EQ(w.task(followup(w, "wang", "中兴", "明天下班前"))->due, sh(24, 18));
}

TEST(Snooze, EndOfDayAndMonthFollowTheUsersHours) {
    World w;
    w.store->transact([&](Repo& r) {
        auto u = *r.user(w.maria);
        u.work_start_minute = 10 * 60;
        u.work_end_minute = 19 * 60;
        r.update_user(u);
    });
    EXPECT_EQ(w.task(followup(w, "maria", "Acme", "eod"))->due, sh(23, 19));
    // November 2026 ends on a Monday.
    EXPECT_EQ(w.task(followup(w, "maria", "Beta", "end of month"))->due, sh(30, 19));
    EXPECT_EQ(w.task(followup(w, "maria", "Cora", "tomorrow"))->due, sh(24, 10));
}

}  // namespace
}  // namespace fu::test
