#include "server/router.hpp"

#include <boost/asio/use_awaitable.hpp>

namespace fu::server {
namespace http = boost::beast::http;

PlatformInbox::PlatformInbox(StorageExecutor& storage, Bot& bot, Effects& effects)
    : storage_(storage), bot_(bot), effects_(effects) {}

// Dedupe, execute and the effects, on the storage thread; the adapter's
// intake and acknowledgement happen around it (adapters::serve_webhook).
boost::asio::awaitable<std::optional<std::string>> PlatformInbox::accept(Inbound m) {
    auto work = [this, m = std::move(m)] {
        auto r = bot_.handle_platform(m);
        if (!r.duplicate) effects_.committed(Changes{r.notified, r.platforms, false, true});
        return r;
    };
    PlatformResult r = co_await storage_.run(std::move(work));
    co_return r.stranger_reply;
}

boost::asio::awaitable<net::Response> Router::handle(const net::Request& req) {
    const auto target = std::string_view(req.target());
    const auto path = target.substr(0, target.find('?'));
    if (path == "/metrics") {
        net::Response res{http::status::ok, req.version()};
        res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        res.body() = metrics_.render();
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        co_return res;
    }
    if (path.starts_with("/hooks/")) {
        const auto rest = path.substr(7);
        const auto name = rest.substr(0, rest.find('/'));
        for (auto* a : adapters_) {
            if (a->name() != name) continue;
            if (req.method() != http::verb::post && req.method() != http::verb::get) {
                metrics_.webhook(std::string(name), 405);
                co_return net::json_error(req, 405, "use POST");
            }
            net::Response res = co_await adapters::serve_webhook(*a, inbox_, req);
            metrics_.webhook(std::string(name), res.result_int());
            co_return res;
        }
        co_return net::json_error(req, 404, "no enabled platform named '" + std::string(name) + "'");
    }
    if (rest_ && (path == "/api/v1" || path.starts_with("/api/v1/"))) co_return co_await rest_->handle(req);
    co_return co_await web_.handle(req);
}

}  // namespace fu::server
