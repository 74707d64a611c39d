#pragma once
// Backups of a SQLite database while followupd runs, and restoring one, with
// SQLite's online backup API: the copy is the database as of one moment
// (a read transaction; in WAL mode writers go on meanwhile), never a file
// copied halfway through a write.
#include <cstdint>
#include <string>

namespace fu::storage {

struct DatabaseInfo {
    int schema_version = 0;
    // The check value of the key that sealed its contacts (never the key);
    // "" when its contacts are not sealed.
    std::string key_check;
    std::int64_t bytes = 0;
};

// Copies `source` into the new file `dest`: written as dest + ".partial",
// flushed to disk, then renamed, so `dest` is either absent or whole.
// Refuses an existing `dest`. Throws StorageError.
DatabaseInfo backup_database(const std::string& source, const std::string& dest);

// A database file's schema version and key check value, opened read-only,
// after SQLite's quick_check of its structure. Throws StorageError.
DatabaseInfo inspect_database(const std::string& path);

// Replaces the content of `target` (created if missing) with `backup`'s,
// through the backup API, holding `target` exclusively: refused when another
// process has it open (a running followupd). Throws StorageError.
void restore_database(const std::string& backup, const std::string& target);

// What a database records for the contacts key `raw_key` (32 bytes).
std::string key_check_value(const std::string& raw_key);

}  // namespace fu::storage
