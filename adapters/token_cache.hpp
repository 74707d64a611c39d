#pragma once
// The access-token cache every platform with short-lived tokens shares
// (Feishu tenant_access_token, DingTalk accessToken, WeCom access_token).
//
// - get() answers from the cache while the token is fresh; it is refreshed
//   `margin` before it expires (or at half its lifetime, if that is sooner).
// - One refresh at a time: callers that arrive during a refresh wait for its
//   result instead of starting their own (no storm after a restart or an
//   expiry), or, while the old token has not yet expired, use the old one.
// - invalidate(token): the platform refused this token (revoked, expired
//   early); the next get() fetches a new one. A stale invalidate (of a token
//   already replaced) does nothing, so many failing sends cause one refresh.
// - A failed fetch fails the caller and everyone waiting on it; the next get()
//   tries again (callers such as the dispatcher retry with backoff).
//
// Safe to use from several threads and coroutines at once.
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace fu::adapters {

struct AccessToken {
    std::string value;
    std::chrono::seconds lifetime{7200};  // as the platform announced it (expire / expires_in / expireIn)
};

// A token request failed (network, HTTP status, or the platform's error code).
class TokenError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class TokenCache {
public:
    // fetch: asks the platform for a new token; throws TokenError (or any
    // std::exception) on failure. clock must outlive the cache.
    using Fetch = std::function<boost::asio::awaitable<AccessToken>()>;
    TokenCache(const Clock& clock, Fetch fetch, std::chrono::seconds margin = std::chrono::seconds(300));
    ~TokenCache();
    TokenCache(const TokenCache&) = delete;
    TokenCache& operator=(const TokenCache&) = delete;

    // A token to use now. Throws TokenError when it cannot get one.
    boost::asio::awaitable<std::string> get();
    // The platform said `token` is no longer valid.
    void invalidate(const std::string& token);
    // Tokens fetched so far (successful or not), for tests and metrics.
    std::size_t fetches() const;

private:
    struct Waiter;
    void finish(const std::string* token, const std::string& error, TimePoint refresh_at, TimePoint expires_at);

    const Clock& clock_;
    Fetch fetch_;
    std::chrono::seconds margin_;
    mutable std::mutex mutex_;
    std::string value_;
    TimePoint refresh_at_{};
    TimePoint expires_at_{};
    bool refreshing_ = false;
    std::size_t fetches_ = 0;
    std::vector<std::shared_ptr<Waiter>> waiters_;
};

}  // namespace fu::adapters
