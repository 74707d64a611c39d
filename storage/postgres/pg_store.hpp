#pragma once
// The PostgreSQL implementation of fu::Store: one connection, used from one
// thread (a lane of the storage executor; another() makes one per lane), with the same transactions as the SQLite
// engine: one per use case, or one for a group of them (group commit), each
// in its own savepoint. The repository is the shared one (storage/sql/).
#include <functional>
#include <memory>
#include <string>

#include "core/store.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {

class ContactCipher;
class SqlRepo;

namespace pg {
class Connection;
class StatementCache;
}  // namespace pg

class PgStore final : public Store {
public:
    // Connects to `url`, brings the schema up to date and checks the contacts
    // key as the SQLite engine does (contacts.hpp). durability normal:
    // synchronous_commit off. Throws StorageError; errors about the URL or
    // the server name `key`.
    static std::unique_ptr<PgStore> open(const std::string& url, std::string contacts_key = {},
                                         Durability durability = Durability::full,
                                         std::string_view key = "storage.url");
    ~PgStore() override;
    // The same database on a connection of its own, for another storage lane:
    // same durability, contacts key and instance id. Throws StorageError.
    std::unique_ptr<PgStore> another() const;

    // A lost connection is made again at the start of the next transaction
    // (and that transaction fails if it cannot be).
    void transact(const std::function<void(Repo&)>& fn) override;
    void group(const std::function<void()>& body) override;
    int schema_version() override;
    // NOTIFY on the channel "followupd_messages": this instance's id, then the
    // users' ids. Its own announcements are left out of what listen() takes.
    void announce(const std::vector<UserId>& users) override;
    // LISTEN on a connection of its own. Throws StorageError if it cannot connect.
    std::unique_ptr<Announcements> listen() override;

private:
    PgStore(std::unique_ptr<pg::Connection> c, std::string contacts_key, Durability durability, std::string url);
    void ensure_connected();
    void undo_step(const std::string& why);

    std::unique_ptr<pg::Connection> c_;
    std::string contacts_key_;
    std::unique_ptr<ContactCipher> cipher_;
    std::unique_ptr<pg::StatementCache> statements_;
    std::unique_ptr<SqlRepo> repo_;
    Durability durability_;
    std::string url_;
    std::string instance_;  // a random id of this process's store, in its announcements
    bool in_transaction_ = false;
    bool in_group_ = false;
    std::string group_lost_;  // why the group's transaction is gone; "" while it holds
    std::string deferred_;    // in a group: statements to send with the next one ("BEGIN; ", a RELEASE)
};

}  // namespace fu::storage
