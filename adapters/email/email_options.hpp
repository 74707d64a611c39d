#pragma once
// The email section of the config (docs/CONFIG.md), and the registration that
// puts the adapter in adapters/registry.cpp.
#include <chrono>

#include "adapters/email/email.hpp"
#include "adapters/registration.hpp"

namespace fu::adapters::email {

struct Settings {
    bool enabled = false;
    Options options;
    std::chrono::seconds fallback_after{0};  // 0: no fallback for late chat deliveries
};

// Reads and checks the section, addresses and the TLS rule included; throws config::ConfigError.
Settings read_settings(Section&);

extern const Registration registration;

}  // namespace fu::adapters::email
