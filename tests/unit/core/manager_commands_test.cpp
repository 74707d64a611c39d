// The managers' commands — team, overdue, report, who, audit — against a seeded
// history: real figures in compact fenced tables with the period and the asking
// manager's time zone, in English and Chinese, and who may ask what.
// Past 500 lines on purpose: every command is checked against the one seeded history.
#include <date/date.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/render.hpp"
#include "fixture.hpp"

namespace fu {
namespace {

using test::World;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

// 2026-11-23 is a Monday; times are in Asia/Shanghai (UTC+8).
TimePoint at(int month, int day, int hour, int minute = 0) {
    const auto d = date::sys_days{date::year{2026} / static_cast<unsigned>(month) / static_cast<unsigned>(day)};
    return d + std::chrono::hours{hour - 8} + std::chrono::minutes{minute};
}

// The contents of each ``` fence in a reply.
std::vector<std::string> fences(const std::string& text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while ((pos = text.find("```\n", pos)) != std::string::npos) {
        const auto begin = pos + 4;
        const auto end = text.find("\n```", begin);
        if (end == std::string::npos) break;
        out.push_back(text.substr(begin, end - begin));
        pos = end + 4;
    }
    return out;
}

std::vector<std::string> lines(const std::string& block) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= block.size()) {
        const auto end = block.find('\n', start);
        out.push_back(block.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

// Every fenced line fits a phone: at most 40 columns.
void expect_narrow(const std::string& reply) {
    const auto blocks = fences(reply);
    EXPECT_FALSE(blocks.empty()) << reply;
    for (const auto& b : blocks)
        for (const auto& l : lines(b)) EXPECT_LE(render::display_width(l), 40u) << l << "\nin\n" << reply;
}

struct Seed {
    World& w;

    UserId user(const std::string& handle, const std::string& name, Role role, std::optional<TeamId> team,
                Lang lang = Lang::en) {
        UserId id;
        w.store->transact([&](Repo& r) {
            User u;
            u.handle = handle;
            u.display_name = name;
            u.role = role;
            u.team = team;
            u.lang = lang;
            id = r.add_user(u);
        });
        return id;
    }

    CustomerId customer(const std::string& name, std::optional<UserId> owner, std::optional<TeamId> team,
                        Tier tier = Tier::b, Stage stage = Stage::active, const std::string& phone = "") {
        CustomerId id;
        w.store->transact([&](Repo& r) {
            Customer c;
            c.name = name;
            c.owner = owner;
            c.team = team;
            c.tier = tier;
            c.stage = stage;
            c.phone = phone;
            c.created_at = at(11, 1, 9);
            id = r.add_customer(c);
        });
        return id;
    }

    TaskId task(CustomerId c, UserId who, TimePoint due, TaskStatus status = TaskStatus::open,
                std::optional<TimePoint> done_at = std::nullopt, Origin origin = Origin::manual, int ladder_step = 0) {
        TaskId id;
        w.store->transact([&](Repo& r) {
            Task t;
            t.customer = c;
            t.assignee = who;
            t.due = due;
            t.status = status;
            t.done_at = done_at;
            t.origin = origin;
            t.ladder_step = ladder_step;
            t.created_at = at(11, 1, 9);
            t.topic = "call";
            id = r.add_task(t);
        });
        return id;
    }

    void interaction(CustomerId c, UserId who, TimePoint when, std::vector<std::string> results,
                     std::optional<int> sat = std::nullopt, Stage stage = Stage::active) {
        w.store->transact([&](Repo& r) {
            Interaction in;
            in.customer = c;
            in.user = who;
            in.at = when;
            in.results = std::move(results);
            in.satisfaction = sat;
            in.stage = stage;
            r.add_interaction(in);
        });
    }

    void transfer(CustomerId c, std::optional<UserId> from, std::optional<UserId> to, std::optional<UserId> by,
                  TimePoint when) {
        w.store->transact([&](Repo& r) { r.add_transfer(Transfer{{}, c, from, to, by, when, "test"}); });
    }
};

// ---- team ------------------------------------------------------------------------------

// Wang: two overdue (the oldest 2 days) and one due later today. Maria: one due
// later today, one done this morning, one snooze this week. Olaf (another team):
// overdue, never shown to Li.
void seed_team(World& w) {
    Seed s{w};
    const auto huawei = s.customer("华为", w.wang, w.team);
    const auto acme = s.customer("Acme", w.maria, w.team);
    const auto fjord = s.customer("Fjord", w.olaf, w.other_team);
    s.task(huawei, w.wang, at(11, 21, 10));
    s.task(huawei, w.wang, at(11, 22, 16));
    s.task(huawei, w.wang, at(11, 23, 15));
    s.task(acme, w.maria, at(11, 23, 9), TaskStatus::done, at(11, 23, 9, 30));
    const auto later = s.task(acme, w.maria, at(11, 23, 11));
    s.task(acme, w.maria, at(11, 25, 10));
    s.task(fjord, w.olaf, at(11, 20, 10));
    EXPECT_THAT(w.say("maria", "snooze " + std::to_string(later.value) + " 2h"), HasSubstr("snoozed 1×"));
}

TEST(ManagerTeam, ShowsEachRepsFiguresInAFencedTableMostOverdueFirst) {
    World w;
    seed_team(w);
    const auto reply = w.say("li", "team");
    EXPECT_THAT(reply, HasSubstr("📊 Team East Sales\nNow Mon 11-23 10:00 · week 11-23 – 11-29 · Asia/Shanghai\n"));
    const auto blocks = fences(reply);
    ASSERT_EQ(blocks.size(), 1u) << reply;
    EXPECT_EQ(blocks[0],
              "rep      open due ovd done snz oldest\n"
              "Wang Wei    3   1   2  0/0   0 2d\n"
              "Maria       2   1   0  1/1   1\n"
              "Total       5   2   2  1/1   1 2d");
    EXPECT_THAT(reply, Not(HasSubstr("Olaf")));
    EXPECT_THAT(reply, HasSubstr("snz: snoozes this week"));
    expect_narrow(reply);
    ASSERT_FALSE(w.bot->handle("li", "team").reply.buttons.empty());
    EXPECT_EQ(w.bot->handle("li", "team").reply.buttons[0].command, "overdue");
}

TEST(ManagerTeam, InChineseWithColumnsAlignedByDisplayWidth) {
    World w;
    seed_team(w);
    Seed{w}.user("zhao", "赵六", Role::rep, w.team, Lang::zh);
    w.say("li", "lang zh");  // replies are in the user's language, not the command word's
    const auto reply = w.say("li", "团队");
    EXPECT_THAT(reply, HasSubstr("📊 团队 East Sales\n现在 11月23日 周一 10:00 · 本周 11-23 – 11-29 · Asia/Shanghai"));
    const auto blocks = fences(reply);
    ASSERT_EQ(blocks.size(), 1u) << reply;
    EXPECT_EQ(blocks[0],
              "销售     待办 今到 逾期 完成 推迟 最久\n"
              "Wang Wei    3    1    2  0/0    0 2天\n"
              "Maria       2    1    0  1/1    1\n"
              "赵六        0    0    0  0/0    0\n"
              "合计        5    2    2  1/1    1 2天");
    EXPECT_THAT(reply, HasSubstr("今到：今天到期"));
    expect_narrow(reply);
}

TEST(ManagerTeam, ALargeTeamShowsTheRepsThatNeedAttentionFirstThenHowManyMore) {
    World w;
    Seed s{w};
    std::vector<UserId> reps;
    for (int i = 0; i < 18; ++i) {
        const std::string n = (i < 10 ? "0" : "") + std::to_string(i);
        reps.push_back(s.user("rep" + n, "Rep " + n, Role::rep, w.team));
    }
    const auto c = s.customer("Acme", reps[17], w.team);
    s.task(c, reps[17], at(11, 20, 10));  // the last by name, but the only one overdue
    const auto reply = w.say("li", "team");
    const auto rows = lines(fences(reply).at(0));
    // header, 15 reps, "… and 5 more", total (20 reps: Maria, Wang Wei and 18 more)
    ASSERT_EQ(rows.size(), 18u) << reply;
    EXPECT_EQ(rows[1], "Rep 17    1   0   1  0/0   0 3d");
    EXPECT_EQ(rows[2], "Maria     0   0   0  0/0   0");
    EXPECT_EQ(rows[16], "… and 5 more");
    EXPECT_EQ(rows[17], "Total     1   0   1  0/0   0 3d");
    EXPECT_THAT(reply, Not(HasSubstr("Wang Wei")));  // among the 5 more: nothing to look at
    expect_narrow(reply);
}

TEST(ManagerTeam, AnAdminWithNoTeamSeesEveryTeam) {
    World w;
    seed_team(w);
    Seed{w}.user("root", "Root", Role::admin, std::nullopt);
    const auto reply = w.say("root", "team");
    EXPECT_THAT(reply, HasSubstr("📊 Team all teams"));
    EXPECT_THAT(reply, HasSubstr("\nOlaf        1   0   1  0/0   0 3d\n"));
    EXPECT_THAT(reply, HasSubstr("\nTotal       6   2   3  1/1   1 3d"));
}

// ---- overdue -----------------------------------------------------------------------------

TEST(ManagerOverdue, ListsTheTeamsOverdueOldestFirstAndByRep) {
    World w;
    seed_team(w);
    Seed s{w};
    const auto beta = s.customer("Beta Industries Ltd", w.maria, w.team);
    s.task(beta, w.maria, at(11, 23, 8));
    const auto reply = w.say("li", "overdue");
    EXPECT_THAT(reply, HasSubstr("⚠️ Overdue · East Sales · 3\nNow Mon 11-23 10:00 · Asia/Shanghai\n"));
    EXPECT_THAT(reply, HasSubstr("By rep: Wang Wei 2 · Maria 1"));
    const auto blocks = fences(reply);
    ASSERT_EQ(blocks.size(), 1u) << reply;
    EXPECT_EQ(blocks[0],
              "# customer   rep      late snz\n"
              "1 华为       Wang Wei   2d\n"
              "2 华为       Wang Wei  18h\n"
              "8 Beta Indu… Maria      2h");
    EXPECT_THAT(reply, Not(HasSubstr("Fjord")));
    expect_narrow(reply);
}

TEST(ManagerOverdue, OneRepByHandleOrNameInEitherLanguage) {
    World w;
    seed_team(w);
    w.say("li", "lang zh");  // replies are in the user's language, not the command word's
    const auto wang = w.say("li", "逾期 @wang");
    EXPECT_THAT(wang, HasSubstr("⚠️ 逾期 · Wang Wei · 2\n现在 11月23日 周一 10:00 · Asia/Shanghai"));
    const auto blocks = fences(wang);
    ASSERT_EQ(blocks.size(), 1u) << wang;
    EXPECT_EQ(blocks[0],
              "# 客户   逾期 推迟\n"
              "1 华为    2天\n"
              "2 华为 18小时");
    w.say("li", "lang en");
    EXPECT_THAT(w.say("li", "overdue Wang Wei"), HasSubstr("Overdue · Wang Wei · 2"));
    EXPECT_THAT(w.say("li", "overdue wei"), HasSubstr("Overdue · Wang Wei · 2"));  // a part of one name
    EXPECT_THAT(w.say("li", "overdue a"), HasSubstr("Several people match 'a'; use the handle:"));
    EXPECT_THAT(w.say("li", "overdue maria"), HasSubstr("🎉 Maria has nothing overdue."));
    EXPECT_THAT(w.say("li", "overdue olaf"), HasSubstr("No rep 'olaf' in your team"));
    w.say("li", "lang zh");  // replies are in the user's language, not the command word's
    EXPECT_THAT(w.say("li", "逾期 王五"), HasSubstr("你的团队里没有「王五」"));
}

// ---- report ------------------------------------------------------------------------------

// Last week (11-16 – 11-22): Wang one on time, one late, one still open past due
// and escalated; Maria one on time, one cancelled. Interactions on Acme (A)
// and Beta (B); a release and a reclaim; a complaint open now.
void seed_last_week(World& w) {
    Seed s{w};
    const auto acme = s.customer("Acme", w.wang, w.team, Tier::a, Stage::active, "13800138000");
    const auto beta = s.customer("Beta", w.maria, w.team, Tier::b, Stage::lead);
    const auto gamma = s.customer("Gamma", std::nullopt, w.team, Tier::c, Stage::lead);
    const auto delta = s.customer("Delta", std::nullopt, w.team, Tier::c, Stage::lead);
    s.task(acme, w.wang, at(11, 17, 10), TaskStatus::done, at(11, 17, 9));
    s.task(acme, w.wang, at(11, 18, 10), TaskStatus::done, at(11, 19, 15));
    s.task(acme, w.wang, at(11, 20, 10), TaskStatus::open, std::nullopt, Origin::manual, 3);
    s.task(beta, w.maria, at(11, 19, 10), TaskStatus::done, at(11, 19, 10));
    s.task(beta, w.maria, at(11, 18, 10), TaskStatus::cancelled);
    s.task(beta, w.maria, at(11, 30, 10), TaskStatus::open, std::nullopt, Origin::complaint);
    s.interaction(acme, w.wang, at(11, 17, 9), {"reached", "interested"}, 4, Stage::active);
    s.interaction(acme, w.wang, at(11, 19, 15), {"won"}, 5, Stage::active);
    s.interaction(beta, w.maria, at(11, 19, 10), {"no_answer"}, std::nullopt, Stage::lead);
    s.interaction(beta, w.maria, at(11, 10, 10), {"won"}, 1, Stage::lead);  // the week before: not counted
    s.transfer(gamma, w.wang, std::nullopt, w.wang, at(11, 18, 12));
    s.transfer(delta, w.maria, std::nullopt, std::nullopt, at(11, 20, 12));
}

TEST(ManagerReport, LastWeeksTimelinessOutcomesConversionAndPoolInEnglish) {
    World w;
    seed_last_week(w);
    const auto reply = w.say("li", "report last week");
    EXPECT_THAT(reply, HasSubstr("📈 Report — East Sales · last week\n11-16 – 11-22 · Asia/Shanghai\n"));
    EXPECT_THAT(reply, HasSubstr("\nTimeliness 50% · on time 2 · late 2 · pending 0\n"));
    const auto blocks = fences(reply);
    ASSERT_EQ(blocks.size(), 2u) << reply;
    EXPECT_EQ(blocks[0],
              "rep      rate on late pend log\n"
              "Wang Wei  33%  1    2    0   2\n"
              "Maria    100%  1    0    0   1");
    EXPECT_THAT(reply, HasSubstr("\nOutcomes: reached 1 · no answer 1 · interested 1 · won 1\n"));
    EXPECT_EQ(blocks[1],
              "tier/stage contacted won    %\n"
              "A (VIP)            1   1 100%\n"
              "B                  1   0   0%\n"
              "C                  0   0    -\n"
              "lead               1   0   0%\n"
              "active             1   1 100%");
    EXPECT_THAT(reply, HasSubstr("\nSatisfaction 4.5 (n=2) · complaints open 1\n"));
    EXPECT_THAT(reply, HasSubstr("\nEscalated 1 · overdue now 1\n"));
    EXPECT_THAT(reply, HasSubstr("\nPublic pool: reclaimed 1 · released 1 · claimed 0 · assigned 0"));
    expect_narrow(reply);
}

TEST(ManagerReport, InChineseAndFromNaturalPhrases) {
    World w;
    seed_last_week(w);
    w.say("li", "lang zh");  // replies are in the user's language, not the command word's
    const auto reply = w.say("li", "报告 上周");
    EXPECT_THAT(reply, HasSubstr("📈 报告 — East Sales · 上周\n11-16 – 11-22 · Asia/Shanghai\n"));
    EXPECT_THAT(reply, HasSubstr("\n跟进及时率 50% · 按时 2 · 延迟 2 · 未到期限 0\n"));
    const auto blocks = fences(reply);
    ASSERT_EQ(blocks.size(), 2u) << reply;
    EXPECT_EQ(lines(blocks[0]).at(0), "销售     及时率 按时 延迟 未到 记录");
    EXPECT_EQ(lines(blocks[0]).at(1), "Wang Wei    33%    1    2    0    2");
    EXPECT_THAT(blocks[1], HasSubstr("\nA类(VIP)     1    1 100%\n"));
    EXPECT_THAT(reply, HasSubstr("\n跟进结果：已接通 1 · 未接通 1 · 有意向 1 · 成交 1\n"));
    EXPECT_THAT(reply, HasSubstr("\n满意度 4.5 (n=2) · 未解决投诉 1"));
    expect_narrow(reply);
    EXPECT_EQ(w.say("li", "上周跟进及时率"), reply);
    EXPECT_EQ(w.say("li", "上周报告"), reply);
    // this week and this month: their own periods, nothing due yet
    const auto week = w.say("li", "本周跟进及时率");
    EXPECT_THAT(week, HasSubstr("本周\n11-23 – 11-29 · Asia/Shanghai\n跟进及时率 - · 按时 0 · 延迟 0"));
    EXPECT_THAT(w.say("li", "月报"), HasSubstr("本月\n11-01 – 11-30 · Asia/Shanghai\n跟进及时率 50%"));
    w.say("li", "lang en");
    EXPECT_THAT(w.say("li", "weekly report"), HasSubstr("Report — East Sales · this week\n11-23 – 11-29"));
    EXPECT_THAT(w.say("li", "monthly report"), HasSubstr("this month\n11-01 – 11-30 · Asia/Shanghai\nTimeliness 50%"));
}

TEST(ManagerReport, TheWeeklyReportInTheDigestHasTheSameFigures) {
    World w;
    seed_last_week(w);
    const auto digest = w.say("li", "digest");
    EXPECT_THAT(digest, HasSubstr("📈 Weekly report — East Sales · last week\n11-16 – 11-22 · Asia/Shanghai\n"));
    EXPECT_THAT(digest, HasSubstr("\nTimeliness 50% · on time 2 · late 2 · pending 0\n"));
    EXPECT_THAT(digest, HasSubstr("\nWang Wei  33%  1    2    0   2\n"));
}

TEST(ManagerReport, PeriodAndZoneAreTheAskingManagers) {
    World w;
    seed_last_week(w);
    w.store->transact([&](Repo& r) {
        auto li = *r.user(w.li);
        li.time_zone = "America/New_York";
        r.update_user(li);
    });
    // Monday 10:00 in Shanghai is Sunday 21:00 in New York: this week began on 11-16 there.
    const auto reply = w.say("li", "report");
    EXPECT_THAT(reply, HasSubstr("this week\n11-16 – 11-22 · America/New_York\n"));
    EXPECT_THAT(w.say("li", "report last week"), HasSubstr("last week\n11-09 – 11-15 · America/New_York\n"));
}

// ---- who may ask ---------------------------------------------------------------------------

TEST(ManagerCommands, RepsAreRefusedAndAuditIsForAdminsOnly) {
    World w;
    seed_last_week(w);
    for (const char* line : {"team", "report", "report last week", "overdue", "overdue @maria"}) {
        const auto reply = w.say("maria", line);
        EXPECT_THAT(reply, HasSubstr("Only managers can do that")) << line;
        EXPECT_THAT(reply, Not(HasSubstr("```"))) << line;
    }
    for (const char* line : {"团队", "报告", "周报", "本周跟进及时率", "逾期"})
        EXPECT_THAT(w.say("wang", line), HasSubstr("只有主管可以使用这个命令")) << line;
    EXPECT_THAT(w.say("li", "audit"), HasSubstr("only an admin can do that"));
    EXPECT_THAT(w.say("wang", "审计"), HasSubstr("只有管理员可以使用这个命令"));
    EXPECT_THAT(w.say("li", "审计 @wang"), Not(HasSubstr("```")));
}

// ---- who ---------------------------------------------------------------------------------

TEST(Who, ShowsOwnerTeamTierStageAndFollowUpsWithContactsForThoseAllowed) {
    World w;
    seed_last_week(w);  // Acme: Wang's, one follow-up open since 11-20, last contact unknown
    const auto reply = w.say("li", "who Acme");
    EXPECT_THAT(reply, HasSubstr("👤 c1 Acme\n"));
    const auto blocks = fences(reply);
    ASSERT_EQ(blocks.size(), 1u) << reply;
    EXPECT_EQ(blocks[0],
              "owner Wang Wei @wang\n"
              "team  East Sales\n"
              "tier  A (VIP)\n"
              "stage active\n"
              "last  never\n"
              "next  Fri 11-20 10:00 #3\n"
              "phone 13800138000");
    EXPECT_THAT(reply, HasSubstr("⚠️ The next follow-up is overdue (3d late)."));
    const auto own = w.say("wang", "谁负责 Acme");
    EXPECT_THAT(own, HasSubstr("负责人   Wang Wei @wang\n团队     East Sales\n等级     A类(VIP)\n阶段     活跃客户"));
    EXPECT_THAT(own, HasSubstr("电话     13800138000"));
    EXPECT_THAT(own, Not(HasSubstr("已隐藏")));
}

TEST(Who, FollowsTheAccessRulesOfHistoryAndMasksContactsOfThePool) {
    World w;
    seed_last_week(w);
    Seed s{w};
    s.user("root", "Root", Role::admin, std::nullopt);
    const auto pooled = s.customer("Zeta", std::nullopt, w.team, Tier::c, Stage::lead, "13900139000");
    (void)pooled;
    EXPECT_THAT(w.say("maria", "who Acme"), HasSubstr("No customer of yours matches 'Acme'"));
    EXPECT_THAT(w.say("olaf", "who c1"), HasSubstr("There is no customer c1 of yours"));
    const auto manager = w.say("li", "who Zeta");
    EXPECT_THAT(manager, HasSubstr("owner public pool"));
    EXPECT_THAT(manager, HasSubstr("phone 139****9000"));
    EXPECT_THAT(manager, Not(HasSubstr("13900139000")));
    EXPECT_THAT(manager, HasSubstr("Contacts are hidden: only the owner, their manager and admins see them."));
    const auto admin = w.say("root", "who Zeta");
    EXPECT_THAT(admin, HasSubstr("phone 13900139000"));
    EXPECT_THAT(admin, Not(HasSubstr("hidden")));
    EXPECT_THAT(w.say("root", "who Acme"), HasSubstr("phone 13800138000"));
    EXPECT_THAT(w.say("li", "who"), HasSubstr("Usage: who <customer>"));
}

// ---- audit -------------------------------------------------------------------------------

struct AuditWorld {
    World w;
    std::int64_t task = 0;

    AuditWorld() {
        Seed{w}.user("root", "Root", Role::admin, std::nullopt);
        w.say("wang", "新客户 华为");
        w.clock.advance(1min);
        w.say("maria", "customer add Acme");
        w.clock.advance(1min);
        w.say("li", "assign Acme wang");
        w.clock.advance(1min);
        task = World::task_id_in(w.say("wang", "跟进 华为 明天上午10点 打电话 问报价"));
        w.clock.advance(1min);
        w.say("wang", "完成 " + std::to_string(task) + " 已接通 有意向");
    }
};

TEST(Audit, TheNewestEntriesWrittenAsSentencesInTheAdminsZone) {
    AuditWorld a;
    const auto reply = a.w.say("root", "audit 3");
    EXPECT_THAT(reply, HasSubstr("🔎 Audit log · newest 3 · Asia/Shanghai\n"));
    const auto blocks = fences(reply);
    ASSERT_EQ(blocks.size(), 1u) << reply;
    const auto rows = lines(blocks[0]);
    ASSERT_EQ(rows.size(), 6u) << reply;  // two lines an entry, newest first
    // the next follow-up the cadence scheduled on `done`, then the done itself
    EXPECT_EQ(rows[0], "11-23 10:04 system");
    EXPECT_EQ(rows[1], "  follow-up #" + std::to_string(a.task + 1) + " 华为 from the cadence (lead: every 3 days)");
    EXPECT_EQ(rows[2], "11-23 10:04 Wang Wei");
    EXPECT_EQ(rows[3], "  done #" + std::to_string(a.task) + " 华为: reached, interested");
    EXPECT_THAT(blocks[0], HasSubstr("11-23 10:03 Wang Wei\n  new follow-up #" + std::to_string(a.task) +
                                     " 华为, due Tue 11-24 10:00"));
    EXPECT_THAT(reply, HasSubstr("More: audit 6"));
    EXPECT_THAT(a.w.say("root", "audit"), HasSubstr("11-23 10:02 Li Na\n  assigned c2 Acme: Maria → Wang Wei"));
}

TEST(Audit, FiltersByUserCustomerAndTaskInEitherLanguage) {
    AuditWorld a;
    const auto maria = a.w.say("root", "audit @maria");
    EXPECT_THAT(maria, HasSubstr("Audit log · Maria @maria · newest 1"));
    EXPECT_THAT(maria, HasSubstr("11-23 10:01 Maria\n  new customer c2 Acme"));
    EXPECT_THAT(maria, Not(HasSubstr("Li Na")));

    const auto acme = a.w.say("root", "audit Acme");
    EXPECT_THAT(acme, HasSubstr("Audit log · c2 Acme"));
    EXPECT_THAT(acme, HasSubstr("assigned c2 Acme: Maria → Wang Wei"));
    EXPECT_THAT(acme, HasSubstr("new customer c2 Acme"));
    EXPECT_THAT(acme, HasSubstr("from the cadence"));  // its first follow-up's entry
    EXPECT_THAT(acme, Not(HasSubstr("华为")));

    a.w.say("root", "lang zh");  // replies are in the user's language, not the command word's
    const auto task = a.w.say("root", "审计 task:" + std::to_string(a.task));
    EXPECT_THAT(task, HasSubstr("🔎 审计日志 · #" + std::to_string(a.task) + " 华为 · 最新"));
    EXPECT_THAT(task, HasSubstr("完成 #" + std::to_string(a.task) + " 华为：已接通、有意向"));
    EXPECT_THAT(task, HasSubstr("新建跟进 #" + std::to_string(a.task) + " 华为，到期 11月24日 周二 10:00"));
    EXPECT_THAT(task, Not(HasSubstr("Acme")));

    const auto wang = a.w.say("root", "审计 1 @wang");
    EXPECT_THAT(wang, HasSubstr("最新 1"));
    EXPECT_EQ(lines(fences(wang).at(0)).size(), 2u) << wang;
    a.w.say("root", "lang en");
    EXPECT_THAT(a.w.say("root", "audit @nobody"), HasSubstr("There is no user 'nobody'"));
    EXPECT_THAT(a.w.say("root", "audit Nothing"), HasSubstr("No customer of yours matches 'Nothing'"));
    EXPECT_THAT(a.w.say("root", "audit task:999"), HasSubstr("No entries."));
}

// ---- the table helpers ---------------------------------------------------------------------

TEST(RenderTable, AlignsByDisplayWidthAndFits) {
    EXPECT_EQ(render::display_width("Maria"), 5u);
    EXPECT_EQ(render::display_width("王伟"), 4u);
    EXPECT_EQ(render::display_width("A类(VIP)"), 8u);
    EXPECT_EQ(render::fit("Beta Industries", 10), "Beta Indu…");
    EXPECT_EQ(render::fit("华为技术有限公司", 9), "华为技术…");
    EXPECT_EQ(render::fit("Acme", 10), "Acme");
    render::Table t;
    t.right = {false, true};
    t.add({"王伟", "1"});
    t.add({"Maria", "12"});
    t.note("… and 3 more");
    EXPECT_EQ(t.str(), "王伟   1\nMaria 12\n… and 3 more");
    EXPECT_EQ(render::fence("x"), "```\nx\n```");
    EXPECT_EQ(render::percent(2.0 / 3), "67%");
    EXPECT_EQ(render::percent(std::nullopt), "-");
}

}  // namespace
}  // namespace fu
