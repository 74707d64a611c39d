#include "server/router.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>

#include "core/utf8.hpp"

namespace fu::server {
namespace http = boost::beast::http;

namespace {

// Every route reads its query parameters as text, and the text the service
// stores, echoes in errors and serialises to JSON must be UTF-8. So a target
// whose query is not UTF-8 once percent-decoded (?user=%FF) is refused here,
// once for every route, before any handler sees it.
struct BadTarget {
    std::string field;    // the parameter; empty if the problem is not one parameter's value
    std::string problem;  // with a field: what is wrong with it ("is not ...")
    std::string message() const { return field.empty() ? problem : "the query parameter \"" + field + "\" " + problem; }
};

std::optional<BadTarget> bad_target(std::string_view target) {
    if (!valid_utf8(target)) return BadTarget{"", "the request target is not UTF-8 text"};
    const auto url = boost::urls::parse_origin_form(target);
    if (!url) return std::nullopt;  // left to the routes, which find no parameters in it
    for (const auto& p : url->params()) {
        if (!valid_utf8(p.key)) return BadTarget{"", "a query parameter's name is not UTF-8 text once percent-decoded"};
        if (p.has_value && !valid_utf8(p.value)) return BadTarget{p.key, "is not UTF-8 text once percent-decoded"};
    }
    return std::nullopt;
}

}  // namespace

PlatformInbox::PlatformInbox(StorageExecutor& storage, Bot& bot, Effects& effects)
    : storage_(storage), bot_(bot), effects_(effects) {}

// Dedupe, execute and the effects, on the storage thread; the adapter's
// intake and acknowledgement happen around it (adapters::serve_webhook).
boost::asio::awaitable<std::optional<std::string>> PlatformInbox::accept(Inbound m) {
    // One sender's messages on one lane, in the order they came.
    const std::uint64_t sender = std::hash<std::string>{}(m.platform + '\n' + m.user_id);
    auto work = [this, m = std::move(m)] {
        auto r = bot_.handle_platform(m);
        if (!r.duplicate) effects_.committed(Changes{r.notified, r.platforms, false, r.schedule});
        return r;
    };
    PlatformResult r = co_await storage_.run_keyed(sender, std::move(work));
    co_return r.stranger_reply;
}

bool Router::wants_stream(const net::Request& r) const {
    return !bad_target(r.target()) && web_.wants_stream(r);  // a bad one is answered by handle()
}

boost::asio::awaitable<net::Response> Router::handle(const net::Request& req) {
    const auto target = std::string_view(req.target());
    const auto path = target.substr(0, target.find('?'));
    const bool rest = rest_ && (path == "/api/v1" || path.starts_with("/api/v1/"));
    if (const auto bad = bad_target(target)) {
        if (rest) {
            const auto message = bad->field.empty() ? bad->problem : bad->field + ": " + bad->problem;
            co_return rest_->invalid_field(req, bad->field, message);
        }
        co_return net::json_error(req, 400, bad->message());
    }
    if (path == "/metrics") {
        net::Response res{http::status::ok, req.version()};
        res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        res.body() = metrics_.render();
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        co_return res;
    }
    if (health_ && health_->serves(path)) co_return co_await health_->handle(req);
    if (calendar_ && calendar_->serves(path)) co_return co_await calendar_->handle(req);
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
    if (rest) co_return co_await rest_->handle(req);
    if (dashboard_ && dashboard_->serves(path)) co_return co_await dashboard_->handle(req);
    if (my_page_ && my_page_->serves(path)) co_return co_await my_page_->handle(req);
    co_return co_await web_.handle(req);
}

}  // namespace fu::server
