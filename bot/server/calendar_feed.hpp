#pragma once
// GET /calendar/<token>.ics: a person's open follow-ups as an iCalendar feed
// (core/calendar_feed.hpp renders it), for a calendar app to subscribe to.
// The token is the only credential, as calendar apps send no other: 32
// random bytes, of which only a SHA-256 hash is stored (core/ports/
// calendar_feeds.hpp), found by an indexed lookup of that hash (no
// comparison whose time depends on how much of a guess was right). The chat
// command `calendar` makes, replaces and ends it. An unknown or ended token
// is a bare 404. Misses are not rate-limited: a 256-bit token is not guessed,
// and calendar services (Google's, Microsoft's) fetch many people's feeds
// from shared addresses, which a limit per address would let anyone block.
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/store.hpp"
#include "net/http_types.hpp"
#include "server/storage_executor.hpp"

namespace fu::server::calendar_feed {

// A new token (base64url of 32 random bytes) and the hash stored for it.
std::string new_token();
std::string token_hash(std::string_view token);
// Gives `user` a new feed (any old one stops at once); returns its token.
std::string issue(Repo&, const User& user, TimePoint now);
// "<public_url>/calendar/<token>.ics"
std::string url(std::string_view public_url, std::string_view token);

class Route {
public:
    // `public_url`: the web chat's address (set once the port is bound), for
    // the links back and the events' UIDs.
    Route(StorageExecutor& storage, Store& store, const Clock& clock, std::shared_ptr<const std::string> public_url);

    static bool serves(std::string_view path) { return path.starts_with("/calendar/"); }
    boost::asio::awaitable<net::Response> handle(const net::Request& req);

    static constexpr int kMaxAgeSeconds = 300;  // Cache-Control: a fetch within 5 minutes may reuse the last

private:
    StorageExecutor& storage_;
    Store& store_;
    const Clock& clock_;
    std::shared_ptr<const std::string> public_url_;
};

}  // namespace fu::server::calendar_feed
