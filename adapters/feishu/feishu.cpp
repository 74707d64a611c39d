// The Feishu adapter's I/O: the webhook, tenant_access_token requests and
// im/v1/messages calls.
// Coroutine arguments are always named locals passed by std::move (GCC PR 99576).
#include "adapters/feishu/feishu.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

// GCC 12 takes Asio's coroutine-frame operator delete (which frees what its
// aligned_alloc returned) for a mismatched pair once inlined: a false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace fu::adapters::feishu {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr auto kCallTimeout = kSendTimeout;  // adapter.hpp: why 30 s
constexpr std::string_view kHookPath = "/hooks/feishu";

// Events and card callbacks share one URL (both are schema 2.0 events).
bool is_hook(std::string_view target) {
    std::string_view path = target.substr(0, target.find('?'));
    while (path.size() > kHookPath.size() && path.back() == '/') path.remove_suffix(1);
    return path == kHookPath;
}

net::Response answer(const net::Request& req, std::string body) {
    net::Response res{http::status::ok, req.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.body() = std::move(body);
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

SendResult retry(std::string error) {
    SendResult r;
    r.status = SendResult::Status::retry;
    r.error = std::move(error);
    return r;
}

}  // namespace

FeishuAdapter::FeishuAdapter(asio::any_io_executor ex, net::HttpClient& http, Options o, const Clock& clock)
    : ex_(std::move(ex)), http_(http), options_(std::move(o)), clock_(clock), tokens_(clock, [this] {
          return fetch_token();
      }) {
    while (!options_.api_base.empty() && options_.api_base.back() == '/') options_.api_base.pop_back();
}

std::string FeishuAdapter::mask(std::string text) const {
    for (const std::string* secret : {&options_.app_secret, &options_.encrypt_key, &options_.verification_token}) {
        if (secret->empty()) continue;
        for (auto pos = text.find(*secret); pos != std::string::npos; pos = text.find(*secret, pos))
            text.replace(pos, secret->size(), "<secret>");
    }
    return text;
}

asio::awaitable<net::ClientResponse> FeishuAdapter::call(ApiCall api, std::string token) {
    net::ClientRequest req;
    req.method = api.method;
    req.url = options_.api_base + api.path;
    if (!token.empty()) req.headers.emplace_back("Authorization", "Bearer " + token);
    req.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    req.body = std::move(api.body);
    req.timeout = kCallTimeout;
    net::ClientResponse res = co_await http_.request(std::move(req));
    co_return res;
}

asio::awaitable<AccessToken> FeishuAdapter::fetch_token() {
    ApiCall api = render_token_request(options_.app_id, options_.app_secret);
    std::string no_token;
    std::string failure;
    net::ClientResponse res;
    try {
        res = co_await call(std::move(api), std::move(no_token));
    } catch (const std::exception& e) {
        failure = mask(e.what());
    }
    if (!failure.empty()) throw TokenError(failure);
    AccessToken token = parse_token(res.status, res.body);
    spdlog::debug("feishu: new tenant_access_token, valid for {} s", token.lifetime.count());
    co_return token;
}

asio::awaitable<SendResult> FeishuAdapter::call_with_token(ApiCall api, std::string replace_ref) {
    for (bool first = true;; first = false) {
        std::string token;
        std::string failure;
        try {
            token = co_await tokens_.get();
        } catch (const std::exception& e) {
            failure = "tenant_access_token: " + mask(e.what());
        }
        if (!failure.empty()) co_return retry(std::move(failure));

        ApiCall attempt = api;
        std::string bearer = token;
        net::ClientResponse res;
        try {
            res = co_await call(std::move(attempt), std::move(bearer));
        } catch (const std::exception& e) {
            failure = mask(e.what());
        }
        if (!failure.empty()) co_return retry(std::move(failure));
        if (first && token_refused(res.body)) {
            // Revoked or expired early: one new token (shared by every send that
            // meets the same refusal), then this call once more.
            spdlog::info("feishu: tenant_access_token refused; fetching a new one");
            tokens_.invalidate(token);
            continue;
        }
        co_return interpret(res.status, res.header("x-ogw-ratelimit-reset"), res.body, replace_ref);
    }
}

asio::awaitable<Intake> FeishuAdapter::intake(const net::Request& req) {
    Intake in;
    if (req.method() != http::verb::post) {
        in.answer = net::json_error(req, 405, "use POST");
        co_return in;
    }
    if (!is_hook(req.target())) {
        in.answer = net::json_error(req, 404, "no such Feishu endpoint: events and card callbacks go to /hooks/feishu");
        co_return in;
    }
    // Nothing of the body is acted on before these checks (see feishu.hpp).
    Verdict verdict = check_request(options_, req["X-Lark-Request-Timestamp"], req["X-Lark-Request-Nonce"],
                                    req["X-Lark-Signature"], req.body(), clock_.now());
    if (verdict.status != 200) {
        spdlog::warn("feishu: request refused ({}): {}", verdict.status, verdict.problem);
        in.answer = net::json_error(req, verdict.status, verdict.problem);
    } else if (!verdict.event.challenge.empty()) {
        in.answer = answer(
            req, json{{"challenge", verdict.event.challenge}}.dump(-1, ' ', false, json::error_handler_t::replace));
    } else if (!verdict.event.inbound) {
        in.answer = answer(req, "{}");  // a kind we ignore: acknowledged all the same
    } else {
        in.message = std::move(*verdict.event.inbound);
    }
    co_return in;
}

// A card callback answered with {} keeps the card; the reply updates it through the outbox.
net::Response FeishuAdapter::received(const net::Request& req) const { return answer(req, "{}"); }

asio::awaitable<SendResult> FeishuAdapter::send(Outbound out) {
    std::optional<ApiCall> api = render(out);
    SendResult r;
    if (api) {
        const std::string what = api->method + " " + api->path.substr(0, api->path.find('?'));
        ApiCall call = std::move(*api);
        std::string replace_ref = out.replace_ref;
        r = co_await call_with_token(std::move(call), std::move(replace_ref));
        if (r.status != SendResult::Status::sent) r.error = what + ": " + r.error;
    } else {
        r.status = SendResult::Status::failed;
        r.error = out.replace_ref.empty() ? "no chat_id and no recipient"
                                          : "cannot update message '" + out.replace_ref + "': not a message id";
    }
    if (r.status == SendResult::Status::failed && !out.replace_ref.empty()) {
        // A card older than 14 days (or deleted) cannot be updated: the answer comes as a new message.
        spdlog::info("feishu: card {} not updated ({}); sending the answer as a new message", out.replace_ref, r.error);
        Outbound fresh = std::move(out);
        fresh.replace_ref.clear();
        SendResult sent = co_await send(std::move(fresh));
        co_return sent;
    }
    if (r.status != SendResult::Status::sent) spdlog::debug("feishu: {}", r.error);
    co_return r;
}

}  // namespace fu::adapters::feishu
