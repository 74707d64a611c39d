#pragma once
// What each chat platform's folder exports: one Registration, listed in
// adapters/registry.cpp. Its name is everything else that knows the platform.
#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <optional>
#include <string_view>

#include "adapters/adapter.hpp"
#include "adapters/section.hpp"
#include "core/model.hpp"
#include "net/http_client.hpp"

namespace fu::adapters {

// What an adapter is built with.
struct Deps {
    boost::asio::any_io_executor executor;
    net::HttpClient& http;
    Inbox& inbox;  // for adapters that fetch messages themselves (long polling); webhooks go through serve_webhook
};

struct Registration {
    // The config section, the key in users[i].identities and users[i].notify, and /hooks/<name>.
    std::string_view name;
    // The language of a new user whose reminders go here; nullopt: defaults.lang.
    std::optional<Lang> lang;
    // Reads and checks the section (enabled or not); throws config::ConfigError.
    void (*validate)(Section&);
    // The adapter, not yet started, or nullptr when the section does not enable it.
    std::unique_ptr<Adapter> (*make)(Section&, Deps&);
};

}  // namespace fu::adapters
