#pragma once
// A Store that fails on demand: wraps any Store, forwards every call to it,
// and throws std::runtime_error("injected write failure …") on the Nth write
// of a use case instead of making it. Tests use it to show that a write
// failing anywhere in a use case leaves nothing half-done. Every method of
// every port is listed below as a read or a write; a method added to a port
// and not here leaves FailingRepo abstract, so the list cannot fall behind.
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/store.hpp"

namespace fu::test {

// X(return type, name, (parameters), (arguments))
#define FU_REPO_WRITES(X)                                                                                 \
    X(TeamId, add_team, (const Team& a), (a))                                                             \
    X(UserId, add_user, (const User& a), (a))                                                             \
    X(void, update_user, (const User& a), (a))                                                            \
    X(void, link_identity, (const Identity& a), (a))                                                      \
    X(void, unlink_identity, (std::string_view a, std::string_view b), (a, b))                            \
    X(CustomerId, add_customer, (const Customer& a), (a))                                                 \
    X(void, update_customer, (const Customer& a), (a))                                                    \
    X(TaskId, add_task, (const Task& a), (a))                                                             \
    X(void, update_task, (const Task& a), (a))                                                            \
    X(void, set_schedule, (const Schedule& a), (a))                                                       \
    X(InteractionId, add_interaction, (const Interaction& a), (a))                                        \
    X(TransferId, add_transfer, (const Transfer& a), (a))                                                 \
    X(AuditId, append_audit, (const AuditEntry& a), (a))                                                  \
    X(MessageId, enqueue, (const OutboxMessage& a), (a))                                                  \
    X(bool, first_sighting, (std::string_view a, std::string_view b, TimePoint c), (a, b, c))             \
    X(DeliveryId, add_delivery, (const Delivery& a), (a))                                                 \
    X(void, update_delivery, (const Delivery& a), (a))                                                    \
    X(TokenId, add_api_token, (const ApiToken& a), (a))                                                   \
    X(void, update_api_token, (const ApiToken& a), (a))                                                   \
    X(bool, defer_delivery, (DeliveryId a, TimePoint b, TimePoint c), (a, b, c))                          \
    X(void, save_pages, (UserId a, const std::vector<ListPage>& b), (a, b))                               \
    X(std::optional<ListPage>, take_page, (UserId a), (a))                                                \
    X(void, add_sign_in_secret, (const SignInSecret& a), (a))                                             \
    X(std::optional<UserId>, use_sign_in_secret, (std::string_view a, TimePoint b), (a, b))               \
    X(void, retire_sign_in_secrets, (UserId a, std::string_view b, TimePoint c), (a, b, c))               \
    X(void, add_web_session, (const WebSession& a), (a))                                                  \
    X(void, end_web_session, (std::string_view a), (a))                                                   \
    X(void, purge_sign_ins, (TimePoint a), (a))                                                           \
    X(std::size_t, prune_seen_events, (TimePoint a, std::size_t b), (a, b))                               \
    X(std::size_t, prune_outbox, (TimePoint a, std::size_t b), (a, b))                                    \
    X(std::size_t, prune_audit, (TimePoint a, std::size_t b), (a, b))                                     \
    X(std::size_t, prune_sign_ins, (TimePoint a, std::size_t b), (a, b))                                  \
    X(void, set_calendar_feed, (const CalendarFeed& a), (a))                                              \
    X(bool, end_calendar_feed, (UserId a), (a))                                                           \
    X(bool, hold_lease, (std::string_view a, std::string_view b, TimePoint c, TimePoint d), (a, b, c, d)) \
    X(void, release_lease, (std::string_view a, std::string_view b), (a, b))                              \
    X(ChatTurn, take_chat_turn,                                                                           \
      (std::string_view a, std::string_view b, PreciseTime c, std::chrono::milliseconds d,                \
       std::chrono::milliseconds e),                                                                      \
      (a, b, c, d, e))                                                                                    \
    X(std::size_t, heartbeat, (std::string_view a, TimePoint b, TimePoint c), (a, b, c))                  \
    X(void, instance_stopped, (std::string_view a), (a))

#define FU_REPO_READS(X)                                                                                          \
    X(std::optional<Team>, team, (TeamId a), (a))                                                                 \
    X(std::vector<Team>, teams, (), ())                                                                           \
    X(std::optional<User>, user, (UserId a), (a))                                                                 \
    X(std::optional<User>, user_by_handle, (std::string_view a), (a))                                             \
    X(std::vector<User>, users, (), ())                                                                           \
    X(std::vector<User>, team_members, (TeamId a), (a))                                                           \
    X(std::optional<Identity>, identity, (std::string_view a, std::string_view b), (a, b))                        \
    X(std::vector<Identity>, identities_of, (UserId a), (a))                                                      \
    X(std::optional<Customer>, customer, (CustomerId a), (a))                                                     \
    X(std::vector<Customer>, find_customers, (std::string_view a, std::size_t b), (a, b))                         \
    X(std::vector<Customer>, customers_owned_by, (UserId a), (a))                                                 \
    X(std::size_t, customer_count, (), ())                                                                        \
    X(std::vector<Customer>, pool_customers, (std::optional<TeamId> a, std::size_t b), (a, b))                    \
    X(int, claims_since, (UserId a, TimePoint b), (a, b))                                                         \
    X(std::optional<TimePoint>, last_release, (CustomerId a, UserId b), (a, b))                                   \
    X(std::optional<Customer>, customer_by_external_id, (std::string_view a), (a))                                \
    X(std::string, keyed_fingerprint, (std::string_view a), (a))                                                  \
    X(std::vector<Customer>, list_customers, (const CustomerQuery& a), (a))                                       \
    X(std::optional<Task>, task, (TaskId a), (a))                                                                 \
    X(std::vector<Task>, open_tasks_for, (UserId a, TimePoint b), (a, b))                                         \
    X(std::vector<Task>, open_tasks_for_team, (TeamId a, TimePoint b), (a, b))                                    \
    X(std::vector<Task>, open_tasks_for_customer, (CustomerId a), (a))                                            \
    X(std::vector<Task>, tasks_for_customer, (CustomerId a, std::size_t b), (a, b))                               \
    X(std::optional<TimePoint>, next_reminder_at, (), ())                                                         \
    X(std::vector<Task>, reminders_due, (TimePoint a, std::size_t b, AssigneePart c), (a, b, c))                  \
    X(std::optional<Schedule>, schedule, (UserId a, std::string_view b), (a, b))                                  \
    X(std::optional<TimePoint>, next_schedule_at, (), ())                                                         \
    X(std::vector<Schedule>, schedules_due, (TimePoint a, std::size_t b), (a, b))                                 \
    X(std::vector<Task>, list_tasks, (const TaskQuery& a), (a))                                                   \
    X(std::vector<Interaction>, interactions_for_customer, (CustomerId a, std::size_t b), (a, b))                 \
    X(std::vector<Transfer>, transfers_for_customer, (CustomerId a), (a))                                         \
    X(std::vector<AuditEntry>, audit_tail, (std::size_t a), (a))                                                  \
    X(std::vector<AuditEntry>, audit_for, (std::string_view a, std::size_t b), (a, b))                            \
    X(std::vector<AuditEntry>, audit_search, (const AuditQuery& a), (a))                                          \
    X(std::vector<Interaction>, list_interactions,                                                                \
      (std::optional<TeamId> a, std::optional<InteractionId> b, std::size_t c), (a, b, c))                        \
    X(std::vector<OutboxMessage>, messages_after, (UserId a, MessageId b, std::size_t c), (a, b, c))              \
    X(std::vector<OutboxMessage>, recent_messages, (UserId a, std::size_t b), (a, b))                             \
    X(std::optional<MessageId>, last_message_id, (UserId a), (a))                                                 \
    X(std::optional<OutboxMessage>, message, (MessageId a), (a))                                                  \
    X(std::vector<OutboxMessage>, messages, (const std::vector<MessageId>& a), (a))                               \
    X(std::optional<Delivery>, delivery, (DeliveryId a), (a))                                                     \
    X(std::optional<TimePoint>, next_delivery_at, (std::string_view a), (a))                                      \
    X(OutboxStore::PendingDeliveries, pending_deliveries, (std::string_view a), (a))                              \
    X(std::vector<Delivery>, deliveries_due, (std::string_view a, TimePoint b, std::size_t c), (a, b, c))         \
    X(std::vector<Delivery>, deliveries_pending_since, (TimePoint a, std::size_t b), (a, b))                      \
    X(std::optional<Delivery>, delivery_by_platform_message, (std::string_view a, std::string_view b), (a, b))    \
    X(std::vector<RepStats>, team_stats, (TeamId a, TimePoint b, TimePoint c, TimePoint d, TimePoint e),          \
      (a, b, c, d, e))                                                                                            \
    X(std::vector<Task>, team_tasks_due_between, (TeamId a, TimePoint b, TimePoint c), (a, b, c))                 \
    X(std::vector<Interaction>, team_interactions_between, (TeamId a, TimePoint b, TimePoint c), (a, b, c))       \
    X(std::vector<Transfer>, team_transfers_between, (TeamId a, TimePoint b, TimePoint c), (a, b, c))             \
    X(std::vector<RepStats>, report_rep_stats,                                                                    \
      (std::optional<TeamId> a, TimePoint b, TimePoint c, TimePoint d, TimePoint e), (a, b, c, d, e))             \
    X(std::vector<ReportDue>, report_due, (std::optional<TeamId> a, TimePoint b, TimePoint c, TimePoint d),       \
      (a, b, c, d))                                                                                               \
    X(std::vector<ReportSnoozedLate>, report_snoozed_late,                                                        \
      (std::optional<TeamId> a, TimePoint b, TimePoint c, TimePoint d), (a, b, c, d))                             \
    X(std::vector<ReportResults>, report_results, (std::optional<TeamId> a, TimePoint b, TimePoint c), (a, b, c)) \
    X(RepCounts, report_interactions_per_rep, (std::optional<TeamId> a, TimePoint b, TimePoint c), (a, b, c))     \
    X(std::vector<ReportConversion>, report_conversion, (std::optional<TeamId> a, TimePoint b, TimePoint c),      \
      (a, b, c))                                                                                                  \
    X(ReportOpenNow, report_open_now, (std::optional<TeamId> a, TimePoint b), (a, b))                             \
    X(ReportPool, report_pool, (std::optional<TeamId> a, TimePoint b, TimePoint c), (a, b, c))                    \
    X(std::vector<ReportChanges>, report_changes, (std::optional<TeamId> a, TimePoint b, TimePoint c), (a, b, c)) \
    X(std::optional<ApiToken>, api_token, (TokenId a), (a))                                                       \
    X(std::optional<ApiToken>, api_token_by_hash, (std::string_view a), (a))                                      \
    X(std::vector<ApiToken>, api_tokens, (), ())                                                                  \
    X(int, lines_left, (UserId a), (a))                                                                           \
    X(std::optional<WebSession>, web_session, (std::string_view a, TimePoint b), (a, b))                          \
    X(std::optional<CalendarFeed>, calendar_feed_of, (UserId a), (a))                                             \
    X(std::optional<UserId>, calendar_feed_user, (std::string_view a), (a))

class FailingStore final : public Store {
public:
    explicit FailingStore(Store& inner) : inner_(inner) {}

    // Counts writes from zero again; the `n`th one (1-based) throws. 0: none
    // fails, only counted.
    void fail_at(int n) {
        fail_at_ = n;
        writes_ = 0;
    }
    // What the failing write throws, instead of "injected write failure …":
    // an engine's own message, say SQLite's "database or disk is full".
    void fail_with(std::string message) { message_ = std::move(message); }
    // Writes made (or refused) since the last fail_at.
    int writes() const { return writes_; }

    void transact(const std::function<void(Repo&)>& fn) override {
        inner_.transact([&](Repo& real) {
            FailingRepo repo(real, *this);
            fn(repo);
        });
    }
    void group(const std::function<void()>& body) override { inner_.group(body); }
    int schema_version() override { return inner_.schema_version(); }

private:
    using RepCounts = std::vector<std::pair<UserId, int>>;

    void count_write(const char* method) {
        if (++writes_ == fail_at_ && !message_.empty()) throw std::runtime_error(message_);
        if (writes_ == fail_at_)
            throw std::runtime_error("injected write failure (write " + std::to_string(writes_) + ": " + method + ")");
    }

    class FailingRepo final : public Repo {
    public:
        FailingRepo(Repo& real, FailingStore& store) : real_(real), store_(store) {}

#define FU_FORWARD_WRITE(type, name, params, args) \
    type name params override {                    \
        store_.count_write(#name);                 \
        return real_.name args;                    \
    }
#define FU_FORWARD_READ(type, name, params, args) \
    type name params override { return real_.name args; }
        FU_REPO_WRITES(FU_FORWARD_WRITE)
        FU_REPO_READS(FU_FORWARD_READ)
        std::uint64_t writes() const override { return real_.writes(); }
        std::uint64_t schedule_writes() const override { return real_.schedule_writes(); }
#undef FU_FORWARD_WRITE
#undef FU_FORWARD_READ

    private:
        Repo& real_;
        FailingStore& store_;
    };

    Store& inner_;
    int fail_at_ = 0;
    int writes_ = 0;
    std::string message_;
};

}  // namespace fu::test
