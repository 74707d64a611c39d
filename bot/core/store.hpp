#pragma once
// Storage ports, in domain terms. The SQLite implementation lives in storage/;
// all calls happen on the storage executor, one use case per transaction.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
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
    virtual std::optional<OutboxMessage> message(MessageId) = 0;

    // Identities on chat platforms
    virtual void link_identity(const Identity&) = 0;  // insert or replace by (platform, external_id)
    virtual std::optional<Identity> identity(std::string_view platform, std::string_view external_id) = 0;
    virtual std::vector<Identity> identities_of(UserId) = 0;
    virtual void unlink_identity(std::string_view platform, std::string_view external_id) = 0;  // no-op if absent

    // Platform event ids, for deduplicating retried webhooks. Returns true the
    // first time (platform, event_id) is seen, false for a repeat.
    virtual bool first_sighting(std::string_view platform, std::string_view event_id, TimePoint at) = 0;

    // Deliveries: outbox messages on their way to a platform.
    virtual DeliveryId add_delivery(const Delivery&) = 0;
    virtual void update_delivery(const Delivery&) = 0;
    virtual std::optional<Delivery> delivery(DeliveryId) = 0;
    // Earliest next_attempt among pending deliveries of a platform (indexed MIN).
    virtual std::optional<TimePoint> next_delivery_at(std::string_view platform) = 0;
    // Pending deliveries of a platform with next_attempt <= now, earliest first.
    virtual std::vector<Delivery> deliveries_due(std::string_view platform, TimePoint now, std::size_t limit) = 0;
    // Pending deliveries (any platform) created before `before`, oldest first.
    virtual std::vector<Delivery> deliveries_pending_since(TimePoint before, std::size_t limit) = 0;
    virtual std::optional<Delivery> delivery_by_platform_message(std::string_view platform,
                                                                 std::string_view platform_message_id) = 0;

    // The public pool: unowned customers, in id order. team: that team's pool
    // (and customers of no team); nullopt: every pool.
    virtual std::vector<Customer> pool_customers(std::optional<TeamId> team, std::size_t limit) = 0;
    // Customers `rep` claimed from the pool at or after `since`.
    virtual int claims_since(UserId rep, TimePoint since) = 0;
    // When `rep` last released `customer` to the pool, if ever.
    virtual std::optional<TimePoint> last_release(CustomerId customer, UserId rep) = 0;
    // Audit entries about one subject ("task:42"), oldest first.
    virtual std::vector<AuditEntry> audit_for(std::string_view subject, std::size_t limit) = 0;

    // Recurring per-user jobs (digests, weekly reports).
    virtual void set_schedule(const Schedule&) = 0;  // insert or replace by (user, kind)
    virtual std::optional<Schedule> schedule(UserId, std::string_view kind) = 0;
    virtual std::optional<TimePoint> next_schedule_at() = 0;  // indexed MIN
    virtual std::vector<Schedule> schedules_due(TimePoint now, std::size_t limit) = 0;  // earliest first

    // A team's history in [from, to), for the weekly report.
    virtual std::vector<Task> team_tasks_due_between(TeamId, TimePoint from, TimePoint to) = 0;
    virtual std::vector<Interaction> team_interactions_between(TeamId, TimePoint from, TimePoint to) = 0;
    virtual std::vector<Transfer> team_transfers_between(TeamId, TimePoint from, TimePoint to) = 0;

    // Data in and out: a customer by its id in another system (exact match).
    virtual std::optional<Customer> customer_by_external_id(std::string_view external_id) = 0;
    // A stable id derived from `text` (a customer's name, phone and company)
    // that reveals nothing of it without the database's contacts key; "" when
    // the store keeps no key (the caller derives an unkeyed one).
    virtual std::string keyed_fingerprint(std::string_view text) = 0;

    // REST API tokens.
    virtual TokenId add_api_token(const ApiToken&) = 0;
    virtual void update_api_token(const ApiToken&) = 0;
    virtual std::optional<ApiToken> api_token(TokenId) = 0;
    virtual std::optional<ApiToken> api_token_by_hash(std::string_view hash) = 0;
    virtual std::vector<ApiToken> api_tokens() = 0;  // id order, revoked ones too

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

    // @reports: aggregates for core/reports.cpp
    // Each is of a scope: one team (its members' tasks, interactions and
    // snoozes; its customers' transfers), or nullopt: every team. Figures are
    // counted in SQL; rows come back only where the working-time calendar must
    // decide.

    // team_stats for a scope, one row per assignee with an open task, a task
    // done since min(day_start, week_start), or a snooze since week_start
    // (members with none of these are not listed), in user id order.
    virtual std::vector<RepStats> report_rep_stats(std::optional<TeamId> team, TimePoint day_start,
                                                   TimePoint day_end, TimePoint week_start, TimePoint now) = 0;

    // Follow-ups due in [from, to) and at or before `now`, per assignee.
    struct ReportDue {
        UserId rep;
        int due = 0;        // not cancelled
        int on_time = 0;    // done at or before due
        int late = 0;       // never snoozed: done after due, or still open and due before now
        int pending = 0;    // still open and due exactly now
        int ambiguous = 0;  // snoozed, and done after due or still open past due: see report_snoozed_late
        int escalated = 0;  // ladder_step >= 3, any status (cancelled by a reclaim too)
    };
    virtual std::vector<ReportDue> report_due(std::optional<TeamId> team, TimePoint from, TimePoint to,
                                              TimePoint now) = 0;
    // The `ambiguous` ones above: snoozed follow-ups done after due, or still
    // open past due. Whether they were late depends on the assignee's
    // escalation point.
    struct ReportSnoozedLate {
        TaskId id;
        UserId rep;
        TimePoint due{};
        std::optional<TimePoint> done_at;  // none: still open
    };
    virtual std::vector<ReportSnoozedLate> report_snoozed_late(std::optional<TeamId> team, TimePoint from,
                                                               TimePoint to, TimePoint now) = 0;

    // Interactions recorded in [from, to) by the scope's members, grouped by
    // their combination of result codes.
    struct ReportResults {
        std::vector<std::string> results;  // one combination (possibly empty)
        int interactions = 0;
        std::int64_t satisfaction_sum = 0;  // over those with a score
        int satisfaction_count = 0;
    };
    virtual std::vector<ReportResults> report_results(std::optional<TeamId> team, TimePoint from, TimePoint to) = 0;
    // Interactions recorded in [from, to) per member, in user id order.
    virtual std::vector<std::pair<UserId, int>> report_interactions_per_rep(std::optional<TeamId> team,
                                                                            TimePoint from, TimePoint to) = 0;
    // Conversion of [from, to): one row per customer followed up in it by the
    // scope's members and per (tier, stage) recorded on those interactions, in
    // customer id order, so a customer's rows are adjacent. The customer was
    // won in the period when any of its rows is.
    struct ReportConversion {
        CustomerId customer;
        std::string tier;   // tier code; '' for interactions recorded before tiers were
        std::string stage;  // stage code; '' for interactions recorded before stages were
        bool won = false;   // a "won" result among this row's interactions
    };
    virtual std::vector<ReportConversion> report_conversion(std::optional<TeamId> team, TimePoint from,
                                                            TimePoint to) = 0;

    // Open follow-ups now: past due, and complaints.
    struct ReportOpenNow {
        int overdue = 0;     // due before now
        int complaints = 0;  // origin complaint
    };
    virtual ReportOpenNow report_open_now(std::optional<TeamId> team, TimePoint now) = 0;

    // Public pool movements in [from, to) of the scope's customers.
    struct ReportPool {
        int reclaimed = 0;  // to the pool, by nobody (the overdue ladder)
        int released = 0;   // to the pool, by someone
        int claimed = 0;    // from the pool, by the new owner
        int assigned = 0;   // from the pool, by someone else (not on creation)
    };
    virtual ReportPool report_pool(std::optional<TeamId> team, TimePoint from, TimePoint to) = 0;
    // @end-reports
    // @data: CSV import and export
    // Interactions in id order after `after`, of the customers in a team's
    // scope (its customers and those its members own); nullopt: every team.
    virtual std::vector<Interaction> list_interactions(std::optional<TeamId> team, std::optional<InteractionId> after,
                                                       std::size_t limit) = 0;
    // @end-data
    // @api: the REST API
    // Customers in id order after `after`, filtered: in a team's scope (its
    // customers, and those owned by its members), by owner, stage, external
    // id. Empty filters match everything.
    struct CustomerQuery {
        std::optional<TeamId> team;
        std::optional<UserId> owner;
        std::optional<Stage> stage;
        std::string external_id;
        std::optional<CustomerId> after;
        std::size_t limit = 50;
    };
    virtual std::vector<Customer> list_customers(const CustomerQuery&) = 0;
    // Tasks in id order after `after`, filtered: of customers in a team's scope,
    // in one of `statuses` (empty: any), of one assignee, of one customer.
    struct TaskQuery {
        std::optional<TeamId> team;
        std::vector<TaskStatus> statuses;
        std::optional<UserId> assignee;
        std::optional<CustomerId> customer;
        std::optional<TaskId> after;
        std::size_t limit = 50;
    };
    virtual std::vector<Task> list_tasks(const TaskQuery&) = 0;
    // @end-api
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
