#include "server/web_chat.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <date/date.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <charconv>

#include "net/crypto.hpp"

namespace fu::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;

namespace {

constexpr std::size_t kRecent = 20;
constexpr std::size_t kPage = 200;

net::Response json_response(const net::Request& req, const json& body) {
    net::Response res{http::status::ok, req.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.body() = body.dump(-1, ' ', false, json::error_handler_t::replace);
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

std::string path_of(const net::Request& req) {
    auto t = std::string_view(req.target());
    return std::string(t.substr(0, t.find('?')));
}

std::optional<std::string> query_param(const net::Request& req, std::string_view name) {
    auto url = boost::urls::parse_origin_form(req.target());
    if (!url) return std::nullopt;
    auto params = url->params();
    auto it = params.find(name);
    if (it == params.end() || !(*it).has_value) return std::nullopt;
    return std::string((*it).value);
}

std::optional<std::int64_t> to_int(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
}

// An empty token never matches, whatever is given.
bool token_matches(std::string_view given, std::string_view token) {
    return !token.empty() && net::crypto::constant_time_equal(given, token);
}

json message_json(const OutboxMessage& m) {
    json buttons = json::array();
    for (const auto& b : m.buttons) buttons.push_back({{"label", b.label}, {"command", b.command}});
    json tasks = json::array();
    for (const auto t : m.tasks) tasks.push_back(t.value);
    return {{"id", m.id.value},
            {"kind", code(m.kind)},
            {"text", m.text},
            {"buttons", buttons},
            {"tasks", tasks},
            {"created_at", date::format("%FT%TZ", m.created_at)}};
}

json reply_json(const Reply& r) {
    json buttons = json::array();
    for (const auto& b : r.buttons) buttons.push_back({{"label", b.label}, {"command", b.command}});
    return {{"reply", {{"text", r.text}, {"buttons", buttons}}}};
}

}  // namespace

WebChat::WebChat(StorageExecutor& storage, Store& store, Bot& bot, Effects& effects, EventHub& hub,
                 WebChatOptions options)
    : storage_(storage), store_(store), bot_(bot), effects_(effects), hub_(hub), options_(std::move(options)) {}

bool WebChat::authorized(const net::Request& req) const {
    if (options_.token.empty()) return true;
    if (auto it = req.find(http::field::authorization); it != req.end()) {
        std::string_view v = it->value();
        if (v.starts_with("Bearer ")) return token_matches(v.substr(7), options_.token);
    }
    if (auto t = query_param(req, "token")) return token_matches(*t, options_.token);
    return false;
}

bool WebChat::wants_stream(const net::Request& req) const {
    return options_.enabled && req.method() == http::verb::get && path_of(req) == "/api/events";
}

asio::awaitable<net::Response> WebChat::handle(const net::Request& req) {
    const auto path = path_of(req);
    if (!options_.enabled) co_return net::json_error(req, 404, "the web chat is disabled (web_chat.enabled)");
    if (path == "/" || path == "/index.html") {
        if (req.method() != http::verb::get && req.method() != http::verb::head) co_return net::json_error(req, 405, "use GET");
        net::Response res{http::status::ok, req.version()};
        res.set(http::field::content_type, "text/html; charset=utf-8");
        res.set(http::field::cache_control, "no-cache");
        res.set("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'");
        res.body() = std::string(web_page());
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        co_return res;
    }
    if (!path.starts_with("/api/")) co_return net::json_error(req, 404, "no such path: " + path);
    if (!authorized(req)) co_return net::json_error(req, 401, "missing or wrong token");
    if (path == "/api/users") {
        if (req.method() != http::verb::get) co_return net::json_error(req, 405, "use GET");
        co_return co_await users(req);
    }
    if (path == "/api/chat") {
        if (req.method() != http::verb::post) co_return net::json_error(req, 405, "use POST");
        co_return co_await chat(req);
    }
    if (path == "/api/messages") {
        if (req.method() != http::verb::get) co_return net::json_error(req, 405, "use GET");
        co_return co_await messages(req);
    }
    co_return net::json_error(req, 404, "no such path: " + path);
}

asio::awaitable<net::Response> WebChat::users(const net::Request& req) {
    auto list_users = [this] {
        json list = json::array();
        store_.transact([&](Repo& repo) {
            std::unordered_map<TeamId, std::string> teams;
            for (const auto& t : repo.teams()) teams[t.id] = t.name;
            for (const auto& u : repo.users())
                list.push_back({{"handle", u.handle},
                                {"name", u.display_name},
                                {"role", code(u.role)},
                                {"team", u.team ? teams[*u.team] : std::string()},
                                {"lang", code(u.lang)},
                                {"time_zone", u.time_zone}});
        });
        return json{{"users", list}};
    };
    auto body = co_await storage_.run(std::move(list_users));
    co_return json_response(req, body);
}

asio::awaitable<net::Response> WebChat::chat(const net::Request& req) {
    const json body = json::parse(req.body(), nullptr, false);
    if (body.is_discarded() || !body.is_object()) co_return net::json_error(req, 400, "body must be a JSON object");
    if (!body.contains("user") || !body["user"].is_string() || body["user"].get_ref<const std::string&>().empty())
        co_return net::json_error(req, 400, "\"user\" must be a non-empty string (a user handle)");
    if (!body.contains("text") || !body["text"].is_string())
        co_return net::json_error(req, 400, "\"text\" must be a string (the command)");
    auto user = body["user"].get<std::string>();
    auto text = body["text"].get<std::string>();
    if (text.size() > options_.max_text_bytes)
        co_return net::json_error(req, 400, "\"text\" is longer than " + std::to_string(options_.max_text_bytes) + " bytes");
    auto work = [this, user = std::move(user), text = std::move(text)] {
        auto h = bot_.handle(user, text);
        effects_.committed(Changes{h.notified, h.platforms, false, true});
        return h;
    };
    auto handled = co_await storage_.run(std::move(work));
    co_return json_response(req, reply_json(handled.reply));
}

asio::awaitable<net::Response> WebChat::messages(const net::Request& req) {
    const auto user = query_param(req, "user");
    if (!user || user->empty()) co_return net::json_error(req, 400, "query parameter \"user\" is required");
    std::optional<MessageId> after;
    if (auto a = query_param(req, "after")) {
        auto v = to_int(*a);
        if (!v) co_return net::json_error(req, 400, "\"after\" must be a message id (a whole number)");
        after = MessageId{*v};
    }
    auto fetch = [this, user = *user, after]() -> std::optional<json> {
        std::optional<json> out;
        store_.transact([&](Repo& repo) {
            auto u = repo.user_by_handle(user);
            if (!u) return;
            auto list = after ? repo.messages_after(u->id, *after, kPage) : repo.recent_messages(u->id, kRecent);
            json arr = json::array();
            for (const auto& m : list) arr.push_back(message_json(m));
            out = json{{"messages", arr}};
        });
        return out;
    };
    auto result = co_await storage_.run(std::move(fetch));
    if (!result) co_return net::json_error(req, 404, "no such user: " + *user);
    co_return json_response(req, *result);
}

asio::awaitable<void> WebChat::stream(beast::tcp_stream& stream, const net::Request& req) {
    // Takes a view: no std::string temporary may live in a co_await expression (GCC PR 99576).
    auto fail = [&](unsigned status, std::string_view reason) -> asio::awaitable<void> {
        auto res = net::json_error(req, status, reason);
        res.keep_alive(false);
        stream.expires_after(std::chrono::seconds(10));
        co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    };
    if (!authorized(req)) co_return co_await fail(401, "missing or wrong token");
    const auto handle = query_param(req, "user");
    if (!handle || handle->empty()) co_return co_await fail(400, "query parameter \"user\" is required");
    std::optional<MessageId> cursor;
    std::optional<std::string> after_text = query_param(req, "after");
    if (auto it = req.find("Last-Event-ID"); it != req.end()) after_text = std::string(it->value());
    if (after_text) {
        auto v = to_int(*after_text);
        if (!v) co_return co_await fail(400, "\"after\" / Last-Event-ID must be a message id");
        cursor = MessageId{*v};
    }
    auto find_user = [this, h = *handle] {
        std::optional<User> u;
        store_.transact([&](Repo& repo) { u = repo.user_by_handle(h); });
        return u;
    };
    const auto user = co_await storage_.run(std::move(find_user));
    if (!user) {
        const std::string reason = "no such user: " + *handle;
        co_return co_await fail(404, reason);
    }

    http::response<http::empty_body> head{http::status::ok, req.version()};
    head.set(http::field::content_type, "text/event-stream; charset=utf-8");
    head.set(http::field::cache_control, "no-cache");
    head.set("X-Accel-Buffering", "no");
    head.keep_alive(false);  // the body ends when the connection closes
    http::response_serializer<http::empty_body> sr{head};
    stream.expires_after(std::chrono::seconds(10));
    auto [hec, hn] = co_await http::async_write_header(stream, sr, asio::as_tuple(asio::use_awaitable));
    if (hec) co_return;

    auto executor = co_await asio::this_coro::executor;
    auto sub = hub_.subscribe(user->id, executor);
    struct Unsubscribe {
        EventHub& hub;
        std::shared_ptr<EventHub::Subscriber> s;
        ~Unsubscribe() { hub.unsubscribe(s); }
    } guard{hub_, sub};

    std::string out = "retry: 3000\n\n";
    while (!hub_.closing()) {
        sub->pending = false;
        auto fetch = [this, id = user->id, cursor] {
            std::vector<OutboxMessage> list;
            store_.transact([&](Repo& repo) {
                list = cursor ? repo.messages_after(id, *cursor, kPage) : repo.recent_messages(id, kRecent);
            });
            return list;
        };
        auto batch = co_await storage_.run(std::move(fetch));
        if (!cursor) cursor = MessageId{0};
        for (const auto& m : batch) {
            out += "id: " + std::to_string(m.id.value) + "\nevent: message\ndata: " +
                   message_json(m).dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
            cursor = m.id;
        }
        if (!out.empty()) {
            stream.expires_after(std::chrono::seconds(30));
            auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(out), asio::as_tuple(asio::use_awaitable));
            if (wec) co_return;  // the browser went away
            out.clear();
        }
        if (batch.size() == kPage || sub->pending) continue;
        sub->signal.expires_after(options_.ping_interval);
        auto [ec] = co_await sub->signal.async_wait(asio::as_tuple(asio::use_awaitable));
        if (!ec && !sub->pending) out = ": ping\n\n";  // timed out: keep the connection alive
    }
}

}  // namespace fu::server
