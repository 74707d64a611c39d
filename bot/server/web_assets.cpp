#include "server/web_assets.hpp"

#include <boost/url/parse.hpp>

#include "net/crypto.hpp"

namespace fu::server::web {
namespace http = boost::beast::http;

std::optional<std::string> query_param(const net::Request& req, std::string_view name) {
    auto url = boost::urls::parse_origin_form(req.target());
    if (!url) return std::nullopt;
    auto params = url->params();
    auto it = params.find(name);
    if (it == params.end() || !(*it).has_value) return std::nullopt;
    return std::string((*it).value);
}

std::string header(const net::Request& req, std::string_view name) {
    auto it = req.find(name);
    return it == req.end() ? std::string() : std::string(it->value());
}

std::string script_version(std::string_view script) {
    return net::crypto::hex(net::crypto::sha256(script)).substr(0, 16);
}

net::Response page_response(const net::Request& req, std::string_view page, const std::string& version) {
    std::string body(page);
    const std::string mark = "{{SCRIPT_VERSION}}";
    if (const auto at = body.find(mark); at != std::string::npos) body.replace(at, mark.size(), version);
    net::Response res{http::status::ok, req.version()};
    res.set(http::field::content_type, "text/html; charset=utf-8");
    res.set(http::field::cache_control, "no-cache");
    res.set("Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "frame-ancestors 'none'");
    res.set("Referrer-Policy", "no-referrer");
    res.body() = std::move(body);
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

net::Response script_response(const net::Request& req, std::string_view script, const std::string& version) {
    const std::string etag = "\"" + version + "\"";
    if (auto it = req.find(http::field::if_none_match); it != req.end() && it->value() == etag) {
        net::Response res{http::status::not_modified, req.version()};
        res.set(http::field::etag, etag);
        res.keep_alive(req.keep_alive());
        return res;
    }
    net::Response res{http::status::ok, req.version()};
    res.set(http::field::content_type, "text/javascript; charset=utf-8");
    res.set(http::field::etag, etag);
    // Versioned by the page (?v=<hash>): kept for a year; unversioned: checked each time.
    res.set(http::field::cache_control,
            query_param(req, "v") == version ? "public, max-age=31536000, immutable" : "no-cache");
    res.body() = std::string(script);
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

net::Response body_response(const net::Request& req, std::string_view type, std::string body) {
    net::Response res{http::status::ok, req.version()};
    res.set(http::field::content_type, type);
    res.body() = std::move(body);
    res.keep_alive(req.keep_alive());
    return res;
}

}  // namespace fu::server::web
