#include "core/ladder.hpp"

#include <algorithm>

namespace fu {
namespace {

std::optional<TimePoint> finite(TimePoint t) {
    if (t == TimePoint::max()) return std::nullopt;  // the calendar has no working time ahead
    return t;
}

TimePoint second_reminder_at(TimePoint due, const SopRules& rules, const WorkCalendar& cal) {
    return cal.add_working(due, std::chrono::hours(rules.second_reminder_working_hours));
}

}  // namespace

std::optional<TimePoint> ladder_escalation_at(TimePoint due, const SopRules& rules, const WorkCalendar& cal) {
    return finite(cal.add_working(due, rules.escalate_working_days * cal.working_day_length()));
}

std::optional<TimePoint> ladder_reclaim_at(const LadderState& s, const SopRules& rules) {
    if (s.urgent || !s.reclaimable) return std::nullopt;
    const TimePoint since = std::max(s.due, s.last_contact.value_or(TimePoint{}));
    return since + std::chrono::days(rules.reclaim_days);
}

std::optional<TimePoint> ladder_late_snooze_at(const LadderState& s, const SopRules& rules, const WorkCalendar& cal) {
    if (!s.open || !s.snoozed_until) return std::nullopt;
    const auto at = s.urgent ? s.snoozed_until : finite(cal.next_working_moment(*s.snoozed_until));
    const auto esc = ladder_escalation_at(s.due, rules, cal);
    if (!at || !esc || *at <= *esc) return std::nullopt;  // before it: one of the reminders, or folded into it
    return at;
}

std::optional<TimePoint> ladder_next_at(const LadderState& s, const SopRules& rules, const WorkCalendar& cal) {
    if (!s.open) return std::nullopt;
    const TimePoint snoozed = s.snoozed_until.value_or(TimePoint{});
    auto in_hours = [&](TimePoint at) { return s.urgent ? std::optional(at) : finite(cal.next_working_moment(at)); };
    // A reminder never comes after the escalation it would precede.
    auto or_escalation = [&](std::optional<TimePoint> remind) {
        const auto esc = ladder_escalation_at(s.due, rules, cal);
        if (!remind) return esc;
        return esc ? std::optional(std::min(*remind, *esc)) : remind;
    };
    switch (s.step) {
        case 0: return or_escalation(in_hours(std::max(s.due, snoozed)));
        case 1: {
            const auto again = second_reminder_at(s.due, rules, cal);
            if (again == TimePoint::max()) return or_escalation(std::nullopt);
            return or_escalation(in_hours(std::max(again, snoozed)));
        }
        case 2: return ladder_escalation_at(s.due, rules, cal);
        case 3: {
            const auto reclaim = ladder_reclaim_at(s, rules);
            if (const auto late = ladder_late_snooze_at(s, rules, cal); late && (!reclaim || *late < *reclaim))
                return late;
            return reclaim;
        }
        default: return std::nullopt;
    }
}

LadderDecision decide_ladder(const LadderState& s, const SopRules& rules, const WorkCalendar& cal, TimePoint now) {
    LadderState cur = s;
    LadderDecision d;
    // Each step moves to a later one (or ends the ladder), so this takes at most four turns.
    for (auto at = ladder_next_at(cur, rules, cal); at && *at <= now; at = ladder_next_at(cur, rules, cal)) {
        // The manager was told; the reminder the rep snoozed to comes now, once.
        if (cur.step == 3) {
            if (const auto late = ladder_late_snooze_at(cur, rules, cal); late && *late == *at) {
                cur.snoozed_until.reset();
                d.steps.push_back(LadderStep{LadderAction::remind, cur.step, ladder_next_at(cur, rules, cal), true});
                continue;
            }
        }
        // A working day late however it was snoozed: the manager hears now.
        if (cur.step <= 1) {
            if (auto esc = ladder_escalation_at(cur.due, rules, cal); esc && *esc <= now) cur.step = 2;
        }
        const int taken = cur.step++;
        LadderAction action = LadderAction::reclaim;
        if (taken <= 1) {
            action = taken == 0 ? LadderAction::remind : LadderAction::remind_again;
            // Late (after downtime, or snoozed past it): one reminder stands for both.
            if (cur.step == 1 && second_reminder_at(cur.due, rules, cal) <= now) ++cur.step;
        } else if (taken == 2) {
            action = LadderAction::escalate;
        } else {
            cur.open = false;  // the task is cancelled with the customer's other open ones
        }
        d.steps.push_back(LadderStep{action, cur.step, ladder_next_at(cur, rules, cal)});
    }
    d.step = cur.step;
    d.remind_at = ladder_next_at(cur, rules, cal);
    return d;
}

}  // namespace fu
