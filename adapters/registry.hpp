#pragma once
// The table of chat platform adapters: adding a platform is adding a folder
// and one entry in registry.cpp.
#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <vector>

#include "adapters/adapter.hpp"
#include "config/config.hpp"
#include "net/http_client.hpp"

namespace fu::adapters {

struct Deps {
    boost::asio::any_io_executor executor;
    net::HttpClient& http;
    Inbox& inbox;
};

// The adapters the config enables, constructed and not yet started.
std::vector<std::unique_ptr<Adapter>> make_enabled(const config::Config&, Deps);

}  // namespace fu::adapters
