#pragma once
// Strong id types: a TaskId cannot be passed where a CustomerId is expected.
#include <compare>
#include <cstdint>
#include <functional>

namespace fu {

template <class Tag>
struct Id {
    std::int64_t value = 0;

    constexpr Id() = default;
    constexpr explicit Id(std::int64_t v) : value(v) {}
    constexpr explicit operator bool() const { return value != 0; }
    constexpr auto operator<=>(const Id&) const = default;
};

using UserId = Id<struct UserTag>;
using TeamId = Id<struct TeamTag>;
using CustomerId = Id<struct CustomerTag>;
using TaskId = Id<struct TaskTag>;
using InteractionId = Id<struct InteractionTag>;
using TransferId = Id<struct TransferTag>;
using MessageId = Id<struct MessageTag>;
using AuditId = Id<struct AuditTag>;
using DeliveryId = Id<struct DeliveryTag>;
using TokenId = Id<struct TokenTag>;

}  // namespace fu

template <class Tag>
struct std::hash<fu::Id<Tag>> {
    std::size_t operator()(const fu::Id<Tag>& id) const noexcept { return std::hash<std::int64_t>{}(id.value); }
};
