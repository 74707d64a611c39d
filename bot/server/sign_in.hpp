#pragma once
// Signing in to the web chat without a password: a one-time code sent to the
// person through their own chat platform, or a one-time sign-in link (the
// `login` chat command, `followupd login-link`); either opens a server-side
// session. Only SHA-256 hashes of codes, link tokens and session ids are
// stored (core/ports/sign_in.hpp). See docs/WEB_CHAT_API.md.
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/store.hpp"

namespace fu::server::sign_in {

// A new 6-digit code, and its hash: bound to the user and the kind, so the
// same digits sent to two people are two different secrets.
std::string new_code();
std::string code_hash(UserId, std::string_view code);
// A link token: 32 random bytes, base64url; its hash.
std::string new_link_token();
std::string link_hash(std::string_view token);
// A session id (32 random bytes, base64url), the hash stored for it, and the
// CSRF token of that session (derived from the id, so it is never stored and
// only the holder of the cookie can know it).
std::string new_session_id();
std::string session_hash(std::string_view session_id);
std::string csrf_token(std::string_view session_id);

// Issues a sign-in link token for `user`, valid `lifetime` from `now`; audited.
std::string issue_link(Repo&, const User&, TimePoint now, Seconds lifetime, std::string_view by);

// "<public_url>/#sign-in=<token>": the page takes the token from the fragment
// (a fragment never reaches server logs or a Referer).
std::string link_url(std::string_view public_url, std::string_view token);

// Counts events per key in a sliding window: at most `max` in `window`.
// In memory, per instance (several instances each allow `max`).
class RateLimit {
public:
    RateLimit(std::size_t max, std::chrono::seconds window) : max_(max), window_(window) {}
    // True if another event for `key` is allowed now (it is not counted: see add).
    bool allows(const std::string& key, Monotonic now);
    void add(const std::string& key, Monotonic now);
    // Seconds until `key` may try again (0 if it may now).
    std::int64_t retry_after(const std::string& key, Monotonic now);

private:
    void prune(std::deque<Monotonic>& q, Monotonic now) const;
    std::size_t max_;
    std::chrono::seconds window_;
    std::mutex mutex_;
    std::map<std::string, std::deque<Monotonic>> events_;
};

}  // namespace fu::server::sign_in
