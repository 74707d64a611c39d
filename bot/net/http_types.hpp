#pragma once
// The HTTP request and response that the server hands to handlers and that
// adapters answer webhooks with (Beast's string-body messages), without the
// server itself.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string_view>

namespace fu::net {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// The header the server sets on every request it hands on: the address of
// the TCP peer ("127.0.0.1"). Whatever a client sends under that name is replaced.
inline constexpr std::string_view kClientAddressHeader = "Fu-Client-Address";

// A JSON error body: {"error": reason}.
Response json_error(const Request&, unsigned status, std::string_view reason);

}  // namespace fu::net
