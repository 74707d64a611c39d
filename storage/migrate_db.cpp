#include "storage/migrate_db.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>

#include "storage/postgres/copy.hpp"
#include "storage/postgres/migrations.hpp"
#include "storage/postgres/pg.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/sqlite/migrations.hpp"

namespace fu::storage {
namespace {

struct TableSpec {
    std::string name;
    std::string order_by;  // its primary key: rows go in in the order PostgreSQL will mostly read them
};

// Parents before children, so every foreign key finds its row. A table a
// later migration adds must be listed here: the copy refuses a source that
// has a table it does not know rather than leave it behind.
const std::vector<TableSpec>& specs() {
    static const std::vector<TableSpec> tables{
        {"teams", "id"},
        {"users", "id"},
        {"customers", "id"},
        {"tasks", "id"},
        {"interactions", "id"},
        {"transfers", "id"},
        {"audit", "id"},
        {"audit_retention", "id"},
        {"outbox", "id"},
        {"outbox_buttons", "message_id, ord"},
        {"identities", "platform, external_id"},
        {"seen_events", "platform, event_id"},
        {"deliveries", "id"},
        {"schedules", "user_id, kind"},
        {"api_tokens", "id"},
        {"contacts_key", "id"},
        {"list_pages", "user_id, seq"},
        {"sign_in_secrets", "hash, created_at"},
        {"web_sessions", "hash"},
        {"calendar_feeds", "user_id"},
    };
    return tables;
}

// Tables of the engines' own bookkeeping, never copied: each engine numbers
// its own schema versions, and SQLite's sequences become PostgreSQL's. The
// instances' lease, heartbeats and chats' turns belong to the processes
// running now.
bool bookkeeping(const std::string& table) {
    return table == "schema_version" || table == "leases" || table == "instances" || table == "chat_turns" ||
           table.rfind("sqlite_", 0) == 0;
}

double since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<std::string> sqlite_columns(Database& db, const std::string& table) {
    std::vector<std::string> columns;
    Statement s(db, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
    auto scope = s.use();
    s.bind(1, table);
    while (s.step()) columns.push_back(s.column_text(0));
    return columns;
}

std::vector<std::string> postgres_columns(pg::Connection& c, const std::string& table) {
    std::vector<std::string> columns;
    pg::Statement s(c,
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position");
    auto scope = s.use();
    s.bind(1, table);
    while (s.step()) columns.push_back(s.column_text(0));
    return columns;
}

// The highest id SQLite ever handed out per AUTOINCREMENT table: ids the
// server must never reuse (outbox cursors, the audit log) even when the rows
// that had them were deleted since.
std::map<std::string, std::int64_t> sqlite_sequences(Database& db) {
    std::map<std::string, std::int64_t> seqs;
    if (db.query_text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'") == "0")
        return seqs;
    Statement s(db, "SELECT name, seq FROM sqlite_sequence");
    auto scope = s.use();
    while (s.step()) seqs[s.column_text(0)] = s.column_int64(1);
    return seqs;
}

std::int64_t pg_int(pg::Connection& c, const std::string& sql) {
    pg::Statement s(c, sql);
    auto scope = s.use();
    return s.step() ? s.column_int64(0) : 0;
}

void check_source_tables(Database& db) {
    std::set<std::string> known;
    for (const auto& t : specs()) known.insert(t.name);
    Statement s(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    auto scope = s.use();
    while (s.step()) {
        std::string name = s.column_text(0);
        if (!bookkeeping(name) && !known.contains(name))
            throw StorageError("the SQLite database has a table migrate-db does not know how to copy: " + name);
    }
}

// The target's data tables that hold a row, inside the copy's transaction.
std::vector<std::string> tables_with_rows(pg::Connection& c) {
    std::string sql;
    for (const auto& t : specs())
        sql += (sql.empty() ? "" : " UNION ALL ") + std::string("SELECT '") + t.name +
               "' WHERE EXISTS (SELECT 1 FROM " + t.name + ")";
    std::vector<std::string> found;
    pg::Statement s(c, sql);
    auto scope = s.use();
    while (s.step()) found.push_back(s.column_text(0));
    return found;
}

std::int64_t copy_table(Database& src, pg::Connection& dst, const TableSpec& t) {
    const auto columns = sqlite_columns(src, t.name);
    auto expected = postgres_columns(dst, t.name);
    auto given = columns;
    std::sort(expected.begin(), expected.end());
    std::sort(given.begin(), given.end());
    if (expected != given)
        throw StorageError("table " + t.name +
                           " has other columns in SQLite than in PostgreSQL: the two schemas are not the same version");
    std::string select = "SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) select += (i ? ", " : "") + columns[i];
    select += " FROM " + t.name + " ORDER BY " + t.order_by;

    Statement rows(src, select);
    auto scope = rows.use();
    pg::CopyIn copy(dst, t.name, columns);
    const int n = static_cast<int>(columns.size());
    std::int64_t read = 0;
    while (rows.step()) {
        for (int i = 0; i < n; ++i) {
            if (rows.column_is_null(i))
                copy.null();
            else
                copy.value(rows.column_text(i));
        }
        copy.end_row();
        ++read;
    }
    const std::int64_t stored = copy.finish();
    const std::int64_t counted = pg_int(dst, "SELECT count(*) FROM " + t.name);
    if (stored != read || counted != read)
        throw StorageError("table " + t.name + ": " + std::to_string(read) + " rows read from SQLite but " +
                           std::to_string(counted) + " in PostgreSQL");
    return read;
}

// Each identity column's next value: past the highest id in the table and
// past the highest SQLite ever gave (AUTOINCREMENT tables).
void move_sequences(pg::Connection& dst, const std::map<std::string, std::int64_t>& sqlite_seqs) {
    for (const auto& t : specs()) {
        if (t.order_by != "id") continue;  // no single id column
        std::string sequence;
        {
            pg::Statement s(dst, "SELECT pg_get_serial_sequence(?, 'id')");
            auto scope = s.use();
            s.bind(1, t.name);
            if (s.step() && !s.column_is_null(0)) sequence = s.column_text(0);
        }
        if (sequence.empty()) continue;
        std::int64_t last = pg_int(dst, "SELECT COALESCE(MAX(id), 0) FROM " + t.name);
        if (auto it = sqlite_seqs.find(t.name); it != sqlite_seqs.end()) last = std::max(last, it->second);
        if (last < 1) continue;  // nothing given yet: the sequence starts at 1 as it is
        pg::Statement set(dst, "SELECT setval(?, ?)");
        set.bind(1, sequence).bind(2, last).run();
    }
}

}  // namespace

const std::vector<std::string>& migrated_tables() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& t : specs()) v.push_back(t.name);
        return v;
    }();
    return names;
}

MigrateDbReport migrate_sqlite_to_postgres(const std::string& sqlite_path, const std::string& pg_url,
                                           const std::function<void(const TableCopied&)>& on_table,
                                           std::string_view url_key) {
    const auto start = std::chrono::steady_clock::now();
    std::error_code ec;
    // Opening a missing file would create an empty database and copy nothing.
    if (!std::filesystem::is_regular_file(sqlite_path, ec)) throw StorageError("no SQLite database at " + sqlite_path);
    Database src(sqlite_path);
    migrate(src);
    check_source_tables(src);

    pg::Connection dst(pg_url, url_key);
    pg::migrate(dst);

    MigrateDbReport report;
    dst.exec("BEGIN");
    try {
        // No instance writes while the copy runs, and two copies into one
        // database go one after the other (the second then finds rows).
        std::string tables;
        for (const auto& t : specs()) tables += (tables.empty() ? "" : ", ") + t.name;
        dst.exec("LOCK TABLE " + tables + " IN EXCLUSIVE MODE");
        if (auto full = tables_with_rows(dst); !full.empty()) {
            std::string list;
            for (const auto& t : full) list += (list.empty() ? "" : ", ") + t;
            throw TargetNotEmpty("the PostgreSQL database is not empty (rows in " + list +
                                 "): migrate-db copies only into an empty database; nothing was written");
        }
        pg::IndexesSetAside aside(dst, migrated_tables());
        // One read transaction: every table from the same moment of the source.
        src.exec("BEGIN");
        const auto seqs = sqlite_sequences(src);
        for (const auto& t : specs()) {
            const auto table_start = std::chrono::steady_clock::now();
            TableCopied copied{t.name, copy_table(src, dst, t), 0};
            copied.seconds = since(table_start);
            report.rows += copied.rows;
            report.tables.push_back(copied);
            if (on_table) on_table(copied);
        }
        src.exec("COMMIT");
        const auto finish_start = std::chrono::steady_clock::now();
        aside.restore();
        move_sequences(dst, seqs);
        // The planner's statistics now, not at autovacuum's next round: the
        // first instance on the copy plans its queries on them.
        dst.exec("ANALYZE " + tables);
        dst.commit();
        report.finish_seconds = since(finish_start);
    } catch (...) {
        dst.rollback_quietly();
        try {
            if (src.in_transaction()) src.exec("ROLLBACK");
        } catch (...) {
        }
        throw;
    }
    report.seconds = since(start);
    return report;
}

}  // namespace fu::storage
