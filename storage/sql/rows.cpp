#include "storage/sql/rows.hpp"

#include <charconv>
#include <optional>

#include "storage/sql/statement.hpp"

namespace fu::storage {
namespace {

// A code this build does not know means the file was written by a newer
// build or edited by hand: refuse rather than guess.
template <class E>
E decode(std::optional<E> (*parse)(std::string_view), const SqlStatement& s, int column, const char* what) {
    std::string text = s.column_text(column);
    if (auto e = parse(text)) return *e;
    throw StorageError("unknown " + std::string(what) + " code '" + text + "' in the database");
}

TimePoint time_at(const SqlStatement& s, int column) { return from_unix(s.column_int64(column)); }

std::optional<TimePoint> optional_time_at(const SqlStatement& s, int column) {
    if (auto v = s.column_optional_int64(column)) return from_unix(*v);
    return std::nullopt;
}

template <class IdT>
std::optional<IdT> optional_id_at(const SqlStatement& s, int column) {
    if (auto v = s.column_optional_int64(column)) return IdT{*v};
    return std::nullopt;
}

}  // namespace

std::string join_words(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) {
        if (w.empty()) continue;
        if (!out.empty()) out += kWordSeparator;
        out += w;
    }
    return out;
}

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty()) {
        auto pos = text.find(kWordSeparator);
        auto word = text.substr(0, pos);
        if (!word.empty()) out.emplace_back(word);
        if (pos == std::string_view::npos) break;
        text.remove_prefix(pos + 1);
    }
    return out;
}

std::string join_task_ids(const std::vector<TaskId>& ids) {
    std::string out;
    for (const auto& id : ids) {
        if (!out.empty()) out += ',';
        out += std::to_string(id.value);
    }
    return out;
}

std::vector<TaskId> split_task_ids(std::string_view text) {
    std::vector<TaskId> out;
    while (!text.empty()) {
        auto pos = text.find(',');
        auto part = text.substr(0, pos);
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
        if (ec != std::errc{} || end != part.data() + part.size())
            throw StorageError("bad task id list '" + std::string(text) + "' in the database");
        out.emplace_back(v);
        if (pos == std::string_view::npos) break;
        text.remove_prefix(pos + 1);
    }
    return out;
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

Team read_team(const SqlStatement& s) { return Team{TeamId{s.column_int64(0)}, s.column_text(1)}; }

User read_user(const SqlStatement& s) {
    User u;
    u.id = UserId{s.column_int64(0)};
    u.handle = s.column_text(1);
    u.display_name = s.column_text(2);
    u.role = decode(role_from_code, s, 3, "role");
    u.team = optional_id_at<TeamId>(s, 4);
    u.time_zone = s.column_text(5);
    u.lang = decode(lang_from_code, s, 6, "lang");
    u.work_start_minute = static_cast<int>(s.column_int64(7));
    u.work_end_minute = static_cast<int>(s.column_int64(8));
    u.work_days = static_cast<std::uint8_t>(s.column_int64(9));
    u.notify_platform = s.column_text(10);
    return u;
}

Customer read_customer(const SqlStatement& s) {
    Customer c;
    c.id = CustomerId{s.column_int64(0)};
    c.name = s.column_text(1);
    c.company = s.column_text(2);
    c.phone = s.column_text(3);
    c.email = s.column_text(4);
    c.im = s.column_text(5);
    c.owner = optional_id_at<UserId>(s, 6);
    c.tier = decode(tier_from_code, s, 7, "tier");
    c.stage = decode(stage_from_code, s, 8, "stage");
    c.source = s.column_text(9);
    c.value = s.column_int64(10);
    c.tags = split_words(s.column_text(11));
    c.last_contact = optional_time_at(s, 12);
    c.next_followup = optional_time_at(s, 13);
    c.created_at = time_at(s, 14);
    c.team = optional_id_at<TeamId>(s, 15);
    c.external_id = s.column_text(16);
    return c;
}

Task read_task(const SqlStatement& s) {
    Task t;
    t.id = TaskId{s.column_int64(0)};
    t.customer = CustomerId{s.column_int64(1)};
    t.assignee = UserId{s.column_int64(2)};
    t.due = time_at(s, 3);
    t.method = decode(method_from_code, s, 4, "method");
    t.topic = s.column_text(5);
    t.priority = decode(priority_from_code, s, 6, "priority");
    t.status = decode(task_status_from_code, s, 7, "task status");
    t.snooze_count = static_cast<int>(s.column_int64(8));
    t.origin = decode(origin_from_code, s, 9, "origin");
    t.created_by = optional_id_at<UserId>(s, 10);
    t.created_at = time_at(s, 11);
    t.remind_at = optional_time_at(s, 12);
    t.done_at = optional_time_at(s, 13);
    t.snoozed_until = optional_time_at(s, 14);
    t.reschedule_count = static_cast<int>(s.column_int64(15));
    t.ladder_step = static_cast<int>(s.column_int64(16));
    return t;
}

Interaction read_interaction(const SqlStatement& s) {
    Interaction i;
    i.id = InteractionId{s.column_int64(0)};
    i.customer = CustomerId{s.column_int64(1)};
    i.task = optional_id_at<TaskId>(s, 2);
    i.user = UserId{s.column_int64(3)};
    i.at = time_at(s, 4);
    i.method = decode(method_from_code, s, 5, "method");
    i.results = split_words(s.column_text(6));
    i.note = s.column_text(7);
    i.next_step = s.column_text(8);
    if (auto v = s.column_optional_int64(9)) i.satisfaction = static_cast<int>(*v);
    if (!s.column_is_null(10)) i.stage = decode(stage_from_code, s, 10, "stage");
    if (!s.column_is_null(11)) i.tier = decode(tier_from_code, s, 11, "tier");
    return i;
}

Transfer read_transfer(const SqlStatement& s) {
    Transfer t;
    t.id = TransferId{s.column_int64(0)};
    t.customer = CustomerId{s.column_int64(1)};
    t.from = optional_id_at<UserId>(s, 2);
    t.to = optional_id_at<UserId>(s, 3);
    t.by = optional_id_at<UserId>(s, 4);
    t.at = time_at(s, 5);
    t.reason = s.column_text(6);
    return t;
}

AuditEntry read_audit(const SqlStatement& s) {
    AuditEntry a;
    a.id = AuditId{s.column_int64(0)};
    a.at = time_at(s, 1);
    a.actor = optional_id_at<UserId>(s, 2);
    a.action = s.column_text(3);
    a.subject = s.column_text(4);
    a.detail = s.column_text(5);
    return a;
}

OutboxMessage read_message(const SqlStatement& s) {
    OutboxMessage m;
    m.id = MessageId{s.column_int64(0)};
    m.to = UserId{s.column_int64(1)};
    m.created_at = time_at(s, 2);
    m.kind = decode(message_kind_from_code, s, 3, "message kind");
    m.text = s.column_text(4);
    m.tasks = split_task_ids(s.column_text(5));
    return m;
}

Identity read_identity(const SqlStatement& s) {
    Identity i;
    i.platform = s.column_text(0);
    i.external_id = s.column_text(1);
    i.user = UserId{s.column_int64(2)};
    i.chat_id = s.column_text(3);
    return i;
}

Delivery read_delivery(const SqlStatement& s) {
    Delivery d;
    d.id = DeliveryId{s.column_int64(0)};
    d.message = MessageId{s.column_int64(1)};
    d.platform = s.column_text(2);
    d.recipient = s.column_text(3);
    d.chat_id = s.column_text(4);
    d.status = decode(delivery_status_from_code, s, 5, "delivery status");
    d.attempts = static_cast<int>(s.column_int64(6));
    d.next_attempt = time_at(s, 7);
    d.created_at = time_at(s, 8);
    d.sent_at = optional_time_at(s, 9);
    d.platform_message_id = s.column_text(10);
    d.last_error = s.column_text(11);
    d.late_reported = s.column_int64(12) != 0;
    d.replace_ref = s.column_text(13);
    return d;
}

ApiToken read_api_token(const SqlStatement& s) {
    ApiToken t;
    t.id = TokenId{s.column_int64(0)};
    t.name = s.column_text(1);
    t.hash = s.column_text(2);
    t.team = optional_id_at<TeamId>(s, 3);
    t.created_by = optional_id_at<UserId>(s, 4);
    t.created_at = time_at(s, 5);
    t.revoked_at = optional_time_at(s, 6);
    t.last_used_at = optional_time_at(s, 7);
    return t;
}

}  // namespace fu::storage
