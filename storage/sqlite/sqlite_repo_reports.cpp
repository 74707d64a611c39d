// SqliteRepo: the aggregates behind managers' figures (core/reports.cpp).
//
// Every query comes in two forms: one team (its members, found through
// users_team, then each member's entries of a per-assignee / per-user index)
// and every team (one range over a time-ordered index, no join). Counting
// happens here, in SQL; only the few snoozed follow-ups whose lateness depends
// on the assignee's working calendar come back as rows.
#include <algorithm>

#include "storage/sqlite/db.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/sqlite_repo.hpp"

namespace fu::storage {

namespace sql::reports {

// ?1 team (team form only), ?2 day_start, ?3 day_end, ?4 now.
inline constexpr std::string_view kOpenTeam =
    "SELECT t.assignee_id, COUNT(*), SUM(t.due >= ?2 AND t.due < ?3), SUM(t.due < ?4), "
    "MIN(CASE WHEN t.due < ?4 THEN t.due END) "
    "FROM users u JOIN tasks t ON t.assignee_id = u.id "
    "WHERE u.team_id = ?1 AND t.status IN ('open', 'snoozed') GROUP BY t.assignee_id";
inline constexpr std::string_view kOpenAll =
    "SELECT t.assignee_id, COUNT(*), SUM(t.due >= ?2 AND t.due < ?3), SUM(t.due < ?4), "
    "MIN(CASE WHEN t.due < ?4 THEN t.due END) "
    "FROM tasks t INDEXED BY tasks_open WHERE t.status IN ('open', 'snoozed') GROUP BY t.assignee_id";

// ?1 team, ?2 day_start, ?3 week_start, ?4 min(day_start, week_start), ?5 now.
inline constexpr std::string_view kDoneTeam =
    "SELECT t.assignee_id, SUM(t.done_at >= ?2), SUM(t.done_at >= ?3) "
    "FROM users u JOIN tasks t ON t.assignee_id = u.id "
    "WHERE u.team_id = ?1 AND t.status = 'done' AND t.done_at >= ?4 AND t.done_at <= ?5 GROUP BY t.assignee_id";
inline constexpr std::string_view kDoneAll =
    "SELECT t.assignee_id, SUM(t.done_at >= ?2), SUM(t.done_at >= ?3) "
    "FROM tasks t INDEXED BY tasks_done_at WHERE t.status = 'done' AND t.done_at >= ?4 AND t.done_at <= ?5 GROUP BY t.assignee_id";

// ?1 team, ?2 since, ?3 now. The week's snoozes (audit_action_at) first, then
// each one's actor: a team's members are found by looking them up, not by
// scanning each member's whole history.
inline constexpr std::string_view kSnoozesTeam =
    "SELECT a.actor_id, COUNT(*) FROM audit a CROSS JOIN users u ON u.id = a.actor_id "
    "WHERE a.action = 'task.snooze' AND a.at >= ?2 AND a.at <= ?3 AND u.team_id = ?1 GROUP BY a.actor_id";
inline constexpr std::string_view kSnoozesAll =
    "SELECT a.actor_id, COUNT(*) FROM audit a "
    "WHERE a.action = 'task.snooze' AND a.at >= ?2 AND a.at <= ?3 AND a.actor_id IS NOT NULL GROUP BY a.actor_id";

// Follow-ups due in [?2, ?3) and at or before ?4 (now). Statuses listed so the
// team form walks tasks_assignee_status_due; the every-team form ranges over
// tasks_due_report (covering).
#define FU_DUE_FIGURES                                                                                        \
    "SELECT t.assignee_id, SUM(t.status <> 'cancelled'), SUM(t.status = 'done' AND t.done_at <= t.due), "   \
    "SUM(t.snooze_count = 0 AND ((t.status = 'done' AND t.done_at > t.due) OR "                             \
    "(t.status IN ('open', 'snoozed') AND t.due < ?4))), "                                                   \
    "SUM(t.status IN ('open', 'snoozed') AND t.due >= ?4), "                                                 \
    "SUM(t.snooze_count > 0 AND ((t.status = 'done' AND t.done_at > t.due) OR "                              \
    "(t.status IN ('open', 'snoozed') AND t.due < ?4))), "                                                   \
    "SUM(t.ladder_step >= 3) "
#define FU_DUE_RANGE "t.status IN ('open', 'snoozed', 'done', 'cancelled') AND t.due >= ?2 AND t.due < ?3 AND t.due <= ?4 "
inline constexpr std::string_view kDueTeam = FU_DUE_FIGURES
    "FROM users u JOIN tasks t ON t.assignee_id = u.id WHERE u.team_id = ?1 AND " FU_DUE_RANGE
    "GROUP BY t.assignee_id";
inline constexpr std::string_view kDueAll = FU_DUE_FIGURES "FROM tasks t INDEXED BY tasks_due_report WHERE " FU_DUE_RANGE "GROUP BY t.assignee_id";

#define FU_SNOOZED_LATE                                                                      \
    "SELECT t.id, t.assignee_id, t.due, CASE WHEN t.status = 'done' THEN t.done_at END "    \
    "FROM "
#define FU_SNOOZED_LATE_WHERE                                                                \
    "t.snooze_count > 0 AND ((t.status = 'done' AND t.done_at > t.due) OR "                 \
    "(t.status IN ('open', 'snoozed') AND t.due < ?4)) "
inline constexpr std::string_view kSnoozedLateTeam =
    FU_SNOOZED_LATE "users u JOIN tasks t ON t.assignee_id = u.id WHERE u.team_id = ?1 AND " FU_DUE_RANGE
    "AND " FU_SNOOZED_LATE_WHERE "ORDER BY t.id";
inline constexpr std::string_view kSnoozedLateAll =
    FU_SNOOZED_LATE "tasks t INDEXED BY tasks_due_report WHERE " FU_DUE_RANGE "AND " FU_SNOOZED_LATE_WHERE "ORDER BY t.id";
#undef FU_DUE_FIGURES
#undef FU_SNOOZED_LATE
#undef FU_SNOOZED_LATE_WHERE

// Interactions in [?2, ?3): the team form walks each member's entries of
// interactions_user_at; the every-team form ranges over interactions_at_report
// (covering).
#define FU_I_TEAM "FROM users u JOIN interactions i ON i.user_id = u.id WHERE u.team_id = ?1 AND i.at >= ?2 AND i.at < ?3 "
#define FU_I_ALL "FROM interactions i INDEXED BY interactions_at_report WHERE i.at >= ?2 AND i.at < ?3 "
#define FU_RESULTS "SELECT i.results, COUNT(*), COALESCE(SUM(i.satisfaction), 0), COUNT(i.satisfaction) "
inline constexpr std::string_view kResultsTeam = FU_RESULTS FU_I_TEAM "GROUP BY i.results";
inline constexpr std::string_view kResultsAll = FU_RESULTS FU_I_ALL "GROUP BY i.results";
inline constexpr std::string_view kPerRepTeam = "SELECT i.user_id, COUNT(*) " FU_I_TEAM "GROUP BY i.user_id";
inline constexpr std::string_view kPerRepAll = "SELECT i.user_id, COUNT(*) " FU_I_ALL "GROUP BY i.user_id";

// ?4: the result code "won" between separators, matched against the results
// column between separators.
#define FU_WON "instr(char(31) || i.results || char(31), ?4) > 0"
// Per customer: followed up, won in the period; then by the customer's tier now.
#define FU_TIER_HEAD "SELECT c.tier, COUNT(*), SUM(p.won) FROM (SELECT i.customer_id AS id, MAX(" FU_WON ") AS won "
#define FU_TIER_TAIL "GROUP BY i.customer_id) p JOIN customers c ON c.id = p.id GROUP BY c.tier"
inline constexpr std::string_view kTierTeam = FU_TIER_HEAD FU_I_TEAM FU_TIER_TAIL;
inline constexpr std::string_view kTierAll = FU_TIER_HEAD FU_I_ALL FU_TIER_TAIL;
// Per (customer, stage): followed up in that stage; won when the customer was
// won in the period (in any stage: the few "won" rows, looked up once).
#define FU_STAGE_HEAD                                                                                \
    "SELECT p.stage, COUNT(*), SUM(p.id IN (SELECT i.customer_id "
#define FU_STAGE_MID " AND " FU_WON ")) FROM (SELECT i.customer_id AS id, COALESCE(i.stage, '') AS stage "
#define FU_STAGE_TAIL "GROUP BY i.customer_id, COALESCE(i.stage, '')) p GROUP BY p.stage"
inline constexpr std::string_view kStageTeam = FU_STAGE_HEAD FU_I_TEAM FU_STAGE_MID FU_I_TEAM FU_STAGE_TAIL;
inline constexpr std::string_view kStageAll = FU_STAGE_HEAD FU_I_ALL FU_STAGE_MID FU_I_ALL FU_STAGE_TAIL;
#undef FU_I_TEAM
#undef FU_I_ALL
#undef FU_RESULTS
#undef FU_WON
#undef FU_TIER_HEAD
#undef FU_TIER_TAIL
#undef FU_STAGE_HEAD
#undef FU_STAGE_MID
#undef FU_STAGE_TAIL

// ?1 team, ?2 now.
inline constexpr std::string_view kOpenNowTeam =
    "SELECT COALESCE(SUM(t.due < ?2), 0), COALESCE(SUM(t.origin = 'complaint'), 0) "
    "FROM users u JOIN tasks t ON t.assignee_id = u.id WHERE u.team_id = ?1 AND t.status IN ('open', 'snoozed')";
inline constexpr std::string_view kOpenNowAll =
    "SELECT COALESCE(SUM(t.due < ?2), 0), COALESCE(SUM(t.origin = 'complaint'), 0) "
    "FROM tasks t INDEXED BY tasks_open WHERE t.status IN ('open', 'snoozed')";

// ?1 team, ?2 from, ?3 to. Classified as the weekly report does.
#define FU_POOL                                                                                           \
    "SELECT COALESCE(SUM(tr.to_user_id IS NULL AND tr.by_user_id IS NULL), 0), "                          \
    "COALESCE(SUM(tr.to_user_id IS NULL AND tr.by_user_id IS NOT NULL), 0), "                             \
    "COALESCE(SUM(tr.to_user_id IS NOT NULL AND tr.from_user_id IS NULL AND tr.reason <> 'created' "      \
    "AND tr.by_user_id IS tr.to_user_id), 0), "                                                           \
    "COALESCE(SUM(tr.to_user_id IS NOT NULL AND tr.from_user_id IS NULL AND tr.reason <> 'created' "      \
    "AND tr.by_user_id IS NOT tr.to_user_id), 0) "
inline constexpr std::string_view kPoolTeam =
    FU_POOL "FROM transfers tr CROSS JOIN customers c ON c.id = tr.customer_id "
            "WHERE tr.at >= ?2 AND tr.at < ?3 AND c.team_id = ?1";
inline constexpr std::string_view kPoolAll = FU_POOL "FROM transfers tr WHERE tr.at >= ?2 AND tr.at < ?3";
#undef FU_POOL
#undef FU_DUE_RANGE

}  // namespace sql::reports

namespace {

namespace q = sql::reports;

}  // namespace

std::vector<std::string_view> SqliteRepo::report_queries() {
    return {q::kOpenTeam,   q::kOpenAll,      q::kDoneTeam,        q::kDoneAll,         q::kSnoozesTeam,
            q::kSnoozesAll, q::kDueTeam,      q::kDueAll,          q::kSnoozedLateTeam, q::kSnoozedLateAll,
            q::kResultsTeam, q::kResultsAll,  q::kPerRepTeam,      q::kPerRepAll,       q::kTierTeam,
            q::kTierAll,    q::kStageTeam,    q::kStageAll,        q::kOpenNowTeam,     q::kOpenNowAll,
            q::kPoolTeam,   q::kPoolAll};
}

namespace {

int as_int(const Statement& s, int col) { return static_cast<int>(s.column_int64(col)); }

void bind_team(Statement& s, std::optional<TeamId> team) {
    if (team) s.bind(1, team->value);
    else s.bind_null(1);
}

RepStats& row_for(std::vector<RepStats>& out, std::int64_t user) {
    auto it = std::lower_bound(out.begin(), out.end(), user,
                               [](const RepStats& r, std::int64_t id) { return r.rep.value < id; });
    if (it == out.end() || it->rep.value != user) it = out.insert(it, RepStats{UserId{user}});
    return *it;
}

}  // namespace

std::vector<std::pair<UserId, int>> SqliteRepo::snoozes_since(std::optional<TeamId> team, TimePoint since,
                                                              TimePoint now) {
    auto& s = statement(team ? q::kSnoozesTeam : q::kSnoozesAll);
    auto scope = s.use();
    bind_team(s, team);
    s.bind(2, to_unix(since)).bind(3, to_unix(now));
    std::vector<std::pair<UserId, int>> out;
    while (s.step()) out.emplace_back(UserId{s.column_int64(0)}, as_int(s, 1));
    return out;
}

std::vector<RepStats> SqliteRepo::report_rep_stats(std::optional<TeamId> team, TimePoint day_start,
                                                   TimePoint day_end, TimePoint week_start, TimePoint now) {
    std::vector<RepStats> out;  // kept in user id order
    {
        auto& s = statement(team ? q::kOpenTeam : q::kOpenAll);
        auto scope = s.use();
        bind_team(s, team);
        s.bind(2, to_unix(day_start)).bind(3, to_unix(day_end)).bind(4, to_unix(now));
        while (s.step()) {
            RepStats& r = row_for(out, s.column_int64(0));
            r.open = as_int(s, 1);
            r.due_today = as_int(s, 2);
            r.overdue = as_int(s, 3);
            if (auto oldest = s.column_optional_int64(4)) r.oldest_overdue = from_unix(*oldest);
        }
    }
    {
        auto& s = statement(team ? q::kDoneTeam : q::kDoneAll);
        auto scope = s.use();
        bind_team(s, team);
        s.bind(2, to_unix(day_start))
            .bind(3, to_unix(week_start))
            .bind(4, to_unix(std::min(day_start, week_start)))
            .bind(5, to_unix(now));
        while (s.step()) {
            RepStats& r = row_for(out, s.column_int64(0));
            r.done_today = as_int(s, 1);
            r.done_week = as_int(s, 2);
        }
    }
    for (const auto& [user, n] : snoozes_since(team, week_start, now)) row_for(out, user.value).snoozes_week = n;
    return out;
}

std::vector<Repo::ReportDue> SqliteRepo::report_due(std::optional<TeamId> team, TimePoint from, TimePoint to,
                                                    TimePoint now) {
    auto& s = statement(team ? q::kDueTeam : q::kDueAll);
    auto scope = s.use();
    bind_team(s, team);
    s.bind(2, to_unix(from)).bind(3, to_unix(to)).bind(4, to_unix(now));
    std::vector<ReportDue> out;
    while (s.step())
        out.push_back(ReportDue{UserId{s.column_int64(0)}, as_int(s, 1), as_int(s, 2), as_int(s, 3), as_int(s, 4),
                                as_int(s, 5), as_int(s, 6)});
    return out;
}

std::vector<Repo::ReportSnoozedLate> SqliteRepo::report_snoozed_late(std::optional<TeamId> team, TimePoint from,
                                                                     TimePoint to, TimePoint now) {
    auto& s = statement(team ? q::kSnoozedLateTeam : q::kSnoozedLateAll);
    auto scope = s.use();
    bind_team(s, team);
    s.bind(2, to_unix(from)).bind(3, to_unix(to)).bind(4, to_unix(now));
    std::vector<ReportSnoozedLate> out;
    while (s.step()) {
        ReportSnoozedLate r{TaskId{s.column_int64(0)}, UserId{s.column_int64(1)}, from_unix(s.column_int64(2)), {}};
        if (auto done = s.column_optional_int64(3)) r.done_at = from_unix(*done);
        out.push_back(r);
    }
    return out;
}

std::vector<Repo::ReportResults> SqliteRepo::report_results(std::optional<TeamId> team, TimePoint from,
                                                            TimePoint to) {
    auto& s = statement(team ? q::kResultsTeam : q::kResultsAll);
    auto scope = s.use();
    bind_team(s, team);
    s.bind(2, to_unix(from)).bind(3, to_unix(to));
    std::vector<ReportResults> out;
    while (s.step())
        out.push_back(ReportResults{split_words(s.column_text(0)), as_int(s, 1), s.column_int64(2), as_int(s, 3)});
    return out;
}

std::vector<std::pair<UserId, int>> SqliteRepo::report_interactions_per_rep(std::optional<TeamId> team,
                                                                            TimePoint from, TimePoint to) {
    auto& s = statement(team ? q::kPerRepTeam : q::kPerRepAll);
    auto scope = s.use();
    bind_team(s, team);
    s.bind(2, to_unix(from)).bind(3, to_unix(to));
    std::vector<std::pair<UserId, int>> out;
    while (s.step()) out.emplace_back(UserId{s.column_int64(0)}, as_int(s, 1));
    return out;
}

namespace {

std::vector<Repo::ReportConversion> read_conversion(Statement& s) {
    std::vector<Repo::ReportConversion> out;
    while (s.step())
        out.push_back(Repo::ReportConversion{s.column_text(0), as_int(s, 1), as_int(s, 2)});
    return out;
}

const std::string kWonBetweenSeparators = std::string("\x1f") + "won" + "\x1f";

}  // namespace

std::vector<Repo::ReportConversion> SqliteRepo::report_conversion_by_tier(std::optional<TeamId> team,
                                                                          TimePoint from, TimePoint to) {
    auto& s = statement(team ? q::kTierTeam : q::kTierAll);
    auto scope = s.use();
    bind_team(s, team);
    s.bind(2, to_unix(from)).bind(3, to_unix(to)).bind(4, kWonBetweenSeparators);
    return read_conversion(s);
}

std::vector<Repo::ReportConversion> SqliteRepo::report_conversion_by_stage(std::optional<TeamId> team,
                                                                           TimePoint from, TimePoint to) {
    auto& s = statement(team ? q::kStageTeam : q::kStageAll);
    auto scope = s.use();
    bind_team(s, team);
    s.bind(2, to_unix(from)).bind(3, to_unix(to)).bind(4, kWonBetweenSeparators);
    return read_conversion(s);
}

Repo::ReportOpenNow SqliteRepo::report_open_now(std::optional<TeamId> team, TimePoint now) {
    auto& s = statement(team ? q::kOpenNowTeam : q::kOpenNowAll);
    auto scope = s.use();
    bind_team(s, team);
    s.bind(2, to_unix(now));
    ReportOpenNow out;
    if (s.step()) out = ReportOpenNow{as_int(s, 0), as_int(s, 1)};
    return out;
}

Repo::ReportPool SqliteRepo::report_pool(std::optional<TeamId> team, TimePoint from, TimePoint to) {
    auto& s = statement(team ? q::kPoolTeam : q::kPoolAll);
    auto scope = s.use();
    bind_team(s, team);
    s.bind(2, to_unix(from)).bind(3, to_unix(to));
    ReportPool out;
    if (s.step()) out = ReportPool{as_int(s, 0), as_int(s, 1), as_int(s, 2), as_int(s, 3)};
    return out;
}

}  // namespace fu::storage
