// The dashboard's JSON for every team at once: past a few hundred people the
// rows sent are the ones the charts put first, and the answer says how many
// there were; a team's dashboard has everyone.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "server/dashboard.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace fu::server {
namespace {

using nlohmann::json;

TEST(DashboardRows, EveryTeamAtOnceSendsTheRowsTheChartsPutFirstAndTheTotal) {
    auto store = storage::SqliteStore::open(":memory:");
    const TimePoint now = from_unix(1795399200);  // Monday 2026-11-23 10:00 in Shanghai
    User admin;
    std::vector<std::string> overdue_reps;
    store->transact([&](Repo& r) {
        const auto big = r.add_team(Team{{}, "Big"});
        const auto small = r.add_team(Team{{}, "Small"});
        admin.handle = "ada";
        admin.display_name = "Ada";
        admin.role = Role::admin;
        admin.time_zone = "Asia/Shanghai";
        admin.id = r.add_user(admin);
        // 260 reps with a follow-up each, due tomorrow; the last 10 by name have one overdue.
        for (int i = 0; i < 260; ++i) {
            User u;
            char name[16];
            std::snprintf(name, sizeof name, "rep%03d", i);
            u.handle = name;
            u.display_name = name;
            u.role = Role::rep;
            u.team = i < 250 ? big : small;
            u.time_zone = "Asia/Shanghai";
            u.id = r.add_user(u);
            Customer c;
            c.name = std::string("customer of ") + name;
            c.owner = u.id;
            c.team = u.team;
            c.created_at = now - std::chrono::days(30);
            c.id = r.add_customer(c);
            Task t;
            t.customer = c.id;
            t.assignee = u.id;
            t.created_at = c.created_at;
            t.due = i >= 250 ? now - std::chrono::hours(30) : now + std::chrono::hours(24);
            r.add_task(t);
            if (i >= 250) overdue_reps.push_back(name);
        }
    });
    BotOptions options;
    dashboard::Answer a;
    store->transact([&](Repo& r) { a = dashboard::figures(r, options, admin, dashboard::Query{}, now); });
    ASSERT_EQ(a.status, 200u) << a.reason;
    const auto body = json::parse(a.body);
    EXPECT_GE(body["reps_total"].get<std::size_t>(), 260u);
    const auto& reps = body["reps"];
    EXPECT_LT(reps.size(), 260u);
    EXPECT_LE(reps.size(), 300u);
    EXPECT_EQ(body["people"].size(), reps.size());
    std::vector<std::string> sent;
    for (const auto& r : reps) sent.push_back(r["handle"]);
    for (const auto& h : overdue_reps)
        EXPECT_NE(std::find(sent.begin(), sent.end(), h), sent.end()) << h << ": the most overdue are always sent";

    // One rep picked among everyone, even one not among the rows: that rep's row.
    dashboard::Query one;
    one.rep = "rep200";
    store->transact([&](Repo& r) { a = dashboard::figures(r, options, admin, one, now); });
    ASSERT_EQ(a.status, 200u) << a.reason;
    const auto picked = json::parse(a.body);
    ASSERT_EQ(picked["reps"].size(), 1u);
    EXPECT_EQ(picked["reps"][0]["handle"], "rep200");

    // A team of 10: everyone.
    dashboard::Query team;
    store->transact([&](Repo& r) { team.team = std::to_string(r.teams().back().id.value); });
    store->transact([&](Repo& r) { a = dashboard::figures(r, options, admin, team, now); });
    ASSERT_EQ(a.status, 200u) << a.reason;
    const auto small = json::parse(a.body);
    EXPECT_EQ(small["reps"].size(), small["reps_total"].get<std::size_t>());
    EXPECT_EQ(small["reps"].size(), 10u);
}

}  // namespace
}  // namespace fu::server
