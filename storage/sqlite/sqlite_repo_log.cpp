// SqliteRepo: what happened (interactions, transfers, audit) and the outbox.
#include <algorithm>
#include <utility>

#include "storage/sqlite/contact_cipher.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/sqlite/queries.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/sqlite_repo.hpp"

namespace fu::storage {

using detail::id_or_null;
using detail::sql_limit;

// --- interactions ---------------------------------------------------------------

InteractionId SqliteRepo::add_interaction(const Interaction& i) {
    auto& s = statement(sql::kInsertInteraction);
    auto scope = s.use();
    std::optional<std::int64_t> satisfaction;
    if (i.satisfaction) satisfaction = *i.satisfaction;
    s.bind(1, i.customer.value)
        .bind(2, id_or_null(i.task))
        .bind(3, i.user.value)
        .bind(4, to_unix(i.at))
        .bind(5, code(i.method))
        .bind(6, join_words(i.results))
        .bind(7, i.note)
        .bind(8, i.next_step)
        .bind(9, satisfaction);
    if (i.stage) s.bind(10, code(*i.stage));
    else s.bind_null(10);
    if (i.tier) s.bind(11, code(*i.tier));
    else s.bind_null(11);
    s.run();
    return InteractionId{db_.last_insert_id()};
}

std::vector<Interaction> SqliteRepo::interactions_for_customer(CustomerId customer, std::size_t limit) {
    auto& s = statement(sql::kSelectInteractionsForCustomer);
    auto scope = s.use();
    s.bind(1, customer.value).bind(2, sql_limit(limit));
    std::vector<Interaction> out;
    while (s.step()) out.push_back(read_interaction(s));
    return out;
}

// --- transfers ------------------------------------------------------------------

TransferId SqliteRepo::add_transfer(const Transfer& t) {
    auto& s = statement(sql::kInsertTransfer);
    auto scope = s.use();
    s.bind(1, t.customer.value)
        .bind(2, id_or_null(t.from))
        .bind(3, id_or_null(t.to))
        .bind(4, id_or_null(t.by))
        .bind(5, to_unix(t.at))
        .bind(6, t.reason);
    s.run();
    return TransferId{db_.last_insert_id()};
}

std::vector<Transfer> SqliteRepo::transfers_for_customer(CustomerId customer) {
    auto& s = statement(sql::kSelectTransfersForCustomer);
    auto scope = s.use();
    s.bind(1, customer.value);
    std::vector<Transfer> out;
    while (s.step()) out.push_back(read_transfer(s));
    return out;
}

// --- audit ----------------------------------------------------------------------

AuditId SqliteRepo::append_audit(const AuditEntry& a) {
    auto& s = statement(sql::kInsertAudit);
    auto scope = s.use();
    s.bind(1, to_unix(a.at)).bind(2, id_or_null(a.actor)).bind(3, a.action).bind(4, a.subject).bind(5, a.detail);
    s.run();
    return AuditId{db_.last_insert_id()};
}

std::vector<AuditEntry> SqliteRepo::audit_tail(std::size_t limit) {
    auto& s = statement(sql::kSelectAuditTail);
    auto scope = s.use();
    s.bind(1, sql_limit(limit));
    std::vector<AuditEntry> out;
    while (s.step()) out.push_back(read_audit(s));
    return out;
}

// --- outbox ---------------------------------------------------------------------

// A reply may quote a customer's contacts (who, history, claim): message texts
// are sealed like the contacts themselves.
OutboxMessage SqliteRepo::message_at(const Statement& s) const {
    OutboxMessage m = read_message(s);
    if (cipher_) m.text = cipher_->open(m.text);
    return m;
}

MessageId SqliteRepo::enqueue(const OutboxMessage& m) {
    MessageId id;
    {
        auto& s = statement(sql::kInsertMessage);
        auto scope = s.use();
        s.bind(1, m.to.value)
            .bind(2, to_unix(m.created_at))
            .bind(3, code(m.kind))
            .bind(4, cipher_ ? cipher_->seal(m.text) : m.text)
            .bind(5, join_task_ids(m.tasks));
        s.run();
        id = MessageId{db_.last_insert_id()};
    }
    auto& b = statement(sql::kInsertButton);
    for (std::size_t i = 0; i < m.buttons.size(); ++i) {
        auto scope = b.use();
        b.bind(1, id.value)
            .bind(2, static_cast<std::int64_t>(i))
            .bind(3, m.buttons[i].label)
            .bind(4, m.buttons[i].command);
        b.run();
    }
    return id;
}

std::vector<OutboxMessage> SqliteRepo::messages_after(UserId user, MessageId after, std::size_t limit) {
    std::vector<OutboxMessage> out;
    {
        auto& s = statement(sql::kSelectMessagesAfter);
        auto scope = s.use();
        s.bind(1, user.value).bind(2, after.value).bind(3, sql_limit(limit));
        while (s.step()) out.push_back(message_at(s));
    }
    load_buttons(out);
    return out;
}

std::vector<OutboxMessage> SqliteRepo::recent_messages(UserId user, std::size_t limit) {
    std::vector<OutboxMessage> out;
    {
        auto& s = statement(sql::kSelectRecentMessages);
        auto scope = s.use();
        s.bind(1, user.value).bind(2, sql_limit(limit));
        while (s.step()) out.push_back(message_at(s));
    }
    std::reverse(out.begin(), out.end());  // newest first -> oldest first
    load_buttons(out);
    return out;
}

void SqliteRepo::load_buttons(std::vector<OutboxMessage>& messages) {
    // One primary-key range per message; a page of messages is small.
    auto& b = statement(sql::kSelectButtons);
    for (auto& m : messages) {
        auto scope = b.use();
        b.bind(1, m.id.value);
        while (b.step()) m.buttons.push_back(Button{b.column_text(0), b.column_text(1)});
    }
}

std::optional<OutboxMessage> SqliteRepo::message(MessageId id) {
    std::vector<OutboxMessage> out;
    {
        auto& s = statement(sql::kSelectMessage);
        auto scope = s.use();
        s.bind(1, id.value);
        if (s.step()) out.push_back(message_at(s));
    }
    if (out.empty()) return std::nullopt;
    load_buttons(out);
    return std::move(out.front());
}

std::optional<MessageId> SqliteRepo::last_message_id(UserId user) {
    auto& s = statement(sql::kLastMessageId);
    auto scope = s.use();
    s.bind(1, user.value);
    if (s.step()) {
        if (auto v = s.column_optional_int64(0)) return MessageId{*v};
    }
    return std::nullopt;
}

}  // namespace fu::storage
