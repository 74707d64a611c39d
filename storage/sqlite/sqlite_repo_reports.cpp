// SqliteRepo: the aggregates behind managers' figures (core/reports.cpp).
//
// Every query comes in two forms: one team (its members, found through
// users_team, then each member's entries of a per-assignee / per-user index)
// and every team (one range over a time-ordered index, no join). Counting
// happens here, in SQL, except for the few snoozed follow-ups whose lateness
// depends on the assignee's working calendar, and conversion, whose
// interactions are grouped per customer here rather than sorted in SQL.
#include <algorithm>
#include <cstdint>
#include <tuple>

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
    "SELECT COALESCE(SUM(t.due < ?2), 0), COALESCE(SUM(t.origin = 'complaint'), 0) "
    "FROM users u JOIN tasks t ON t.assignee_id = u.id WHERE u.team_id = ?1 AND t.status IN ('open', 'snoozed')";
inline constexpr std::string_view kOpenNowAll =
    "SELECT COALESCE(SUM(t.due < ?2), 0), COALESCE(SUM(t.origin = 'complaint'), 0) "
    "FROM tasks t INDEXED BY tasks_open WHERE t.status IN ('open', 'snoozed')";

// ?1 team, ?2 from, ?3 to. A customer's first owner (added in chat or by the
// API: 'created'; by an import: 'imported') is not a move from the pool.
#define FU_POOL                                                                                           \
    "SELECT COALESCE(SUM(tr.to_user_id IS NULL AND tr.by_user_id IS NULL), 0), "                          \
    "COALESCE(SUM(tr.to_user_id IS NULL AND tr.by_user_id IS NOT NULL), 0), "                             \
    "COALESCE(SUM(tr.to_user_id IS NOT NULL AND tr.from_user_id IS NULL AND tr.reason NOT IN ('created', 'imported') "      \
    "AND tr.by_user_id IS tr.to_user_id), 0), "                                                           \
    "COALESCE(SUM(tr.to_user_id IS NOT NULL AND tr.from_user_id IS NULL AND tr.reason NOT IN ('created', 'imported') "      \
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
            q::kResultsTeam, q::kResultsAll,  q::kPerRepTeam,      q::kPerRepAll,       q::kConversionTeam,
            q::kConversionAll, q::kOpenNowTeam, q::kOpenNowAll,    q::kPoolTeam,        q::kPoolAll};
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

const std::string kWonBetweenSeparators = std::string("\x1f") + "won" + "\x1f";

}  // namespace

std::vector<Repo::ReportConversion> SqliteRepo::report_conversion(std::optional<TeamId> team, TimePoint from,
                                                                  TimePoint to) {
    // Tiers and stages are a handful of codes: each row keeps their position
    // in `tiers` / `stages`, and the rows are grouped by sorting them here,
    // which is cheaper than sorting them in SQL.
    struct Row {
        std::int64_t customer;
        std::uint32_t tier, stage;
        bool won;
    };
    std::vector<std::string> tiers, stages;
    const auto position = [](std::vector<std::string>& seen, std::string code) {
        auto it = std::find(seen.begin(), seen.end(), code);
        if (it == seen.end()) it = seen.insert(seen.end(), std::move(code));
        return static_cast<std::uint32_t>(it - seen.begin());
    };
    std::vector<Row> rows;
    {
        auto& s = statement(team ? q::kConversionTeam : q::kConversionAll);
        auto scope = s.use();
        bind_team(s, team);
        s.bind(2, to_unix(from)).bind(3, to_unix(to)).bind(4, kWonBetweenSeparators);
        while (s.step())
            rows.push_back(Row{s.column_int64(0), position(tiers, s.column_text(1)), position(stages, s.column_text(2)),
                               s.column_int64(3) != 0});
    }
    const auto key = [](const Row& r) { return std::tuple(r.customer, r.tier, r.stage); };
    std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) { return key(a) < key(b); });
    std::vector<ReportConversion> out;
    for (std::size_t n = 0; n < rows.size(); ++n) {
        if (n > 0 && key(rows[n]) == key(rows[n - 1])) {
            out.back().won = out.back().won || rows[n].won;
            continue;
        }
        out.push_back(ReportConversion{CustomerId{rows[n].customer}, tiers[rows[n].tier], stages[rows[n].stage],
                                       rows[n].won});
    }
    return out;
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
