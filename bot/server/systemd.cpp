#include "server/systemd.hpp"

#include <systemd/sd-daemon.h>

#include <cstdint>
#include <string>

namespace fu::server::systemd {

namespace {
void notify(const std::string& state) { sd_notify(0, state.c_str()); }
}  // namespace

void ready(std::string_view text) { notify("READY=1\nSTATUS=" + std::string(text)); }
void reloading() { notify("RELOADING=1\nSTATUS=reloading the config"); }
void stopping() { notify("STOPPING=1\nSTATUS=stopping"); }
void watchdog() { notify("WATCHDOG=1"); }
void status(std::string_view text) { notify("STATUS=" + std::string(text)); }

std::optional<std::chrono::microseconds> watchdog_interval() {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) return std::chrono::microseconds(usec);
    return std::nullopt;
}

}  // namespace fu::server::systemd
