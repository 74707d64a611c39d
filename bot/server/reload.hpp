#pragma once
// SIGHUP: what a config read again changes in the running service. The
// people, the SOP's numbers, the calendar, the catch-up size, the users'
// defaults, the retention periods, the limits and the log level are applied at once; the
// rest (the port, the storage, the web chat, the chat platforms, the health
// checks, …) only at the next start. A key added to config::Config belongs in one of the two
// lists in reload.cpp.
#include <string>
#include <vector>

#include "config/config.hpp"

namespace fu::server {

struct ConfigChanges {
    // Key paths, or a list's name with the handles changed: "users (added x; changed wang)".
    std::vector<std::string> applied;  // applied by a reload
    std::vector<std::string> restart;  // changed in the file, in force only after a restart
    bool empty() const { return applied.empty() && restart.empty(); }
};

ConfigChanges compare(const config::Config& running, const config::Config& next);

// `running` with what a reload applies taken from `next`; the rest as it was.
config::Config reloaded(config::Config running, const config::Config& next);

// "a, b, c" (or "none").
std::string join(const std::vector<std::string>&);

}  // namespace fu::server
