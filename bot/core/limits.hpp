#pragma once
// How long what people type may be (config limits.command_chars and
// limits.name_chars). Without a bound one pasted megabyte became a customer's
// name, and every list that showed it (today, customers, exports) grew with
// it. Lengths are counted in characters (Unicode code points), not bytes, so
// Chinese and English text get the same room.
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/text.hpp"

namespace fu {

struct InputLimits {
    // One chat command, from any channel. 4,000: a paragraph-long note fits
    // several times over, and so does the longest message Telegram sends (4,096).
    std::size_t command_chars = 4000;
    // A customer's name and company, source, each tag, phone, e-mail and IM,
    // an external id, and a follow-up's topic: what lists show on one line.
    std::size_t name_chars = 200;
    bool operator==(const InputLimits&) const = default;
};

// The number of characters in UTF-8 text (bytes that start one).
std::size_t char_count(std::string_view utf8);

// A command over the limit: the reply saying so, with its length; nullopt when it fits.
std::optional<LocalizedText> command_too_long(std::string_view text, const InputLimits&);

// A field over the name limit: what to tell the person, naming the field
// (`en`/`zh`: "company"/"公司"); nullopt when it fits.
std::optional<LocalizedText> name_too_long(std::string_view value, std::string_view en, std::string_view zh,
                                           const InputLimits&);

}  // namespace fu
