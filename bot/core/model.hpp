#pragma once
// The domain: who, which customers, what must be done by when, what happened.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace fu {

enum class Lang { en, zh };
enum class Role { rep, manager, admin };
enum class Tier { a, b, c };  // A is VIP
enum class Stage { lead, new_customer, active, silent, churn_risk, won, lost };
enum class Method { call, email, visit, im, other };
enum class TaskStatus { open, snoozed, done, cancelled };
enum class Origin { manual, cadence, escalation, import, demo, complaint };
enum class Priority { normal, high };
enum class MessageKind { reply, reminder, catch_up, notice };
enum class DeliveryStatus { pending, sent, failed };

// Stable codes used in storage and config. Parsing returns nullopt for unknown text.
std::string_view code(Lang);
std::string_view code(Role);
std::string_view code(Tier);
std::string_view code(Stage);
std::string_view code(Method);
std::string_view code(TaskStatus);
std::string_view code(Origin);
std::string_view code(Priority);
std::string_view code(MessageKind);
std::string_view code(DeliveryStatus);
std::optional<Lang> lang_from_code(std::string_view);
std::optional<Role> role_from_code(std::string_view);
std::optional<Tier> tier_from_code(std::string_view);
std::optional<Stage> stage_from_code(std::string_view);
std::optional<Method> method_from_code(std::string_view);
std::optional<TaskStatus> task_status_from_code(std::string_view);
std::optional<Origin> origin_from_code(std::string_view);
std::optional<Priority> priority_from_code(std::string_view);
std::optional<MessageKind> message_kind_from_code(std::string_view);
std::optional<DeliveryStatus> delivery_status_from_code(std::string_view);

struct Team {
    TeamId id;
    std::string name;
};

struct User {
    UserId id;
    std::string handle;  // login name, unique, case-insensitive ("wang")
    std::string display_name;
    Role role = Role::rep;
    std::optional<TeamId> team;
    std::string time_zone = "Asia/Shanghai";  // IANA name
    Lang lang = Lang::zh;
    int work_start_minute = 9 * 60;  // local minutes after midnight
    int work_end_minute = 18 * 60;
    std::uint8_t work_days = 0b0011111;   // bit 0 = Monday … bit 6 = Sunday
    std::string notify_platform = "web";  // where reminders go: "web", "telegram", "slack", …

    // Round-the-clock hours (00:00-24:00) have no start or end of day to speak
    // of: a day given without a time then means 09:00, and end of day 18:00,
    // as for office hours.
    bool round_the_clock() const { return work_start_minute == 0 && work_end_minute >= 24 * 60; }
    int day_start_minute() const { return round_the_clock() ? 9 * 60 : work_start_minute; }
    int day_end_minute() const { return round_the_clock() ? 18 * 60 : work_end_minute; }
};

// One person's account on a chat platform. A user may have several.
struct Identity {
    std::string platform;     // "telegram", "slack", …
    std::string external_id;  // the platform's user id
    UserId user;
    std::string chat_id;  // the direct chat with the bot, once known
};

struct Customer {
    CustomerId id;
    std::string name;
    std::string company;
    std::string phone;            // personal data
    std::string email;            // personal data
    std::string im;               // personal data
    std::optional<UserId> owner;  // none: in the public pool
    Tier tier = Tier::c;
    Stage stage = Stage::lead;
    std::string source;
    std::int64_t value = 0;  // expected or annual value, CNY
    std::vector<std::string> tags;
    std::optional<TimePoint> last_contact;
    std::optional<TimePoint> next_followup;
    TimePoint created_at{};
    std::optional<TeamId> team;  // whose public pool it returns to; set from the owner's team
    // The customer's id in another system (a CRM, the team's spreadsheet):
    // unique when set; imports and the API match on it. Empty: none.
    std::string external_id;
};

struct Task {
    TaskId id;
    CustomerId customer;
    UserId assignee;
    TimePoint due{};
    Method method = Method::call;
    std::string topic;
    Priority priority = Priority::normal;
    TaskStatus status = TaskStatus::open;
    int snooze_count = 0;
    Origin origin = Origin::manual;
    std::optional<UserId> created_by;
    TimePoint created_at{};
    // When the next reminder for this task is to be delivered; none once it has
    // been delivered or the task is closed. Indexed: the scheduler asks only for
    // the minimum.
    std::optional<TimePoint> remind_at;
    std::optional<TimePoint> done_at;
    // Snooze moves the next reminder, never the due time (timeliness is
    // measured against `due`); reschedule moves `due` and restarts the ladder.
    std::optional<TimePoint> snoozed_until;
    int reschedule_count = 0;
    // Overdue ladder steps already taken (see core/ladder.hpp): 0 none,
    // 1 reminded, 2 reminded again, 3 manager told, 4 customer reclaimed.
    int ladder_step = 0;

    bool operator==(const Task&) const = default;
};

struct Interaction {
    InteractionId id;
    CustomerId customer;
    std::optional<TaskId> task;
    UserId user;
    TimePoint at{};
    Method method = Method::call;
    std::vector<std::string> results;  // result codes, e.g. {"reached","interested"}
    std::string note;
    std::string next_step;
    std::optional<int> satisfaction;  // 1..5
    // The customer's stage when this was recorded (conversion by stage). Left
    // unset, storage fills in the customer's stage at insert time.
    std::optional<Stage> stage;
    // The customer's tier when this was recorded (conversion by tier). Left
    // unset, storage fills in the customer's tier at insert time.
    std::optional<Tier> tier;
};

struct Transfer {
    TransferId id;
    CustomerId customer;
    std::optional<UserId> from;  // none: from the public pool
    std::optional<UserId> to;    // none: to the public pool
    std::optional<UserId> by;    // none: the system
    TimePoint at{};
    std::string reason;
};

// Append-only: never updated or deleted.
struct AuditEntry {
    AuditId id;
    TimePoint at{};
    std::optional<UserId> actor;  // none: the system
    std::string action;           // "task.done", "customer.assign", …
    std::string subject;          // "task:42", "customer:7"
    std::string detail;
};

// A button is a command the user could also type; pressing it sends the command.
struct Button {
    std::string label;
    std::string command;
};

// A message for one user, persisted until delivered (the outbox).
struct OutboxMessage {
    MessageId id;
    UserId to;  // UserId{0}: none, a reply to a sender who is not registered
    TimePoint created_at{};
    MessageKind kind = MessageKind::notice;
    std::string text;
    std::vector<Button> buttons;
    std::vector<TaskId> tasks;  // tasks this message is about
};

// One message on its way to one platform chat: a row until the platform
// accepted it (status sent) or it was given up (failed).
struct Delivery {
    DeliveryId id;
    MessageId message;
    std::string platform;
    std::string recipient;  // platform user id
    std::string chat_id;    // platform chat; empty: the adapter opens a direct chat with `recipient`
    DeliveryStatus status = DeliveryStatus::pending;
    int attempts = 0;
    TimePoint next_attempt{};  // pending: not before this
    TimePoint created_at{};
    std::optional<TimePoint> sent_at;
    std::string platform_message_id;  // set once sent; lets a button press update the message
    std::string last_error;
    bool late_reported = false;  // undelivered past the report threshold and reported once
    std::string replace_ref;     // non-empty: edit this platform message instead of sending a new one
};

// A delivery of `message` to a platform account, pending and due at once.
inline Delivery pending_delivery(MessageId message, std::string platform, std::string recipient, std::string chat_id,
                                 TimePoint now) {
    Delivery d;
    d.message = message;
    d.platform = std::move(platform);
    d.recipient = std::move(recipient);
    d.chat_id = std::move(chat_id);
    d.next_attempt = now;
    d.created_at = now;
    return d;
}

// A recurring per-user job (the rep's daily digest, the manager's weekly
// report): when it next runs. One row per (user, kind).
struct Schedule {
    UserId user;
    std::string kind;  // "digest" | "weekly"
    TimePoint next_at{};
};

// Per-rep figures for the manager's `team` command.
struct RepStats {
    UserId rep;
    int open = 0;        // open or snoozed tasks
    int due_today = 0;   // open, due within [day_start, day_end)
    int overdue = 0;     // open, due before now
    int done_today = 0;  // done within [day_start, now]
    int done_week = 0;   // done within [week_start, now]
    std::optional<TimePoint> oldest_overdue;
    int snoozes_week = 0;  // snoozes made within [week_start, now]
};

// A REST API credential. Only the SHA-256 of the secret is kept; the secret is
// shown once, when the token is created.
struct ApiToken {
    TokenId id;
    std::string name;                  // what it is for ("crm")
    std::string hash;                  // lower-case hex SHA-256 of the secret
    std::optional<TeamId> team;        // none: every team
    std::optional<UserId> created_by;  // the admin accountable for it
    TimePoint created_at{};
    std::optional<TimePoint> revoked_at;
    std::optional<TimePoint> last_used_at;
};

}  // namespace fu
