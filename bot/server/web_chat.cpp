// The web chat: its page, its JSON API (docs/WEB_CHAT_API.md), sign-in
// (codes, links, sessions, CSRF) and the live event stream. One file because
// every handler shares the same caller check and request helpers (cookies,
// client address, JSON bodies); the sign-in handlers (send_code, sign_in,
// sign_out) are the part to move out, with those helpers, when it grows.
#include "server/web_chat.hpp"
#include "server/web_assets.hpp"

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
    return {{"id", m.id.value},
            {"kind", code(m.kind)},
            {"text", m.text},
            {"buttons", buttons},
            {"tasks", tasks},
            {"created_at", date::format("%FT%TZ", m.created_at)}};
}

json user_json(const User& u) {
    return {{"handle", u.handle}, {"name", u.display_name}, {"role", code(u.role)}, {"lang", code(u.lang)},
            {"time_zone", u.time_zone}};
}

using web::header;

// The value of one cookie in the Cookie header ("a=1; fu_session=…").
std::string cookie_value(const net::Request& req, std::string_view name) {
    const std::string all = header(req, "Cookie");
    std::string_view rest(all);
    while (!rest.empty()) {
        const auto end = rest.find(';');
        auto part = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        if (part.size() > name.size() && part.starts_with(name) && part[name.size()] == '=')
            return std::string(part.substr(name.size() + 1));
    }
    return {};
}

// Who is asking, for the per-client limits and the audit log: the socket's
// peer, or, when that is a proxy on this machine (loopback), the address the
// proxy appended last to X-Forwarded-For. A client elsewhere cannot reach
// followupd from a loopback address, so it cannot choose what is counted.
std::string client_address(const net::Request& req) {
    const auto peer = header(req, net::kClientAddressHeader);
    const bool local = peer.rfind("127.", 0) == 0 || peer == "::1";
    const auto forwarded = header(req, "X-Forwarded-For");
    if (!local || forwarded.empty()) return peer;
    auto last = forwarded.substr(forwarded.rfind(',') == std::string::npos ? 0 : forwarded.rfind(',') + 1);
    last.erase(0, last.find_first_not_of(' '));
    while (!last.empty() && last.back() == ' ') last.pop_back();
    return last.empty() || last.size() > 64 ? peer : last;
}

bool json_body(const net::Request& req) {
    const auto type = header(req, "Content-Type");
    return type.rfind("application/json", 0) == 0;
}

bool same_handle(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

constexpr std::string_view kCookie = "fu_session";
constexpr std::string_view kNoSession = "sign in first (POST /api/sign-in with a code or a sign-in link)";
constexpr std::string_view kEnded = "your sign-in has ended or expired: sign in again";
constexpr std::string_view kBadCsrf =
    "missing or wrong X-CSRF-Token header (the csrf of POST /api/sign-in or GET /api/session)";

net::Response too_many(const net::Request& req, std::int64_t retry_after, std::string_view what) {
    auto res = net::json_error(req, 429, std::string(what) + ": try again in " + std::to_string(retry_after) + " s");
    res.set(http::field::retry_after, std::to_string(retry_after));
    return res;
}

json reply_json(const Reply& r) {
    json buttons = json::array();
    for (const auto& b : r.buttons) buttons.push_back({{"label", b.label}, {"command", b.command}});
    return {{"reply", {{"text", r.text}, {"buttons", buttons}}}};
}

}  // namespace

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
    c.session_id = cookie_value(req, kCookie);
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

std::string WebChat::cookie(const net::Request& req, std::string_view value, std::int64_t max_age) const {
    // Secure when the browser came over HTTPS (a proxy in front says so) or the config says it always does.
    const bool secure = options_.secure_cookie || header(req, "X-Forwarded-Proto") == "https";
    return std::string(kCookie) + "=" + std::string(value) + "; Path=/; Max-Age=" + std::to_string(max_age) +
           "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
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
    co_return json_response(req, json{{"mode", "signin"},
                                      {"user", user_json(*who.user)},
                                      {"csrf", sign_in::csrf_token(who.session_id)}});
}

// A code goes to the person through their chat platform (the one reminders go
// to, else the first linked), through the outbox like any message.
asio::awaitable<net::Response> WebChat::send_code(const net::Request& req) {
    const json body = json::parse(req.body(), nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("handle") || !body["handle"].is_string() ||
        body["handle"].get_ref<const std::string&>().empty())
        co_return net::json_error(req, 400, "body must be {\"handle\": \"<your user handle>\"}");
    const auto handle = body["handle"].get<std::string>();
    std::string user_key = handle;
    for (char& ch : user_key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const auto client = client_address(req);
    const auto mono = clock_.monotonic();
    if (!codes_per_user_.allows(user_key, mono) || !codes_per_client_.allows(client, mono)) {
        spdlog::warn("sign-in: codes for '{}' from {} rate limited", handle, client);
        const auto wait = std::max(codes_per_user_.retry_after(user_key, mono), codes_per_client_.retry_after(client, mono));
        co_return too_many(req, wait, "too many codes asked for");
    }
    codes_per_client_.add(client, mono);
    struct Sent {
        unsigned status = 0;
        std::string reason, platform;
        UserId user;
    };
    auto work = [this, handle, client, lifetime = options_.code_lifetime] {
        Sent r;
        const auto now = clock_.now();
        store_.transact([&](Repo& repo) {
            const auto u = repo.user_by_handle(handle);
            if (!u) {
                r = {404, "no such user: " + handle, "", {}};
                return;
            }
            const auto ids = repo.identities_of(u->id);
            const Identity* via = nullptr;
            for (const auto& i : ids)
                if (i.platform == u->notify_platform) via = &i;
            if (!via && !ids.empty()) via = &ids.front();
            if (!via) {
                r = {409,
                     u->handle + " has no chat platform to send a code to: ask an admin for a sign-in link "
                                 "(followupd login-link --as " + u->handle + ")",
                     "", u->id};
                return;
            }
            const auto code = sign_in::new_code();
            repo.purge_sign_ins(now);
            repo.retire_sign_in_secrets(u->id, "code", now);  // only the newest code works
            repo.add_sign_in_secret(SignInSecret{sign_in::code_hash(u->id, code), u->id, "code", now, now + lifetime});
            const auto minutes = std::to_string((lifetime.count() + 59) / 60);
            const std::string text = u->lang == Lang::zh
                ? "followupd 网页登录验证码：" + code + "（" + minutes + " 分钟内有效，只能用一次）。不是你本人操作？请忽略。"
                : "Your followupd sign-in code: " + code + " (valid " + minutes +
                      " min, once). If you did not ask for it, ignore this.";
            const auto id = repo.enqueue(OutboxMessage{{}, u->id, now, MessageKind::notice, text, {}, {}});
            repo.add_delivery(pending_delivery(id, via->platform, via->external_id, via->chat_id, now));
            repo.append_audit(AuditEntry{{}, now, u->id, "signin.code", "user:" + std::to_string(u->id.value),
                                         "code sent via " + via->platform + " (asked from " + client + ")"});
            r = {0, "", via->platform, u->id};
        });
        return r;
    };
    const Sent sent = co_await storage_.run(std::move(work));
    if (sent.status) co_return net::json_error(req, sent.status, sent.reason);
    codes_per_user_.add(user_key, mono);
    effects_.committed(Changes{{sent.user}, {sent.platform}, false, false});
    co_return json_response(req, json{{"sent_via", sent.platform},
                                      {"expires_in_s", options_.code_lifetime.count()}});
}

asio::awaitable<net::Response> WebChat::sign_in(const net::Request& req) {
    const json body = json::parse(req.body(), nullptr, false);
    auto text_field = [&](const char* k) -> std::optional<std::string> {
        if (!body.is_object() || !body.contains(k) || !body[k].is_string() || body[k].get_ref<const std::string&>().empty())
            return std::nullopt;
        return body[k].get<std::string>();
    };
    const auto link = text_field("link");
    const auto handle = text_field("handle");
    const auto code = text_field("code");
    if (body.is_discarded() || (!link && !(handle && code)))
        co_return net::json_error(req, 400, "body must be {\"handle\": \"…\", \"code\": \"…\"} or {\"link\": \"…\"}");
    std::string user_key = handle.value_or("");
    for (char& ch : user_key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const auto client = client_address(req);
    const auto mono = clock_.monotonic();
    // Guessing is bounded: after too many failures even the right code waits.
    if (!failures_per_client_.allows(client, mono) || (!link && !failures_per_user_.allows(user_key, mono))) {
        spdlog::warn("sign-in: attempts for '{}' from {} rate limited", user_key, client);
        const auto wait = std::max(failures_per_client_.retry_after(client, mono),
                                   link ? 0 : failures_per_user_.retry_after(user_key, mono));
        co_return too_many(req, wait, "too many failed sign-ins");
    }
    struct Result {
        std::optional<User> user;
        std::string session_id;
    };
    auto work = [this, link, handle, code, client, lifetime = options_.session_lifetime] {
        Result r;
        const auto now = clock_.now();
        store_.transact([&](Repo& repo) {
            std::optional<User> named;
            std::optional<UserId> id;
            if (link) {
                id = repo.use_sign_in_secret(sign_in::link_hash(*link), now);
            } else if ((named = repo.user_by_handle(*handle))) {
                id = repo.use_sign_in_secret(sign_in::code_hash(named->id, *code), now);
            }
            const std::string how = link ? "sign-in link" : "code";
            if (!id) {
                const auto subject = named ? "user:" + std::to_string(named->id.value) : link ? "link" : "handle:" + *handle;
                repo.append_audit(AuditEntry{{}, now, named ? std::optional<UserId>(named->id) : std::nullopt,
                                             "signin.fail", subject,
                                             "wrong, used or expired " + how + " from " + client});
                return;
            }
            r.user = repo.user(*id);
            r.session_id = sign_in::new_session_id();
            repo.add_web_session(WebSession{sign_in::session_hash(r.session_id), *id, now, now + lifetime});
            repo.append_audit(AuditEntry{{}, now, *id, "signin.ok", "user:" + std::to_string(id->value),
                                         "signed in with a " + how + " from " + client});
        });
        return r;
    };
    const Result r = co_await storage_.run(std::move(work));
    if (!r.user) {
        failures_per_client_.add(client, mono);
        if (!link) failures_per_user_.add(user_key, mono);
        co_return net::json_error(req, 401, link ? "this sign-in link is wrong, used or expired: ask for a new one"
                                                 : "wrong, used or expired code: ask for a new one");
    }
    auto res = json_response(req, json{{"mode", "signin"},
                                       {"user", user_json(*r.user)},
                                       {"csrf", sign_in::csrf_token(r.session_id)}});
    res.set(http::field::set_cookie, cookie(req, r.session_id, options_.session_lifetime.count()));
    co_return res;
}

asio::awaitable<net::Response> WebChat::sign_out(const net::Request& req, const Caller& who) {
    auto work = [this, hash = sign_in::session_hash(who.session_id), id = who.user->id] {
        const auto now = clock_.now();
        store_.transact([&](Repo& repo) {
            repo.end_web_session(hash);
            repo.append_audit(AuditEntry{{}, now, id, "signout", "user:" + std::to_string(id.value), "web sign-out"});
        });
        return true;
    };
    co_await storage_.run(std::move(work));
    hub_.notify(who.user->id);  // open live streams check their session again, and end
    auto res = json_response(req, json{{"signed_out", true}});
    res.set(http::field::set_cookie, cookie(req, "", 0));
    co_return res;
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
        co_return net::json_error(req, 403, "you are signed in as " + who.user->handle + ": you can only act as yourself");
    if (who.user) user = who.user->handle;
    auto text = body["text"].get<std::string>();  // its length is the bot's to check (limits.command_chars)
    auto work = [this, user = std::move(user), text = std::move(text)] {
        auto h = bot_.handle(user, text);
        effects_.committed(Changes{h.notified, h.platforms, false, true});
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
            co_return net::json_error(req, 403, "you are signed in as " + who.user->handle + ": only your own messages");
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
        const std::string reason = full == EventHub::Full::user
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
