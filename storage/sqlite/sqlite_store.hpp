#pragma once
// The SQLite implementation of fu::Store: one connection, used from one thread
// (the storage executor): one IMMEDIATE transaction per use case, or one for
// a group of them (group commit), each in its own savepoint.
#include <functional>
#include <memory>
#include <string>

#include "core/store.hpp"
#include "storage/sqlite/db.hpp"

namespace fu::storage {

class Database;
class StatementCache;
class SqlRepo;
class ContactCipher;
class Checkpointer;

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
    static std::unique_ptr<SqliteStore> open(const std::string& path, std::string contacts_key = {},
                                             Durability durability = Durability::full);
    ~SqliteStore() override;

    // Commits if `fn` returns; rolls back and rethrows if it throws. Inside
    // group(), a savepoint instead. A nested call throws std::logic_error.
    void transact(const std::function<void(Repo&)>& fn) override;
    // One BEGIN IMMEDIATE … COMMIT around `body`. When a step's error made
    // SQLite abandon the whole transaction, the steps after it are refused
    // and group() throws that error: nothing of the group is stored.
    void group(const std::function<void()>& body) override;
    int schema_version() override;
    // SQLite's page cache for this connection, in MiB (grown only as used).
    void set_cache_mib(int mib);

private:
    SqliteStore(std::unique_ptr<Database> db, std::unique_ptr<ContactCipher> cipher,
                std::unique_ptr<Checkpointer> checkpointer);

    // Declaration order is destruction order in reverse: statements are
    // finalized before the connection closes.
    std::unique_ptr<Database> db_;
    // The write-ahead log is checkpointed on a thread and connection of its
    // own (checkpointer.hpp), never inside a commit; none for ":memory:".
    std::unique_ptr<Checkpointer> checkpointer_;
    std::unique_ptr<ContactCipher> cipher_;
    std::unique_ptr<StatementCache> statements_;
    std::unique_ptr<SqlRepo> repo_;
    bool in_transaction_ = false;
    bool in_group_ = false;
    std::string group_lost_;  // why the group's transaction is gone; "" while it holds
};

}  // namespace fu::storage
