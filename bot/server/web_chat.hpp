#pragma once
// The local web chat: the page, the chat API and live events (SSE). See
// docs/WEB_CHAT_API.md.
#include <functional>
#include <string>

#include "core/bot.hpp"
#include "core/store.hpp"
#include "server/event_hub.hpp"
#include "net/http_server.hpp"
#include "server/effects.hpp"
#include "server/storage_executor.hpp"

namespace fu::server {

std::string_view web_page();  // embedded at build time

struct WebChatOptions {
    bool enabled = true;  // false: the page and its API answer 404
    std::string token;    // empty: no token needed
    std::chrono::seconds ping_interval{15};
    std::size_t max_text_bytes = 4000;
};

class WebChat final : public net::HttpHandler {
public:
    WebChat(StorageExecutor& storage, Store& store, Bot& bot, Effects& effects, EventHub& hub,
            WebChatOptions options);

    boost::asio::awaitable<net::Response> handle(const net::Request&) override;
    bool wants_stream(const net::Request&) const override;
    boost::asio::awaitable<void> stream(boost::beast::tcp_stream&, const net::Request&) override;

private:
    bool authorized(const net::Request&) const;
    boost::asio::awaitable<net::Response> users(const net::Request&);
    boost::asio::awaitable<net::Response> chat(const net::Request&);
    boost::asio::awaitable<net::Response> messages(const net::Request&);

    StorageExecutor& storage_;
    Store& store_;
    Bot& bot_;
    Effects& effects_;
    EventHub& hub_;  // the live streams
    WebChatOptions options_;
};

}  // namespace fu::server
