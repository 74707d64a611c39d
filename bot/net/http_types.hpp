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

// A JSON error body: {"error": reason}.
Response json_error(const Request&, unsigned status, std::string_view reason);

}  // namespace fu::net
