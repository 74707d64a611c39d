// GET /metrics: the gauges that are not about deliveries.
#include <gtest/gtest.h>

#include "server/metrics.hpp"

namespace fu::server {
namespace {

using std::chrono::sys_days;
using namespace std::chrono;

TEST(Metrics, CalendarCoveredDaysCountsDownToTheCalendarsEnd) {
    Metrics m;
    EXPECT_EQ(m.render().find("followupd_calendar_covered_days"), std::string::npos);  // no calendar: no gauge
    FakeClock clock(TimePoint{});
    m.calendar_covered_until(sys_days{year{2026} / December / 31}, clock);
    const auto at = [&](sys_days day) {
        clock.set(time_point_cast<Seconds>(day + hours{10}));
        return m.render();
    };
    EXPECT_NE(at(sys_days{year{2026} / November / 23}).find("# TYPE followupd_calendar_covered_days gauge\n"
                                                            "followupd_calendar_covered_days 39\n"),
              std::string::npos);
    EXPECT_NE(at(sys_days{year{2026} / December / 31}).find("followupd_calendar_covered_days 1\n"), std::string::npos);
    EXPECT_NE(at(sys_days{year{2027} / January / 5}).find("followupd_calendar_covered_days 0\n"), std::string::npos);
}

}  // namespace
}  // namespace fu::server
