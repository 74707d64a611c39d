#pragma once
// Private to the command parsers: the pieces their arguments are made of (task ids, customers,
// quoted names) and the quoting of user text in error messages.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/command.hpp"

namespace fu::cmd::detail {

// A parse error; the parser's caller adds the command's usage.
ParseError fail(std::string en, std::string zh);

std::string quote_en(std::string_view s);  // 'Acme'
std::string quote_zh(std::string_view s);  // “华为”
// At most about 60 bytes of `s` for quoting, cut at a character boundary.
std::string_view shorten(std::string_view s);

// A quoted name at the start of `s` ("Acme Corp", “华为 深圳”, 「…」) and the length of the
// quoted part including the quotes; len is npos when the closing quote is missing.
struct Quoted {
    std::string_view name;
    std::size_t len;
};
std::optional<Quoted> quoted(std::string_view s);

CustomerRef customer_ref(std::string_view text);
bool missing(const CustomerRef& c);

// Where the text after the customer has no keyword to split at (complaint, release), the
// customer is the first word, up to a space, separator or colon ("Acme: late delivery"); a
// name with spaces is written in quotes. `rest` is what follows, without the colon.
struct Lead {
    CustomerRef customer;
    std::string_view rest;
};
std::variant<Lead, ParseError> leading_customer(std::string_view args);

// A task id at the start of `args` ("42", "#42"); `rest` gets what follows.
std::variant<TaskId, ParseError> task_id(std::string_view args, std::string_view* rest);

// Whether a word may start at `i`: the start, after a space, comma, semicolon, separator or Chinese.
bool boundary_before(std::string_view s, std::size_t i);

}  // namespace fu::cmd::detail
