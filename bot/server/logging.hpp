#pragma once
// Where the log goes: standard output by default (the journal, under
// systemd), or the file in log.file, which SIGHUP reopens so that logrotate
// can move it away.
#include "config/config.hpp"

namespace fu::server {

// The log's level and destination from the config, before any thread starts.
// Throws std::runtime_error when log.file cannot be opened.
void start_logging(const config::Config&);

// Closes and opens log.file again (by name). False when the log is not a file.
// Throws std::runtime_error when it cannot be opened; the old one is kept then.
bool reopen_log();

}  // namespace fu::server
