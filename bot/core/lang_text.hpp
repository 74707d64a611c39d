#pragma once
// Private to fu_lang: text helpers shared by the time-expression and command parsers.
// All parsing works on normalised text (see normalize()); English matching uses an
// ASCII-lower-cased copy, which keeps byte offsets identical.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"

namespace fu::lang {

// UTF-8: the code point at s[i] and its length in bytes (invalid bytes decode as
// themselves with length 1).
char32_t decode(std::string_view s, std::size_t i, std::size_t* len);
void append_utf8(std::string& out, char32_t cp);
std::vector<char32_t> code_points(std::string_view s);

bool is_cjk(char32_t cp);  // Han ideographs (and kana): "Chinese run" characters
bool contains_cjk(std::string_view s);
bool cjk_at(std::string_view s, std::size_t i);      // code point starting at i is CJK
bool cjk_before(std::string_view s, std::size_t i);  // code point ending at i is CJK
inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Word separators besides the space: , ; ， ； 、  Returns the byte length at i, 0 if none.
std::size_t separator_len(std::string_view s, std::size_t i);
// Space or separator at i (0 if neither).
std::size_t gap_len(std::string_view s, std::size_t i);
// Trims spaces and separators at both ends.
std::string_view trim_gaps(std::string_view s);
std::string lower_ascii(std::string_view s);

struct Normalized {
    std::string text;
    // source[i]: byte offset in the input of text[i]; source[text.size()] is the end
    // of the last non-blank input character.
    std::vector<std::size_t> source;
};
// U+3000 and other blanks -> space, full-width digits/letters and ：＃＝＠／？ -> ASCII,
// whitespace collapsed, trimmed.
Normalized normalize(std::string_view in);
std::string normalized(std::string_view in);

// Word tokens of s (split at spaces and separators), as byte ranges.
struct Span {
    std::size_t b = 0, e = 0;
};
std::vector<Span> words(std::string_view s);

// --- time syntax (time_expr_parse.cpp), on normalised lower-case text ----------
// Longest valid prefix ending at a word boundary or inside a Chinese run; 0 if none.
// *broken (if given) tells whether a time recognised at the start has an impossible
// part ("25:00 call", "2月30日", "明天25点" — whose valid prefix is "明天").
std::size_t time_prefix(std::string_view lower, bool* broken = nullptr);
// nullopt when the whole (normalised) text is a valid expression; otherwise why not.
std::optional<LocalizedText> time_syntax_error(std::string_view text);
LocalizedText unknown_time_message(std::string_view shown);
// Whether text that is no valid time still starts with a time word ("yesterday",
// "昨天下午", "3号左右"): the user meant a time, and is told it was not understood
// rather than having it read as note text or a name.
bool starts_like_time(std::string_view lower);
// The length in bytes of a Chinese word that begins a time at the end of s
// ("宏达机械下个月" before "1号": the bytes of "下个月"); 0 if none.
std::size_t time_word_suffix(std::string_view s);

}  // namespace fu::lang
