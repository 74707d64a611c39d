// SqlRepo: the aggregates behind managers' figures (core/reports.cpp).
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

#include "storage/sql/report_queries.hpp"
#include "storage/sql/rows.hpp"
#include "storage/sql/sql_repo.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {

namespace {

namespace q = sql::reports;

}  // namespace

std::vector<std::string_view> SqlRepo::report_queries() {
    return {q::kOpenTeam,   q::kOpenAll,   q::kDoneTeam,        q::kDoneAll,        q::kSnoozesTeam, q::kSnoozesAll,
            q::kDueTeam,    q::kDueAll,    q::kSnoozedLateTeam, q::kSnoozedLateAll, q::kResultsTeam, q::kResultsAll,
            q::kPerRepTeam, q::kPerRepAll, q::kConversionTeam,  q::kConversionAll,  q::kOpenNowTeam, q::kOpenNowAll,
            q::kPoolTeam,   q::kPoolAll,   q::kChangesTeam,     q::kChangesAll};
}

namespace {

int as_int(const SqlStatement& s, int col) { return static_cast<int>(s.column_int64(col)); }

void bind_team(SqlStatement& s, std::optional<TeamId> team) {
    if (team)
        s.bind(1, team->value);
    else
        s.bind_null(1);
}

RepStats& row_for(std::vector<RepStats>& out, std::int64_t user) {
    auto it = std::lower_bound(out.begin(), out.end(), user,
                               [](const RepStats& r, std::int64_t id) { return r.rep.value < id; });
    if (it == out.end() || it->rep.value != user) it = out.insert(it, RepStats{UserId{user}});
    return *it;
}

}  // namespace

std::vector<std::pair<UserId, int>> SqlRepo::snoozes_since(std::optional<TeamId> team, TimePoint since, TimePoint now) {
    auto& s = statement(team ? q::kSnoozesTeam : q::kSnoozesAll);
    auto scope = s.use();
    bind_team(s, team);
    s.bind(2, to_unix(since)).bind(3, to_unix(now));
    std::vector<std::pair<UserId, int>> out;
    while (s.step()) out.emplace_back(UserId{s.column_int64(0)}, as_int(s, 1));
    return out;
}

std::vector<RepStats> SqlRepo::report_rep_stats(std::optional<TeamId> team, TimePoint day_start, TimePoint day_end,
                                                TimePoint week_start, TimePoint now) {
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

std::vector<Repo::ReportDue> SqlRepo::report_due(std::optional<TeamId> team, TimePoint from, TimePoint to,
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

std::vector<Repo::ReportSnoozedLate> SqlRepo::report_snoozed_late(std::optional<TeamId> team, TimePoint from,
                                                                  TimePoint to, TimePoint now) {
    auto& s = statement(team ? q::kSnoozedLateTeam : q::kSnoozedLateAll);
    auto scope = s.use();
    bind_team(s, team);
    s.bind(2, to_unix(from)).bind(3, to_unix(to)).bind(4, to_unix(now));
    std::vector<ReportSnoozedLate> out;
    while (s.step()) {
        ReportSnoozedLate r{TaskId{s.column_int64(0)}, UserId{s.column_int64(1)}, from_unix(s.column_int64(2)), {}};
        if (auto done = s.column_optional_int64(3)) r.done_at = from_unix(*done);
        r.complaint = s.column_int64(4) != 0;
        out.push_back(r);
    }
    return out;
}

std::vector<Repo::ReportResults> SqlRepo::report_results(std::optional<TeamId> team, TimePoint from, TimePoint to) {
    auto& s = statement(team ? q::kResultsTeam : q::kResultsAll);
    auto scope = s.use();
    bind_team(s, team);
    s.bind(2, to_unix(from)).bind(3, to_unix(to));
    std::vector<ReportResults> out;
    while (s.step())
        out.push_back(ReportResults{split_words(s.column_text(0)), as_int(s, 1), s.column_int64(2), as_int(s, 3)});
    return out;
}

std::vector<std::pair<UserId, int>> SqlRepo::report_interactions_per_rep(std::optional<TeamId> team, TimePoint from,
                                                                         TimePoint to) {
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

std::vector<Repo::ReportConversion> SqlRepo::report_conversion(std::optional<TeamId> team, TimePoint from,
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
        out.push_back(
            ReportConversion{CustomerId{rows[n].customer}, tiers[rows[n].tier], stages[rows[n].stage], rows[n].won});
    }
    return out;
}

Repo::ReportOpenNow SqlRepo::report_open_now(std::optional<TeamId> team, TimePoint now) {
    auto& s = statement(team ? q::kOpenNowTeam : q::kOpenNowAll);
    auto scope = s.use();
    bind_team(s, team);
    s.bind(2, to_unix(now));
    ReportOpenNow out;
    if (s.step()) out = ReportOpenNow{as_int(s, 0), as_int(s, 1)};
    return out;
}

Repo::ReportPool SqlRepo::report_pool(std::optional<TeamId> team, TimePoint from, TimePoint to) {
    auto& s = statement(team ? q::kPoolTeam : q::kPoolAll);
    auto scope = s.use();
    bind_team(s, team);
    s.bind(2, to_unix(from)).bind(3, to_unix(to));
    ReportPool out;
    if (s.step()) out = ReportPool{as_int(s, 0), as_int(s, 1), as_int(s, 2), as_int(s, 3)};
    return out;
}

std::vector<Repo::ReportChanges> SqlRepo::report_changes(std::optional<TeamId> team, TimePoint from, TimePoint to) {
    auto& s = statement(team ? q::kChangesTeam : q::kChangesAll);
    auto scope = s.use();
    bind_team(s, team);
    s.bind(2, to_unix(from)).bind(3, to_unix(to));
    std::vector<ReportChanges> out;
    while (s.step()) out.push_back(ReportChanges{UserId{s.column_int64(0)}, as_int(s, 1), as_int(s, 2)});
    return out;
}

}  // namespace fu::storage
