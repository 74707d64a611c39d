// Messages from chat platforms: identity, deduplication, replies as deliveries.
#include <gmock/gmock.h>

#include "fixture.hpp"

namespace fu::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

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
        return bot->handle_platform(PlatformMessage{"telegram", event, from, from, true, text, message_ref});
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

TEST(Platform, ARetriedEventIsProcessedOnce) {
    PlatformWorld w;
    w.send("u1", "customer add Acme");
    const auto again = w.send("u1", "customer add Acme");
    EXPECT_TRUE(again.duplicate);
    EXPECT_EQ(w.due().size(), 1u);
    EXPECT_THAT(w.say("maria", "customers"), HasSubstr("Acme"));
}

TEST(Platform, UnlinkedSenderIsToldTheyAreNotRegisteredAndNothingChanges) {
    PlatformWorld w;
    const auto r = w.send("u1", "customer add Sneaky", "999");
    ASSERT_TRUE(r.stranger_reply);
    EXPECT_THAT(*r.stranger_reply, HasSubstr("not registered"));
    EXPECT_THAT(*r.stranger_reply, HasSubstr("telegram:999"));
    EXPECT_TRUE(w.due().empty());
    EXPECT_THAT(w.say("li", "customers"), ::testing::Not(HasSubstr("Sneaky")));
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

TEST(Platform, TheDirectChatIsRememberedForLaterReminders) {
    PlatformWorld w;
    w.bot->handle_platform(PlatformMessage{"telegram", "u1", "555", "chat-9", true, "today", ""});
    std::optional<Identity> who;
    w.store->transact([&](Repo& r) { who = r.identity("telegram", "555"); });
    EXPECT_EQ(who->chat_id, "chat-9");
}

}  // namespace
}  // namespace fu::test
