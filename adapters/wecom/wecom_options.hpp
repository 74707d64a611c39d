#pragma once
// The wecom section of the config (docs/CONFIG.md), and the registration
// that puts the adapter in adapters/registry.cpp.
#include "adapters/registration.hpp"
#include "adapters/wecom/wecom.hpp"

namespace fu::adapters::wecom {

struct Settings {
    bool enabled = false;
    Options options;
};

// Reads and checks the section; throws config::ConfigError.
Settings read_settings(Section&);

extern const Registration registration;

}  // namespace fu::adapters::wecom
