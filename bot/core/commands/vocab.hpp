#pragma once
// Private to the command parsers: the words inside commands (methods, outcomes, results).
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace fu::cmd::detail {

// Method words: "call", "电话", … (lower case, whole word).
std::optional<Method> method_word(std::string_view lower);
// The longest Chinese method word that `s` starts with; its length in bytes (0 if none).
std::size_t method_prefix(std::string_view s, Method* m);

// Outcome words of close: "won", "成交", "lost", "丢单", … (lower case, whole word).
std::optional<Stage> outcome_word(std::string_view lower);
// A Chinese outcome word that ends `word` right after other Chinese text ("华为成交"); its
// length in bytes (0 if none).
std::size_t outcome_suffix(std::string_view word, Stage* outcome);

// A run of Chinese result words written together ("已接通有意向"); empty unless the
// whole of `s` is made of them.
std::vector<std::string_view> split_results(std::string_view s);

}  // namespace fu::cmd::detail
