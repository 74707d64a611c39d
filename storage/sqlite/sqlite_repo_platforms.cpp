// SqliteRepo: chat platforms (identities, webhook deduplication, deliveries).
#include "storage/sqlite/db.hpp"
#include "storage/sqlite/queries.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/sqlite_repo.hpp"

namespace fu::storage {

using detail::sql_limit;
using detail::time_or_null;

// --- identities -----------------------------------------------------------------

void SqliteRepo::link_identity(const Identity& i) {
    auto& s = statement(sql::kUpsertIdentity);
    auto scope = s.use();
    s.bind(1, i.platform).bind(2, i.external_id).bind(3, i.user.value).bind(4, i.chat_id);
    s.run();
}

std::optional<Identity> SqliteRepo::identity(std::string_view platform, std::string_view external_id) {
    auto& s = statement(sql::kSelectIdentity);
    auto scope = s.use();
    s.bind(1, platform).bind(2, external_id);
    if (s.step()) return read_identity(s);
    return std::nullopt;
}

std::vector<Identity> SqliteRepo::identities_of(UserId user) {
    auto& s = statement(sql::kSelectIdentitiesOf);
    auto scope = s.use();
    s.bind(1, user.value);
    std::vector<Identity> out;
    while (s.step()) out.push_back(read_identity(s));
    return out;
}

void SqliteRepo::unlink_identity(std::string_view platform, std::string_view external_id) {
    auto& s = statement(sql::kDeleteIdentity);
    auto scope = s.use();
    s.bind(1, platform).bind(2, external_id);
    s.run();
}

// --- seen events ----------------------------------------------------------------

bool SqliteRepo::first_sighting(std::string_view platform, std::string_view event_id, TimePoint at) {
    auto& s = statement(sql::kInsertSeenEvent);
    auto scope = s.use();
    s.bind(1, platform).bind(2, event_id).bind(3, to_unix(at));
    s.run();
    // OR IGNORE: a repeat inserts no row, so this statement changed none.
    return db_.changes() > 0;
}

// --- deliveries -----------------------------------------------------------------

namespace {

// Binds the columns shared by INSERT and UPDATE, in their order (1..13).
void bind_delivery(Statement& s, const Delivery& d) {
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

std::vector<Delivery> read_deliveries(Statement& s) {
    std::vector<Delivery> out;
    while (s.step()) out.push_back(read_delivery(s));
    return out;
}

}  // namespace

DeliveryId SqliteRepo::add_delivery(const Delivery& d) {
    auto& s = statement(sql::kInsertDelivery);
    auto scope = s.use();
    bind_delivery(s, d);
    s.run();
    return DeliveryId{db_.last_insert_id()};
}

void SqliteRepo::update_delivery(const Delivery& d) {
    auto& s = statement(sql::kUpdateDelivery);
    auto scope = s.use();
    bind_delivery(s, d);
    s.bind(14, d.id.value);
    s.run();
    expect_one_change("delivery", d.id.value);
}

std::optional<Delivery> SqliteRepo::delivery(DeliveryId id) {
    auto& s = statement(sql::kSelectDelivery);
    auto scope = s.use();
    s.bind(1, id.value);
    if (s.step()) return read_delivery(s);
    return std::nullopt;
}

std::optional<TimePoint> SqliteRepo::next_delivery_at(std::string_view platform) {
    auto& s = statement(sql::kNextDeliveryAt);
    auto scope = s.use();
    s.bind(1, platform);
    if (s.step()) {
        if (auto v = s.column_optional_int64(0)) return from_unix(*v);
    }
    return std::nullopt;
}

std::vector<Delivery> SqliteRepo::deliveries_due(std::string_view platform, TimePoint now, std::size_t limit) {
    auto& s = statement(sql::kSelectDeliveriesDue);
    auto scope = s.use();
    s.bind(1, platform).bind(2, to_unix(now)).bind(3, sql_limit(limit));
    return read_deliveries(s);
}

std::vector<Delivery> SqliteRepo::deliveries_pending_since(TimePoint before, std::size_t limit) {
    auto& s = statement(sql::kSelectDeliveriesPendingSince);
    auto scope = s.use();
    s.bind(1, to_unix(before)).bind(2, sql_limit(limit));
    return read_deliveries(s);
}

std::optional<Delivery> SqliteRepo::delivery_by_platform_message(std::string_view platform,
                                                                 std::string_view platform_message_id) {
    auto& s = statement(sql::kSelectDeliveryByPlatformMessage);
    auto scope = s.use();
    s.bind(1, platform).bind(2, platform_message_id);
    if (s.step()) return read_delivery(s);
    return std::nullopt;
}

}  // namespace fu::storage
