#pragma once
// The local web chat: the page, the chat API and live events (SSE), and
// signing in to it. See docs/WEB_CHAT_API.md.
#include <functional>
#include <optional>
#include <string>

#include "core/bot.hpp"
#include "core/clock.hpp"
#include "core/store.hpp"
#include "net/http_server.hpp"
#include "server/effects.hpp"
#include "server/event_hub.hpp"
#include "server/sign_in.hpp"
#include "server/storage_executor.hpp"

namespace fu::server {

std::string_view web_page();  // embedded at build time

struct WebChatOptions {
    bool enabled = true;  // false: the page and its API answer 404
    // true: whoever reaches the page picks who they are (the demo on loopback
    // only: config web_chat.auth); false: everyone signs in.
    bool pick = false;
    std::string token;  // pick mode: a shared token (empty: none needed)
    std::chrono::seconds ping_interval{15};
    Seconds code_lifetime{600};  // sign-in codes and links
    Seconds session_lifetime{7 * 24 * 3600};
    bool secure_cookie = false;    // Secure on every cookie (else only for HTTPS requests)
    const Clock* clock = nullptr;  // null: the system clock
};

class WebChat final : public net::HttpHandler {
public:
    WebChat(StorageExecutor& storage, Store& store, Bot& bot, Effects& effects, EventHub& hub, WebChatOptions options);

    boost::asio::awaitable<net::Response> handle(const net::Request&) override;
    bool wants_stream(const net::Request&) const override;
    boost::asio::awaitable<void> stream(boost::beast::tcp_stream&, const net::Request&) override;

    // Who a request acts as: the signed-in person (sign-in mode) or the one
    // it names (pick mode), or why it may not act. The dashboard
    // (server/dashboard.cpp) asks the same.
    struct Caller {
        std::optional<User> user;  // sign-in: the session's person
        std::string session_id;    // sign-in: from the cookie
        unsigned status = 0;       // non-zero: refused with this status
        std::string reason;
    };
    boost::asio::awaitable<Caller> caller(const net::Request&);
    bool enabled() const { return options_.enabled; }
    bool pick() const { return options_.pick; }

private:
    bool token_ok(const net::Request&) const;
    boost::asio::awaitable<net::Response> session_info(const net::Request&, const Caller&);
    boost::asio::awaitable<net::Response> send_code(const net::Request&);
    boost::asio::awaitable<net::Response> sign_in(const net::Request&);
    boost::asio::awaitable<net::Response> sign_out(const net::Request&, const Caller&);
    boost::asio::awaitable<net::Response> users(const net::Request&, const Caller&);
    boost::asio::awaitable<net::Response> chat(const net::Request&, const Caller&);
    boost::asio::awaitable<net::Response> messages(const net::Request&, const Caller&);
    std::string cookie(const net::Request&, std::string_view value, std::int64_t max_age) const;

    StorageExecutor& storage_;
    Store& store_;
    Bot& bot_;
    Effects& effects_;
    EventHub& hub_;  // the live streams
    WebChatOptions options_;
    SystemClock system_clock_;
    const Clock& clock_;
    // Per person and per client address: codes asked for, and failed sign-ins.
    sign_in::RateLimit codes_per_user_{3, std::chrono::minutes(10)};
    sign_in::RateLimit codes_per_client_{10, std::chrono::minutes(10)};
    sign_in::RateLimit failures_per_user_{5, std::chrono::minutes(10)};
    sign_in::RateLimit failures_per_client_{20, std::chrono::minutes(10)};
};

}  // namespace fu::server
