#include "core/model.hpp"

#include <array>
#include <utility>

namespace fu {
namespace {

template <class E, std::size_t N>
using Codes = std::array<std::pair<E, std::string_view>, N>;

constexpr Codes<Lang, 2> kLang{{{Lang::en, "en"}, {Lang::zh, "zh"}}};
constexpr Codes<Role, 3> kRole{{{Role::rep, "rep"}, {Role::manager, "manager"}, {Role::admin, "admin"}}};
constexpr Codes<Tier, 3> kTier{{{Tier::a, "A"}, {Tier::b, "B"}, {Tier::c, "C"}}};
constexpr Codes<Stage, 7> kStage{{{Stage::lead, "lead"},
                                  {Stage::new_customer, "new"},
                                  {Stage::active, "active"},
                                  {Stage::silent, "silent"},
                                  {Stage::churn_risk, "churn_risk"},
                                  {Stage::won, "won"},
                                  {Stage::lost, "lost"}}};
constexpr Codes<Method, 5> kMethod{{{Method::call, "call"},
                                    {Method::email, "email"},
                                    {Method::visit, "visit"},
                                    {Method::im, "im"},
                                    {Method::other, "other"}}};
constexpr Codes<TaskStatus, 4> kStatus{{{TaskStatus::open, "open"},
                                        {TaskStatus::snoozed, "snoozed"},
                                        {TaskStatus::done, "done"},
                                        {TaskStatus::cancelled, "cancelled"}}};
constexpr Codes<Origin, 6> kOrigin{{{Origin::manual, "manual"},
                                    {Origin::cadence, "cadence"},
                                    {Origin::escalation, "escalation"},
                                    {Origin::import, "import"},
                                    {Origin::demo, "demo"},
                                    {Origin::complaint, "complaint"}}};
constexpr Codes<Priority, 2> kPriority{{{Priority::normal, "normal"}, {Priority::high, "high"}}};
constexpr Codes<MessageKind, 4> kKind{{{MessageKind::reply, "reply"},
                                       {MessageKind::reminder, "reminder"},
                                       {MessageKind::catch_up, "catch_up"},
                                       {MessageKind::notice, "notice"}}};

constexpr Codes<DeliveryStatus, 3> kDelivery{
    {{DeliveryStatus::pending, "pending"}, {DeliveryStatus::sent, "sent"}, {DeliveryStatus::failed, "failed"}}};

template <class E, std::size_t N>
std::string_view to_code(const Codes<E, N>& table, E e) {
    for (const auto& [value, text] : table)
        if (value == e) return text;
    return "?";
}

template <class E, std::size_t N>
std::optional<E> from_code(const Codes<E, N>& table, std::string_view s) {
    for (const auto& [value, text] : table)
        if (text == s) return value;
    return std::nullopt;
}

}  // namespace

std::string_view code(Lang e) { return to_code(kLang, e); }
std::string_view code(Role e) { return to_code(kRole, e); }
std::string_view code(Tier e) { return to_code(kTier, e); }
std::string_view code(Stage e) { return to_code(kStage, e); }
std::string_view code(Method e) { return to_code(kMethod, e); }
std::string_view code(TaskStatus e) { return to_code(kStatus, e); }
std::string_view code(Origin e) { return to_code(kOrigin, e); }
std::string_view code(Priority e) { return to_code(kPriority, e); }
std::string_view code(MessageKind e) { return to_code(kKind, e); }
std::string_view code(DeliveryStatus e) { return to_code(kDelivery, e); }
std::optional<Lang> lang_from_code(std::string_view s) { return from_code(kLang, s); }
std::optional<Role> role_from_code(std::string_view s) { return from_code(kRole, s); }
std::optional<Tier> tier_from_code(std::string_view s) { return from_code(kTier, s); }
std::optional<Stage> stage_from_code(std::string_view s) { return from_code(kStage, s); }
std::optional<Method> method_from_code(std::string_view s) { return from_code(kMethod, s); }
std::optional<TaskStatus> task_status_from_code(std::string_view s) { return from_code(kStatus, s); }
std::optional<Origin> origin_from_code(std::string_view s) { return from_code(kOrigin, s); }
std::optional<Priority> priority_from_code(std::string_view s) { return from_code(kPriority, s); }
std::optional<MessageKind> message_kind_from_code(std::string_view s) { return from_code(kKind, s); }
std::optional<DeliveryStatus> delivery_status_from_code(std::string_view s) { return from_code(kDelivery, s); }

}  // namespace fu
