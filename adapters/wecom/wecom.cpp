#include "adapters/wecom/wecom.hpp"

#include <stdexcept>

namespace fu::adapters::wecom {

std::unique_ptr<Adapter> make(const config::Config& cfg, Deps&) {
    if (!cfg.wecom.enabled) return nullptr;
    throw std::runtime_error("wecom: not built yet");
}

}  // namespace fu::adapters::wecom
