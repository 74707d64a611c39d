// SqlRepo: the REST API's lists — customers and tasks, filtered and paged
// by id. One statement per combination of filters, each cached.
#include "storage/sql/rows.hpp"
#include "storage/sql/sql_repo.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {

namespace {

constexpr std::string_view kCustomerColumns =
    "SELECT id, name, company, phone, email, im, owner_id, tier, stage, source, value, tags, last_contact, "
    "next_followup, created_at, team_id, external_id FROM customers WHERE TRUE";
constexpr std::string_view kTaskColumns =
    "SELECT id, customer_id, assignee_id, due, method, topic, priority, status, snooze_count, origin, "
    "created_by, created_at, remind_at, done_at, snoozed_until, reschedule_count, ladder_step FROM tasks WHERE TRUE";
// A team's scope: its customers (public pool included) and those its members own.
constexpr std::string_view kTeamScope = " AND (team_id = ? OR owner_id IN (SELECT id FROM users WHERE team_id = ?))";
constexpr std::string_view kTaskTeamScope =
    " AND customer_id IN (SELECT id FROM customers WHERE team_id = ? OR owner_id IN "
    "(SELECT id FROM users WHERE team_id = ?))";

}  // namespace

std::vector<Customer> SqlRepo::list_customers(const CustomerQuery& q) {
    std::string sql(kCustomerColumns);
    if (q.team) sql += kTeamScope;
    if (q.owner) sql += " AND owner_id = ?";
    if (q.stage) sql += " AND stage = ?";
    if (!q.external_id.empty()) sql += " AND external_id = ?";
    if (q.after) sql += " AND id > ?";
    sql += " ORDER BY id LIMIT ?";
    auto& s = statement(sql);
    auto scope = s.use();
    int i = 1;
    if (q.team) {
        s.bind(i++, q.team->value);
        s.bind(i++, q.team->value);
    }
    if (q.owner) s.bind(i++, q.owner->value);
    if (q.stage) s.bind(i++, code(*q.stage));
    if (!q.external_id.empty()) s.bind(i++, q.external_id);
    if (q.after) s.bind(i++, q.after->value);
    s.bind(i, detail::sql_limit(q.limit));
    std::vector<Customer> out;
    while (s.step()) out.push_back(customer_at(s));
    return out;
}

std::vector<Task> SqlRepo::list_tasks(const TaskQuery& q) {
    std::string sql(kTaskColumns);
    if (q.team) sql += kTaskTeamScope;
    if (!q.statuses.empty()) {
        sql += " AND status IN (";
        for (std::size_t k = 0; k < q.statuses.size(); ++k) sql += k ? ", ?" : "?";
        sql += ")";
    }
    if (q.assignee) sql += " AND assignee_id = ?";
    if (q.customer) sql += " AND customer_id = ?";
    if (q.after) sql += " AND id > ?";
    sql += " ORDER BY id LIMIT ?";
    auto& s = statement(sql);
    auto scope = s.use();
    int i = 1;
    if (q.team) {
        s.bind(i++, q.team->value);
        s.bind(i++, q.team->value);
    }
    for (const auto st : q.statuses) s.bind(i++, code(st));
    if (q.assignee) s.bind(i++, q.assignee->value);
    if (q.customer) s.bind(i++, q.customer->value);
    if (q.after) s.bind(i++, q.after->value);
    s.bind(i, detail::sql_limit(q.limit));
    std::vector<Task> out;
    while (s.step()) out.push_back(read_task(s));
    return out;
}

}  // namespace fu::storage
