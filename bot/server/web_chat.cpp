// The web chat: its page, its JSON API (docs/WEB_CHAT_API.md) and the live
// event stream, and the caller check every call shares (a session cookie, or
// the pick-mode token). Signing in (codes, links, sign-out, the session
// cookie and the client address) is in web_chat_sign_in.cpp.
#include "server/web_chat.hpp"
#include "server/web_assets.hpp"
#include "server/web_chat_internal.hpp"

#include <date/date.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "net/crypto.hpp"
#include "server/not_saved.hpp"

namespace fu::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;

using web_chat_detail::json_response;
using web_chat_detail::user_json;

namespace {

constexpr std::size_t kRecent = 20;
constexpr std::size_t kPage = 200;

std::string path_of(const net::Request& req) {
    auto t = std::string_view(req.target());
    return std::string(t.substr(0, t.find('?')));
}

using web::query_param;

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
    return {{"id", m.id.value},   {"kind", code(m.kind)}, {"text", m.text},
            {"buttons", buttons}, {"tasks", tasks},       {"created_at", date::format("%FT%TZ", m.created_at)}};
}

using web::header;

bool json_body(const net::Request& req) {
    const auto type = header(req, "Content-Type");
    return type.rfind("application/json", 0) == 0;
}

bool same_handle(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

constexpr std::string_view kNoSession = "sign in first (POST /api/sign-in with a code or a sign-in link)";
constexpr std::string_view kEnded = "your sign-in has ended or expired: sign in again";
constexpr std::string_view kBadCsrf =
    "missing or wrong X-CSRF-Token header (the csrf of POST /api/sign-in or GET /api/session)";

json reply_json(const Reply& r) {
    json buttons = json::array();
    for (const auto& b : r.buttons) buttons.push_back({{"label", b.label}, {"command", b.command}});
    return {{"reply", {{"text", r.text}, {"buttons", buttons}}}};
}

}  // namespace

namespace web_chat_detail {

net::Response json_response(const net::Request& req, const json& body) {
    net::Response res{http::status::ok, req.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.body() = body.dump(-1, ' ', false, json::error_handler_t::replace);
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

json user_json(const User& u) {
    return {{"handle", u.handle},
            {"name", u.display_name},
            {"role", code(u.role)},
            {"lang", code(u.lang)},
            {"time_zone", u.time_zone}};
}

}  // namespace web_chat_detail

WebChat::WebChat(StorageExecutor& storage, Store& store, Bot& bot, Effects& effects, EventHub& hub,
                 WebChatOptions options)
    : storage_(storage),
      store_(store),
      bot_(bot),
      effects_(effects),
      hub_(hub),
      options_(std::move(options)),
      clock_(options_.clock ? *options_.clock : system_clock_) {}

bool WebChat::token_ok(const net::Request& req) const {
    if (options_.token.empty()) return true;
    if (auto it = req.find(http::field::authorization); it != req.end()) {
        std::string_view v = it->value();
        if (v.starts_with("Bearer ")) return token_matches(v.substr(7), options_.token);
    }
    if (auto t = query_param(req, "token")) return token_matches(*t, options_.token);
    return false;
}

asio::awaitable<WebChat::Caller> WebChat::caller(const net::Request& req) {
    Caller c;
    if (options_.pick) {
        if (!token_ok(req)) {
            c.status = 401;
            c.reason = "missing or wrong token";
        }
        co_return c;
    }
    c.session_id = web_chat_detail::session_cookie(req);
    if (c.session_id.empty()) {
        c.status = 401;
        c.reason = kNoSession;
        co_return c;
    }
    auto find = [this, hash = sign_in::session_hash(c.session_id)] {
        std::optional<User> u;
        const auto now = clock_.now();
        store_.transact([&](Repo& repo) {
            if (auto s = repo.web_session(hash, now)) u = repo.user(s->user);
        });
        return u;
    };
    c.user = co_await storage_.run(std::move(find));
    if (!c.user) {
        c.status = 401;
        c.reason = kEnded;
    }
    co_return c;
}

bool WebChat::wants_stream(const net::Request& req) const {
    return options_.enabled && req.method() == http::verb::get && path_of(req) == "/api/events";
}

asio::awaitable<net::Response> WebChat::handle(const net::Request& req) {
    const auto path = path_of(req);
    if (!options_.enabled) co_return net::json_error(req, 404, "the web chat is disabled (web_chat.enabled)");
    if (path == "/" || path == "/index.html") {
        if (req.method() != http::verb::get && req.method() != http::verb::head)
            co_return net::json_error(req, 405, "use GET");
        net::Response res{http::status::ok, req.version()};
        res.set(http::field::content_type, "text/html; charset=utf-8");
        res.set(http::field::cache_control, "no-cache");
        res.set("Content-Security-Policy",
                "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'");
        res.set("Referrer-Policy", "no-referrer");
        res.body() = std::string(web_page());
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        co_return res;
    }
    if (!path.starts_with("/api/")) co_return net::json_error(req, 404, "no such path: " + path);
    // Signing in: the only calls without a session.
    if (path == "/api/sign-in/code" || path == "/api/sign-in") {
        if (options_.pick) co_return net::json_error(req, 404, "no sign-in here: this demo lets you pick who you are");
        if (req.method() != http::verb::post) co_return net::json_error(req, 405, "use POST");
        // Only a same-origin script can send JSON without a preflight we never grant.
        if (!json_body(req)) co_return net::json_error(req, 415, "send Content-Type: application/json");
        if (path == "/api/sign-in/code") co_return co_await send_code(req);
        co_return co_await sign_in(req);
    }
    const Caller who = co_await caller(req);
    if (who.status) co_return net::json_error(req, who.status, who.reason);
    // State-changing calls carry the session's CSRF token (a header a cross-site form cannot set).
    auto csrf_ok = [&] {
        return options_.pick ||
               net::crypto::constant_time_equal(header(req, "X-CSRF-Token"), sign_in::csrf_token(who.session_id));
    };
    if (path == "/api/session") {
        if (req.method() != http::verb::get) co_return net::json_error(req, 405, "use GET");
        co_return co_await session_info(req, who);
    }
    if (path == "/api/sign-out") {
        if (req.method() != http::verb::post) co_return net::json_error(req, 405, "use POST");
        if (options_.pick) co_return net::json_error(req, 404, "no sign-in here: this demo lets you pick who you are");
        if (!csrf_ok()) co_return net::json_error(req, 403, kBadCsrf);
        co_return co_await sign_out(req, who);
    }
    if (path == "/api/users") {
        if (req.method() != http::verb::get) co_return net::json_error(req, 405, "use GET");
        co_return co_await users(req, who);
    }
    if (path == "/api/chat") {
        if (req.method() != http::verb::post) co_return net::json_error(req, 405, "use POST");
        if (!csrf_ok()) co_return net::json_error(req, 403, kBadCsrf);
        co_return co_await chat(req, who);
    }
    if (path == "/api/messages") {
        if (req.method() != http::verb::get) co_return net::json_error(req, 405, "use GET");
        co_return co_await messages(req, who);
    }
    co_return net::json_error(req, 404, "no such path: " + path);
}

asio::awaitable<net::Response> WebChat::session_info(const net::Request& req, const Caller& who) {
    if (options_.pick) co_return json_response(req, json{{"mode", "pick"}});
    co_return json_response(
        req, json{{"mode", "signin"}, {"user", user_json(*who.user)}, {"csrf", sign_in::csrf_token(who.session_id)}});
}

asio::awaitable<net::Response> WebChat::users(const net::Request& req, const Caller& who) {
    // Signed in: only yourself (the page's header); picking: everyone.
    auto list_users = [this, me = who.user] {
        json list = json::array();
        store_.transact([&](Repo& repo) {
            std::unordered_map<TeamId, std::string> teams;
            for (const auto& t : repo.teams()) teams[t.id] = t.name;
            for (const auto& u : repo.users()) {
                if (me && u.id != me->id) continue;
                auto j = user_json(u);
                j["team"] = u.team ? teams[*u.team] : std::string();
                list.push_back(std::move(j));
            }
        });
        return json{{"users", list}};
    };
    auto body = co_await storage_.run(std::move(list_users));
    co_return json_response(req, body);
}

asio::awaitable<net::Response> WebChat::chat(const net::Request& req, const Caller& who) {
    const json body = json::parse(req.body(), nullptr, false);
    if (body.is_discarded() || !body.is_object()) co_return net::json_error(req, 400, "body must be a JSON object");
    const bool named = body.contains("user");
    if (named && (!body["user"].is_string() || body["user"].get_ref<const std::string&>().empty()))
        co_return net::json_error(req, 400, "\"user\" must be a non-empty string (a user handle)");
    if (!named && !who.user) co_return net::json_error(req, 400, "\"user\" must be a non-empty string (a user handle)");
    if (!body.contains("text") || !body["text"].is_string())
        co_return net::json_error(req, 400, "\"text\" must be a string (the command)");
    auto user = named ? body["user"].get<std::string>() : who.user->handle;
    if (who.user && !same_handle(user, who.user->handle))
        co_return net::json_error(req, 403,
                                  "you are signed in as " + who.user->handle + ": you can only act as yourself");
    if (who.user) user = who.user->handle;
    auto text = body["text"].get<std::string>();  // its length is the bot's to check (limits.command_chars)
    auto work = [this, user = std::move(user), text = std::move(text)] {
        auto h = bot_.handle(user, text);
        effects_.committed(Changes{h.notified, h.platforms, false, h.schedule});
        return h;
    };
    // A write the database refused (a full disk, say), at the command or at
    // its group's commit: nothing of it is stored, and the person is told so.
    std::optional<Handled> handled;
    std::string failure;
    try {
        handled = co_await storage_.run(std::move(work));
    } catch (const std::exception& e) {
        failure = e.what();
    }
    if (!handled) co_return not_saved(req, who.user ? std::optional(who.user->lang) : std::nullopt, failure);
    co_return json_response(req, reply_json(handled->reply));
}

asio::awaitable<net::Response> WebChat::messages(const net::Request& req, const Caller& who) {
    auto user = query_param(req, "user");
    if (who.user) {
        if (user && !user->empty() && !same_handle(*user, who.user->handle))
            co_return net::json_error(req, 403,
                                      "you are signed in as " + who.user->handle + ": only your own messages");
        user = who.user->handle;
    }
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
    const Caller who = co_await caller(req);
    if (who.status) co_return co_await fail(who.status, who.reason);
    auto handle = query_param(req, "user");
    if (who.user) {
        if (handle && !handle->empty() && !same_handle(*handle, who.user->handle)) {
            const std::string reason = "you are signed in as " + who.user->handle + ": only your own messages";
            co_return co_await fail(403, reason);
        }
        handle = who.user->handle;
    }
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

    // Counted before the answer, so that a stream over the limits is refused saying why.
    auto executor = co_await asio::this_coro::executor;
    EventHub::Full full = EventHub::Full::no;
    auto sub = hub_.subscribe(user->id, executor, &full);
    if (!sub) {
        const auto limits = hub_.limits();
        const std::string reason =
            full == EventHub::Full::user
                ? user->handle + " already has " + std::to_string(limits.per_user) +
                      " live event streams open (limits.streams_per_user): close another tab of the web chat"
                : "the server has all its " + std::to_string(limits.total) +
                      " live event streams open (limits.streams_total): try again later";
        co_return co_await fail(full == EventHub::Full::user ? 429 : 503, reason);
    }
    struct Unsubscribe {
        EventHub& hub;
        std::shared_ptr<EventHub::Subscriber> s;
        ~Unsubscribe() { hub.unsubscribe(s); }
    } guard{hub_, sub};

    http::response<http::empty_body> head{http::status::ok, req.version()};
    head.set(http::field::content_type, "text/event-stream; charset=utf-8");
    head.set(http::field::cache_control, "no-cache");
    head.set("X-Accel-Buffering", "no");
    head.keep_alive(false);  // the body ends when the connection closes
    http::response_serializer<http::empty_body> sr{head};
    stream.expires_after(std::chrono::seconds(10));
    auto [hec, hn] = co_await http::async_write_header(stream, sr, asio::as_tuple(asio::use_awaitable));
    if (hec) co_return;

    // Signed in: the session is checked before every batch, so a sign-out
    // (which wakes the stream) or the expiry ends it.
    const std::string session = who.user ? sign_in::session_hash(who.session_id) : std::string();
    std::string out = "retry: 3000\n\n";
    while (!hub_.closing()) {
        sub->pending = false;
        struct Batch {
            std::vector<OutboxMessage> list;
            bool ended = false;
            std::optional<TimePoint> expires;
        };
        auto fetch = [this, id = user->id, cursor, session] {
            Batch b;
            const auto now = clock_.now();
            store_.transact([&](Repo& repo) {
                if (!session.empty()) {
                    const auto s = repo.web_session(session, now);
                    if (!s) {
                        b.ended = true;
                        return;
                    }
                    b.expires = s->expires_at;
                }
                b.list = cursor ? repo.messages_after(id, *cursor, kPage) : repo.recent_messages(id, kRecent);
            });
            return b;
        };
        auto batch = co_await storage_.run(std::move(fetch));
        if (batch.ended) {
            out += "event: signed-out\ndata: {}\n\n";
            stream.expires_after(std::chrono::seconds(10));
            co_await asio::async_write(stream, asio::buffer(out), asio::as_tuple(asio::use_awaitable));
            co_return;
        }
        if (!cursor) cursor = MessageId{0};
        for (const auto& m : batch.list) {
            out += "id: " + std::to_string(m.id.value) +
                   "\nevent: message\ndata: " + message_json(m).dump(-1, ' ', false, json::error_handler_t::replace) +
                   "\n\n";
            cursor = m.id;
        }
        if (!out.empty()) {
            stream.expires_after(std::chrono::seconds(30));
            auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(out), asio::as_tuple(asio::use_awaitable));
            if (wec) co_return;  // the browser went away
            out.clear();
        }
        if (batch.list.size() == kPage || sub->pending) continue;
        auto wait = std::chrono::duration_cast<std::chrono::steady_clock::duration>(options_.ping_interval);
        if (batch.expires) {
            const auto left = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                *batch.expires - clock_.now() + Seconds{1});
            wait = std::min(wait, left);
        }
        sub->signal.expires_after(wait);
        auto [ec] = co_await sub->signal.async_wait(asio::as_tuple(asio::use_awaitable));
        if (!ec && !sub->pending) out = ": ping\n\n";  // timed out: keep the connection alive
    }
}

}  // namespace fu::server