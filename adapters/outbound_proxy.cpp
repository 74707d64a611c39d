#include "adapters/outbound_proxy.hpp"

#include <optional>

namespace fu::adapters {

namespace {

std::optional<net::ProxyUrl> proxy_url(const std::optional<config::ProxySetting>& s) {
    if (!s || s->value.empty()) return std::nullopt;  // an empty key: no proxy
    try {
        return net::parse_proxy_url(s->value);
    } catch (const net::ProxyError& e) {
        throw config::ConfigError(s->from, net::redact_proxy_url(s->value), e.what());
    }
}

}  // namespace

net::ProxySettings outbound_proxy(const config::Config& cfg) {
    net::ProxySettings out;
    out.https = proxy_url(cfg.https_proxy);
    out.http = proxy_url(cfg.http_proxy);
    if (cfg.no_proxy) {
        try {
            out.no_proxy = net::NoProxy::parse(cfg.no_proxy->value);
        } catch (const net::ProxyError& e) {
            throw config::ConfigError(cfg.no_proxy->from, cfg.no_proxy->value, e.what());
        }
    }
    return out;
}

}  // namespace fu::adapters
