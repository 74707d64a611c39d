#pragma once
// The feishu section of the config (docs/CONFIG.md), and the registration
// that puts the adapter in adapters/registry.cpp.
#include "adapters/feishu/feishu.hpp"
#include "adapters/registration.hpp"

namespace fu::adapters::feishu {

struct Settings {
    bool enabled = false;
    Options options;
};

// Reads and checks the section; throws config::ConfigError.
Settings read_settings(Section&);

extern const Registration registration;

}  // namespace fu::adapters::feishu
