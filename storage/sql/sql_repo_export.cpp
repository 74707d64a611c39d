// SqlRepo: data out — interactions of a team's scope in id order, for the
// CSV export. One statement per combination of filters, each cached.
#include "storage/sql/rows.hpp"
#include "storage/sql/sql_repo.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {

namespace {

constexpr std::string_view kInteractionColumns =
    "SELECT id, customer_id, task_id, user_id, at, method, results, note, next_step, satisfaction, stage, tier "
    "FROM interactions WHERE TRUE";
// A team's scope: its customers (public pool included) and those its members own.
constexpr std::string_view kInteractionTeamScope =
    " AND customer_id IN (SELECT id FROM customers WHERE team_id = ? OR owner_id IN "
    "(SELECT id FROM users WHERE team_id = ?))";

}  // namespace

std::vector<Interaction> SqlRepo::list_interactions(std::optional<TeamId> team, std::optional<InteractionId> after,
                                                    std::size_t limit) {
    std::string sql(kInteractionColumns);
    if (team) sql += kInteractionTeamScope;
    if (after) sql += " AND id > ?";
    sql += " ORDER BY id LIMIT ?";
    auto& s = statement(sql);
    auto scope = s.use();
    int i = 1;
    if (team) {
        s.bind(i++, team->value);
        s.bind(i++, team->value);
    }
    if (after) s.bind(i++, after->value);
    s.bind(i, detail::sql_limit(limit));
    std::vector<Interaction> out;
    while (s.step()) out.push_back(read_interaction(s));
    return out;
}

}  // namespace fu::storage
