#pragma once
// fu::Repo over one connection of a SQL engine (SQLite or PostgreSQL),
// written once against the statements of statement.hpp. Only the engine's
// Store::transact hands one out, so every call runs inside that use case's
// transaction.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>

#include "core/store.hpp"

namespace fu::storage {

class SqlStatement;
class SqlStatements;
class ContactCipher;

class SqlRepo final : public Repo {
public:
    // cipher: seals customers' contacts on write and opens them on read; null: kept as written.
    SqlRepo(SqlStatements& statements, const ContactCipher* cipher = nullptr)
        : statements_(statements), cipher_(cipher) {}

    TeamId add_team(const Team&) override;
    std::optional<Team> team(TeamId) override;
    std::vector<Team> teams() override;
    UserId add_user(const User&) override;
    void update_user(const User&) override;
    std::optional<User> user(UserId) override;
    std::optional<User> user_by_handle(std::string_view handle) override;
    std::vector<User> users() override;
    std::vector<User> team_members(TeamId) override;

    CustomerId add_customer(const Customer&) override;
    void update_customer(const Customer&) override;
    std::optional<Customer> customer(CustomerId) override;
    std::vector<Customer> find_customers(std::string_view text, std::size_t limit) override;
    std::vector<Customer> customers_owned_by(UserId) override;
    std::size_t customer_count() override;

    TaskId add_task(const Task&) override;
    void update_task(const Task&) override;
    std::optional<Task> task(TaskId) override;
    std::vector<Task> open_tasks_for(UserId assignee, TimePoint before) override;
    std::vector<Task> open_tasks_for_team(TeamId, TimePoint before) override;
    std::vector<Task> open_tasks_for_customer(CustomerId) override;
    std::vector<Task> tasks_for_customer(CustomerId, std::size_t limit) override;
    std::optional<TimePoint> next_reminder_at() override;
    std::vector<Task> reminders_due(TimePoint now, std::size_t limit, AssigneePart part) override;
    std::vector<RepStats> team_stats(TeamId, TimePoint day_start, TimePoint day_end, TimePoint week_start,
                                     TimePoint now) override;

    InteractionId add_interaction(const Interaction&) override;
    std::vector<Interaction> interactions_for_customer(CustomerId, std::size_t limit) override;
    TransferId add_transfer(const Transfer&) override;
    std::vector<Transfer> transfers_for_customer(CustomerId) override;
    AuditId append_audit(const AuditEntry&) override;
    std::vector<AuditEntry> audit_tail(std::size_t limit) override;

    MessageId enqueue(const OutboxMessage&) override;
    std::vector<OutboxMessage> messages_after(UserId, MessageId after, std::size_t limit) override;
    std::vector<OutboxMessage> recent_messages(UserId, std::size_t limit) override;
    std::optional<MessageId> last_message_id(UserId) override;
    std::optional<OutboxMessage> message(MessageId) override;
    std::vector<OutboxMessage> messages(const std::vector<MessageId>& ids) override;
    std::uint64_t writes() const override { return writes_; }
    std::uint64_t schedule_writes() const override { return schedule_writes_; }

    void link_identity(const Identity&) override;
    std::optional<Identity> identity(std::string_view platform, std::string_view external_id) override;
    std::vector<Identity> identities_of(UserId) override;
    void unlink_identity(std::string_view platform, std::string_view external_id) override;

    bool first_sighting(std::string_view platform, std::string_view event_id, TimePoint at) override;

    DeliveryId add_delivery(const Delivery&) override;
    void update_delivery(const Delivery&) override;
    std::optional<Delivery> delivery(DeliveryId) override;
    std::optional<TimePoint> next_delivery_at(std::string_view platform) override;
    PendingDeliveries pending_deliveries(std::string_view platform) override;
    std::vector<Delivery> deliveries_due(std::string_view platform, TimePoint now, std::size_t limit) override;
    std::vector<Delivery> deliveries_pending_since(TimePoint before, std::size_t limit) override;
    std::optional<Delivery> delivery_by_platform_message(std::string_view platform,
                                                         std::string_view platform_message_id) override;
    bool defer_delivery(DeliveryId, TimePoint now, TimePoint until) override;

    std::vector<Customer> pool_customers(std::optional<TeamId> team, std::size_t limit) override;
    int claims_since(UserId rep, TimePoint since) override;
    std::optional<TimePoint> last_release(CustomerId customer, UserId rep) override;
    std::vector<AuditEntry> audit_for(std::string_view subject, std::size_t limit) override;
    void set_schedule(const Schedule&) override;
    std::optional<Schedule> schedule(UserId, std::string_view kind) override;
    std::optional<TimePoint> next_schedule_at() override;
    std::vector<Schedule> schedules_due(TimePoint now, std::size_t limit) override;
    std::vector<Task> team_tasks_due_between(TeamId, TimePoint from, TimePoint to) override;
    std::vector<Interaction> team_interactions_between(TeamId, TimePoint from, TimePoint to) override;
    std::vector<Transfer> team_transfers_between(TeamId, TimePoint from, TimePoint to) override;

    std::optional<Customer> customer_by_external_id(std::string_view external_id) override;
    std::string keyed_fingerprint(std::string_view text) override;
    TokenId add_api_token(const ApiToken&) override;
    void update_api_token(const ApiToken&) override;
    std::optional<ApiToken> api_token(TokenId) override;
    std::optional<ApiToken> api_token_by_hash(std::string_view hash) override;
    std::vector<ApiToken> api_tokens() override;

    void add_sign_in_secret(const SignInSecret&) override;
    std::optional<UserId> use_sign_in_secret(std::string_view hash, TimePoint now) override;
    void retire_sign_in_secrets(UserId, std::string_view kind, TimePoint now) override;
    void add_web_session(const WebSession&) override;
    std::optional<WebSession> web_session(std::string_view hash, TimePoint now) override;
    void end_web_session(std::string_view hash) override;
    void purge_sign_ins(TimePoint before) override;

    std::size_t prune_seen_events(TimePoint before, std::size_t limit) override;
    std::size_t prune_outbox(TimePoint before, std::size_t limit) override;
    std::size_t prune_audit(TimePoint before, std::size_t limit) override;
    std::size_t prune_sign_ins(TimePoint before, std::size_t limit) override;

    bool hold_lease(std::string_view name, std::string_view holder, TimePoint now, TimePoint until) override;
    void release_lease(std::string_view name, std::string_view holder) override;
    ChatTurn take_chat_turn(std::string_view platform, std::string_view chat, PreciseTime now,
                            std::chrono::milliseconds interval, std::chrono::milliseconds slack) override;
    std::size_t heartbeat(std::string_view id, TimePoint now, TimePoint dead_before) override;
    void instance_stopped(std::string_view id) override;
    void set_calendar_feed(const CalendarFeed&) override;
    std::optional<CalendarFeed> calendar_feed_of(UserId) override;
    std::optional<UserId> calendar_feed_user(std::string_view hash) override;
    bool end_calendar_feed(UserId) override;
    std::vector<AuditEntry> audit_search(const AuditQuery&) override;

    // @reports
    std::vector<RepStats> report_rep_stats(std::optional<TeamId> team, TimePoint day_start, TimePoint day_end,
                                           TimePoint week_start, TimePoint now) override;
    std::vector<ReportDue> report_due(std::optional<TeamId> team, TimePoint from, TimePoint to, TimePoint now) override;
    std::vector<ReportSnoozedLate> report_snoozed_late(std::optional<TeamId> team, TimePoint from, TimePoint to,
                                                       TimePoint now) override;
    std::vector<ReportResults> report_results(std::optional<TeamId> team, TimePoint from, TimePoint to) override;
    std::vector<std::pair<UserId, int>> report_interactions_per_rep(std::optional<TeamId> team, TimePoint from,
                                                                    TimePoint to) override;
    std::vector<ReportConversion> report_conversion(std::optional<TeamId> team, TimePoint from, TimePoint to) override;
    ReportOpenNow report_open_now(std::optional<TeamId> team, TimePoint now) override;
    ReportPool report_pool(std::optional<TeamId> team, TimePoint from, TimePoint to) override;
    std::vector<ReportChanges> report_changes(std::optional<TeamId> team, TimePoint from, TimePoint to) override;
    // Snoozes made since `since` per actor, for team_stats and report_rep_stats.
    std::vector<std::pair<UserId, int>> snoozes_since(std::optional<TeamId> team, TimePoint since, TimePoint now);
    // The SQL of the queries above, for query-plan checks.
    static std::vector<std::string_view> report_queries();
    // @end-reports
    // @data
    std::vector<Interaction> list_interactions(std::optional<TeamId> team, std::optional<InteractionId> after,
                                               std::size_t limit) override;
    // @end-data
    // @api
    std::vector<Customer> list_customers(const CustomerQuery&) override;
    std::vector<Task> list_tasks(const TaskQuery&) override;
    // @end-api

    void save_pages(UserId, const std::vector<ListPage>&) override;
    std::optional<ListPage> take_page(UserId) override;
    int lines_left(UserId) override;

private:
    SqlStatement& statement(std::string_view sql);
    // The id an INSERT … RETURNING id made.
    static std::int64_t inserted_id(SqlStatement& s);
    // Throws StorageError when an UPDATE matched no row.
    static void expect_one_change(std::int64_t changed, const char* what, std::int64_t id);
    // Fills in each message's buttons (in `ord` order).
    void load_buttons(std::vector<OutboxMessage>& messages);

    // A customer row, its contacts opened; and a customer with its contacts
    // sealed, to be written.
    Customer customer_at(const SqlStatement&) const;
    Customer sealed(const Customer&) const;
    // An outbox row, its text opened.
    OutboxMessage message_at(const SqlStatement&) const;

    SqlStatements& statements_;
    const ContactCipher* cipher_;
    std::uint64_t writes_ = 0;           // statements that insert, update or delete, as they are run
    std::uint64_t schedule_writes_ = 0;  // those that insert into or update tasks or schedules
};

namespace detail {

template <class IdT>
std::optional<std::int64_t> id_or_null(const std::optional<IdT>& id) {
    if (id) return id->value;
    return std::nullopt;
}

inline std::optional<std::int64_t> time_or_null(const std::optional<TimePoint>& t) {
    if (t) return to_unix(*t);
    return std::nullopt;
}

inline std::int64_t sql_limit(std::size_t limit) {
    constexpr auto max = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
    return static_cast<std::int64_t>(std::min(limit, max));
}

}  // namespace detail

}  // namespace fu::storage
