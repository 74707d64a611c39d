#pragma once
// The outbound proxy every platform's HTTP client uses, read from the config's
// http section or the standard environment variables (config::Config
// https_proxy, http_proxy, no_proxy). The e-mail adapter's SMTP is never
// proxied: HTTPS_PROXY and its kind are for HTTP(S) only.
#include "config/config.hpp"
#include "net/proxy.hpp"

namespace fu::adapters {

// Throws config::ConfigError naming the key or variable that does not read
// (a proxy URL's password is never shown). Checked by validate_all at start-up.
net::ProxySettings outbound_proxy(const config::Config&);

}  // namespace fu::adapters
