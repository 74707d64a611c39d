#pragma once
// The REST API's use cases, typed: what a CRM may read and change through an
// API token, under the same SOP rules as chat (the cadence's next step, the
// overdue ladder, transfers, the audit log). Each call is one transaction on
// the storage executor. No HTTP or JSON here: bot/server/rest_api*.cpp maps
// requests and responses.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

#include "core/bot.hpp"
#include "core/clock.hpp"
#include "core/model.hpp"
#include "core/reports.hpp"
#include "core/store.hpp"

namespace fu::api {

// A request the API refuses; the server maps `kind` to an HTTP status.
struct Error : std::runtime_error {
    enum class Kind { not_found, forbidden, invalid_field, conflict };
    Error(Kind k, std::string message, std::string field = {})
        : std::runtime_error(std::move(message)), kind(k), field(std::move(field)) {}
    Kind kind;
    std::string field;  // invalid_field: the request field at fault
};

// Who is calling: a token, acting as its creating admin. A team token acts as
// a manager of its team, an everything token as an admin.
struct Caller {
    ApiToken token;
    User actor;
    bool everything() const { return !token.team; }
    // "API token #3 crm": added to the detail of the audit entries it makes.
    std::string label() const;
};

struct AuthResult {
    enum class Status { ok, unknown, revoked } status = Status::unknown;
    std::optional<Caller> caller;
    std::optional<TimePoint> revoked_at;
};

// Names for the user ids in a result: id -> handle.
using Handles = std::map<UserId, std::string>;

struct CustomerView {
    Customer customer;
    std::string owner;       // handle; empty: public pool
    std::string team;        // team name; empty: none
    std::vector<Task> open;  // open or snoozed follow-ups, earliest due first
};

struct CustomerList {
    std::vector<CustomerView> items;
    std::optional<CustomerId> next_after;  // set when there may be more
};

struct CustomerFilter {
    std::optional<std::string> owner;  // handle
    std::optional<Stage> stage;
    std::string external_id;
    std::optional<CustomerId> after;
    std::size_t limit = 50;
};

// Fields of a customer to set; unset: unchanged (create: the default).
struct CustomerFields {
    std::optional<std::string> name, company, phone, email, im, source, external_id;
    // Handle; an empty string: the public pool (no owner).
    std::optional<std::string> owner;
    std::optional<Tier> tier;
    std::optional<Stage> stage;
    std::optional<std::int64_t> value;
    std::optional<std::vector<std::string>> tags;
};

struct History {
    CustomerView customer;
    std::vector<Interaction> interactions;  // newest first
    std::vector<Transfer> transfers;        // oldest first
    Handles handles;
};

struct TaskView {
    Task task;
    std::string assignee;  // handle
    std::string customer_name;
};

struct TaskList {
    std::vector<TaskView> items;
    std::optional<TaskId> next_after;
};

struct TaskFilter {
    std::vector<TaskStatus> statuses;     // empty: any ("open" means open and snoozed)
    std::optional<std::string> assignee;  // handle
    std::optional<CustomerId> customer;
    std::optional<TaskId> after;
    std::size_t limit = 50;
};

struct NewFollowup {
    CustomerId customer;
    TimePoint due{};
    Method method = Method::call;
    std::string topic;
    std::optional<std::string> assignee;  // handle; default: the customer's owner
};

struct FollowupChange {
    std::optional<TimePoint> due;      // reschedule
    bool done = false;                 // complete with an outcome
    std::vector<std::string> results;  // result codes
    std::string note;
    std::optional<int> satisfaction;    // 1..5
    std::optional<TimePoint> next_due;  // done: the next follow-up; none: the cadence picks it
};

struct FollowupResult {
    TaskView task;
    std::optional<TaskView> next;  // done: the next follow-up, if one is open
};

struct AuditFilter {
    std::optional<std::string> actor;  // handle
    std::optional<AuditId> before;
    std::size_t limit = 50;
};

struct AuditList {
    std::vector<AuditEntry> items;
    Handles handles;
};

// Users notified by a change (their outbox has new messages).
struct Effects {
    std::vector<UserId> notified;
    bool changed = false;  // the schedule may have moved: re-arm the scheduler
};

class Service {
public:
    Service(Store& store, const Clock& clock, BotOptions options);

    // hash: lower-case hex SHA-256 of the presented secret. Marks the token
    // used (at most once a minute).
    AuthResult authenticate(std::string_view hash);

    CustomerList customers(const Caller&, const CustomerFilter&);
    CustomerView customer(const Caller&, CustomerId);
    CustomerView create_customer(const Caller&, const CustomerFields&, Effects&);
    CustomerView update_customer(const Caller&, CustomerId, const CustomerFields&, Effects&);
    // Everything tokens only: erases the personal data (name, phone, email,
    // IM, external id), cancels the open follow-ups, returns the customer to
    // no owner, stage lost. Interactions, transfers and audit stay, for the figures.
    CustomerView erase_customer(const Caller&, CustomerId, Effects&);
    History history(const Caller&, CustomerId);

    TaskList followups(const Caller&, const TaskFilter&);
    TaskView followup(const Caller&, TaskId);
    TaskView create_followup(const Caller&, const NewFollowup&, Effects&);
    FollowupResult update_followup(const Caller&, TaskId, const FollowupChange&, Effects&);

    reports::TeamStatus team_status(const Caller&, const date::time_zone* zone);
    reports::Report report(const Caller&, reports::PeriodKind, const date::time_zone* zone);

    AuditList audit(const Caller&, const AuditFilter&);

    // Everything tokens only; otherwise throws Error(forbidden).
    static void require_everything(const Caller&);

    Store& store() { return store_; }
    const Clock& clock() const { return clock_; }
    const BotOptions& options() const { return options_; }
    // As Bot::set_options: on the thread the service runs on.
    void set_options(BotOptions options) { options_ = std::move(options); }

private:
    template <class F>
    auto in_transaction(F&& f);

    Store& store_;
    const Clock& clock_;
    BotOptions options_;
};

// Whether a customer is in a token's scope: everything, or the team's
// customers (its public pool included) and those its members own.
bool in_scope(Repo&, const Caller&, const Customer&);

}  // namespace fu::api
