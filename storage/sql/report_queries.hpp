#pragma once
// The statements behind managers' figures (sql_repo_reports.cpp), in the SQL
// the engines share; SQLite's planner hints (INDEXED BY, CROSS JOIN) are
// replaced for PostgreSQL in storage/postgres/dialect.cpp.
#include <string_view>

namespace fu::storage {

namespace sql::reports {

// ?1 team (team form only), ?2 day_start, ?3 day_end, ?4 now.
inline constexpr std::string_view kOpenTeam =
    "SELECT t.assignee_id, COUNT(*), COUNT(*) FILTER (WHERE t.due >= ?2 AND t.due < ?3), COUNT(*) FILTER (WHERE t.due "
    "< ?4), "
    "MIN(CASE WHEN t.due < ?4 THEN t.due END) "
    "FROM users u JOIN tasks t ON t.assignee_id = u.id "
    "WHERE u.team_id = ?1 AND t.status IN ('open', 'snoozed') GROUP BY t.assignee_id";
inline constexpr std::string_view kOpenAll =
    "SELECT t.assignee_id, COUNT(*), COUNT(*) FILTER (WHERE t.due >= ?2 AND t.due < ?3), COUNT(*) FILTER (WHERE t.due "
    "< ?4), "
    "MIN(CASE WHEN t.due < ?4 THEN t.due END) "
    "FROM tasks t INDEXED BY tasks_open WHERE t.status IN ('open', 'snoozed') GROUP BY t.assignee_id";

// ?1 team, ?2 day_start, ?3 week_start, ?4 min(day_start, week_start), ?5 now.
inline constexpr std::string_view kDoneTeam =
    "SELECT t.assignee_id, COUNT(*) FILTER (WHERE t.done_at >= ?2), COUNT(*) FILTER (WHERE t.done_at >= ?3) "
    "FROM users u JOIN tasks t ON t.assignee_id = u.id "
    "WHERE u.team_id = ?1 AND t.status = 'done' AND t.done_at >= ?4 AND t.done_at <= ?5 GROUP BY t.assignee_id";
inline constexpr std::string_view kDoneAll =
    "SELECT t.assignee_id, COUNT(*) FILTER (WHERE t.done_at >= ?2), COUNT(*) FILTER (WHERE t.done_at >= ?3) "
    "FROM tasks t INDEXED BY tasks_done_at WHERE t.status = 'done' AND t.done_at >= ?4 AND t.done_at <= ?5 GROUP BY "
    "t.assignee_id";

// ?1 team, ?2 since, ?3 now. The week's snoozes (audit_action_at) first, then
// each one's actor: a team's members are found by looking them up, not by
// scanning each member's whole history.
inline constexpr std::string_view kSnoozesTeam =
    "SELECT a.actor_id, COUNT(*) FROM audit a CROSS JOIN users u ON u.id = a.actor_id "
    "WHERE a.action = 'task.snooze' AND a.at >= ?2 AND a.at <= ?3 AND u.team_id = ?1 GROUP BY a.actor_id";
inline constexpr std::string_view kSnoozesAll =
    "SELECT a.actor_id, COUNT(*) FROM audit a "
    "WHERE a.action = 'task.snooze' AND a.at >= ?2 AND a.at <= ?3 AND a.actor_id IS NOT NULL GROUP BY a.actor_id";

// Follow-ups due in [?2, ?3) and at or before ?4 (now). A complaint is due at
// once and on time if resolved within the SOP's complaint window: like a
// snoozed follow-up, one done after due or open past due is left to
// report_snoozed_late (the window is configuration). Statuses listed so the
// team form walks tasks_assignee_status_due; the every-team form ranges over
// tasks_due_report.
#define FU_DUE_FIGURES                                                                                   \
    "SELECT t.assignee_id, COUNT(*) FILTER (WHERE t.status <> 'cancelled'), "                            \
    "COUNT(*) FILTER (WHERE t.status = 'done' AND t.done_at <= t.due), "                                 \
    "COUNT(*) FILTER (WHERE t.snooze_count = 0 AND t.origin <> 'complaint' AND "                         \
    "((t.status = 'done' AND t.done_at > t.due) OR (t.status IN ('open', 'snoozed') AND t.due < ?4))), " \
    "COUNT(*) FILTER (WHERE t.status IN ('open', 'snoozed') AND t.due >= ?4), "                          \
    "COUNT(*) FILTER (WHERE (t.snooze_count > 0 OR t.origin = 'complaint') AND "                         \
    "((t.status = 'done' AND t.done_at > t.due) OR "                                                     \
    "(t.status IN ('open', 'snoozed') AND t.due < ?4))), "                                               \
    "COUNT(*) FILTER (WHERE t.ladder_step >= 3) "
#define FU_DUE_RANGE \
    "t.status IN ('open', 'snoozed', 'done', 'cancelled') AND t.due >= ?2 AND t.due < ?3 AND t.due <= ?4 "
inline constexpr std::string_view kDueTeam = FU_DUE_FIGURES
    "FROM users u JOIN tasks t ON t.assignee_id = u.id WHERE u.team_id = ?1 AND " FU_DUE_RANGE "GROUP BY t.assignee_id";
inline constexpr std::string_view kDueAll =
    FU_DUE_FIGURES "FROM tasks t INDEXED BY tasks_due_report WHERE " FU_DUE_RANGE "GROUP BY t.assignee_id";

#define FU_SNOOZED_LATE                                                                   \
    "SELECT t.id, t.assignee_id, t.due, CASE WHEN t.status = 'done' THEN t.done_at END, " \
    "CASE WHEN t.origin = 'complaint' THEN 1 ELSE 0 END "                                 \
    "FROM "
#define FU_SNOOZED_LATE_WHERE                             \
    "(t.snooze_count > 0 OR t.origin = 'complaint') AND " \
    "((t.status = 'done' AND t.done_at > t.due) OR "      \
    "(t.status IN ('open', 'snoozed') AND t.due < ?4)) "
inline constexpr std::string_view kSnoozedLateTeam =
    FU_SNOOZED_LATE "users u JOIN tasks t ON t.assignee_id = u.id WHERE u.team_id = ?1 AND " FU_DUE_RANGE
                    "AND " FU_SNOOZED_LATE_WHERE "ORDER BY t.id";
inline constexpr std::string_view kSnoozedLateAll = FU_SNOOZED_LATE
    "tasks t INDEXED BY tasks_due_report WHERE " FU_DUE_RANGE "AND " FU_SNOOZED_LATE_WHERE "ORDER BY t.id";
#undef FU_DUE_FIGURES
#undef FU_SNOOZED_LATE
#undef FU_SNOOZED_LATE_WHERE

// Interactions in [?2, ?3): the team form walks each member's entries of
// interactions_user_at; the every-team form ranges over interactions_at_report
// (covering).
#define FU_I_TEAM \
    "FROM users u JOIN interactions i ON i.user_id = u.id WHERE u.team_id = ?1 AND i.at >= ?2 AND i.at < ?3 "
#define FU_I_ALL "FROM interactions i INDEXED BY interactions_at_report WHERE i.at >= ?2 AND i.at < ?3 "
#define FU_RESULTS "SELECT i.results, COUNT(*), COALESCE(SUM(i.satisfaction), 0), COUNT(i.satisfaction) "
inline constexpr std::string_view kResultsTeam = FU_RESULTS FU_I_TEAM "GROUP BY i.results";
inline constexpr std::string_view kResultsAll = FU_RESULTS FU_I_ALL "GROUP BY i.results";
inline constexpr std::string_view kPerRepTeam = "SELECT i.user_id, COUNT(*) " FU_I_TEAM "GROUP BY i.user_id";
inline constexpr std::string_view kPerRepAll = "SELECT i.user_id, COUNT(*) " FU_I_ALL "GROUP BY i.user_id";

// ?4: the result code "won" between separators, matched against the results
// column between separators.
#define FU_WON "instr('\x1f' || i.results || '\x1f', ?4) > 0"
// Each interaction's customer, tier, stage and whether it was won: one range,
// no sort; grouped per customer, tier and stage in report_conversion.
#define FU_CONVERSION "SELECT i.customer_id, COALESCE(i.tier, ''), COALESCE(i.stage, ''), " FU_WON " "
inline constexpr std::string_view kConversionTeam = FU_CONVERSION FU_I_TEAM;
inline constexpr std::string_view kConversionAll = FU_CONVERSION FU_I_ALL;
#undef FU_I_TEAM
#undef FU_I_ALL
#undef FU_RESULTS
#undef FU_WON
#undef FU_CONVERSION

// ?1 team, ?2 now.
inline constexpr std::string_view kOpenNowTeam =
    "SELECT COUNT(*) FILTER (WHERE t.due < ?2), COUNT(*) FILTER (WHERE t.origin = 'complaint') "
    "FROM users u JOIN tasks t ON t.assignee_id = u.id WHERE u.team_id = ?1 AND t.status IN ('open', 'snoozed')";
inline constexpr std::string_view kOpenNowAll =
    "SELECT COUNT(*) FILTER (WHERE t.due < ?2), COUNT(*) FILTER (WHERE t.origin = 'complaint') "
    "FROM tasks t INDEXED BY tasks_open WHERE t.status IN ('open', 'snoozed')";

// ?1 team, ?2 from, ?3 to. A customer's first owner (added in chat or by the
// API: 'created'; by an import: 'imported') is not a move from the pool.
#define FU_POOL                                                                                            \
    "SELECT COUNT(*) FILTER (WHERE tr.to_user_id IS NULL AND tr.by_user_id IS NULL), "                     \
    "COUNT(*) FILTER (WHERE tr.to_user_id IS NULL AND tr.by_user_id IS NOT NULL), "                        \
    "COUNT(*) FILTER (WHERE tr.to_user_id IS NOT NULL AND tr.from_user_id IS NULL "                        \
    "AND tr.reason NOT IN ('created', 'imported') AND tr.by_user_id IS NOT DISTINCT FROM tr.to_user_id), " \
    "COUNT(*) FILTER (WHERE tr.to_user_id IS NOT NULL AND tr.from_user_id IS NULL "                        \
    "AND tr.reason NOT IN ('created', 'imported') AND tr.by_user_id IS DISTINCT FROM tr.to_user_id) "
inline constexpr std::string_view kPoolTeam = FU_POOL
    "FROM transfers tr CROSS JOIN customers c ON c.id = tr.customer_id "
    "WHERE tr.at >= ?2 AND tr.at < ?3 AND c.team_id = ?1";
inline constexpr std::string_view kPoolAll = FU_POOL "FROM transfers tr WHERE tr.at >= ?2 AND tr.at < ?3";
#undef FU_POOL
#undef FU_DUE_RANGE

// ?1 team, ?2 from, ?3 to. Snoozes and reschedules made in [from, to), per
// actor: the period's entries of audit_action_at, then each one's actor (as
// kSnoozesTeam).
#define FU_CHANGES                                                          \
    "SELECT a.actor_id, COUNT(*) FILTER (WHERE a.action = 'task.snooze'), " \
    "COUNT(*) FILTER (WHERE a.action = 'task.reschedule') "
inline constexpr std::string_view kChangesTeam = FU_CHANGES
    "FROM audit a CROSS JOIN users u ON u.id = a.actor_id "
    "WHERE a.action IN ('task.snooze', 'task.reschedule') AND a.at >= ?2 AND a.at < ?3 AND u.team_id = ?1 "
    "GROUP BY a.actor_id";
inline constexpr std::string_view kChangesAll = FU_CHANGES
    "FROM audit a WHERE a.action IN ('task.snooze', 'task.reschedule') AND a.at >= ?2 AND a.at < ?3 "
    "AND a.actor_id IS NOT NULL GROUP BY a.actor_id";
#undef FU_CHANGES

}  // namespace sql::reports

}  // namespace fu::storage
