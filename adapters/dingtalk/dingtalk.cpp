#include "adapters/dingtalk/dingtalk.hpp"

#include <stdexcept>

namespace fu::adapters::dingtalk {

std::unique_ptr<Adapter> make(const config::Config& cfg, Deps&) {
    if (!cfg.dingtalk.enabled) return nullptr;
    throw std::runtime_error("dingtalk: not built yet");
}

}  // namespace fu::adapters::dingtalk
