// The DingTalk adapter's I/O: the robot callback, sessionWebhook posts and
// OpenAPI sends with the cached accessToken.
// Coroutine arguments are always named locals passed by std::move (GCC PR 99576).
#include "adapters/dingtalk/dingtalk.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include <spdlog/spdlog.h>

// GCC 12 takes Asio's coroutine-frame operator delete (which frees what its
// aligned_alloc returned) for a mismatched pair once inlined: a false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace fu::adapters::dingtalk {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace std::chrono_literals;

namespace {

constexpr auto kCallTimeout = kSendTimeout;  // adapter.hpp: why 30 s
constexpr std::string_view kHookPath = "/hooks/dingtalk";
constexpr std::string_view kTokenPath = "/v1.0/oauth2/accessToken";
constexpr std::string_view kBatchSendPath = "/v1.0/robot/oToMessages/batchSend";
constexpr std::string_view kGroupSendPath = "/v1.0/robot/groupMessages/send";
constexpr std::string_view kTokenHeader = "x-acs-dingtalk-access-token";
// A webhook this close to its expiry is not used: the post could arrive too late.
constexpr auto kWebhookMargin = 30s;
// msgIds and conversations kept in memory at most (the oldest go first).
constexpr std::size_t kMaxRemembered = 200000;
constexpr std::size_t kMaxSessions = 20000;

bool is_hook_path(std::string_view target) {
    std::string_view path = target.substr(0, target.find('?'));
    while (path.size() > kHookPath.size() && path.back() == '/') path.remove_suffix(1);
    return path == kHookPath;
}

net::Response ok(const net::Request& req) {
    net::Response res{http::status::ok, req.version()};
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

SendResult failed(std::string error) {
    SendResult r;
    r.status = SendResult::Status::failed;
    r.error = std::move(error);
    return r;
}

}  // namespace

DingTalkAdapter::DingTalkAdapter(asio::any_io_executor ex, net::HttpClient& http, Options o, const Clock& clock)
    : ex_(std::move(ex)), http_(http), options_(std::move(o)), clock_(clock), tokens_(clock, [this] {
          return fetch_token();
      }) {
    while (!options_.api_base.empty() && options_.api_base.back() == '/') options_.api_base.pop_back();
    if (options_.robot_code.empty()) options_.robot_code = options_.app_key;
}

std::string DingTalkAdapter::mask(std::string text) const {
    const std::string& secret = options_.app_secret;
    if (secret.empty()) return text;
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos))
        text.replace(pos, secret.size(), "<secret>");
    return text;
}

// ---- in-memory state ----------------------------------------------------------------

bool DingTalkAdapter::first_sighting(const std::string& msg_id) {
    const TimePoint now = clock_.now();
    // A signed timestamp is accepted for the window on either side of now, so a
    // replay can come up to twice the window after the original.
    const auto keep = std::chrono::duration_cast<std::chrono::seconds>(options_.signature_window * 2) + 60s;
    std::lock_guard lock(mutex_);
    while (!seen_order_.empty() && (seen_order_.front().first + keep < now || seen_order_.size() >= kMaxRemembered)) {
        auto it = seen_.find(seen_order_.front().second);
        if (it != seen_.end() && it->second == seen_order_.front().first) seen_.erase(it);
        seen_order_.pop_front();
    }
    if (!seen_.emplace(msg_id, now).second) return false;
    seen_order_.emplace_back(now, msg_id);
    return true;
}

void DingTalkAdapter::forget_sighting(const std::string& msg_id) {
    std::lock_guard lock(mutex_);
    seen_.erase(msg_id);  // its seen_order_ entry is skipped when pruned
}

void DingTalkAdapter::remember(const Callback& cb) {
    Session s;
    s.direct = cb.direct;
    if (!cb.session_webhook.empty()) {
        if (webhook_allowed(cb.session_webhook, options_.api_base)) {
            s.webhook = cb.session_webhook;
            s.expires = TimePoint{std::chrono::duration_cast<std::chrono::seconds>(
                std::chrono::milliseconds(cb.session_webhook_expires_ms))};
        } else {
            spdlog::warn("dingtalk: sessionWebhook of message {} ignored: not a DingTalk host", cb.msg_id);
        }
    }
    const TimePoint now = clock_.now();
    std::lock_guard lock(mutex_);
    if (sessions_.size() >= kMaxSessions)
        std::erase_if(sessions_, [&](const auto& kv) { return kv.second.expires < now; });
    if (sessions_.size() < kMaxSessions || sessions_.contains(cb.conversation_id))
        sessions_[cb.conversation_id] = std::move(s);  // the latest message's webhook wins
}

std::optional<DingTalkAdapter::Session> DingTalkAdapter::session(const std::string& conversation_id) const {
    if (conversation_id.empty()) return std::nullopt;
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(conversation_id);
    if (it == sessions_.end()) return std::nullopt;
    return it->second;
}

void DingTalkAdapter::drop_webhook(const std::string& conversation_id, const std::string& webhook) {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(conversation_id);
    if (it != sessions_.end() && it->second.webhook == webhook) it->second.webhook.clear();
}

// ---- HTTP ----------------------------------------------------------------------------------

asio::awaitable<net::ClientResponse> DingTalkAdapter::post(std::string url, std::string body, std::string token) {
    net::ClientRequest req;
    req.method = "POST";
    req.url = std::move(url);
    req.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    if (!token.empty()) req.headers.emplace_back(std::string(kTokenHeader), std::move(token));
    req.body = std::move(body);
    req.timeout = kCallTimeout;
    net::ClientResponse res = co_await http_.request(std::move(req));
    co_return res;
}

asio::awaitable<AccessToken> DingTalkAdapter::fetch_token() {
    std::string url = options_.api_base + std::string(kTokenPath);
    std::string body = token_request_body(options_.app_key, options_.app_secret);
    std::string none;
    net::ClientResponse res;
    try {
        res = co_await post(std::move(url), std::move(body), std::move(none));
    } catch (const std::exception& e) {
        throw TokenError("accessToken: " + mask(e.what()));
    }
    AccessToken token = parse_token(res.status, res.body);
    spdlog::info("dingtalk: new accessToken, valid for {} s", token.lifetime.count());
    co_return token;
}

asio::awaitable<SendResult> DingTalkAdapter::api_send(std::string path, std::string body, std::string user_id) {
    const std::string url = options_.api_base + path;
    SendResult r;
    r.status = SendResult::Status::retry;
    for (int attempt = 0; attempt < 2; ++attempt) {
        std::string token;
        try {
            token = co_await tokens_.get();
        } catch (const std::exception& e) {
            r.error = mask(e.what());
            co_return r;
        }
        std::string u = url, b = body, t = token;
        net::ClientResponse res;
        try {
            res = co_await post(std::move(u), std::move(b), std::move(t));
        } catch (const std::exception& e) {
            r.error = mask(e.what());
            co_return r;
        }
        if (token_refused(res.status, res.body)) {
            // Revoked or expired early: one new token, one more try.
            tokens_.invalidate(token);
            r.error = "the accessToken was refused: " + interpret(res.status, "", res.body, user_id).error;
            spdlog::info("dingtalk: {} ({})", r.error, attempt == 0 ? "getting a new one" : "again");
            continue;
        }
        co_return interpret(res.status, res.header("retry-after"), res.body, user_id);
    }
    co_return r;
}

asio::awaitable<WebhookAnswer> DingTalkAdapter::webhook_send(std::string url, std::string body) {
    WebhookAnswer a;
    std::string none;
    try {
        net::ClientResponse res = co_await post(std::move(url), std::move(body), std::move(none));
        a = interpret_webhook(res.status, res.body);
    } catch (const std::exception& e) {
        a.result.status = SendResult::Status::retry;
        a.result.error = mask(e.what());
    }
    co_return a;
}

// ---- the callback ----------------------------------------------------------------------------

asio::awaitable<Intake> DingTalkAdapter::intake(const net::Request& req) {
    Intake in;
    if (req.method() != http::verb::post) {
        in.answer = net::json_error(req, 405, "use POST");
        co_return in;
    }
    if (!is_hook_path(req.target())) {
        in.answer = net::json_error(req, 404, "no such DingTalk endpoint: use /hooks/dingtalk");
        co_return in;
    }
    // Nothing of the body is looked at before the sign is checked.
    const std::string problem =
        signature_problem(options_.app_secret, req["timestamp"], req["sign"], clock_.now(), options_.signature_window);
    if (!problem.empty()) {
        spdlog::warn("dingtalk: callback refused: {}", problem);
        in.answer = net::json_error(req, 401, problem);
        co_return in;
    }
    std::optional<Callback> cb = parse_callback(req.body());
    if (!cb) {
        spdlog::warn(
            "dingtalk: callback refused: not a robot message (JSON with msgId, conversationId, conversationType)");
        in.answer = net::json_error(req, 400, "not a DingTalk robot message");
        co_return in;
    }
    // The sign does not cover the body: a msgId seen before is a replay (or a
    // retry of one already handled). Refused before anything is remembered.
    if (!first_sighting(cb->msg_id)) {
        spdlog::warn("dingtalk: callback refused: msgId {} was already received", cb->msg_id);
        in.answer = net::json_error(req, 409, "this msgId was already received");
        co_return in;
    }
    remember(*cb);
    if (!cb->inbound) {
        in.answer = ok(req);  // a kind we ignore: acknowledged all the same
        co_return in;
    }
    in.message = std::move(*cb->inbound);
    in.context = cb->msg_id;
    co_return in;
}

net::Response DingTalkAdapter::received(const net::Request& req) const { return ok(req); }

net::Response DingTalkAdapter::acknowledge(const net::Request& req, const Intake& in, Outcome& o) {
    if (o.failed) forget_sighting(in.context);  // so DingTalk's retry is taken; the Inbox deduplicates
    return Adapter::acknowledge(req, in, o);
}

// ---- sending -----------------------------------------------------------------------------------

asio::awaitable<SendResult> DingTalkAdapter::send(Outbound out) {
    // out.replace_ref is not honoured: robot messages cannot be edited, so an
    // edit arrives as a new message.
    const Message message = render(out);
    const std::optional<Session> s = session(out.chat_id);
    if (s && !s->webhook.empty() && clock_.now() + kWebhookMargin < s->expires) {
        std::string url = s->webhook;
        std::string body = webhook_body(message);
        WebhookAnswer a = co_await webhook_send(std::move(url), std::move(body));
        if (!a.gone) {
            a.result.chat_id = out.chat_id;
            if (a.result.status != SendResult::Status::sent) a.result.error = "sessionWebhook: " + a.result.error;
            co_return a.result;
        }
        drop_webhook(out.chat_id, s->webhook);
        spdlog::info("dingtalk: sessionWebhook of {} refused ({}); sending through the OpenAPI", out.chat_id,
                     a.result.error);
    }

    std::string path, body, user;
    if (s && !s->direct) {
        path = kGroupSendPath;
        body = group_send_body(message, options_.robot_code, out.chat_id);
    } else if (!out.recipient.empty()) {
        // A direct chat, or a conversation not seen since the start: the person
        // it is for gets it in their chat with the robot.
        path = kBatchSendPath;
        user = out.recipient;
        body = batch_send_body(message, options_.robot_code, out.recipient);
    } else {
        co_return failed("no recipient and no known conversation");
    }
    const std::string what = path.substr(path.rfind("/robot/") + 7);
    SendResult r = co_await api_send(std::move(path), std::move(body), std::move(user));
    r.chat_id = out.chat_id;
    if (r.status != SendResult::Status::sent) {
        r.error = what + ": " + r.error;
        spdlog::debug("dingtalk: {} for {}", r.error, out.chat_id.empty() ? out.recipient : out.chat_id);
    }
    co_return r;
}

}  // namespace fu::adapters::dingtalk
