#pragma once
// Schema versions. Each migration runs in its own transaction and records its
// version in `schema_version`, so opening an old file upgrades it step by step
// and opening a current one does nothing (Chromium sql/meta_table.h).
// Migrations are append-only: never edit a shipped one, add the next.
#include <span>
#include <string_view>

namespace fu::storage {

class Database;

struct Migration {
    int version;                        // 1, 2, 3 … strictly increasing
    std::string_view sql;               // one or more statements
    void (*step)(Database&) = nullptr;  // then this, in the same transaction (a change SQL alone cannot word)
};

// The migrations this build knows, in order.
std::span<const Migration> builtin_migrations();
int latest_schema_version();

// The highest applied version; 0 for an empty database.
int current_schema_version(Database&);

// Applies the missing `migrations` in order and returns the resulting version.
// Throws StorageError if the file is newer than the newest migration given.
int apply_migrations(Database&, std::span<const Migration> migrations);
inline int migrate(Database& db) { return apply_migrations(db, builtin_migrations()); }

}  // namespace fu::storage
