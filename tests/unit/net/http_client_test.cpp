#include "net/http_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "test_proxy.hpp"
#include "test_server.hpp"

namespace {
using namespace std::chrono_literals;
using fu::net::ClientError;
using fu::net::ClientRequest;
using fu::net::ClientResponse;
using fu::net::HttpClient;
using fu::net::HttpClientOptions;
using fu::net::NoProxy;
using fu::net::parse_proxy_url;
using fu::test::Request;
using fu::test::Response;
using fu::test::TestProxy;
using fu::test::TestProxyOptions;
using fu::test::TestServer;
using fu::test::TestServerOptions;
using ::testing::HasSubstr;
namespace asio = boost::asio;
namespace http = boost::beast::http;

// Echoes what it saw in X-Seen-* headers and the body.
Response echo(const Request& req) {
    Response res{http::status::ok, 11};
    res.set("X-Seen-Method", std::string(req.method_string()));
    res.set("X-Seen-Target", std::string(req.target()));
    res.set("X-Seen-Test", std::string(req["X-Test"]));
    res.set("X-Seen-Host", std::string(req[http::field::host]));
    res.set("X-Seen-Agent", std::string(req[http::field::user_agent]));
    res.set("X-Seen-Length", std::string(req[http::field::content_length]));
    res.set("X-Seen-Proxy-Authorization", std::string(req[http::field::proxy_authorization]));
    res.body() = req.body();
    return res;
}

ClientRequest get(const std::string& url, std::chrono::milliseconds timeout = 5000ms) {
    ClientRequest r;
    r.method = "GET";
    r.url = url;
    r.timeout = timeout;
    return r;
}

// Runs the client's io_context (on `threads` threads) until every request
// finished, at most 10 s; returns the responses or rethrows the first error.
std::vector<ClientResponse> run_all(asio::io_context& ioc, HttpClient& client, std::vector<ClientRequest> reqs,
                                    int threads = 1) {
    std::vector<std::future<ClientResponse>> futures;
    for (auto& r : reqs) futures.push_back(asio::co_spawn(ioc, client.request(std::move(r)), asio::use_future));
    ioc.restart();
    std::vector<std::thread> extra;
    for (int i = 1; i < threads; ++i) extra.emplace_back([&] { ioc.run_for(10s); });
    ioc.run_for(10s);
    for (auto& t : extra) t.join();
    std::vector<ClientResponse> out;
    for (auto& f : futures) {
        if (f.wait_for(0s) != std::future_status::ready) throw std::runtime_error("request did not finish in 10 s");
        out.push_back(f.get());
    }
    return out;
}

ClientResponse run_one(asio::io_context& ioc, HttpClient& client, ClientRequest req) {
    std::vector<ClientRequest> reqs;
    reqs.push_back(std::move(req));
    return run_all(ioc, client, std::move(reqs)).front();
}

std::string error_of(asio::io_context& ioc, HttpClient& client, ClientRequest req) {
    try {
        run_one(ioc, client, std::move(req));
    } catch (const ClientError& e) {
        return e.what();
    }
    return "(no ClientError)";
}

// A throwaway CA and a temp dir holding only its certificate.
struct TlsFixture : ::testing::Test {
    void SetUp() override {
        ca = fu::test::make_ca();
        std::string tmpl = (std::filesystem::temp_directory_path() / "fu-http-client-XXXXXX").string();
        ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
        dir = tmpl;
        ca_file = (dir / "ca.pem").string();
        std::ofstream(ca_file) << ca.cert_pem;
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    TestServerOptions tls_for(const std::string& cn, const std::string& san) {
        TestServerOptions o;
        o.tls = fu::test::server_tls(fu::test::make_server_cert(ca, cn, san));
        return o;
    }
    HttpClientOptions trusting_ca() {
        HttpClientOptions o;
        o.ca_file = ca_file;
        return o;
    }

    fu::test::TestCa ca;
    std::filesystem::path dir;
    std::string ca_file;
    asio::io_context ioc;
};

TEST(HttpClient, GetSendsHostUserAgentHeadersAndTargetWithQuery) {
    TestServer server(echo);
    asio::io_context ioc;
    HttpClient client(ioc.get_executor());
    auto req = get(server.url("/bot123/getMe?offset=5&x=a%20b"));
    req.headers = {{"X-Test", "abc"}};
    auto res = run_one(ioc, client, std::move(req));
    EXPECT_EQ(res.status, 200u);
    EXPECT_EQ(res.header("x-seen-method"), "GET");
    EXPECT_EQ(res.header("x-seen-target"), "/bot123/getMe?offset=5&x=a%20b");
    EXPECT_EQ(res.header("x-seen-test"), "abc");
    EXPECT_EQ(res.header("x-seen-host"), "127.0.0.1:" + std::to_string(server.port()));
    EXPECT_EQ(res.header("x-seen-agent"), "followupd/0.1");
    EXPECT_EQ(res.body, "");
}

TEST(HttpClient, PostSendsTheBodyWithContentLengthAndReadsTheBodyBack) {
    TestServer server(echo);
    asio::io_context ioc;
    HttpClient client(ioc.get_executor());
    ClientRequest req;
    req.url = server.url("/send");
    req.headers = {{"Content-Type", "application/json"}};
    req.body = R"({"chat_id":1,"text":"hi"})";
    auto res = run_one(ioc, client, req);
    EXPECT_EQ(res.status, 200u);
    EXPECT_EQ(res.header("x-seen-method"), "POST");
    EXPECT_EQ(res.header("x-seen-length"), std::to_string(req.body.size()));
    EXPECT_EQ(res.body, req.body);
}

TEST(HttpClient, ErrorStatusesAreResponsesWithTheirHeadersAndBody) {
    TestServer server([](const Request& req) {
        Response res{req.target() == "/busy" ? http::status::too_many_requests : http::status::internal_server_error,
                     11};
        if (req.target() == "/busy") res.set(http::field::retry_after, "7");
        res.body() = "nope";
        return res;
    });
    asio::io_context ioc;
    HttpClient client(ioc.get_executor());
    auto busy = run_one(ioc, client, get(server.url("/busy")));
    EXPECT_EQ(busy.status, 429u);
    EXPECT_EQ(busy.header("retry-after"), "7");
    auto broken = run_one(ioc, client, get(server.url("/broken")));
    EXPECT_EQ(broken.status, 500u);
    EXPECT_EQ(broken.body, "nope");
}

TEST(HttpClient, SequentialRequestsReuseOneKeptAliveConnection) {
    TestServer server(echo);
    asio::io_context ioc;
    HttpClient client(ioc.get_executor());
    for (int i = 0; i < 3; ++i) EXPECT_EQ(run_one(ioc, client, get(server.url("/"))).status, 200u);
    EXPECT_EQ(client.connections_opened(), 1u);
    EXPECT_EQ(server.accepted(), 1);
}

TEST(HttpClient, ConnectionCloseResponsesAreNotPooled) {
    TestServer server([](const Request& req) {
        auto res = echo(req);
        res.keep_alive(false);
        return res;
    });
    asio::io_context ioc;
    HttpClient client(ioc.get_executor());
    for (int i = 0; i < 2; ++i) EXPECT_EQ(run_one(ioc, client, get(server.url("/"))).status, 200u);
    EXPECT_EQ(client.connections_opened(), 2u);
}

TEST(HttpClient, AConnectionTheServerClosedWhileIdleIsRetriedOnAFreshOne) {
    TestServerOptions options;
    options.close_after_response = true;
    TestServer server(echo, options);
    asio::io_context ioc;
    HttpClient client(ioc.get_executor());
    for (int i = 0; i < 3; ++i) {
        auto req = get(server.url("/"));
        req.method = "POST";
        req.body = "n" + std::to_string(i);
        auto res = run_one(ioc, client, std::move(req));
        EXPECT_EQ(res.status, 200u);
        EXPECT_EQ(res.body, "n" + std::to_string(i));
        std::this_thread::sleep_for(20ms);  // let the close arrive
    }
    EXPECT_EQ(client.connections_opened(), 3u);
    EXPECT_EQ(server.requests(), 3);
}

TEST(HttpClient, AServerThatNeverAnswersTimesOutWithinTheDeadline) {
    TestServerOptions options;
    options.silent = true;
    TestServer server(echo, options);
    asio::io_context ioc;
    HttpClient client(ioc.get_executor());
    const auto start = std::chrono::steady_clock::now();
    const auto what = error_of(ioc, client, get(server.url("/"), 300ms));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_THAT(what, HasSubstr("timeout"));
    EXPECT_THAT(what, HasSubstr("127.0.0.1:" + std::to_string(server.port())));
    EXPECT_GE(elapsed, 250ms);
    EXPECT_LT(elapsed, 2s);
}

TEST(HttpClient, AResponseBodyOverTheLimitIsAClientError) {
    TestServer server([](const Request& req) {
        auto res = echo(req);
        res.body() = std::string(4096, 'x');
        return res;
    });
    asio::io_context ioc;
    HttpClientOptions options;
    options.body_limit = 1024;
    HttpClient client(ioc.get_executor(), options);
    EXPECT_THAT(error_of(ioc, client, get(server.url("/big"))), HasSubstr("body limit"));
}

TEST(HttpClient, ARefusedConnectionSaysWhereItFailed) {
    unsigned short port = 0;
    {
        TestServer gone(echo);
        port = gone.port();
    }
    asio::io_context ioc;
    HttpClient client(ioc.get_executor());
    const auto what = error_of(ioc, client, get("http://127.0.0.1:" + std::to_string(port) + "/"));
    EXPECT_THAT(what, HasSubstr("connecting to 127.0.0.1:" + std::to_string(port)));
}

TEST(HttpClient, AnUnsupportedSchemeIsAClientError) {
    asio::io_context ioc;
    HttpClient client(ioc.get_executor());
    EXPECT_THAT(error_of(ioc, client, get("ftp://example.com/x")), HasSubstr("scheme"));
}

TEST(HttpClient, ConcurrentRequestsFromManyCoroutinesAllComplete) {
    TestServer server(echo);
    asio::io_context ioc;
    HttpClientOptions options;
    options.max_idle_per_host = 2;
    HttpClient client(ioc.get_executor(), options);
    std::vector<ClientRequest> reqs;
    for (int i = 0; i < 24; ++i) {
        auto r = get(server.url("/" + std::to_string(i)));
        r.method = "POST";
        r.body = "body " + std::to_string(i);
        reqs.push_back(std::move(r));
    }
    for (int round = 0; round < 2; ++round) {
        auto res = run_all(ioc, client, reqs, 4);
        ASSERT_EQ(res.size(), reqs.size());
        for (std::size_t i = 0; i < res.size(); ++i) {
            EXPECT_EQ(res[i].status, 200u);
            EXPECT_EQ(res[i].body, reqs[i].body);
            EXPECT_EQ(res[i].header("x-seen-target"), "/" + std::to_string(i));
        }
    }
    EXPECT_LE(client.connections_opened(), 2 * reqs.size());
}

TEST_F(TlsFixture, HttpsWithTheTestCaAsCaFileSucceedsAndKeepsTheConnection) {
    TestServer server(echo, tls_for("localhost", "DNS:localhost,IP:127.0.0.1"));
    HttpClient client(ioc.get_executor(), trusting_ca());
    for (const char* host : {"localhost", "localhost"}) {
        auto res = run_one(ioc, client, get(server.url("/tls?a=1", host)));
        EXPECT_EQ(res.status, 200u);
        EXPECT_EQ(res.header("x-seen-target"), "/tls?a=1");
    }
    EXPECT_EQ(client.connections_opened(), 1u);
}

TEST_F(TlsFixture, HttpsToAnIpAddressIsCheckedAgainstTheIpSubjectAltName) {
    TestServer server(echo, tls_for("localhost", "DNS:localhost,IP:127.0.0.1"));
    HttpClient client(ioc.get_executor(), trusting_ca());
    EXPECT_EQ(run_one(ioc, client, get(server.url("/"))).status, 200u);
}

TEST_F(TlsFixture, HttpsWithoutTheTestCaFailsVerification) {
    TestServer server(echo, tls_for("localhost", "DNS:localhost,IP:127.0.0.1"));
    HttpClient client(ioc.get_executor());  // system roots only
    const auto what = error_of(ioc, client, get(server.url("/", "localhost")));
    EXPECT_THAT(what, HasSubstr("TLS handshake with localhost:" + std::to_string(server.port())));
    EXPECT_THAT(what, HasSubstr("certificate verify failed"));
}

TEST_F(TlsFixture, HttpsWithACertificateForAnotherHostFails) {
    TestServer server(echo, tls_for("other.example", "DNS:other.example"));
    HttpClient client(ioc.get_executor(), trusting_ca());
    const auto what = error_of(ioc, client, get(server.url("/", "localhost")));
    EXPECT_THAT(what, HasSubstr("certificate verify failed"));
    EXPECT_THAT(what, HasSubstr("hostname mismatch"));
}

TEST_F(TlsFixture, ConcurrentHttpsRequestsAllComplete) {
    TestServer server(echo, tls_for("localhost", "DNS:localhost,IP:127.0.0.1"));
    HttpClient client(ioc.get_executor(), trusting_ca());
    std::vector<ClientRequest> reqs;
    for (int i = 0; i < 12; ++i) {
        auto r = get(server.url("/", "localhost"));
        r.headers = {{"X-Test", std::to_string(i)}};
        reqs.push_back(std::move(r));
    }
    auto res = run_all(ioc, client, reqs, 4);
    for (std::size_t i = 0; i < res.size(); ++i) EXPECT_EQ(res[i].header("x-seen-test"), std::to_string(i));
}

TEST(HttpClientOptions, AMissingCaFileIsReportedAtConstruction) {
    asio::io_context ioc;
    HttpClientOptions options;
    options.ca_file = "/nonexistent/ca.pem";
    EXPECT_THROW(HttpClient(ioc.get_executor(), options), ClientError);
}

// ---- through an outbound proxy ------------------------------------------------

// "alice:s3cret"
constexpr const char* kAliceAuth = "Basic YWxpY2U6czNjcmV0";

HttpClientOptions through(const TestProxy& proxy, HttpClientOptions o = {}, const std::string& userinfo = "") {
    o.proxy.https = o.proxy.http = parse_proxy_url(proxy.url(userinfo));
    return o;
}

TEST_F(TlsFixture, HttpsThroughAProxyIsATunnelWithTheTargetsTlsAndIsKeptAlive) {
    TestServer server(echo, tls_for("localhost", "DNS:localhost,IP:127.0.0.1"));
    TestProxy proxy;
    HttpClient client(ioc.get_executor(), through(proxy, trusting_ca()));
    for (int i = 0; i < 2; ++i) {
        auto res = run_one(ioc, client, get(server.url("/tls?a=1", "localhost")));
        EXPECT_EQ(res.status, 200u);
        EXPECT_EQ(res.header("x-seen-target"), "/tls?a=1");  // origin-form inside the tunnel
        EXPECT_EQ(res.header("x-seen-host"), "localhost:" + std::to_string(server.port()));
    }
    // One tunnel, kept alive for the second request.
    EXPECT_EQ(proxy.seen(), std::vector<std::string>{"CONNECT localhost:" + std::to_string(server.port())});
    EXPECT_EQ(client.connections_opened(), 1u);
}

TEST_F(TlsFixture, TheProxyGetsTheCredentialsWithConnectAndTheTargetNever) {
    TestServer server(echo, tls_for("localhost", "DNS:localhost,IP:127.0.0.1"));
    TestProxyOptions po;
    po.authorization = kAliceAuth;
    TestProxy proxy(po);
    HttpClient client(ioc.get_executor(), through(proxy, trusting_ca(), "alice:s3cret"));
    auto res = run_one(ioc, client, get(server.url("/", "localhost")));
    EXPECT_EQ(res.status, 200u);
    EXPECT_EQ(res.header("x-seen-proxy-authorization"), "");
}

TEST_F(TlsFixture, AProxyRefusingTheCredentialsIsAClientErrorNamingItsStatus) {
    TestServer server(echo, tls_for("localhost", "DNS:localhost,IP:127.0.0.1"));
    TestProxyOptions po;
    po.authorization = kAliceAuth;
    TestProxy proxy(po);
    HttpClient client(ioc.get_executor(), through(proxy, trusting_ca(), "alice:wrong-password"));
    const auto what = error_of(ioc, client, get(server.url("/", "localhost")));
    EXPECT_EQ(what, "proxy 127.0.0.1:" + std::to_string(proxy.port()) + " answered CONNECT localhost:" +
                        std::to_string(server.port()) + " with 407 Proxy Authentication Required");
    EXPECT_THAT(what, ::testing::Not(HasSubstr("wrong-password")));
    EXPECT_EQ(server.requests(), 0);
}

TEST_F(TlsFixture, AProxyRefusingTheTunnelIsAClientErrorNamingItsStatus) {
    TestServer server(echo, tls_for("localhost", "DNS:localhost,IP:127.0.0.1"));
    TestProxyOptions po;
    po.connect_status = 403;
    TestProxy proxy(po);
    HttpClient client(ioc.get_executor(), through(proxy, trusting_ca()));
    EXPECT_THAT(error_of(ioc, client, get(server.url("/", "localhost"))),
                HasSubstr("proxy 127.0.0.1:" + std::to_string(proxy.port()) +
                          " answered CONNECT localhost:" + std::to_string(server.port()) + " with 403 Forbidden"));
}

TEST_F(TlsFixture, ThroughAProxyTheTargetsCertificateIsStillChecked) {
    TestServer server(echo, tls_for("other.example", "DNS:other.example"));
    TestProxy proxy;
    HttpClient client(ioc.get_executor(), through(proxy, trusting_ca()));
    const auto what = error_of(ioc, client, get(server.url("/", "localhost")));
    EXPECT_THAT(what, HasSubstr("TLS handshake with localhost:" + std::to_string(server.port()) +
                                " through proxy 127.0.0.1:" + std::to_string(proxy.port())));
    EXPECT_THAT(what, HasSubstr("hostname mismatch"));
}

TEST_F(TlsFixture, ATargetInNoProxyIsReachedDirectly) {
    TestServer server(echo, tls_for("localhost", "DNS:localhost,IP:127.0.0.1"));
    TestProxy proxy;
    auto options = through(proxy, trusting_ca());
    options.proxy.no_proxy = NoProxy::parse("example.com, localhost");
    HttpClient client(ioc.get_executor(), options);
    EXPECT_EQ(run_one(ioc, client, get(server.url("/", "localhost"))).status, 200u);
    EXPECT_TRUE(proxy.seen().empty());
    // The same server by its IP literal is not in the list: through the proxy.
    EXPECT_EQ(run_one(ioc, client, get(server.url("/"))).status, 200u);
    EXPECT_EQ(proxy.seen(), std::vector<std::string>{"CONNECT 127.0.0.1:" + std::to_string(server.port())});
}

TEST(HttpClientProxy, PlainHttpGoesToTheProxyInAbsoluteFormWithTheCredentials) {
    TestProxy proxy;
    asio::io_context ioc;
    HttpClient client(ioc.get_executor(), through(proxy, {}, "alice:s3cret"));
    // The proxy answers itself: the target's name is never resolved here.
    auto res = run_one(ioc, client, get("http://origin.invalid:8080/p?q=1"));
    EXPECT_EQ(res.status, 200u);
    EXPECT_EQ(res.header("x-seen-target"), "http://origin.invalid:8080/p?q=1");
    EXPECT_EQ(res.header("x-seen-host"), "origin.invalid:8080");
    EXPECT_EQ(res.header("x-seen-proxy-authorization"), kAliceAuth);
    EXPECT_EQ(run_one(ioc, client, get("http://origin.invalid/")).header("x-seen-target"), "http://origin.invalid/");
}

TEST(HttpClientProxy, A407ToAForwardedRequestIsAClientErrorNotAnAnswer) {
    TestProxyOptions po;
    po.authorization = kAliceAuth;
    TestProxy proxy(po);
    asio::io_context ioc;
    HttpClient client(ioc.get_executor(), through(proxy));
    EXPECT_EQ(error_of(ioc, client, get("http://origin.invalid/")),
              "proxy 127.0.0.1:" + std::to_string(proxy.port()) +
                  " answered origin.invalid:80 with 407 Proxy Authentication Required");
}

TEST(HttpClientProxy, ADeadProxySaysWhichProxy) {
    unsigned short port = 0;
    {
        TestProxy gone;
        port = gone.port();
    }
    asio::io_context ioc;
    HttpClientOptions options;
    options.proxy.https = parse_proxy_url("http://127.0.0.1:" + std::to_string(port));
    HttpClient client(ioc.get_executor(), options);
    const auto what = error_of(ioc, client, get("https://qyapi.example.invalid/cgi-bin/gettoken"));
    EXPECT_THAT(what, HasSubstr("connecting to proxy 127.0.0.1:" + std::to_string(port) + " failed"));
}

TEST(HttpClientProxy, AProxyThatNeverAnswersConnectTimesOutWithinTheDeadline) {
    TestProxyOptions po;
    po.silent = true;
    TestProxy proxy(po);
    asio::io_context ioc;
    HttpClient client(ioc.get_executor(), through(proxy));
    const auto start = std::chrono::steady_clock::now();
    const auto what = error_of(ioc, client, get("https://qyapi.example.invalid/", 300ms));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_THAT(what, HasSubstr("timeout after 300 ms waiting for the answer to CONNECT qyapi.example.invalid:443 "
                                "from proxy 127.0.0.1:" +
                                std::to_string(proxy.port())));
    EXPECT_GE(elapsed, 250ms);
    EXPECT_LT(elapsed, 2s);
}

}  // namespace
