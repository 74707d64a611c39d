#pragma once
// followupd's configuration: a JSON file, secrets overridable from the
// environment, validated at start-up. Every key is documented in docs/CONFIG.md.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.hpp"
#include "core/model.hpp"
#include "core/sop.hpp"

namespace fu::config {

// Start-up stops with this: it names the key, the value and what was expected.
class ConfigError : public std::runtime_error {
public:
    ConfigError(std::string key, std::string value, std::string expected);
    const std::string& key() const { return key_; }
    const std::string& value() const { return value_; }
    const std::string& expected() const { return expected_; }

private:
    std::string key_, value_, expected_;
};

struct UserConfig {
    std::string handle;        // users[i].handle: [a-z0-9_.-]{1,32}, unique
    std::string name;          // users[i].name: display name (default: handle)
    Role role = Role::rep;     // users[i].role: rep | manager | admin
    std::string team;          // users[i].team: one of teams[] (required for rep/manager)
    std::string time_zone;     // users[i].time_zone: IANA zone (default: defaults.time_zone)
    std::optional<Lang> lang;  // users[i].lang: en | zh (default: defaults.lang)
    std::optional<int> work_start_minute, work_end_minute;  // users[i].work_hours "09:00-18:00"
    std::optional<std::uint8_t> work_days;                  // users[i].work_days ["mon",…] bit 0 = Monday
    // users[i].identities: platform -> the user's id there, e.g. {"telegram": "123456789"}.
    // Ids non-empty, one user per id; that the platforms exist is checked by validate_all.
    std::map<std::string, std::string> identities;
    // users[i].notify: where reminders go: "web" or a platform listed in identities (checked by validate_all).
    std::string notify = "web";

    bool operator==(const UserConfig&) const = default;
};

// One setting of the outbound proxy as given, and where it came from:
// "http.proxy", "FOLLOWUPD_HTTP_PROXY", "HTTPS_PROXY", … (errors name it).
struct ProxySetting {
    std::string from;
    std::string value;
    bool operator==(const ProxySetting&) const = default;
};

// limits: how much one person, and everyone together, may take (config/limits.cpp).
struct Limits {
    InputLimits input;         // limits.command_chars, limits.name_chars: the bot and the REST API apply them
    int streams_per_user = 8;  // limits.streams_per_user: live event streams (/api/events) one person may hold
    int streams_total = 500;   // limits.streams_total: all of them together; below limits.connections
    int connections = 1000;    // limits.connections: open HTTP connections; one more is answered 503 and closed
    bool operator==(const Limits&) const = default;
};

struct Config {
    // server
    std::string address = "127.0.0.1";  // server.address
    std::uint16_t port = 8080;          // server.port (0: any free port)
    int io_threads = 2;                 // server.io_threads 1..64
    std::size_t body_limit = 1 << 20;   // server.body_limit_bytes 1024..67108864
    // storage
    std::string engine = "sqlite";              // storage.engine: "sqlite" or "postgres"
    std::string storage_url;                    // storage.url: postgresql://…, with engine "postgres"; secret
    std::string database = "var/followupd.db";  // storage.path
    std::string contacts_key;                   // storage.contacts_key: 64 hex digits; secret
    std::string contacts_key_file;              // storage.contacts_key_file; both empty: "<storage.path>.key"
    std::string durability = "full";            // storage.durability: "full" (fsync per commit) or "normal"
    int cache_mib = 8;                          // storage.cache_mib: SQLite's page cache (docs/BENCHMARKS.md)
    int connections = 0;                        // storage.connections; 0 until loaded: 4 on PostgreSQL, 1 on SQLite
    int leader_lease_s = 30;                    // storage.leader_lease_s: the leader's lease; renewed every third of it
    // retention (server/retention.hpp); days 0: kept forever
    int retention_seen_events_days = 7;  // retention.seen_events_days: 0 or 2..3650
    int retention_outbox_days = 90;      // retention.outbox_days: messages and their deliveries
    int retention_audit_days = 0;        // retention.audit_days: the audit log (kept by default)
    int retention_batch = 500;           // retention.batch: rows per transaction
    int retention_interval_s = 3600;     // retention.interval_s: between passes
    // web chat
    bool web_chat = true;  // web_chat.enabled
    // web_chat.auth: "auto" | "signin" | "pick". Who a browser acts as: the
    // person signed in, or anyone picked from a list ("pick": the demo only,
    // demo.seed on a loopback server.address). "auto": pick for such a demo,
    // sign-in otherwise. Resolved at load: web_chat_pick says which.
    std::string web_chat_auth = "auto";
    bool web_chat_pick = false;
    std::string web_chat_token;     // web_chat.token (secret; env FOLLOWUPD_WEB_CHAT_TOKEN): pick mode only
    int sign_in_code_s = 600;       // web_chat.code_lifetime_s: codes and sign-in links
    int session_s = 7 * 24 * 3600;  // web_chat.session_lifetime_s
    bool secure_cookie = false;     // web_chat.secure_cookie: Secure even on plain HTTP requests
    std::string public_url;         // web_chat.public_url: where people open the web chat (sign-in links)
    // defaults for users
    std::string time_zone = "Asia/Shanghai";  // defaults.time_zone
    Lang lang = Lang::zh;                     // defaults.lang
    int work_start_minute = 9 * 60;           // defaults.work_hours
    int work_end_minute = 18 * 60;
    std::uint8_t work_days = 0b0011111;  // defaults.work_days
    // log
    std::string log_level = "info";   // log.level: trace|debug|info|warn|error
    std::string log_file;             // log.file: append the log here (empty: standard output); SIGHUP reopens it
    std::string log_format = "text";  // log.format: text|json
    bool log_access = true;           // log.access: a line per HTTP request
    // reminders
    int catch_up_min = 2;  // reminders.catch_up_min: a rep with this many or more due at once gets one list
    // demo
    bool demo = false;  // demo.seed: on first start, a demo team, customers and follow-ups
    // http: the outbound proxy of the chat platforms' HTTP client, as given.
    // http.proxy (or FOLLOWUPD_HTTP_PROXY) serves both schemes; without it
    // https_proxy/HTTPS_PROXY serves https:// URLs and http_proxy/HTTP_PROXY
    // http:// ones. http.no_proxy, else no_proxy/NO_PROXY. An empty variable
    // counts as unset; an empty key means none (the environment is ignored).
    // adapters::outbound_proxy checks and reads them (net/proxy.hpp).
    std::optional<ProxySetting> https_proxy, http_proxy, no_proxy;
    // health
    int platform_failing_s = 900;  // health.platform_failing_s: /readyz fails once a platform's sends failed this long
    // limits
    Limits limits;
    // follow-up rules
    SopRules sop;  // sop: {tier_a_days, …} every team's rules (see core/sop.hpp)
    // working calendar
    std::string holidays = "cn";  // calendar.holidays: "cn" (built in) | "none" | path of a holiday file
    // people
    std::vector<std::string> teams;  // teams: ["East Sales", {"name": "West Sales", "sop": {…}}, …]: the names
    // The effective rules of every team in `teams` (same names): `sop` with the
    // team's teams[i].sop keys applied on top (just `sop` for a team without any).
    std::map<std::string, SopRules> team_sop;
    std::vector<UserConfig> users;  // users: [{handle, name, role, team, …}]
    // chat platforms: every other top-level key, by name, as the JSON text of its
    // value. The config knows neither their names nor their keys: each adapter
    // reads and checks its own section (adapters/registry.hpp validate_all, called
    // right after loading).
    std::map<std::string, std::string> platforms;
    // The FOLLOWUPD_* environment the config was loaded with: the platforms'
    // sections take their overrides from it.
    std::map<std::string, std::string> env;
};

// Reads and validates a config. `env` supplies overrides (normally the process
// environment): FOLLOWUPD_<KEY PATH IN UPPER CASE, dots as underscores>, for
// scalar keys, e.g. FOLLOWUPD_WEB_CHAT_TOKEN, FOLLOWUPD_SERVER_PORT.
// Throws ConfigError on any problem in the config's own keys: unknown key, wrong
// type, bad value, bad JSON. The platforms' sections, the platforms users name
// and variables nobody reads are left to adapters::validate_all.
Config load_file(const std::string& path, const std::map<std::string, std::string>& env);
// True for an address only this machine can reach ("127.0.0.1", "::1", "localhost").
bool loopback_address(std::string_view address);

Config load_text(const std::string& json_text, const std::map<std::string, std::string>& env);

// The config's own top-level keys, in the order messages list them: the object
// sections (sop, calendar, server, …, demo), then the lists (teams, users).
std::vector<std::string> own_sections();
std::vector<std::string> own_lists();
// The environment variables the config's own keys are read from, in section order.
std::vector<std::string> own_env_names();
// FOLLOWUPD_BIN and FOLLOWUPD_CONFIG: set for scripts, never config keys.
bool reserved_env(std::string_view var);

// The config used when none is given: config/demo.json when the current
// folder has one (a source checkout: scripts/demo, the README's examples),
// else the installed one, /etc/followupd/config.json.
std::string default_path();

// The process environment as a map (only FOLLOWUPD_* entries, and the
// standard proxy variables: https_proxy, HTTPS_PROXY, http_proxy, HTTP_PROXY,
// no_proxy, NO_PROXY).
std::map<std::string, std::string> process_env();

}  // namespace fu::config
