#pragma once
// Storage port: figures for the daily digest and the team reports, counted by
// the store rather than by walking every row.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model.hpp"

namespace fu {

class ReportStore {
public:
    virtual ~ReportStore() = default;

    virtual std::vector<RepStats> team_stats(TeamId, TimePoint day_start, TimePoint day_end, TimePoint week_start,
                                             TimePoint now) = 0;

    // A team's history in [from, to), for the weekly report.
    virtual std::vector<Task> team_tasks_due_between(TeamId, TimePoint from, TimePoint to) = 0;
    virtual std::vector<Interaction> team_interactions_between(TeamId, TimePoint from, TimePoint to) = 0;
    virtual std::vector<Transfer> team_transfers_between(TeamId, TimePoint from, TimePoint to) = 0;

    // @reports: aggregates for core/reports.cpp
    // Each is of a scope: one team (its members' tasks, interactions and
    // snoozes; its customers' transfers), or nullopt: every team. Figures are
    // counted in SQL; rows come back only where the working-time calendar must
    // decide.

    // team_stats for a scope, one row per assignee with an open task, a task
    // done since min(day_start, week_start), or a snooze since week_start
    // (members with none of these are not listed), in user id order.
    virtual std::vector<RepStats> report_rep_stats(std::optional<TeamId> team, TimePoint day_start, TimePoint day_end,
                                                   TimePoint week_start, TimePoint now) = 0;

    // Follow-ups due in [from, to) and at or before `now`, per assignee.
    struct ReportDue {
        UserId rep;
        int due = 0;      // not cancelled
        int on_time = 0;  // done at or before due
        int late = 0;     // never snoozed, not a complaint: done after due, or still open and due before now
        int pending = 0;  // still open and due exactly now
        int ambiguous =
            0;  // snoozed or a complaint, and done after due or still open past due: see report_snoozed_late
        int escalated = 0;  // ladder_step >= 3, any status (cancelled by a reclaim too)
    };
    virtual std::vector<ReportDue> report_due(std::optional<TeamId> team, TimePoint from, TimePoint to,
                                              TimePoint now) = 0;
    // The `ambiguous` ones above: snoozed follow-ups done after due, or still
    // open past due. Whether they were late depends on the assignee's
    // escalation point.
    struct ReportSnoozedLate {
        TaskId id;
        UserId rep;
        TimePoint due{};
        std::optional<TimePoint> done_at;  // none: still open
        bool complaint = false;            // late only past the complaint window (sop.complaint_window_hours)
    };
    virtual std::vector<ReportSnoozedLate> report_snoozed_late(std::optional<TeamId> team, TimePoint from, TimePoint to,
                                                               TimePoint now) = 0;

    // Interactions recorded in [from, to) by the scope's members, grouped by
    // their combination of result codes.
    struct ReportResults {
        std::vector<std::string> results;  // one combination (possibly empty)
        int interactions = 0;
        std::int64_t satisfaction_sum = 0;  // over those with a score
        int satisfaction_count = 0;
    };
    virtual std::vector<ReportResults> report_results(std::optional<TeamId> team, TimePoint from, TimePoint to) = 0;
    // Interactions recorded in [from, to) per member, in user id order.
    virtual std::vector<std::pair<UserId, int>> report_interactions_per_rep(std::optional<TeamId> team, TimePoint from,
                                                                            TimePoint to) = 0;
    // Conversion of [from, to): one row per customer followed up in it by the
    // scope's members and per (tier, stage) recorded on those interactions, in
    // customer id order, so a customer's rows are adjacent. The customer was
    // won in the period when any of its rows is.
    struct ReportConversion {
        CustomerId customer;
        std::string tier;   // tier code; '' for interactions recorded before tiers were
        std::string stage;  // stage code; '' for interactions recorded before stages were
        bool won = false;   // a "won" result among this row's interactions
    };
    virtual std::vector<ReportConversion> report_conversion(std::optional<TeamId> team, TimePoint from,
                                                            TimePoint to) = 0;

    // Open follow-ups now: past due, and complaints.
    struct ReportOpenNow {
        int overdue = 0;     // due before now
        int complaints = 0;  // origin complaint
    };
    virtual ReportOpenNow report_open_now(std::optional<TeamId> team, TimePoint now) = 0;

    // Public pool movements in [from, to) of the scope's customers.
    struct ReportPool {
        int reclaimed = 0;  // to the pool, by nobody (the overdue ladder)
        int released = 0;   // to the pool, by someone
        int claimed = 0;    // from the pool, by the new owner
        int assigned = 0;   // from the pool, by someone else (not on creation)
    };
    virtual ReportPool report_pool(std::optional<TeamId> team, TimePoint from, TimePoint to) = 0;

    // Snoozes and reschedules made in [from, to) per person who made them
    // (the scope's members).
    struct ReportChanges {
        UserId rep;
        int snoozes = 0;
        int reschedules = 0;
    };
    virtual std::vector<ReportChanges> report_changes(std::optional<TeamId> team, TimePoint from, TimePoint to) = 0;
    // @end-reports
};

}  // namespace fu
