// SqlRepo: what the SOP engine reads beyond tasks — the public pool, claim
// quotas and cooldowns, task history, recurring digests, the weekly report.
#include "storage/sql/queries.hpp"
#include "storage/sql/rows.hpp"
#include "storage/sql/sql_repo.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {

using detail::sql_limit;

namespace {

template <class T, class Read>
std::vector<T> read_all(SqlStatement& s, Read read) {
    std::vector<T> out;
    while (s.step()) out.push_back(read(s));
    return out;
}

Schedule read_schedule(const SqlStatement& s) {
    return Schedule{UserId{s.column_int64(0)}, s.column_text(1), from_unix(s.column_int64(2))};
}

}  // namespace

std::vector<Customer> SqlRepo::pool_customers(std::optional<TeamId> team, std::size_t limit) {
    auto& s = statement(team ? sql::kSelectPoolForTeam : sql::kSelectPoolAll);
    auto scope = s.use();
    if (team)
        s.bind(1, team->value).bind(2, sql_limit(limit));
    else
        s.bind(1, sql_limit(limit));
    return read_all<Customer>(s, [this](const SqlStatement& row) { return customer_at(row); });
}

int SqlRepo::claims_since(UserId rep, TimePoint since) {
    auto& s = statement(sql::kCountClaimsSince);
    auto scope = s.use();
    s.bind(1, rep.value).bind(2, to_unix(since));
    return s.step() ? static_cast<int>(s.column_int64(0)) : 0;
}

std::optional<TimePoint> SqlRepo::last_release(CustomerId customer, UserId rep) {
    auto& s = statement(sql::kLastRelease);
    auto scope = s.use();
    s.bind(1, customer.value).bind(2, rep.value);
    if (s.step())
        if (auto v = s.column_optional_int64(0)) return from_unix(*v);
    return std::nullopt;
}

std::vector<AuditEntry> SqlRepo::audit_for(std::string_view subject, std::size_t limit) {
    auto& s = statement(sql::kSelectAuditFor);
    auto scope = s.use();
    s.bind(1, subject).bind(2, sql_limit(limit));
    return read_all<AuditEntry>(s, read_audit);
}

void SqlRepo::set_schedule(const Schedule& sch) {
    auto& s = statement(sql::kUpsertSchedule);
    auto scope = s.use();
    s.bind(1, sch.user.value).bind(2, sch.kind).bind(3, to_unix(sch.next_at));
    s.run();
}

std::optional<Schedule> SqlRepo::schedule(UserId user, std::string_view kind) {
    auto& s = statement(sql::kSelectSchedule);
    auto scope = s.use();
    s.bind(1, user.value).bind(2, kind);
    if (s.step()) return read_schedule(s);
    return std::nullopt;
}

std::optional<TimePoint> SqlRepo::next_schedule_at() {
    auto& s = statement(sql::kNextScheduleAt);
    auto scope = s.use();
    if (s.step())
        if (auto v = s.column_optional_int64(0)) return from_unix(*v);
    return std::nullopt;
}

std::vector<Schedule> SqlRepo::schedules_due(TimePoint now, std::size_t limit) {
    auto& s = statement(sql::kSelectSchedulesDue);
    auto scope = s.use();
    s.bind(1, to_unix(now)).bind(2, sql_limit(limit));
    return read_all<Schedule>(s, read_schedule);
}

std::vector<Task> SqlRepo::team_tasks_due_between(TeamId team, TimePoint from, TimePoint to) {
    auto& s = statement(sql::kSelectTeamTasksDueBetween);
    auto scope = s.use();
    s.bind(1, team.value).bind(2, to_unix(from)).bind(3, to_unix(to));
    return read_all<Task>(s, read_task);
}

std::vector<Interaction> SqlRepo::team_interactions_between(TeamId team, TimePoint from, TimePoint to) {
    auto& s = statement(sql::kSelectTeamInteractionsBetween);
    auto scope = s.use();
    s.bind(1, team.value).bind(2, to_unix(from)).bind(3, to_unix(to));
    return read_all<Interaction>(s, read_interaction);
}

std::vector<Transfer> SqlRepo::team_transfers_between(TeamId team, TimePoint from, TimePoint to) {
    auto& s = statement(sql::kSelectTeamTransfersBetween);
    auto scope = s.use();
    s.bind(1, team.value).bind(2, to_unix(from)).bind(3, to_unix(to));
    return read_all<Transfer>(s, read_transfer);
}

}  // namespace fu::storage
