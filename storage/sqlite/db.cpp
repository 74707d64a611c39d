#include "storage/sqlite/db.hpp"

#include <sqlite3.h>

#include <cctype>

namespace fu::storage {
namespace {

[[noreturn]] void throw_error(sqlite3* db, int rc, std::string_view sql) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw StorageError("sqlite: " + msg + " (in: " + first_words(sql) + ")");
}

}  // namespace

// --- Database -----------------------------------------------------------------

Database::Database(const std::string& path, Durability durability) {
    // Before SQLite's first use: no global mutex around every allocation to
    // keep memory statistics nobody reads.
    static const int unused = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)unused;
    // One thread uses a connection at a time (the storage thread, or a
    // command-line tool's only one): SQLite's per-connection mutex buys nothing.
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw StorageError("sqlite: cannot open " + path + ": " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    try {
        sqlite3_busy_timeout(db_, 5000);
        exec("PRAGMA busy_timeout = 5000");
        // journal_mode answers with a row; an in-memory database stays "memory".
        query_text("PRAGMA journal_mode = WAL");
        exec("PRAGMA foreign_keys = ON");
        exec(durability == Durability::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        // 8 MiB of page cache (grown only as used; storage.cache_mib sets the
        // server's): the pages every write touches stay in it, and the rest
        // comes from the OS's page cache (docs/BENCHMARKS.md, "Memory").
        exec("PRAGMA cache_size = -8192");
        // Deleted and overwritten row content (an erased customer's name, a
        // contact before it was sealed) is zeroed in the file. Debian builds
        // SQLite with this on; say so rather than depend on the build.
        exec("PRAGMA secure_delete = ON");
        // Temporary data in memory: above all the savepoint journal of each
        // command in a group (original page images, 40 KiB or so a command).
        // In a file, SQLite makes a new one in /var/tmp for each group past
        // 64 KiB, writes it and unlinks it: a sixth of the storage thread's
        // time at 32 connections, and page images of contacts left in
        // freed disk blocks where secure_delete does not reach.
        exec("PRAGMA temp_store = MEMORY");
    } catch (...) {
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw;
    }
}

Database::~Database() {
    if (db_) sqlite3_close_v2(db_);
}

void Database::exec(std::string_view sql) {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw StorageError("sqlite: " + msg + " (in: " + first_words(sql) + ")");
    }
}

std::string Database::query_text(std::string_view sql) {
    Statement s(*this, sql);
    auto scope = s.use();
    return s.step() ? s.column_text(0) : std::string();
}

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

std::int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

int Database::changes() const { return sqlite3_changes(db_); }

// --- Statement ----------------------------------------------------------------

Statement::Statement(Database& db, std::string_view sql) : db_(db.handle()), sql_(sql) {
    int rc =
        sqlite3_prepare_v3(db_, sql_.data(), static_cast<int>(sql_.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) throw_error(db_, rc, sql_);
    if (!stmt_) throw StorageError("sqlite: empty statement (in: " + first_words(sql_) + ")");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::fail(int rc) const { throw_error(db_, rc, sql_); }

Statement& Statement::bind(int index, std::int64_t value) {
    int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK) fail(rc);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) fail(rc);
    return *this;
}

Statement& Statement::bind_null(int index) {
    int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK) fail(rc);
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // Read the message before reset() could replace it.
    std::string msg = sqlite3_errmsg(db_);
    reset();
    throw StorageError("sqlite: " + msg + " (in: " + first_words(sql_) + ")");
}

std::int64_t Statement::run() {
    auto scope = use();
    while (step()) {
    }
    return sqlite3_changes64(db_);
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int64(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string Statement::column_text(int index) const {
    const auto* p = sqlite3_column_text(stmt_, index);
    int n = sqlite3_column_bytes(stmt_, index);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

bool Statement::column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

// --- StatementCache -----------------------------------------------------------

Statement& StatementCache::get(std::string_view sql) {
    if (auto it = statements_.find(sql); it != statements_.end()) return *it->second;
    auto stmt = std::make_unique<Statement>(db_, sql);
    Statement& ref = *stmt;
    statements_.emplace(std::string_view(ref.sql()), std::move(stmt));
    return ref;
}

// --- Savepoint ----------------------------------------------------------------

Savepoint::Savepoint(Database& db) : db_(db) { db_.exec("SAVEPOINT fu_step"); }

Savepoint::~Savepoint() {
    if (done_ || !db_.in_transaction()) return;  // SQLite may have rolled everything back already
    try {
        db_.exec("ROLLBACK TO fu_step");
        db_.exec("RELEASE fu_step");
    } catch (...) {
        // A destructor must not throw; the caller sees the transaction state.
    }
}

void Savepoint::release() {
    db_.exec("RELEASE fu_step");
    done_ = true;
}

// --- Transaction --------------------------------------------------------------

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    // Some errors (SQLITE_FULL, IOERR) already rolled SQLite back on its own.
    if (!done_ && db_.in_transaction()) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {
            // A destructor must not throw; the connection stays usable.
        }
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace fu::storage
