#include "core/limits.hpp"

#include <string>

namespace fu {

std::size_t char_count(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

std::optional<LocalizedText> command_too_long(std::string_view text, const InputLimits& limits) {
    const auto n = char_count(text);
    if (n <= limits.command_chars) return std::nullopt;
    const auto have = std::to_string(n), most = std::to_string(limits.command_chars);
    return LocalizedText{
        "That message is " + have + " characters long; a command may have at most " + most +
            ". Nothing was done: shorten it and send it again (a long note can go in two log commands).",
        "这条消息有 " + have + " 个字符，一条命令最多 " + most +
            " 个字符。未执行：请缩短后重新发送（较长的备注可以分两次记录）。"};
}

std::optional<LocalizedText> name_too_long(std::string_view value, std::string_view en, std::string_view zh,
                                           const InputLimits& limits) {
    const auto n = char_count(value);
    if (n <= limits.name_chars) return std::nullopt;
    const auto have = std::to_string(n), most = std::to_string(limits.name_chars);
    return LocalizedText{
        "The " + std::string(en) + " is " + have + " characters long; it may have at most " + most + ".",
        std::string(zh) + "有 " + have + " 个字符，最多 " + most + " 个字符。"};
}

}  // namespace fu
