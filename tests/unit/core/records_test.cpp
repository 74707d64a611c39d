// What the records say about people and customers: who a command names, the
// next follow-up shown, pool claims, complaint timeliness, linked accounts,
// duplicate follow-ups, a button pressed in a direct chat, the holiday
// calendar's end.
#include <date/date.h>
#include <gmock/gmock.h>

#include "core/work_calendar.hpp"
#include "fixture.hpp"

namespace fu::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

std::string id(std::int64_t n) { return std::to_string(n); }

// ---- one resolver for every command that names a person -------------------------------

struct NamesWorld : World {
    NamesWorld() {
        store->transact([&](Repo& r) {
            zhao = add(r, "zhao", "赵敏 Zhao Min", Role::rep, team, Lang::zh);
            wangf = add(r, "wangf", "Wang Fang", Role::rep, team, Lang::en);
            User admin;
            admin.handle = "ada";
            admin.display_name = "Ada";
            admin.role = Role::admin;
            admin.lang = Lang::en;
            admin.time_zone = "Asia/Shanghai";
            r.add_user(admin);
        });
        say("maria", "customer add Acme");
    }
    UserId zhao, wangf;
};

TEST(People, AssignAcceptsAHandleADisplayNameOrAUniquePartOfOne) {
    NamesWorld w;
    EXPECT_THAT(w.say("li", "assign Acme 赵敏"), HasSubstr("now belongs to 赵敏 Zhao Min"));    // a part of a name
    EXPECT_THAT(w.say("li", "assign Acme to Wang Wei"), HasSubstr("now belongs to Wang Wei"));  // a whole name
    EXPECT_THAT(w.say("li", "assign Acme @maria"), HasSubstr("now belongs to Maria"));          // a handle
    EXPECT_THAT(w.say("li", "assign Acme to Wang Fang"), HasSubstr("now belongs to Wang Fang"));
    // "wang" is a handle, and a part of two names: the handle wins.
    EXPECT_THAT(w.say("li", "assign Acme Wang"), HasSubstr("now belongs to Wang Wei"));
    // Ambiguous: the candidates, each with the handle to use.
    w.say("li", "lang zh");  // replies are in the user's language, not the command word's
    EXPECT_THAT(w.say("li", "转给 Acme an"), HasSubstr("有多人匹配「an」，请用账号："));
    w.say("li", "lang en");
    const auto two = w.say("li", "assign Acme to an");
    EXPECT_THAT(two, HasSubstr("Several people match 'an'; use the handle:"));
    EXPECT_THAT(two, HasSubstr("Wang Wei @wang"));
    EXPECT_THAT(two, HasSubstr("Wang Fang @wangf"));
    EXPECT_THAT(w.say("li", "assign Acme olaf"), HasSubstr("No rep 'olaf' in your team"));
}

TEST(People, EveryCommandThatNamesAPersonUsesTheSameRule) {
    NamesWorld w;
    // customer add owner=
    EXPECT_THAT(w.say("li", "customer add Beta owner=赵敏"), HasSubstr("owner 赵敏 Zhao Min"));
    w.say("li", "lang zh");  // replies are in the user's language, not the command word's
    EXPECT_THAT(w.say("li", "新客户 Gamma 负责人=an"), HasSubstr("有多人匹配「an」，请用账号："));
    w.say("li", "lang en");
    EXPECT_THAT(w.say("maria", "customer add Delta owner=Maria"), HasSubstr("owner Maria"));
    EXPECT_THAT(w.say("maria", "customer add Epsilon owner=赵敏"),
                HasSubstr("Only a manager can give a customer to 赵敏"));
    // overdue
    EXPECT_THAT(w.say("li", "overdue Zhao"), HasSubstr("赵敏 Zhao Min has nothing overdue"));
    EXPECT_THAT(w.say("li", "overdue wan"), HasSubstr("Several people match 'wan'"));
    // handover, by name
    EXPECT_THAT(w.say("li", "handover Maria 赵敏"), HasSubstr("from Maria to 赵敏 Zhao Min"));
    w.say("li", "lang zh");  // replies are in the user's language, not the command word's
    EXPECT_THAT(w.say("li", "交接 玛丽 赵敏"), HasSubstr("你的团队里没有「玛丽」"));
    w.say("li", "lang en");
    // link and audit (admin): any user, by name
    EXPECT_THAT(w.say("ada", "link telegram 777 赵敏"), HasSubstr("now linked to 赵敏 Zhao Min"));
    EXPECT_THAT(w.say("ada", "link telegram 778 an"), HasSubstr("Several people match 'an'"));
    EXPECT_THAT(w.say("ada", "audit 3 @Zhao"), HasSubstr("赵敏 Zhao Min @zhao"));
    EXPECT_THAT(w.say("ada", "audit @nobody"), HasSubstr("There is no user 'nobody'"));
}

// ---- the next follow-up as every view shows it ----------------------------------------

TEST(NextFollowup, DoneWithNextIsShownByHistoryCustomersAndWho) {
    World w;
    w.say("maria", "customer add Acme tier=A stage=active");
    const auto t = World::task_id_in(w.say("maria", "followup Acme in 1h call"));
    const auto reply = w.say("maria", "done " + id(t) + " reached next 2026-12-01 10:00");
    ASSERT_THAT(reply, HasSubstr("Next follow-up"));
    EXPECT_THAT(w.say("maria", "who Acme"), HasSubstr("12-01"));
    EXPECT_THAT(w.say("maria", "history Acme"), Not(HasSubstr("no next follow-up")));
    EXPECT_THAT(w.say("maria", "history Acme"), HasSubstr("next Tue 12-01 10:00"));
    EXPECT_THAT(w.say("maria", "customers"), HasSubstr("next Tue 12-01 10:00"));
    EXPECT_THAT(w.say("maria", "customers"), Not(HasSubstr("no next follow-up")));
}

TEST(NextFollowup, ClosedCustomersAreShownClosedNotWarnedAbout) {
    World w;
    w.say("maria", "customer add Acme");
    w.say("wang", "新客户 华为");
    w.clock.advance(1h);
    EXPECT_THAT(w.say("maria", "close Acme won signed"), HasSubstr("closed as won"));
    EXPECT_THAT(w.say("wang", "结案 华为 丢单 选了别家"), HasSubstr("已结案"));
    const auto list = w.say("maria", "customers");
    EXPECT_THAT(list, HasSubstr("Acme"));
    EXPECT_THAT(list, Not(HasSubstr("no next follow-up")));
    EXPECT_THAT(list, HasSubstr("closed"));
    EXPECT_THAT(w.say("wang", "历史 华为"), Not(HasSubstr("无下次跟进")));
    EXPECT_THAT(w.say("wang", "历史 华为"), HasSubstr("已结案"));
    // Closing is a contact: it is the last one.
    EXPECT_THAT(w.say("maria", "history Acme"), HasSubstr("Last contact: Mon 11-23 11:00"));
    EXPECT_THAT(w.say("wang", "历史 华为"), HasSubstr("最近联系：11月23日 周一 11:00"));
}

// ---- adding a customer is not a claim -------------------------------------------------

TEST(Pool, AddingCustomersDoesNotUseUpTheDailyClaimQuota) {
    BotOptions o = World::quiet();
    o.sop.claim_daily_quota = 1;
    World w(":memory:", o);
    w.say("wang", "customer add Pooled");
    w.say("wang", "release c1");
    w.say("maria", "customer add Mine One");
    w.say("maria", "customer add Mine Two");
    EXPECT_THAT(w.say("maria", "pool"), HasSubstr("claims left today: 1 of 1"));
    EXPECT_THAT(w.say("maria", "claim c1"), HasSubstr("is yours now"));
    EXPECT_THAT(w.say("maria", "公海"), Not(HasSubstr("领取 c")));
}

// ---- assigning from the pool: a first response, worded as such ------------------------

TEST(Pool, AssigningALeadFromThePoolGivesTheFirstResponseFollowupLikeAClaim) {
    World w;
    w.say("wang", "customer add Lead One stage=lead");
    w.say("wang", "release c1");
    w.say("wang", "customer add Lead Two stage=lead");
    w.say("wang", "release c2");
    const auto assigned = w.say("li", "assign c1 maria");
    EXPECT_THAT(assigned, HasSubstr("now belongs to Maria (from the public pool)."));
    EXPECT_THAT(assigned, Not(HasSubstr("moved")));
    EXPECT_THAT(assigned, HasSubstr("first response within 2 working hours"));
    const auto task = World::task_id_in(assigned.substr(assigned.find("Next follow-up")));
    EXPECT_EQ(w.task(task)->due, w.clock.now() + 2h);
    // the new owner hears the same
    EXPECT_THAT(w.messages(w.maria).back().text, HasSubstr("first follow-up #" + id(task)));
    EXPECT_THAT(w.messages(w.maria).back().text, Not(HasSubstr("open follow-up(s)")));
    // a claim gives the same first response
    const auto claimed = w.say("maria", "claim c2");
    EXPECT_THAT(claimed, HasSubstr("first response within 2 working hours"));
    // and in Chinese
    w.say("maria", "customer add Lead Three stage=lead");
    w.say("maria", "release c3");
    w.say("li", "lang zh");  // replies are in the user's language, not the command word's
    const auto zh = w.say("li", "转给 c3 wang");
    EXPECT_THAT(zh, HasSubstr("已转给 Wang Wei（来自公海）。"));
    EXPECT_THAT(zh, HasSubstr("个工作小时内首次响应"));
    EXPECT_THAT(zh, Not(HasSubstr("一并转交")));
}

TEST(Pool, AssigningBetweenRepsStillSaysWhatWasMoved) {
    World w;
    w.say("maria", "customer add Acme");
    const auto reply = w.say("li", "assign Acme wang");
    EXPECT_THAT(reply, HasSubstr("(1 open follow-up(s) moved)."));
}

// ---- complaints resolved within the window are on time -------------------------------

// An active C customer: its cadence follow-up is a month away, out of the report.
TEST(Timeliness, AComplaintResolvedWithinTheWindowIsOnTime) {
    World w;
    w.say("maria", "customer add Acme stage=active");
    const auto quick = World::task_id_in(w.say("maria", "complaint Acme invoice wrong"));
    w.clock.advance(30s);
    ASSERT_THAT(w.say("maria", "done " + id(quick) + " resolved reissued"), HasSubstr("done"));
    auto report = w.say("li", "report");
    EXPECT_THAT(report, HasSubstr("on time 1 · late 0"));
    w.say("li", "lang zh");  // replies are in the user's language, not the command word's
    EXPECT_THAT(w.say("li", "报告"), HasSubstr("按时 1 · 延迟 0"));
    w.say("li", "lang en");
    // Past the window (24 hours by default) it is late.
    const auto slow = World::task_id_in(w.say("maria", "complaint Acme still wrong"));
    w.clock.advance(25h);
    w.say("maria", "done " + id(slow) + " resolved");
    EXPECT_THAT(w.say("li", "report"), HasSubstr("on time 1 · late 1"));
}

TEST(Timeliness, AnOpenComplaintIsPendingWithinTheWindowAndLateAfterIt) {
    World w;
    w.say("maria", "customer add Acme stage=active");
    w.say("maria", "complaint Acme invoice wrong");
    w.clock.advance(1h);
    EXPECT_THAT(w.say("li", "report"), HasSubstr("on time 0 · late 0 · pending 1"));
    w.clock.advance(24h);
    EXPECT_THAT(w.say("li", "report"), HasSubstr("on time 0 · late 1 · pending 0"));
}

// ---- linked accounts ------------------------------------------------------------------

struct AdminWorld : World {
    explicit AdminWorld(BotOptions o = quiet()) : World(":memory:", o) {
        store->transact([&](Repo& r) {
            User admin;
            admin.handle = "ada";
            admin.display_name = "Ada";
            admin.role = Role::admin;
            admin.lang = Lang::en;
            admin.time_zone = "Asia/Shanghai";
            r.add_user(admin);
        });
    }
};

TEST(Accounts, StatusNoLongerCountsAnUnlinkedPlatform) {
    AdminWorld w;
    w.say("ada", "link telegram 555 maria notify");
    EXPECT_THAT(w.say("ada", "status"), HasSubstr("Telegram 1"));
    w.say("ada", "unlink telegram 555");
    const auto status = w.say("ada", "status");
    EXPECT_THAT(status, Not(HasSubstr("Telegram 1")));
    EXPECT_THAT(status, HasSubstr("web chat 5"));
    EXPECT_THAT(status, HasSubstr("No account linked on their reminder platform"));
    EXPECT_THAT(status, HasSubstr("Maria (Telegram)"));
    w.say("ada", "lang zh");  // replies are in the user's language, not the command word's
    EXPECT_THAT(w.say("ada", "状态"), HasSubstr("提醒平台上没有关联账号"));
}

TEST(Accounts, IdentitiesMustHaveTheirPlatformsForm) {
    AdminWorld w;
    const auto bad = w.say("ada", "link telegram abc wang");
    EXPECT_THAT(bad, HasSubstr("'abc' is not a Telegram user id"));
    EXPECT_THAT(bad, HasSubstr("e.g. 123456789"));
    w.say("ada", "lang zh");  // replies are in the user's language, not the command word's
    EXPECT_THAT(w.say("ada", "关联 telegram abc wang"), HasSubstr("Telegram 用户ID是数字"));
    w.say("ada", "lang en");
    EXPECT_THAT(w.say("ada", "link telegram -100123 wang"), HasSubstr("is not a Telegram user id"));
    EXPECT_THAT(w.say("ada", "link slack u2cerlkja wang"), HasSubstr("Slack user ids start with U or W"));
    EXPECT_THAT(w.say("ada", "link 飞书 wang01 wang"), HasSubstr("ou_"));
    EXPECT_THAT(w.say("ada", "link wecom 张三 wang"), HasSubstr("userid"));
    // the right forms are accepted
    EXPECT_THAT(w.say("ada", "link telegram 123456789 wang"), HasSubstr("now linked to Wang Wei"));
    EXPECT_THAT(w.say("ada", "link slack U2CERLKJA wang"), HasSubstr("now linked to Wang Wei"));
    EXPECT_THAT(w.say("ada", "link feishu ou_7d8a6e wang"), HasSubstr("now linked to Wang Wei"));
    EXPECT_THAT(w.say("ada", "link dingtalk manager4521 li"), HasSubstr("now linked to Li Na"));
    EXPECT_THAT(w.say("ada", "link wecom ZhangSan maria"), HasSubstr("now linked to Maria"));
    std::optional<Identity> none;
    w.store->transact([&](Repo& r) { none = r.identity("telegram", "abc"); });
    EXPECT_FALSE(none);
}

// ---- the same follow-up twice; a follow-up on a lost customer --------------------------

TEST(Followups, TheSameFollowupTwiceIsScheduledOnce) {
    World w;
    w.say("maria", "customer add Acme");
    const auto first = w.say("maria", "followup Acme tomorrow 10am call send the quote");
    const auto t = World::task_id_in(first);
    const auto again = w.say("maria", "followup Acme tomorrow 10am call send the quote");
    EXPECT_THAT(again, HasSubstr("already exists"));
    EXPECT_THAT(again, HasSubstr("#" + id(t)));
    std::size_t open = 0;
    w.store->transact([&](Repo& r) { open = r.open_tasks_for_customer(CustomerId{1}).size(); });
    EXPECT_EQ(open, 1u);
    // another time or another topic is another follow-up
    EXPECT_THAT(w.say("maria", "followup Acme tomorrow 11am call send the quote"), HasSubstr("scheduled"));
    EXPECT_THAT(w.say("maria", "followup Acme tomorrow 10am call book the demo"), HasSubstr("scheduled"));
    w.say("wang", "新客户 华为");
    w.say("wang", "跟进 华为 明天上午10点 电话 报价");
    EXPECT_THAT(w.say("wang", "跟进 华为 明天上午10点 电话 报价"), HasSubstr("这条跟进已经存在"));
}

TEST(Followups, AFollowupOnALostCustomerSaysItReopensIt) {
    World w;
    w.say("wang", "新客户 华为 阶段=活跃");
    w.say("wang", "结案 华为 丢单");
    const auto reply = w.say("wang", "跟进 华为 明天上午10点 电话 再试一次");
    EXPECT_THAT(reply, HasSubstr("已按丢单结案"));
    EXPECT_THAT(reply, HasSubstr("重新打开（阶段：活跃客户）"));
    EXPECT_THAT(w.say("wang", "历史 华为"), HasSubstr("下次"));
    w.say("maria", "customer add Acme");
    const auto t = World::task_id_in(w.say("maria", "followup Acme in 1h call"));
    w.say("maria", "done " + id(t) + " lost");
    const auto en = w.say("maria", "followup Acme tomorrow 10am call win back");
    EXPECT_THAT(en, HasSubstr("was closed as lost; this follow-up reopens it (stage: lead)"));
    EXPECT_THAT(w.say("maria", "customers"), Not(HasSubstr("closed")));
}

TEST(Followups, TheReopeningIsInTheAuditLog) {
    AdminWorld w;
    w.say("wang", "新客户 华为 阶段=活跃");
    w.say("wang", "结案 华为 丢单");
    w.say("wang", "跟进 华为 明天上午10点 电话 再试一次");
    EXPECT_THAT(w.say("ada", "audit c1"), HasSubstr("reopened c1 华为 (was lost), stage active"));
    w.say("ada", "lang zh");  // replies are in the user's language, not the command word's
    EXPECT_THAT(w.say("ada", "审计 c1"), HasSubstr("重新打开 c1 华为（原丢单），阶段 活跃客户"));
}

// ---- a button pressed in a direct chat ------------------------------------------------

TEST(DirectChat, AFeishuCardPressedInTheDirectChatIsADirectChat) {
    World w;
    w.store->transact([&](Repo& r) { r.link_identity(Identity{"feishu", "ou_maria", w.maria, ""}); });
    w.say("maria", "customer add Acme phone=13812345678");
    // The user writes to the bot in the p2p chat: that chat is remembered.
    w.bot->handle_platform(Inbound{"feishu", "ev-1", "ou_maria", "oc_p2p", true, "today", false, ""});
    // A card callback (card.action.trigger) names the chat, not its kind: as the adapter makes it.
    auto press = [&](std::string event, std::string chat) {
        w.bot->handle_platform(Inbound{"feishu", event, "ou_maria", chat, false, "who c1", true, "om_card1"});
        std::string text;
        w.store->transact([&](Repo& r) { text = r.messages_after(w.maria, MessageId{0}, 1000).back().text; });
        return text;
    };
    const auto direct = press("ev-card-1", "oc_p2p");
    EXPECT_THAT(direct, HasSubstr("13812345678"));
    EXPECT_THAT(direct, Not(HasSubstr("group chat")));
    const auto group = press("ev-card-2", "oc_group");
    EXPECT_THAT(group, Not(HasSubstr("13812345678")));
    EXPECT_THAT(group, HasSubstr("group chat"));
}

// ---- the holiday calendar's end -------------------------------------------------------

TEST(Calendar, TheBuiltInCalendarsEndIsKnown) {
    const auto cal = HolidayCalendar::parse(builtin_holidays_cn());
    ASSERT_TRUE(cal.covered_until());
    EXPECT_EQ(date::format("%F", *cal.covered_until()), "2026-12-31");
    EXPECT_EQ(cal.covered_days(monday_10am_shanghai()), 39);  // 2026-11-23 .. 2026-12-31
    EXPECT_EQ(cal.covered_days(from_unix(1830297600)), 0);    // 2028-01-01
    EXPECT_FALSE(HolidayCalendar().covered_days(monday_10am_shanghai()));
}

TEST(Calendar, AdminStatusWarnsWhenTheCalendarEndsWithinSixtyDays) {
    BotOptions o = World::quiet();
    o.holidays = HolidayCalendar::parse(builtin_holidays_cn());
    AdminWorld w(o);
    EXPECT_THAT(w.say("ada", "status"),
                HasSubstr("⚠️ The holiday calendar ends 2026-12-31 (39 day(s) from today)"));
    w.say("ada", "lang zh");  // replies are in the user's language, not the command word's
    EXPECT_THAT(w.say("ada", "状态"), HasSubstr("⚠️ 节假日日历只到 2026-12-31（还剩 39 天）"));
    w.say("ada", "lang en");
    w.clock.set(monday_10am_shanghai() - 24h * 300);
    EXPECT_THAT(w.say("ada", "status"), HasSubstr("📅 Holiday calendar until 2026-12-31."));
}

}  // namespace
}  // namespace fu::test
