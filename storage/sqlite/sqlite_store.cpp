#include "storage/sqlite/sqlite_store.hpp"

#include "storage/sqlite/backup.hpp"

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "storage/sql/contact_cipher.hpp"
#include "storage/sql/contacts.hpp"
#include "storage/sql/sql_repo.hpp"
#include "storage/sqlite/checkpointer.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/sqlite/migrations.hpp"

#include <sqlite3.h>

namespace fu::storage {
namespace {

bool is_file_path(const std::string& path) {
    return !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0;
}

}  // namespace

std::string contacts_key_for(const std::string& path, const std::string& configured_hex, const std::string& key_file,
                             std::string* created_file) {
    if (!configured_hex.empty()) {
        auto key = parse_hex_key(configured_hex);
        if (!key) throw StorageError("storage.contacts_key is not 64 hex digits");
        return *key;
    }
    std::string file = key_file;
    if (file.empty()) {
        if (!is_file_path(path)) return {};
        file = path + ".key";
    }
    auto parent = std::filesystem::path(file).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    bool created = false;
    std::string key = load_or_create_key_file(file, &created);
    if (created && created_file) *created_file = file;
    return key;
}

std::unique_ptr<SqliteStore> SqliteStore::open(const std::string& path, std::string contacts_key,
                                               Durability durability) {
    if (is_file_path(path)) {
        auto parent = std::filesystem::path(path).parent_path();
        std::error_code ec;
        if (!parent.empty()) std::filesystem::create_directories(parent, ec);
        if (ec) throw StorageError("cannot create directory " + parent.string() + ": " + ec.message());
    }
    auto db = std::make_unique<Database>(path, durability);
    // A database an older followupd wrote is backed up before its schema
    // changes: an upgrade that goes wrong can be undone with `restore`.
    if (is_file_path(path)) {
        const int from = current_schema_version(*db);
        if (from > 0 && from < latest_schema_version()) {
            std::string dest = path + ".v" + std::to_string(from) + ".bak";
            for (int n = 2; std::filesystem::exists(dest); ++n)
                dest = path + ".v" + std::to_string(from) + "." + std::to_string(n) + ".bak";
            backup_database(path, dest);
        }
    }
    migrate(*db);
    std::unique_ptr<ContactCipher> cipher;
    if (!contacts_key.empty()) cipher = std::make_unique<ContactCipher>(std::move(contacts_key));
    bool sealed_now = false;
    {
        StatementCache statements(*db);
        Transaction tx(*db);
        sealed_now = protect_contacts(statements, cipher.get());
        tx.commit();
    }
    // The clear values must not stay in the file until a checkpoint copies the
    // new pages over the old (secure_delete, set on every connection, clears
    // them from the pages' free space).
    if (sealed_now) db->query_text("PRAGMA wal_checkpoint(TRUNCATE)");
    std::unique_ptr<Checkpointer> checkpointer;
    if (path != ":memory:") checkpointer = std::make_unique<Checkpointer>(path, durability);
    return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db), std::move(cipher), std::move(checkpointer)));
}

SqliteStore::SqliteStore(std::unique_ptr<Database> db, std::unique_ptr<ContactCipher> cipher,
                         std::unique_ptr<Checkpointer> checkpointer)
    : db_(std::move(db)),
      checkpointer_(std::move(checkpointer)),
      cipher_(std::move(cipher)),
      statements_(std::make_unique<StatementCache>(*db_)),
      repo_(std::make_unique<SqlRepo>(*statements_, cipher_.get())) {
    // Replaces SQLite's automatic checkpoint, which runs inside the commit
    // that took the log past 1,000 pages.
    sqlite3_wal_hook(
        db_->handle(),
        [](void* self, sqlite3*, const char*, int pages) -> int {
            if (auto* c = static_cast<Checkpointer*>(self)) c->grew(pages);
            return SQLITE_OK;
        },
        checkpointer_.get());
}

SqliteStore::~SqliteStore() {
    repo_.reset();
    statements_.reset();
    try {
        // Lets SQLite refresh planner statistics it found stale; cheap, and
        // recommended before closing a long-lived connection.
        db_->exec("PRAGMA optimize");
    } catch (...) {
    }
}

void SqliteStore::transact(const std::function<void(Repo&)>& fn) {
    if (in_transaction_) throw std::logic_error("SqliteStore::transact called inside a transaction");
    in_transaction_ = true;
    struct Leave {
        bool& flag;
        ~Leave() { flag = false; }
    } leave{in_transaction_};
    if (!in_group_) {
        Transaction tx(*db_);
        fn(*repo_);
        tx.commit();
        return;
    }
    if (!group_lost_.empty()) throw StorageError("not stored: " + group_lost_);
    Savepoint step(*db_);
    try {
        fn(*repo_);
    } catch (const std::exception& e) {
        if (!db_->in_transaction()) group_lost_ = e.what();
        throw;  // ~Savepoint undoes this step alone
    } catch (...) {
        if (!db_->in_transaction()) group_lost_ = "the transaction was rolled back";
        throw;
    }
    step.release();
}

void SqliteStore::group(const std::function<void()>& body) {
    if (in_transaction_ || in_group_) throw std::logic_error("SqliteStore::group called inside a transaction");
    in_group_ = true;
    group_lost_.clear();
    struct Leave {
        bool& flag;
        ~Leave() { flag = false; }
    } leave{in_group_};
    Transaction tx(*db_);
    body();
    if (!group_lost_.empty()) throw StorageError(group_lost_);
    tx.commit();
}

void SqliteStore::set_cache_mib(int mib) { db_->exec("PRAGMA cache_size = -" + std::to_string(mib * 1024)); }

int SqliteStore::schema_version() { return current_schema_version(*db_); }

}  // namespace fu::storage
