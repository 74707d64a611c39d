#pragma once
// The overdue ladder (逾期升级) as a decision: given one task's ladder state,
// the SOP rules and the assignee's working calendar, which steps are due at
// `now` and when the next one falls due. No storage and no clock; the caller
// (Bot::run_ladder) reads the state and applies the steps.
//   step 0 -> 1  at due (or when snoozed to), inside working hours: remind the rep
//   step 1 -> 2  still open `second_reminder_working_hours` after due: remind again
//   step 2 -> 3  still open `escalate_working_days` after due: tell the manager
//   step 3 -> 4  no follow-up for `reclaim_days` after due (or the last contact): reclaim to the public pool
// Snooze delays the reminders but not escalation. A snooze past the
// escalation point keeps its reminder: the manager is told on time, and the
// rep is reminded at the time asked for (then the snooze is spent). Urgent
// tasks (complaints) are reminded whatever the hour and never reclaimed.
#include <optional>
#include <vector>

#include "core/clock.hpp"
#include "core/sop.hpp"
#include "core/work_calendar.hpp"

namespace fu {

struct LadderState {
    TimePoint due;
    int step = 0;                            // the task's ladder_step: steps taken so far
    std::optional<TimePoint> snoozed_until;  // delays steps 0 and 1
    bool open = true;                        // false once done or cancelled: nothing is due
    bool urgent = false;                     // a complaint: working hours ignored, never reclaimed
    bool reclaimable = false;                // the customer has an owner to reclaim from
    std::optional<TimePoint> last_contact;   // the customer's; a contact after due delays the reclaim
};

enum class LadderAction { remind, remind_again, escalate, reclaim };

struct LadderStep {
    LadderAction action;
    int step_after;                    // ladder_step once this step is taken
    std::optional<TimePoint> next_at;  // remind_at once it is taken; nullopt after a reclaim or at the end
    bool snooze_spent = false;         // the reminder a snooze past the escalation asked for: clear snoozed_until
};

struct LadderDecision {
    std::vector<LadderStep> steps;       // due at `now`, in the order to take them; often empty
    int step = 0;                        // ladder_step after all of them
    std::optional<TimePoint> remind_at;  // when the next step falls due after all of them (nullopt: none left)
};

// When the step after `s.step` falls due (nullopt: none left, or no working time ahead).
std::optional<TimePoint> ladder_next_at(const LadderState& s, const SopRules& rules, const WorkCalendar& cal);
// Escalation is not delayed by snoozes: `escalate_working_days` of working time after due.
std::optional<TimePoint> ladder_escalation_at(TimePoint due, const SopRules& rules, const WorkCalendar& cal);
// When the customer goes back to the pool: `reclaim_days` after due or the last contact (nullopt: never).
std::optional<TimePoint> ladder_reclaim_at(const LadderState& s, const SopRules& rules);
// The reminder a snooze past the escalation point asks for, still to come after the manager is told.
std::optional<TimePoint> ladder_late_snooze_at(const LadderState& s, const SopRules& rules, const WorkCalendar& cal);
// Every step due at `now`. When a later step is already due at the time of an
// earlier one (after downtime, or snoozed past it), the earlier is folded in:
// one reminder stands for both reminders, and an escalation that is due skips
// the reminders altogether. A reclaim ends the ladder.
LadderDecision decide_ladder(const LadderState& s, const SopRules& rules, const WorkCalendar& cal, TimePoint now);

}  // namespace fu
