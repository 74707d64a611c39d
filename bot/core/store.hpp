#pragma once
// Storage ports, in domain terms, one header per concern under core/ports/.
// Repo gathers them for a use case; the SQLite implementation lives in
// storage/. All calls happen on the storage executor, one use case per
// transaction.
#include <functional>

#include "core/ports/customers.hpp"
#include "core/ports/history.hpp"
#include "core/ports/outbox.hpp"
#include "core/ports/people.hpp"
#include "core/ports/reports.hpp"
#include "core/ports/tasks.hpp"
#include "core/ports/tokens.hpp"

namespace fu {

// Everything one transaction may touch; an engine implements every port (tests/unit/contract/ holds
// their promises). A write the engine refuses (a duplicate key, a missing row) throws std::runtime_error.
class Repo : public PeopleStore,
             public CustomerStore,
             public TaskStore,
             public HistoryStore,
             public OutboxStore,
             public ReportStore,
             public TokenStore {
public:
    ~Repo() override = default;
};

class Store {
public:
    virtual ~Store() = default;
    // Runs `fn` in one transaction: committed if it returns, rolled back if it
    // throws (the exception propagates). Not reentrant.
    virtual void transact(const std::function<void(Repo&)>& fn) = 0;
    virtual int schema_version() = 0;
};

}  // namespace fu
