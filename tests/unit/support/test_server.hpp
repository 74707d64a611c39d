#pragma once
// A tiny HTTP(S) server for client tests: 127.0.0.1, an ephemeral port, its
// own io_context on its own thread. Also a throwaway CA and server
// certificates made at test time (nothing is written but the CA file).
// Compiled once, in test_server.cpp (the fu_test_support library).

#include <openssl/types.h>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <functional>
#include <memory>
#include <string>

namespace fu::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;

// ---- certificates -----------------------------------------------------------

struct KeyPair {
    std::string cert_pem;
    std::string key_pem;
};

struct TestCa {
    std::shared_ptr<EVP_PKEY> key;
    std::shared_ptr<X509> cert;
    std::string cert_pem;
};

TestCa make_ca(const std::string& cn = "followupd test CA");
// san: "DNS:localhost,IP:127.0.0.1"
KeyPair make_server_cert(const TestCa& ca, const std::string& cn, const std::string& san);
std::shared_ptr<ssl::context> server_tls(const KeyPair& kp);

// A port on 127.0.0.1 that was free a moment ago: nothing listens there now.
unsigned short closed_port();

// ---- the server ---------------------------------------------------------------

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using Handler = std::function<Response(const Request&)>;

struct TestServerOptions {
    std::shared_ptr<ssl::context> tls;  // null: plain http
    bool close_after_response = false;  // drop the connection after each response (without saying so)
    bool silent = false;                // accept, then never read or answer
};

class TestServer {
public:
    explicit TestServer(Handler handler, TestServerOptions options = {});
    ~TestServer();
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    unsigned short port() const;
    std::string url(const std::string& path, const std::string& host = "127.0.0.1") const;
    int accepted() const;
    int requests() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace fu::test
