#pragma once
// `followupd migrate-db`: a SQLite database copied whole into an empty
// PostgreSQL one, so a deployment can move to the engine that several
// instances share. Rows are copied as stored: ids stay, and customers'
// contacts stay sealed under the key that sealed them (its check row comes
// along), so the copy opens with the same key and needs none to be made.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "storage/sql/statement.hpp"

namespace fu::storage {

// The target already holds data; nothing was written to it.
class TargetNotEmpty : public StorageError {
public:
    using StorageError::StorageError;
};

struct TableCopied {
    std::string table;
    std::int64_t rows = 0;
    double seconds = 0;
};

struct MigrateDbReport {
    std::vector<TableCopied> tables;  // in the order copied
    std::int64_t rows = 0;
    double finish_seconds = 0;  // indexes and foreign keys made again, statistics, COMMIT
    double seconds = 0;         // everything, from opening both databases to COMMIT
};

// The data tables, parents before children (the order they are copied in).
const std::vector<std::string>& migrated_tables();

// Copies the SQLite database at `sqlite_path` (which must exist; its schema is
// brought up to date first, as when the server opens it) into the PostgreSQL
// database at `pg_url` (its schema is created if missing), in one PostgreSQL
// transaction: every table of migrated_tables() with its ids (by COPY, with
// the secondary indexes and foreign keys made again after the rows are in,
// which checks every key), each identity sequence moved past the highest id
// SQLite ever gave, and each table's row count checked against the source
// before COMMIT. The source is read in one
// read transaction, so a server still writing to it cannot tear the copy (but
// what it writes afterwards is not copied: stop it first). `on_table` hears
// of each table once it is copied. Throws TargetNotEmpty when any data table
// of the target has a row, and StorageError for anything else (errors about
// the URL or the server name `url_key`); no row is written then (an empty
// target keeps the schema it was given).
MigrateDbReport migrate_sqlite_to_postgres(const std::string& sqlite_path, const std::string& pg_url,
                                           const std::function<void(const TableCopied&)>& on_table = {},
                                           std::string_view url_key = "--to");

}  // namespace fu::storage
