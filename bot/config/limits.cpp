// The limits section: how long a command and a name may be, and how many live
// event streams and connections the server holds. Defaults in config.hpp
// (Limits) and core/limits.hpp (InputLimits); documented in docs/CONFIG.md.
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "config/sections.hpp"

namespace fu::config {

using nlohmann::json;

SectionSpec limits_section() {
    return {"limits",
            {{"command_chars", Kind::integer, 100, 100000,
              "an integer 100..100000 (characters in one chat command, from any channel)"},
             {"name_chars", Kind::integer, 20, 10000,
              "an integer 20..10000 (characters in a customer's name, company, contact field, tag or a "
              "follow-up's topic)"},
             {"streams_per_user", Kind::integer, 1, 1000,
              "an integer 1..1000 (live event streams one person may have open)"},
             {"streams_total", Kind::integer, 1, 1000000,
              "an integer 1..1000000 (live event streams open at once, everyone's together)"},
             {"connections", Kind::integer, 16, 1000000,
              "an integer 16..1000000 (HTTP connections open at once; more are answered 503)"}}};
}

void limits_key(Limits& l, const Checker& ck, std::string_view k, const json& v, const std::string& path,
                const KeySpec& ks) {
    const auto n = ck.integer(v, path, ks.lo, ks.hi, ks.expected);
    if (k == "command_chars")
        l.input.command_chars = static_cast<std::size_t>(n);
    else if (k == "name_chars")
        l.input.name_chars = static_cast<std::size_t>(n);
    else if (k == "streams_per_user")
        l.streams_per_user = static_cast<int>(n);
    else if (k == "streams_total")
        l.streams_total = static_cast<int>(n);
    else if (k == "connections")
        l.connections = static_cast<int>(n);
    else
        throw std::logic_error("config: unhandled key " + path);
}

void check_limits(const Limits& l, const Checker& ck, const json& root) {
    // The value as given, for the error (a default is shown as the number it is).
    auto given = [&](const char* key, int value) {
        const json* sec = root.contains("limits") ? &root["limits"] : nullptr;
        return sec && sec->contains(key) ? (*sec)[key] : json(value);
    };
    // Every stream holds a connection: as many streams as connections would
    // leave none for the chat itself.
    if (l.streams_total >= l.connections)
        ck.fail("limits.streams_total", given("streams_total", l.streams_total),
                "fewer than limits.connections (" + std::to_string(l.connections) +
                    "): every live stream holds a connection, and the chat needs some of its own");
    if (l.streams_per_user > l.streams_total)
        ck.fail("limits.streams_per_user", given("streams_per_user", l.streams_per_user),
                "at most limits.streams_total (" + std::to_string(l.streams_total) + ")");
}

}  // namespace fu::config
