#pragma once
// One HTTP(S) client for every platform API: TLS with SNI and peer
// verification against the system roots (or a given CA file), keep-alive
// connections per host, a deadline on every request. Plain http is allowed
// (tests point base URLs at local emulators).
//
// An outbound proxy (options.proxy, net/proxy.hpp) takes https:// requests
// through a CONNECT tunnel, inside which TLS, SNI and the certificate check
// are the target's as without a proxy, and http:// requests as absolute-form
// requests to the proxy; both with Proxy-Authorization from the proxy URL's
// user and password. The request's timeout covers the whole exchange, CONNECT
// included. A proxy that refuses (a non-2xx answer to CONNECT, a 407) is a
// ClientError naming the proxy and its status, like a network failure.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "net/proxy.hpp"

namespace fu::net {

struct ClientRequest {
    std::string method = "POST";
    std::string url;  // absolute: https://api.telegram.org/bot…/sendMessage
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout{10000};  // whole request: connect, TLS, write, read
};

struct ClientResponse {
    unsigned status = 0;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
    std::string header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

// Network, TLS, timeout or protocol failure: no HTTP status was received.
class ClientError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct HttpClientOptions {
    std::string ca_file;                // empty: the system roots
    std::size_t max_idle_per_host = 4;  // kept-alive connections per scheme://host:port
    std::size_t body_limit = 8 << 20;   // larger responses are a ClientError
    std::string user_agent = "followupd/0.1";
    ProxySettings proxy;  // none: every request connects directly
};

class HttpClient {
public:
    HttpClient(boost::asio::any_io_executor ex, HttpClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Safe to call from several coroutines at once. Throws ClientError.
    boost::asio::awaitable<ClientResponse> request(ClientRequest req);

    // Connections opened so far (for tests of keep-alive).
    std::size_t connections_opened() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace fu::net
