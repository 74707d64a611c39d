#include "config/checker.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <date/tz.h>
#include <nlohmann/json.hpp>

namespace fu::config {

using nlohmann::json;

namespace {

// A value in double quotes, with JSON escapes, for an error's one line.
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

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += sep;
        out += item;
    }
    return out;
}

std::string env_name(std::string_view section, std::string_view key) {
    std::string s = "FOLLOWUPD_" + std::string(section) + "_" + std::string(key);
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

long long env_integer(const std::string& var, const std::string& text, std::string_view expected) {
    long long n = 0;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(first, last, n);
    if (text.empty() || ec != std::errc() || ptr != last) throw ConfigError(var, text, std::string(expected));
    return n;
}

bool env_boolean(const std::string& var, const std::string& text, std::string_view expected) {
    std::string t = text;
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t == "true" || t == "1" || t == "yes" || t == "on") return true;
    if (t == "false" || t == "0" || t == "no" || t == "off") return false;
    throw ConfigError(var, text, std::string(expected) + " (also 1/0, yes/no, on/off)");
}

void Checker::fail(const std::string& path, const json& v, std::string_view expected) const {
    fail_text(path, show(v), expected);
}

void Checker::fail_text(const std::string& path, const std::string& value, std::string_view expected) const {
    for (const auto& [p, source] : from_env) {
        if (path == p || (path.size() > p.size() && path.compare(0, p.size(), p) == 0 && path[p.size()] == '['))
            throw ConfigError(source.first, source.second, std::string(expected));
    }
    throw ConfigError(path, value, std::string(expected));
}

void Checker::fail_hidden(const std::string& path, std::string_view expected) const {
    for (const auto& [p, source] : from_env)
        if (path == p) throw ConfigError(source.first, "(not shown)", std::string(expected));
    throw ConfigError(path, "(not shown)", std::string(expected));
}

void Checker::no_unknown_keys(const json& obj, const std::string& prefix,
                              const std::vector<std::string>& allowed) const {
    for (const auto& [k, v] : obj.items()) {
        if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
            fail(prefix.empty() ? k : prefix + "." + k, v, "one of the keys " + join(allowed));
    }
}

std::string read_secret_file(const std::string& key_path, const std::string& file) {
    constexpr std::uintmax_t kMax = 64 * 1024;
    std::filesystem::path p(file);
    if (p.is_relative()) {
        if (const char* dir = std::getenv("CREDENTIALS_DIRECTORY"); dir && *dir) p = std::filesystem::path(dir) / p;
    }
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        const int err = errno;
        throw ConfigError(key_path, file,
                          "a readable file holding the secret (" + p.string() + ": " +
                              (err ? std::strerror(err) : "cannot open") + ")");
    }
    std::string text;
    text.resize(kMax + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMax) throw ConfigError(key_path, file, "a file holding the secret of at most 64 KiB");
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.empty()) throw ConfigError(key_path, file, "a file holding the secret (" + p.string() + " is empty)");
    return text;
}

std::string Checker::text(const json& v, const std::string& path, std::string_view expected, bool nonempty) const {
    if (!v.is_string()) fail(path, v, expected);
    auto s = v.get<std::string>();
    if (nonempty && s.empty()) fail(path, v, expected);
    return s;
}

long long Checker::integer(const json& v, const std::string& path, long long lo, long long hi,
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

std::string Checker::http_url(const json& v, const std::string& path, std::string_view expected) const {
    auto s = text(v, path, expected, true);
    std::string_view rest = s;
    if (rest.starts_with("https://"))
        rest.remove_prefix(8);
    else if (rest.starts_with("http://"))
        rest.remove_prefix(7);
    else
        fail(path, v, expected);
    if (rest.empty() || rest.front() == '/' || std::any_of(s.begin(), s.end(), [](char ch) {
            return static_cast<unsigned char>(ch) <= 0x20 || ch == '?' || ch == '#';
        }))
        fail(path, v, expected);
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
}

bool Checker::boolean(const json& v, const std::string& path, std::string_view expected) const {
    if (!v.is_boolean()) fail(path, v, expected);
    return v.get<bool>();
}
std::string Checker::time_zone(const json& v, const std::string& path) const {
    auto s = text(v, path, kExpTimeZone, true);
    try {
        (void)date::locate_zone(s);
    } catch (const std::exception&) {
        fail(path, v, kExpTimeZone);
    }
    return s;
}

Lang Checker::lang(const json& v, const std::string& path) const {
    auto s = text(v, path, kExpLang, true);
    auto l = lang_from_code(s);
    if (!l) fail(path, v, kExpLang);
    return *l;
}

std::pair<int, int> Checker::work_hours(const json& v, const std::string& path) const {
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

std::uint8_t Checker::work_days(const json& v, const std::string& path) const {
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

std::vector<int> Checker::day_list(const json& v, const std::string& path, long long lo, long long hi,
                                   std::size_t max_items, std::string_view expected) const {
    if (!v.is_array()) fail(path, v, expected);
    std::vector<int> days;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const auto item_path = path + "[" + std::to_string(i) + "]";
        if (i >= max_items)
            fail(item_path, v[i], std::string(expected) + " (at most " + std::to_string(max_items) + " items)");
        auto n = static_cast<int>(integer(v[i], item_path, lo, hi, expected));
        if (!days.empty() && n <= days.back())
            fail(item_path, v[i],
                 std::string(expected) + " (" + std::to_string(n) + " is not greater than the item before it, " +
                     std::to_string(days.back()) + ")");
        days.push_back(n);
    }
    return days;
}

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
            case E::value: element(); break;
        }
        return true;
    };
    json root;
    try {
        root = json::parse(text, cb);
    } catch (const json::exception& e) {
        // parse_error, and out_of_range for a number too large for a double (1e999).
        std::string msg = e.what();
        if (auto pos = msg.find("] "); msg.rfind("[json.exception.", 0) == 0 && pos != std::string::npos)
            msg = msg.substr(pos + 2);
        throw ConfigError("(file)", source, "valid JSON (" + msg + ")");
    }
    if (!duplicate.empty())
        throw ConfigError("(file)", source, "each key once per object; \"" + duplicate + "\" appears twice");
    return root;
}

}  // namespace fu::config
