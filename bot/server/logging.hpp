#pragma once
// The service's log: text for people (the default) or one JSON object a line
// for log shippers (log.format "json": time in UTC, level, logger, message),
// and the access log, a line per HTTP request (log.access).
#include <string>
#include <vector>

#include "net/http_server.hpp"

namespace fu::server {

// Sets the default logger's format and level. `format`: "text" or "json".
void configure_logging(const std::string& format, const std::string& level);

// The route a request target counts under in metrics: a fixed set of names
// ("/hooks/telegram", "/api/v1/customers", "/api/chat", "/", "other"), never
// ids or query strings, so the series stay few.
std::string route_of(std::string_view target, const std::vector<std::string>& platforms);

// One access log line (logger "access", level info): method, path without
// its query (which may hold a token), status, duration, bytes, client, id.
void log_access(const net::RequestRecord& r);

}  // namespace fu::server
