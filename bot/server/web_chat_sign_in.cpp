// Signing in to the web chat (docs/WEB_CHAT_API.md): a code sent through the
// person's chat platform or a sign-in link, traded for a session cookie, and
// signing out. The rest of the web chat, and the caller check that reads the
// cookie, are in web_chat.cpp.
#include "server/web_assets.hpp"
#include "server/web_chat.hpp"
#include "server/web_chat_internal.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace fu::server {
namespace http = boost::beast::http;
namespace asio = boost::asio;
using nlohmann::json;
using web_chat_detail::json_response;
using web_chat_detail::user_json;

namespace {

using web::header;

constexpr std::string_view kCookie = "fu_session";

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

net::Response too_many(const net::Request& req, std::int64_t retry_after, std::string_view what) {
    auto res = net::json_error(req, 429, std::string(what) + ": try again in " + std::to_string(retry_after) + " s");
    res.set(http::field::retry_after, std::to_string(retry_after));
    return res;
}

}  // namespace

std::string web_chat_detail::session_cookie(const net::Request& req) { return cookie_value(req, kCookie); }

std::string WebChat::cookie(const net::Request& req, std::string_view value, std::int64_t max_age) const {
    // Secure when the browser came over HTTPS (a proxy in front says so) or the config says it always does.
    const bool secure = options_.secure_cookie || header(req, "X-Forwarded-Proto") == "https";
    return std::string(kCookie) + "=" + std::string(value) + "; Path=/; Max-Age=" + std::to_string(max_age) +
           "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
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
        const auto wait =
            std::max(codes_per_user_.retry_after(user_key, mono), codes_per_client_.retry_after(client, mono));
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
                     u->handle +
                         " has no chat platform to send a code to: ask an admin for a sign-in link "
                         "(followupd login-link --as " +
                         u->handle + ")",
                     "", u->id};
                return;
            }
            const auto code = sign_in::new_code();
            repo.purge_sign_ins(now);
            repo.retire_sign_in_secrets(u->id, "code", now);  // only the newest code works
            repo.add_sign_in_secret(SignInSecret{sign_in::code_hash(u->id, code), u->id, "code", now, now + lifetime});
            const auto minutes = std::to_string((lifetime.count() + 59) / 60);
            const std::string text = u->lang == Lang::zh
                                         ? "followupd 网页登录验证码：" + code + "（" + minutes +
                                               " 分钟内有效，只能用一次）。不是你本人操作？请忽略。"
                                         : "Your followupd sign-in code: " + code + " (valid " + minutes +
                                               " min, once). If you did not ask for it, ignore this.";
            const auto id = repo.enqueue(OutboxMessage{{}, u->id, now, MessageKind::notice, text, {}, {}});
            repo.add_delivery(pending_delivery(id, via->platform, via->external_id, via->chat_id, now));
            repo.append_audit(AuditEntry{{},
                                         now,
                                         u->id,
                                         "signin.code",
                                         "user:" + std::to_string(u->id.value),
                                         "code sent via " + via->platform + " (asked from " + client + ")"});
            r = {0, "", via->platform, u->id};
        });
        return r;
    };
    const Sent sent = co_await storage_.run(std::move(work));
    if (sent.status) co_return net::json_error(req, sent.status, sent.reason);
    codes_per_user_.add(user_key, mono);
    effects_.committed(Changes{{sent.user}, {sent.platform}, false, false});
    co_return json_response(req, json{{"sent_via", sent.platform}, {"expires_in_s", options_.code_lifetime.count()}});
}

asio::awaitable<net::Response> WebChat::sign_in(const net::Request& req) {
    const json body = json::parse(req.body(), nullptr, false);
    auto text_field = [&](const char* k) -> std::optional<std::string> {
        if (!body.is_object() || !body.contains(k) || !body[k].is_string() ||
            body[k].get_ref<const std::string&>().empty())
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
                const auto subject = named  ? "user:" + std::to_string(named->id.value)
                                     : link ? "link"
                                            : "handle:" + *handle;
                repo.append_audit(AuditEntry{{},
                                             now,
                                             named ? std::optional<UserId>(named->id) : std::nullopt,
                                             "signin.fail",
                                             subject,
                                             "wrong, used or expired " + how + " from " + client});
                return;
            }
            r.user = repo.user(*id);
            r.session_id = sign_in::new_session_id();
            repo.add_web_session(WebSession{sign_in::session_hash(r.session_id), *id, now, now + lifetime});
            repo.append_audit(AuditEntry{{},
                                         now,
                                         *id,
                                         "signin.ok",
                                         "user:" + std::to_string(id->value),
                                         "signed in with a " + how + " from " + client});
        });
        return r;
    };
    const Result r = co_await storage_.run(std::move(work));
    if (!r.user) {
        failures_per_client_.add(client, mono);
        if (!link) failures_per_user_.add(user_key, mono);
        co_return net::json_error(req, 401,
                                  link ? "this sign-in link is wrong, used or expired: ask for a new one"
                                       : "wrong, used or expired code: ask for a new one");
    }
    auto res = json_response(
        req, json{{"mode", "signin"}, {"user", user_json(*r.user)}, {"csrf", sign_in::csrf_token(r.session_id)}});
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

}  // namespace fu::server
