#pragma once
// Storage port: what happened to customers (interactions, transfers) and the
// audit log of who did what.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace fu {

class HistoryStore {
public:
    virtual ~HistoryStore() = default;

    // Interactions, transfers, audit
    virtual InteractionId add_interaction(const Interaction&) = 0;
    virtual std::vector<Interaction> interactions_for_customer(CustomerId, std::size_t limit) = 0;  // newest first
    virtual TransferId add_transfer(const Transfer&) = 0;
    virtual std::vector<Transfer> transfers_for_customer(CustomerId) = 0;  // oldest first
    virtual AuditId append_audit(const AuditEntry&) = 0;
    virtual std::vector<AuditEntry> audit_tail(std::size_t limit) = 0;  // newest first
    // Audit entries about one subject ("task:42"), oldest first.
    virtual std::vector<AuditEntry> audit_for(std::string_view subject, std::size_t limit) = 0;

    // The audit log, newest first, filtered: entries by one actor, about one
    // subject, with an action starting with a prefix ("customer."), older
    // than an id (paging). Empty filters match everything.
    struct AuditQuery {
        std::optional<UserId> actor;
        std::string subject;
        std::string action_prefix;
        std::optional<AuditId> before;
        std::size_t limit = 20;
    };
    virtual std::vector<AuditEntry> audit_search(const AuditQuery&) = 0;

    // @data: CSV import and export
    // Interactions in id order after `after`, of the customers in a team's
    // scope (its customers and those its members own); nullopt: every team.
    virtual std::vector<Interaction> list_interactions(std::optional<TeamId> team, std::optional<InteractionId> after,
                                                       std::size_t limit) = 0;
    // @end-data
};

}  // namespace fu
