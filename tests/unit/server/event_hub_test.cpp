// Live streams per person and in all (limits.streams_per_user, limits.streams_total).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "server/event_hub.hpp"

namespace fu::server {
namespace {

TEST(EventHub, StreamsAreBoundedPerPersonAndInAll) {
    boost::asio::io_context io;
    EventHub hub;
    hub.set_limits({2, 3});
    EventHub::Full why = EventHub::Full::no;
    auto a1 = hub.subscribe(UserId{1}, io.get_executor(), &why);
    auto a2 = hub.subscribe(UserId{1}, io.get_executor(), &why);
    ASSERT_TRUE(a1 && a2);
    EXPECT_EQ(hub.subscribe(UserId{1}, io.get_executor(), &why), nullptr);
    EXPECT_EQ(why, EventHub::Full::user);
    auto b1 = hub.subscribe(UserId{2}, io.get_executor(), &why);
    ASSERT_TRUE(b1);
    EXPECT_EQ(why, EventHub::Full::no);
    EXPECT_EQ(hub.subscribe(UserId{3}, io.get_executor(), &why), nullptr);
    EXPECT_EQ(why, EventHub::Full::server);

    // A stream that ends makes room again, for anyone.
    hub.unsubscribe(a1);
    EXPECT_NE(hub.subscribe(UserId{3}, io.get_executor(), &why), nullptr);
    EXPECT_EQ(hub.subscribe(UserId{4}, io.get_executor(), &why), nullptr);

    // A reload's larger limits apply to the next stream.
    hub.set_limits({8, 10});
    EXPECT_NE(hub.subscribe(UserId{4}, io.get_executor(), &why), nullptr);
}

}  // namespace
}  // namespace fu::server
