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
class ContactCipher;

// The contacts key for the database at `path`: `configured_hex` (64 hex
// digits) if given, else the key in `key_file`, else in "<path>.key" beside a
// database file, created on first use (0600). "" for ":memory:" unless
// configured. *created_file names a key file this call created. Throws
// StorageError.
std::string contacts_key_for(const std::string& path, const std::string& configured_hex, const std::string& key_file,
                             std::string* created_file = nullptr);

class SqliteStore final : public Store {
public:
    // Opens or creates `path` (":memory:" for a private in-memory database),
    // creating its parent directory if missing, and brings the schema up to
    // date. With a contacts key (32 bytes), customers' phone, email and IM are
    // sealed at rest (contact_cipher.hpp), contacts written before are sealed
    // now, and a key other than the one that sealed them is refused. Without
    // one, a database whose contacts are sealed is refused. Throws StorageError.
    static std::unique_ptr<SqliteStore> open(const std::string& path, std::string contacts_key = {});
    ~SqliteStore() override;

    // Commits if `fn` returns; rolls back and rethrows if it throws.
    // A nested call throws std::logic_error.
    void transact(const std::function<void(Repo&)>& fn) override;
    int schema_version() override;

private:
    SqliteStore(std::unique_ptr<Database> db, std::unique_ptr<ContactCipher> cipher);

    // Declaration order is destruction order in reverse: statements are
    // finalized before the connection closes.
    std::unique_ptr<Database> db_;
    std::unique_ptr<ContactCipher> cipher_;
    std::unique_ptr<StatementCache> statements_;
    std::unique_ptr<SqliteRepo> repo_;
    bool in_transaction_ = false;
};

}  // namespace fu::storage
