// SqlRepo: follow-up tasks, reminders and the manager's team figures.
#include <algorithm>
#include <map>

#include "storage/sql/queries.hpp"
#include "storage/sql/rows.hpp"
#include "storage/sql/sql_repo.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {

using detail::id_or_null;
using detail::sql_limit;
using detail::time_or_null;

namespace {

// Binds the columns shared by INSERT and UPDATE, in their order (1..16).
void bind_task(SqlStatement& s, const Task& t) {
    s.bind(1, t.customer.value)
        .bind(2, t.assignee.value)
        .bind(3, to_unix(t.due))
        .bind(4, code(t.method))
        .bind(5, t.topic)
        .bind(6, code(t.priority))
        .bind(7, code(t.status))
        .bind(8, std::int64_t{t.snooze_count})
        .bind(9, code(t.origin))
        .bind(10, id_or_null(t.created_by))
        .bind(11, to_unix(t.created_at))
        .bind(12, time_or_null(t.remind_at))
        .bind(13, time_or_null(t.done_at))
        .bind(14, time_or_null(t.snoozed_until))
        .bind(15, std::int64_t{t.reschedule_count})
        .bind(16, std::int64_t{t.ladder_step});
}

std::vector<Task> read_tasks(SqlStatement& s) {
    std::vector<Task> out;
    while (s.step()) out.push_back(read_task(s));
    return out;
}

}  // namespace

TaskId SqlRepo::add_task(const Task& t) {
    auto& s = statement(sql::kInsertTask);
    auto scope = s.use();
    bind_task(s, t);
    return TaskId{inserted_id(s)};
}

void SqlRepo::update_task(const Task& t) {
    // Most updates are the ladder's, which move only the next reminder and the
    // step: those rewrite two of the table's seven indexes instead of all
    // seven (SQLite rewrites every index holding a column the UPDATE sets).
    if (auto stored = task(t.id)) {
        Task only_reminder_moved = *stored;
        only_reminder_moved.remind_at = t.remind_at;
        only_reminder_moved.ladder_step = t.ladder_step;
        if (only_reminder_moved == t) {
            if (*stored == t) return;  // nothing changed
            auto& s = statement(sql::kUpdateTaskReminder);
            auto scope = s.use();
            s.bind(1, time_or_null(t.remind_at)).bind(2, std::int64_t{t.ladder_step}).bind(3, t.id.value);
            expect_one_change(s.run(), "task", t.id.value);
            return;
        }
    }
    auto& s = statement(sql::kUpdateTask);
    auto scope = s.use();
    bind_task(s, t);
    s.bind(17, t.id.value);
    expect_one_change(s.run(), "task", t.id.value);
}

std::optional<Task> SqlRepo::task(TaskId id) {
    auto& s = statement(sql::kSelectTask);
    auto scope = s.use();
    s.bind(1, id.value);
    if (s.step()) return read_task(s);
    return std::nullopt;
}

std::vector<Task> SqlRepo::open_tasks_for(UserId assignee, TimePoint before) {
    auto& s = statement(sql::kSelectOpenTasksFor);
    auto scope = s.use();
    s.bind(1, assignee.value).bind(2, to_unix(before));
    return read_tasks(s);
}

std::vector<Task> SqlRepo::open_tasks_for_team(TeamId team, TimePoint before) {
    auto& s = statement(sql::kSelectOpenTasksForTeam);
    auto scope = s.use();
    s.bind(1, team.value).bind(2, to_unix(before));
    return read_tasks(s);
}

std::vector<Task> SqlRepo::open_tasks_for_customer(CustomerId customer) {
    auto& s = statement(sql::kSelectOpenTasksForCustomer);
    auto scope = s.use();
    s.bind(1, customer.value);
    return read_tasks(s);
}

std::vector<Task> SqlRepo::tasks_for_customer(CustomerId customer, std::size_t limit) {
    auto& s = statement(sql::kSelectTasksForCustomer);
    auto scope = s.use();
    s.bind(1, customer.value).bind(2, sql_limit(limit));
    return read_tasks(s);
}

std::optional<TimePoint> SqlRepo::next_reminder_at() {
    auto& s = statement(sql::kNextReminderAt);
    auto scope = s.use();
    if (s.step()) {
        if (auto v = s.column_optional_int64(0)) return from_unix(*v);
    }
    return std::nullopt;
}

std::vector<Task> SqlRepo::reminders_due(TimePoint now, std::size_t limit, AssigneePart part) {
    if (part.count <= 1) {
        auto& s = statement(sql::kSelectRemindersDue);
        auto scope = s.use();
        s.bind(1, to_unix(now)).bind(2, sql_limit(limit));
        return read_tasks(s);
    }
    auto& s = statement(sql::kSelectRemindersDueOfPart);
    auto scope = s.use();
    s.bind(1, to_unix(now))
        .bind(2, sql_limit(limit))
        .bind(3, std::int64_t{part.index})
        .bind(4, std::int64_t{part.count});
    return read_tasks(s);
}

std::vector<RepStats> SqlRepo::team_stats(TeamId team, TimePoint day_start, TimePoint day_end, TimePoint week_start,
                                          TimePoint now) {
    std::vector<RepStats> out;
    std::map<std::int64_t, std::size_t> index;  // user id -> position in out
    {
        auto& s = statement(sql::kSelectStatsMembers);
        auto scope = s.use();
        s.bind(1, team.value);
        while (s.step()) {
            index.emplace(s.column_int64(0), out.size());
            out.push_back(RepStats{UserId{s.column_int64(0)}});
        }
    }
    if (out.empty()) return out;
    {
        auto& s = statement(sql::kSelectStatsOpen);
        auto scope = s.use();
        s.bind(1, team.value).bind(2, to_unix(day_start)).bind(3, to_unix(day_end)).bind(4, to_unix(now));
        while (s.step()) {
            auto it = index.find(s.column_int64(0));
            if (it == index.end()) continue;
            RepStats& r = out[it->second];
            r.open = static_cast<int>(s.column_int64(1));
            r.due_today = static_cast<int>(s.column_int64(2));
            r.overdue = static_cast<int>(s.column_int64(3));
            if (auto oldest = s.column_optional_int64(4)) r.oldest_overdue = from_unix(*oldest);
        }
    }
    {
        auto& s = statement(sql::kSelectStatsDone);
        auto scope = s.use();
        s.bind(1, team.value)
            .bind(2, to_unix(day_start))
            .bind(3, to_unix(week_start))
            .bind(4, to_unix(std::min(day_start, week_start)))
            .bind(5, to_unix(now));
        while (s.step()) {
            auto it = index.find(s.column_int64(0));
            if (it == index.end()) continue;
            RepStats& r = out[it->second];
            r.done_today = static_cast<int>(s.column_int64(1));
            r.done_week = static_cast<int>(s.column_int64(2));
        }
    }
    for (const auto& [user, n] : snoozes_since(team, week_start, now))
        if (auto it = index.find(user.value); it != index.end()) out[it->second].snoozes_week = n;
    return out;
}

}  // namespace fu::storage
