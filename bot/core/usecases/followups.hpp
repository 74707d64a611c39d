#pragma once
// Follow-ups, as chat and the REST API change them: scheduled by hand,
// completed with an outcome, snoozed, rescheduled; and the automatic next
// step the cadence gives a customer that has none.
#include <optional>
#include <string>
#include <vector>

#include "core/usecases/session.hpp"

namespace fu::uc {

// Refused(already_done / cancelled) unless the follow-up is open or snoozed.
void require_open(const Task&);
// Refused(complaint_unresolved): a complaint closes only with "resolved" among the results.
void require_completable(const Task&, const std::vector<std::string>& results);

// Adds a follow-up set by hand, armed for its assignee. It supersedes the
// customer's automatic follow-ups not yet reminded of: the rep's own plan wins.
Task schedule_followup(Session&, const Customer&, UserId assignee, TimePoint due, Method, std::string topic);
// The same, and the assignee (when not the actor) is told, in their language.
Task plan_followup(Session&, const Customer&, UserId assignee, TimePoint due, Method, std::string topic);

// An open customer with an owner and no open follow-up gets one from the
// cadence (Origin::cadence). Returns it.
std::optional<Task> ensure_next_step(Session&, const Customer&, bool intake = false);

// What an outcome does to its customer: "lost" closes it (open follow-ups
// cancelled), "won" makes a new customer (the after-deal revisits). Audited.
struct OutcomeEffect {
    enum Kind { none, lost, won } kind = none;
    std::size_t cancelled = 0;
};
OutcomeEffect apply_outcome(Session&, CustomerId, const std::vector<std::string>& results);

// A follow-up done: the interaction is recorded, the outcome applied, and the
// customer keeps a next step: the one asked for, else the cadence's.
struct Completion {
    UserId by;  // who followed up, as the interaction records it
    std::vector<std::string> results;
    std::string note;
    std::optional<int> satisfaction;
    std::optional<TimePoint> next_due;  // the next follow-up asked for
    std::string next_step;              // how the next step was asked for, as recorded
};
struct Completed {
    Task task;
    OutcomeEffect outcome;
    std::optional<Task> next;     // the next follow-up asked for
    std::optional<Task> cadence;  // none asked for: the one the cadence scheduled
};
Completed complete(Session&, Task, const Completion&);

// Snooze moves the next reminder only: the due time (and so timeliness and
// the escalation point) stays. Refused(not_in_future) for a time not ahead,
// Refused(past_reclaim) for one after the customer would go back to the pool.
// A snooze past the escalation point is kept: the manager is told at that
// point, the rep reminded at the time asked for. A time before the follow-up
// is due changes nothing and is not counted: its first reminder comes at due.
struct Snoozed {
    Task task;
    bool counted = false;                 // false: not due yet, so nothing was snoozed
    std::optional<TimePoint> reminder;    // the rep's next reminder: the time asked for, moved into working hours
    std::optional<TimePoint> escalation;  // when the manager is told, when that comes before the reminder
};
Snoozed snooze(Session&, Task, TimePoint until);
// Reschedule moves the due time itself and starts the ladder again.
Task reschedule(Session&, Task, TimePoint due);

}  // namespace fu::uc
