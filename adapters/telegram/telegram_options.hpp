#pragma once
// The telegram section of the config (docs/CONFIG.md), and the registration
// that puts the adapter in adapters/registry.cpp.
#include "adapters/registration.hpp"
#include "adapters/telegram/telegram.hpp"

namespace fu::adapters::telegram {

struct Settings {
    bool enabled = false;
    Options options;
};

// Reads and checks the section; throws config::ConfigError.
Settings read_settings(Section&);

extern const Registration registration;

}  // namespace fu::adapters::telegram
