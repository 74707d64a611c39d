// Messages from chat platforms: identity, deduplication, replies as deliveries.
#include <gmock/gmock.h>

#include "fixture.hpp"

namespace fu::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

struct PlatformWorld : World {
    PlatformWorld() {
        store->transact([&](Repo& r) {
            r.link_identity(Identity{"telegram", "555", maria, ""});
            auto m = *r.user(maria);
            m.notify_platform = "telegram";
            r.update_user(m);
        });
    }

    PlatformResult send(const std::string& event, const std::string& text, const std::string& from = "555",
                        const std::string& message_ref = "") {
        return bot->handle_platform(
            Inbound{"telegram", event, from, from, true, text, !message_ref.empty(), message_ref});
    }

    std::vector<Delivery> due() {
        std::vector<Delivery> out;
        store->transact([&](Repo& r) { out = r.deliveries_due("telegram", clock.now(), 100); });
        return out;
    }

    std::string text_of(const Delivery& d) {
        std::string t;
        store->transact([&](Repo& r) { t = r.message(d.message)->text; });
        return t;
    }
};

TEST(Platform, ReplyBecomesADeliveryToTheSameChat) {
    PlatformWorld w;
    const auto r = w.send("u1", "today");
    EXPECT_FALSE(r.duplicate);
    EXPECT_FALSE(r.stranger_reply);
    const auto d = w.due();
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].recipient, "555");
    EXPECT_EQ(d[0].chat_id, "555");
    EXPECT_THAT(w.text_of(d[0]), HasSubstr("Nothing due today"));
}

// The scheduler is re-armed after a command only when it wrote a follow-up:
// a list (today), a refusal or a customer with no next step leave it be.
TEST(Platform, OnlyACommandThatWroteAFollowupAsksForARearm) {
    PlatformWorld w;
    EXPECT_FALSE(w.send("s1", "today").schedule);
    EXPECT_FALSE(w.send("s2", "snooze 999 2h").schedule);            // no such follow-up: refused
    EXPECT_TRUE(w.send("s3", "customer add Acme tier=B").schedule);  // its first follow-up
    EXPECT_FALSE(w.send("s4", "customers").schedule);
    EXPECT_TRUE(w.send("s5", "followup Acme in 2h call").schedule);
    EXPECT_FALSE(w.send("s5", "followup Acme in 3h call").schedule);  // a retry: nothing ran
    // The web chat and the buttons of the reps' page say the same.
    EXPECT_FALSE(w.bot->handle("maria", "history Acme").schedule);
    EXPECT_TRUE(w.bot->handle("maria", "followup Acme tomorrow 10am call").schedule);
}

TEST(Platform, ARetriedEventIsProcessedOnce) {
    PlatformWorld w;
    w.send("u1", "customer add Acme");
    const auto again = w.send("u1", "customer add Acme");
    EXPECT_TRUE(again.duplicate);
    EXPECT_EQ(w.due().size(), 1u);
    EXPECT_THAT(w.say("maria", "customers"), HasSubstr("Acme"));
}

// A sender who is not registered gets their reply through the outbox, like
// anyone (paced, retried, recorded): a delivery to their chat of a message
// with no user. Nothing else changes.
TEST(Platform, UnlinkedSenderIsToldTheyAreNotRegisteredThroughTheOutboxAndNothingChanges) {
    PlatformWorld w;
    const auto r = w.send("u1", "customer add Sneaky", "999");
    EXPECT_FALSE(r.stranger_reply);
    EXPECT_EQ(r.platforms, std::vector<std::string>{"telegram"});  // its sender is woken
    EXPECT_TRUE(r.notified.empty());
    const auto d = w.due();
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].recipient, "999");
    EXPECT_EQ(d[0].chat_id, "999");
    EXPECT_THAT(w.text_of(d[0]), HasSubstr("not registered"));
    EXPECT_THAT(w.text_of(d[0]), HasSubstr("telegram:999"));
    std::optional<OutboxMessage> m;
    w.store->transact([&](Repo& repo) { m = repo.message(d[0].message); });
    ASSERT_TRUE(m);
    EXPECT_EQ(m->to, UserId{0});
    EXPECT_EQ(m->kind, MessageKind::reply);
    EXPECT_THAT(w.say("li", "customers"), ::testing::Not(HasSubstr("Sneaky")));
    EXPECT_TRUE(w.send("u1", "today", "999").duplicate);  // a retry of it: no second reply
    EXPECT_EQ(w.due().size(), 1u);
}

// Where the platform's adapter answers in its response (a Slack slash
// command, WeCom's passive reply), the bot hands it the text instead.
TEST(Platform, AStrangerAnsweredInlineGetsTheTextAndNothingIsQueued) {
    PlatformWorld w;
    Inbound in{"telegram", "u2", "999", "999", true, "today", false, ""};
    in.answered_inline = true;
    const auto r = w.bot->handle_platform(in);
    ASSERT_TRUE(r.stranger_reply);
    EXPECT_THAT(*r.stranger_reply, HasSubstr("not registered"));
    EXPECT_TRUE(w.due().empty());
}

// Counts transactions, to show how many a message took.
class CountingStore final : public Store {
public:
    explicit CountingStore(Store& inner) : inner_(inner) {}
    void transact(const std::function<void(Repo&)>& fn) override {
        ++transactions;
        inner_.transact(fn);
    }
    void group(const std::function<void()>& body) override { inner_.group(body); }
    int schema_version() override { return inner_.schema_version(); }
    int transactions = 0;

private:
    Store& inner_;
};

TEST(Platform, ARefusalBeforeAnyWriteIsAnsweredInTheMessagesOwnTransaction) {
    PlatformWorld w;
    CountingStore counting(*w.store);
    Bot bot(counting, w.clock, World::quiet());
    bot.handle_platform(Inbound{"telegram", "u1", "555", "555", true, "snooze 999 2h", false, ""});
    EXPECT_EQ(counting.transactions, 1) << "the refusal was recorded in a second transaction";
    const auto d = w.due();
    ASSERT_EQ(d.size(), 1u);
    EXPECT_THAT(w.text_of(d[0]), HasSubstr("#999"));
    EXPECT_TRUE(
        bot.handle_platform(Inbound{"telegram", "u1", "555", "555", true, "snooze 999 2h", false, ""}).duplicate);
}

TEST(Platform, AMistakeIsStillAnsweredAndRecordedOnce) {
    PlatformWorld w;
    w.send("u1", "snooze 999 2h");  // no such task: rolled back, explained
    const auto d = w.due();
    ASSERT_EQ(d.size(), 1u);
    EXPECT_THAT(w.text_of(d[0]), HasSubstr("#999"));
    EXPECT_TRUE(w.send("u1", "snooze 999 2h").duplicate);
}

TEST(Platform, RemindersGoToThePreferredPlatform) {
    PlatformWorld w;
    w.say("maria", "customer add Acme");
    const auto id = World::task_id_in(w.say("maria", "followup Acme in 10m call"));
    w.clock.advance(10min);
    w.bot->fire_due_reminders();
    const auto d = w.due();
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].recipient, "555");
    EXPECT_THAT(w.text_of(d[0]), HasSubstr("Acme"));
    std::optional<OutboxMessage> m;
    w.store->transact([&](Repo& r) { m = r.message(d[0].message); });
    EXPECT_EQ(m->buttons.at(0).command, "done " + std::to_string(id));
    // Users who chose the web chat get no delivery.
    w.say("wang", "新客户 华为");
    w.say("wang", "跟进 华为 10分钟后");
    w.clock.advance(10min);
    w.bot->fire_due_reminders();
    EXPECT_EQ(w.due().size(), 1u);
}

TEST(Platform, AButtonPressEditsTheMessageItCameFromAndSaysWho) {
    PlatformWorld w;
    w.say("maria", "customer add Acme");
    const auto id = World::task_id_in(w.say("maria", "followup Acme in 10m call"));
    w.send("cb1", "done " + std::to_string(id), "555", "4242");
    const auto d = w.due();
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].replace_ref, "4242");
    EXPECT_THAT(w.text_of(d[0]), HasSubstr("done"));
    EXPECT_THAT(w.text_of(d[0]), HasSubstr("— Maria"));
    EXPECT_EQ(w.task(id)->status, TaskStatus::done);
}

// The server wakes only the senders of these platforms after a command.
TEST(Platform, ResultsNameThePlatformsThatGotDeliveriesAndNoOther) {
    PlatformWorld w;
    const auto r = w.send("u1", "today");
    EXPECT_EQ(r.platforms, std::vector<std::string>{"telegram"});  // the reply
    const auto again = w.send("u1", "today");
    EXPECT_TRUE(again.duplicate);
    EXPECT_TRUE(again.platforms.empty());
    // A web user's command delivers nothing to a platform...
    EXPECT_TRUE(w.bot->handle("olaf", "today").platforms.empty());
    // ...and a command that fails is still a reply on the platform it came from.
    EXPECT_EQ(w.send("u2", "done 999999").platforms, std::vector<std::string>{"telegram"});
}

TEST(Platform, TheDirectChatIsRememberedForLaterReminders) {
    PlatformWorld w;
    w.bot->handle_platform(Inbound{"telegram", "u1", "555", "chat-9", true, "today", false, ""});
    std::optional<Identity> who;
    w.store->transact([&](Repo& r) { who = r.identity("telegram", "555"); });
    EXPECT_EQ(who->chat_id, "chat-9");
}

// Contacts are personal data: a reply to a group chat is read by everyone in
// it, so it masks them even for someone who may see them; a direct chat does not.
TEST(Platform, ContactsAreMaskedInGroupChatsAndShownInDirectOnes) {
    PlatformWorld w;
    w.send("u1", "customer add Acme phone=13800138000 email=anna@acme.com im=acme_wx");
    auto ask = [&](const std::string& event, const std::string& text, bool direct) {
        const auto before = w.due().size();
        w.bot->handle_platform(Inbound{"telegram", event, "555", direct ? "555" : "-100200", direct, text, false, ""});
        const auto d = w.due();
        EXPECT_EQ(d.size(), before + 1);
        return w.text_of(d.back());
    };
    for (const char* cmd : {"who Acme", "history Acme"}) {
        const auto group = ask(std::string("g-") + cmd, cmd, false);
        EXPECT_THAT(group, Not(HasSubstr("13800138000"))) << group;
        EXPECT_THAT(group, Not(HasSubstr("anna@acme.com"))) << group;
        EXPECT_THAT(group, Not(HasSubstr("acme_wx"))) << group;
        EXPECT_THAT(group, HasSubstr("138****8000"));
        EXPECT_THAT(group, HasSubstr("a***@acme.com"));
        EXPECT_THAT(group, HasSubstr("Contacts are masked in a group chat: ask me in a direct chat to see them."));
        const auto direct = ask(std::string("d-") + cmd, cmd, true);
        EXPECT_THAT(direct, HasSubstr("13800138000")) << direct;
        EXPECT_THAT(direct, HasSubstr("anna@acme.com"));
        EXPECT_THAT(direct, Not(HasSubstr("masked")));
    }
    // The web chat and the terminal are direct.
    EXPECT_THAT(w.say("maria", "who Acme"), HasSubstr("13800138000"));
    // In Chinese too (replies are in the user's language, not the command word's).
    w.say("maria", "lang zh");
    EXPECT_THAT(ask("g-zh", "谁负责 Acme", false), HasSubstr("群聊中不显示完整联系方式：请私聊我查看。"));
}

}  // namespace
}  // namespace fu::test
