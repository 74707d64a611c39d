// The test server and the throwaway CA behind test_server.hpp, compiled once
// for every test that uses them (Beast's TLS and coroutine templates are
// costly to instantiate in each test file).
#include "test_server.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace fu::test {
namespace {
using asio::ip::tcp;
}

namespace detail {
inline void check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("test certificate: ") + what);
}

inline std::shared_ptr<EVP_PKEY> new_key() {
    std::shared_ptr<EVP_PKEY> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    check(key != nullptr, "EVP_EC_gen");
    return key;
}

inline void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    check(ext != nullptr, value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

// issuer == nullptr: self-signed.
inline std::shared_ptr<X509> new_cert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key,
                                      const std::string& san, long serial) {
    std::shared_ptr<X509> cert(X509_new(), X509_free);
    X509* x = cert.get();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
    X509_set_pubkey(x, key);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509* signer = issuer ? issuer : x;
    X509_set_issuer_name(x, X509_get_subject_name(signer));
    add_ext(x, signer, NID_subject_key_identifier, "hash");
    add_ext(x, signer, NID_authority_key_identifier, "keyid:always");
    if (issuer == nullptr) {
        add_ext(x, signer, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(x, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_ext(x, signer, NID_basic_constraints, "critical,CA:FALSE");
        add_ext(x, signer, NID_ext_key_usage, "serverAuth");
        add_ext(x, signer, NID_subject_alt_name, san.c_str());
    }
    check(X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256()) > 0, "X509_sign");
    return cert;
}

template <class Write>
std::string to_pem(Write write) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    check(write(bio.get()) == 1, "PEM write");
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}
}  // namespace detail

TestCa make_ca(const std::string& cn) {
    TestCa ca;
    ca.key = detail::new_key();
    ca.cert = detail::new_cert(ca.key.get(), cn, nullptr, nullptr, "", 1);
    ca.cert_pem = detail::to_pem([&](BIO* b) { return PEM_write_bio_X509(b, ca.cert.get()); });
    return ca;
}

// san: "DNS:localhost,IP:127.0.0.1"
KeyPair make_server_cert(const TestCa& ca, const std::string& cn, const std::string& san) {
    static std::atomic<long> serial{100};
    auto key = detail::new_key();
    auto cert = detail::new_cert(key.get(), cn, ca.cert.get(), ca.key.get(), san, ++serial);
    KeyPair out;
    out.cert_pem = detail::to_pem([&](BIO* b) { return PEM_write_bio_X509(b, cert.get()); });
    out.key_pem = detail::to_pem(
        [&](BIO* b) { return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
    return out;
}

std::shared_ptr<ssl::context> server_tls(const KeyPair& kp) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    ctx->use_certificate_chain(asio::buffer(kp.cert_pem));
    ctx->use_private_key(asio::buffer(kp.key_pem), ssl::context::pem);
    return ctx;
}

unsigned short closed_port() {
    asio::io_context probe;
    tcp::acceptor a(probe, {asio::ip::make_address("127.0.0.1"), 0});
    const auto port = a.local_endpoint().port();
    a.close();
    return port;
}

// ---- the server ---------------------------------------------------------------

struct TestServer::Impl {
    Impl(Handler handler, TestServerOptions options)
        : handler_(std::move(handler)), options_(std::move(options)), acceptor_(ioc_) {}

    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec) co_return;
            ++accepted_;
            if (options_.silent) {
                silent_.push_back(std::move(socket));
                continue;
            }
            beast::tcp_stream tcp(std::move(socket));
            if (options_.tls) {
                auto stream = std::make_shared<beast::ssl_stream<beast::tcp_stream>>(std::move(tcp), *options_.tls);
                asio::co_spawn(ioc_, tls_session(stream), asio::detached);
            } else {
                auto stream = std::make_shared<beast::tcp_stream>(std::move(tcp));
                asio::co_spawn(ioc_, session(stream), asio::detached);
            }
        }
    }

    asio::awaitable<void> tls_session(std::shared_ptr<beast::ssl_stream<beast::tcp_stream>> stream) {
        auto [ec] = co_await stream->async_handshake(ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
        if (ec) co_return;
        co_await serve(*stream);  // references only: see GCC PR 99576
    }

    asio::awaitable<void> session(std::shared_ptr<beast::tcp_stream> stream) { co_await serve(*stream); }

    template <class Stream>
    asio::awaitable<void> serve(Stream& stream) {
        beast::flat_buffer buffer;
        for (;;) {
            Request req;
            auto [rec, n] = co_await http::async_read(stream, buffer, req, asio::as_tuple(asio::use_awaitable));
            if (rec) break;
            ++requests_;
            Response res = handler_(req);
            res.version(11);
            res.prepare_payload();
            const bool keep = res.keep_alive() && req.keep_alive();
            auto [wec, m] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
            if (wec || !keep || options_.close_after_response) break;
        }
        beast::get_lowest_layer(stream).close();
    }

    Handler handler_;
    TestServerOptions options_;
    asio::io_context ioc_;
    tcp::acceptor acceptor_;
    std::vector<tcp::socket> silent_;
    unsigned short port_ = 0;
    std::atomic<int> accepted_{0};
    std::atomic<int> requests_{0};
    std::thread thread_;
};

TestServer::TestServer(Handler handler, TestServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(handler), std::move(options))) {
    auto& s = *impl_;
    const tcp::endpoint ep{asio::ip::make_address("127.0.0.1"), 0};
    s.acceptor_.open(ep.protocol());
    s.acceptor_.bind(ep);
    s.acceptor_.listen();
    s.port_ = s.acceptor_.local_endpoint().port();
    asio::co_spawn(s.ioc_, s.accept_loop(), asio::detached);
    s.thread_ = std::thread([&s] { s.ioc_.run(); });
}

TestServer::~TestServer() {
    impl_->ioc_.stop();
    impl_->thread_.join();
}

unsigned short TestServer::port() const { return impl_->port_; }

std::string TestServer::url(const std::string& path, const std::string& host) const {
    return std::string(impl_->options_.tls ? "https" : "http") + "://" + host + ":" + std::to_string(impl_->port_) +
           path;
}

int TestServer::accepted() const { return impl_->accepted_.load(); }
int TestServer::requests() const { return impl_->requests_.load(); }

}  // namespace fu::test
