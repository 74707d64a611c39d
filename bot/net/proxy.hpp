#pragma once
// The outbound HTTP proxy of the platforms' HTTP client (http_client.hpp):
// reading a proxy URL, reading a NO_PROXY list, and choosing the proxy for a
// request. Pure functions, no I/O; the client does the CONNECT and the
// forwarding.
//
// A proxy URL is curl's: "http://[user[:password]@]host[:port][/]" (the
// scheme may be left out; the port defaults to 1080, as in curl). Only plain
// http proxies: "https://" (TLS to the proxy) and "socks…://" are refused.
// The user and password may be percent-encoded; the password is never shown.
//
// A NO_PROXY list is curl's: entries separated by commas or blanks, each
//   "*"                     every host (no proxy at all),
//   "example.com"           that host and its subdomains ("api.example.com"),
//   ".example.com"          the same (the leading dot is ignored; "*.example.com" too),
//   "10.0.0.0/8", "fd00::/8", "127.0.0.1", "::1"
//                           IP literals, with an optional prefix length; they
//                           match only URLs that use an IP literal (no name is
//                           resolved to compare it),
//   "host:8443", "[::1]:8443", "10.1.2.3:80"
//                           only that port.
// Names compare without case and without a trailing dot. Loopback is not
// bypassed unless listed, as in curl.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fu::net {

// A proxy URL or NO_PROXY entry that cannot be read; what() says what was expected.
class ProxyError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

struct ProxyUrl {
    std::string host;           // a name or an IP literal, without brackets
    std::string port;           // decimal, 1..65535
    std::string user;           // percent-decoded; empty: no Proxy-Authorization
    std::string password;       // percent-decoded; a secret
    std::string where() const;  // "host:port", "[v6]:port": never the credentials
    // "Basic <base64(user:password)>", or empty without a user.
    std::string authorization() const;
    bool operator==(const ProxyUrl&) const = default;
};

// Throws ProxyError; an empty or blank text is an error too (the caller decides that "" means no proxy).
ProxyUrl parse_proxy_url(std::string_view text);

// The text with the password of its userinfo replaced by "***", for error messages.
std::string redact_proxy_url(std::string_view text);

class NoProxy {
public:
    NoProxy() = default;
    // Throws ProxyError naming the entry that cannot be read.
    static NoProxy parse(std::string_view list);
    // host: as in the URL (an IPv6 literal with or without brackets); port: decimal.
    bool bypass(std::string_view host, std::string_view port) const;
    bool empty() const { return !all_ && entries_.empty(); }
    const std::string& text() const { return text_; }

private:
    struct Entry {
        std::string name;               // lower case, no leading or trailing dot; empty for an IP entry
        std::vector<unsigned char> ip;  // 4 or 16 bytes for an IP entry
        int prefix = 0;                 // bits of ip that must match
        std::string port;               // empty: any port
    };
    bool all_ = false;
    std::vector<Entry> entries_;
    std::string text_;
};

struct ProxySettings {
    std::optional<ProxyUrl> https;  // for https:// URLs: a CONNECT tunnel, then TLS to the target
    std::optional<ProxyUrl> http;   // for http:// URLs: the request in absolute form to the proxy
    NoProxy no_proxy;               // hosts reached directly all the same

    // The proxy for a request, or nullptr to connect directly.
    const ProxyUrl* pick(bool tls, std::string_view host, std::string_view port) const;
    bool any() const { return https || http; }
    // One line for the log: the proxies (never a password) and the bypass list.
    std::string describe() const;
};

}  // namespace fu::net
