#pragma once
// What web_chat.cpp and web_chat_sign_in.cpp share, and nothing else includes.
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/model.hpp"
#include "net/http_server.hpp"

namespace fu::server::web_chat_detail {

// A 200 with a JSON body, never cached.
net::Response json_response(const net::Request&, const nlohmann::json& body);
// A person as the page shows them.
nlohmann::json user_json(const User&);
// The session id in the request's session cookie (empty: none); the cookie
// is set and cleared by the sign-in handlers.
std::string session_cookie(const net::Request&);

}  // namespace fu::server::web_chat_detail
