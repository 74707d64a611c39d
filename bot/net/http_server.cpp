#include "net/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>

namespace fu::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

constexpr std::uint32_t kHeaderLimit = 16 * 1024;

struct HttpServer::Connection {
    explicit Connection(tcp::socket s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    bool idle = true;  // waiting for a request: safe to close on stop
};

namespace {

// 16 hex digits, random per process and counted per request: unique enough
// to find one request's lines in the logs of several instances.
std::string new_request_id() {
    static const std::uint64_t base = [] {
        std::random_device rd;
        return (std::uint64_t(rd()) << 32) ^ rd();
    }();
    static std::atomic<std::uint64_t> counter{0};
    std::uint64_t x = base + counter.fetch_add(1, std::memory_order_relaxed) * 0x9E3779B97F4A7C15ull;
    x ^= x >> 31;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(x));
    return buf;
}

// The client's X-Request-Id (a proxy's) when it is short and plain, else a new one.
std::string request_id(const Request& req) {
    if (auto it = req.find("X-Request-Id"); it != req.end()) {
        const std::string_view v = it->value();
        if (!v.empty() && v.size() <= 64 && std::all_of(v.begin(), v.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
            }))
            return std::string(v);
    }
    return new_request_id();
}

struct Refusal {
    unsigned status;
    std::string reason;
};

// The answer to a read error: 413 for a body over the limit, 431 for headers
// over theirs, 400 (with the parser's reason: "bad chunk", "bad
// Content-Length", ...) for anything malformed; none when the client closed
// or timed out, since there is no request to answer.
std::optional<Refusal> refusal_for(const boost::system::error_code& ec, std::size_t body_limit) {
    if (ec.category() != http::make_error_code(http::error::bad_target).category()) return std::nullopt;
    switch (static_cast<http::error>(ec.value())) {
        case http::error::end_of_stream:
        case http::error::partial_message:
        case http::error::short_read: return std::nullopt;
        case http::error::body_limit:
            return Refusal{413, "request body larger than " + std::to_string(body_limit) + " bytes"};
        case http::error::header_limit:
            return Refusal{431, "request header fields larger than " + std::to_string(kHeaderLimit) + " bytes"};
        default: return Refusal{400, "malformed request: " + ec.message()};
    }
}

// Answers and closes. Lingering close: the client is likely still sending (the
// rest of a body or of its headers); if we closed now its write would fail
// (EPIPE/RST) before it read the answer. So stop sending, then drain and
// discard for a bounded time and size.
asio::awaitable<void> refuse(beast::tcp_stream& stream, const Refusal& r, std::chrono::seconds write_timeout,
                             std::size_t drain_limit) {
    Request head;
    head.version(11);
    auto res = json_error(head, r.status, r.reason);
    res.keep_alive(false);
    if (r.status == 503) res.set(http::field::retry_after, "1");
    stream.expires_after(write_timeout);
    auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    if (wec) co_return;
    boost::system::error_code sec;
    stream.socket().shutdown(tcp::socket::shutdown_send, sec);
    stream.expires_after(std::chrono::seconds(2));
    std::array<char, 16384> sink;
    for (std::size_t drained = 0; drained < drain_limit;) {
        auto [dec, dn] = co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
        if (dec) break;
        drained += dn;
    }
}

std::string peer_address(beast::tcp_stream& stream) {
    boost::system::error_code ec;
    const auto ep = stream.socket().remote_endpoint(ec);
    if (ec) return "unknown";
    auto a = ep.address();
    if (a.is_v6() && a.to_v6().is_v4_mapped()) a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
    return a.to_string();
}

// The answer of a connection over the limit (HttpServer::refuse_busy), recorded
// like one to a request that could not be read.
asio::awaitable<void> answer_busy(std::shared_ptr<beast::tcp_stream> stream, Refusal r,
                                  std::function<void(const RequestRecord&)> on_request) {
    co_await refuse(*stream, r, std::chrono::seconds(5), 64 * 1024);
    if (!on_request) co_return;
    RequestRecord record;
    record.method = "-";
    record.target = "-";
    record.status = r.status;
    record.id = new_request_id();
    record.remote = peer_address(*stream);
    on_request(record);
}

}  // namespace

std::size_t fit_open_files(std::size_t connections, std::size_t reserve) {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return connections;
    const rlim_t want = connections + reserve;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
        rlimit raised = rl;
        raised.rlim_cur = rl.rlim_max == RLIM_INFINITY ? want : std::min(want, rl.rlim_max);
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want) return connections;
    return rl.rlim_cur > reserve ? static_cast<std::size_t>(rl.rlim_cur - reserve) : 1;
}

HttpServer::HttpServer(asio::io_context& ioc, HttpOptions options, HttpHandler& handler)
    : ioc_(ioc),
      options_(std::move(options)),
      handler_(handler),
      acceptor_(asio::make_strand(ioc)),
      accept_pause_(acceptor_.get_executor()),
      max_connections_(options_.max_connections) {}

unsigned short HttpServer::start() {
    const tcp::endpoint ep{asio::ip::make_address(options_.address), options_.port};
    acceptor_.open(ep.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    const auto port = acceptor_.local_endpoint().port();
    asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
    return port;
}

void HttpServer::stop() {
    stopping_ = true;
    asio::post(acceptor_.get_executor(), [this] {
        boost::system::error_code ec;
        acceptor_.close(ec);
        accept_pause_.cancel();
    });
    std::lock_guard lock(mutex_);
    for (const auto& c : connections_)
        asio::post(c->stream.get_executor(), [c] {
            // A request already in the socket (a load balancer sent it just
            // before the stop) is read and answered; only a wait for one ends.
            boost::system::error_code ec;
            if (c->idle && c->stream.socket().available(ec) == 0) c->stream.cancel();
        });
}

asio::awaitable<void> HttpServer::accept_loop() {
    // Accept errors that persist (out of file descriptors: EMFILE, ENFILE, or
    // of memory) would fail again at once: retrying in a loop spins a core and
    // floods the log. So after a failure accepting pauses, 10 ms at first and
    // twice as long after each further failure up to 1 s, while the
    // connections we have go on being served (and, closing, free
    // descriptors); new clients wait in the listen backlog meanwhile. A
    // success starts the pauses over. The log says so at most every 10 s,
    // with the number of failures since it last did.
    constexpr auto kFirstPause = std::chrono::milliseconds(10);
    constexpr auto kLongestPause = std::chrono::milliseconds(1000);
    constexpr auto kReportEvery = std::chrono::seconds(10);
    auto pause = kFirstPause;
    std::size_t unreported = 0;
    std::chrono::steady_clock::time_point next_report{};
    while (!stopping_) {
        auto strand = asio::make_strand(ioc_);  // a local: see StorageExecutor::run on GCC PR 99576
        auto [ec, socket] = co_await acceptor_.async_accept(strand, asio::as_tuple(asio::use_awaitable));
        if (ec) {
            if (stopping_ || ec == asio::error::operation_aborted) break;
            ++unreported;
            if (const auto now = std::chrono::steady_clock::now(); now >= next_report) {
                spdlog::warn(
                    "http: cannot accept connections: {} ({} failed accept(s) since the last report); "
                    "new connections wait, tried again after pauses of up to {} ms; open ones are still "
                    "served",
                    ec.message(), unreported, kLongestPause.count());
                unreported = 0;
                next_report = now + kReportEvery;
            }
            accept_pause_.expires_after(pause);
            pause = std::min(pause * 2, kLongestPause);
            auto [tec] = co_await accept_pause_.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        pause = kFirstPause;
        // Only this loop adds connections: the count cannot grow before the insert below.
        std::size_t open = 0;
        {
            std::lock_guard lock(mutex_);
            open = connections_.size();
        }
        if (const std::size_t limit = max_connections_; limit && open >= limit) {
            refuse_busy(std::move(socket), open);
            continue;
        }
        auto conn = std::make_shared<Connection>(std::move(socket));
        {
            std::lock_guard lock(mutex_);
            connections_.insert(conn);
        }
        asio::co_spawn(conn->stream.get_executor(), session(conn), [this, conn](std::exception_ptr e) {
            if (e) {
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& ex) {
                    spdlog::error("http: session failed: {}", ex.what());
                }
            }
            std::lock_guard lock(mutex_);
            connections_.erase(conn);
        });
    }
}

// A connection over limits.connections: told so at once (503, Retry-After,
// Connection: close) instead of waiting unanswered in the backlog. Answers
// being written are bounded too: past 64 more are closed without one, so that
// a flood cannot hold descriptors through them.
void HttpServer::refuse_busy(tcp::socket socket, std::size_t open) {
    constexpr std::size_t kMaxRefusing = 64;
    if (const auto now = std::chrono::steady_clock::now(); ++busy_unreported_, now >= busy_next_report_) {
        spdlog::warn(
            "http: {} connections open, the limit (limits.connections): new ones are answered 503 ({} "
            "since the last report)",
            open, busy_unreported_);
        busy_unreported_ = 0;
        busy_next_report_ = now + std::chrono::seconds(10);
    }
    if (refusing_.fetch_add(1) >= kMaxRefusing) {
        --refusing_;
        boost::system::error_code ec;
        socket.close(ec);
        return;
    }
    auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
    Refusal r{503, "the server has all its " + std::to_string(open) +
                       " connections open (limits.connections): try again in a moment"};
    asio::co_spawn(stream->get_executor(), answer_busy(stream, std::move(r), options_.on_request),
                   [this, stream](std::exception_ptr) {
                       boost::system::error_code ec;
                       stream->socket().close(ec);
                       --refusing_;
                   });
}

void HttpServer::observe(RequestRecord& record, const Request& req, unsigned status, std::size_t bytes_out,
                         std::chrono::steady_clock::time_point started, beast::tcp_stream& stream) const {
    record.method = std::string(req.method_string());
    record.target = std::string(req.target());
    record.status = status;
    record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    record.bytes_in = req.body().size();
    record.bytes_out = bytes_out;
    boost::system::error_code ec;
    const auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) record.remote = ep.address().to_string();
    try {
        options_.on_request(record);
    } catch (const std::exception& e) {
        spdlog::warn("http: recording request {} failed: {}", record.id, e.what());
    }
}

asio::awaitable<void> HttpServer::session(std::shared_ptr<Connection> conn) {
    auto& stream = conn->stream;
    beast::flat_buffer buffer;
    // A stop ends a connection between requests, never before its first: a
    // connection accepted just before it came already carries a request.
    for (bool first = true; first || !stopping_; first = false) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(options_.body_limit);
        parser.header_limit(kHeaderLimit);
        conn->idle = true;
        stream.expires_after(options_.read_timeout);
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        conn->idle = false;
        if (ec) {
            // A request we cannot read gets a short answer saying why, then the
            // connection closes: the client learns what was wrong instead of
            // seeing a bare close. Closed or timed-out connections get nothing.
            const auto refusal = refusal_for(ec, options_.body_limit);
            if (refusal) {
                co_await refuse(stream, *refusal, options_.write_timeout, 64 * options_.body_limit);
                if (options_.on_request) {
                    RequestRecord record;
                    record.method = "-";
                    record.target = "-";
                    record.status = refusal->status;
                    record.id = new_request_id();
                    boost::system::error_code rec;
                    const auto ep = stream.socket().remote_endpoint(rec);
                    if (!rec) record.remote = ep.address().to_string();
                    options_.on_request(record);
                }
            }
            break;
        }
        const auto started = std::chrono::steady_clock::now();
        Request req = parser.release();
        // The peer's address, for per-client limits (sign-in): set here from
        // the socket, never taken from the client (one it sent is replaced).
        req.set(kClientAddressHeader, peer_address(stream));
        RequestRecord record;
        record.id = request_id(req);
        if (handler_.wants_stream(req)) {
            stream.expires_never();
            co_await handler_.stream(stream, req);
            if (options_.on_request) {
                record.stream = true;
                observe(record, req, 200, 0, started, stream);
            }
            break;
        }
        Response res;
        try {
            res = co_await handler_.handle(req);
        } catch (const std::exception& e) {
            spdlog::error("http: {} {} failed (request {}): {}", std::string(req.method_string()),
                          std::string(req.target()), record.id, e.what());
            res = json_error(req, 500, "internal error");
        }
        if (stopping_) res.keep_alive(false);
        res.set("X-Request-Id", record.id);
        stream.expires_after(options_.write_timeout);
        auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        if (options_.on_request) observe(record, req, res.result_int(), res.body().size(), started, stream);
        if (wec || !res.keep_alive()) break;
    }
    boost::system::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace fu::net
