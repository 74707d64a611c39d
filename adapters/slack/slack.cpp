// The Slack adapter's I/O: the three webhooks and Web API calls.
// Coroutine arguments are always named locals passed by std::move (GCC PR 99576).
#include "adapters/slack/slack.hpp"

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

namespace fu::adapters::slack {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr auto kCallTimeout = kSendTimeout;  // adapter.hpp: why 30 s
constexpr std::string_view kHookPrefix = "/hooks/slack";

enum class Route { events, commands, interactive, unknown };

Route route_of(std::string_view target) {
    std::string_view path = target.substr(0, target.find('?'));
    if (!path.starts_with(kHookPrefix)) return Route::unknown;
    path.remove_prefix(kHookPrefix.size());
    while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
    if (path == "/events") return Route::events;
    if (path == "/commands") return Route::commands;
    if (path == "/interactive") return Route::interactive;
    return Route::unknown;
}

net::Response answer(const net::Request& req, std::string body = {}) {
    net::Response res{http::status::ok, req.version()};
    if (!body.empty()) res.set(http::field::content_type, "application/json; charset=utf-8");
    res.body() = std::move(body);
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

}  // namespace

SlackAdapter::SlackAdapter(asio::any_io_executor ex, net::HttpClient& http, Options o, const Clock& clock)
    : ex_(std::move(ex)), http_(http), options_(std::move(o)), clock_(clock) {
    while (!options_.api_base.empty() && options_.api_base.back() == '/') options_.api_base.pop_back();
}

std::string SlackAdapter::mask(std::string text) const {
    for (const std::string* secret : {&options_.bot_token, &options_.signing_secret}) {
        if (secret->empty()) continue;
        for (auto pos = text.find(*secret); pos != std::string::npos; pos = text.find(*secret, pos))
            text.replace(pos, secret->size(), "<secret>");
    }
    return text;
}

asio::awaitable<net::ClientResponse> SlackAdapter::call(std::string method, std::string body) {
    net::ClientRequest req;
    req.method = "POST";
    req.url = options_.api_base + "/" + method;
    req.headers.emplace_back("Authorization", "Bearer " + options_.bot_token);
    req.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    req.body = std::move(body);
    req.timeout = kCallTimeout;
    net::ClientResponse res = co_await http_.request(std::move(req));
    co_return res;
}

asio::awaitable<Intake> SlackAdapter::intake(const net::Request& req) {
    Intake in;
    if (req.method() != http::verb::post) {
        in.answer = net::json_error(req, 405, "use POST");
        co_return in;
    }
    const Route route = route_of(req.target());
    if (route == Route::unknown) {
        in.answer = net::json_error(req, 404,
                                    "no such Slack endpoint: use /hooks/slack/events, /hooks/slack/commands "
                                    "or /hooks/slack/interactive");
        co_return in;
    }
    // Nothing of the body is looked at before its signature is checked.
    const std::string problem =
        signature_problem(options_.signing_secret, req["X-Slack-Request-Timestamp"], req["X-Slack-Signature"],
                          req.body(), clock_.now(), options_.signature_window);
    if (!problem.empty()) {
        spdlog::warn("slack: request to {} refused: {}", std::string_view(req.target()), problem);
        in.answer = net::json_error(req, 401, problem);
        co_return in;
    }

    std::optional<Parsed> parsed;
    switch (route) {
        case Route::events: parsed = parse_event(req.body(), options_.bot_user_id); break;
        case Route::commands: parsed = parse_command(req.body()); break;
        default: parsed = parse_interaction(req.body()); break;
    }
    if (!parsed) {
        const char* what = route == Route::events ? "not a Slack Events API body"
                           : route == Route::commands
                               ? "not a Slack slash command form (user_id, channel_id, trigger_id)"
                               : "not a Slack interactivity form (payload)";
        in.answer = net::json_error(req, 400, what);
    } else if (!parsed->challenge.empty()) {
        in.answer = answer(req, json{{"challenge", parsed->challenge}}.dump());
    } else if (!parsed->inbound) {
        in.answer = answer(req);  // a kind we ignore: acknowledged all the same
    } else {
        in.message = std::move(*parsed->inbound);
        if (route == Route::commands) {
            in.context = "command";
            in.message.answered_inline = true;  // a stranger's answer is the command's response (acknowledge)
        }
    }
    co_return in;
}

net::Response SlackAdapter::received(const net::Request& req) const { return answer(req); }

net::Response SlackAdapter::acknowledge(const net::Request& req, const Intake& in, Outcome& o) {
    // A slash command's stranger is answered in the response: only the sender sees it.
    if (o.failed || !o.stranger_reply || in.context != "command") return Adapter::acknowledge(req, in, o);
    std::string text = std::move(*o.stranger_reply);
    o.stranger_reply.reset();
    return answer(
        req, json{{"response_type", "ephemeral"}, {"text", text}}.dump(-1, ' ', false, json::error_handler_t::replace));
}

asio::awaitable<SendResult> SlackAdapter::send(Outbound out) {
    std::string channel = out.chat_id;
    if (out.replace_ref.empty() && channel.empty()) {
        if (out.recipient.empty()) {
            SendResult r;
            r.status = SendResult::Status::failed;
            r.error = "no chat_id and no recipient";
            co_return r;
        }
        ApiCall open = render_open(out.recipient);
        std::string method = open.method;
        std::string failure;
        net::ClientResponse res;
        try {
            res = co_await call(std::move(method), std::move(open.body));
        } catch (const std::exception& e) {
            failure = mask(e.what());
        }
        std::optional<std::string> opened;
        if (failure.empty()) opened = opened_channel(res.body);
        if (!opened) {
            SendResult r;
            if (failure.empty()) {
                r = interpret(res.status, res.header("retry-after"), res.body, "");
                if (r.status == SendResult::Status::sent) {  // ok, but no channel id in it
                    r = SendResult{};
                    r.error = "no channel in the answer";
                }
            } else {
                r.error = failure;
            }
            r.status = r.status == SendResult::Status::failed ? r.status : SendResult::Status::retry;
            r.chat_id.clear();
            r.message_ref.clear();
            r.error = "conversations.open: " + r.error;
            spdlog::debug("slack: {} for user {}", r.error, out.recipient);
            co_return r;
        }
        channel = std::move(*opened);
    }

    std::optional<ApiCall> api = render(out, channel);
    if (!api) {
        SendResult r;
        r.status = SendResult::Status::failed;
        r.error = "cannot edit message '" + out.replace_ref + "': expected channel:ts";
        co_return r;
    }
    std::string method = api->method;
    std::string failure;
    net::ClientResponse res;
    try {
        res = co_await call(std::move(method), std::move(api->body));
    } catch (const std::exception& e) {
        failure = mask(e.what());
    }
    SendResult r;
    if (failure.empty()) {
        r = interpret(res.status, res.header("retry-after"), res.body, channel);
    } else {
        r.status = SendResult::Status::retry;
        r.error = failure;
    }
    if (r.chat_id.empty()) r.chat_id = channel;  // the DM just opened is kept even when the post must be retried
    if (r.status != SendResult::Status::sent) {
        r.error = api->method + ": " + r.error;
        spdlog::debug("slack: {} to {}: {}", api->method, channel, r.error);
    }
    co_return r;
}

}  // namespace fu::adapters::slack
