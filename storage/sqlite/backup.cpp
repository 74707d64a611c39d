#include "storage/sqlite/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "storage/sql/contact_cipher.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {
namespace {

struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Handle = std::unique_ptr<sqlite3, Closer>;

Handle open_handle(const std::string& path, int flags) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    Handle db(raw);
    if (rc != SQLITE_OK)
        throw StorageError("cannot open " + path + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    sqlite3_busy_timeout(raw, 5000);
    return db;
}

void exec(sqlite3* db, const char* sql, const std::string& what) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string message = err ? err : sqlite3_errmsg(db);
        sqlite3_free(err);
        throw StorageError(what + ": " + message);
    }
}

// The first column of the first row as text; nullopt without a row or table.
std::optional<std::string> query(sqlite3* db, const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) return std::nullopt;
    std::optional<std::string> out;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        const auto* text = sqlite3_column_text(stmt, 0);
        out = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(stmt);
    return out;
}

void copy(sqlite3* from, sqlite3* to, const std::string& what) {
    sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) throw StorageError(what + ": " + sqlite3_errmsg(to));
    int rc;
    // Steps of 1,024 pages, so that a busy source's writers are not held
    // up (in WAL mode they are not anyway); a locked one is waited for.
    while ((rc = sqlite3_backup_step(b, 1024)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        if (rc != SQLITE_OK) sqlite3_sleep(50);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) throw StorageError(what + ": " + sqlite3_errstr(rc));
}

void fsync_path(const std::filesystem::path& p, int flags) {
    const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw StorageError("cannot open " + p.string() + ": " + std::strerror(errno));
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw StorageError("cannot flush " + p.string() + " to disk: " + std::strerror(errno));
}

DatabaseInfo info_of(sqlite3* db, const std::string& path) {
    DatabaseInfo info;
    const auto version = query(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
    if (!version) throw StorageError(path + " is not a followupd database (it has no schema_version table)");
    info.schema_version = std::stoi(*version);
    info.key_check = query(db, "SELECT check_value FROM contacts_key WHERE id = 1").value_or("");
    std::error_code ec;
    info.bytes = static_cast<std::int64_t>(std::filesystem::file_size(path, ec));
    return info;
}

}  // namespace

DatabaseInfo backup_database(const std::string& source, const std::string& dest) {
    namespace fs = std::filesystem;
    if (!fs::exists(source)) throw StorageError("no database at " + source);
    if (fs::exists(dest)) throw StorageError(dest + " exists already: a backup never overwrites a file");
    const std::string partial = dest + ".partial";
    fs::remove(partial);
    {
        Handle from = open_handle(source, SQLITE_OPEN_READONLY);
        Handle to = open_handle(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        try {
            copy(from.get(), to.get(), "backing up " + source);
            // A self-contained file: no write-ahead log beside it.
            exec(to.get(), "PRAGMA journal_mode = DELETE", "backing up " + source);
        } catch (...) {
            to.reset();
            fs::remove(partial);
            throw;
        }
    }
    fsync_path(partial, O_RDONLY);
    fs::rename(partial, dest);
    const auto dir = fs::absolute(dest).parent_path();
    fsync_path(dir, O_RDONLY | O_DIRECTORY);
    Handle check = open_handle(dest, SQLITE_OPEN_READONLY);
    return info_of(check.get(), dest);
}

DatabaseInfo inspect_database(const std::string& path) {
    if (!std::filesystem::exists(path)) throw StorageError("no database at " + path);
    Handle db = open_handle(path, SQLITE_OPEN_READONLY);
    const auto ok = query(db.get(), "PRAGMA quick_check");
    if (!ok) throw StorageError(path + " is not a SQLite database: " + sqlite3_errmsg(db.get()));
    if (*ok != "ok") throw StorageError(path + " is damaged (SQLite's quick_check: " + *ok + ")");
    return info_of(db.get(), path);
}

void restore_database(const std::string& backup, const std::string& target) {
    Handle from = open_handle(backup, SQLITE_OPEN_READONLY);
    Handle to = open_handle(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    // Exclusive locking: once the lock is taken, no other connection can
    // read or write until this one closes; when another process has the
    // database open (a running followupd), taking it fails at once.
    sqlite3_busy_timeout(to.get(), 0);
    exec(to.get(), "PRAGMA locking_mode = EXCLUSIVE", "restoring into " + target);
    try {
        exec(to.get(), "BEGIN EXCLUSIVE; COMMIT", "restoring into " + target);
    } catch (const StorageError&) {
        throw StorageError(target + " is in use by another process (is followupd running? stop it first)");
    }
    copy(from.get(), to.get(), "restoring " + backup + " into " + target);
    exec(to.get(), "PRAGMA journal_mode = WAL", "restoring into " + target);
    exec(to.get(), "PRAGMA wal_checkpoint(TRUNCATE)", "restoring into " + target);
}

std::string key_check_value(const std::string& raw_key) { return ContactCipher(raw_key).check_value(); }

}  // namespace fu::storage
