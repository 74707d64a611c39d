#include "adapters/feishu/feishu.hpp"

#include <stdexcept>

namespace fu::adapters::feishu {

std::unique_ptr<Adapter> make(const config::Config& cfg, Deps&) {
    if (!cfg.feishu.enabled) return nullptr;
    throw std::runtime_error("feishu: not built yet");
}

}  // namespace fu::adapters::feishu
