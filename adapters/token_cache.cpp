#include "adapters/token_cache.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>

#include <algorithm>
#include <utility>

namespace fu::adapters {

namespace asio = boost::asio;

// One caller waiting for a refresh in progress: the refresher sends it the
// token, or an error and the reason. concurrent_channel: sent from whichever
// thread finishes the refresh.
struct TokenCache::Waiter {
    explicit Waiter(asio::any_io_executor ex) : channel(std::move(ex), 1) {}
    asio::experimental::concurrent_channel<void(boost::system::error_code, std::string)> channel;
};

TokenCache::TokenCache(const Clock& clock, Fetch fetch, std::chrono::seconds margin)
    : clock_(clock), fetch_(std::move(fetch)), margin_(margin) {}

TokenCache::~TokenCache() = default;

asio::awaitable<std::string> TokenCache::get() {
    std::shared_ptr<Waiter> waiter;
    {
        std::lock_guard lock(mutex_);
        const TimePoint now = clock_.now();
        if (!value_.empty() && now < refresh_at_) co_return value_;
        if (refreshing_) {
            if (!value_.empty() && now < expires_at_) co_return value_;  // still valid while the new one comes
            waiter = std::make_shared<Waiter>(co_await asio::this_coro::executor);
            waiters_.push_back(waiter);
        } else {
            refreshing_ = true;
            ++fetches_;
        }
    }
    if (waiter) {
        auto [ec, result] = co_await waiter->channel.async_receive(asio::as_tuple(asio::use_awaitable));
        if (ec) throw TokenError(result.empty() ? ec.message() : result);
        co_return result;
    }

    std::string error;
    try {
        AccessToken token = co_await fetch_();
        if (token.value.empty()) throw TokenError("the platform answered an empty token");
        const TimePoint now = clock_.now();
        const auto lifetime = std::max(token.lifetime, std::chrono::seconds(1));
        const auto early = std::min(margin_, lifetime / 2);
        finish(&token.value, {}, now + (lifetime - early), now + lifetime);
        co_return token.value;
    } catch (const std::exception& e) {
        error = e.what();
    }
    finish(nullptr, error, {}, {});
    throw TokenError(error);
}

void TokenCache::finish(const std::string* token, const std::string& error, TimePoint refresh_at,
                        TimePoint expires_at) {
    std::vector<std::shared_ptr<Waiter>> waiters;
    {
        std::lock_guard lock(mutex_);
        refreshing_ = false;
        if (token) {
            value_ = *token;
            refresh_at_ = refresh_at;
            expires_at_ = expires_at;
        }
        waiters.swap(waiters_);
    }
    for (const auto& w : waiters) {
        if (token)
            w->channel.try_send(boost::system::error_code{}, *token);
        else
            w->channel.try_send(asio::error::make_error_code(asio::error::operation_aborted), error);
    }
}

void TokenCache::invalidate(const std::string& token) {
    std::lock_guard lock(mutex_);
    if (token.empty() || token != value_) return;
    value_.clear();
    refresh_at_ = expires_at_ = TimePoint{};
}

std::size_t TokenCache::fetches() const {
    std::lock_guard lock(mutex_);
    return fetches_;
}

}  // namespace fu::adapters
