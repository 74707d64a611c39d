#pragma once
// Private to the command table: the "did you mean" suggestion and the help notes several
// commands share.
#include <optional>
#include <string_view>

#include "core/text.hpp"

namespace fu::cmd::detail {

// Closest command word to an unknown one (same script), if close enough.
std::optional<std::string_view> suggest(std::string_view word);

// Notes for help <command>, each starting with a line break.
LocalizedText times_note();             // time forms and the bare-hours rule
LocalizedText contact_note(bool done);  // results, satisfaction, next (done and log)
LocalizedText platforms_note();         // the platforms of link and unlink

}  // namespace fu::cmd::detail
