#pragma once
// The checks every config section shares: a value's JSON type, range and
// shape, and errors that name the key, or the environment variable the value
// came from. config.cpp uses them for its own sections; the adapters' section
// reader (adapters/section.hpp) for the chat platforms' sections.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/config.hpp"
#include "core/model.hpp"

namespace fu::config {

// The value shown for a required key that neither the file nor the environment gives.
inline constexpr std::string_view kMissing = "(missing)";
inline constexpr std::string_view kExpBool = "true or false";
inline constexpr std::string_view kExpTimeZone = "an IANA time zone such as \"Asia/Shanghai\"";
inline constexpr std::string_view kExpLang = "\"en\" or \"zh\"";
inline constexpr std::string_view kExpWorkHours =
    "\"HH:MM-HH:MM\" with the start before the end, such as \"09:00-18:00\"";
inline constexpr std::string_view kExpWorkDays =
    "a non-empty list of distinct days from \"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"";

// Parses a config's JSON, refusing a key given twice in one object (nlohmann
// would silently keep the last); `source` names the file in errors.
nlohmann::json parse_json(const std::string& text, const std::string& source);

// A value as shown in an error: strings without quotes, the rest as JSON,
// shortened to a readable length (without cutting a UTF-8 sequence).
std::string show(const nlohmann::json& v);

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");

// FOLLOWUPD_ + the key path in upper case, dots as underscores: env_name("web_chat", "token")
// is FOLLOWUPD_WEB_CHAT_TOKEN.
std::string env_name(std::string_view section, std::string_view key);

// A secret kept in a file, named by a `<key>_file` key (Docker secrets,
// systemd's LoadCredential=): the file's text without its trailing line
// break. A relative path is read from $CREDENTIALS_DIRECTORY when systemd set
// it, else from the current directory. Throws a ConfigError naming
// `key_path` and the file (never its contents) when it cannot be read, is
// empty or is larger than 64 KiB.
std::string read_secret_file(const std::string& key_path, const std::string& file);

// An environment variable's text as the key's type; bad text fails naming the variable.
long long env_integer(const std::string& var, const std::string& text, std::string_view expected);
bool env_boolean(const std::string& var, const std::string& text, std::string_view expected);

class Checker {
public:
    // path ("server.port") -> the env variable and raw text it came from
    std::map<std::string, std::pair<std::string, std::string>> from_env;

    [[noreturn]] void fail(const std::string& path, const nlohmann::json& v, std::string_view expected) const;
    [[noreturn]] void fail_text(const std::string& path, const std::string& value, std::string_view expected) const;
    // For secrets: the value is never shown, wherever it came from.
    [[noreturn]] void fail_hidden(const std::string& path, std::string_view expected) const;

    void no_unknown_keys(const nlohmann::json& obj, const std::string& prefix,
                         const std::vector<std::string>& allowed) const;

    std::string text(const nlohmann::json& v, const std::string& path, std::string_view expected, bool nonempty) const;
    long long integer(const nlohmann::json& v, const std::string& path, long long lo, long long hi,
                      std::string_view expected) const;
    // An http(s) base URL; a trailing "/" is dropped.
    std::string http_url(const nlohmann::json& v, const std::string& path, std::string_view expected) const;
    bool boolean(const nlohmann::json& v, const std::string& path, std::string_view expected) const;

    std::string time_zone(const nlohmann::json& v, const std::string& path) const;  // known to the tzdb
    Lang lang(const nlohmann::json& v, const std::string& path) const;
    std::pair<int, int> work_hours(const nlohmann::json& v, const std::string& path) const;  // minutes of the day
    std::uint8_t work_days(const nlohmann::json& v, const std::string& path) const;          // bit 0 = Monday
    // At most `max_items` strictly increasing integers lo..hi; an item's error names its index.
    std::vector<int> day_list(const nlohmann::json& v, const std::string& path, long long lo, long long hi,
                              std::size_t max_items, std::string_view expected) const;
};

}  // namespace fu::config
