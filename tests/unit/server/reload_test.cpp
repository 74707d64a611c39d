// What a SIGHUP applies and what it leaves for a restart (server/reload.hpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "server/reload.hpp"

namespace fu::server {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

config::Config load(const std::string& json) { return config::load_text(json, {}); }

const char* kBase = R"({"teams": ["East", "West"], "log": {"level": "info"}, "server": {"port": 8080},
  "users": [{"handle": "wang", "role": "rep", "team": "East"}, {"handle": "li", "role": "manager", "team": "East"}]})";

TEST(Reload, TheSameFileChangesNothing) { EXPECT_TRUE(compare(load(kBase), load(kBase)).empty()); }

TEST(Reload, PeopleAndTheLogLevelAreAppliedThePortWaitsForARestart) {
    const auto next = load(R"({"teams": ["East", "West"], "log": {"level": "warn"}, "server": {"port": 9090},
      "sop": {"tier_a_days": 5}, "storage": {"path": "other.db"},
      "users": [{"handle": "wang", "role": "rep", "team": "West"}, {"handle": "zhao", "role": "rep", "team": "West"}]})");
    const auto c = compare(load(kBase), next);
    EXPECT_THAT(
        c.applied,
        ElementsAre("log.level", "users (added zhao; changed wang; no longer listed, kept as they are: li)", "sop"));
    EXPECT_THAT(c.restart, ElementsAre("server.port", "storage.path"));

    // What is applied comes from the new file; what needs a restart stays as it runs.
    const auto running = reloaded(load(kBase), next);
    EXPECT_EQ(running.log_level, "warn");
    EXPECT_EQ(running.users.at(0).team, "West");
    EXPECT_EQ(running.sop.tier_a_days, 5);
    EXPECT_EQ(running.port, 8080);
    EXPECT_EQ(running.database, "var/followupd.db");
    // So the next reload still names the port, and nothing else.
    EXPECT_THAT(compare(running, next).applied, IsEmpty());
    EXPECT_THAT(compare(running, next).restart, ElementsAre("server.port", "storage.path"));
}

TEST(Reload, RetentionPeriodsAreApplied) {
    const auto next = load(R"({"teams": ["East", "West"], "log": {"level": "info"}, "server": {"port": 8080},
      "retention": {"audit_days": 365, "batch": 100},
      "users": [{"handle": "wang", "role": "rep", "team": "East"}, {"handle": "li", "role": "manager", "team": "East"}]})");
    const auto c = compare(load(kBase), next);
    EXPECT_THAT(c.applied, ElementsAre("retention.audit_days", "retention.batch"));
    EXPECT_THAT(c.restart, IsEmpty());
    const auto running = reloaded(load(kBase), next);
    EXPECT_EQ(running.retention_audit_days, 365);
    EXPECT_EQ(running.retention_batch, 100);
}

TEST(Reload, LimitsAreApplied) {
    const auto next = load(R"({"teams": ["East", "West"], "log": {"level": "info"}, "server": {"port": 8080},
      "limits": {"command_chars": 2000, "name_chars": 100, "streams_per_user": 4, "streams_total": 50, "connections": 200},
      "users": [{"handle": "wang", "role": "rep", "team": "East"}, {"handle": "li", "role": "manager", "team": "East"}]})");
    const auto c = compare(load(kBase), next);
    EXPECT_THAT(c.applied, ElementsAre("limits.command_chars", "limits.name_chars", "limits.streams_per_user",
                                       "limits.streams_total", "limits.connections"));
    EXPECT_THAT(c.restart, IsEmpty());
    EXPECT_EQ(reloaded(load(kBase), next).limits, next.limits);
}

TEST(Reload, APlatformSectionChangedNeedsARestart) {
    const auto c = compare(load(R"({"telegram": {"enabled": false}})"), load(R"({"telegram": {"enabled": true}})"));
    EXPECT_THAT(c.applied, IsEmpty());
    EXPECT_THAT(c.restart, ElementsAre("telegram"));
}

TEST(Reload, TheOutboundProxyNeedsARestart) {
    const auto c = compare(load(R"({"http": {"proxy": "http://a:3128"}})"),
                           load(R"({"http": {"proxy": "http://b:3128", "no_proxy": "localhost"}})"));
    EXPECT_THAT(c.applied, IsEmpty());
    EXPECT_THAT(c.restart, ElementsAre("http.proxy", "http.no_proxy"));
}

TEST(Reload, TheNumberOfDatabaseConnectionsNeedsARestart) {
    const std::string pg = R"("engine": "postgres", "url": "postgresql://db.example/fu")";
    const auto c = compare(load(R"({"storage": {)" + pg + R"(, "connections": 4}})"),
                           load(R"({"storage": {)" + pg + R"(, "connections": 8}})"));
    EXPECT_THAT(c.applied, IsEmpty());
    EXPECT_THAT(c.restart, ElementsAre("storage.connections"));
}

TEST(Reload, TheLeadersLeaseNeedsARestart) {
    const auto c = compare(load("{}"), load(R"({"storage": {"leader_lease_s": 12}})"));
    EXPECT_THAT(c.applied, IsEmpty());
    EXPECT_THAT(c.restart, ElementsAre("storage.leader_lease_s"));
}

}  // namespace
}  // namespace fu::server
