#pragma once
// The SQLite implementation of fu::Store: one connection, used from one thread
// (the storage executor), one IMMEDIATE transaction per use case.
#include <functional>
#include <memory>
#include <string>

#include "core/store.hpp"

namespace fu::storage {

class Database;
class StatementCache;
class SqliteRepo;

class SqliteStore final : public Store {
public:
    // Opens or creates `path` (":memory:" for a private in-memory database),
    // creating its parent directory if missing, and brings the schema up to
    // date. Throws StorageError.
    static std::unique_ptr<SqliteStore> open(const std::string& path);
    ~SqliteStore() override;

    // Commits if `fn` returns; rolls back and rethrows if it throws.
    // A nested call throws std::logic_error.
    void transact(const std::function<void(Repo&)>& fn) override;
    int schema_version() override;

private:
    explicit SqliteStore(std::unique_ptr<Database> db);

    // Declaration order is destruction order in reverse: statements are
    // finalized before the connection closes.
    std::unique_ptr<Database> db_;
    std::unique_ptr<StatementCache> statements_;
    std::unique_ptr<SqliteRepo> repo_;
    bool in_transaction_ = false;
};

}  // namespace fu::storage
