#pragma once
// What managers ask, as figures: the team's status now, and a period's report
// (timeliness, outcomes, conversion, satisfaction, complaints, pool movements).
// Computed here once; chat (bot_manager.cpp) and the REST API render them.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <date/tz.h>

#include "core/bot.hpp"
#include "core/model.hpp"
#include "core/store.hpp"

namespace fu::reports {

// Whose figures: one team, or every team (an admin, an all-teams API token).
struct Scope {
    std::optional<TeamId> team;  // nullopt: every team
};

enum class PeriodKind { week, month, last_week, last_month, custom };

// A calendar period in one time zone: [from, to). "week" and "month" are the
// current ones (Monday / the 1st, 00:00 local, to the end of the period);
// "last_*" the previous complete ones.
struct Period {
    PeriodKind kind = PeriodKind::week;
    TimePoint from{}, to{};
    date::local_days first_day{}, last_day{};  // inclusive, local dates
    std::string zone;                          // IANA name the period is in
};
Period period_of(PeriodKind, const date::time_zone* zone, TimePoint now);
// The days first to last (inclusive, local dates) in one zone: a custom period
// (the dashboard's from/to).
Period period_between(date::local_days first, date::local_days last, const date::time_zone* zone);

// One rep's row in `team` (团队).
struct RepStatus {
    UserId rep;
    std::string name;   // display name
    int open = 0;       // open or snoozed
    int due_today = 0;  // open, due within today (local)
    int overdue = 0;    // open, due before now
    int done_today = 0;
    int done_week = 0;     // since Monday 00:00 local
    int snoozes_week = 0;  // snoozes made since Monday 00:00 local
    std::optional<TimePoint> oldest_overdue;
};

struct TeamStatus {
    TimePoint now{}, day_start{}, week_start{};
    std::string zone;
    std::vector<RepStatus> reps;  // team(s) members who are reps or have tasks, name order
    RepStatus total;
};
TeamStatus team_status(Repo&, Scope, const date::time_zone* zone, TimePoint now);

// 跟进及时率: follow-ups due in the period, done by their due time. A snoozed
// follow-up done before its escalation point is on time (DOMAIN.md). A
// follow-up still open counts as late once past that point (its due time if
// never snoozed); before it, it is pending and not counted. Cancelled ones are
// not counted.
struct Timeliness {
    int due = 0;  // due in the period and up to now, not cancelled
    int on_time = 0;
    int late = 0;     // done late, or open past its deadline
    int pending = 0;  // open, deadline not reached yet
    // on_time / (on_time + late); nullopt when nothing counted.
    std::optional<double> rate() const {
        if (on_time + late == 0) return std::nullopt;
        return static_cast<double>(on_time) / (on_time + late);
    }
};

struct RepReport {
    UserId rep;
    std::string name;
    Timeliness timeliness;
    int interactions = 0;  // follow-ups recorded in the period
    int snoozes = 0;       // snoozes they made in the period
    int reschedules = 0;   // follow-ups they rescheduled in the period
};

// Conversion by tier or stage: distinct customers followed up in the period
// (by the tier, or the stage, they had when followed up: a customer followed
// up in two counts in both), and how many of them were won in the period.
struct Conversion {
    std::string key;  // tier code ("a") or stage code ("lead")
    int contacted = 0;
    int won = 0;
};

struct PoolMoves {
    int reclaimed = 0;  // by the overdue ladder
    int released = 0;   // by a rep or manager
    int claimed = 0;    // by a rep from the pool
    int assigned = 0;   // by a manager from the pool
};

struct Report {
    Period period;
    Timeliness total;
    std::vector<RepReport> reps;          // name order
    std::map<std::string, int> outcomes;  // result code -> interactions with it in the period
    std::vector<Conversion> by_tier;      // a, b, c
    std::vector<Conversion> by_stage;     // stage order of model.hpp, stages seen only
    std::optional<double> satisfaction_avg;
    int satisfaction_count = 0;
    int complaints_open = 0;  // open complaint follow-ups now
    int escalated = 0;        // follow-ups due in the period whose manager was told
    int overdue_now = 0;      // open follow-ups past due now
    PoolMoves pool;
};
Report report(Repo&, const BotOptions&, Scope, const Period&, TimePoint now);

// The managers' dashboard: the period's report, the status now, and the
// timeliness of each of the last `weeks` weeks (the current one last), every
// figure counted as `report` and `team` count it (a week's timeliness is that
// week's report's).
struct DashboardRep {
    UserId rep;
    std::string name, handle;
    Role role = Role::rep;
    RepStatus now;                  // as in team_status
    RepReport period;               // as in report
    std::vector<Timeliness> weeks;  // one per Dashboard::weeks
};
struct Dashboard {
    Report report;
    TeamStatus status;
    std::vector<date::local_days> weeks;  // the weeks' Mondays, oldest first
    std::vector<Timeliness> week_totals;  // one per week, the scope's total
    std::vector<DashboardRep> reps;       // everyone in a row of report, status or a week, name order
};
Dashboard dashboard(Repo&, const BotOptions&, Scope, const Period&, const date::time_zone* zone, TimePoint now,
                    int weeks = 12);

// Open follow-ups past due now, earliest first: the `overdue` list, of one
// rep or of the whole scope.
struct OverdueItem {
    Task task;
    std::string customer;  // name
    std::string rep;       // display name
};
std::vector<OverdueItem> overdue(Repo&, Scope, std::optional<UserId> rep, TimePoint now);

}  // namespace fu::reports
