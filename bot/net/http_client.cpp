#include "net/http_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <deque>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace fu::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace urls = boost::urls;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// The parts of a request URL a connection needs.
struct Target {
    bool tls = false;
    std::string host;  // for DNS, SNI and certificate checks (no brackets)
    std::string port;  // decimal
    std::string host_header;
    std::string path;  // origin-form: path and query
    std::string key;   // pool key: scheme://host:port
    std::string where() const {
        return host.find(':') != std::string::npos ? "[" + host + "]:" + port : host + ":" + port;
    }
};

Target parse_target(const std::string& url) {
    auto parsed = urls::parse_uri(url);
    if (!parsed) throw ClientError("invalid URL '" + url + "': " + parsed.error().message());
    const urls::url_view u = *parsed;
    Target t;
    if (u.scheme_id() == urls::scheme::https)
        t.tls = true;
    else if (u.scheme_id() != urls::scheme::http)
        throw ClientError("unsupported URL scheme in '" + url + "' (only http and https)");
    if (u.host_type() == urls::host_type::ipv6)
        t.host = std::string(u.encoded_host_address());
    else
        t.host = u.host();
    if (t.host.empty()) throw ClientError("URL without a host: '" + url + "'");
    t.port = u.has_port() && !u.port().empty() ? std::string(u.port()) : (t.tls ? "443" : "80");
    t.host_header = std::string(u.encoded_host());
    if (u.has_port() && !u.port().empty()) t.host_header += ":" + t.port;
    t.path = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
    if (u.has_query()) t.path += "?" + std::string(u.encoded_query());
    t.key = std::string(u.scheme()) + "://" + t.host + ":" + t.port;
    return t;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// One kept-alive connection. Its I/O runs on its own strand; a request owns
// it exclusively between taking it from the pool and giving it back.
struct Conn {
    Conn(asio::any_io_executor ex, ssl::context* ctx, std::string key)
        : strand(asio::make_strand(ex)), key(std::move(key)) {
        if (ctx)
            tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(strand, *ctx);
        else
            plain = std::make_unique<beast::tcp_stream>(strand);
    }
    beast::tcp_stream& tcp() { return tls ? tls->next_layer() : *plain; }
    void close() {
        error_code ec;
        tcp().socket().close(ec);
    }

    asio::strand<asio::any_io_executor> strand;
    std::string key;
    std::unique_ptr<beast::tcp_stream> plain;
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
    beast::flat_buffer buffer;
};

using ConnPtr = std::shared_ptr<Conn>;

// What one attempt on one connection produced.
struct Attempt {
    bool stale = false;  // a reused connection was closed by the peer before any response byte
    bool reusable = false;
    ClientResponse response;
};

// Everything one request needs, shared by reference with the coroutines on
// the connection's strand (the caller's frame outlives them).
struct Call {
    const Target& target;
    http::request<http::string_body>& message;
    Clock::time_point deadline;
    std::chrono::milliseconds timeout;
    std::size_t body_limit;
    bool head = false;
    const ProxyUrl* proxy = nullptr;  // the proxy on the way, or none

    bool expired() const { return Clock::now() >= deadline; }
    // The target, and the proxy on the way (never its credentials).
    std::string peer() const { return proxy ? target.where() + " through proxy " + proxy->where() : target.where(); }
    [[noreturn]] void fail(const std::string& what, const error_code& ec) const { fail_at(what, peer(), ec); }
    [[noreturn]] void fail_at(const std::string& what, const std::string& where, const error_code& ec) const {
        if (ec == beast::error::timeout || ec == asio::error::operation_aborted || expired())
            throw ClientError("timeout after " + std::to_string(timeout.count()) + " ms " + what + " " + where);
        throw ClientError(what + " " + where + " failed: " + ec.message());
    }
};

std::string tls_failure(Conn& conn, const Call& call, const error_code& ec) {
    std::string msg = "TLS handshake with " + call.peer() + " failed: " + ec.message();
    const long verify = SSL_get_verify_result(conn.tls->native_handle());
    if (verify != X509_V_OK) msg += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
    return msg;
}

// Sends the request and reads the response on an open connection.
template <class Stream>
asio::awaitable<Attempt> exchange(Stream& stream, Conn& conn, const Call& call, bool reused) {
    Attempt out;
    conn.tcp().expires_at(call.deadline);
    auto [wec, written] = co_await http::async_write(stream, call.message, tuple_awaitable);
    (void)written;
    if (wec) {
        if (reused && !call.expired() && wec != beast::error::timeout) {
            out.stale = true;
            co_return out;
        }
        conn.close();
        call.fail("sending the request to", wec);
    }

    http::response_parser<http::string_body> parser;
    parser.header_limit(64 * 1024);
    parser.body_limit(call.body_limit);
    if (call.head) parser.skip(true);
    auto [rec, read] = co_await http::async_read(stream, conn.buffer, parser, tuple_awaitable);
    (void)read;
    if (rec) {
        const bool nothing = !parser.got_some() && conn.buffer.size() == 0;
        if (reused && nothing && !call.expired() && rec != beast::error::timeout) {
            out.stale = true;
            co_return out;
        }
        conn.close();
        if (rec == http::error::body_limit)
            throw ClientError("response from " + call.peer() + " exceeds the body limit of " +
                              std::to_string(call.body_limit) + " bytes");
        call.fail(nothing ? "waiting for a response from" : "reading the response from", rec);
    }
    conn.tcp().expires_never();

    auto msg = parser.release();
    out.response.status = msg.result_int();
    for (const auto& field : msg) {
        auto name = lower(field.name_string());
        auto [it, inserted] = out.response.headers.emplace(name, std::string(field.value()));
        if (!inserted) it->second += ", " + std::string(field.value());
    }
    out.response.body = std::move(msg.body());
    out.reusable = msg.keep_alive() && !parser.need_eof() && conn.buffer.size() == 0;
    co_return out;
}

asio::awaitable<Attempt> exchange_on(Conn& conn, const Call& call, bool reused) {
    if (conn.tls) co_return co_await exchange(*conn.tls, conn, call, reused);
    co_return co_await exchange(*conn.plain, conn, call, reused);
}

// Asks the proxy on an open connection for a tunnel to the target (RFC 9110
// 9.3.6). A 2xx answer has no body and the tunnel starts right after it;
// anything else closes the connection and fails the request naming the
// proxy's status.
asio::awaitable<void> open_tunnel(Conn& conn, const Call& call) {
    const std::string proxy = "proxy " + call.proxy->where();
    http::request<http::empty_body> req{http::verb::connect, call.target.where(), 11};
    req.set(http::field::host, call.target.where());
    req.set(http::field::user_agent, call.message[http::field::user_agent]);
    if (auto credentials = call.proxy->authorization(); !credentials.empty())
        req.set(http::field::proxy_authorization, credentials);
    conn.tcp().expires_at(call.deadline);
    auto [wec, written] = co_await http::async_write(conn.tcp(), req, tuple_awaitable);
    (void)written;
    if (wec) {
        conn.close();
        call.fail_at("sending CONNECT " + call.target.where() + " to", proxy, wec);
    }
    http::response_parser<http::empty_body> parser;
    parser.header_limit(16 * 1024);
    parser.skip(true);  // the body of a refusal is not read: the connection closes
    auto [rec, read] = co_await http::async_read(conn.tcp(), conn.buffer, parser, tuple_awaitable);
    (void)read;
    if (rec) {
        conn.close();
        call.fail_at("waiting for the answer to CONNECT " + call.target.where() + " from", proxy, rec);
    }
    const auto& res = parser.get();
    if (res.result_int() / 100 != 2) {
        conn.close();
        const std::string reason =
            res.reason().empty() ? std::string(http::obsolete_reason(res.result())) : std::string(res.reason());
        throw ClientError(proxy + " answered CONNECT " + call.target.where() + " with " +
                          std::to_string(res.result_int()) + " " + reason);
    }
    if (conn.buffer.size() != 0) {  // TLS starts with our ClientHello: the proxy has nothing to say first
        conn.close();
        throw ClientError(proxy + " sent data after accepting CONNECT " + call.target.where());
    }
}

// Resolves, connects (to the proxy, if any, and through its tunnel for
// https) and (for https) handshakes a fresh connection, then runs the
// exchange on it. Runs on the connection's strand.
asio::awaitable<Attempt> connect_and_exchange(Conn& conn, const Call& call) {
    const auto& t = call.target;
    const std::string& host = call.proxy ? call.proxy->host : t.host;
    const std::string& port = call.proxy ? call.proxy->port : t.port;
    const std::string first_hop = call.proxy ? "proxy " + call.proxy->where() : t.where();
    auto resolver = std::make_shared<tcp::resolver>(conn.strand);
    asio::steady_timer guard(conn.strand, call.deadline);
    guard.async_wait([resolver](error_code ec) {
        if (!ec) resolver->cancel();
    });
    auto [rec, results] = co_await resolver->async_resolve(host, port, tuple_awaitable);
    guard.cancel();
    if (rec) call.fail_at("resolving", first_hop, rec);

    conn.tcp().expires_at(call.deadline);
    auto [cec, endpoint] = co_await conn.tcp().async_connect(results, tuple_awaitable);
    (void)endpoint;
    if (cec) call.fail_at("connecting to", first_hop, cec);

    if (conn.tls && call.proxy) co_await open_tunnel(conn, call);

    if (conn.tls) {
        SSL* native = conn.tls->native_handle();
        error_code addr_ec;
        (void)asio::ip::make_address(t.host, addr_ec);
        if (addr_ec && !SSL_set_tlsext_host_name(native, t.host.c_str()))
            throw ClientError("TLS setup for " + t.where() + " failed: cannot set SNI");
        conn.tls->set_verify_mode(ssl::verify_peer);
        conn.tls->set_verify_callback(
            [check = ssl::host_name_verification(t.host)](bool preverified, ssl::verify_context& ctx) {
                const bool ok = check(preverified, ctx);
                if (!ok && preverified) X509_STORE_CTX_set_error(ctx.native_handle(), X509_V_ERR_HOSTNAME_MISMATCH);
                return ok;
            });
        auto [hec] = co_await conn.tls->async_handshake(ssl::stream_base::client, tuple_awaitable);
        if (hec) {
            conn.close();
            if (hec == beast::error::timeout || call.expired()) call.fail("in the TLS handshake with", hec);
            throw ClientError(tls_failure(conn, call, hec));
        }
    }
    co_return co_await exchange_on(conn, call, false);
}

asio::awaitable<Attempt> reuse_and_exchange(Conn& conn, const Call& call) {
    co_return co_await exchange_on(conn, call, true);
}

}  // namespace

struct HttpClient::Impl {
    Impl(asio::any_io_executor ex, HttpClientOptions opts) : ex(std::move(ex)), options(std::move(opts)) {
        tls.set_verify_mode(ssl::verify_peer);
        error_code ec;
        if (options.ca_file.empty())
            tls.set_default_verify_paths(ec);
        else
            tls.load_verify_file(options.ca_file, ec);
        if (ec)
            throw ClientError("cannot load TLS roots" +
                              (options.ca_file.empty() ? std::string() : " from " + options.ca_file) + ": " +
                              ec.message());
    }

    ConnPtr take_idle(const std::string& key) {
        std::lock_guard lock(mutex);
        auto it = idle.find(key);
        if (it == idle.end() || it->second.empty()) return nullptr;
        auto conn = std::move(it->second.back());
        it->second.pop_back();
        return conn;
    }

    void give_back(ConnPtr conn) {
        if (options.max_idle_per_host == 0) return;
        ConnPtr dropped;  // closed outside the lock
        std::lock_guard lock(mutex);
        auto& list = idle[conn->key];
        list.push_back(std::move(conn));
        if (list.size() > options.max_idle_per_host) {
            dropped = std::move(list.front());
            list.pop_front();
        }
    }

    asio::any_io_executor ex;
    HttpClientOptions options;
    ssl::context tls{ssl::context::tls_client};
    std::atomic<std::size_t> opened{0};
    std::mutex mutex;
    std::unordered_map<std::string, std::deque<ConnPtr>> idle;
};

HttpClient::HttpClient(asio::any_io_executor ex, HttpClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(ex), std::move(options))) {}

HttpClient::~HttpClient() = default;

std::size_t HttpClient::connections_opened() const { return impl_->opened.load(); }

asio::awaitable<ClientResponse> HttpClient::request(ClientRequest req) {
    Target target = parse_target(req.url);
    const ProxyUrl* proxy = impl_->options.proxy.pick(target.tls, target.host, target.port);
    if (proxy) target.key += " via " + proxy->where();

    http::request<http::string_body> message;
    const auto verb = http::string_to_verb(req.method);
    if (verb == http::verb::unknown)
        message.method_string(req.method);
    else
        message.method(verb);
    // To a proxy that forwards (http://): the absolute URL, and the credentials
    // for the proxy. Through a tunnel (https://) the target sees the request
    // as without a proxy: the credentials went with the CONNECT.
    const bool forward = proxy && !target.tls;
    message.target(forward ? "http://" + target.host_header + target.path : target.path);
    if (forward) {
        if (auto credentials = proxy->authorization(); !credentials.empty())
            message.set(http::field::proxy_authorization, credentials);
    }
    message.version(11);
    message.set(http::field::host, target.host_header);
    message.set(http::field::user_agent, impl_->options.user_agent);
    for (const auto& [name, value] : req.headers) message.set(name, value);
    message.body() = std::move(req.body);
    message.prepare_payload();

    const Call call{
        target, message, Clock::now() + req.timeout, req.timeout, impl_->options.body_limit, verb == http::verb::head,
        proxy};
    // Only a proxy answers 407: not the platform's answer, but a failure to reach it.
    auto checked = [&](Attempt& a) {
        if (forward && a.response.status == 407)
            throw ClientError("proxy " + proxy->where() + " answered " + target.where() +
                              " with 407 Proxy Authentication Required");
        return std::move(a.response);
    };

    Attempt attempt;
    if (ConnPtr conn = impl_->take_idle(target.key)) {
        auto task = reuse_and_exchange(*conn, call);
        auto on_strand = asio::co_spawn(conn->strand, std::move(task), asio::use_awaitable);
        attempt = co_await std::move(on_strand);
        if (!attempt.stale) {
            if (attempt.reusable) impl_->give_back(std::move(conn));
            co_return checked(attempt);
        }
        conn->close();  // closed by the peer while idle: retry once on a fresh connection
    }

    auto conn = std::make_shared<Conn>(impl_->ex, target.tls ? &impl_->tls : nullptr, target.key);
    ++impl_->opened;
    auto task = connect_and_exchange(*conn, call);
    auto on_strand = asio::co_spawn(conn->strand, std::move(task), asio::use_awaitable);
    attempt = co_await std::move(on_strand);
    if (attempt.reusable) impl_->give_back(std::move(conn));
    co_return checked(attempt);
}

}  // namespace fu::net
