#pragma once
// Text that the bot shows, in both languages; the caller picks one.
#include <string>

#include "core/model.hpp"

namespace fu {

struct LocalizedText {
    std::string en;
    std::string zh;
    const std::string& in(Lang l) const { return l == Lang::zh ? zh : en; }
};

}  // namespace fu
