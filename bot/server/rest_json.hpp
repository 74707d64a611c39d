#pragma once
// The REST API's JSON: times as ISO 8601 (UTC out; any offset in), and one
// encoder per resource (see the schemas in docs/openapi.yaml).
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/api.hpp"

namespace fu::server::rest {

// A positive whole number (an id, a limit); nullopt for anything else.
std::optional<std::int64_t> to_id(std::string_view);
// "2025-11-24T10:00:00Z", "2025-11-24T10:00:00+08:00", "2025-11-24T10:00+08:00",
// fractional seconds dropped; nullopt without a zone or for anything else.
std::optional<TimePoint> parse_time(std::string_view);
// "2025-11-24T02:00:00Z"
std::string iso(TimePoint);

nlohmann::json customer_json(const api::CustomerView&);
nlohmann::json task_json(const api::TaskView&);
nlohmann::json history_json(const api::History&);
nlohmann::json audit_json(const api::AuditList&);
nlohmann::json team_status_json(const reports::TeamStatus&);
nlohmann::json report_json(const reports::Report&);

}  // namespace fu::server::rest
