#pragma once
// PLACEHOLDER: the feishu adapter is being written; this file is replaced.
#include <memory>

#include "adapters/registry.hpp"

namespace fu::adapters::feishu {

// The adapter if cfg.feishu.enabled, else nullptr.
std::unique_ptr<Adapter> make(const config::Config& cfg, Deps& deps);

}  // namespace fu::adapters::feishu
