#pragma once
// From the SQL the engines share (storage/sql/statement.hpp) to PostgreSQL's.
#include <string>
#include <string_view>
#include <vector>

namespace fu::storage::pg {

struct Translated {
    std::string sql;
    int params = 0;          // the highest $N
    std::vector<bool> used;  // [N - 1]: whether $N appears (a form may skip one, e.g. ?1)
};

// Placeholders become $N: `?N` keeps its number, `?` takes one more than the
// highest so far, `:name` takes one at its first appearance (SQLite's rules).
// SQLite's planner hints go (INDEXED BY <index>; CROSS JOIN, which there only
// fixes the join order, is a JOIN). A statement whose meaning differs is
// replaced whole (dialect.cpp). Nothing inside quotes or comments changes.
Translated to_postgres(std::string_view shared_sql);

}  // namespace fu::storage::pg
