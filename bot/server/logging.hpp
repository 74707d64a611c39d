#pragma once
// The service's log: standard output by default (the journal, under
// systemd), or the file in log.file, which SIGHUP reopens so that logrotate
// can move it away; text for people (the default) or one JSON object a line
// for log shippers (log.format "json": time in UTC, level, logger, message);
// and the access log, a line per HTTP request (log.access).
#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "net/http_server.hpp"

namespace fu::server {

// The log's destination, format and level from the config, before any
// thread starts. Throws std::runtime_error when log.file cannot be opened.
void start_logging(const config::Config&);

// The completion of a coroutine meant to run until the process stops (a
// scheduler, a delivery loop): an exception that ends it is logged, critical,
// as "<what> stopped: <why>".
std::function<void(std::exception_ptr)> log_if_stopped(std::string what);

// The level of the log and of the access lines (SIGHUP's log.level).
void set_log_level(const std::string& level);

// Closes and opens log.file again (by name). False when the log is not a file.
// Throws std::runtime_error when it cannot be opened; the old one is kept then.
bool reopen_log();

// The route a request target counts under in metrics: a fixed set of names
// ("/hooks/telegram", "/api/v1/customers", "/api/chat", "/", "other"), never
// ids or query strings, so the series stay few.
std::string route_of(std::string_view target, const std::vector<std::string>& platforms);

// One access log line (logger "access", level info): method, path without
// its query (which may hold a token), status, duration, bytes, client, id.
void log_access(const net::RequestRecord& r);

}  // namespace fu::server
