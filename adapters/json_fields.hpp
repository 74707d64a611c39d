#pragma once
// Reading a platform's JSON body without exceptions: a field that is missing
// or of another type reads as absent (nullptr, nullopt), so a malformed body is
// refused by the adapter's own checks with a reason, never by a throw.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace fu::adapters::fields {

// The object at `key` of `obj`, or nullptr.
inline const nlohmann::json* object_at(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it != obj.end() && it->is_object() ? &*it : nullptr;
}

// The string at `key` of `obj`, or nullptr.
inline const std::string* string_at(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

// A non-empty string at `key` (an id, a token), or nullptr.
inline const std::string* id_at(const nlohmann::json& obj, const char* key) {
    const std::string* s = string_at(obj, key);
    return s && !s->empty() ? s : nullptr;
}

// A whole number at `key` that fits 64 bits, or nullopt.
inline std::optional<std::int64_t> integer_at(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object()) return std::nullopt;
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<std::int64_t>();
}

}  // namespace fu::adapters::fields
