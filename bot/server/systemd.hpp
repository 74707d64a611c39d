#pragma once
// Telling systemd how the service is doing (sd_notify, Type=notify): ready,
// reloading, stopping, and the watchdog's keep-alive. Outside systemd
// ($NOTIFY_SOCKET unset) every call does nothing.
#include <chrono>
#include <optional>
#include <string_view>

namespace fu::server::systemd {

void ready(std::string_view status);  // READY=1: the port is open
void reloading();                     // RELOADING=1: SIGHUP, reading the config again
void stopping();                      // STOPPING=1
void watchdog();                      // WATCHDOG=1: alive, keep the service running
void status(std::string_view text);   // STATUS=…: shown by systemctl status

// WatchdogSec= of the unit (from $WATCHDOG_USEC, for this process), if set.
std::optional<std::chrono::microseconds> watchdog_interval();

}  // namespace fu::server::systemd
