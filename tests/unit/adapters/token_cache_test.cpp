#include "adapters/token_cache.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
using fu::adapters::AccessToken;
using fu::adapters::TokenCache;
using fu::adapters::TokenError;
using namespace std::chrono_literals;

// A token endpoint that takes a few milliseconds and numbers its tokens.
struct FakeEndpoint {
    std::atomic<int> calls{0};
    std::atomic<bool> fail{false};
    std::chrono::seconds lifetime{7200};

    TokenCache::Fetch fetch() {
        return [this]() -> asio::awaitable<AccessToken> {
            const int n = ++calls;
            asio::steady_timer t(co_await asio::this_coro::executor, 20ms);
            co_await t.async_wait(asio::use_awaitable);
            if (fail) throw TokenError("token endpoint said 500");
            co_return AccessToken{"t" + std::to_string(n), lifetime};
        };
    }
};

// Runs `n` concurrent get()s to completion; returns what each got ("!" + error on failure).
std::vector<std::string> get_all(asio::io_context& io, TokenCache& cache, int n) {
    std::vector<std::string> got(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        asio::co_spawn(
            io,
            [&cache, &got, i]() -> asio::awaitable<void> {
                try {
                    got[static_cast<std::size_t>(i)] = co_await cache.get();
                } catch (const TokenError& e) {
                    got[static_cast<std::size_t>(i)] = std::string("!") + e.what();
                }
            },
            asio::detached);
    io.restart();
    io.run();
    return got;
}

const fu::TimePoint kStart = fu::from_unix(1'790'000'000);

TEST(TokenCache, ConcurrentCallersShareOneFetch) {
    asio::io_context io;
    fu::FakeClock clock(kStart);
    FakeEndpoint ep;
    TokenCache cache(clock, ep.fetch());
    const auto got = get_all(io, cache, 50);
    EXPECT_EQ(ep.calls, 1);
    for (const auto& g : got) EXPECT_EQ(g, "t1");
    EXPECT_EQ(get_all(io, cache, 5), std::vector<std::string>(5, "t1"));  // cached
    EXPECT_EQ(ep.calls, 1);
    EXPECT_EQ(cache.fetches(), 1u);
}

TEST(TokenCache, RefreshesMarginBeforeExpiryAndServesTheOldTokenMeanwhile) {
    asio::io_context io;
    fu::FakeClock clock(kStart);
    FakeEndpoint ep;
    TokenCache cache(clock, ep.fetch(), 300s);
    get_all(io, cache, 1);
    clock.advance(7200s - 301s);
    EXPECT_EQ(get_all(io, cache, 3), std::vector<std::string>(3, "t1"));
    EXPECT_EQ(ep.calls, 1);
    clock.advance(2s);  // inside the margin: one caller refreshes, the others still use t1 (valid)
    const auto got = get_all(io, cache, 10);
    EXPECT_EQ(ep.calls, 2);
    EXPECT_EQ(got[0], "t2");
    for (std::size_t i = 1; i < got.size(); ++i) EXPECT_EQ(got[i], "t1");
    EXPECT_EQ(get_all(io, cache, 1)[0], "t2");
}

TEST(TokenCache, AShortLifetimeRefreshesAtHalfLife) {
    asio::io_context io;
    fu::FakeClock clock(kStart);
    FakeEndpoint ep;
    ep.lifetime = 60s;  // shorter than the margin
    TokenCache cache(clock, ep.fetch(), 300s);
    get_all(io, cache, 1);
    clock.advance(29s);
    get_all(io, cache, 1);
    EXPECT_EQ(ep.calls, 1);
    clock.advance(2s);
    EXPECT_EQ(get_all(io, cache, 1)[0], "t2");
}

TEST(TokenCache, InvalidateFetchesOnceEvenWhenManySendsFail) {
    asio::io_context io;
    fu::FakeClock clock(kStart);
    FakeEndpoint ep;
    TokenCache cache(clock, ep.fetch());
    get_all(io, cache, 1);
    for (int i = 0; i < 10; ++i) cache.invalidate("t1");  // ten sends were refused with t1
    EXPECT_EQ(get_all(io, cache, 10), std::vector<std::string>(10, "t2"));
    cache.invalidate("t1");  // late news about the old token: ignored
    EXPECT_EQ(get_all(io, cache, 1)[0], "t2");
    EXPECT_EQ(ep.calls, 2);
}

TEST(TokenCache, AFailedFetchFailsItsWaitersAndTheNextCallTriesAgain) {
    asio::io_context io;
    fu::FakeClock clock(kStart);
    FakeEndpoint ep;
    ep.fail = true;
    TokenCache cache(clock, ep.fetch());
    const auto got = get_all(io, cache, 5);
    EXPECT_EQ(ep.calls, 1);
    for (const auto& g : got) EXPECT_EQ(g, "!token endpoint said 500");
    ep.fail = false;
    EXPECT_EQ(get_all(io, cache, 2), std::vector<std::string>(2, "t2"));
    EXPECT_EQ(ep.calls, 2);
}

TEST(TokenCache, SafeAcrossThreads) {
    asio::thread_pool pool(4);
    fu::FakeClock clock(kStart);
    FakeEndpoint ep;
    TokenCache cache(clock, ep.fetch());
    std::atomic<int> ok{0};
    for (int i = 0; i < 200; ++i)
        asio::co_spawn(
            pool,
            [&]() -> asio::awaitable<void> {
                if (co_await cache.get() == "t1") ++ok;
            },
            asio::detached);
    pool.join();
    EXPECT_EQ(ok, 200);
    EXPECT_EQ(ep.calls, 1);
}

}  // namespace
