#include "server/reload.hpp"

#include <algorithm>

namespace fu::server {

namespace {

std::string users_change(const config::Config& a, const config::Config& b) {
    std::vector<std::string> added, changed, dropped;
    for (const auto& u : b.users) {
        auto it = std::find_if(a.users.begin(), a.users.end(), [&](const auto& o) { return o.handle == u.handle; });
        if (it == a.users.end())
            added.push_back(u.handle);
        else if (!(*it == u))
            changed.push_back(u.handle);
    }
    for (const auto& u : a.users)
        if (std::none_of(b.users.begin(), b.users.end(), [&](const auto& o) { return o.handle == u.handle; }))
            dropped.push_back(u.handle);
    std::vector<std::string> parts;
    if (!added.empty()) parts.push_back("added " + join(added));
    if (!changed.empty()) parts.push_back("changed " + join(changed));
    // As at start-up: a user no longer in the config keeps their account.
    if (!dropped.empty()) parts.push_back("no longer listed, kept as they are: " + join(dropped));
    if (parts.empty()) return {};
    std::string out = "users (";
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
    return out + ")";
}

}  // namespace

std::string join(const std::vector<std::string>& items) {
    if (items.empty()) return "none";
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

ConfigChanges compare(const config::Config& a, const config::Config& b) {
    ConfigChanges c;
    auto check = [](std::vector<std::string>& list, bool differs, const char* key) {
        if (differs) list.push_back(key);
    };
    // Applied by a reload.
    check(c.applied, a.log_level != b.log_level, "log.level");
    check(c.applied, a.teams != b.teams, "teams");
    if (auto users = users_change(a, b); !users.empty()) c.applied.push_back(users);
    check(c.applied, a.sop != b.sop || a.team_sop != b.team_sop, "sop");
    check(c.applied, a.holidays != b.holidays, "calendar.holidays");
    check(c.applied, a.catch_up_min != b.catch_up_min, "reminders.catch_up_min");
    check(c.applied, a.time_zone != b.time_zone, "defaults.time_zone");
    check(c.applied, a.lang != b.lang, "defaults.lang");
    check(c.applied, a.work_start_minute != b.work_start_minute || a.work_end_minute != b.work_end_minute,
          "defaults.work_hours");
    check(c.applied, a.work_days != b.work_days, "defaults.work_days");
    check(c.applied, a.retention_seen_events_days != b.retention_seen_events_days, "retention.seen_events_days");
    check(c.applied, a.retention_outbox_days != b.retention_outbox_days, "retention.outbox_days");
    check(c.applied, a.retention_audit_days != b.retention_audit_days, "retention.audit_days");
    check(c.applied, a.retention_batch != b.retention_batch, "retention.batch");
    check(c.applied, a.retention_interval_s != b.retention_interval_s, "retention.interval_s");
    check(c.applied, a.limits.input.command_chars != b.limits.input.command_chars, "limits.command_chars");
    check(c.applied, a.limits.input.name_chars != b.limits.input.name_chars, "limits.name_chars");
    check(c.applied, a.limits.streams_per_user != b.limits.streams_per_user, "limits.streams_per_user");
    check(c.applied, a.limits.streams_total != b.limits.streams_total, "limits.streams_total");
    check(c.applied, a.limits.connections != b.limits.connections, "limits.connections");
    // Only at the next start: what the listening socket, the store, the web
    // chat and the platforms' connections were made with.
    check(c.restart, a.address != b.address, "server.address");
    check(c.restart, a.port != b.port, "server.port");
    check(c.restart, a.io_threads != b.io_threads, "server.io_threads");
    check(c.restart, a.body_limit != b.body_limit, "server.body_limit_bytes");
    check(c.restart, a.engine != b.engine, "storage.engine");
    check(c.restart, a.storage_url != b.storage_url, "storage.url");
    check(c.restart, a.database != b.database, "storage.path");
    check(c.restart, a.contacts_key != b.contacts_key, "storage.contacts_key");
    check(c.restart, a.contacts_key_file != b.contacts_key_file, "storage.contacts_key_file");
    check(c.restart, a.durability != b.durability, "storage.durability");
    check(c.restart, a.cache_mib != b.cache_mib, "storage.cache_mib");
    check(c.restart, a.connections != b.connections, "storage.connections");
    check(c.restart, a.leader_lease_s != b.leader_lease_s, "storage.leader_lease_s");
    check(c.restart, a.web_chat != b.web_chat, "web_chat.enabled");
    check(c.restart, a.web_chat_token != b.web_chat_token, "web_chat.token");
    check(c.restart, a.log_file != b.log_file, "log.file");
    check(c.restart, a.demo != b.demo, "demo.seed");
    check(c.restart, a.platform_failing_s != b.platform_failing_s, "health.platform_failing_s");
    // The platforms' HTTP client is made with them (HTTPS_PROXY and the like do not change while running).
    check(c.restart, a.https_proxy != b.https_proxy || a.http_proxy != b.http_proxy, "http.proxy");
    check(c.restart, a.no_proxy != b.no_proxy, "http.no_proxy");
    for (const auto& [name, json] : b.platforms)
        if (auto it = a.platforms.find(name); it == a.platforms.end() || it->second != json) c.restart.push_back(name);
    for (const auto& [name, json] : a.platforms)
        if (!b.platforms.contains(name)) c.restart.push_back(name);
    return c;
}

config::Config reloaded(config::Config running, const config::Config& next) {
    running.log_level = next.log_level;
    running.teams = next.teams;
    running.users = next.users;
    running.sop = next.sop;
    running.team_sop = next.team_sop;
    running.holidays = next.holidays;
    running.catch_up_min = next.catch_up_min;
    running.time_zone = next.time_zone;
    running.lang = next.lang;
    running.work_start_minute = next.work_start_minute;
    running.work_end_minute = next.work_end_minute;
    running.work_days = next.work_days;
    running.retention_seen_events_days = next.retention_seen_events_days;
    running.retention_outbox_days = next.retention_outbox_days;
    running.retention_audit_days = next.retention_audit_days;
    running.retention_batch = next.retention_batch;
    running.retention_interval_s = next.retention_interval_s;
    running.limits = next.limits;
    return running;
}

}  // namespace fu::server
