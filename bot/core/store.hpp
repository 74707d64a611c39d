#pragma once
// Storage ports, in domain terms, one header per concern under core/ports/.
// Repo gathers them for a use case; the SQLite implementation lives in
// storage/. All calls happen on the storage executor, one use case per
// transaction.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/ports/calendar_feeds.hpp"
#include "core/ports/customers.hpp"
#include "core/ports/history.hpp"
#include "core/ports/instances.hpp"
#include "core/ports/outbox.hpp"
#include "core/ports/pages.hpp"
#include "core/ports/people.hpp"
#include "core/ports/reports.hpp"
#include "core/ports/retention.hpp"
#include "core/ports/sign_in.hpp"
#include "core/ports/tasks.hpp"
#include "core/ports/tokens.hpp"

namespace fu {

// Everything one transaction may touch; an engine implements every port (tests/unit/contract/ holds
// their promises). A write the engine refuses (a duplicate key, a missing row) throws std::runtime_error.
// writes(): how many writing statements (insert, update, delete) the engine
// has run for this repository, so that a use case that fails can tell whether
// it changed anything since a point it noted (then the transaction must be
// undone) or not (then it may go on, and record why it failed).
// schedule_writes(): how many of them wrote follow-ups or schedules (tables
// tasks, schedules), the only rows that say when something is due: work that
// left it unchanged has not moved the scheduler's next wake-up.
class Repo : public PeopleStore,
             public CustomerStore,
             public TaskStore,
             public HistoryStore,
             public OutboxStore,
             public ReportStore,
             public TokenStore,
             public PageStore,
             public SignInStore,
             public RetentionStore,
             public CalendarFeedStore,
             public InstanceStore {
public:
    ~Repo() override = default;
    virtual std::uint64_t writes() const = 0;
    virtual std::uint64_t schedule_writes() const = 0;
};

// What other instances on the same database announced (Store::listen): a
// connection of its own, to wait on from an event loop.
class Announcements {
public:
    virtual ~Announcements() = default;
    // A descriptor that becomes readable when announcements may have come.
    virtual int socket() const = 0;
    // The users other instances announced since the last call (possibly none).
    // Never blocks. Throws std::runtime_error once the connection is lost.
    virtual std::vector<UserId> take() = 0;
};

// Marks an error an engine throws when its transaction lost to another one
// (a deadlock broken, a serialization failure): nothing of it was stored, and
// the same work may well succeed if run again. Caught as `const StoreConflict&`
// (the thrown type also derives from std::exception).
class StoreConflict {
public:
    virtual ~StoreConflict() = default;
};

class Store {
public:
    virtual ~Store() = default;
    // Runs `fn` in one transaction: committed if it returns, rolled back if it
    // throws (the exception propagates). Not reentrant.
    virtual void transact(const std::function<void(Repo&)>& fn) = 0;
    // Group commit: runs `body`, in which every transact() is one step of a
    // single transaction. A step whose function throws is undone alone (the
    // exception reaches its caller inside `body` as usual); the others are
    // committed together when `body` returns: one flush to disk for the
    // group. Throws if the group cannot be committed; then nothing of it was
    // stored. Not reentrant. (Pure: a wrapper that forgot to pass it on
    // would quietly commit every step on its own.)
    virtual void group(const std::function<void()>& body) = 0;
    virtual int schema_version() = 0;

    // Several instances on one database: tells the others that `users` have
    // new messages (called after the commit that wrote them, on the storage
    // thread), so that their live streams wake. An engine for one process
    // has no one to tell.
    virtual void announce(const std::vector<UserId>& users) { (void)users; }
    // The other instances' announcements; null when the engine has none.
    virtual std::unique_ptr<Announcements> listen() { return nullptr; }
};

}  // namespace fu
