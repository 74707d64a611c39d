// Metrics: a platform is failing from its first failed send after the last
// accepted one, and stops failing at the next accepted send (what /readyz and
// the followupd_platform_failing_since_seconds gauge read).
#include <gtest/gtest.h>

#include "server/metrics.hpp"

#include "core/clock.hpp"

namespace fu::server {
namespace {

using std::chrono::sys_days;
using namespace std::chrono;

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
    EXPECT_NE(m.render().find("followupd_platform_failing_since_seconds{platform=\"telegram\"} 100\n"),
              std::string::npos);

    m.send_outcome("telegram", true, 300);
    EXPECT_TRUE(m.failing_since().empty());
    EXPECT_NE(m.render().find("followupd_platform_failing_since_seconds{platform=\"telegram\"} 0\n"),
              std::string::npos);
    m.send_outcome("telegram", false, 400);  // a new run of failures starts anew
    EXPECT_EQ(m.failing_since().at("telegram"), 400);
}

TEST(Metrics, CalendarCoveredDaysCountsDownToTheCalendarsEnd) {
    Metrics m;
    EXPECT_EQ(m.render().find("followupd_calendar_covered_seconds"), std::string::npos);  // no calendar: no gauge
    FakeClock clock(TimePoint{});
    m.calendar_covered_until(sys_days{year{2026} / December / 31}, clock);
    const auto at = [&](sys_days day) {
        clock.set(time_point_cast<Seconds>(day + hours{10}));
        return m.render();
    };
    EXPECT_NE(at(sys_days{year{2026} / November / 23})
                  .find("# TYPE followupd_calendar_covered_seconds gauge\n"
                        "followupd_calendar_covered_seconds 3369600\n"),
              std::string::npos);
    EXPECT_NE(at(sys_days{year{2026} / December / 31}).find("followupd_calendar_covered_seconds 86400\n"),
              std::string::npos);
    EXPECT_NE(at(sys_days{year{2027} / January / 5}).find("followupd_calendar_covered_seconds 0\n"), std::string::npos);
}

TEST(Metrics, CommandsAreCountedByNameAndResult) {
    Metrics m;
    m.command("done", "ok");
    m.command("done", "ok");
    m.command("done", "usage");
    m.command("customer add", "refused");
    const auto text = m.render();
    EXPECT_NE(text.find("# TYPE followupd_commands_total counter\n"), std::string::npos);
    EXPECT_NE(text.find("followupd_commands_total{command=\"done\",result=\"ok\"} 2\n"), std::string::npos);
    EXPECT_NE(text.find("followupd_commands_total{command=\"done\",result=\"usage\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("followupd_commands_total{command=\"customer add\",result=\"refused\"} 1\n"),
              std::string::npos);
}

TEST(Metrics, LeadershipAndLiveInstancesAreGauges) {
    Metrics m;
    EXPECT_NE(m.render().find("\nfollowupd_leader 0\n"), std::string::npos);  // until told otherwise
    EXPECT_NE(m.render().find("\nfollowupd_instances 1\n"), std::string::npos);
    m.leadership(true, 3);
    EXPECT_NE(m.render().find("# TYPE followupd_leader gauge\nfollowupd_leader 1\n"), std::string::npos);
    EXPECT_NE(m.render().find("# TYPE followupd_instances gauge\nfollowupd_instances 3\n"), std::string::npos);
    m.leadership(false, 2);
    EXPECT_NE(m.render().find("\nfollowupd_leader 0\n"), std::string::npos);
}

TEST(Metrics, RetentionCountsRowsPerTableAndTheLastPass) {
    Metrics m;
    EXPECT_NE(m.render().find("# TYPE followupd_pruned_rows_total counter\n"), std::string::npos);
    EXPECT_EQ(m.render().find("followupd_retention_last_run_timestamp_seconds"), std::string::npos);  // no pass yet
    m.retention_pass({{"seen_events", 500}, {"outbox", 3}}, 1795399200, 0.25);
    m.retention_pass({{"seen_events", 20}, {"outbox", 0}, {"audit", 7}}, 1795402800, 0.5);
    const auto text = m.render();
    EXPECT_NE(text.find("followupd_pruned_rows_total{table=\"seen_events\"} 520\n"), std::string::npos) << text;
    EXPECT_NE(text.find("followupd_pruned_rows_total{table=\"outbox\"} 3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("followupd_pruned_rows_total{table=\"audit\"} 7\n"), std::string::npos) << text;
    EXPECT_NE(text.find("# TYPE followupd_retention_last_run_timestamp_seconds gauge\n"
                        "followupd_retention_last_run_timestamp_seconds 1795402800\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("followupd_retention_last_run_duration_seconds 0.5\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace fu::server
