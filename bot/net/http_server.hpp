#pragma once
// One HTTP/1.1 server (Boost.Beast, C++20 coroutines): deadlines on every read
// and write, a body limit, keep-alive, and a clean stop that lets in-flight
// requests finish.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "net/http_types.hpp"

namespace fu::net {

class HttpHandler {
public:
    virtual ~HttpHandler() = default;
    virtual boost::asio::awaitable<Response> handle(const Request&) = 0;
    // Long-lived streams (server-sent events) take over the connection.
    virtual bool wants_stream(const Request&) const = 0;
    virtual boost::asio::awaitable<void> stream(boost::beast::tcp_stream&, const Request&) = 0;
};

// One request as answered, for access logs and metrics.
struct RequestRecord {
    std::string method;  // "-" for a request that could not be read
    std::string target;  // as sent (with its query: the observer strips what it must not keep)
    unsigned status = 0;
    double seconds = 0;         // from the request read to the response written
    std::size_t bytes_in = 0;   // the request's body
    std::size_t bytes_out = 0;  // the response's body
    std::string remote;         // the client's address
    std::string id;             // X-Request-Id: the client's (if sane) or a new one
    bool stream = false;        // a long-lived stream; seconds is its whole life
};

struct HttpOptions {
    std::string address = "127.0.0.1";
    unsigned short port = 0;
    std::size_t body_limit = 1 << 20;
    // Connections open at once (config limits.connections); one more is
    // answered 503 with a reason and closed, rather than left waiting. 0: no limit.
    std::size_t max_connections = 0;
    std::chrono::seconds read_timeout{30};
    std::chrono::seconds write_timeout{30};
    // Called on the connection's thread after each response is written (must
    // not block); every response carries the record's id as X-Request-Id.
    std::function<void(const RequestRecord&)> on_request;
};

class HttpServer {
public:
    HttpServer(boost::asio::io_context& ioc, HttpOptions options, HttpHandler& handler);
    // Binds and starts accepting; returns the port actually bound.
    unsigned short start();
    // Stops accepting and closes idle connections; busy ones finish their
    // current request first.
    void stop();
    // From any thread (a reload): connections already open stay.
    void set_max_connections(std::size_t n) { max_connections_ = n; }

private:
    struct Connection;
    boost::asio::awaitable<void> accept_loop();
    boost::asio::awaitable<void> session(std::shared_ptr<Connection>);
    void refuse_busy(boost::asio::ip::tcp::socket, std::size_t open);
    void observe(RequestRecord& record, const Request& req, unsigned status, std::size_t bytes_out,
                 std::chrono::steady_clock::time_point started, boost::beast::tcp_stream& stream) const;

    boost::asio::io_context& ioc_;
    HttpOptions options_;
    HttpHandler& handler_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer accept_pause_;  // after a failed accept (accept_loop)
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> max_connections_{0};
    std::atomic<std::size_t> refusing_{0};  // 503s being written (refuse_busy)
    std::size_t busy_unreported_ = 0;       // refused since the log last said so (accept loop only)
    std::chrono::steady_clock::time_point busy_next_report_{};
    std::mutex mutex_;
    std::set<std::shared_ptr<Connection>> connections_;
};

// Raises the soft open-file limit (RLIMIT_NOFILE), as far as the hard limit
// allows, to hold `connections` connections besides `reserve` other files (the
// database, the log, the platforms' connections). Returns the connections
// that fit: `connections`, or fewer when the limit cannot be raised so far.
std::size_t fit_open_files(std::size_t connections, std::size_t reserve = 128);

}  // namespace fu::net
