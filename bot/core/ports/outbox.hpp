#pragma once
// Storage port: the transactional outbox (messages for users), their
// deliveries to chat platforms, and the platform event ids already seen.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace fu {

class OutboxStore {
public:
    virtual ~OutboxStore() = default;

    // Outbox: messages for users, in id order.
    virtual MessageId enqueue(const OutboxMessage&) = 0;
    virtual std::vector<OutboxMessage> messages_after(UserId, MessageId after, std::size_t limit) = 0;
    // The newest `limit` messages of a user, returned oldest first (an index range, not a scan).
    virtual std::vector<OutboxMessage> recent_messages(UserId, std::size_t limit) = 0;
    virtual std::optional<MessageId> last_message_id(UserId) = 0;
    virtual std::optional<OutboxMessage> message(MessageId) = 0;
    // The messages of `ids` that exist, in id order, with their buttons: one
    // read for a batch (a sender's due deliveries) rather than one per message.
    virtual std::vector<OutboxMessage> messages(const std::vector<MessageId>& ids) = 0;

    // Platform event ids, for deduplicating retried webhooks. Returns true the
    // first time (platform, event_id) is seen, false for a repeat.
    virtual bool first_sighting(std::string_view platform, std::string_view event_id, TimePoint at) = 0;

    // Deliveries: outbox messages on their way to a platform.
    virtual DeliveryId add_delivery(const Delivery&) = 0;
    virtual void update_delivery(const Delivery&) = 0;
    virtual std::optional<Delivery> delivery(DeliveryId) = 0;
    // Earliest next_attempt among pending deliveries of a platform (indexed MIN).
    virtual std::optional<TimePoint> next_delivery_at(std::string_view platform) = 0;
    // A platform's queue, for the metrics: how many deliveries are pending
    // (due or waiting for a retry) and when the oldest of them was created.
    struct PendingDeliveries {
        std::int64_t count = 0;
        std::optional<TimePoint> oldest_created;
    };
    virtual PendingDeliveries pending_deliveries(std::string_view platform) = 0;
    // Pending deliveries of a platform with next_attempt <= now, earliest first.
    virtual std::vector<Delivery> deliveries_due(std::string_view platform, TimePoint now, std::size_t limit) = 0;
    // Pending deliveries (any platform) created before `before`, oldest first.
    virtual std::vector<Delivery> deliveries_pending_since(TimePoint before, std::size_t limit) = 0;
    virtual std::optional<Delivery> delivery_by_platform_message(std::string_view platform,
                                                                 std::string_view platform_message_id) = 0;
    // Moves a delivery's next attempt to `until` if it is still pending and
    // due at `now`; false if it is not (sent, failed, or already moved by
    // another dispatcher). A dispatcher claims a delivery this way before
    // sending it (until: its lease), so that of several instances one sends.
    virtual bool defer_delivery(DeliveryId, TimePoint now, TimePoint until) = 0;
};

}  // namespace fu
