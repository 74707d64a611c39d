// Admins' commands: link and unlink chat accounts, the delivery status.
#include <gmock/gmock.h>

#include "fixture.hpp"

namespace fu::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

struct AdminWorld : World {
    AdminWorld() {
        store->transact([&](Repo& r) {
            User u;
            u.handle = "ada";
            u.display_name = "Ada";
            u.role = Role::admin;
            u.lang = Lang::en;
            ada = r.add_user(u);
        });
    }

    std::optional<Identity> identity(const std::string& platform, const std::string& id) {
        std::optional<Identity> out;
        store->transact([&](Repo& r) { out = r.identity(platform, id); });
        return out;
    }

    User user(UserId id) {
        std::optional<User> out;
        store->transact([&](Repo& r) { out = r.user(id); });
        return *out;
    }

    AuditEntry last_audit() {
        std::vector<AuditEntry> out;
        store->transact([&](Repo& r) { out = r.audit_tail(1); });
        EXPECT_EQ(out.size(), 1u);
        return out.empty() ? AuditEntry{} : out[0];
    }

    std::vector<Delivery> pending(const std::string& platform) {
        std::vector<Delivery> out;
        store->transact([&](Repo& r) { out = r.deliveries_due(platform, clock.now(), 100); });
        return out;
    }

    // Maria gets a reminder now (a task due in 10 minutes, and the clock moved on).
    void remind_maria() {
        say("maria", "customer add Acme");
        say("maria", "followup Acme in 10m call");
        clock.advance(10min);
        bot->fire_due_reminders();
    }

    UserId ada;
};

TEST(Admin, LinksAnAccountToAUserAndAuditsIt) {
    AdminWorld w;
    const auto reply = w.say("ada", "link telegram 555 maria");
    EXPECT_THAT(reply, HasSubstr("Telegram account 555 is now linked to Maria"));
    EXPECT_THAT(reply, HasSubstr("Maria's reminders still go to web chat; add 'notify'"));
    const auto who = w.identity("telegram", "555");
    ASSERT_TRUE(who);
    EXPECT_EQ(who->user, w.maria);
    EXPECT_EQ(w.user(w.maria).notify_platform, "web");
    const auto a = w.last_audit();
    EXPECT_EQ(a.action, "identity.link");
    EXPECT_EQ(a.subject, "identity:telegram:555");
    EXPECT_EQ(a.actor, w.ada);
    EXPECT_EQ(a.detail, "user:" + std::to_string(w.maria.value));
    // Linking again changes nothing and says so.
    EXPECT_THAT(w.say("ada", "link telegram 555 @Maria"), HasSubstr("already linked to Maria"));
    EXPECT_EQ(w.last_audit().id, a.id);
    // A Chinese platform name, in Chinese.
    w.say("ada", "lang zh");  // replies are in the user's language, not the command word's
    EXPECT_THAT(w.say("ada", "关联 飞书 ou_7d8a6e wang"), HasSubstr("飞书 账号 ou_7d8a6e 已关联到 Wang Wei"));
    EXPECT_EQ(w.identity("feishu", "ou_7d8a6e")->user, w.wang);
}

TEST(Admin, OthersArePolitelyRefusedAndNothingChanges) {
    AdminWorld w;
    for (const char* who : {"li", "maria"}) {
        EXPECT_THAT(w.say(who, "link telegram 555 maria notify"), HasSubstr("Sorry, only an admin can do that"));
        EXPECT_THAT(w.say(who, "unlink telegram 555"), HasSubstr("only an admin"));
        EXPECT_THAT(w.say(who, "status"), HasSubstr("only an admin"));
    }
    EXPECT_THAT(w.say("wang", "关联 telegram 555 wang"), HasSubstr("抱歉，只有管理员可以使用这个命令"));
    EXPECT_THAT(w.say("wang", "状态"), HasSubstr("只有管理员"));
    EXPECT_FALSE(w.identity("telegram", "555"));
    EXPECT_EQ(w.user(w.maria).notify_platform, "web");
}

TEST(Admin, AnUnknownUserIsNamed) {
    AdminWorld w;
    EXPECT_THAT(w.say("ada", "link telegram 555 nobody"), HasSubstr("There is no user 'nobody'"));
    EXPECT_FALSE(w.identity("telegram", "555"));
}

TEST(Admin, RelinkingMovesTheAccountAndSaysFromWhom) {
    AdminWorld w;
    w.say("ada", "link telegram 555 wang notify");
    EXPECT_EQ(w.user(w.wang).notify_platform, "telegram");
    const auto reply = w.say("ada", "link telegram 555 maria");
    EXPECT_THAT(reply, HasSubstr("was linked to Wang Wei; it is now linked to Maria"));
    // Wang's reminders were going to that account.
    EXPECT_THAT(reply, HasSubstr("Wang Wei has no Telegram account linked now"));
    EXPECT_EQ(w.identity("telegram", "555")->user, w.maria);
    std::vector<Identity> wangs;
    w.store->transact([&](Repo& r) { wangs = r.identities_of(w.wang); });
    EXPECT_TRUE(wangs.empty());
    EXPECT_EQ(w.last_audit().detail, "user:" + std::to_string(w.wang.value) + "->" + std::to_string(w.maria.value));
}

TEST(Admin, NotifySendsTheUsersRemindersToThatPlatform) {
    AdminWorld w;
    const auto reply = w.say("ada", "link feishu ou_7d8a6e maria notify");
    EXPECT_THAT(reply, HasSubstr("Maria's reminders now go to Feishu"));
    EXPECT_EQ(w.user(w.maria).notify_platform, "feishu");
    EXPECT_THAT(w.last_audit().detail, HasSubstr("notify:feishu"));
    w.remind_maria();
    const auto d = w.pending("feishu");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].recipient, "ou_7d8a6e");
    std::optional<OutboxMessage> m;
    w.store->transact([&](Repo& r) { m = r.message(d[0].message); });
    EXPECT_EQ(m->kind, MessageKind::reminder);
    EXPECT_THAT(m->text, HasSubstr("Acme"));
    EXPECT_TRUE(w.pending("telegram").empty());
    // In Chinese, with the other name for WeCom.
    w.say("ada", "lang zh");  // replies are in the user's language, not the command word's
    EXPECT_THAT(w.say("ada", "关联 企微 ZhangSan wang 提醒"), HasSubstr("Wang Wei 的提醒今后发到企业微信"));
    EXPECT_EQ(w.user(w.wang).notify_platform, "wecom");
}

TEST(Admin, UnlinkRemovesTheAccount) {
    AdminWorld w;
    w.say("ada", "link telegram 555 maria notify");
    const auto reply = w.say("ada", "unlink telegram 555");
    EXPECT_THAT(reply, HasSubstr("Telegram account 555 is no longer linked to Maria"));
    EXPECT_THAT(reply, HasSubstr("Maria has no Telegram account linked now"));
    EXPECT_FALSE(w.identity("telegram", "555"));
    const auto a = w.last_audit();
    EXPECT_EQ(a.action, "identity.unlink");
    EXPECT_EQ(a.subject, "identity:telegram:555");
    EXPECT_EQ(a.detail, "user:" + std::to_string(w.maria.value));
    EXPECT_THAT(w.say("ada", "unlink telegram 555"), HasSubstr("Telegram account 555 is not linked to anyone"));
    EXPECT_EQ(w.last_audit().id, a.id);
    // No account: the reminder stays in the web chat.
    w.remind_maria();
    EXPECT_TRUE(w.pending("telegram").empty());
    EXPECT_EQ(w.messages(w.maria).size(), 1u);
    w.say("ada", "lang zh");  // replies are in the user's language, not the command word's
    w.say("ada", "关联 钉钉 0231 li");
    EXPECT_THAT(w.say("ada", "取消关联 钉钉 0231"), HasSubstr("已取消 钉钉 账号 0231 与 Li Na 的关联"));
    EXPECT_FALSE(w.identity("dingtalk", "0231"));
}

TEST(Admin, StatusSaysAllClearWhenNothingIsStuck) {
    AdminWorld w;
    const auto reply = w.say("ada", "status");
    EXPECT_THAT(reply, HasSubstr("Users 5 (admins 1 · managers 1 · reps 3) · teams 2 · customers 0"));
    EXPECT_THAT(reply, HasSubstr("Reminders go to: web chat 5"));
    EXPECT_THAT(reply, HasSubstr("No reminders scheduled"));
    EXPECT_THAT(reply, HasSubstr("No deliveries pending"));
    EXPECT_THAT(reply, HasSubstr("All clear"));
    w.say("ada", "lang zh");  // replies are in the user's language, not the command word's
    EXPECT_THAT(w.say("ada", "状态"), HasSubstr("一切正常"));
}

TEST(Admin, StatusListsADeliveryStuckForMoreThan15MinutesWithItsError) {
    AdminWorld w;
    w.say("ada", "link telegram 555 maria notify");
    w.remind_maria();
    auto d = w.pending("telegram");
    ASSERT_EQ(d.size(), 1u);
    d[0].attempts = 3;
    d[0].last_error = "HTTP 502 Bad Gateway";
    d[0].next_attempt = w.clock.now() + 1h;
    w.store->transact([&](Repo& r) { r.update_delivery(d[0]); });

    // Ten minutes old: pending, not yet stuck.
    w.clock.advance(10min);
    auto reply = w.say("ada", "status");
    EXPECT_THAT(reply, HasSubstr("Telegram: 1 pending, oldest 10m"));
    EXPECT_THAT(reply, HasSubstr("All clear"));

    w.clock.advance(10min);
    reply = w.say("ada", "status");
    EXPECT_THAT(reply, HasSubstr("customers 1"));
    EXPECT_THAT(reply, HasSubstr("Reminders go to: Telegram 1 · web chat 4"));
    EXPECT_THAT(reply, HasSubstr("Telegram: 1 pending, oldest 20m"));
    EXPECT_THAT(reply, HasSubstr("Undelivered after 15 minutes (1):"));
    EXPECT_THAT(reply,
                HasSubstr("Telegram · Maria · reminder · 20m · 3 attempt(s) · last error: HTTP 502 Bad Gateway"));
    EXPECT_THAT(reply, Not(HasSubstr("All clear")));
    w.say("ada", "lang zh");  // replies are in the user's language, not the command word's
    const auto zh = w.say("ada", "状态");
    EXPECT_THAT(zh, HasSubstr("超过15分钟仍未送达（1）"));
    EXPECT_THAT(zh, HasSubstr("Telegram · Maria · 提醒 · 20分钟 · 已尝试 3 次 · 最近错误：HTTP 502 Bad Gateway"));

    // Once sent, all clear again.
    d[0].status = DeliveryStatus::sent;
    d[0].sent_at = w.clock.now();
    w.store->transact([&](Repo& r) { r.update_delivery(d[0]); });
    w.say("ada", "lang en");
    reply = w.say("ada", "status");
    EXPECT_THAT(reply, HasSubstr("No deliveries pending"));
    EXPECT_THAT(reply, HasSubstr("All clear"));
}

}  // namespace
}  // namespace fu::test
