#pragma once
// The one HTTP entry point: /hooks/<platform> to that platform's adapter,
// /api/v1/ to the REST API, /metrics, /healthz and /readyz, /calendar/ to the
// calendar feeds, /dashboard and /api/dashboard to the managers' dashboard, /my
// and /api/my/ to the reps' page, and
// everything else to the web chat. Also the Inbox through which
// adapters hand in authenticated messages.
#include <functional>
#include <string>
#include <vector>

#include "adapters/adapter.hpp"
#include "core/bot.hpp"
#include "net/http_server.hpp"
#include "server/calendar_feed.hpp"
#include "server/dashboard.hpp"
#include "server/effects.hpp"
#include "server/event_hub.hpp"
#include "server/health.hpp"
#include "server/metrics.hpp"
#include "server/my_page.hpp"
#include "server/rest_api.hpp"
#include "server/scheduler.hpp"
#include "server/storage_executor.hpp"
#include "server/web_chat.hpp"

namespace fu::server {

class PlatformInbox final : public adapters::Inbox {
public:
    PlatformInbox(StorageExecutor& storage, Bot& bot, Effects& effects);
    boost::asio::awaitable<std::optional<std::string>> accept(Inbound in) override;

private:
    StorageExecutor& storage_;
    Bot& bot_;
    Effects& effects_;
};

class Router final : public net::HttpHandler {
public:
    Router(WebChat& web, Metrics& metrics, adapters::Inbox& inbox) : web_(web), metrics_(metrics), inbox_(inbox) {}
    void add(adapters::Adapter& a) { adapters_.push_back(&a); }
    void set_rest(RestApi& rest) { rest_ = &rest; }                 // serves /api/v1/
    void set_health(Health& health) { health_ = &health; }          // serves /healthz and /readyz
    void set_calendar(calendar_feed::Route& c) { calendar_ = &c; }  // serves /calendar/<token>.ics
    void set_dashboard(Dashboard& d) { dashboard_ = &d; }           // serves /dashboard and its API
    void set_my_page(MyPage& m) { my_page_ = &m; }                  // serves /my and its API

    boost::asio::awaitable<net::Response> handle(const net::Request&) override;
    bool wants_stream(const net::Request& r) const override;
    boost::asio::awaitable<void> stream(boost::beast::tcp_stream& s, const net::Request& r) override {
        return web_.stream(s, r);
    }

private:
    WebChat& web_;
    Metrics& metrics_;
    adapters::Inbox& inbox_;  // where webhooks' messages are executed
    std::vector<adapters::Adapter*> adapters_;
    RestApi* rest_ = nullptr;
    Health* health_ = nullptr;
    calendar_feed::Route* calendar_ = nullptr;
    Dashboard* dashboard_ = nullptr;
    MyPage* my_page_ = nullptr;
};

}  // namespace fu::server
