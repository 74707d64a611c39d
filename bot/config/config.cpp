// Loading and validating followupd's configuration (see docs/CONFIG.md).
// The key table (sections()) and the code that reads each key must change
// together: they live in one file per section, config/<section>.cpp with its
// reader declared in sections.hpp (sop, limits, and the teams and users lists
// in people.cpp), or here for the rest;
// checks shared with the platforms live in checker.cpp.
//
// The order of work:
//   1. parse the JSON (duplicate keys are refused: they usually hide a typo),
//   2. check the top level: an object whose own sections are objects; every
//      other key is a chat platform's section, kept as JSON text for its adapter,
//   3. apply FOLLOWUPD_* overrides from the environment to the scalar keys of
//      the config's own sections (the rest are kept for the platforms),
//   4. validate every key; an error names the env variable when the bad value
//      came from the environment, otherwise the full key path.
// The chat platforms' sections, the platforms named in users[i].identities and
// users[i].notify, and environment variables nobody reads are checked by the
// adapters' registry (adapters/registry.hpp validate_all), right after loading.
#include "config/config.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "config/checker.hpp"
#include "config/sections.hpp"
#include "core/work_calendar.hpp"

extern char** environ;

namespace fu::config {

namespace {

using nlohmann::json;

constexpr std::string_view kEnvPrefix = "FOLLOWUPD_";
// Reserved for scripts (the binary and the config path); never config keys.
constexpr std::string_view kReservedEnv[] = {"FOLLOWUPD_BIN", "FOLLOWUPD_CONFIG"};
// The proxy variables every HTTP client honours (curl's, Go's); the http section overrides them.
// Lower case first, as curl reads them.
constexpr std::string_view kProxyEnv[] = {"https_proxy", "HTTPS_PROXY", "http_proxy",
                                          "HTTP_PROXY",  "no_proxy",    "NO_PROXY"};

// ---- the schema of the object sections -------------------------------------

constexpr std::string_view kExpSecretFile =
    "a path to a file holding the secret (relative: in $CREDENTIALS_DIRECTORY when systemd sets it)";
constexpr std::string_view kExpContactsKey =
    "empty, or 64 hex digits (a 256-bit key, e.g. from `openssl rand -hex 32`)";
constexpr std::string_view kExpDurability =
    "\"full\" (every acknowledged write is on disk: it survives a power cut) or \"normal\" (it survives a crash of "
    "followupd, not of the machine)";
constexpr std::string_view kExpEngine =
    "\"sqlite\" (one file under storage.path, one instance) or \"postgres\" (a PostgreSQL server at storage.url, "
    "several instances)";
constexpr std::string_view kExpUrl =
    "a PostgreSQL URL such as \"postgresql://followupd@db.example.com:5432/followupd\" (the password from "
    "PGPASSWORD or a pgpass file, or the whole URL from FOLLOWUPD_STORAGE_URL)";
constexpr std::string_view kExpAuth =
    "\"signin\" (everyone signs in with a code sent to their chat platform), \"pick\" (anyone picks who they are: "
    "only for the demo, with demo.seed true and a loopback server.address) or \"auto\" (pick for such a demo, "
    "signin otherwise)";
constexpr std::string_view kExpPublicUrl =
    "empty, or the address people open the web chat at, such as \"https://followupd.example.com\" (sign-in links "
    "and calendar feed addresses point there)";
// Platforms deliver a webhook again for up to a day (Telegram keeps an update
// 24 hours; Slack, Feishu and WeCom retry within hours): an event id must be
// remembered longer, or a late retry would be handled twice.
constexpr std::string_view kExpSeenEventsDays =
    "0 (kept forever) or an integer 2..3650 (days; platforms retry a webhook for up to a day)";
constexpr std::string_view kExpProxy =
    "empty (no proxy, whatever HTTPS_PROXY says), or an http proxy URL such as \"http://proxy.example.com:3128\" or "
    "\"http://user:password@10.0.0.1:3128\"";
constexpr std::string_view kExpNoProxy =
    "a list of hosts reached without the proxy, such as \"localhost,127.0.0.1,.internal.example.com,10.0.0.0/8\"";
constexpr std::string_view kExpHolidays =
    "\"cn\" (the built-in mainland China calendar), \"none\" (no holidays) or the path of a holiday file";

// The config's own sections; every other top-level key but teams and users is a chat platform's.
const std::vector<SectionSpec>& sections() {
    static const std::vector<SectionSpec> specs = {
        sop_section(),
        {"calendar", {{"holidays", Kind::holidays, 0, 0, kExpHolidays}}},
        {"server",
         {{"address", Kind::nonempty_text, 0, 0, "a non-empty host name or IP address such as \"127.0.0.1\""},
          {"port", Kind::integer, 0, 65535, "an integer 0..65535 (0: any free port)"},
          {"io_threads", Kind::integer, 1, 64, "an integer 1..64"},
          {"body_limit_bytes", Kind::integer, 1024, 67108864, "an integer 1024..67108864 (bytes)"}}},
        {"storage",
         {{"engine", Kind::text, 0, 0, kExpEngine},
          {"url", Kind::text, 0, 0, kExpUrl},
          {"url_file", Kind::text, 0, 0, kExpSecretFile},
          {"path", Kind::nonempty_text, 0, 0, "a non-empty file path such as \"var/followupd.db\""},
          {"contacts_key", Kind::text, 0, 0, kExpContactsKey},
          {"contacts_key_file", Kind::text, 0, 0, "a file path (empty: the database's path + \".key\")"},
          {"durability", Kind::text, 0, 0, kExpDurability},
          {"cache_mib", Kind::integer, 1, 4096, "an integer 1..4096 (MiB of SQLite page cache)"},
          {"connections", Kind::integer, 1, 32,
           "an integer 1..32 (database connections, each a storage thread; more than 1 needs storage.engine "
           "\"postgres\")"},
          {"leader_lease_s", Kind::integer, 3, 3600,
           "an integer 3..3600 (seconds a leader's lease and an instance's heartbeat count without renewal)"}}},
        // What is kept only for a while (server/retention.hpp); 0 days: kept forever.
        {"retention",
         {{"seen_events_days", Kind::integer, 0, 3650, kExpSeenEventsDays},
          {"outbox_days", Kind::integer, 0, 36500, "an integer 0..36500 (days; 0: kept forever)"},
          {"audit_days", Kind::integer, 0, 36500, "an integer 0..36500 (days; 0: the audit log is kept forever)"},
          {"batch", Kind::integer, 1, 10000, "an integer 1..10000 (rows deleted per transaction)"},
          {"interval_s", Kind::integer, 60, 604800, "an integer 60..604800 (seconds between two passes)"}}},
        {"web_chat",
         {{"enabled", Kind::boolean, 0, 0, kExpBool},
          {"token", Kind::text, 0, 0, "a string (empty: no token needed)"},
          {"token_file", Kind::text, 0, 0, kExpSecretFile},
          {"auth", Kind::text, 0, 0, kExpAuth},
          {"code_lifetime_s", Kind::integer, 1, 3600, "an integer 1..3600 (seconds a sign-in code or link lasts)"},
          {"session_lifetime_s", Kind::integer, 1, 31536000, "an integer 1..31536000 (seconds a sign-in lasts)"},
          {"secure_cookie", Kind::boolean, 0, 0, kExpBool},
          {"public_url", Kind::text, 0, 0, kExpPublicUrl}}},
        {"defaults",
         {{"time_zone", Kind::time_zone, 0, 0, kExpTimeZone},
          {"lang", Kind::lang, 0, 0, kExpLang},
          {"work_hours", Kind::work_hours, 0, 0, kExpWorkHours},
          {"work_days", Kind::work_days, 0, 0, kExpWorkDays}}},
        {"log",
         {{"level", Kind::log_level, 0, 0, "one of \"trace\", \"debug\", \"info\", \"warn\", \"error\""},
          {"file", Kind::text, 0, 0, "a file path (empty: standard output)"},
          {"format", Kind::text, 0, 0, "\"text\" or \"json\" (one JSON object a line)"},
          {"access", Kind::boolean, 0, 0, kExpBool}}},
        {"reminders", {{"catch_up_min", Kind::integer, 1, 1000, "an integer 1..1000"}}},
        {"demo", {{"seed", Kind::boolean, 0, 0, kExpBool}}},
        {"health",
         {{"platform_failing_s", Kind::integer, 1, 604800,
           "an integer 1..604800 (seconds a platform's sends may fail before /readyz reports it)"}}},
        {"http", {{"proxy", Kind::text, 0, 0, kExpProxy}, {"no_proxy", Kind::text, 0, 0, kExpNoProxy}}},
        limits_section(),
    };
    return specs;
}

// Lists are set in the file only: no environment variable.
bool env_overridable(const KeySpec& k) { return k.kind != Kind::day_list; }

const std::vector<std::string> kLists = {"teams", "users"};

// ---- parsing -----------------------------------------------------------------

// Converts an env value to the JSON type of its key. Bad text fails naming the variable.
json env_value(const KeySpec& spec, const std::string& var, const std::string& text) {
    switch (spec.kind) {
        case Kind::integer: return env_integer(var, text, spec.expected);
        case Kind::boolean: return env_boolean(var, text, spec.expected);
        case Kind::work_days: {
            // A comma-separated list: "mon,tue,wed".
            json days = json::array();
            std::string item;
            std::istringstream in(text);
            while (std::getline(in, item, ',')) {
                auto b = item.find_first_not_of(" \t");
                auto e = item.find_last_not_of(" \t");
                days.push_back(b == std::string::npos ? std::string() : item.substr(b, e - b + 1));
            }
            return days;
        }
        default: return text;
    }
}

// calendar.holidays: "none", "cn" (the built-in calendar) or a holiday file; a
// CalendarError (it names the line) becomes a ConfigError on calendar.holidays.
void check_holidays(const Checker& ck, const std::string& holidays, const json& given) {
    const std::string path = "calendar.holidays";
    if (holidays == "none") return;
    try {
        if (holidays == "cn")
            (void)HolidayCalendar::parse(builtin_holidays_cn());
        else
            (void)HolidayCalendar::load_file(holidays);
    } catch (const CalendarError& e) {
        ck.fail(path, given,
                std::string(holidays == "cn" ? "the built-in calendar to be valid" : "a readable, valid holiday file") +
                    " (" + e.what() + ")");
    }
}

constexpr std::pair<std::string_view, std::string_view> kSecretFileKeys[] = {{"storage", "url"}, {"web_chat", "token"}};

// Where a key's value came from: its env variable, or the key path.
std::string origin(const Checker& ck, const std::string& path) {
    auto it = ck.from_env.find(path);
    return it != ck.from_env.end() ? it->second.first : path;
}

bool secret_file_key(std::string_view section, std::string_view key) {
    for (const auto& [s, k] : kSecretFileKeys)
        if (s == section && k == key) return true;
    return false;
}

// One key of the config's own sections but sop.
void own_key(Config& c, const Checker& ck, const std::string& sname, const std::string& k, const json& v,
             const std::string& path, const KeySpec& ks) {
    const std::string_view exp = ks.expected;
    if (sname == "calendar" && k == "holidays")
        c.holidays = ck.text(v, path, exp, true);
    else if (sname == "server" && k == "address")
        c.address = ck.text(v, path, exp, true);
    else if (sname == "server" && k == "port")
        c.port = static_cast<std::uint16_t>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (sname == "server" && k == "io_threads")
        c.io_threads = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (sname == "server" && k == "body_limit_bytes")
        c.body_limit = static_cast<std::size_t>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (sname == "storage" && k == "engine") {
        c.engine = ck.text(v, path, exp, true);
        if (c.engine != "sqlite" && c.engine != "postgres") ck.fail(path, v, exp);
    } else if (sname == "storage" && k == "url") {
        // May hold a password: never echoed.
        if (!v.is_string()) ck.fail_hidden(path, exp);
        c.storage_url = v.get<std::string>();
        if (!c.storage_url.empty() && c.storage_url.rfind("postgresql://", 0) != 0 &&
            c.storage_url.rfind("postgres://", 0) != 0)
            ck.fail_hidden(path, exp);
    } else if (sname == "storage" && k == "path")
        c.database = ck.text(v, path, exp, true);
    else if (sname == "storage" && k == "contacts_key") {
        if (!v.is_string()) ck.fail_hidden(path, exp);
        c.contacts_key = v.get<std::string>();
        const bool hex =
            c.contacts_key.size() == 64 && std::all_of(c.contacts_key.begin(), c.contacts_key.end(),
                                                       [](unsigned char ch) { return std::isxdigit(ch) != 0; });
        if (!c.contacts_key.empty() && !hex) ck.fail_hidden(path, exp);
    } else if (k.ends_with("_file") && secret_file_key(sname, k.substr(0, k.size() - 5))) {
        // Read into its secret by read_secret_files.
    } else if (sname == "storage" && k == "contacts_key_file")
        c.contacts_key_file = ck.text(v, path, exp, false);
    else if (sname == "storage" && k == "cache_mib")
        c.cache_mib = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (sname == "storage" && k == "connections")
        c.connections = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (sname == "storage" && k == "leader_lease_s")
        c.leader_lease_s = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (sname == "storage" && k == "durability") {
        c.durability = ck.text(v, path, exp, true);
        if (c.durability != "full" && c.durability != "normal") ck.fail(path, v, exp);
    } else if (sname == "web_chat" && k == "enabled")
        c.web_chat = ck.boolean(v, path, exp);
    else if (sname == "web_chat" && k == "token")
        c.web_chat_token = ck.text(v, path, exp, false);
    else if (sname == "web_chat" && k == "auth") {
        c.web_chat_auth = ck.text(v, path, exp, true);
        if (c.web_chat_auth != "auto" && c.web_chat_auth != "signin" && c.web_chat_auth != "pick")
            ck.fail(path, v, exp);
    } else if (sname == "web_chat" && k == "code_lifetime_s")
        c.sign_in_code_s = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (sname == "web_chat" && k == "session_lifetime_s")
        c.session_s = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (sname == "web_chat" && k == "secure_cookie")
        c.secure_cookie = ck.boolean(v, path, exp);
    else if (sname == "web_chat" && k == "public_url") {
        c.public_url = ck.text(v, path, exp, false);
        if (!c.public_url.empty() && c.public_url.rfind("http://", 0) != 0 && c.public_url.rfind("https://", 0) != 0)
            ck.fail(path, v, exp);
        while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
    } else if (sname == "defaults" && k == "time_zone")
        c.time_zone = ck.time_zone(v, path);
    else if (sname == "defaults" && k == "lang")
        c.lang = ck.lang(v, path);
    else if (sname == "defaults" && k == "work_hours")
        std::tie(c.work_start_minute, c.work_end_minute) = ck.work_hours(v, path);
    else if (sname == "defaults" && k == "work_days")
        c.work_days = ck.work_days(v, path);
    else if (sname == "log" && k == "level") {
        c.log_level = ck.text(v, path, exp, true);
        static constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error"};
        if (std::find(std::begin(kLevels), std::end(kLevels), c.log_level) == std::end(kLevels)) ck.fail(path, v, exp);
    } else if (sname == "log" && k == "file")
        c.log_file = ck.text(v, path, exp, false);
    else if (sname == "reminders" && k == "catch_up_min")
        c.catch_up_min = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (sname == "log" && k == "format") {
        c.log_format = ck.text(v, path, exp, true);
        if (c.log_format != "text" && c.log_format != "json") ck.fail(path, v, exp);
    } else if (sname == "log" && k == "access")
        c.log_access = ck.boolean(v, path, exp);
    else if (sname == "demo" && k == "seed")
        c.demo = ck.boolean(v, path, exp);
    else if (sname == "retention" && k == "seen_events_days") {
        c.retention_seen_events_days = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
        if (c.retention_seen_events_days == 1) ck.fail(path, v, exp);
    } else if (sname == "retention" && k == "outbox_days")
        c.retention_outbox_days = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (sname == "retention" && k == "audit_days")
        c.retention_audit_days = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (sname == "retention" && k == "batch")
        c.retention_batch = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (sname == "retention" && k == "interval_s")
        c.retention_interval_s = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (sname == "http" && k == "proxy") {
        // May hold a password: never shown. Its syntax is checked by adapters::outbound_proxy.
        if (!v.is_string()) ck.fail_hidden(path, exp);
        c.https_proxy = c.http_proxy = ProxySetting{origin(ck, path), v.get<std::string>()};
    } else if (sname == "http" && k == "no_proxy")
        c.no_proxy = ProxySetting{origin(ck, path), ck.text(v, path, exp, false)};
    else if (sname == "health" && k == "platform_failing_s")
        c.platform_failing_s = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else
        throw std::logic_error("config: unhandled key " + path);
}

// The top level: an object; the config's own sections are objects; every other
// key but the lists is a chat platform's section, kept as JSON for its adapter.
void read_top_level(Config& c, const Checker& ck, const json& root, const std::string& source) {
    if (!root.is_object())
        throw ConfigError("(file)", source, "a JSON object at the top level, such as {\"server\": {\"port\": 8080}}");
    for (const auto& [k, v] : root.items()) {
        if (const SectionSpec* spec = find_section(k)) {
            if (!v.is_object()) ck.fail(k, v, "an object with the keys " + join(section_keys(*spec)));
        } else if (std::find(kLists.begin(), kLists.end(), k) == kLists.end()) {
            c.platforms[k] = v.dump(-1, ' ', false, json::error_handler_t::replace);
        }
    }
}

// Overrides of the config's own keys go into `root`; every FOLLOWUPD_* variable
// is kept in c.env, where the platforms' sections read theirs.
void apply_env(Config& c, Checker& ck, json& root, const std::map<std::string, std::string>& env) {
    for (const auto& [var, text] : env) {
        if (var.compare(0, kEnvPrefix.size(), kEnvPrefix) != 0) continue;
        c.env.emplace(var, text);
        for (const auto& s : sections())
            for (const auto& k : s.keys)
                if (env_overridable(k) && env_name(s.name, k.key) == var) {
                    std::string sname(s.name), kname(k.key);
                    root[sname][kname] = env_value(k, var, text);
                    ck.from_env[sname + "." + kname] = {var, text};
                }
    }
}

// The secrets of the config's own sections that may come from a file instead
// (`<key>_file`): the file's text replaces the key's value before it is read,
// and an error about it names the _file key.
void read_secret_files(Checker& ck, json& root) {
    for (const auto& [sname, key] : kSecretFileKeys) {
        const std::string s(sname), k(key), fk = k + "_file";
        if (!root.contains(s) || !root[s].is_object() || !root[s].contains(fk)) continue;
        const std::string fpath = s + "." + fk;
        const std::string file = ck.text(root[s][fk], fpath, kExpSecretFile, false);
        if (file.empty()) continue;
        if (root[s].contains(k))
            ck.fail_text(fpath, file, "only one of " + s + "." + k + " and " + fpath + " (both are given)");
        root[s][k] = read_secret_file(fpath, file);
        // The value's errors name the file's key (and never show the value).
        auto env = ck.from_env.find(fpath);
        ck.from_env[s + "." + k] = {
            env != ck.from_env.end() ? env->second.first + " (" + file + ")" : fpath + " (" + file + ")", ""};
    }
}

// Picking who you are is for the demo on this machine only: anywhere else the
// web chat would let anyone who reaches it act as anyone, admins included.
void resolve_web_auth(Config& c, const Checker& ck, const json& root) {
    const bool demo_here = c.demo && loopback_address(c.address);
    const json given = root.contains("web_chat") && root["web_chat"].contains("auth") ? root["web_chat"]["auth"]
                                                                                      : json(c.web_chat_auth);
    if (c.web_chat_auth == "pick" && !demo_here)
        ck.fail("web_chat.auth", given,
                "\"signin\": \"pick\" lets anyone who reaches the web chat act as anyone, so it is only for the "
                "demo (demo.seed true and a loopback server.address such as \"127.0.0.1\"; server.address is \"" +
                    c.address + "\")");
    c.web_chat_pick = c.web_chat_auth == "pick" || (c.web_chat_auth == "auto" && demo_here);
    // The shared token stood in for sign-in; with sign-in it would only be a second password to leak.
    if (!c.web_chat_pick && !c.web_chat_token.empty())
        ck.fail_hidden("web_chat.token",
                       "empty: people sign in (web_chat.auth \"signin\"); the shared token is kept only for the demo's "
                       "pick mode. Remove web_chat.token (or FOLLOWUPD_WEB_CHAT_TOKEN)");
}

// The standard proxy variables, for what the http section leaves unset.
void proxy_env(Config& c, const std::map<std::string, std::string>& env) {
    auto first = [&](std::string_view lower_name, std::string_view upper_name) -> std::optional<ProxySetting> {
        for (auto name : {lower_name, upper_name})
            if (auto it = env.find(std::string(name)); it != env.end() && !it->second.empty())
                return ProxySetting{it->first, it->second};
        return std::nullopt;
    };
    if (!c.https_proxy) c.https_proxy = first("https_proxy", "HTTPS_PROXY");
    if (!c.http_proxy) c.http_proxy = first("http_proxy", "HTTP_PROXY");
    if (!c.no_proxy) c.no_proxy = first("no_proxy", "NO_PROXY");
}

Config build(json root, const std::map<std::string, std::string>& env, const std::string& source) {
    Checker ck;
    Config c;
    read_top_level(c, ck, root, source);
    apply_env(c, ck, root, env);
    read_secret_files(ck, root);

    // The config's own sections, in schema order.
    for (const auto& spec : sections()) {
        std::string sname(spec.name);
        if (!root.contains(sname)) continue;
        const json& sec = root[sname];
        ck.no_unknown_keys(sec, sname, section_keys(spec));
        for (const auto& [k, v] : sec.items()) {
            const KeySpec& ks = key_spec(spec.name, k);
            const std::string path = sname + "." + k;
            if (sname == "sop")
                sop_key(c.sop, ck, k, v, path, ks);
            else if (sname == "limits")
                limits_key(c.limits, ck, k, v, path, ks);
            else
                own_key(c, ck, sname, k, v, path, ks);
        }
    }

    proxy_env(c, env);
    check_limits(c.limits, ck, root);

    // The holiday calendar is parsed now (also the default), so that a bad file stops start-up.
    const json given = root.contains("calendar") && root["calendar"].contains("holidays") ? root["calendar"]["holidays"]
                                                                                          : json(c.holidays);
    check_holidays(ck, c.holidays, given);

    if (c.engine == "postgres" && c.storage_url.empty())
        ck.fail_hidden("storage.url", std::string(kExpUrl) + ", needed with storage.engine \"postgres\"");
    if (c.connections == 0) c.connections = c.engine == "postgres" ? 4 : 1;
    if (c.engine != "postgres" && c.connections > 1)
        ck.fail_hidden("storage.connections",
                       "1 with storage.engine \"sqlite\" (one writer); more than 1 needs storage.engine \"postgres\"");

    resolve_web_auth(c, ck, root);

    if (root.contains("teams")) read_teams(c, ck, root["teams"]);
    if (root.contains("users")) read_users(c, ck, root["users"]);
    return c;
}

}  // namespace

const SectionSpec* find_section(std::string_view name) {
    for (const auto& s : sections())
        if (s.name == name) return &s;
    return nullptr;
}

const KeySpec& key_spec(std::string_view section, std::string_view key) {
    for (const auto& k : find_section(section)->keys)
        if (k.key == key) return k;
    throw std::logic_error("config: no spec for " + std::string(section) + "." + std::string(key));
}

std::vector<std::string> section_keys(const SectionSpec& s) {
    std::vector<std::string> keys;
    for (const auto& k : s.keys) keys.emplace_back(k.key);
    return keys;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> own_sections() {
    std::vector<std::string> names;
    for (const auto& s : sections()) names.emplace_back(s.name);
    return names;
}

std::vector<std::string> own_lists() { return kLists; }

bool loopback_address(std::string_view a) {
    return a == "localhost" || a == "::1" || a == "[::1]" || a.rfind("127.", 0) == 0;
}

std::vector<std::string> own_env_names() {
    std::vector<std::string> names;
    for (const auto& s : sections())
        for (const auto& k : s.keys)
            if (env_overridable(k)) names.push_back(env_name(s.name, k.key));
    return names;
}

bool reserved_env(std::string_view var) {
    return std::find(std::begin(kReservedEnv), std::end(kReservedEnv), var) != std::end(kReservedEnv);
}

Config load_text(const std::string& json_text, const std::map<std::string, std::string>& env) {
    return build(parse_json(json_text, "(text)"), env, "(text)");
}

Config load_file(const std::string& path, const std::map<std::string, std::string>& env) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        int err = errno;
        throw ConfigError("(file)", path,
                          "a readable config file (" + std::string(err ? std::strerror(err) : "cannot open") + ")");
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw ConfigError("(file)", path, "a readable config file (read error)");
    return build(parse_json(text.str(), path), env, path);
}

std::string default_path() {
    std::error_code ec;
    if (std::filesystem::is_regular_file("config/demo.json", ec)) return "config/demo.json";
    return "/etc/followupd/config.json";  // the Debian package's (packaging/package.cmake)
}

std::map<std::string, std::string> process_env() {
    std::map<std::string, std::string> out;
    for (char** e = environ; e && *e; ++e) {
        std::string_view entry(*e);
        auto eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        const bool proxy =
            std::find(std::begin(kProxyEnv), std::end(kProxyEnv), entry.substr(0, eq)) != std::end(kProxyEnv);
        if (!proxy && entry.compare(0, kEnvPrefix.size(), kEnvPrefix) != 0) continue;
        out.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
    return out;
}

}  // namespace fu::config
