#include "config/checker.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

#include <nlohmann/json.hpp>

namespace fu::config {

using nlohmann::json;

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

void Checker::no_unknown_keys(const json& obj, const std::string& prefix, const std::vector<std::string>& allowed) const {
    for (const auto& [k, v] : obj.items()) {
        if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
            fail(prefix.empty() ? k : prefix + "." + k, v, "one of the keys " + join(allowed));
    }
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
    if (rest.starts_with("https://")) rest.remove_prefix(8);
    else if (rest.starts_with("http://")) rest.remove_prefix(7);
    else fail(path, v, expected);
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

}  // namespace fu::config
