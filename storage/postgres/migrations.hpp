#pragma once
// The PostgreSQL schema, in ordered migrations recorded in `schema_version`
// (the same scheme as the SQLite engine's, with its own list). Append-only.
#include <string_view>

namespace fu::storage::pg {

class Connection;

struct Migration {
    int version;
    std::string_view sql;
    void (*step)(Connection&) = nullptr;  // then this, in the same transaction (a change SQL alone cannot word)
};

int latest_schema_version();
// The highest applied version; 0 for an empty database.
int current_schema_version(Connection&);
// Applies the missing migrations in one transaction, holding an advisory
// lock so that instances starting together do not race. Returns the version.
// Throws StorageError for a database newer than this build.
int migrate(Connection&);

}  // namespace fu::storage::pg
