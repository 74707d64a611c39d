#pragma once
// PLACEHOLDER: the wecom adapter is being written; this file is replaced.
#include <memory>

#include "adapters/registry.hpp"

namespace fu::adapters::wecom {

// The adapter if cfg.wecom.enabled, else nullptr.
std::unique_ptr<Adapter> make(const config::Config& cfg, Deps& deps);

}  // namespace fu::adapters::wecom
