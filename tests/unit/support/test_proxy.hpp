#pragma once
// A tiny HTTP proxy for client tests: 127.0.0.1, an ephemeral port, its own
// io_context on its own thread.
//   CONNECT host:port    a tunnel to 127.0.0.1:port, whatever the host (tests
//                        use names that resolve nowhere), bytes relayed both ways;
//   absolute-form        answered by the proxy itself, as the origin would,
//                        with what it saw: X-Seen-Target, X-Seen-Proxy-Authorization,
//                        X-Seen-Host (the target host need not exist).
// It records every request line it read ("CONNECT localhost:4443",
// "GET http://origin.invalid/x").
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fu::test {

struct TestProxyOptions {
    std::string authorization;      // the Proxy-Authorization it requires; empty: none
    unsigned connect_status = 200;  // its answer to CONNECT (non-2xx: a refusal, then it closes)
    bool silent = false;            // accept, then never read or answer
};

class TestProxy {
    using tcp = boost::asio::ip::tcp;
    using error_code = boost::system::error_code;

public:
    explicit TestProxy(TestProxyOptions options = {}) : options_(std::move(options)), acceptor_(ioc_) {
        const tcp::endpoint ep{boost::asio::ip::make_address("127.0.0.1"), 0};
        acceptor_.open(ep.protocol());
        acceptor_.bind(ep);
        acceptor_.listen();
        port_ = acceptor_.local_endpoint().port();
        boost::asio::co_spawn(ioc_, accept_loop(), boost::asio::detached);
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~TestProxy() {
        ioc_.stop();
        thread_.join();
    }
    TestProxy(const TestProxy&) = delete;
    TestProxy& operator=(const TestProxy&) = delete;

    unsigned short port() const { return port_; }
    std::string url(const std::string& userinfo = "") const {
        return "http://" + (userinfo.empty() ? "" : userinfo + "@") + "127.0.0.1:" + std::to_string(port_);
    }
    std::vector<std::string> seen() const {
        std::lock_guard lock(mutex_);
        return seen_;
    }

private:
    static constexpr auto tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

    boost::asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(tuple);
            if (ec) co_return;
            if (options_.silent) {
                silent_.push_back(std::move(socket));
                continue;
            }
            boost::asio::co_spawn(ioc_, session(std::make_shared<boost::beast::tcp_stream>(std::move(socket))),
                                  boost::asio::detached);
        }
    }

    template <class Message>
    static boost::asio::awaitable<void> send(boost::beast::tcp_stream& stream, Message& res) {
        res.version(11);
        res.prepare_payload();
        co_await boost::beast::http::async_write(stream, res, tuple);
    }

    boost::asio::awaitable<void> session(std::shared_ptr<boost::beast::tcp_stream> stream) {
        namespace http = boost::beast::http;
        boost::beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> req;
            auto [ec, n] = co_await http::async_read(*stream, buffer, req, tuple);
            if (ec) break;
            {
                std::lock_guard lock(mutex_);
                seen_.push_back(std::string(req.method_string()) + " " + std::string(req.target()));
            }
            const std::string auth(req[http::field::proxy_authorization]);
            if (!options_.authorization.empty() && auth != options_.authorization) {
                http::response<http::string_body> res{http::status::proxy_authentication_required, 11};
                res.set(http::field::proxy_authenticate, "Basic realm=\"test\"");
                res.keep_alive(false);
                res.body() = "who are you?";
                co_await send(*stream, res);
                break;
            }
            if (req.method() == http::verb::connect) {
                if (options_.connect_status / 100 != 2) {
                    http::response<http::string_body> res{static_cast<http::status>(options_.connect_status), 11};
                    res.keep_alive(false);
                    res.body() = "no tunnel for you";
                    co_await send(*stream, res);
                    break;
                }
                const std::string target(req.target());
                const auto port = static_cast<unsigned short>(std::stoi(target.substr(target.rfind(':') + 1)));
                auto upstream = std::make_shared<tcp::socket>(ioc_);
                auto [cec] = co_await upstream->async_connect(
                    tcp::endpoint{boost::asio::ip::make_address("127.0.0.1"), port}, tuple);
                if (cec) {
                    http::response<http::string_body> res{http::status::bad_gateway, 11};
                    res.keep_alive(false);
                    co_await send(*stream, res);
                    break;
                }
                static const std::string established = "HTTP/1.1 200 Connection established\r\n\r\n";
                auto [wec, w] =
                    co_await boost::asio::async_write(stream->socket(), boost::asio::buffer(established), tuple);
                if (wec) break;
                auto client = std::make_shared<tcp::socket>(stream->release_socket());
                if (buffer.size() > 0) co_await boost::asio::async_write(*upstream, buffer.data(), tuple);
                boost::asio::co_spawn(ioc_, pump(client, upstream), boost::asio::detached);
                boost::asio::co_spawn(ioc_, pump(upstream, client), boost::asio::detached);
                co_return;
            }
            http::response<http::string_body> res{http::status::ok, 11};
            res.set("X-Seen-Target", std::string(req.target()));
            res.set("X-Seen-Proxy-Authorization", auth);
            res.set("X-Seen-Host", std::string(req[http::field::host]));
            res.body() = req.body();
            co_await send(*stream, res);
            if (!req.keep_alive()) break;
        }
        error_code ignored;
        stream->socket().close(ignored);
    }

    static boost::asio::awaitable<void> pump(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
        std::array<char, 16384> data;
        for (;;) {
            auto [rec, n] = co_await from->async_read_some(boost::asio::buffer(data), tuple);
            if (rec) break;
            auto [wec, w] = co_await boost::asio::async_write(*to, boost::asio::buffer(data.data(), n), tuple);
            if (wec) break;
        }
        error_code ignored;
        to->shutdown(tcp::socket::shutdown_send, ignored);
    }

    TestProxyOptions options_;
    boost::asio::io_context ioc_;
    tcp::acceptor acceptor_;
    std::vector<tcp::socket> silent_;
    unsigned short port_ = 0;
    mutable std::mutex mutex_;
    std::vector<std::string> seen_;
    std::thread thread_;
};

}  // namespace fu::test
