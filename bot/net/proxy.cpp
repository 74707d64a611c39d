#include "net/proxy.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "net/crypto.hpp"

namespace fu::net {

namespace {

constexpr std::string_view kExpUrl =
    "an http proxy URL such as \"http://proxy.example.com:3128\" or \"http://user:password@10.0.0.1:3128\"";
constexpr std::string_view kExpEntry =
    "a host name (\"example.com\", \".example.com\"), an IP address or range (\"10.0.0.0/8\", \"::1\"), either "
    "with an optional \":port\", or \"*\"";

[[noreturn]] void bad_url(std::string_view why) {
    throw ProxyError(std::string(kExpUrl) + " (" + std::string(why) + ")");
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// "1".."65535"; nullopt otherwise.
std::optional<std::string> port_number(std::string_view s) {
    if (s.empty() || s.size() > 5 || !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }))
        return std::nullopt;
    const int n = std::stoi(std::string(s));
    if (n < 1 || n > 65535) return std::nullopt;
    return std::to_string(n);
}

bool host_name(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '.' || c == '_';
    });
}

// The bytes of an IPv4 (4) or IPv6 (16) literal, or empty.
std::vector<unsigned char> ip_bytes(std::string_view text) {
    const std::string s(text);
    unsigned char buf[16];
    if (inet_pton(AF_INET, s.c_str(), buf) == 1) return {buf, buf + 4};
    if (inet_pton(AF_INET6, s.c_str(), buf) == 1) return {buf, buf + 16};
    return {};
}

bool same_prefix(const std::vector<unsigned char>& a, const std::vector<unsigned char>& b, int bits) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; bits > 0; ++i, bits -= 8) {
        const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
        if ((a[i] & mask) != (b[i] & mask)) return false;
    }
    return true;
}

}  // namespace

std::string ProxyUrl::where() const {
    return host.find(':') != std::string::npos ? "[" + host + "]:" + port : host + ":" + port;
}

std::string ProxyUrl::authorization() const {
    if (user.empty()) return {};
    return "Basic " + crypto::base64_encode(user + ":" + password);
}

ProxyUrl parse_proxy_url(std::string_view text) {
    std::string_view s = trim(text);
    if (s.empty()) bad_url("it is empty");
    if (std::any_of(s.begin(), s.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; }))
        bad_url("it holds a blank or a control character");
    if (const auto sep = s.find("://"); sep != std::string_view::npos) {
        const auto scheme = lower(s.substr(0, sep));
        if (scheme == "https")
            bad_url(
                "https:// proxies, with TLS to the proxy, are not supported: give the proxy as http://; requests "
                "to https:// platforms are still TLS end to end, inside the tunnel");
        if (scheme != "http") bad_url("the scheme \"" + scheme + "\" is not supported, only http");
        s.remove_prefix(sep + 3);
    }
    const auto end = s.find_first_of("/?#");
    const std::string_view authority = s.substr(0, end);
    if (end != std::string_view::npos && s.substr(end) != "/") bad_url("a path, query or fragment after the port");

    ProxyUrl out;
    std::string_view hostport = authority;
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view userinfo = authority.substr(0, at);
        hostport = authority.substr(at + 1);
        const auto colon = userinfo.find(':');
        auto user = crypto::percent_decode(userinfo.substr(0, colon));
        auto password = colon == std::string_view::npos ? std::optional<std::string>("")
                                                        : crypto::percent_decode(userinfo.substr(colon + 1));
        if (!user || !password) bad_url("a broken %XX escape in the user name or password");
        if (user->empty()) bad_url("an empty user name before the \"@\"");
        out.user = std::move(*user);
        out.password = std::move(*password);
    }

    std::string_view port;
    bool has_port = false;
    if (!hostport.empty() && hostport.front() == '[') {
        const auto close = hostport.find(']');
        if (close == std::string_view::npos) bad_url("an IPv6 address without its closing \"]\"");
        out.host = std::string(hostport.substr(1, close - 1));
        if (ip_bytes(out.host).size() != 16) bad_url("\"" + out.host + "\" in brackets is not an IPv6 address");
        const auto after = hostport.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') bad_url("something other than \":port\" after the \"]\"");
            port = after.substr(1);
            has_port = true;
        }
    } else {
        if (std::count(hostport.begin(), hostport.end(), ':') > 1) bad_url("an IPv6 address must be in brackets");
        const auto colon = hostport.find(':');
        out.host = std::string(hostport.substr(0, colon));
        if (colon != std::string_view::npos) {
            port = hostport.substr(colon + 1);
            has_port = true;
        }
        if (out.host.empty()) bad_url("no host");
        if (!host_name(out.host)) bad_url("\"" + out.host + "\" is not a host name or IP address");
    }
    if (has_port) {
        auto p = port_number(port);
        if (!p) bad_url("the port \"" + std::string(port) + "\" is not a number 1..65535");
        out.port = *p;
    } else {
        out.port = "1080";  // curl's default proxy port
    }
    return out;
}

std::string redact_proxy_url(std::string_view text) {
    const auto sep = text.find("://");
    const std::size_t start = sep == std::string_view::npos ? 0 : sep + 3;
    const auto end = text.find_first_of("/?#", start);
    const auto at = text.substr(0, end).rfind('@');
    if (at == std::string_view::npos || at < start) return std::string(text);
    const auto colon = text.substr(start, at - start).find(':');
    if (colon == std::string_view::npos) return std::string(text);
    return std::string(text.substr(0, start + colon + 1)) + "***" + std::string(text.substr(at));
}

NoProxy NoProxy::parse(std::string_view list) {
    NoProxy out;
    std::vector<std::string> kept;
    std::size_t i = 0;
    while (i < list.size()) {
        const auto stop = list.find_first_of(", \t\r\n", i);
        const std::string_view token =
            list.substr(i, stop == std::string_view::npos ? std::string_view::npos : stop - i);
        i = stop == std::string_view::npos ? list.size() : stop + 1;
        if (token.empty()) continue;
        kept.emplace_back(token);
        auto bad = [&](std::string_view why) -> ProxyError {
            return ProxyError(std::string(kExpEntry) + " (\"" + std::string(token) + "\": " + std::string(why) + ")");
        };
        if (token == "*") {
            out.all_ = true;
            continue;
        }
        Entry e;
        std::string_view addr = token;
        std::string_view port;
        bool has_port = false;
        if (addr.front() == '[') {
            const auto close = addr.find(']');
            if (close == std::string_view::npos) throw bad("no closing \"]\"");
            const auto after = addr.substr(close + 1);
            if (!after.empty()) {
                if (after.front() != ':') throw bad("something other than \":port\" after the \"]\"");
                port = after.substr(1);
                has_port = true;
            }
            addr = addr.substr(1, close - 1);
        } else if (std::count(addr.begin(), addr.end(), ':') == 1) {
            const auto colon = addr.find(':');
            port = addr.substr(colon + 1);
            has_port = true;
            addr = addr.substr(0, colon);
        }
        if (has_port) {
            auto p = port_number(port);
            if (!p) throw bad("the port is not a number 1..65535");
            e.port = *p;
        }
        std::string_view bits;
        bool has_bits = false;
        if (const auto slash = addr.find('/'); slash != std::string_view::npos) {
            bits = addr.substr(slash + 1);
            has_bits = true;
            addr = addr.substr(0, slash);
        }
        e.ip = ip_bytes(addr);
        if (!e.ip.empty()) {
            const int max = static_cast<int>(e.ip.size()) * 8;
            e.prefix = max;
            if (has_bits) {
                const bool digits =
                    !bits.empty() && bits.size() <= 3 &&
                    std::all_of(bits.begin(), bits.end(), [](unsigned char c) { return std::isdigit(c); });
                if (!digits || std::stoi(std::string(bits)) > max)
                    throw bad("the prefix length is not a number 0.." + std::to_string(max));
                e.prefix = std::stoi(std::string(bits));
            }
        } else {
            if (has_bits) throw bad("a prefix length after something that is not an IP address");
            std::string name = lower(addr);
            if (name.starts_with("*."))
                name.erase(0, 2);
            else if (name.starts_with("."))
                name.erase(0, 1);
            while (!name.empty() && name.back() == '.') name.pop_back();
            if (!host_name(name)) throw bad("not a host name or IP address");
            e.name = std::move(name);
        }
        out.entries_.push_back(std::move(e));
    }
    std::string text;
    for (const auto& k : kept) text += (text.empty() ? "" : ",") + k;
    out.text_ = std::move(text);
    return out;
}

bool NoProxy::bypass(std::string_view host, std::string_view port) const {
    if (all_) return true;
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    std::string h = lower(host);
    while (!h.empty() && h.back() == '.') h.pop_back();
    const auto ip = ip_bytes(h);
    for (const auto& e : entries_) {
        if (!e.port.empty() && e.port != port) continue;
        if (!e.ip.empty()) {
            if (same_prefix(e.ip, ip, e.prefix)) return true;
        } else if (ip.empty()) {
            if (h == e.name) return true;
            if (h.size() > e.name.size() && h.ends_with(e.name) && h[h.size() - e.name.size() - 1] == '.') return true;
        }
    }
    return false;
}

const ProxyUrl* ProxySettings::pick(bool tls, std::string_view host, std::string_view port) const {
    const auto& proxy = tls ? https : http;
    if (!proxy || no_proxy.bypass(host, port)) return nullptr;
    return &*proxy;
}

std::string ProxySettings::describe() const {
    auto one = [](const ProxyUrl& p) {
        return p.where() + (p.user.empty() ? std::string() : " (as user \"" + p.user + "\")");
    };
    std::string out;
    if (https && http && *https == *http) {
        out = "https and http through proxy " + one(*https);
    } else {
        if (https) out = "https through proxy " + one(*https);
        if (http) out += (out.empty() ? "" : ", ") + std::string("http through proxy ") + one(*http);
        if (out.empty()) return "direct (no proxy)";
        if (!https) out += ", https direct";
        if (!http) out += ", http direct";
    }
    if (!no_proxy.empty()) out += "; direct for: " + no_proxy.text();
    return out;
}

}  // namespace fu::net
