#include "server/calendar_feed.hpp"

#include <algorithm>
#include <optional>

#include "core/calendar_feed.hpp"
#include "core/ical.hpp"
#include "net/crypto.hpp"

namespace fu::server::calendar_feed {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view kPrefix = "/calendar/";
constexpr std::string_view kSuffix = ".ics";

// The token in "/calendar/<token>.ics" if the path has that shape: 43 base64url characters.
std::optional<std::string_view> token_of(std::string_view path) {
    if (!path.starts_with(kPrefix) || !path.ends_with(kSuffix)) return std::nullopt;
    const auto token = path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size());
    if (token.size() != 43) return std::nullopt;
    for (const char c : token)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return std::nullopt;
    return token;
}

// Says nothing about why: a wrong token, an ended one and a mistyped path look alike.
net::Response not_found(const net::Request& req) {
    net::Response res{http::status::not_found, req.version()};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.body() = "not found\n";
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

}  // namespace

std::string new_token() {
    std::string b64 = net::crypto::base64_encode(net::crypto::random_bytes(32));
    std::replace(b64.begin(), b64.end(), '+', '-');
    std::replace(b64.begin(), b64.end(), '/', '_');
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
    return b64;
}

std::string token_hash(std::string_view token) {
    return net::crypto::hex(net::crypto::sha256("calendar:" + std::string(token)));
}

std::string issue(Repo& repo, const User& user, TimePoint now) {
    const auto token = new_token();
    repo.set_calendar_feed(CalendarFeed{token_hash(token), user.id, now});
    return token;
}

std::string url(std::string_view public_url, std::string_view token) {
    return std::string(public_url) + std::string(kPrefix) + std::string(token) + std::string(kSuffix);
}

Route::Route(StorageExecutor& storage, Store& store, const Clock& clock, std::shared_ptr<const std::string> public_url)
    : storage_(storage), store_(store), clock_(clock), public_url_(std::move(public_url)) {}

boost::asio::awaitable<net::Response> Route::handle(const net::Request& req) {
    if (req.method() != http::verb::get && req.method() != http::verb::head)
        co_return net::json_error(req, 405, "use GET");
    const auto target = std::string_view(req.target());
    const auto token = token_of(target.substr(0, target.find('?')));
    if (!token) co_return not_found(req);
    // The lookup and the rendering on the storage thread, in one read-only transaction.
    auto render = [this, hash = token_hash(*token), base = *public_url_]() -> std::optional<std::string> {
        std::optional<std::string> body;
        store_.transact([&](Repo& repo) {
            const auto user_id = repo.calendar_feed_user(hash);
            if (!user_id) return;
            const auto me = repo.user(*user_id);
            if (!me) return;
            FeedOptions o;
            o.web_url = base + "/";
            o.host = url_host(base);
            const auto now = clock_.now();
            body = ical::render(calendar_of(repo, *me, now, o), now);
        });
        return body;
    };
    auto body = co_await storage_.run(std::move(render));
    if (!body) co_return not_found(req);
    net::Response res{http::status::ok, req.version()};
    res.set(http::field::content_type, "text/calendar; charset=utf-8");
    res.set(http::field::cache_control, "private, max-age=" + std::to_string(kMaxAgeSeconds));
    res.set(http::field::content_disposition, "inline; filename=\"followups.ics\"");
    res.set("Referrer-Policy", "no-referrer");
    res.set("X-Content-Type-Options", "nosniff");
    res.body() = std::move(*body);
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    co_return res;
}

}  // namespace fu::server::calendar_feed
