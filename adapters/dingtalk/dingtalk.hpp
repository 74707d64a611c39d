#pragma once
// PLACEHOLDER: the dingtalk adapter is being written; this file is replaced.
#include <memory>

#include "adapters/registry.hpp"

namespace fu::adapters::dingtalk {

// The adapter if cfg.dingtalk.enabled, else nullptr.
std::unique_ptr<Adapter> make(const config::Config& cfg, Deps& deps);

}  // namespace fu::adapters::dingtalk
