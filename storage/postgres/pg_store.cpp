#include "storage/postgres/pg_store.hpp"

#include <cstdint>
#include <random>
#include <stdexcept>

#include "storage/postgres/migrations.hpp"
#include "storage/postgres/pg.hpp"
#include "storage/sql/contact_cipher.hpp"
#include "storage/sql/contacts.hpp"
#include "storage/sql/sql_repo.hpp"

namespace fu::storage {
namespace {

void set_session(pg::Connection& c, Durability durability) {
    // full: COMMIT returns once the WAL is flushed (the server's default,
    // stated so that a server configured otherwise does not weaken it).
    c.exec(durability == Durability::full ? "SET synchronous_commit = on" : "SET synchronous_commit = off");
}

struct Flag {
    bool& flag;
    explicit Flag(bool& f) : flag(f) { flag = true; }
    ~Flag() { flag = false; }
    Flag(const Flag&) = delete;
    Flag& operator=(const Flag&) = delete;
};

}  // namespace

std::unique_ptr<PgStore> PgStore::open(const std::string& url, std::string contacts_key, Durability durability,
                                       std::string_view key) {
    auto c = std::make_unique<pg::Connection>(url, key);
    pg::migrate(*c);
    set_session(*c, durability);
    std::unique_ptr<ContactCipher> cipher;
    if (!contacts_key.empty()) cipher = std::make_unique<ContactCipher>(contacts_key);
    {
        pg::StatementCache statements(*c);
        c->exec("BEGIN");
        try {
            // One instance at a time seals what was written before a key came.
            c->exec("LOCK TABLE contacts_key IN EXCLUSIVE MODE");
            protect_contacts(statements, cipher.get());
            c->commit();
        } catch (...) {
            c->rollback_quietly();
            throw;
        }
    }
    return std::unique_ptr<PgStore>(new PgStore(std::move(c), std::move(contacts_key), durability, url));
}

std::unique_ptr<PgStore> PgStore::another() const {
    auto c = std::make_unique<pg::Connection>(url_, "storage.url");
    set_session(*c, durability_);
    auto store = std::unique_ptr<PgStore>(new PgStore(std::move(c), contacts_key_, durability_, url_));
    store->instance_ = instance_;
    return store;
}

PgStore::PgStore(std::unique_ptr<pg::Connection> c, std::string contacts_key, Durability durability, std::string url)
    : c_(std::move(c)),
      contacts_key_(std::move(contacts_key)),
      cipher_(contacts_key_.empty() ? nullptr : std::make_unique<ContactCipher>(contacts_key_)),
      statements_(std::make_unique<pg::StatementCache>(*c_)),
      repo_(std::make_unique<SqlRepo>(*statements_, cipher_.get())),
      durability_(durability),
      url_(std::move(url)) {
    std::random_device rd;
    instance_ = std::to_string((std::uint64_t{rd()} << 32) | rd());
}

PgStore::~PgStore() {
    repo_.reset();
    statements_.reset();
}

void PgStore::ensure_connected() {
    if (!c_->broken()) return;
    c_->reconnect();
    set_session(*c_, durability_);
}

void PgStore::transact(const std::function<void(Repo&)>& fn) {
    if (in_transaction_) throw std::logic_error("PgStore::transact called inside a transaction");
    Flag inside(in_transaction_);
    if (!in_group_) {
        ensure_connected();
        c_->exec("BEGIN");
        try {
            fn(*repo_);
            c_->commit();
        } catch (...) {
            c_->rollback_quietly();
            throw;
        }
        return;
    }
    if (!group_lost_.empty()) throw StorageError("not stored: " + group_lost_);
    // The group's BEGIN, or the last step's RELEASE, goes in the same round
    // trip as this step's SAVEPOINT.
    try {
        c_->exec(deferred_ + "SAVEPOINT fu_step");
        deferred_.clear();
    } catch (const std::exception& e) {
        group_lost_ = e.what();
        throw;
    }
    try {
        fn(*repo_);
    } catch (const std::exception& e) {
        undo_step(e.what());
        throw;
    } catch (...) {
        undo_step("the transaction was rolled back");
        throw;
    }
    // Sent with the next step's SAVEPOINT; the COMMIT releases it anyway.
    deferred_ = "RELEASE SAVEPOINT fu_step; ";
}

// Undoes the failed step alone; if that cannot be done (the connection is
// gone), the whole group is lost and its later steps are refused.
void PgStore::undo_step(const std::string& why) {
    if (c_->broken() || !c_->in_transaction()) {
        group_lost_ = why;
        return;
    }
    try {
        c_->exec("ROLLBACK TO SAVEPOINT fu_step; RELEASE SAVEPOINT fu_step");
    } catch (const std::exception& e) {
        group_lost_ = e.what();
    }
}

void PgStore::group(const std::function<void()>& body) {
    if (in_transaction_ || in_group_) throw std::logic_error("PgStore::group called inside a transaction");
    ensure_connected();
    group_lost_.clear();
    // Sent with the first step's SAVEPOINT: one round trip fewer per group.
    deferred_ = "BEGIN; ";
    try {
        Flag inside(in_group_);
        body();
        if (!group_lost_.empty()) throw StorageError(group_lost_);
        if (deferred_ != "BEGIN; ") c_->commit();  // else no step ran: nothing was begun
        deferred_.clear();
    } catch (...) {
        deferred_.clear();
        c_->rollback_quietly();
        throw;
    }
}

namespace {

constexpr std::string_view kChannel = "followupd_messages";

// LISTEN on a connection of its own; the payload is "<instance> <id>,<id>…".
class PgAnnouncements final : public Announcements {
public:
    PgAnnouncements(const std::string& url, std::string self) : c_(url), self_(std::move(self)) {
        c_.exec("LISTEN " + std::string(kChannel));
    }
    int socket() const override { return c_.socket(); }
    std::vector<UserId> take() override {
        std::vector<UserId> users;
        for (const auto& payload : c_.notifications()) {
            const auto space = payload.find(' ');
            if (space == std::string::npos || payload.compare(0, space, self_) == 0) continue;
            std::size_t at = space + 1;
            while (at < payload.size()) {
                auto end = payload.find(',', at);
                if (end == std::string::npos) end = payload.size();
                try {
                    users.push_back(UserId{std::stoll(payload.substr(at, end - at))});
                } catch (const std::exception&) {
                }
                at = end + 1;
            }
        }
        return users;
    }

private:
    pg::Connection c_;
    std::string self_;
};

}  // namespace

void PgStore::announce(const std::vector<UserId>& users) {
    if (users.empty()) return;
    ensure_connected();
    std::string payload = instance_ + " ";
    for (std::size_t i = 0; i < users.size(); ++i) payload += (i ? "," : "") + std::to_string(users[i].value);
    auto& notify = statements_->get("SELECT pg_notify(?, ?)");
    auto scope = notify.use();
    notify.bind(1, kChannel).bind(2, payload);
    notify.step();
}

std::unique_ptr<Announcements> PgStore::listen() { return std::make_unique<PgAnnouncements>(url_, instance_); }

int PgStore::schema_version() {
    ensure_connected();
    return pg::current_schema_version(*c_);
}

}  // namespace fu::storage
