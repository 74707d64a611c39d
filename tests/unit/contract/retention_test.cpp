// RetentionStore: each prune deletes at most its limit of the oldest rows
// older than the cut-off; an outbox message still being delivered stays
// however old, and its finished deliveries and buttons go with it otherwise;
// the audit log goes only when asked, and nothing else touches it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engines.hpp"

namespace fu::contract {
namespace {

using ::testing::ElementsAre;

class Retention : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        store->transact([&](Repo& r) {
            User u;
            u.handle = "wang";
            wang = r.add_user(u);
        });
    }

    MessageId message(TimePoint created, bool with_button = false) {
        OutboxMessage m;
        m.to = wang;
        m.created_at = created;
        m.text = "reminder";
        if (with_button) m.buttons.push_back(Button{"Done", "done 1"});
        return in_tx([&](Repo& r) { return r.enqueue(m); });
    }

    DeliveryId delivery(MessageId m, DeliveryStatus status) {
        Delivery d = pending_delivery(m, "telegram", "u1", "c1", t0);
        d.status = status;
        if (status == DeliveryStatus::sent) {
            d.sent_at = t0;
            d.platform_message_id = "pm" + std::to_string(m.value);
        }
        return in_tx([&](Repo& r) { return r.add_delivery(d); });
    }

    bool message_kept(MessageId m) {
        return in_tx([&](Repo& r) { return r.message(m).has_value(); });
    }
    bool delivery_kept(DeliveryId d) {
        return in_tx([&](Repo& r) { return r.delivery(d).has_value(); });
    }
    // Still remembered: a second sighting is a repeat.
    bool remembered(const std::string& event_id) {
        return !in_tx([&](Repo& r) { return r.first_sighting("telegram", event_id, t0 + 100 * kDay); });
    }

    const TimePoint t0 = monday();
    UserId wang;
};

TEST_P(Retention, SeenEventsOlderThanTheCutOffGoRecentOnesStay) {
    store->transact([&](Repo& r) {
        r.first_sighting("telegram", "old", t0);
        r.first_sighting("slack", "old", t0 + kHour);
        r.first_sighting("telegram", "recent", t0 + 2 * kDay);
        r.first_sighting("telegram", "at-cut-off", t0 + kDay);  // not before it: stays
    });
    EXPECT_EQ(in_tx([&](Repo& r) { return r.prune_seen_events(t0 + kDay, 100); }), 2u);
    EXPECT_TRUE(remembered("recent"));
    EXPECT_TRUE(remembered("at-cut-off"));
    EXPECT_FALSE(remembered("old"));  // forgotten: seen as new
    EXPECT_TRUE(in_tx([&](Repo& r) { return r.first_sighting("slack", "old", t0 + 100 * kDay); }));
}

TEST_P(Retention, OldFinishedMessagesGoWithTheirDeliveriesPendingAndRecentOnesStay) {
    const auto sent = message(t0, true);
    const auto sent_d = delivery(sent, DeliveryStatus::sent);
    const auto failed = message(t0);
    const auto failed_d = delivery(failed, DeliveryStatus::failed);
    const auto web_only = message(t0 + kHour);  // read in the web chat: no delivery at all
    const auto on_its_way = message(t0);
    const auto on_its_way_sent = delivery(on_its_way, DeliveryStatus::sent);
    const auto on_its_way_pending = delivery(on_its_way, DeliveryStatus::pending);
    const auto recent = message(t0 + 10 * kDay, true);
    const auto recent_d = delivery(recent, DeliveryStatus::sent);

    EXPECT_EQ(in_tx([&](Repo& r) { return r.prune_outbox(t0 + kDay, 100); }), 3u);
    EXPECT_FALSE(message_kept(sent));
    EXPECT_FALSE(delivery_kept(sent_d));
    EXPECT_FALSE(in_tx([&](Repo& r) {
        return r.delivery_by_platform_message("telegram", "pm" + std::to_string(sent.value)).has_value();
    }));
    EXPECT_FALSE(message_kept(failed));
    EXPECT_FALSE(delivery_kept(failed_d));
    EXPECT_FALSE(message_kept(web_only));
    // Still on its way to one platform: the message and both its deliveries stay.
    EXPECT_TRUE(message_kept(on_its_way));
    EXPECT_TRUE(delivery_kept(on_its_way_sent));
    EXPECT_TRUE(delivery_kept(on_its_way_pending));
    EXPECT_TRUE(message_kept(recent));
    EXPECT_TRUE(delivery_kept(recent_d));
    const auto buttons = in_tx([&](Repo& r) { return r.message(recent)->buttons; });
    ASSERT_EQ(buttons.size(), 1u);
    EXPECT_EQ(buttons[0].command, "done 1");
    // The web chat's cursor: ids are never handed out again.
    const auto next = message(t0 + 11 * kDay);
    EXPECT_GT(next.value, recent.value);

    // Delivered at last: the next pass takes it.
    store->transact([&](Repo& r) {
        auto d = *r.delivery(on_its_way_pending);
        d.status = DeliveryStatus::sent;
        r.update_delivery(d);
    });
    EXPECT_EQ(in_tx([&](Repo& r) { return r.prune_outbox(t0 + kDay, 100); }), 1u);
    EXPECT_FALSE(message_kept(on_its_way));
    EXPECT_FALSE(delivery_kept(on_its_way_sent));
    EXPECT_EQ(in_tx([&](Repo& r) { return r.prune_outbox(t0 + kDay, 100); }), 0u);
}

TEST_P(Retention, ABatchDeletesAtMostItsLimitOldestFirst) {
    for (int i = 0; i < 5; ++i) message(t0 + i * kHour);
    EXPECT_EQ(in_tx([&](Repo& r) { return r.prune_outbox(t0 + kDay, 0); }), 0u);
    std::vector<std::size_t> batches;
    for (int i = 0; i < 4; ++i) batches.push_back(in_tx([&](Repo& r) { return r.prune_outbox(t0 + kDay, 2); }));
    EXPECT_THAT(batches, ElementsAre(2u, 2u, 1u, 0u));

    // After one batch of two, the two oldest are gone.
    for (int i = 0; i < 5; ++i)
        in_tx([&](Repo& r) { return r.first_sighting("telegram", std::to_string(i), t0 + i * kHour); });
    EXPECT_EQ(in_tx([&](Repo& r) { return r.prune_seen_events(t0 + kDay, 2); }), 2u);
    EXPECT_TRUE(remembered("4"));
    EXPECT_TRUE(remembered("3"));
    EXPECT_TRUE(remembered("2"));
    EXPECT_FALSE(remembered("1"));
    EXPECT_FALSE(remembered("0"));
}

TEST_P(Retention, AgeNotIdDecidesWhichMessagesGoFirst) {
    std::vector<MessageId> ids;
    for (int i = 4; i >= 0; --i) ids.push_back(message(t0 + i * kHour));  // ids[4], the newest id, is the oldest
    EXPECT_EQ(in_tx([&](Repo& r) { return r.prune_outbox(t0 + kDay, 2); }), 2u);
    EXPECT_TRUE(message_kept(ids[0]));
    EXPECT_TRUE(message_kept(ids[1]));
    EXPECT_TRUE(message_kept(ids[2]));
    EXPECT_FALSE(message_kept(ids[3]));
    EXPECT_FALSE(message_kept(ids[4]));
}

TEST_P(Retention, TheAuditLogGoesOnlyWhenAskedAndOnlyBeforeTheCutOff) {
    store->transact([&](Repo& r) {
        r.append_audit(AuditEntry{{}, t0, wang, "task.add", "task:1", ""});
        r.append_audit(AuditEntry{{}, t0 + kHour, wang, "task.done", "task:1", ""});
        r.append_audit(AuditEntry{{}, t0 + 10 * kDay, wang, "task.add", "task:2", ""});
    });
    const auto far = t0 + 1000 * kDay;
    store->transact([&](Repo& r) {
        r.prune_seen_events(far, 100);
        r.prune_outbox(far, 100);
        r.prune_sign_ins(far, 100);
    });
    EXPECT_EQ(in_tx([&](Repo& r) { return r.audit_tail(10).size(); }), 3u);

    EXPECT_EQ(in_tx([&](Repo& r) { return r.prune_audit(t0 + kDay, 1); }), 1u);
    EXPECT_EQ(in_tx([&](Repo& r) { return r.prune_audit(t0 + kDay, 10); }), 1u);
    EXPECT_EQ(in_tx([&](Repo& r) { return r.prune_audit(t0 + kDay, 10); }), 0u);
    // An earlier cut-off later (a config changed back) deletes nothing and is no error.
    EXPECT_EQ(in_tx([&](Repo& r) { return r.prune_audit(t0, 10); }), 0u);
    const auto left = in_tx([&](Repo& r) { return r.audit_tail(10); });
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].subject, "task:2");
    // Still appended to.
    store->transact([&](Repo& r) { r.append_audit(AuditEntry{{}, t0 + 11 * kDay, wang, "task.done", "task:2", ""}); });
    EXPECT_EQ(in_tx([&](Repo& r) { return r.audit_tail(10).size(); }), 2u);
}

TEST_P(Retention, ExpiredSignInsGoLiveOnesStay) {
    store->transact([&](Repo& r) {
        r.add_sign_in_secret(SignInSecret{"expired", wang, "code", t0, t0 + Seconds{600}});
        r.add_sign_in_secret(SignInSecret{"live", wang, "link", t0, t0 + 2 * kDay});
        r.add_web_session(WebSession{"ended", wang, t0, t0 + kHour});
        r.add_web_session(WebSession{"ended-too", wang, t0, t0 + 2 * kHour});
        r.add_web_session(WebSession{"open", wang, t0, t0 + 7 * kDay});
    });
    const auto now = t0 + kDay;
    EXPECT_EQ(in_tx([&](Repo& r) { return r.prune_sign_ins(now, 2); }), 2u);  // the limit spans both tables
    EXPECT_EQ(in_tx([&](Repo& r) { return r.prune_sign_ins(now, 10); }), 1u);
    EXPECT_EQ(in_tx([&](Repo& r) { return r.prune_sign_ins(now, 10); }), 0u);
    EXPECT_TRUE(in_tx([&](Repo& r) { return r.web_session("open", now).has_value(); }));
    EXPECT_EQ(in_tx([&](Repo& r) { return r.use_sign_in_secret("live", now); }), wang);
}

FU_CONTRACT_SUITE(Retention);

}  // namespace

}  // namespace fu::contract
