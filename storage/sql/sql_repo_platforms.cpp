// SqlRepo: chat platforms (identities, webhook deduplication, deliveries).
#include "storage/sql/queries.hpp"
#include "storage/sql/rows.hpp"
#include "storage/sql/sql_repo.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {

using detail::sql_limit;
using detail::time_or_null;

// --- identities -----------------------------------------------------------------

void SqlRepo::link_identity(const Identity& i) {
    auto& s = statement(sql::kUpsertIdentity);
    auto scope = s.use();
    s.bind(1, i.platform).bind(2, i.external_id).bind(3, i.user.value).bind(4, i.chat_id);
    s.run();
}

std::optional<Identity> SqlRepo::identity(std::string_view platform, std::string_view external_id) {
    auto& s = statement(sql::kSelectIdentity);
    auto scope = s.use();
    s.bind(1, platform).bind(2, external_id);
    if (s.step()) return read_identity(s);
    return std::nullopt;
}

std::vector<Identity> SqlRepo::identities_of(UserId user) {
    auto& s = statement(sql::kSelectIdentitiesOf);
    auto scope = s.use();
    s.bind(1, user.value);
    std::vector<Identity> out;
    while (s.step()) out.push_back(read_identity(s));
    return out;
}

void SqlRepo::unlink_identity(std::string_view platform, std::string_view external_id) {
    auto& s = statement(sql::kDeleteIdentity);
    auto scope = s.use();
    s.bind(1, platform).bind(2, external_id);
    s.run();
}

// --- seen events ----------------------------------------------------------------

bool SqlRepo::first_sighting(std::string_view platform, std::string_view event_id, TimePoint at) {
    auto& s = statement(sql::kInsertSeenEvent);
    auto scope = s.use();
    s.bind(1, platform).bind(2, event_id).bind(3, to_unix(at));
    // ON CONFLICT DO NOTHING: a repeat inserts no row, so this statement changed none.
    return s.run() > 0;
}

// --- deliveries -----------------------------------------------------------------

namespace {

// Binds the columns shared by INSERT and UPDATE, in their order (1..13).
void bind_delivery(SqlStatement& s, const Delivery& d) {
    s.bind(1, d.message.value)
        .bind(2, d.platform)
        .bind(3, d.recipient)
        .bind(4, d.chat_id)
        .bind(5, code(d.status))
        .bind(6, std::int64_t{d.attempts})
        .bind(7, to_unix(d.next_attempt))
        .bind(8, to_unix(d.created_at))
        .bind(9, time_or_null(d.sent_at))
        .bind(10, d.platform_message_id)
        .bind(11, d.last_error)
        .bind(12, std::int64_t{d.late_reported ? 1 : 0})
        .bind(13, d.replace_ref);
}

std::vector<Delivery> read_deliveries(SqlStatement& s) {
    std::vector<Delivery> out;
    while (s.step()) out.push_back(read_delivery(s));
    return out;
}

}  // namespace

DeliveryId SqlRepo::add_delivery(const Delivery& d) {
    auto& s = statement(sql::kInsertDelivery);
    auto scope = s.use();
    bind_delivery(s, d);
    return DeliveryId{inserted_id(s)};
}

void SqlRepo::update_delivery(const Delivery& d) {
    auto& s = statement(sql::kUpdateDelivery);
    auto scope = s.use();
    bind_delivery(s, d);
    s.bind(14, d.id.value);
    expect_one_change(s.run(), "delivery", d.id.value);
}

std::optional<Delivery> SqlRepo::delivery(DeliveryId id) {
    auto& s = statement(sql::kSelectDelivery);
    auto scope = s.use();
    s.bind(1, id.value);
    if (s.step()) return read_delivery(s);
    return std::nullopt;
}

std::optional<TimePoint> SqlRepo::next_delivery_at(std::string_view platform) {
    auto& s = statement(sql::kNextDeliveryAt);
    auto scope = s.use();
    s.bind(1, platform);
    if (s.step()) {
        if (auto v = s.column_optional_int64(0)) return from_unix(*v);
    }
    return std::nullopt;
}

OutboxStore::PendingDeliveries SqlRepo::pending_deliveries(std::string_view platform) {
    auto& s = statement(sql::kPendingDeliveries);
    auto scope = s.use();
    s.bind(1, platform);
    PendingDeliveries out;
    if (s.step()) {
        out.count = s.column_int64(0);
        if (auto v = s.column_optional_int64(1)) out.oldest_created = from_unix(*v);
    }
    return out;
}

std::vector<Delivery> SqlRepo::deliveries_due(std::string_view platform, TimePoint now, std::size_t limit) {
    auto& s = statement(sql::kSelectDeliveriesDue);
    auto scope = s.use();
    s.bind(1, platform).bind(2, to_unix(now)).bind(3, sql_limit(limit));
    return read_deliveries(s);
}

std::vector<Delivery> SqlRepo::deliveries_pending_since(TimePoint before, std::size_t limit) {
    auto& s = statement(sql::kSelectDeliveriesPendingSince);
    auto scope = s.use();
    s.bind(1, to_unix(before)).bind(2, sql_limit(limit));
    return read_deliveries(s);
}

std::optional<Delivery> SqlRepo::delivery_by_platform_message(std::string_view platform,
                                                              std::string_view platform_message_id) {
    auto& s = statement(sql::kSelectDeliveryByPlatformMessage);
    auto scope = s.use();
    s.bind(1, platform).bind(2, platform_message_id);
    if (s.step()) return read_delivery(s);
    return std::nullopt;
}

bool SqlRepo::defer_delivery(DeliveryId id, TimePoint now, TimePoint until) {
    auto& s = statement(sql::kDeferDelivery);
    auto scope = s.use();
    s.bind(1, id.value).bind(2, to_unix(now)).bind(3, to_unix(until));
    return s.run() == 1;
}

}  // namespace fu::storage
