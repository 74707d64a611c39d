#include "net/http_types.hpp"

#include <nlohmann/json.hpp>

namespace fu::net {

Response json_error(const Request& req, unsigned status, std::string_view reason) {
    namespace http = boost::beast::http;
    Response res{static_cast<http::status>(status), req.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    // A reason may quote what the client sent: bytes that are not UTF-8 are
    // replaced rather than thrown on.
    res.body() = nlohmann::json{{"error", reason}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

}  // namespace fu::net
