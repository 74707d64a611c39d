// The config file: the JSON, the config's own keys and rules (config::load_text),
// then every platform's section and the names users refer to
// (adapters::validate_all), as start-up and `followupd check` read it. A
// problem must be a ConfigError naming the key; anything else thrown is a
// finding. No environment: the file alone.
#include <spdlog/spdlog.h>

#include <cstdint>
#include <map>
#include <string>

#include "adapters/registry.hpp"
#include "config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool quiet = (spdlog::set_level(spdlog::level::off), true);
    (void)quiet;
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const fu::config::Config cfg = fu::config::load_text(text, {});
        fu::adapters::validate_all(cfg);
    } catch (const fu::config::ConfigError&) {
    }
    return 0;
}
