#include "storage/sqlite/sqlite_store.hpp"

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "storage/sqlite/db.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sqlite_repo.hpp"

namespace fu::storage {
namespace {

bool is_file_path(const std::string& path) {
    return !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0;
}

}  // namespace

std::unique_ptr<SqliteStore> SqliteStore::open(const std::string& path) {
    if (is_file_path(path)) {
        auto parent = std::filesystem::path(path).parent_path();
        std::error_code ec;
        if (!parent.empty()) std::filesystem::create_directories(parent, ec);
        if (ec) throw StorageError("cannot create directory " + parent.string() + ": " + ec.message());
    }
    auto db = std::make_unique<Database>(path);
    migrate(*db);
    return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db)));
}

SqliteStore::SqliteStore(std::unique_ptr<Database> db)
    : db_(std::move(db)),
      statements_(std::make_unique<StatementCache>(*db_)),
      repo_(std::make_unique<SqliteRepo>(*db_, *statements_)) {}

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
    Transaction tx(*db_);
    fn(*repo_);
    tx.commit();
}

int SqliteStore::schema_version() { return current_schema_version(*db_); }

}  // namespace fu::storage
