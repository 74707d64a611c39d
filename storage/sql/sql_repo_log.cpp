// SqlRepo: what happened (interactions, transfers, audit) and the outbox.
#include <algorithm>
#include <unordered_map>
#include <utility>

#include "storage/sql/contact_cipher.hpp"
#include "storage/sql/queries.hpp"
#include "storage/sql/rows.hpp"
#include "storage/sql/sql_repo.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {

using detail::id_or_null;
using detail::sql_limit;

// --- interactions ---------------------------------------------------------------

InteractionId SqlRepo::add_interaction(const Interaction& i) {
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
    if (i.stage)
        s.bind(10, code(*i.stage));
    else
        s.bind_null(10);
    if (i.tier)
        s.bind(11, code(*i.tier));
    else
        s.bind_null(11);
    return InteractionId{inserted_id(s)};
}

std::vector<Interaction> SqlRepo::interactions_for_customer(CustomerId customer, std::size_t limit) {
    auto& s = statement(sql::kSelectInteractionsForCustomer);
    auto scope = s.use();
    s.bind(1, customer.value).bind(2, sql_limit(limit));
    std::vector<Interaction> out;
    while (s.step()) out.push_back(read_interaction(s));
    return out;
}

// --- transfers ------------------------------------------------------------------

TransferId SqlRepo::add_transfer(const Transfer& t) {
    auto& s = statement(sql::kInsertTransfer);
    auto scope = s.use();
    s.bind(1, t.customer.value)
        .bind(2, id_or_null(t.from))
        .bind(3, id_or_null(t.to))
        .bind(4, id_or_null(t.by))
        .bind(5, to_unix(t.at))
        .bind(6, t.reason);
    return TransferId{inserted_id(s)};
}

std::vector<Transfer> SqlRepo::transfers_for_customer(CustomerId customer) {
    auto& s = statement(sql::kSelectTransfersForCustomer);
    auto scope = s.use();
    s.bind(1, customer.value);
    std::vector<Transfer> out;
    while (s.step()) out.push_back(read_transfer(s));
    return out;
}

// --- audit ----------------------------------------------------------------------

AuditId SqlRepo::append_audit(const AuditEntry& a) {
    auto& s = statement(sql::kInsertAudit);
    auto scope = s.use();
    s.bind(1, to_unix(a.at)).bind(2, id_or_null(a.actor)).bind(3, a.action).bind(4, a.subject).bind(5, a.detail);
    return AuditId{inserted_id(s)};
}

std::vector<AuditEntry> SqlRepo::audit_tail(std::size_t limit) {
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
OutboxMessage SqlRepo::message_at(const SqlStatement& s) const {
    OutboxMessage m = read_message(s);
    if (cipher_) m.text = cipher_->open(m.text);
    return m;
}

MessageId SqlRepo::enqueue(const OutboxMessage& m) {
    MessageId id;
    {
        auto& s = statement(sql::kInsertMessage);
        auto scope = s.use();
        // No user: a reply to a sender who is not registered.
        s.bind(1, m.to.value != 0 ? std::optional<std::int64_t>(m.to.value) : std::nullopt)
            .bind(2, to_unix(m.created_at))
            .bind(3, code(m.kind))
            .bind(4, cipher_ ? cipher_->seal(m.text) : m.text)
            .bind(5, join_task_ids(m.tasks));
        id = MessageId{inserted_id(s)};
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

std::vector<OutboxMessage> SqlRepo::messages_after(UserId user, MessageId after, std::size_t limit) {
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

std::vector<OutboxMessage> SqlRepo::recent_messages(UserId user, std::size_t limit) {
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

namespace {

// Whether ids from `lo` to `hi` are close enough together for one range read
// to cost less than a read per id: the range holds at most four rows per id
// wanted (plus a little), so a batch never reads much that it drops.
bool dense(std::int64_t lo, std::int64_t hi, std::size_t wanted) {
    return wanted >= 2 && hi - lo < static_cast<std::int64_t>(4 * wanted + 64);
}

}  // namespace

void SqlRepo::load_buttons(std::vector<OutboxMessage>& messages) {
    if (messages.empty()) return;
    std::int64_t lo = messages.front().id.value, hi = lo;
    for (const auto& m : messages) {
        lo = std::min(lo, m.id.value);
        hi = std::max(hi, m.id.value);
    }
    if (dense(lo, hi, messages.size())) {
        std::unordered_map<std::int64_t, OutboxMessage*> by_id;
        for (auto& m : messages) by_id.emplace(m.id.value, &m);
        auto& b = statement(sql::kSelectButtonsBetween);
        auto scope = b.use();
        b.bind(1, lo).bind(2, hi);
        while (b.step())
            if (auto it = by_id.find(b.column_int64(0)); it != by_id.end())
                it->second->buttons.push_back(Button{b.column_text(1), b.column_text(2)});
        return;
    }
    // One primary-key range per message.
    auto& b = statement(sql::kSelectButtons);
    for (auto& m : messages) {
        auto scope = b.use();
        b.bind(1, m.id.value);
        while (b.step()) m.buttons.push_back(Button{b.column_text(0), b.column_text(1)});
    }
}

std::optional<OutboxMessage> SqlRepo::message(MessageId id) {
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

std::vector<OutboxMessage> SqlRepo::messages(const std::vector<MessageId>& ids) {
    std::vector<std::int64_t> wanted;
    wanted.reserve(ids.size());
    for (const auto id : ids) wanted.push_back(id.value);
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    std::vector<OutboxMessage> out;
    if (wanted.empty()) return out;
    if (dense(wanted.front(), wanted.back(), wanted.size())) {
        auto& s = statement(sql::kSelectMessagesBetween);
        auto scope = s.use();
        s.bind(1, wanted.front()).bind(2, wanted.back());
        while (s.step())
            if (std::binary_search(wanted.begin(), wanted.end(), s.column_int64(0))) out.push_back(message_at(s));
    } else {
        auto& s = statement(sql::kSelectMessage);
        for (const auto id : wanted) {
            auto scope = s.use();
            s.bind(1, id);
            if (s.step()) out.push_back(message_at(s));
        }
    }
    load_buttons(out);
    return out;
}

std::optional<MessageId> SqlRepo::last_message_id(UserId user) {
    auto& s = statement(sql::kLastMessageId);
    auto scope = s.use();
    s.bind(1, user.value);
    if (s.step()) {
        if (auto v = s.column_optional_int64(0)) return MessageId{*v};
    }
    return std::nullopt;
}

}  // namespace fu::storage
