// The HTTP server against raw bytes on a socket: what it answers to requests
// it cannot read (and that it still closes the connection afterwards).
#include "net/http_server.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <string>
#include <thread>

namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using fu::net::HttpHandler;
using fu::net::HttpOptions;
using fu::net::HttpServer;
using fu::net::Request;
using fu::net::Response;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Answers every request 200 with its body.
class Echo final : public HttpHandler {
public:
    asio::awaitable<Response> handle(const Request& req) override {
        Response res{http::status::ok, req.version()};
        res.body() = "got " + req.body();
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        co_return res;
    }
    bool wants_stream(const Request&) const override { return false; }
    asio::awaitable<void> stream(beast::tcp_stream&, const Request&) override { co_return; }
};

class HttpServerTest : public ::testing::Test {
protected:
    HttpServerTest() {
        HttpOptions o;
        o.body_limit = 1024;
        server = std::make_unique<HttpServer>(ioc, o, handler);
        port = server->start();
        thread = std::thread([this] { ioc.run(); });
    }
    ~HttpServerTest() override {
        server->stop();
        ioc.stop();
        thread.join();
    }

    // Sends the bytes, then reads everything until the server closes (at most 10 s).
    std::string exchange(const std::string& bytes) {
        asio::io_context io;
        tcp::socket s(io);
        s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        timeval tv{10, 0};
        setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        boost::system::error_code ec;
        asio::write(s, asio::buffer(bytes), ec);
        std::string out;
        std::array<char, 4096> buf;
        for (;;) {
            const auto n = s.read_some(asio::buffer(buf), ec);
            out.append(buf.data(), n);
            if (ec) break;
        }
        return out;
    }

    asio::io_context ioc{1};
    Echo handler;
    std::unique_ptr<HttpServer> server;
    unsigned short port = 0;
    std::thread thread;
};

TEST_F(HttpServerTest, AGoodRequestIsServed) {
    const auto out = exchange("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");
    EXPECT_THAT(out, StartsWith("HTTP/1.1 200 OK\r\n"));
    EXPECT_THAT(out, HasSubstr("got hi"));
}

TEST_F(HttpServerTest, AGarbageRequestLineGets400WithAReason) {
    const auto out = exchange("HELLO THERE\r\n\r\n");
    EXPECT_THAT(out, StartsWith("HTTP/1.1 400 Bad Request\r\n"));
    EXPECT_THAT(out, HasSubstr("Connection: close"));
    EXPECT_THAT(out, HasSubstr(R"({"error":"malformed request: bad target"})"));
}

TEST_F(HttpServerTest, BinaryNoiseGets400) {
    const auto out = exchange(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11));
    EXPECT_THAT(out, StartsWith("HTTP/1.1 400 Bad Request\r\n"));
    EXPECT_THAT(out, HasSubstr("malformed request: bad method"));
}

TEST_F(HttpServerTest, ANegativeContentLengthGets400) {
    const auto out = exchange("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n");
    EXPECT_THAT(out, StartsWith("HTTP/1.1 400 Bad Request\r\n"));
    EXPECT_THAT(out, HasSubstr("malformed request: bad Content-Length"));
}

TEST_F(HttpServerTest, TwoDifferentContentLengthsGet400) {
    const auto out = exchange("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde");
    EXPECT_THAT(out, StartsWith("HTTP/1.1 400 Bad Request\r\n"));
    EXPECT_THAT(out, HasSubstr("malformed request: multiple Content-Length"));
}

TEST_F(HttpServerTest, ContentLengthWithChunkedGets400) {
    const auto out = exchange(
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    EXPECT_THAT(out, StartsWith("HTTP/1.1 400 Bad Request\r\n"));
    EXPECT_THAT(out, HasSubstr("malformed request: bad Content-Length"));
}

TEST_F(HttpServerTest, ABadChunkGets400) {
    const auto out = exchange("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n");
    EXPECT_THAT(out, StartsWith("HTTP/1.1 400 Bad Request\r\n"));
    EXPECT_THAT(out, HasSubstr("malformed request: bad chunk"));
}

TEST_F(HttpServerTest, HeadersOver16KiBGet431) {
    const auto out = exchange("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(17 * 1024, 'a') + "\r\n\r\n");
    EXPECT_THAT(out, StartsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
    EXPECT_THAT(out, HasSubstr("request header fields larger than 16384 bytes"));
}

TEST_F(HttpServerTest, ABodyOverTheLimitGets413) {
    const auto out = exchange("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n" + std::string(4096, 'x'));
    EXPECT_THAT(out, StartsWith("HTTP/1.1 413 Payload Too Large\r\n"));
    EXPECT_THAT(out, HasSubstr("request body larger than 1024 bytes"));
}

TEST_F(HttpServerTest, AMalformedRequestAfterAGoodOneOnTheSameConnectionGets400ThenTheClose) {
    const auto out =
        exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n");
    EXPECT_THAT(out, StartsWith("HTTP/1.1 200 OK\r\n"));
    EXPECT_THAT(out, HasSubstr("\r\n\r\ngot HTTP/1.1 400 Bad Request\r\n"));
}

TEST_F(HttpServerTest, AClientThatClosesMidRequestGetsNothing) {
    asio::io_context io;
    tcp::socket s(io);
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    asio::write(s, asio::buffer(std::string("GET / HTTP/1.1\r\nHo")));
    s.shutdown(tcp::socket::shutdown_send);
    std::array<char, 256> buf;
    boost::system::error_code ec;
    const auto n = s.read_some(asio::buffer(buf), ec);
    EXPECT_EQ(n, 0u);
    EXPECT_EQ(ec, asio::error::eof);
}

}  // namespace
