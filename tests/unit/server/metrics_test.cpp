// Metrics: a platform is failing from its first failed send after the last
// accepted one, and stops failing at the next accepted send (what /readyz and
// the followupd_platform_failing_since_seconds gauge read).
#include <gtest/gtest.h>

#include "server/metrics.hpp"

namespace fu::server {
namespace {

TEST(MetricsFailing, FromTheFirstFailureUntilASendIsAccepted) {
    Metrics m;
    EXPECT_TRUE(m.failing_since().empty());
    m.send_outcome("telegram", true, 50);
    EXPECT_TRUE(m.failing_since().empty());
    m.send_outcome("telegram", false, 100);
    m.send_outcome("telegram", false, 200);  // still failing since the first
    m.send_outcome("slack", true, 150);
    ASSERT_EQ(m.failing_since().size(), 1u);
    EXPECT_EQ(m.failing_since().at("telegram"), 100);
    EXPECT_NE(m.render().find("followupd_platform_failing_since_seconds{platform=\"telegram\"} 100\n"), std::string::npos);

    m.send_outcome("telegram", true, 300);
    EXPECT_TRUE(m.failing_since().empty());
    EXPECT_NE(m.render().find("followupd_platform_failing_since_seconds{platform=\"telegram\"} 0\n"), std::string::npos);
    m.send_outcome("telegram", false, 400);  // a new run of failures starts anew
    EXPECT_EQ(m.failing_since().at("telegram"), 400);
}

}  // namespace
}  // namespace fu::server
