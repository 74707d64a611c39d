// Commands through the Bot: what each role may do, what a reply says, what is stored.
#include <gmock/gmock.h>

#include "fixture.hpp"

namespace fu::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

std::string id(std::int64_t n) { return std::to_string(n); }

std::int64_t followup(World& w, const std::string& who, const std::string& customer, const std::string& when) {
    return World::task_id_in(w.say(who, "followup " + customer + " " + when + " call"));
}

TEST(Bot, StrangerIsToldTheyAreNotRegistered) {
    World w;
    EXPECT_THAT(w.say("nobody", "today"), HasSubstr("not registered"));
    EXPECT_THAT(w.say("nobody", "今天"), HasSubstr("还没有注册"));
    // and nothing was created for them
    EXPECT_THAT(w.say("nobody", "customer add Sneaky"), HasSubstr("not registered"));
    EXPECT_THAT(w.say("li", "customers"), Not(HasSubstr("Sneaky")));
}

TEST(Bot, UnknownCommandSuggestsTheNearestOne) {
    World w;
    EXPECT_THAT(w.say("maria", "tday"), HasSubstr("today"));
}

TEST(Bot, WrongFormShowsTheRightForm) {
    World w;
    const auto reply = w.say("maria", "snooze");
    EXPECT_THAT(reply, HasSubstr("snooze <"));
}

TEST(Bot, BadTimeExpressionChangesNothingAndShowsExamples) {
    World w;
    w.say("maria", "customer add Acme");
    const auto t = followup(w, "maria", "Acme", "in 1h");
    const auto reply = w.say("maria", "snooze " + id(t) + " whenever");
    EXPECT_THAT(reply, HasSubstr("tomorrow 10am"));
    const auto task = w.task(t);
    EXPECT_EQ(task->snooze_count, 0);
    EXPECT_EQ(task->due, w.clock.now() + 1h);
}

TEST(Bot, DoneWithBadNextTimeRollsBackTheWholeCommand) {
    World w;
    w.say("maria", "customer add Acme");
    const auto t = followup(w, "maria", "Acme", "in 1h");
    w.say("maria", "done " + id(t) + " reached next 2020-01-01 10:00");  // in the past
    EXPECT_EQ(w.task(t)->status, TaskStatus::open);
    EXPECT_THAT(w.say("maria", "history Acme"), HasSubstr("No interactions"));
}

TEST(Bot, DoneRecordsOutcomeAndSchedulesNext) {
    World w;
    w.say("maria", "customer add Acme Corp tier=A stage=lead");
    const auto t = followup(w, "maria", "Acme", "in 1h");
    const auto reply = w.say("maria", "done " + id(t) + " reached, interested, next tomorrow 10am");
    EXPECT_THAT(reply, HasSubstr("reached, interested"));
    EXPECT_THAT(reply, HasSubstr("Tue 11-24 10:00"));
    const auto next = World::task_id_in(reply.substr(reply.find("Next follow-up")));
    EXPECT_NE(next, t);
    EXPECT_EQ(w.task(t)->status, TaskStatus::done);
    EXPECT_EQ(w.task(next)->due, w.clock.now() + 24h);
    EXPECT_EQ(w.task(next)->assignee, w.maria);
    const auto history = w.say("maria", "history Acme");
    EXPECT_THAT(history, HasSubstr("reached, interested"));
    EXPECT_THAT(history, HasSubstr("#" + id(next)));
    EXPECT_THAT(w.say("maria", "done " + id(t)), HasSubstr("already done"));
}

TEST(Bot, ChineseDoneRepliesInChinese) {
    World w;
    w.say("wang", "新客户 华为 等级=A");
    const auto t = followup(w, "wang", "华为", "明天上午10点");
    const auto reply = w.say("wang", "完成 " + id(t) + " 已接通 有意向 下次 后天下午3点");
    EXPECT_THAT(reply, HasSubstr("已完成"));
    EXPECT_THAT(reply, HasSubstr("已接通"));
    EXPECT_THAT(reply, HasSubstr("下次跟进"));
    EXPECT_THAT(reply, HasSubstr("15:00"));
}

TEST(Bot, RepCannotTouchAnotherRepsTaskOrCustomer) {
    World w;
    w.say("maria", "customer add Acme");
    const auto t = followup(w, "maria", "Acme", "in 1h");
    EXPECT_THAT(w.say("wang", "done " + id(t)), HasSubstr("#" + id(t)));
    EXPECT_EQ(w.task(t)->status, TaskStatus::open);
    EXPECT_THAT(w.say("wang", "snooze " + id(t) + " 2h"), Not(HasSubstr("推迟到")));
    EXPECT_EQ(w.task(t)->snooze_count, 0);
    EXPECT_THAT(w.say("wang", "history Acme"), HasSubstr("Acme"));  // the error names what was asked
    EXPECT_THAT(w.say("wang", "history Acme"), Not(HasSubstr("Recent")));
}

TEST(Bot, ManagerActsOnTheTeamButNotOtherTeams) {
    World w;
    w.say("maria", "customer add Acme");
    const auto t = followup(w, "maria", "Acme", "in 1h");
    w.say("olaf", "customer add Fjord");
    const auto other = followup(w, "olaf", "Fjord", "in 1h");
    EXPECT_THAT(w.say("li", "snooze " + id(t) + " 3h"), HasSubstr("snoozed"));
    EXPECT_EQ(w.task(t)->snooze_count, 1);
    EXPECT_THAT(w.say("li", "done " + id(other)), HasSubstr("no task"));
    EXPECT_EQ(w.task(other)->status, TaskStatus::open);
}

TEST(Bot, OnlyManagersAskForTeamAndOverdue) {
    World w;
    EXPECT_THAT(w.say("maria", "team"), HasSubstr("Only managers"));
    EXPECT_THAT(w.say("wang", "逾期"), HasSubstr("只有主管"));
    EXPECT_THAT(w.say("maria", "assign Acme wang"), HasSubstr("Only managers"));
}

TEST(Bot, TeamShowsRealFigures) {
    World w;
    w.say("maria", "customer add Acme");
    w.say("maria", "customer add Beta");
    const auto a = followup(w, "maria", "Acme", "in 1h");
    followup(w, "maria", "Beta", "in 2h");
    w.say("wang", "customer add 华为");
    followup(w, "wang", "华为", "in 30m");
    w.clock.advance(90min);  // Acme and 华为 are now overdue
    w.say("maria", "done " + id(a) + " reached");
    const auto team = w.say("li", "team");
    // Acme's next follow-up comes from the cadence (a lead: in 3 days).
    // rep, open, due today, overdue, done today/this week, snoozes, oldest overdue; most overdue first.
    EXPECT_THAT(team, HasSubstr("\nWang Wei    1   1   1  0/0   0 1h\nMaria       2   1   0  1/1   0\n"));
    EXPECT_THAT(team, Not(HasSubstr("Olaf")));
    const auto overdue = w.say("li", "overdue");
    EXPECT_THAT(overdue, HasSubstr("华为"));
    EXPECT_THAT(overdue, Not(HasSubstr("Beta")));
}

TEST(Bot, AssignMovesCustomerAndOpenTasksAndTellsBothReps) {
    World w;
    w.say("maria", "customer add Acme");
    const auto t = followup(w, "maria", "Acme", "in 1h");
    const auto handled = w.bot->handle("li", "assign Acme wang");
    EXPECT_THAT(handled.reply.text, HasSubstr("Wang Wei"));
    EXPECT_EQ(w.task(t)->assignee, w.wang);
    ASSERT_EQ(w.messages(w.wang).size(), 1u);
    EXPECT_THAT(w.messages(w.wang)[0].text, HasSubstr("转给了你"));
    ASSERT_EQ(w.messages(w.maria).size(), 1u);
    EXPECT_THAT(handled.notified, ::testing::UnorderedElementsAre(w.wang, w.maria));
    EXPECT_THAT(w.say("li", "history Acme"), HasSubstr("Maria → Wang Wei"));
    // the reminder now goes to the new owner
    w.clock.advance(1h);
    w.bot->fire_due_reminders();
    EXPECT_EQ(w.messages(w.wang).size(), 2u);
    EXPECT_EQ(w.messages(w.maria).size(), 1u);
}

TEST(Bot, ManagerCannotAssignToSomeoneOutsideTheTeam) {
    World w;
    w.say("maria", "customer add Acme");
    EXPECT_THAT(w.say("li", "assign Acme olaf"), HasSubstr("No rep 'olaf'"));
    EXPECT_THAT(w.say("maria", "customers"), HasSubstr("Acme"));
}

TEST(Bot, TodayListsOverdueAndDueTodayOnly) {
    World w;
    w.say("maria", "customer add Acme");
    w.say("maria", "customer add Beta");
    w.say("maria", "customer add Gamma");
    followup(w, "maria", "Acme", "in 10m");
    followup(w, "maria", "Beta", "in 3h");
    followup(w, "maria", "Gamma", "in 3 days");
    w.clock.advance(20min);
    const auto today = w.say("maria", "today");
    EXPECT_THAT(today, HasSubstr("Overdue (1)"));
    EXPECT_THAT(today, HasSubstr("Acme"));
    EXPECT_THAT(today, HasSubstr("Beta"));
    // Later ones are shown apart, as what comes next.
    const auto coming = today.find("Coming up");
    ASSERT_NE(coming, std::string::npos) << today;
    EXPECT_EQ(today.find("Gamma"), today.find("Gamma", coming));
}

TEST(Bot, TodayShowsTheNextFollowupAfterDoneWithNext) {
    World w;
    w.say("wang", "新客户 华为");
    const auto t = World::task_id_in(w.say("wang", "跟进 华为 30分钟后"));
    const auto reply = w.say("wang", "完成 " + std::to_string(t) + " 已接通 有意向 下次 明天上午10点");
    const auto next = World::task_id_in(reply.substr(reply.find("下次跟进")));
    auto today = w.say("wang", "今天");  // nothing else open: it names the next one
    EXPECT_THAT(today, HasSubstr("#" + std::to_string(next) + " 华为"));
    EXPECT_THAT(today, HasSubstr("11月24日 周二 10:00"));
    w.say("wang", "新客户 星辰");
    w.say("wang", "跟进 星辰 1小时后");  // something due today too: the next one is listed after it
    today = w.say("wang", "今天");
    EXPECT_THAT(today, HasSubstr("接下来"));
    EXPECT_THAT(today, HasSubstr("#" + std::to_string(next) + " 华为"));
    EXPECT_THAT(today, HasSubstr("11月24日 周二 10:00"));
}

TEST(Bot, LogRecordsAnInteractionWithoutATask) {
    World w;
    w.say("maria", "customer add Acme");
    const auto reply = w.say("maria", "log Acme email quote sent price list v2 next fri 3pm");
    EXPECT_THAT(reply, HasSubstr("quote sent"));
    EXPECT_THAT(reply, HasSubstr("Fri 11-27 15:00"));
    EXPECT_THAT(w.say("maria", "history Acme"), HasSubstr("price list v2"));
}

TEST(Bot, CustomerAddRefusesADuplicateName) {
    World w;
    w.say("maria", "customer add Acme");
    EXPECT_THAT(w.say("maria", "customer add acme"), HasSubstr("already have"));
}

TEST(Bot, AmbiguousCustomerNameAsksForTheId) {
    World w;
    w.say("maria", "customer add Acme Robotics");
    w.say("maria", "customer add Acme Foods");
    const auto reply = w.say("maria", "history Acme");
    EXPECT_THAT(reply, HasSubstr("several"));
    EXPECT_THAT(reply, HasSubstr("c1"));
    EXPECT_THAT(w.say("maria", "history c2"), HasSubstr("Acme Foods"));
}

TEST(Bot, LangChangesTheLanguageOfReminders) {
    World w;
    w.say("maria", "lang zh");
    w.say("maria", "customer add Acme");
    followup(w, "maria", "Acme", "in 10m");
    w.clock.advance(10min);
    w.bot->fire_due_reminders();
    EXPECT_THAT(w.messages(w.maria).at(0).text, HasSubstr("跟进提醒"));
}

TEST(Bot, WhoamiDescribesTheUser) {
    World w;
    EXPECT_THAT(w.say("li", "whoami"), HasSubstr("manager in East Sales"));
}

}  // namespace
}  // namespace fu::test

namespace fu::test {
namespace {

TEST(Bot, DoneWithoutNextSchedulesTheCadencesNextFollowup) {
    World w;
    w.say("maria", "customer add Acme tier=B stage=active");
    const auto t = World::task_id_in(w.say("maria", "followup Acme in 1h email"));
    const auto handled = w.bot->handle("maria", "done " + std::to_string(t));
    EXPECT_THAT(handled.reply.text, HasSubstr("done."));
    // B, active: every 14 days -> Monday 12-07 10:00.
    EXPECT_THAT(handled.reply.text, HasSubstr("Next follow-up #"));
    EXPECT_THAT(handled.reply.text, HasSubstr("(B: every 14 days)"));
    const auto next = w.task(World::task_id_in(handled.reply.text.substr(handled.reply.text.find("Next"))));
    ASSERT_TRUE(next);
    EXPECT_EQ(next->origin, Origin::cadence);
    EXPECT_EQ(next->due, monday_10am_shanghai() + 14 * 24h);
    w.say("wang", "新客户 华为 等级=A 阶段=活跃");
    const auto t2 = World::task_id_in(w.say("wang", "跟进 华为 明天上午10点"));
    const auto done = w.say("wang", "完成 " + std::to_string(t2) + " 已接通");
    EXPECT_THAT(done, HasSubstr("A类(VIP)：每7天")) << done;
}

TEST(Bot, DoneDoesNotOfferSchedulingWhileAnotherFollowupIsOpen) {
    World w;
    w.say("maria", "customer add Acme");
    const auto t = World::task_id_in(w.say("maria", "followup Acme in 1h call"));
    w.say("maria", "followup Acme in 3 days visit");
    const auto handled = w.bot->handle("maria", "done " + std::to_string(t) + " reached");
    EXPECT_TRUE(handled.reply.buttons.empty());
}

}  // namespace
}  // namespace fu::test

namespace fu::test {
namespace {

TEST(SopCommands, CloseCancelsTheOpenFollowupsAndStopsTheCadence) {
    World w;
    w.say("maria", "customer add Acme tier=B stage=active");
    const auto reply = w.say("maria", "close Acme lost chose a competitor");
    EXPECT_THAT(reply, HasSubstr("closed as lost"));
    EXPECT_THAT(reply, HasSubstr("1 open cancelled"));
    std::vector<Task> open;
    w.store->transact([&](Repo& r) { open = r.open_tasks_for_customer(CustomerId{1}); });
    EXPECT_TRUE(open.empty());
    EXPECT_THAT(w.say("maria", "close Acme won"), HasSubstr("already closed"));
    // The usage names the outcomes, in Maria's language whatever the command word's.
    EXPECT_THAT(w.say("maria", "结案 Acme"), HasSubstr("won or lost"));
}

TEST(SopCommands, DigestListsTodayAndManagersGetTheWeeklyReport) {
    World w;
    w.say("maria", "customer add Acme");
    w.say("maria", "followup Acme in 1h call");
    const auto rep = w.say("maria", "digest");
    EXPECT_THAT(rep, HasSubstr("Digest for Maria"));
    EXPECT_THAT(rep, HasSubstr("Acme"));
    EXPECT_THAT(rep, Not(HasSubstr("Weekly report")));
    EXPECT_THAT(w.say("li", "digest"), HasSubstr("Weekly report — East Sales"));
    EXPECT_THAT(w.say("wang", "日报"), HasSubstr("的日报"));
}

TEST(SopCommands, AManagerReleasingARepsCustomerTellsTheRep) {
    World w;
    w.say("wang", "新客户 华为");
    EXPECT_THAT(w.say("li", "release 华为 duplicate"), HasSubstr("back in the public pool"));
    const auto msgs = w.messages(w.wang);
    ASSERT_FALSE(msgs.empty());
    EXPECT_THAT(msgs.back().text, HasSubstr("释放到了公海"));
    EXPECT_THAT(w.say("wang", "pool"), HasSubstr("华为"));
    EXPECT_THAT(w.say("olaf", "claim 华为"), HasSubstr("No customer"));  // another team's pool
}

}  // namespace
}  // namespace fu::test
