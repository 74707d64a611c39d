#pragma once
// The REST API for CRM integration, under /api/v1/: JSON over HTTP with a
// bearer API token. Requests are checked here; the use cases run in
// core/api.hpp on the storage executor. See docs/openapi.yaml.
#include <functional>
#include <string>

#include "core/api.hpp"
#include "net/http_server.hpp"
#include "server/effects.hpp"
#include "server/storage_executor.hpp"

namespace fu::server {

struct RestOptions {
    std::string time_zone = "Asia/Shanghai";  // reports' default zone (?tz= overrides)
    std::size_t max_json_bytes = 64 * 1024;   // larger JSON bodies: 413
    std::size_t max_csv_bytes = 1 << 20;      // larger CSV imports: 413
};

class RestApi {
public:
    RestApi(StorageExecutor& storage, api::Service& service, Effects& effects, RestOptions options = {});

    boost::asio::awaitable<net::Response> handle(const net::Request&);
    // 400 invalid_field in the API's error shape, for a request refused before
    // it gets here (the router's check of the query). field may be empty.
    net::Response invalid_field(const net::Request&, const std::string& field, const std::string& message) const;

    // What a request comes to once routed: run on the storage thread with the
    // authenticated caller. Public for the implementation's helpers.
    struct Outcome {
        unsigned status = 200;
        std::string body;  // JSON text, or CSV
        std::string content_type = "application/json; charset=utf-8";
        std::string allow;  // 405: the methods allowed
        std::vector<UserId> notified;
        bool changed = false;
    };
    using Op = std::function<Outcome(const api::Caller&)>;

private:
    Op route(const net::Request&);

    StorageExecutor& storage_;
    api::Service& service_;
    Effects& effects_;
    RestOptions options_;
};

}  // namespace fu::server
