// Reports: team status and period reports over a seeded history, checked
// against figures worked out by hand. Now is Monday 2026-11-23 10:00 in
// Asia/Shanghai (02:00 UTC); working time 09:00-18:00 Monday to Friday, no
// holidays; escalation one working day (9 working hours) after due.
// Past 500 lines on purpose: every figure is checked against the one seeded history.
#include "core/reports.hpp"

#include <gtest/gtest.h>

#include <date/tz.h>

#include "fixture.hpp"

namespace fu {
namespace {

using test::World;

const date::time_zone* shanghai() { return date::locate_zone("Asia/Shanghai"); }

// A local Shanghai time, day of November 2026 unless told.
TimePoint at(int day, int hour, int minute = 0, int month = 11) {
    const date::local_seconds local =
        date::local_days{date::year{2026} / month / day} + std::chrono::hours(hour) + std::chrono::minutes(minute);
    return date::zoned_seconds{shanghai(), local}.get_sys_time();
}

class Reports : public ::testing::Test {
protected:
    World w;
    BotOptions opt = World::quiet();
    TimePoint now = test::monday_10am_shanghai();
    CustomerId acme, bolt, cora, dune, fjord;  // fjord: Olaf's, the other team

    CustomerId customer(Repo& r, std::string name, Tier tier, Stage stage, UserId owner, TeamId team) {
        Customer c;
        c.name = std::move(name);
        c.tier = tier;
        c.stage = stage;
        c.owner = owner;
        c.team = team;
        c.created_at = at(1, 9);
        return r.add_customer(c);
    }

    // A follow-up of `rep` about `c`; done when done_at is given.
    TaskId task(Repo& r, UserId rep, CustomerId c, TimePoint due, TaskStatus status,
                std::optional<TimePoint> done_at = std::nullopt, int snoozes = 0, int ladder = 0,
                Origin origin = Origin::manual) {
        Task t;
        t.customer = c;
        t.assignee = rep;
        t.due = due;
        t.status = status;
        t.done_at = done_at;
        t.snooze_count = snoozes;
        t.ladder_step = ladder;
        t.origin = origin;
        t.created_at = at(1, 9);
        return r.add_task(t);
    }

    void interaction(Repo& r, UserId rep, CustomerId c, TimePoint when, std::vector<std::string> results,
                     std::optional<int> sat, Stage stage) {
        Interaction in;
        in.customer = c;
        in.user = rep;
        in.at = when;
        in.results = std::move(results);
        in.satisfaction = sat;
        in.stage = stage;
        r.add_interaction(in);
    }

    void transfer(Repo& r, CustomerId c, std::optional<UserId> from, std::optional<UserId> to, std::optional<UserId> by,
                  TimePoint when, std::string reason) {
        r.add_transfer(Transfer{{}, c, from, to, by, when, std::move(reason)});
    }

    void snooze(Repo& r, UserId rep, TimePoint when) {
        r.append_audit(AuditEntry{{}, when, rep, "task.snooze", "task:1", std::to_string(to_unix(when) + 3600)});
    }

    void SetUp() override {
        w.store->transact([&](Repo& r) {
            acme = customer(r, "Acme", Tier::a, Stage::active, w.wang, w.team);
            bolt = customer(r, "Bolt", Tier::b, Stage::lead, w.wang, w.team);
            cora = customer(r, "Cora", Tier::c, Stage::lead, w.maria, w.team);
            dune = customer(r, "Dune", Tier::a, Stage::churn_risk, w.maria, w.team);
            fjord = customer(r, "Fjord", Tier::a, Stage::lead, w.olaf, w.other_team);

            // Last week = [Mon 11-16 00:00, Mon 11-23 00:00). Wang:
            // T1 snoozed, done before due: on time.
            task(r, w.wang, acme, at(17, 10), TaskStatus::done, at(17, 9, 30), 1);
            // T2 snoozed twice, done after due (Tue 10:00) but before its escalation
            // point Wed 10:00 (Tue 10-18 is 8 h, + 1 h Wed): on time.
            task(r, w.wang, acme, at(17, 10), TaskStatus::done, at(18, 9), 2);
            // T3 never snoozed, done an hour late: late.
            task(r, w.wang, bolt, at(17, 10), TaskStatus::done, at(17, 11));
            // T4 snoozed, due Wed 15:00, escalation Thu 15:00 (Wed 3 h + Thu 6 h),
            // done Thu 16:00: late.
            task(r, w.wang, bolt, at(18, 15), TaskStatus::done, at(19, 16), 1);
            // T5 cancelled (a reclaim, ladder step 4): not counted, but escalated.
            task(r, w.wang, bolt, at(19, 10), TaskStatus::cancelled, std::nullopt, 0, 4);
            // T6 still open since Fri, manager told (step 3): late, escalated, overdue now.
            task(r, w.wang, acme, at(20, 10), TaskStatus::open, std::nullopt, 0, 3);
            // T7 due Sun 11-15, before the period: not counted.
            task(r, w.wang, acme, at(15, 10), TaskStatus::done, at(16, 10));
            // W8 snoozed, still open, due Tue 14:00, escalation Wed 14:00 passed: late;
            // the oldest overdue of the team.
            task(r, w.wang, bolt, at(17, 14), TaskStatus::snoozed, std::nullopt, 1);
            // Maria:
            // M1 snoozed, open, due Fri 17:00; escalation Mon 11-23 17:00 (Fri 1 h +
            // Mon 8 h) is after now: pending.
            task(r, w.maria, cora, at(20, 17), TaskStatus::snoozed, std::nullopt, 1);
            // M2 done exactly at due: on time.
            task(r, w.maria, dune, at(16, 9), TaskStatus::done, at(16, 9));
            // Olaf (other team): done late.
            task(r, w.olaf, fjord, at(17, 10), TaskStatus::done, at(18, 10));

            // This week, today (Mon 11-23), now 10:00:
            // M4 due 08:00, open: late, overdue.
            task(r, w.maria, dune, at(23, 8), TaskStatus::open);
            // M5 due 15:00, open: not due yet, not counted.
            task(r, w.maria, dune, at(23, 15), TaskStatus::open);
            // M6 due 09:30, done 09:00: on time, done today.
            task(r, w.maria, cora, at(23, 9, 30), TaskStatus::done, at(23, 9));
            // M7 due exactly now, open: pending.
            task(r, w.maria, cora, at(23, 10), TaskStatus::open);
            // W9 due 09:00, done 09:15: late, done today.
            task(r, w.wang, acme, at(23, 9), TaskStatus::done, at(23, 9, 15));
            // Open complaints due tomorrow: Maria's, and Olaf's in the other team.
            task(r, w.maria, cora, at(24, 10), TaskStatus::open, std::nullopt, 0, 0, Origin::complaint);
            task(r, w.olaf, fjord, at(24, 10), TaskStatus::open, std::nullopt, 0, 0, Origin::complaint);
            // Olaf open since Sat: overdue (other team).
            task(r, w.olaf, fjord, at(21, 10), TaskStatus::open);
            // Li (the manager) has a follow-up Wednesday: listed though not a rep.
            task(r, w.li, acme, at(25, 10), TaskStatus::open);

            // Interactions last week.
            interaction(r, w.wang, acme, at(17, 9, 30), {"reached", "interested"}, 4, Stage::active);    // I1
            interaction(r, w.wang, acme, at(18, 9), {"reached", "won"}, 5, Stage::active);               // I2
            interaction(r, w.wang, bolt, at(19, 11), {"no_answer"}, std::nullopt, Stage::lead);          // I3
            interaction(r, w.maria, cora, at(16, 9), {"reached", "interested"}, 3, Stage::lead);         // I4
            interaction(r, w.maria, cora, at(20, 15), {"reached", "won"}, std::nullopt, Stage::active);  // I5
            interaction(r, w.maria, dune, at(22, 23, 59), {"reached"}, 2, Stage::churn_risk);            // I6
            interaction(r, w.maria, dune, at(23, 0), {"won"}, std::nullopt, Stage::churn_risk);  // I7: this week
            interaction(r, w.olaf, fjord, at(17, 10), {"reached", "won"}, 1, Stage::lead);       // I8: other team
            interaction(r, w.wang, acme, at(15, 10), {"won"}, 5, Stage::active);                 // I9: before

            // Pool movements last week.
            transfer(r, bolt, w.wang, std::nullopt, std::nullopt, at(18, 12), "overdue");   // reclaimed
            transfer(r, cora, w.maria, std::nullopt, w.maria, at(18, 13), "release");       // released
            transfer(r, bolt, std::nullopt, w.wang, w.wang, at(19, 12), "claim");           // claimed
            transfer(r, cora, std::nullopt, w.maria, w.li, at(19, 13), "assign");           // assigned
            transfer(r, acme, std::nullopt, w.wang, w.li, at(16, 10), "created");           // not counted
            transfer(r, acme, std::nullopt, w.wang, w.li, at(16, 11), "imported");          // not counted
            transfer(r, acme, w.wang, w.maria, w.li, at(16, 11), "reassign");               // rep to rep: none
            transfer(r, fjord, w.olaf, std::nullopt, std::nullopt, at(18, 12), "overdue");  // other team
            transfer(r, bolt, w.wang, std::nullopt, std::nullopt, at(15, 12), "overdue");   // before

            // Snoozes: this week Wang 2, Maria 1, Olaf 1; Wang once last week.
            snooze(r, w.wang, at(23, 9));
            snooze(r, w.wang, at(23, 9, 5));
            snooze(r, w.wang, at(22, 20));
            snooze(r, w.maria, at(23, 9, 30));
            snooze(r, w.olaf, at(23, 9));
        });
    }

    reports::Report report(reports::PeriodKind kind, std::optional<TeamId> team) {
        reports::Report out;
        w.store->transact([&](Repo& r) {
            out = reports::report(r, opt, reports::Scope{team}, reports::period_of(kind, shanghai(), now), now);
        });
        return out;
    }

    reports::TeamStatus status(std::optional<TeamId> team) {
        reports::TeamStatus out;
        w.store->transact([&](Repo& r) { out = reports::team_status(r, reports::Scope{team}, shanghai(), now); });
        return out;
    }
};

const reports::RepReport& rep(const reports::Report& r, const std::string& name) {
    for (const auto& x : r.reps)
        if (x.name == name) return x;
    ADD_FAILURE() << "no row for " << name;
    static reports::RepReport none;
    return none;
}

const reports::RepStatus& rep(const reports::TeamStatus& s, const std::string& name) {
    for (const auto& x : s.reps)
        if (x.name == name) return x;
    ADD_FAILURE() << "no row for " << name;
    static reports::RepStatus none;
    return none;
}

TEST_F(Reports, LastWeekTimelinessPerRepAndTotal) {
    const auto r = report(reports::PeriodKind::last_week, w.team);
    // Wang: due T1 T2 T3 T4 T6 W8 = 6 (T5 cancelled, T7 before the period);
    // on time T1 (snoozed, before due), T2 (snoozed, before escalation) = 2;
    // late T3 (done late), T4 (snoozed, after escalation), T6 (open), W8
    // (snoozed, open past escalation) = 4.
    const auto& wang = rep(r, "Wang Wei").timeliness;
    EXPECT_EQ(wang.due, 6);
    EXPECT_EQ(wang.on_time, 2);
    EXPECT_EQ(wang.late, 4);
    EXPECT_EQ(wang.pending, 0);
    // Maria: due M1 M2 = 2; M2 done at due: on time; M1 snoozed, open, before
    // its escalation point: pending.
    const auto& maria = rep(r, "Maria").timeliness;
    EXPECT_EQ(maria.due, 2);
    EXPECT_EQ(maria.on_time, 1);
    EXPECT_EQ(maria.late, 0);
    EXPECT_EQ(maria.pending, 1);
    ASSERT_TRUE(maria.rate());
    EXPECT_DOUBLE_EQ(*maria.rate(), 1.0);
    // Team: 8 due, 3 on time, 4 late, 1 pending: 3 / 7.
    EXPECT_EQ(r.total.due, 8);
    EXPECT_EQ(r.total.on_time, 3);
    EXPECT_EQ(r.total.late, 4);
    EXPECT_EQ(r.total.pending, 1);
    ASSERT_TRUE(r.total.rate());
    EXPECT_DOUBLE_EQ(*r.total.rate(), 3.0 / 7.0);
    // Escalated: T5 (step 4, cancelled by the reclaim) and T6 (step 3).
    EXPECT_EQ(r.escalated, 2);
    // Reps in name order; Li has no figures last week and is no rep.
    ASSERT_EQ(r.reps.size(), 2u);
    EXPECT_EQ(r.reps[0].name, "Maria");
    EXPECT_EQ(r.reps[1].name, "Wang Wei");
    EXPECT_EQ(r.period.first_day, date::local_days{date::year{2026} / 11 / 16});
}

TEST_F(Reports, ThisWeekCountsOnlyWhatWasDueUpToNow) {
    const auto r = report(reports::PeriodKind::week, w.team);
    // Due Mon 00:00..10:00: M4 08:00 open (late), M6 09:30 done 09:00 (on
    // time), M7 due exactly now (pending), W9 09:00 done 09:15 (late). M5 due
    // 15:00 and the complaint due tomorrow are not due yet: not counted at all.
    EXPECT_EQ(r.total.due, 4);
    EXPECT_EQ(r.total.on_time, 1);
    EXPECT_EQ(r.total.late, 2);
    EXPECT_EQ(r.total.pending, 1);
    EXPECT_EQ(rep(r, "Maria").timeliness.due, 3);
    EXPECT_EQ(rep(r, "Wang Wei").timeliness.late, 1);
    EXPECT_EQ(r.escalated, 0);
    // I7 (Mon 00:00, Maria, Dune, "won") is the week's only interaction.
    EXPECT_EQ(r.outcomes, (std::map<std::string, int>{{"won", 1}}));
    EXPECT_EQ(rep(r, "Maria").interactions, 1);
    EXPECT_EQ(rep(r, "Wang Wei").interactions, 0);
    EXPECT_FALSE(r.satisfaction_avg);
}

TEST_F(Reports, OutcomesSatisfactionAndInteractionsPerRep) {
    const auto r = report(reports::PeriodKind::last_week, w.team);
    // I1..I6 (I7 is this week, I8 the other team's, I9 before): reached in
    // I1 I2 I4 I5 I6 = 5, interested I1 I4 = 2, won I2 I5 = 2, no answer I3 = 1.
    EXPECT_EQ(r.outcomes,
              (std::map<std::string, int>{{"reached", 5}, {"interested", 2}, {"won", 2}, {"no_answer", 1}}));
    // Scores 4 (I1), 5 (I2), 3 (I4), 2 (I6): 14 / 4.
    EXPECT_EQ(r.satisfaction_count, 4);
    ASSERT_TRUE(r.satisfaction_avg);
    EXPECT_DOUBLE_EQ(*r.satisfaction_avg, 3.5);
    EXPECT_EQ(rep(r, "Wang Wei").interactions, 3);  // I1 I2 I3
    EXPECT_EQ(rep(r, "Maria").interactions, 3);     // I4 I5 I6
}

TEST_F(Reports, ConversionByTierAndByStage) {
    const auto r = report(reports::PeriodKind::last_week, w.team);
    // Tier when followed up (none changed since): A = Acme (won, I2) and Dune (its "won" I7 is this week) -> 2/1;
    // B = Bolt (no answer) -> 1/0; C = Cora (won, I5) -> 1/1.
    ASSERT_EQ(r.by_tier.size(), 3u);
    EXPECT_EQ(r.by_tier[0].key, code(Tier::a));
    EXPECT_EQ(r.by_tier[0].contacted, 2);
    EXPECT_EQ(r.by_tier[0].won, 1);
    EXPECT_EQ(r.by_tier[1].key, code(Tier::b));
    EXPECT_EQ(r.by_tier[1].contacted, 1);
    EXPECT_EQ(r.by_tier[1].won, 0);
    EXPECT_EQ(r.by_tier[2].key, code(Tier::c));
    EXPECT_EQ(r.by_tier[2].contacted, 1);
    EXPECT_EQ(r.by_tier[2].won, 1);
    // Stage at the time: lead = Bolt (I3), Cora (I4) -> 2, won 1 (Cora);
    // active = Acme (I1 I2), Cora (I5) -> 2, both won; churn risk = Dune (I6) -> 1/0.
    // Stage order of model.hpp; stages not seen are left out.
    ASSERT_EQ(r.by_stage.size(), 3u);
    EXPECT_EQ(r.by_stage[0].key, "lead");
    EXPECT_EQ(r.by_stage[0].contacted, 2);
    EXPECT_EQ(r.by_stage[0].won, 1);
    EXPECT_EQ(r.by_stage[1].key, "active");
    EXPECT_EQ(r.by_stage[1].contacted, 2);
    EXPECT_EQ(r.by_stage[1].won, 2);
    EXPECT_EQ(r.by_stage[2].key, "churn_risk");
    EXPECT_EQ(r.by_stage[2].contacted, 1);
    EXPECT_EQ(r.by_stage[2].won, 0);
}

TEST_F(Reports, PoolComplaintsAndOverdueNow) {
    const auto r = report(reports::PeriodKind::last_week, w.team);
    // Bolt reclaimed, Cora released, Bolt claimed, Cora assigned; Acme's
    // creation, its import and its rep-to-rep move don't count, nor Sunday's reclaim.
    EXPECT_EQ(r.pool.reclaimed, 1);
    EXPECT_EQ(r.pool.released, 1);
    EXPECT_EQ(r.pool.claimed, 1);
    EXPECT_EQ(r.pool.assigned, 1);
    // Maria's open complaint.
    EXPECT_EQ(r.complaints_open, 1);
    // Open and due before now: T6, W8, M1, M4.
    EXPECT_EQ(r.overdue_now, 4);
}

TEST_F(Reports, AllTeamsAddTheOtherTeam) {
    const auto r = report(reports::PeriodKind::last_week, std::nullopt);
    // + Olaf's two: done late (Tue), still open since Sat (late): 10 due, 3
    // on time, 6 late, 1 pending.
    EXPECT_EQ(r.total.due, 10);
    EXPECT_EQ(r.total.on_time, 3);
    EXPECT_EQ(r.total.late, 6);
    EXPECT_EQ(r.total.pending, 1);
    EXPECT_EQ(rep(r, "Olaf").timeliness.late, 2);
    // I8 (reached, won, score 1): reached 6, won 3; scores 15 / 5.
    EXPECT_EQ(r.outcomes.at("reached"), 6);
    EXPECT_EQ(r.outcomes.at("won"), 3);
    ASSERT_TRUE(r.satisfaction_avg);
    EXPECT_DOUBLE_EQ(*r.satisfaction_avg, 3.0);
    // Fjord is tier A and was a lead, won.
    EXPECT_EQ(r.by_tier[0].contacted, 3);
    EXPECT_EQ(r.by_tier[0].won, 2);
    EXPECT_EQ(r.by_stage[0].contacted, 3);
    EXPECT_EQ(r.by_stage[0].won, 2);
    EXPECT_EQ(r.pool.reclaimed, 2);
    EXPECT_EQ(r.complaints_open, 2);
    EXPECT_EQ(r.overdue_now, 5);  // + Olaf's since Saturday
}

TEST_F(Reports, AnotherTeamSeesOnlyItsOwn) {
    const auto r = report(reports::PeriodKind::last_week, w.other_team);
    // Olaf's done late and open since Saturday.
    EXPECT_EQ(r.total.due, 2);
    EXPECT_EQ(r.total.late, 2);
    ASSERT_EQ(r.reps.size(), 1u);
    EXPECT_EQ(r.reps[0].name, "Olaf");
    EXPECT_EQ(r.outcomes, (std::map<std::string, int>{{"reached", 1}, {"won", 1}}));
    EXPECT_EQ(r.pool.reclaimed, 1);
    EXPECT_EQ(r.pool.released, 0);
    EXPECT_EQ(r.complaints_open, 1);
    EXPECT_EQ(r.overdue_now, 1);
}

TEST_F(Reports, TeamStatusPerRepAndTotal) {
    const auto s = status(w.team);
    EXPECT_EQ(s.day_start, at(23, 0));
    EXPECT_EQ(s.week_start, at(23, 0));
    EXPECT_EQ(s.zone, "Asia/Shanghai");
    // Li has an open follow-up: listed although a manager. Name order.
    ASSERT_EQ(s.reps.size(), 3u);
    EXPECT_EQ(s.reps[0].name, "Li Na");
    EXPECT_EQ(s.reps[1].name, "Maria");
    EXPECT_EQ(s.reps[2].name, "Wang Wei");
    // Wang: open T6, W8 (both overdue, oldest W8 Tue 14:00); done today W9;
    // snoozed twice today (once last week, not counted).
    const auto& wang = rep(s, "Wang Wei");
    EXPECT_EQ(wang.open, 2);
    EXPECT_EQ(wang.due_today, 0);
    EXPECT_EQ(wang.overdue, 2);
    EXPECT_EQ(wang.oldest_overdue, at(17, 14));
    EXPECT_EQ(wang.done_today, 1);
    EXPECT_EQ(wang.done_week, 1);
    EXPECT_EQ(wang.snoozes_week, 2);
    // Maria: open M1 M4 M5 M7 and the complaint = 5; due today M4 M5 M7 = 3;
    // overdue M1 M4 (M7 is due exactly now) = 2, oldest M1 Fri 17:00; done M6.
    const auto& maria = rep(s, "Maria");
    EXPECT_EQ(maria.open, 5);
    EXPECT_EQ(maria.due_today, 3);
    EXPECT_EQ(maria.overdue, 2);
    EXPECT_EQ(maria.oldest_overdue, at(20, 17));
    EXPECT_EQ(maria.done_today, 1);
    EXPECT_EQ(maria.snoozes_week, 1);
    EXPECT_EQ(rep(s, "Li Na").open, 1);
    // Totals: open 2 + 5 + 1, due today 3, overdue 4, done today 2, snoozes 3.
    EXPECT_EQ(s.total.open, 8);
    EXPECT_EQ(s.total.due_today, 3);
    EXPECT_EQ(s.total.overdue, 4);
    EXPECT_EQ(s.total.done_today, 2);
    EXPECT_EQ(s.total.done_week, 2);
    EXPECT_EQ(s.total.snoozes_week, 3);
    EXPECT_EQ(s.total.oldest_overdue, at(17, 14));
}

TEST_F(Reports, TeamStatusOfEveryTeam) {
    const auto s = status(std::nullopt);
    // + Olaf: open since Saturday and his complaint (2), 1 overdue, 1 snooze.
    ASSERT_EQ(s.reps.size(), 4u);
    EXPECT_EQ(s.reps[2].name, "Olaf");
    EXPECT_EQ(s.reps[2].open, 2);
    EXPECT_EQ(s.reps[2].overdue, 1);
    EXPECT_EQ(s.reps[2].snoozes_week, 1);
    EXPECT_EQ(s.total.open, 10);
    EXPECT_EQ(s.total.overdue, 5);
    EXPECT_EQ(s.total.snoozes_week, 4);
}

TEST_F(Reports, TeamStatsCountsSnoozesThisWeek) {
    std::vector<RepStats> stats;
    w.store->transact([&](Repo& r) { stats = r.team_stats(w.team, at(23, 0), at(24, 0), at(23, 0), now); });
    int wang = -1, maria = -1;
    for (const auto& s : stats) {
        if (s.rep == w.wang) wang = s.snoozes_week;
        if (s.rep == w.maria) maria = s.snoozes_week;
    }
    EXPECT_EQ(wang, 2);
    EXPECT_EQ(maria, 1);
}

TEST_F(Reports, TeamStatusListsRepsWithNothingToDo) {
    reports::TeamStatus s;
    w.store->transact([&](Repo& r) {
        const auto empty = r.add_team(Team{{}, "West"});
        World::add(r, "zoe", "Zoe", Role::rep, empty, Lang::en);
        s = reports::team_status(r, reports::Scope{empty}, shanghai(), now);
    });
    ASSERT_EQ(s.reps.size(), 1u);
    EXPECT_EQ(s.reps[0].name, "Zoe");
    EXPECT_EQ(s.reps[0].open, 0);
    EXPECT_FALSE(s.reps[0].oldest_overdue);
    EXPECT_EQ(s.total.open, 0);
}

// The dashboard counts nothing itself: each of its weeks is that week's
// report, its period the report, its status `team`'s.
TEST_F(Reports, DashboardWeeksAreTheWeeklyReports) {
    reports::Dashboard d;
    const auto period = reports::period_of(reports::PeriodKind::last_week, shanghai(), now);
    w.store->transact(
        [&](Repo& r) { d = reports::dashboard(r, opt, reports::Scope{w.team}, period, shanghai(), now); });
    ASSERT_EQ(d.weeks.size(), 12u);
    ASSERT_EQ(d.week_totals.size(), 12u);
    EXPECT_EQ(d.weeks.back(), date::local_days{date::year{2026} / 11 / 23});
    EXPECT_EQ(d.weeks.front(), date::local_days{date::year{2026} / 9 / 7});
    const auto last = report(reports::PeriodKind::last_week, w.team);
    const auto current = report(reports::PeriodKind::week, w.team);
    for (const auto& [slot, r] : {std::pair{std::size_t{10}, &last}, std::pair{std::size_t{11}, &current}}) {
        EXPECT_EQ(d.week_totals[slot].due, r->total.due) << slot;
        EXPECT_EQ(d.week_totals[slot].on_time, r->total.on_time) << slot;
        EXPECT_EQ(d.week_totals[slot].late, r->total.late) << slot;
        EXPECT_EQ(d.week_totals[slot].pending, r->total.pending) << slot;
        for (const auto& x : d.reps) {
            if (x.role != Role::rep) {  // Li, a manager: nothing due in either week
                EXPECT_EQ(x.weeks[slot].due, 0) << x.name;
                continue;
            }
            const auto& in_report = rep(*r, x.name).timeliness;
            EXPECT_EQ(x.weeks[slot].on_time, in_report.on_time) << x.name << " " << slot;
            EXPECT_EQ(x.weeks[slot].late, in_report.late) << x.name << " " << slot;
        }
    }
    // T7 (due Sun 11-15, done a day late) is the week before last.
    EXPECT_EQ(d.week_totals[9].due, 1);
    EXPECT_EQ(d.week_totals[0].due, 0);
    // The period's figures and the status are report's and team's.
    EXPECT_EQ(d.report.total.late, last.total.late);
    EXPECT_EQ(d.report.pool.reclaimed, last.pool.reclaimed);
    const auto st = status(w.team);
    EXPECT_EQ(d.status.total.overdue, st.total.overdue);
    // Rows for the team's reps and Li (a follow-up of hers is open), by name, with handles.
    std::vector<std::string> handles;
    for (const auto& x : d.reps) handles.push_back(x.handle);
    EXPECT_EQ(handles, (std::vector<std::string>{"li", "maria", "wang"}));
}

TEST_F(Reports, SnoozesAndReschedulesPerRepInThePeriod) {
    w.store->transact([&](Repo& r) {
        r.append_audit(AuditEntry{{}, at(23, 9, 40), w.maria, "task.reschedule", "task:2", ""});
        r.append_audit(AuditEntry{{}, at(23, 9, 41), w.olaf, "task.reschedule", "task:3", ""});  // other team
    });
    const auto r = report(reports::PeriodKind::week, w.team);
    // This week: Wang snoozed twice (Sun 20:00 was last week), Maria once and rescheduled once.
    EXPECT_EQ(rep(r, "Wang Wei").snoozes, 2);
    EXPECT_EQ(rep(r, "Wang Wei").reschedules, 0);
    EXPECT_EQ(rep(r, "Maria").snoozes, 1);
    EXPECT_EQ(rep(r, "Maria").reschedules, 1);
    const auto all = report(reports::PeriodKind::week, std::nullopt);
    EXPECT_EQ(rep(all, "Olaf").reschedules, 1);
    EXPECT_EQ(rep(all, "Olaf").snoozes, 1);
    EXPECT_EQ(rep(report(reports::PeriodKind::last_week, w.team), "Wang Wei").snoozes, 1);
}

TEST_F(Reports, OverdueListOfTheScopeOrOneRep) {
    std::vector<reports::OverdueItem> team, wang, all;
    w.store->transact([&](Repo& r) {
        team = reports::overdue(r, reports::Scope{w.team}, std::nullopt, now);
        wang = reports::overdue(r, reports::Scope{w.team}, w.wang, now);
        all = reports::overdue(r, reports::Scope{}, std::nullopt, now);
    });
    // Team: W8 (Tue 17th), T6 (Fri 20th), M1 (Fri 20th 17:00), M4 (today 08:00); earliest first.
    ASSERT_EQ(team.size(), 4u);
    EXPECT_EQ(team.front().customer, "Bolt");
    EXPECT_EQ(team.front().rep, "Wang Wei");
    EXPECT_EQ(team.back().task.due, at(23, 8));
    ASSERT_EQ(wang.size(), 2u);
    for (const auto& x : wang) EXPECT_EQ(x.task.assignee, w.wang);
    EXPECT_EQ(all.size(), 5u);  // and Olaf's, since Sat
}

TEST(Period, ACustomPeriodIsItsLocalDaysInclusive) {
    const auto* zone = date::locate_zone("Asia/Shanghai");
    const auto p = reports::period_between(date::local_days{date::year{2026} / 11 / 2},
                                           date::local_days{date::year{2026} / 11 / 8}, zone);
    EXPECT_EQ(p.kind, reports::PeriodKind::custom);
    EXPECT_EQ(p.from, date::sys_days{date::year{2026} / 11 / 1} + std::chrono::hours(16));
    EXPECT_EQ(p.to, date::sys_days{date::year{2026} / 11 / 8} + std::chrono::hours(16));
    EXPECT_EQ(p.zone, "Asia/Shanghai");
}

TEST(Period, WeeksAndMonthsInTheZone) {
    const TimePoint now = test::monday_10am_shanghai();  // Mon 2026-11-23 10:00 +08
    // This week: Mon 11-23 00:00 +08 = 11-22 16:00 UTC = 1795363200, to +7 days.
    auto p = reports::period_of(reports::PeriodKind::week, shanghai(), now);
    EXPECT_EQ(p.from, from_unix(1795363200));
    EXPECT_EQ(p.to, from_unix(1795968000));
    EXPECT_EQ(p.first_day, date::local_days{date::year{2026} / 11 / 23});
    EXPECT_EQ(p.last_day, date::local_days{date::year{2026} / 11 / 29});
    EXPECT_EQ(p.zone, "Asia/Shanghai");
    EXPECT_EQ(p.kind, reports::PeriodKind::week);
    // Last week: Mon 11-16 .. Sun 11-22.
    p = reports::period_of(reports::PeriodKind::last_week, shanghai(), now);
    EXPECT_EQ(p.from, from_unix(1794758400));
    EXPECT_EQ(p.to, from_unix(1795363200));
    EXPECT_EQ(p.last_day, date::local_days{date::year{2026} / 11 / 22});
    // This month: 11-01 00:00 +08 (10-31 16:00 UTC) .. 12-01 00:00 +08.
    p = reports::period_of(reports::PeriodKind::month, shanghai(), now);
    EXPECT_EQ(p.from, from_unix(1793462400));
    EXPECT_EQ(p.to, from_unix(1796054400));
    EXPECT_EQ(p.last_day, date::local_days{date::year{2026} / 11 / 30});
    // Last month: October, 31 days.
    p = reports::period_of(reports::PeriodKind::last_month, shanghai(), now);
    EXPECT_EQ(p.from, from_unix(1790784000));
    EXPECT_EQ(p.to, from_unix(1793462400));
    EXPECT_EQ(p.first_day, date::local_days{date::year{2026} / 10 / 1});
    EXPECT_EQ(p.last_day, date::local_days{date::year{2026} / 10 / 31});
}

TEST(Period, MonthBoundariesFollowTheLocalDate) {
    // 2026-03-01 00:30 +08 is still 02-28 16:30 in UTC.
    const TimePoint just_after_midnight = from_unix(1772296200);
    auto p = reports::period_of(reports::PeriodKind::month, shanghai(), just_after_midnight);
    EXPECT_EQ(p.first_day, date::local_days{date::year{2026} / 3 / 1});
    EXPECT_EQ(p.from, from_unix(1772294400));
    EXPECT_EQ(p.to, from_unix(1774972800));  // 04-01 00:00 +08
    p = reports::period_of(reports::PeriodKind::last_month, shanghai(), just_after_midnight);
    EXPECT_EQ(p.first_day, date::local_days{date::year{2026} / 2 / 1});
    EXPECT_EQ(p.last_day, date::local_days{date::year{2026} / 2 / 28});  // 2026 is no leap year
    EXPECT_EQ(p.from, from_unix(1769875200));
    // The same instant in UTC is still February.
    p = reports::period_of(reports::PeriodKind::month, date::locate_zone("UTC"), just_after_midnight);
    EXPECT_EQ(p.first_day, date::local_days{date::year{2026} / 2 / 1});
    EXPECT_EQ(p.zone, "UTC");
}

TEST(Period, AcrossTheYearEnd) {
    const TimePoint tuesday = from_unix(1799121600);  // 2027-01-05 12:00 +08
    auto p = reports::period_of(reports::PeriodKind::last_week, shanghai(), tuesday);
    EXPECT_EQ(p.first_day, date::local_days{date::year{2026} / 12 / 28});
    EXPECT_EQ(p.last_day, date::local_days{date::year{2027} / 1 / 3});
    EXPECT_EQ(p.from, from_unix(1798387200));
    EXPECT_EQ(p.to, from_unix(1798992000));
    p = reports::period_of(reports::PeriodKind::last_month, shanghai(), tuesday);
    EXPECT_EQ(p.first_day, date::local_days{date::year{2026} / 12 / 1});
    EXPECT_EQ(p.last_day, date::local_days{date::year{2026} / 12 / 31});
    EXPECT_EQ(p.from, from_unix(1796054400));
    EXPECT_EQ(p.to, from_unix(1798732800));
}

TEST(Period, AWeekAcrossADaylightSavingChangeIsSevenLocalDays) {
    // New York leaves daylight saving time on Sun 2026-11-01. On Tue 11-03,
    // last week ran Mon 10-26 00:00 EDT (04:00 UTC) to Mon 11-02 00:00 EST
    // (05:00 UTC): 7 days and an hour.
    const TimePoint tuesday = from_unix(1793725200);  // 2026-11-03 12:00 EST
    const auto p = reports::period_of(reports::PeriodKind::last_week, date::locate_zone("America/New_York"), tuesday);
    EXPECT_EQ(p.from, from_unix(1792987200));
    EXPECT_EQ(p.to, from_unix(1793595600));
    EXPECT_EQ(p.to - p.from, std::chrono::hours(7 * 24 + 1));
}

}  // namespace
}  // namespace fu
