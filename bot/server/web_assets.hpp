#pragma once
// What the web pages share: a request's query parameter and header, and an
// embedded page with its bundled script (the dashboard's, the reps' page's),
// the script versioned by its hash so a new build is fetched at once.
#include <optional>
#include <string>
#include <string_view>

#include "net/http_types.hpp"

namespace fu::server::web {

// A query parameter, percent-decoded; nullopt when absent or valueless.
std::optional<std::string> query_param(const net::Request&, std::string_view name);
// A header's value; "" when absent.
std::string header(const net::Request&, std::string_view name);

// The first 16 hex digits of the script's SHA-256: its ETag, and the ?v= the page carries.
std::string script_version(std::string_view script);
// The page, its "{{SCRIPT_VERSION}}" replaced, with its CSP (scripts from this origin only).
net::Response page_response(const net::Request&, std::string_view page, const std::string& version);
// The script: 304 for its ETag; a year's cache when asked for by its version, else revalidated.
net::Response script_response(const net::Request&, std::string_view script, const std::string& version);
// 200 with `body` of the content type `type`: the pages' data.
net::Response body_response(const net::Request&, std::string_view type, std::string body);

}  // namespace fu::server::web
