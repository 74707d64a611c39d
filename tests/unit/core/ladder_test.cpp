// The overdue ladder's decision, without a store or a clock: each step at its
// instant, working time across a weekend and the 2026 Spring Festival (with its
// make-up Saturday), snoozes, and tasks several steps late. Times are Shanghai
// wall time; the rep works 09:00-18:00 Monday to Friday with the shipped CN
// holidays; the rules are the shipped defaults (second reminder after 4 working
// hours, the manager after 1 working day, reclaim after 7 days).
#include "core/ladder.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fu {
namespace {

using namespace std::chrono_literals;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_days;

TimePoint sh(int y, unsigned m, unsigned d, int h, int min = 0, int sec = 0) {
    const sys_days day{date::sys_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch()};
    const date::local_seconds lt{day.time_since_epoch() + hours{h} + minutes{min} + std::chrono::seconds{sec}};
    return date::locate_zone("Asia/Shanghai")->to_sys(lt);
}
// One second before the instant: the step is not due yet.
TimePoint before(TimePoint t) { return t - 1s; }

const HolidayCalendar& cn() {
    static const HolidayCalendar cal = HolidayCalendar::parse(builtin_holidays_cn());
    return cal;
}
const WorkCalendar& shanghai() {
    static const WorkCalendar cal{WorkSchedule{date::locate_zone("Asia/Shanghai"), 9 * 60, 18 * 60, 0b0011111, &cn()}};
    return cal;
}
const SopRules kRules{};

// A task as most are: open, its customer owned, never contacted since.
LadderState task(TimePoint due, int step = 0) {
    LadderState s;
    s.due = due;
    s.step = step;
    s.reclaimable = true;
    return s;
}
LadderState snoozed(LadderState s, TimePoint until) {
    s.snoozed_until = until;
    return s;
}
LadderState urgent(LadderState s) {
    s.urgent = true;
    return s;
}

std::string show(std::optional<TimePoint> t) {
    if (!t) return "never";
    return date::format("%F %a %T", date::make_zoned("Asia/Shanghai", *t));
}
const char* show(LadderAction a) {
    switch (a) {
        case LadderAction::remind: return "remind";
        case LadderAction::remind_again: return "remind again";
        case LadderAction::escalate: return "escalate";
        case LadderAction::reclaim: return "reclaim";
    }
    return "?";
}

struct Step {
    LadderAction action;
    int step_after;
    std::optional<TimePoint> next_at;
};
struct Row {
    const char* what;
    LadderState state;
    TimePoint now;
    std::vector<Step> steps;             // due now, in order
    int step;                            // ladder_step after them
    std::optional<TimePoint> remind_at;  // the next step after them
};

// Compared as text so a failure shows the whole decision in wall time.
std::string describe(const std::vector<Step>& steps, int step, std::optional<TimePoint> remind_at) {
    std::string s;
    for (const auto& x : steps)
        s += std::string(show(x.action)) + " -> step " + std::to_string(x.step_after) + ", next " + show(x.next_at) +
             "; ";
    return s + "ends at step " + std::to_string(step) + ", next " + show(remind_at);
}
std::string describe(const LadderDecision& d) {
    std::vector<Step> steps;
    for (const auto& x : d.steps) steps.push_back({x.action, x.step_after, x.next_at});
    return describe(steps, d.step, d.remind_at);
}

void check(const std::vector<Row>& rows, const WorkCalendar& cal = shanghai()) {
    for (const auto& r : rows) {
        SCOPED_TRACE(r.what);
        const auto d = decide_ladder(r.state, kRules, cal, r.now);
        EXPECT_EQ(describe(d), describe(r.steps, r.step, r.remind_at));
        // What the store arms before the first step is the instant of that step.
        const auto next = ladder_next_at(r.state, kRules, cal);
        if (!r.steps.empty()) EXPECT_TRUE(next && *next <= r.now) << show(next);
    }
}

using enum LadderAction;

TEST(Ladder, EachStepFallsDueAtItsInstantAndNotASecondBefore) {
    // Due Tuesday 10:00: again at 14:00, the manager Wednesday 10:00 (9 working hours), reclaim a week after due.
    const TimePoint due = sh(2026, 3, 10, 10);
    const TimePoint again = sh(2026, 3, 10, 14), escalate_at = sh(2026, 3, 11, 10), reclaim_at = sh(2026, 3, 17, 10);
    check({
        {"remind, a second before", task(due), before(due), {}, 0, due},
        {"remind, at due", task(due), due, {{remind, 1, again}}, 1, again},
        {"second reminder, a second before", task(due, 1), before(again), {}, 1, again},
        {"second reminder, at 4 working hours", task(due, 1), again, {{remind_again, 2, escalate_at}}, 2, escalate_at},
        {"escalation, a second before", task(due, 2), before(escalate_at), {}, 2, escalate_at},
        {"escalation, at 1 working day", task(due, 2), escalate_at, {{escalate, 3, reclaim_at}}, 3, reclaim_at},
        {"reclaim, a second before", task(due, 3), before(reclaim_at), {}, 3, reclaim_at},
        {"reclaim, at 7 days", task(due, 3), reclaim_at, {{reclaim, 4, std::nullopt}}, 4, std::nullopt},
        {"nothing after the reclaim", task(due, 4), sh(2026, 6, 1, 10), {}, 4, std::nullopt},
    });
}

TEST(Ladder, WorkingHoursSkipTheWeekend) {
    // Due Friday 16:00: 2 working hours on Friday, the rest on Monday.
    const TimePoint due = sh(2026, 3, 13, 16);
    const TimePoint again = sh(2026, 3, 16, 11), escalate_at = sh(2026, 3, 16, 16), reclaim_at = sh(2026, 3, 20, 16);
    // Due on Saturday: the reminder waits for Monday 09:00, the working hours count from there.
    const TimePoint saturday = sh(2026, 3, 14, 10), monday = sh(2026, 3, 16, 9);
    check({
        {"second reminder, Monday a second before", task(due, 1), before(again), {}, 1, again},
        {"second reminder, Monday 11:00", task(due, 1), again, {{remind_again, 2, escalate_at}}, 2, escalate_at},
        {"escalation, Monday a second before", task(due, 2), before(escalate_at), {}, 2, escalate_at},
        {"escalation, Monday 16:00", task(due, 2), escalate_at, {{escalate, 3, reclaim_at}}, 3, reclaim_at},
        {"reclaim counts calendar days, the weekend too",
         task(due, 3),
         reclaim_at,
         {{reclaim, 4, std::nullopt}},
         4,
         std::nullopt},
        {"due on Saturday, nothing on Saturday", task(saturday), saturday, {}, 0, monday},
        {"due on Saturday, reminded Monday morning",
         task(saturday),
         monday,
         {{remind, 1, sh(2026, 3, 16, 13)}},
         1,
         sh(2026, 3, 16, 13)},
    });
}

TEST(Ladder, WorkingHoursSkipSpringFestivalAndCountTheMakeUpSaturday) {
    // 2026: Sat 02-14 is a make-up workday, 02-15..02-23 are off, work resumes Tue 02-24.
    const TimePoint friday = sh(2026, 2, 13, 15);
    const TimePoint makeup = sh(2026, 2, 14, 17);
    const TimePoint after = sh(2026, 2, 24, 12), after_escalate = sh(2026, 2, 24, 17);
    check({
        {"Friday 15:00: again on the make-up Saturday at 10:00",
         task(friday, 1),
         before(sh(2026, 2, 14, 10)),
         {},
         1,
         sh(2026, 2, 14, 10)},
        {"Friday 15:00: again at Saturday 10:00",
         task(friday, 1),
         sh(2026, 2, 14, 10),
         {{remind_again, 2, sh(2026, 2, 14, 15)}},
         2,
         sh(2026, 2, 14, 15)},
        {"Friday 15:00: the manager on Saturday 15:00",
         task(friday, 2),
         sh(2026, 2, 14, 15),
         {{escalate, 3, sh(2026, 2, 20, 15)}},
         3,
         sh(2026, 2, 20, 15)},
        {"make-up Saturday 17:00: reminded at once", task(makeup), makeup, {{remind, 1, after}}, 1, after},
        {"make-up Saturday 17:00: no second reminder during the holiday",
         task(makeup, 1),
         sh(2026, 2, 20, 10),
         {},
         1,
         after},
        {"make-up Saturday 17:00: again after the holiday, a second before",
         task(makeup, 1),
         before(after),
         {},
         1,
         after},
        {"make-up Saturday 17:00: again after the holiday",
         task(makeup, 1),
         after,
         {{remind_again, 2, after_escalate}},
         2,
         after_escalate},
        // Reclaim counts calendar days, escalation working days: across the holiday the reclaim is due first.
        {"make-up Saturday 17:00: the manager a working day later, then the reclaim already due",
         task(makeup, 2),
         after_escalate,
         {{escalate, 3, sh(2026, 2, 21, 17)}, {reclaim, 4, std::nullopt}},
         4,
         std::nullopt},
        {"due on a holiday: reminded when work resumes",
         task(sh(2026, 2, 17, 10)),
         sh(2026, 2, 24, 9),
         {{remind, 1, sh(2026, 2, 24, 13)}},
         1,
         sh(2026, 2, 24, 13)},
    });
}

TEST(Ladder, SnoozeDelaysTheRemindersButNotTheManager) {
    const TimePoint due = sh(2026, 3, 10, 10);
    const TimePoint escalate_at = sh(2026, 3, 11, 10);
    check({
        {"snoozed to noon: no reminder at due",
         snoozed(task(due), sh(2026, 3, 10, 12)),
         due,
         {},
         0,
         sh(2026, 3, 10, 12)},
        {"snoozed to noon: reminded at noon, again at 14:00 as planned",
         snoozed(task(due), sh(2026, 3, 10, 12)),
         sh(2026, 3, 10, 12),
         {{remind, 1, sh(2026, 3, 10, 14)}},
         1,
         sh(2026, 3, 10, 14)},
        {"snoozed past the second reminder: one reminder stands for both",
         snoozed(task(due), sh(2026, 3, 10, 16)),
         sh(2026, 3, 10, 16),
         {{remind, 2, escalate_at}},
         2,
         escalate_at},
        {"snoozed to the evening: again next morning",
         snoozed(task(due, 1), sh(2026, 3, 10, 20)),
         sh(2026, 3, 11, 9),
         {{remind_again, 2, escalate_at}},
         2,
         escalate_at},
        {"snoozed past the escalation: the manager hears on time",
         snoozed(task(due, 1), sh(2026, 3, 12, 10)),
         before(escalate_at),
         {},
         1,
         escalate_at},
        {"snoozed past the escalation: the manager at the escalation, the reminder still to come",
         snoozed(task(due, 1), sh(2026, 3, 12, 10)),
         escalate_at,
         {{escalate, 3, sh(2026, 3, 12, 10)}},
         3,
         sh(2026, 3, 12, 10)},
        {"snoozed past the escalation: reminded at the time asked for, then the reclaim",
         snoozed(task(due, 3), sh(2026, 3, 12, 10)),
         sh(2026, 3, 12, 10),
         {{remind, 3, sh(2026, 3, 17, 10)}},
         3,
         sh(2026, 3, 17, 10)},
        {"snoozed past the escalation to the evening: reminded next morning",
         snoozed(task(due, 3), sh(2026, 3, 12, 20)),
         sh(2026, 3, 13, 9),
         {{remind, 3, sh(2026, 3, 17, 10)}},
         3,
         sh(2026, 3, 17, 10)},
        {"snoozed after the escalation: reminded at the time asked for",
         snoozed(task(due, 3), sh(2026, 3, 16, 15)),
         before(sh(2026, 3, 16, 15)),
         {},
         3,
         sh(2026, 3, 16, 15)},
        {"snoozed past the escalation and the reclaim: the reclaim",
         snoozed(task(due, 3), sh(2026, 3, 18, 10)),
         sh(2026, 3, 17, 10),
         {{reclaim, 4, std::nullopt}},
         4,
         std::nullopt},
    });
}

TEST(Ladder, ASnoozedReminderAfterTheEscalationComesOnce) {
    const TimePoint due = sh(2026, 3, 10, 10);
    const auto d = decide_ladder(snoozed(task(due, 3), sh(2026, 3, 12, 10)), kRules, shanghai(), sh(2026, 3, 12, 10));
    ASSERT_EQ(d.steps.size(), 1u);
    EXPECT_TRUE(d.steps[0].snooze_spent);
    // Once spent (the store clears snoozed_until), only the reclaim is left.
    EXPECT_EQ(show(ladder_next_at(task(due, 3), kRules, shanghai())), show(sh(2026, 3, 17, 10)));
}

TEST(Ladder, SeveralStepsLateRunInOrderAndFoldTheReminders) {
    // Due Tuesday 10:00; the service was down until `now`.
    const TimePoint due = sh(2026, 3, 10, 10);
    const TimePoint escalate_at = sh(2026, 3, 11, 10), reclaim_at = sh(2026, 3, 17, 10);
    LadderState unowned = task(due);
    unowned.reclaimable = false;
    LadderState contacted = task(due);
    contacted.last_contact = sh(2026, 3, 15, 9);
    check({
        {"past the second reminder: one reminder for both",
         task(due),
         sh(2026, 3, 10, 15),
         {{remind, 2, escalate_at}},
         2,
         escalate_at},
        {"past the escalation: the manager, no reminder",
         task(due),
         sh(2026, 3, 11, 11),
         {{escalate, 3, reclaim_at}},
         3,
         reclaim_at},
        {"past the reclaim: the manager, then the reclaim",
         task(due),
         sh(2026, 3, 20, 12),
         {{escalate, 3, reclaim_at}, {reclaim, 4, std::nullopt}},
         4,
         std::nullopt},
        {"past the reclaim from step 1: the same",
         task(due, 1),
         sh(2026, 3, 20, 12),
         {{escalate, 3, reclaim_at}, {reclaim, 4, std::nullopt}},
         4,
         std::nullopt},
        {"a customer nobody owns is not reclaimed",
         unowned,
         sh(2026, 3, 20, 12),
         {{escalate, 3, std::nullopt}},
         3,
         std::nullopt},
        {"a contact after due moves the reclaim",
         contacted,
         sh(2026, 3, 20, 12),
         {{escalate, 3, sh(2026, 3, 22, 9)}},
         3,
         sh(2026, 3, 22, 9)},
    });
}

TEST(Ladder, ComplaintsIgnoreWorkingHoursAndAreNeverReclaimed) {
    const TimePoint night = sh(2026, 3, 10, 22);  // Tuesday night, outside working hours
    check({
        {"reminded at once at night",
         urgent(task(night)),
         night,
         {{remind, 1, sh(2026, 3, 11, 13)}},
         1,
         sh(2026, 3, 11, 13)},
        {"escalated a working day later",
         urgent(task(night, 2)),
         sh(2026, 3, 11, 18),
         {{escalate, 3, std::nullopt}},
         3,
         std::nullopt},
        {"never reclaimed", urgent(task(night, 3)), sh(2026, 4, 30, 10), {}, 3, std::nullopt},
    });
}

TEST(Ladder, ClosedTasksAndCalendarsWithoutWorkingTimeHaveNoStep) {
    LadderState done = task(sh(2026, 3, 10, 10));
    done.open = false;
    check({{"done", done, sh(2026, 4, 1, 10), {}, 0, std::nullopt}});
    const WorkCalendar never{WorkSchedule{date::locate_zone("Asia/Shanghai"), 9 * 60, 18 * 60, 0, nullptr}};
    check({{"no working day at all", task(sh(2026, 3, 10, 10)), sh(2026, 4, 1, 10), {}, 0, std::nullopt}}, never);
}

}  // namespace
}  // namespace fu
