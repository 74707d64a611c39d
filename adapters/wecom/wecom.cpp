// The WeCom adapter's I/O: the callback URL and the application API calls.
// Coroutine arguments are always named locals passed by std::move (GCC PR 99576).
#include "adapters/wecom/wecom.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include <spdlog/spdlog.h>

#include <cctype>
#include <stdexcept>

#include "net/crypto.hpp"

// GCC 12 takes Asio's coroutine-frame operator delete (which frees what its
// aligned_alloc returned) for a mismatched pair once inlined: a false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace fu::adapters::wecom {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

constexpr auto kCallTimeout = kSendTimeout;  // adapter.hpp: why 30 s
constexpr std::string_view kHookPath = "/hooks/wecom";

net::Response answer(const net::Request& req, std::string body = {}, std::string_view content_type = {}) {
    net::Response res{http::status::ok, req.version()};
    if (!content_type.empty()) res.set(http::field::content_type, content_type);
    res.body() = std::move(body);
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

// Every refused callback says in the log which check failed.
net::Response refuse(const net::Request& req, unsigned status, const std::string& problem) {
    spdlog::warn("wecom: {} callback refused ({}): {}", std::string_view(req.method_string()), status, problem);
    return net::json_error(req, status, problem);
}

std::string url_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
            out += static_cast<char>(c);
        else
            out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
    return out;
}

// "/cgi-bin/message/send" -> "message/send", for errors and logs.
std::string api_name(std::string_view path) {
    constexpr std::string_view kPrefix = "/cgi-bin/";
    return std::string(path.starts_with(kPrefix) ? path.substr(kPrefix.size()) : path);
}

}  // namespace

WeComAdapter::WeComAdapter(net::HttpClient& http, Options o, const Clock& clock)
    : http_(http), options_(std::move(o)), clock_(clock), tokens_(clock, [this] { return fetch_token(); }) {
    while (!options_.api_base.empty() && options_.api_base.back() == '/') options_.api_base.pop_back();
    auto key = aes_key(options_.encoding_aes_key);
    if (!key) throw std::invalid_argument("wecom: encoding_aes_key is not a 43-character EncodingAESKey");
    key_ = std::move(*key);
    secrets_ = Secrets{options_.token, key_, options_.corp_id};
}

std::string WeComAdapter::mask(std::string text) const {
    for (const std::string* secret : {&options_.corp_secret, &options_.token, &options_.encoding_aes_key}) {
        if (secret->empty()) continue;
        for (auto pos = text.find(*secret); pos != std::string::npos; pos = text.find(*secret, pos))
            text.replace(pos, secret->size(), "<secret>");
    }
    // Access tokens change: whatever follows these parameters in a URL.
    for (std::string_view param : {"access_token=", "corpsecret="}) {
        for (auto pos = text.find(param); pos != std::string::npos; pos = text.find(param, pos)) {
            pos += param.size();
            const auto end = text.find_first_of("& \t\r\n\"'", pos);
            text.replace(pos, (end == std::string::npos ? text.size() : end) - pos, "<secret>");
        }
    }
    return text;
}

asio::awaitable<AccessToken> WeComAdapter::fetch_token() {
    net::ClientRequest req;
    req.method = "GET";
    req.url = options_.api_base + "/cgi-bin/gettoken?corpid=" + url_encode(options_.corp_id) +
              "&corpsecret=" + url_encode(options_.corp_secret);
    req.timeout = kCallTimeout;
    net::ClientResponse res;
    std::string failure;
    try {
        res = co_await http_.request(std::move(req));
    } catch (const std::exception& e) {
        failure = mask(e.what());
    }
    if (!failure.empty()) throw TokenError("gettoken: " + failure);
    if (res.status < 200 || res.status >= 300) throw TokenError("gettoken: HTTP " + std::to_string(res.status));
    try {
        co_return parse_token(res.body);
    } catch (const TokenError& e) {
        throw TokenError(mask(e.what()));
    }
}

asio::awaitable<net::ClientResponse> WeComAdapter::post(std::string path, std::string token, std::string body) {
    net::ClientRequest req;
    req.method = "POST";
    req.url = options_.api_base + path + "?access_token=" + url_encode(token);
    req.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    req.body = std::move(body);
    req.timeout = kCallTimeout;
    net::ClientResponse res = co_await http_.request(std::move(req));
    co_return res;
}

asio::awaitable<SendResult> WeComAdapter::call(ApiCall api, std::string touser) {
    const std::string name = api_name(api.path);
    net::ClientResponse res;
    std::string failure;
    // A token WeCom revoked early is replaced once; a second refusal is left to the dispatcher's retry.
    for (int attempt = 0; attempt < 2 && failure.empty(); ++attempt) {
        std::string token;
        try {
            token = co_await tokens_.get();
        } catch (const std::exception& e) {
            failure = mask(e.what());
            break;
        }
        std::string path = api.path;
        std::string body = api.body;
        std::string used = token;
        try {
            res = co_await post(std::move(path), std::move(used), std::move(body));
        } catch (const std::exception& e) {
            failure = mask(e.what());
            break;
        }
        if (attempt > 0 || !token_refused(res.body)) break;
        spdlog::info("wecom: {} refused the access_token; fetching a new one", name);
        tokens_.invalidate(token);
    }
    SendResult r;
    if (failure.empty()) {
        r = interpret(res.status, res.body, touser, api.ref);
    } else {
        r.status = SendResult::Status::retry;
        r.error = failure;
    }
    if (r.status != SendResult::Status::sent) {
        r.error = name + ": " + mask(r.error);
        spdlog::debug("wecom: {} to {}: {}", name, touser, r.error);
    }
    co_return r;
}

asio::awaitable<SendResult> WeComAdapter::send(Outbound out) {
    const std::string touser = out.recipient.empty() ? out.chat_id : out.recipient;
    if (touser.empty()) {
        SendResult r;
        r.status = SendResult::Status::failed;
        r.error = "no recipient";
        co_return r;
    }
    if (!out.replace_ref.empty()) {
        if (std::optional<ApiCall> update = render_update(out, touser, options_.agent_id)) {
            std::string user = touser;
            SendResult r = co_await call(std::move(*update), std::move(user));
            if (r.status != SendResult::Status::failed) co_return r;
            // A response code is good for one update within 72 hours: say it in a new message instead.
            spdlog::info("wecom: card {} not updated ({}); sending a new message",
                         out.replace_ref.substr(0, out.replace_ref.find(':')), r.error);
        }
    }
    // A delivery's cards carry task ids made of its idempotency key, so that a
    // retry is the same request as the attempt whose answer was lost.
    const std::string task_id = out.idempotency_key.empty() ? new_task_id(clock_.now()) : out.idempotency_key;
    ApiCall api = render_send(out, touser, options_.agent_id, task_id);
    std::string user = touser;
    SendResult r = co_await call(std::move(api), std::string(user));
    if (r.status != SendResult::Status::sent) co_return r;
    // The text went whole; its buttons follow in a card. If that card fails,
    // the text stands (its commands can be typed): sending it again would repeat it.
    if (std::optional<ApiCall> card = render_buttons_card(out, touser, options_.agent_id, task_id + "-b")) {
        SendResult c = co_await call(std::move(*card), std::move(user));
        if (c.status == SendResult::Status::sent)
            r.message_ref = std::move(c.message_ref);  // a press updates the card
        else
            spdlog::warn("wecom: the buttons of a long message to {} were not sent: {}", touser, c.error);
    }
    co_return r;
}

asio::awaitable<Intake> WeComAdapter::intake(const net::Request& req) {
    Intake in;
    in.answer = check(req, in.message);
    co_return in;
}

std::optional<net::Response> WeComAdapter::check(const net::Request& req, Inbound& message) const {
    const std::string_view target = req.target();
    std::string_view path = target.substr(0, target.find('?'));
    while (path.size() > kHookPath.size() && path.back() == '/') path.remove_suffix(1);
    if (path != kHookPath) return net::json_error(req, 404, "no such WeCom endpoint: the callback URL is /hooks/wecom");
    if (req.method() != http::verb::get && req.method() != http::verb::post)
        return net::json_error(req, 405, "use GET (the URL check) or POST (messages)");
    std::optional<CallbackQuery> query = parse_query(target);
    if (!query) return refuse(req, 400, "the query string is not valid %-encoding");

    if (req.method() == http::verb::get) {
        if (query->echostr.empty()) return refuse(req, 400, "missing echostr: GET is WeCom's URL check");
        const Opened opened = open(secrets_, *query, query->echostr, clock_.now(), options_.signature_window);
        if (opened.status != 200) return refuse(req, opened.status, opened.problem);
        spdlog::info("wecom: callback URL verified");
        return answer(req, opened.message, "text/plain; charset=utf-8");  // as it is: no quotes, no newline
    }
    std::optional<std::string> encrypted = envelope_encrypt(req.body());
    if (!encrypted) return refuse(req, 400, "not a WeCom callback body: <xml> with <Encrypt> expected");
    const Opened opened = open(secrets_, *query, *encrypted, clock_.now(), options_.signature_window);
    if (opened.status != 200) return refuse(req, opened.status, opened.problem);
    std::optional<Parsed> parsed = parse_message(opened.message);
    if (!parsed)
        return refuse(req, 400, "the decrypted message is not WeCom message XML (FromUserName, CreateTime, MsgType)");
    if (!parsed->inbound) return answer(req);  // a kind we ignore: acknowledged all the same
    message = std::move(*parsed->inbound);
    message.answered_inline = true;  // a stranger is answered with a passive reply (acknowledge)
    return std::nullopt;
}

net::Response WeComAdapter::received(const net::Request& req) const { return answer(req); }

net::Response WeComAdapter::acknowledge(const net::Request& req, const Intake& in, Outcome& o) {
    // WeCom tries again (3 tries in all) after a failure; the Inbox deduplicates.
    if (o.failed || !o.stranger_reply) return Adapter::acknowledge(req, in, o);
    std::string text = std::move(*o.stranger_reply);
    o.stranger_reply.reset();
    return passive_reply(req, in.message.user_id, text);
}

net::Response WeComAdapter::passive_reply(const net::Request& req, const std::string& user,
                                          const std::string& text) const {
    const std::int64_t now = to_unix(clock_.now());
    const std::string timestamp = std::to_string(now);
    const std::string nonce = net::crypto::hex(net::crypto::random_bytes(8));
    const std::string sealed = encrypt(key_, reply_xml(user, options_.corp_id, now, text), options_.corp_id);
    return answer(req, envelope_xml(options_.token, sealed, timestamp, nonce), "application/xml; charset=utf-8");
}

}  // namespace fu::adapters::wecom
