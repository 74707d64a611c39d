// Loading and validating followupd's configuration (see docs/CONFIG.md).
//
// The order of work:
//   1. parse the JSON (duplicate keys are refused: they usually hide a typo),
//   2. check the top level: an object, only known sections, sections are objects,
//   3. apply FOLLOWUPD_* overrides from the environment to the scalar keys,
//   4. validate every key; an error names the env variable when the bad value
//      came from the environment, otherwise the full key path.
#include "config/config.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <utility>

#include <date/tz.h>
#include <nlohmann/json.hpp>

#include "core/work_calendar.hpp"

extern char** environ;

namespace fu::config {

namespace {

std::string quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

}  // namespace

ConfigError::ConfigError(std::string key, std::string value, std::string expected)
    : std::runtime_error("config: " + key + " = " + quote(value) + ": expected " + expected),
      key_(std::move(key)),
      value_(std::move(value)),
      expected_(std::move(expected)) {}

namespace {

using nlohmann::json;

constexpr std::string_view kEnvPrefix = "FOLLOWUPD_";
// Reserved for scripts (the binary and the config path); never config keys.
constexpr std::string_view kReservedEnv[] = {"FOLLOWUPD_BIN", "FOLLOWUPD_CONFIG"};

// ---- the schema of the object sections -------------------------------------

enum class Kind { text, nonempty_text, integer, boolean, time_zone, lang, work_hours, work_days, log_level, day_list, holidays };

struct KeySpec {
    std::string_view key;
    Kind kind;
    long long lo = 0, hi = 0;  // integer bounds
    std::string_view expected;
};

struct SectionSpec {
    std::string_view name;
    std::vector<KeySpec> keys;
};

constexpr std::string_view kExpTimeZone = "an IANA time zone such as \"Asia/Shanghai\"";
constexpr std::string_view kExpLang = "\"en\" or \"zh\"";
constexpr std::string_view kExpWorkHours = "\"HH:MM-HH:MM\" with the start before the end, such as \"09:00-18:00\"";
constexpr std::string_view kExpWorkDays =
    "a non-empty list of distinct days from \"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"";
constexpr std::string_view kExpBool = "true or false";
constexpr std::string_view kExpTelegramToken =
    "a bot token from @BotFather such as \"123456:ABC-DEF1234ghIkl\" (characters A-Z a-z 0-9 : _ -)";
constexpr std::string_view kExpApiBase = "an http:// or https:// URL such as \"https://api.telegram.org\"";
constexpr std::string_view kExpSecretToken = "1 to 256 characters from A-Z, a-z, 0-9, \"_\", \"-\" (empty: none)";
constexpr std::string_view kExpSlackToken =
    "a Slack bot token such as \"xoxb-1234-5678-AbCd\" (characters A-Z a-z 0-9 -)";
constexpr std::string_view kExpSlackSecret =
    "the app's signing secret: 1 to 256 characters from A-Z, a-z, 0-9, \"_\", \"-\"";
constexpr std::string_view kExpSlackApiBase = "an http:// or https:// URL such as \"https://slack.com/api\"";
constexpr std::string_view kExpSlackUserId = "empty, or the bot's Slack user id such as \"U0123ABCD\" (A-Z 0-9)";
constexpr std::string_view kExpAppId = "an id of 1 to 128 characters from A-Z a-z 0-9 _ - . such as \"cli_a1b2c3\"";
constexpr std::string_view kExpContactsKey =
    "empty, or 64 hex digits (a 256-bit key, e.g. from `openssl rand -hex 32`)";
constexpr std::string_view kExpSecret = "a secret of 1 to 256 printable ASCII characters without blanks";
constexpr std::string_view kExpOptSecret = "empty, or a secret of up to 256 printable ASCII characters";
constexpr std::string_view kExpRobotCode =
    "empty (then the app_key), or the robot's code: 1 to 128 characters from A-Z a-z 0-9 _ - .";
constexpr std::string_view kExpAesKey = "the 43-character EncodingAESKey (A-Z a-z 0-9)";
constexpr std::string_view kExpDays = "an integer 1..3650 (days)";
constexpr std::string_view kExpHours = "an integer 1..240 (working hours)";
constexpr std::string_view kExpRevisits =
    "a list of up to 12 strictly increasing integers 1..3650 (days after the deal), such as [7, 14, 30, 90]";
constexpr std::size_t kMaxRevisits = 12;
constexpr std::string_view kExpEmailTls = "\"starttls\", \"smtps\" or \"none\" (none: a server on this machine only)";
constexpr std::string_view kExpHolidays =
    "\"cn\" (the built-in mainland China calendar), \"none\" (no holidays) or the path of a holiday file";
// Chat platforms a user may have an identity on; reminders go to one of them or to "web".
constexpr std::string_view kPlatforms[] = {"telegram", "slack", "feishu", "dingtalk", "wecom", "email"};
constexpr std::string_view kExpPlatform =
    "one of \"telegram\", \"slack\", \"feishu\", \"dingtalk\", \"wecom\", \"email\"";

const std::vector<SectionSpec>& sections() {
    static const std::vector<SectionSpec> specs = {
        // The follow-up SOP (core/sop.hpp); teams[i].sop may override any of these for one team.
        {"sop",
         {{"lead_first_response_hours", Kind::integer, 1, 240, kExpHours},
          {"lead_days", Kind::integer, 1, 3650, kExpDays},
          {"new_customer_revisit_days", Kind::day_list, 1, 3650, kExpRevisits},
          {"tier_a_days", Kind::integer, 1, 3650, kExpDays},
          {"tier_b_days", Kind::integer, 1, 3650, kExpDays},
          {"tier_c_days", Kind::integer, 1, 3650, kExpDays},
          {"silent_days", Kind::integer, 1, 3650, kExpDays},
          {"churn_risk_days", Kind::integer, 1, 3650, kExpDays},
          {"low_satisfaction", Kind::integer, 0, 5, "an integer 0..5 (a satisfaction score; 0: no score tightens)"},
          {"tighten_percent", Kind::integer, 1, 100, "an integer 1..100 (percent of the normal interval)"},
          {"second_reminder_working_hours", Kind::integer, 1, 240, kExpHours},
          {"escalate_working_days", Kind::integer, 1, 60, "an integer 1..60 (working days)"},
          {"reclaim_days", Kind::integer, 1, 365, "an integer 1..365 (days)"},
          {"claim_daily_quota", Kind::integer, 0, 1000, "an integer 0..1000 (claims per rep per day; 0: none)"},
          {"reclaim_cooldown_days", Kind::integer, 1, 3650, kExpDays},
          {"daily_digest", Kind::boolean, 0, 0, kExpBool},
          {"weekly_report", Kind::boolean, 0, 0, kExpBool}}},
        {"calendar", {{"holidays", Kind::holidays, 0, 0, kExpHolidays}}},
        {"server",
         {{"address", Kind::nonempty_text, 0, 0, "a non-empty host name or IP address such as \"127.0.0.1\""},
          {"port", Kind::integer, 0, 65535, "an integer 0..65535 (0: any free port)"},
          {"io_threads", Kind::integer, 1, 64, "an integer 1..64"},
          {"body_limit_bytes", Kind::integer, 1024, 67108864, "an integer 1024..67108864 (bytes)"}}},
        {"storage",
         {{"path", Kind::nonempty_text, 0, 0, "a non-empty file path such as \"var/followupd.db\""},
          {"contacts_key", Kind::text, 0, 0, kExpContactsKey},
          {"contacts_key_file", Kind::text, 0, 0, "a file path (empty: the database's path + \".key\")"}}},
        {"web_chat",
         {{"enabled", Kind::boolean, 0, 0, kExpBool},
          {"token", Kind::text, 0, 0, "a string (empty: no token needed)"}}},
        {"defaults",
         {{"time_zone", Kind::time_zone, 0, 0, kExpTimeZone},
          {"lang", Kind::lang, 0, 0, kExpLang},
          {"work_hours", Kind::work_hours, 0, 0, kExpWorkHours},
          {"work_days", Kind::work_days, 0, 0, kExpWorkDays}}},
        {"log", {{"level", Kind::log_level, 0, 0, "one of \"trace\", \"debug\", \"info\", \"warn\", \"error\""}}},
        {"reminders", {{"catch_up_min", Kind::integer, 1, 1000, "an integer 1..1000"}}},
        {"demo", {{"seed", Kind::boolean, 0, 0, kExpBool}}},
        {"telegram",
         {{"enabled", Kind::boolean, 0, 0, kExpBool},
          {"token", Kind::text, 0, 0, kExpTelegramToken},
          {"api_base", Kind::nonempty_text, 0, 0, kExpApiBase},
          {"mode", Kind::nonempty_text, 0, 0, "\"webhook\" or \"polling\""},
          {"secret_token", Kind::text, 0, 0, kExpSecretToken},
          {"poll_timeout_s", Kind::integer, 1, 50, "an integer 1..50 (seconds)"}}},
        {"slack",
         {{"enabled", Kind::boolean, 0, 0, kExpBool},
          {"bot_token", Kind::text, 0, 0, kExpSlackToken},
          {"signing_secret", Kind::text, 0, 0, kExpSlackSecret},
          {"api_base", Kind::nonempty_text, 0, 0, kExpSlackApiBase},
          {"bot_user_id", Kind::text, 0, 0, kExpSlackUserId}}},
        {"feishu",
         {{"enabled", Kind::boolean, 0, 0, kExpBool},
          {"app_id", Kind::text, 0, 0, kExpAppId},
          {"app_secret", Kind::text, 0, 0, kExpSecret},
          {"encrypt_key", Kind::text, 0, 0, kExpOptSecret},
          {"verification_token", Kind::text, 0, 0, kExpOptSecret},
          {"api_base", Kind::nonempty_text, 0, 0, "an http:// or https:// URL such as \"https://open.feishu.cn\""}}},
        {"dingtalk",
         {{"enabled", Kind::boolean, 0, 0, kExpBool},
          {"app_key", Kind::text, 0, 0, kExpAppId},
          {"app_secret", Kind::text, 0, 0, kExpSecret},
          {"robot_code", Kind::text, 0, 0, kExpRobotCode},
          {"api_base", Kind::nonempty_text, 0, 0, "an http:// or https:// URL such as \"https://api.dingtalk.com\""}}},
        {"wecom",
         {{"enabled", Kind::boolean, 0, 0, kExpBool},
          {"corp_id", Kind::text, 0, 0, kExpAppId},
          {"corp_secret", Kind::text, 0, 0, kExpSecret},
          {"agent_id", Kind::integer, 1, 9999999999LL, "the application's AgentId, an integer such as 1000002"},
          {"token", Kind::text, 0, 0, kExpSecret},
          {"encoding_aes_key", Kind::text, 0, 0, kExpAesKey},
          {"api_base", Kind::nonempty_text, 0, 0, "an http:// or https:// URL such as \"https://qyapi.weixin.qq.com\""}}},
        // Checked further by the adapter when it starts (adapters/email: options_problem).
        {"email",
         {{"enabled", Kind::boolean, 0, 0, kExpBool},
          {"host", Kind::text, 0, 0, "the SMTP server's host name, such as \"smtp.example.com\""},
          {"port", Kind::integer, 1, 65535, "an integer 1..65535 (587 for starttls, 465 for smtps)"},
          {"tls", Kind::nonempty_text, 0, 0, kExpEmailTls},
          {"username", Kind::text, 0, 0, "the SMTP login (empty: no AUTH)"},
          {"password", Kind::text, 0, 0, kExpOptSecret},
          {"from", Kind::text, 0, 0, "the sender's address, such as \"followupd@example.com\""},
          {"from_name", Kind::text, 0, 0, "the sender's display name, such as \"Follow-ups\""},
          {"ca_file", Kind::text, 0, 0, "the path of a PEM file of trusted CAs (empty: the system's)"},
          {"timeout_s", Kind::integer, 1, 600, "an integer 1..600 (seconds)"},
          {"per_second", Kind::integer, 1, 100, "an integer 1..100 (messages per second)"},
          {"fallback_after_s", Kind::integer, 0, 86400, "an integer 0..86400 (seconds; 0: no fallback)"}}},
    };
    return specs;
}

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

// Lists are set in the file only: no environment variable.
bool env_overridable(const KeySpec& k) { return k.kind != Kind::day_list; }

const std::vector<std::string_view> kUserKeys = {"handle",    "name", "role",       "team",      "time_zone",
                                                  "lang",      "work_hours", "work_days", "identities", "notify"};

std::string env_name(std::string_view section, std::string_view key) {
    std::string s = std::string(kEnvPrefix) + std::string(section) + "_" + std::string(key);
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

template <class Range>
std::string join(const Range& items, std::string_view sep = ", ") {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += sep;
        out += item;
    }
    return out;
}

std::vector<std::string> top_level_keys() {
    std::vector<std::string> keys;
    for (const auto& s : sections()) keys.emplace_back(s.name);
    keys.emplace_back("teams");
    keys.emplace_back("users");
    return keys;
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

// A value as shown in an error: strings without quotes, the rest as JSON,
// shortened to a readable length (without cutting a UTF-8 sequence).
std::string show(const json& v) {
    std::string s = v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, json::error_handler_t::replace);
    constexpr std::size_t kMax = 80;
    if (s.size() > kMax) {
        std::size_t cut = kMax;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
        s = s.substr(0, cut) + "...";
    }
    return s;
}

constexpr std::string_view kMissing = "(missing)";

// ---- validation context ------------------------------------------------------

class Checker {
public:
    // path ("server.port") -> the env variable and raw text it came from
    std::map<std::string, std::pair<std::string, std::string>> from_env;

    [[noreturn]] void fail(const std::string& path, const json& v, std::string_view expected) const {
        fail_text(path, show(v), expected);
    }

    [[noreturn]] void fail_text(const std::string& path, const std::string& value, std::string_view expected) const {
        for (const auto& [p, source] : from_env) {
            if (path == p || (path.size() > p.size() && path.compare(0, p.size(), p) == 0 && path[p.size()] == '['))
                throw ConfigError(source.first, source.second, std::string(expected));
        }
        throw ConfigError(path, value, std::string(expected));
    }

    // For secrets: the value is never shown, wherever it came from.
    [[noreturn]] void fail_hidden(const std::string& path, std::string_view expected) const {
        for (const auto& [p, source] : from_env)
            if (path == p) throw ConfigError(source.first, "(not shown)", std::string(expected));
        throw ConfigError(path, "(not shown)", std::string(expected));
    }

    void no_unknown_keys(const json& obj, const std::string& prefix, const std::vector<std::string>& allowed) const {
        for (const auto& [k, v] : obj.items()) {
            if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
                fail(prefix.empty() ? k : prefix + "." + k, v, "one of the keys " + join(allowed));
        }
    }

    std::string text(const json& v, const std::string& path, std::string_view expected, bool nonempty) const {
        if (!v.is_string()) fail(path, v, expected);
        auto s = v.get<std::string>();
        if (nonempty && s.empty()) fail(path, v, expected);
        return s;
    }

    long long integer(const json& v, const std::string& path, long long lo, long long hi,
                      std::string_view expected) const {
        if (v.is_number_unsigned()) {
            auto u = v.get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(hi) || static_cast<long long>(u) < lo) fail(path, v, expected);
            return static_cast<long long>(u);
        }
        if (v.is_number_integer()) {
            auto i = v.get<std::int64_t>();
            if (i < lo || i > hi) fail(path, v, expected);
            return i;
        }
        fail(path, v, expected);
    }

    // An http(s) base URL; a trailing "/" is dropped.
    std::string http_url(const json& v, const std::string& path, std::string_view expected) const {
        auto s = text(v, path, expected, true);
        std::string_view rest = s;
        if (rest.starts_with("https://")) rest.remove_prefix(8);
        else if (rest.starts_with("http://")) rest.remove_prefix(7);
        else fail(path, v, expected);
        if (rest.empty() || rest.front() == '/' ||
            std::any_of(s.begin(), s.end(), [](char ch) { return static_cast<unsigned char>(ch) <= 0x20 || ch == '?' || ch == '#'; }))
            fail(path, v, expected);
        while (s.size() > 1 && s.back() == '/') s.pop_back();
        return s;
    }

    bool boolean(const json& v, const std::string& path, std::string_view expected) const {
        if (!v.is_boolean()) fail(path, v, expected);
        return v.get<bool>();
    }

    std::string time_zone(const json& v, const std::string& path) const {
        auto s = text(v, path, kExpTimeZone, true);
        try {
            (void)date::locate_zone(s);
        } catch (const std::exception&) {
            fail(path, v, kExpTimeZone);
        }
        return s;
    }

    Lang lang(const json& v, const std::string& path) const {
        auto s = text(v, path, kExpLang, true);
        auto l = lang_from_code(s);
        if (!l) fail(path, v, kExpLang);
        return *l;
    }

    std::pair<int, int> work_hours(const json& v, const std::string& path) const {
        auto s = text(v, path, kExpWorkHours, true);
        auto two = [&](std::size_t at) -> int {
            if (!std::isdigit(static_cast<unsigned char>(s[at])) || !std::isdigit(static_cast<unsigned char>(s[at + 1])))
                fail(path, v, kExpWorkHours);
            return (s[at] - '0') * 10 + (s[at + 1] - '0');
        };
        if (s.size() != 11 || s[2] != ':' || s[5] != '-' || s[8] != ':') fail(path, v, kExpWorkHours);
        int sh = two(0), sm = two(3), eh = two(6), em = two(9);
        if (sh > 23 || sm > 59 || em > 59 || eh > 24 || (eh == 24 && em != 0)) fail(path, v, kExpWorkHours);
        int start = sh * 60 + sm, end = eh * 60 + em;
        if (start >= end) fail(path, v, kExpWorkHours);
        return {start, end};
    }

    std::uint8_t work_days(const json& v, const std::string& path) const {
        static constexpr std::string_view kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
        if (!v.is_array() || v.empty()) fail(path, v, kExpWorkDays);
        std::uint8_t bits = 0;
        for (std::size_t i = 0; i < v.size(); ++i) {
            const auto item_path = path + "[" + std::to_string(i) + "]";
            const auto& item = v[i];
            if (!item.is_string()) fail(item_path, item, kExpWorkDays);
            auto s = item.get<std::string>();
            auto it = std::find(std::begin(kDays), std::end(kDays), s);
            if (it == std::end(kDays)) fail(item_path, item, kExpWorkDays);
            auto bit = static_cast<std::uint8_t>(1u << (it - std::begin(kDays)));
            if (bits & bit) fail(item_path, item, std::string(kExpWorkDays) + " (\"" + s + "\" is listed twice)");
            bits |= bit;
        }
        return bits;
    }

    // A list of at most kMaxRevisits strictly increasing integers lo..hi; an item's error names its index.
    std::vector<int> day_list(const json& v, const std::string& path, long long lo, long long hi,
                              std::string_view expected) const {
        if (!v.is_array()) fail(path, v, expected);
        std::vector<int> days;
        for (std::size_t i = 0; i < v.size(); ++i) {
            const auto item_path = path + "[" + std::to_string(i) + "]";
            if (i >= kMaxRevisits)
                fail(item_path, v[i], std::string(expected) + " (at most " + std::to_string(kMaxRevisits) + " items)");
            auto n = static_cast<int>(integer(v[i], item_path, lo, hi, expected));
            if (!days.empty() && n <= days.back())
                fail(item_path, v[i],
                     std::string(expected) + " (" + std::to_string(n) + " is not greater than the item before it, " +
                         std::to_string(days.back()) + ")");
            days.push_back(n);
        }
        return days;
    }
};

// ---- parsing -----------------------------------------------------------------

// Parses JSON, refusing duplicate keys (nlohmann would silently keep the last).
json parse_json(const std::string& text, const std::string& source) {
    struct Frame {
        bool object;
        std::vector<std::string> keys;
        std::size_t count = 0;  // array elements seen
    };
    std::vector<Frame> stack;
    std::string duplicate;
    auto path = [&] {
        std::string p;
        for (const auto& f : stack) {
            if (f.object) {
                if (!f.keys.empty()) p += (p.empty() ? "" : ".") + f.keys.back();
            } else {
                p += "[" + std::to_string(f.count == 0 ? 0 : f.count - 1) + "]";
            }
        }
        return p;
    };
    auto element = [&] {
        if (!stack.empty() && !stack.back().object) ++stack.back().count;
    };
    json::parser_callback_t cb = [&](int, json::parse_event_t event, json& parsed) {
        using E = json::parse_event_t;
        switch (event) {
            case E::object_start:
                element();
                stack.push_back({true, {}, 0});
                break;
            case E::array_start:
                element();
                stack.push_back({false, {}, 0});
                break;
            case E::object_end:
            case E::array_end:
                if (!stack.empty()) stack.pop_back();
                break;
            case E::key: {
                auto k = parsed.get<std::string>();
                auto& keys = stack.back().keys;
                if (duplicate.empty() && std::find(keys.begin(), keys.end(), k) != keys.end()) {
                    keys.push_back(k);
                    duplicate = path();
                } else {
                    keys.push_back(k);
                }
                break;
            }
            case E::value:
                element();
                break;
        }
        return true;
    };
    json root;
    try {
        root = json::parse(text, cb);
    } catch (const json::parse_error& e) {
        std::string msg = e.what();
        if (auto pos = msg.find("] "); msg.rfind("[json.exception.", 0) == 0 && pos != std::string::npos)
            msg = msg.substr(pos + 2);
        throw ConfigError("(file)", source, "valid JSON (" + msg + ")");
    }
    if (!duplicate.empty()) throw ConfigError("(file)", source, "each key once per object; \"" + duplicate + "\" appears twice");
    return root;
}

// Converts an env value to the JSON type of its key. Bad text fails naming the variable.
json env_value(const KeySpec& spec, const std::string& var, const std::string& text) {
    switch (spec.kind) {
        case Kind::integer: {
            long long n = 0;
            const char* first = text.data();
            const char* last = text.data() + text.size();
            auto [ptr, ec] = std::from_chars(first, last, n);
            if (text.empty() || ec != std::errc() || ptr != last) throw ConfigError(var, text, std::string(spec.expected));
            return n;
        }
        case Kind::boolean: {
            auto t = lower(text);
            if (t == "true" || t == "1" || t == "yes" || t == "on") return true;
            if (t == "false" || t == "0" || t == "no" || t == "off") return false;
            throw ConfigError(var, text, std::string(spec.expected) + " (also 1/0, yes/no, on/off)");
        }
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
        default:
            return text;
    }
}

// feishu.*, dingtalk.*, wecom.*: ids, secrets (never shown in errors) and URLs.
void platform_key(Config& c, const Checker& ck, std::string_view sname, std::string_view k, const json& v,
                  const std::string& path, const KeySpec& ks) {
    const auto exp = ks.expected;
    auto id = [&](bool optional) {
        auto s = ck.text(v, path, exp, !optional);
        if (s.size() > 128 || !std::all_of(s.begin(), s.end(), [](char ch) {
                return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.';
            }))
            ck.fail(path, v, exp);
        return s;
    };
    auto secret = [&](bool optional, char lowest = 0x21) {
        if (!v.is_string()) ck.fail_hidden(path, exp);
        auto s = v.get<std::string>();
        if ((!optional && s.empty()) || s.size() > 256 ||
            !std::all_of(s.begin(), s.end(), [lowest](char ch) { return ch >= lowest && ch < 0x7f; }))
            ck.fail_hidden(path, exp);
        return s;
    };
    if (sname == "feishu") {
        auto& f = c.feishu;
        if (k == "enabled") f.enabled = ck.boolean(v, path, exp);
        else if (k == "app_id") f.app_id = id(false);
        else if (k == "app_secret") f.app_secret = secret(false);
        else if (k == "encrypt_key") f.encrypt_key = secret(true, 0x20);  // may contain blanks
        else if (k == "verification_token") f.verification_token = secret(true);
        else if (k == "api_base") f.api_base = ck.http_url(v, path, exp);
        else throw std::logic_error("config: unhandled key " + path);
    } else if (sname == "dingtalk") {
        auto& d = c.dingtalk;
        if (k == "enabled") d.enabled = ck.boolean(v, path, exp);
        else if (k == "app_key") d.app_key = id(false);
        else if (k == "app_secret") d.app_secret = secret(false);
        else if (k == "robot_code") d.robot_code = id(true);
        else if (k == "api_base") d.api_base = ck.http_url(v, path, exp);
        else throw std::logic_error("config: unhandled key " + path);
    } else {
        auto& w = c.wecom;
        if (k == "enabled") w.enabled = ck.boolean(v, path, exp);
        else if (k == "corp_id") w.corp_id = id(false);
        else if (k == "corp_secret") w.corp_secret = secret(false);
        else if (k == "agent_id") w.agent_id = ck.integer(v, path, ks.lo, ks.hi, exp);
        else if (k == "token") w.token = secret(false);
        else if (k == "encoding_aes_key") {
            w.encoding_aes_key = secret(false);
            if (w.encoding_aes_key.size() != 43 || !std::all_of(w.encoding_aes_key.begin(), w.encoding_aes_key.end(), [](char ch) {
                    return std::isalnum(static_cast<unsigned char>(ch));
                }))
                ck.fail_hidden(path, exp);
        } else if (k == "api_base") w.api_base = ck.http_url(v, path, exp);
        else throw std::logic_error("config: unhandled key " + path);
    }
}

// email.*: types and ranges; the adapter checks addresses and the TLS rule when it starts.
void email_key(EmailConfig& e, const Checker& ck, std::string_view k, const json& v, const std::string& path,
               const KeySpec& ks) {
    const auto exp = ks.expected;
    if (k == "enabled") e.enabled = ck.boolean(v, path, exp);
    else if (k == "port") e.port = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (k == "timeout_s") e.timeout_s = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (k == "per_second") e.per_second = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (k == "fallback_after_s") e.fallback_after_s = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
    else if (k == "password") {
        if (!v.is_string()) ck.fail_hidden(path, exp);
        e.password = v.get<std::string>();
    } else {
        std::string s = ck.text(v, path, exp, false);
        if (s.find_first_of("\r\n") != std::string::npos) ck.fail(path, v, exp);
        if (k == "tls" && s != "starttls" && s != "smtps" && s != "none") ck.fail(path, v, exp);
        std::string* field = k == "host" ? &e.host : k == "tls" ? &e.tls : k == "username" ? &e.username
                           : k == "from" ? &e.from : k == "from_name" ? &e.from_name : k == "ca_file" ? &e.ca_file
                                                                                          : nullptr;
        if (!field) throw std::logic_error("config: unhandled key " + path);
        *field = std::move(s);
    }
}

// sop.* and teams[i].sop.*: one SOP rule, validated against the sop section's spec.
void sop_key(SopRules& r, const Checker& ck, std::string_view k, const json& v, const std::string& path,
             const KeySpec& ks) {
    const auto exp = ks.expected;
    if (ks.kind == Kind::day_list) {
        r.new_customer_revisit_days = ck.day_list(v, path, ks.lo, ks.hi, exp);
        return;
    }
    if (ks.kind == Kind::boolean) {
        const bool b = ck.boolean(v, path, exp);
        if (k == "daily_digest") r.daily_digest = b;
        else if (k == "weekly_report") r.weekly_report = b;
        else throw std::logic_error("config: unhandled key " + path);
        return;
    }
    static constexpr std::pair<std::string_view, int SopRules::*> kInts[] = {
        {"lead_first_response_hours", &SopRules::lead_first_response_hours},
        {"lead_days", &SopRules::lead_days},
        {"tier_a_days", &SopRules::tier_a_days},
        {"tier_b_days", &SopRules::tier_b_days},
        {"tier_c_days", &SopRules::tier_c_days},
        {"silent_days", &SopRules::silent_days},
        {"churn_risk_days", &SopRules::churn_risk_days},
        {"low_satisfaction", &SopRules::low_satisfaction},
        {"tighten_percent", &SopRules::tighten_percent},
        {"second_reminder_working_hours", &SopRules::second_reminder_working_hours},
        {"escalate_working_days", &SopRules::escalate_working_days},
        {"reclaim_days", &SopRules::reclaim_days},
        {"claim_daily_quota", &SopRules::claim_daily_quota},
        {"reclaim_cooldown_days", &SopRules::reclaim_cooldown_days},
    };
    for (const auto& [key, field] : kInts) {
        if (key == k) {
            r.*field = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
            return;
        }
    }
    throw std::logic_error("config: unhandled key " + path);
}

// calendar.holidays: "none", "cn" (the built-in calendar) or a holiday file; a
// CalendarError (it names the line) becomes a ConfigError on calendar.holidays.
void check_holidays(const Checker& ck, const std::string& holidays, const json& given) {
    const std::string path = "calendar.holidays";
    if (holidays == "none") return;
    try {
        if (holidays == "cn") (void)HolidayCalendar::parse(builtin_holidays_cn());
        else (void)HolidayCalendar::load_file(holidays);
    } catch (const CalendarError& e) {
        ck.fail(path, given,
                std::string(holidays == "cn" ? "the built-in calendar to be valid" : "a readable, valid holiday file") +
                    " (" + e.what() + ")");
    }
}

// A platform that is enabled needs these keys.
void require_when_enabled(const Checker& ck, const json& root, std::string_view section, std::string_view key,
                          bool missing, std::string_view expected) {
    if (!missing) return;
    const std::string s(section), k(key);
    const bool given = root.contains(s) && root[s].is_object() && root[s].contains(k);
    ck.fail_text(s + "." + k, given ? "" : std::string(kMissing),
                 std::string(expected) + " (required when " + s + ".enabled is true)");
}

Config build(json root, const std::map<std::string, std::string>& env, const std::string& source) {
    Checker ck;
    if (!root.is_object()) throw ConfigError("(file)", source, "a JSON object at the top level, such as {\"server\": {\"port\": 8080}}");

    // Top level: known keys; sections are objects.
    ck.no_unknown_keys(root, "", top_level_keys());
    for (const auto& spec : sections()) {
        std::string name(spec.name);
        if (root.contains(name) && !root[name].is_object())
            ck.fail(name, root[name], "an object with the keys " + join(section_keys(spec)));
    }

    // Environment overrides.
    for (const auto& [var, text] : env) {
        if (var.compare(0, kEnvPrefix.size(), kEnvPrefix) != 0) continue;
        if (std::find(std::begin(kReservedEnv), std::end(kReservedEnv), var) != std::end(kReservedEnv)) continue;
        const SectionSpec* section = nullptr;
        const KeySpec* key = nullptr;
        for (const auto& s : sections())
            for (const auto& k : s.keys)
                if (env_overridable(k) && env_name(s.name, k.key) == var) section = &s, key = &k;
        if (!key) {
            std::vector<std::string> known;
            for (const auto& s : sections())
                for (const auto& k : s.keys)
                    if (env_overridable(k)) known.push_back(env_name(s.name, k.key));
            // The value is not shown: a misspelt variable may well hold a secret.
            throw ConfigError(var, "(not shown)",
                              "a known variable: " + join(known) + " (or FOLLOWUPD_BIN, FOLLOWUPD_CONFIG for scripts)");
        }
        std::string sname(section->name), kname(key->key);
        root[sname][kname] = env_value(*key, var, text);
        ck.from_env[sname + "." + kname] = {var, text};
    }

    Config c;
    // Sections, in schema order.
    for (const auto& spec : sections()) {
        std::string sname(spec.name);
        if (!root.contains(sname)) continue;
        const json& sec = root[sname];
        ck.no_unknown_keys(sec, sname, section_keys(spec));
        for (const auto& [k, v] : sec.items()) {
            const KeySpec& ks = key_spec(spec.name, k);
            const std::string path = sname + "." + k;
            const std::string_view exp = ks.expected;
            if (sname == "sop") sop_key(c.sop, ck, k, v, path, ks);
            else if (sname == "calendar" && k == "holidays") c.holidays = ck.text(v, path, exp, true);
            else if (sname == "server" && k == "address") c.address = ck.text(v, path, exp, true);
            else if (sname == "server" && k == "port") c.port = static_cast<std::uint16_t>(ck.integer(v, path, ks.lo, ks.hi, exp));
            else if (sname == "server" && k == "io_threads") c.io_threads = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
            else if (sname == "server" && k == "body_limit_bytes") c.body_limit = static_cast<std::size_t>(ck.integer(v, path, ks.lo, ks.hi, exp));
            else if (sname == "storage" && k == "path") c.database = ck.text(v, path, exp, true);
            else if (sname == "storage" && k == "contacts_key") {
                if (!v.is_string()) ck.fail_hidden(path, exp);
                c.contacts_key = v.get<std::string>();
                const bool hex = c.contacts_key.size() == 64 &&
                                 std::all_of(c.contacts_key.begin(), c.contacts_key.end(),
                                             [](unsigned char ch) { return std::isxdigit(ch) != 0; });
                if (!c.contacts_key.empty() && !hex) ck.fail_hidden(path, exp);
            } else if (sname == "storage" && k == "contacts_key_file") c.contacts_key_file = ck.text(v, path, exp, false);
            else if (sname == "web_chat" && k == "enabled") c.web_chat = ck.boolean(v, path, exp);
            else if (sname == "web_chat" && k == "token") c.web_chat_token = ck.text(v, path, exp, false);
            else if (sname == "defaults" && k == "time_zone") c.time_zone = ck.time_zone(v, path);
            else if (sname == "defaults" && k == "lang") c.lang = ck.lang(v, path);
            else if (sname == "defaults" && k == "work_hours") std::tie(c.work_start_minute, c.work_end_minute) = ck.work_hours(v, path);
            else if (sname == "defaults" && k == "work_days") c.work_days = ck.work_days(v, path);
            else if (sname == "log" && k == "level") {
                c.log_level = ck.text(v, path, exp, true);
                static constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error"};
                if (std::find(std::begin(kLevels), std::end(kLevels), c.log_level) == std::end(kLevels)) ck.fail(path, v, exp);
            } else if (sname == "reminders" && k == "catch_up_min") c.catch_up_min = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
            else if (sname == "demo" && k == "seed") c.demo = ck.boolean(v, path, exp);
            else if (sname == "telegram" && k == "enabled") c.telegram.enabled = ck.boolean(v, path, exp);
            else if (sname == "telegram" && k == "token") {
                if (!v.is_string()) ck.fail_hidden(path, exp);
                c.telegram.token = v.get<std::string>();
                if (!std::all_of(c.telegram.token.begin(), c.telegram.token.end(), [](char ch) {
                        return std::isalnum(static_cast<unsigned char>(ch)) || ch == ':' || ch == '_' || ch == '-';
                    }))
                    ck.fail_hidden(path, exp);
            } else if (sname == "telegram" && k == "api_base") c.telegram.api_base = ck.http_url(v, path, exp);
            else if (sname == "telegram" && k == "mode") {
                c.telegram.mode = ck.text(v, path, exp, true);
                if (c.telegram.mode != "webhook" && c.telegram.mode != "polling") ck.fail(path, v, exp);
            } else if (sname == "telegram" && k == "secret_token") {
                if (!v.is_string()) ck.fail_hidden(path, exp);
                c.telegram.secret_token = v.get<std::string>();
                if (c.telegram.secret_token.size() > 256 ||
                    !std::all_of(c.telegram.secret_token.begin(), c.telegram.secret_token.end(), [](char ch) {
                        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
                    }))
                    ck.fail_hidden(path, exp);
            } else if (sname == "telegram" && k == "poll_timeout_s")
                c.telegram.poll_timeout_s = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
            else if (sname == "slack" && k == "enabled") c.slack.enabled = ck.boolean(v, path, exp);
            else if (sname == "slack" && k == "bot_token") {
                if (!v.is_string()) ck.fail_hidden(path, exp);
                c.slack.bot_token = v.get<std::string>();
                if (c.slack.bot_token.size() > 512 ||
                    !std::all_of(c.slack.bot_token.begin(), c.slack.bot_token.end(), [](char ch) {
                        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-';
                    }))
                    ck.fail_hidden(path, exp);
            } else if (sname == "slack" && k == "signing_secret") {
                if (!v.is_string()) ck.fail_hidden(path, exp);
                c.slack.signing_secret = v.get<std::string>();
                if (c.slack.signing_secret.size() > 256 ||
                    !std::all_of(c.slack.signing_secret.begin(), c.slack.signing_secret.end(), [](char ch) {
                        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
                    }))
                    ck.fail_hidden(path, exp);
            } else if (sname == "slack" && k == "api_base") c.slack.api_base = ck.http_url(v, path, exp);
            else if (sname == "slack" && k == "bot_user_id") {
                c.slack.bot_user_id = ck.text(v, path, exp, false);
                if (c.slack.bot_user_id.size() > 32 ||
                    !std::all_of(c.slack.bot_user_id.begin(), c.slack.bot_user_id.end(), [](char ch) {
                        return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
                    }))
                    ck.fail(path, v, exp);
            } else if (sname == "feishu" || sname == "dingtalk" || sname == "wecom")
                platform_key(c, ck, sname, k, v, path, ks);
            else if (sname == "email") email_key(c.email, ck, k, v, path, ks);
            else throw std::logic_error("config: unhandled key " + path);
        }
    }

    // The holiday calendar is parsed now (also the default), so that a bad file stops start-up.
    {
        const json given = root.contains("calendar") && root["calendar"].contains("holidays")
                               ? root["calendar"]["holidays"]
                               : json(c.holidays);
        check_holidays(ck, c.holidays, given);
    }

    if (c.telegram.enabled && c.telegram.token.empty()) {
        const bool given = root.contains("telegram") && root["telegram"].contains("token");
        ck.fail_text("telegram.token", given ? "" : std::string(kMissing),
                     std::string(kExpTelegramToken) + " (required when telegram.enabled is true)");
    }

    if (c.slack.enabled) {
        const json* slack = root.contains("slack") ? &root["slack"] : nullptr;
        if (c.slack.bot_token.empty())
            ck.fail_text("slack.bot_token", slack && slack->contains("bot_token") ? "" : std::string(kMissing),
                         std::string(kExpSlackToken) + " (required when slack.enabled is true)");
        if (c.slack.signing_secret.empty())
            ck.fail_text("slack.signing_secret",
                         slack && slack->contains("signing_secret") ? "" : std::string(kMissing),
                         std::string(kExpSlackSecret) + " (required when slack.enabled is true)");
    }

    if (c.feishu.enabled) {
        require_when_enabled(ck, root, "feishu", "app_id", c.feishu.app_id.empty(), kExpAppId);
        require_when_enabled(ck, root, "feishu", "app_secret", c.feishu.app_secret.empty(), kExpSecret);
        require_when_enabled(ck, root, "feishu", "encrypt_key",
                             c.feishu.encrypt_key.empty() && c.feishu.verification_token.empty(),
                             "an Encrypt Key, or else a verification_token");
    }
    if (c.dingtalk.enabled) {
        require_when_enabled(ck, root, "dingtalk", "app_key", c.dingtalk.app_key.empty(), kExpAppId);
        require_when_enabled(ck, root, "dingtalk", "app_secret", c.dingtalk.app_secret.empty(), kExpSecret);
    }
    if (c.dingtalk.robot_code.empty()) c.dingtalk.robot_code = c.dingtalk.app_key;
    if (c.wecom.enabled) {
        require_when_enabled(ck, root, "wecom", "corp_id", c.wecom.corp_id.empty(), kExpAppId);
        require_when_enabled(ck, root, "wecom", "corp_secret", c.wecom.corp_secret.empty(), kExpSecret);
        require_when_enabled(ck, root, "wecom", "agent_id", c.wecom.agent_id == 0,
                             "the application's AgentId, an integer such as 1000002");
        require_when_enabled(ck, root, "wecom", "token", c.wecom.token.empty(), kExpSecret);
        require_when_enabled(ck, root, "wecom", "encoding_aes_key", c.wecom.encoding_aes_key.empty(), kExpAesKey);
    }

    if (c.email.enabled) {
        require_when_enabled(ck, root, "email", "host", c.email.host.empty(), key_spec("email", "host").expected);
        require_when_enabled(ck, root, "email", "from", c.email.from.empty(), key_spec("email", "from").expected);
    }

    // teams: a name, or an object {"name", "sop"} whose sop keys apply on top of the sop section.
    if (root.contains("teams")) {
        const json& teams = root["teams"];
        constexpr std::string_view kExpTeams =
            "a list of team names such as [\"East Sales\"] or of team objects such as "
            "[{\"name\": \"East Sales\", \"sop\": {\"tier_a_days\": 5}}]";
        constexpr std::string_view kExpTeam =
            "a non-empty team name such as \"East Sales\", or an object such as "
            "{\"name\": \"East Sales\", \"sop\": {\"tier_a_days\": 5}}";
        constexpr std::string_view kExpTeamName = "a non-empty team name such as \"East Sales\"";
        if (!teams.is_array()) ck.fail("teams", teams, kExpTeams);
        const std::vector<std::string> team_keys = {"name", "sop"};
        const auto sop_keys = section_keys(*find_section("sop"));
        std::map<std::string, std::size_t> seen;  // lower-cased name -> index
        for (std::size_t i = 0; i < teams.size(); ++i) {
            const auto path = "teams[" + std::to_string(i) + "]";
            const json& t = teams[i];
            SopRules rules = c.sop;
            std::string name_path = path;
            const json* name_value = &t;
            if (t.is_object()) {
                ck.no_unknown_keys(t, path, team_keys);
                name_path = path + ".name";
                if (!t.contains("name")) ck.fail_text(name_path, std::string(kMissing), kExpTeamName);
                name_value = &t.at("name");
                if (t.contains("sop")) {
                    const json& overrides = t.at("sop");
                    const auto sop_path = path + ".sop";
                    if (!overrides.is_object())
                        ck.fail(sop_path, overrides, "an object with some of the keys " + join(sop_keys));
                    ck.no_unknown_keys(overrides, sop_path, sop_keys);
                    for (const auto& [k, v] : overrides.items())
                        sop_key(rules, ck, k, v, sop_path + "." + k, key_spec("sop", k));
                }
            }
            auto name = ck.text(*name_value, name_path, t.is_object() ? kExpTeamName : kExpTeam, true);
            auto [it, fresh] = seen.emplace(lower(name), i);
            if (!fresh)
                ck.fail(name_path, *name_value,
                        "a team name not listed before (teams[" + std::to_string(it->second) + "] is the same)");
            c.team_sop.emplace(name, std::move(rules));
            c.teams.push_back(std::move(name));
        }
    }

    // users
    if (root.contains("users")) {
        const json& users = root["users"];
        if (!users.is_array())
            ck.fail("users", users, "a list of users such as [{\"handle\": \"wang\", \"role\": \"rep\", \"team\": \"East Sales\"}]");
        std::vector<std::string> allowed(kUserKeys.begin(), kUserKeys.end());
        std::map<std::string, std::size_t> seen;  // lower-cased handle -> index
        std::map<std::string, std::size_t> identity_owner;  // "platform\nid" -> index
        for (std::size_t i = 0; i < users.size(); ++i) {
            const auto base = "users[" + std::to_string(i) + "]";
            const json& u = users[i];
            if (!u.is_object()) ck.fail(base, u, "an object with the keys " + join(allowed));
            ck.no_unknown_keys(u, base, allowed);
            UserConfig uc;

            constexpr std::string_view kExpHandle =
                "a handle of 1 to 32 characters from a-z, 0-9, \"_\", \".\", \"-\", such as \"wang\"";
            if (!u.contains("handle")) ck.fail_text(base + ".handle", std::string(kMissing), kExpHandle);
            uc.handle = ck.text(u["handle"], base + ".handle", kExpHandle, true);
            if (uc.handle.size() > 32 || !std::all_of(uc.handle.begin(), uc.handle.end(), [](char ch) {
                    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
                }))
                ck.fail(base + ".handle", u["handle"], kExpHandle);
            if (auto [it, fresh] = seen.emplace(lower(uc.handle), i); !fresh)
                ck.fail(base + ".handle", u["handle"],
                        "a handle no other user has (users[" + std::to_string(it->second) + "] has it)");

            uc.name = uc.handle;
            if (u.contains("name")) uc.name = ck.text(u["name"], base + ".name", "a non-empty display name", true);

            constexpr std::string_view kExpRole = "one of \"rep\", \"manager\", \"admin\"";
            if (u.contains("role")) {
                auto r = role_from_code(ck.text(u["role"], base + ".role", kExpRole, true));
                if (!r) ck.fail(base + ".role", u["role"], kExpRole);
                uc.role = *r;
            }

            const std::string exp_team = c.teams.empty()
                ? std::string("a team listed in teams (teams is empty)")
                : "one of the teams listed in teams: " + [&] {
                      std::vector<std::string> q;
                      for (const auto& t : c.teams) q.push_back("\"" + t + "\"");
                      return join(q);
                  }();
            if (u.contains("team")) {
                uc.team = ck.text(u["team"], base + ".team", exp_team, true);
                if (std::find(c.teams.begin(), c.teams.end(), uc.team) == c.teams.end())
                    ck.fail(base + ".team", u["team"], exp_team);
            } else if (uc.role != Role::admin) {
                ck.fail_text(base + ".team", std::string(kMissing),
                             exp_team + " (a " + std::string(code(uc.role)) + " needs a team)");
            }

            uc.time_zone = u.contains("time_zone") ? ck.time_zone(u["time_zone"], base + ".time_zone") : c.time_zone;
            if (u.contains("lang")) uc.lang = ck.lang(u["lang"], base + ".lang");
            if (u.contains("work_hours")) {
                auto [s, e] = ck.work_hours(u["work_hours"], base + ".work_hours");
                uc.work_start_minute = s;
                uc.work_end_minute = e;
            }
            if (u.contains("work_days")) uc.work_days = ck.work_days(u["work_days"], base + ".work_days");

            if (u.contains("identities")) {
                const json& ids = u["identities"];
                const std::string ipath = base + ".identities";
                if (!ids.is_object())
                    ck.fail(ipath, ids, "an object of platform -> user id there, such as {\"telegram\": \"123456789\"}");
                for (const auto& [platform, id] : ids.items()) {
                    const std::string ppath = ipath + "." + platform;
                    if (std::find(std::begin(kPlatforms), std::end(kPlatforms), platform) == std::end(kPlatforms))
                        ck.fail(ppath, id, "a platform name as the key: " + std::string(kExpPlatform));
                    auto value = ck.text(id, ppath, "a non-empty string: the user's id on " + platform, true);
                    auto [it, fresh] = identity_owner.emplace(platform + "\n" + value, i);
                    if (!fresh)
                        ck.fail(ppath, id, "an id no other user has (users[" + std::to_string(it->second) + "] has it)");
                    uc.identities.emplace(platform, std::move(value));
                }
            }
            if (u.contains("notify")) {
                const std::string npath = base + ".notify";
                const std::string exp_notify = "\"web\" or " + std::string(kExpPlatform);
                uc.notify = ck.text(u["notify"], npath, exp_notify, true);
                if (uc.notify != "web") {
                    if (std::find(std::begin(kPlatforms), std::end(kPlatforms), uc.notify) == std::end(kPlatforms))
                        ck.fail(npath, u["notify"], exp_notify);
                    if (!uc.identities.count(uc.notify))
                        ck.fail(npath, u["notify"],
                                "\"web\" or a platform in " + base + ".identities (no " + uc.notify + " id is given)");
                }
            }
            c.users.push_back(std::move(uc));
        }
    }
    return c;
}

}  // namespace

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

std::map<std::string, std::string> process_env() {
    std::map<std::string, std::string> out;
    for (char** e = environ; e && *e; ++e) {
        std::string_view entry(*e);
        if (entry.compare(0, kEnvPrefix.size(), kEnvPrefix) != 0) continue;
        auto eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        out.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
    return out;
}

}  // namespace fu::config
