// The HTTP server's reading of a request, head and body: the fuzz input is
// sent as it is to a real net::HttpServer (the parser, limits and refusals the
// service uses) on a loopback port, then the client stops sending and reads
// to the end. The handler answers every request it is handed with 200, so an
// answer of 500 or above, or a connection that neither answers nor closes,
// is the server failing on what it was sent.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "net/http_server.hpp"

namespace {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using fu::net::Request;
using fu::net::Response;

class Echo : public fu::net::HttpHandler {
public:
    asio::awaitable<Response> handle(const Request& req) override {
        Response res{http::status::ok, req.version()};
        res.keep_alive(req.keep_alive());
        res.body() = "ok";  // nothing of the request: the check below reads status lines
        res.prepare_payload();
        co_return res;
    }
    bool wants_stream(const Request&) const override { return false; }
    asio::awaitable<void> stream(boost::beast::tcp_stream&, const Request&) override { co_return; }
};

// Left running until the process exits (never destroyed: its thread would
// have to be stopped first).
struct World {
    World() {
        spdlog::set_level(spdlog::level::off);
        fu::net::HttpOptions o;  // the server's defaults: body limit, timeouts
        o.read_timeout = std::chrono::seconds(5);
        server = std::make_unique<fu::net::HttpServer>(ioc, o, echo);
        port = server->start();
        thread = std::thread([this] { ioc.run(); });
    }
    asio::io_context ioc;
    asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
    Echo echo;
    std::unique_ptr<fu::net::HttpServer> server;
    unsigned short port = 0;
    std::thread thread;
};

int connect_to(unsigned short port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) std::abort();
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // A refused connection (the accept queue full while the server catches
    // up) is tried again; one that keeps failing is a finding, said with why.
    for (int tries = 0; ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0; ++tries) {
        if (tries == 100) {
            std::fprintf(stderr, "connect to the server failed: %s\n", std::strerror(errno));
            std::abort();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    timeval tv{10, 0};  // longer than the server's read timeout: it must answer or close first
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return fd;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World* w = new World;
    const int fd = connect_to(w->port);
    for (std::size_t sent = 0; sent < size;) {
        const ssize_t n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
        if (n <= 0) break;  // the server refused and stopped reading: fine
        sent += static_cast<std::size_t>(n);
    }
    ::shutdown(fd, SHUT_WR);
    std::string answer;
    char buf[16384];
    for (;;) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) std::abort();  // neither answered nor closed
            break;                                                      // reset after a refusal: fine
        }
        answer.append(buf, static_cast<std::size_t>(n));
    }
    // Closed with a reset, so that millions of connections leave no TIME_WAIT behind.
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
    // Every answer is a status line; none says the server failed (5xx).
    for (std::size_t at = 0; (at = answer.find("HTTP/1.1 ", at)) != std::string::npos; at += 9) {
        if (answer.size() < at + 12) std::abort();
        if (answer[at + 9] >= '5') std::abort();
    }
    if (!answer.empty() && answer.rfind("HTTP/1.", 0) != 0) std::abort();
    return 0;
}
