// The command language, English and Chinese: one line of chat text as a
// user types it (cmd::parse picks the language from the command word).
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "core/command.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    const fu::cmd::Parsed p = fu::cmd::parse(line);
    // A refusal always says what was wrong, in both languages.
    if (const auto* e = std::get_if<fu::cmd::ParseError>(&p.result))
        if (e->message.en.empty() || e->message.zh.empty()) std::abort();
    return 0;
}
