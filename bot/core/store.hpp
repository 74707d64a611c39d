#pragma once
// Storage ports, in domain terms. The SQLite implementation lives in storage/;
// all calls happen on the storage executor, one use case per transaction.
#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace fu {

class Repo {
public:
    virtual ~Repo() = default;

    // Teams and users
    virtual TeamId add_team(const Team&) = 0;
    virtual std::optional<Team> team(TeamId) = 0;
    virtual std::vector<Team> teams() = 0;
    virtual UserId add_user(const User&) = 0;
    virtual void update_user(const User&) = 0;
    virtual std::optional<User> user(UserId) = 0;
    virtual std::optional<User> user_by_handle(std::string_view handle) = 0;  // case-insensitive
    virtual std::vector<User> users() = 0;
    virtual std::vector<User> team_members(TeamId) = 0;

    // Customers
    virtual CustomerId add_customer(const Customer&) = 0;
    virtual void update_customer(const Customer&) = 0;
    virtual std::optional<Customer> customer(CustomerId) = 0;
    // Case-insensitive substring match on name or company, best matches first
    // (exact name, then prefix, then substring); at most `limit`.
    virtual std::vector<Customer> find_customers(std::string_view text, std::size_t limit) = 0;
    virtual std::vector<Customer> customers_owned_by(UserId) = 0;
    virtual std::size_t customer_count() = 0;

    // Tasks
    virtual TaskId add_task(const Task&) = 0;
    virtual void update_task(const Task&) = 0;
    virtual std::optional<Task> task(TaskId) = 0;
    // Open or snoozed tasks of one assignee due before `before`, earliest first.
    virtual std::vector<Task> open_tasks_for(UserId assignee, TimePoint before) = 0;
    // Open or snoozed tasks of every member of a team due before `before`, earliest first.
    virtual std::vector<Task> open_tasks_for_team(TeamId, TimePoint before) = 0;
    virtual std::vector<Task> open_tasks_for_customer(CustomerId) = 0;
    // Recent tasks of a customer in any status, newest due first.
    virtual std::vector<Task> tasks_for_customer(CustomerId, std::size_t limit) = 0;
    // The earliest pending reminder (an indexed MIN, never a scan).
    virtual std::optional<TimePoint> next_reminder_at() = 0;
    // Tasks whose reminder is due at or before `now`, earliest first.
    virtual std::vector<Task> reminders_due(TimePoint now, std::size_t limit) = 0;
    virtual std::vector<RepStats> team_stats(TeamId, TimePoint day_start, TimePoint day_end, TimePoint week_start,
                                             TimePoint now) = 0;

    // Interactions, transfers, audit
    virtual InteractionId add_interaction(const Interaction&) = 0;
    virtual std::vector<Interaction> interactions_for_customer(CustomerId, std::size_t limit) = 0;  // newest first
    virtual TransferId add_transfer(const Transfer&) = 0;
    virtual std::vector<Transfer> transfers_for_customer(CustomerId) = 0;  // oldest first
    virtual AuditId append_audit(const AuditEntry&) = 0;
    virtual std::vector<AuditEntry> audit_tail(std::size_t limit) = 0;  // newest first

    // Outbox: messages for users, in id order.
    virtual MessageId enqueue(const OutboxMessage&) = 0;
    virtual std::vector<OutboxMessage> messages_after(UserId, MessageId after, std::size_t limit) = 0;
    // The newest `limit` messages of a user, returned oldest first (an index range, not a scan).
    virtual std::vector<OutboxMessage> recent_messages(UserId, std::size_t limit) = 0;
    virtual std::optional<MessageId> last_message_id(UserId) = 0;
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
