// The outbox port: identities, webhook deduplication, messages (the newest N
// of a user, read backwards rather than paged through) and their deliveries.
// Past 500 lines on purpose: the whole outbox port's promises, run on every engine.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "engines.hpp"

namespace fu::contract {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

class Platforms : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        store->transact([&](Repo& r) {
            User u;
            u.handle = "wang";
            wang = r.add_user(u);
            u.handle = "li";
            li = r.add_user(u);
            for (int i = 0; i < 3; ++i) {
                OutboxMessage m;
                m.to = wang;
                m.created_at = monday();
                m.text = "m" + std::to_string(i);
                messages.push_back(r.enqueue(m));
            }
        });
    }

    Delivery pending(std::string platform, TimePoint next, TimePoint created, int message = 0) {
        Delivery d;
        d.message = messages[static_cast<std::size_t>(message)];
        d.platform = std::move(platform);
        d.recipient = "u1";
        d.next_attempt = next;
        d.created_at = created;
        return d;
    }

    DeliveryId add(const Delivery& d) {
        DeliveryId id;
        store->transact([&](Repo& r) { id = r.add_delivery(d); });
        return id;
    }

    UserId wang, li;
    std::vector<MessageId> messages;
};

TEST_P(Platforms, NotifyPlatformRoundTrips) {
    store->transact([&](Repo& r) {
        EXPECT_EQ(r.user(wang)->notify_platform, "web");
        auto u = *r.user(wang);
        u.notify_platform = "telegram";
        r.update_user(u);
        EXPECT_EQ(r.user(wang)->notify_platform, "telegram");
        EXPECT_EQ(r.user_by_handle("WANG")->notify_platform, "telegram");
        User n;
        n.handle = "zhao";
        n.notify_platform = "slack";
        auto id = r.add_user(n);
        EXPECT_EQ(r.user(id)->notify_platform, "slack");
        EXPECT_EQ(r.users().size(), 3u);
    });
}

TEST_P(Platforms, AMessageComesBackWithButtonsAndTasks) {
    store->transact([&](Repo& r) {
        Customer c;
        c.name = "Acme";
        auto customer = r.add_customer(c);
        Task t;
        t.customer = customer;
        t.assignee = wang;
        auto task = r.add_task(t);
        OutboxMessage m;
        m.to = li;
        m.created_at = monday() + kHour;
        m.kind = MessageKind::reminder;
        m.text = "跟进 Acme";
        m.buttons = {{"Done", "done 1"}, {"Snooze", "snooze 1 1h"}};
        m.tasks = {task};
        auto id = r.enqueue(m);
        auto back = r.message(id);
        ASSERT_TRUE(back);
        EXPECT_EQ(back->id, id);
        EXPECT_EQ(back->to, li);
        EXPECT_EQ(back->created_at, monday() + kHour);
        EXPECT_EQ(back->kind, MessageKind::reminder);
        EXPECT_EQ(back->text, "跟进 Acme");
        ASSERT_EQ(back->buttons.size(), 2u);
        EXPECT_EQ(back->buttons[1].label, "Snooze");
        EXPECT_EQ(back->buttons[1].command, "snooze 1 1h");
        EXPECT_THAT(back->tasks, ElementsAre(task));
        EXPECT_TRUE(r.message(messages[0])->buttons.empty());
        EXPECT_FALSE(r.message(MessageId{999}));
    });
}

// A reply to a sender who is not registered has no user: it is kept, comes
// back with none, has a delivery like any message, and is nobody's history.
TEST_P(Platforms, AMessageWithNoUserIsKeptAndIsNobodysHistory) {
    store->transact([&](Repo& r) {
        OutboxMessage m;
        m.created_at = monday() + kHour;
        m.kind = MessageKind::reply;
        m.text = "You are not registered (telegram:999).";
        const auto id = r.enqueue(m);
        auto back = r.message(id);
        ASSERT_TRUE(back);
        EXPECT_EQ(back->to, UserId{0});
        EXPECT_EQ(back->text, m.text);
        Delivery d;
        d.message = id;
        d.platform = "telegram";
        d.recipient = "999";
        d.chat_id = "999";
        d.next_attempt = monday() + kHour;
        d.created_at = monday() + kHour;
        r.add_delivery(d);
        const auto due = r.deliveries_due("telegram", monday() + kHour, 10);
        ASSERT_EQ(due.size(), 1u);
        EXPECT_EQ(due[0].message, id);
        for (const auto who : {wang, li})
            for (const auto& other : r.recent_messages(who, 100)) EXPECT_NE(other.id, id);
    });
}

// A batch read: only the ids asked for, each once, in id order, each with its
// own buttons, whether the ids are close together (one range read) or far
// apart (one read each).
TEST_P(Platforms, ABatchOfMessagesComesBackWithEachOnesOwnButtons) {
    std::vector<MessageId> ids;
    store->transact([&](Repo& r) {
        for (int i = 0; i < 300; ++i) {
            OutboxMessage m;
            m.to = i % 2 ? wang : li;
            m.created_at = monday();
            m.text = "b" + std::to_string(i);
            if (i % 3 == 0)
                m.buttons = {{"Done " + std::to_string(i), "done " + std::to_string(i)}, {"Later", "snooze"}};
            ids.push_back(r.enqueue(m));
        }
    });
    const auto check = [&](std::vector<std::size_t> picks) {
        std::vector<MessageId> asked;
        for (auto i : picks) asked.push_back(ids[i]);
        asked.push_back(asked.front());                       // asked twice: returned once
        asked.push_back(MessageId{ids.back().value + 1000});  // none such
        std::vector<OutboxMessage> got;
        store->transact([&](Repo& r) { got = r.messages(asked); });
        std::sort(picks.begin(), picks.end());
        ASSERT_EQ(got.size(), picks.size());
        for (std::size_t k = 0; k < picks.size(); ++k) {
            const auto i = picks[k];
            EXPECT_EQ(got[k].id, ids[i]);
            EXPECT_EQ(got[k].text, "b" + std::to_string(i));
            if (i % 3 == 0) {
                ASSERT_EQ(got[k].buttons.size(), 2u) << i;
                EXPECT_EQ(got[k].buttons[0].command, "done " + std::to_string(i));
                EXPECT_EQ(got[k].buttons[1].label, "Later");
            } else {
                EXPECT_TRUE(got[k].buttons.empty()) << i;
            }
        }
    };
    check({12, 3, 4, 6, 7, 9, 10});  // close together
    check({0, 150, 299});            // far apart
    check({5});                      // one
    std::vector<OutboxMessage> none;
    store->transact([&](Repo& r) { none = r.messages({}); });
    EXPECT_TRUE(none.empty());
}

TEST_P(Platforms, IdentitiesAreUpsertedByPlatformAndExternalId) {
    store->transact([&](Repo& r) {
        r.link_identity(Identity{"telegram", "1001", wang, ""});
        r.link_identity(Identity{"slack", "U1", wang, "D1"});
        r.link_identity(Identity{"telegram", "2002", li, "c2"});
        auto t = r.identity("telegram", "1001");
        ASSERT_TRUE(t);
        EXPECT_EQ(t->user, wang);
        EXPECT_EQ(t->chat_id, "");
        EXPECT_FALSE(r.identity("slack", "1001"));
        EXPECT_FALSE(r.identity("telegram", "U1"));

        // Learning the chat id replaces the row in place.
        r.link_identity(Identity{"telegram", "1001", wang, "c1"});
        EXPECT_EQ(r.identity("telegram", "1001")->chat_id, "c1");
        auto mine = r.identities_of(wang);
        ASSERT_EQ(mine.size(), 2u);
        EXPECT_EQ(mine[0].platform, "slack");
        EXPECT_EQ(mine[1].platform, "telegram");
        EXPECT_EQ(mine[1].chat_id, "c1");

        // Relinking an account to another user moves it.
        r.link_identity(Identity{"telegram", "1001", li, "c1"});
        EXPECT_EQ(r.identities_of(wang).size(), 1u);
        EXPECT_EQ(r.identities_of(li).size(), 2u);
        EXPECT_EQ(r.identity("telegram", "1001")->user, li);
    });
    // The user must exist.
    EXPECT_THROW(store->transact([&](Repo& r) {
        r.link_identity(Identity{"telegram", "x", UserId{999}, ""});
    }),
                 std::runtime_error);
}

TEST_P(Platforms, UnlinkingRemovesOnlyThatAccount) {
    store->transact([&](Repo& r) {
        r.link_identity(Identity{"telegram", "1001", wang, "c1"});
        r.link_identity(Identity{"slack", "1001", wang, ""});
        r.link_identity(Identity{"telegram", "2002", wang, ""});
        r.unlink_identity("telegram", "1001");
        EXPECT_FALSE(r.identity("telegram", "1001"));
        EXPECT_TRUE(r.identity("slack", "1001"));
        EXPECT_TRUE(r.identity("telegram", "2002"));
        EXPECT_EQ(r.identities_of(wang).size(), 2u);
        // Unlinking an account that is not linked is a no-op.
        r.unlink_identity("telegram", "1001");
        r.unlink_identity("feishu", "nobody");
        EXPECT_EQ(r.identities_of(wang).size(), 2u);
        // The account can be linked again, to anyone.
        r.link_identity(Identity{"telegram", "1001", li, ""});
        EXPECT_EQ(r.identity("telegram", "1001")->user, li);
    });
    // Rolled back with its transaction.
    EXPECT_THROW(store->transact([&](Repo& r) {
        r.unlink_identity("slack", "1001");
        throw std::runtime_error("abort");
    }),
                 std::runtime_error);
    store->transact([&](Repo& r) { EXPECT_TRUE(r.identity("slack", "1001")); });
}

TEST_P(Platforms, FirstSightingIsTrueOncePerPlatformAndEvent) {
    store->transact([&](Repo& r) {
        EXPECT_TRUE(r.first_sighting("telegram", "update-1", monday()));
        EXPECT_FALSE(r.first_sighting("telegram", "update-1", monday() + kHour));
        EXPECT_TRUE(r.first_sighting("slack", "update-1", monday()));
        EXPECT_TRUE(r.first_sighting("telegram", "update-2", monday()));
    });
    // Remembered across transactions, and a rolled-back sighting is forgotten.
    store->transact([&](Repo& r) { EXPECT_FALSE(r.first_sighting("slack", "update-1", monday() + kDay)); });
    EXPECT_THROW(store->transact([&](Repo& r) {
        EXPECT_TRUE(r.first_sighting("slack", "update-3", monday()));
        throw std::runtime_error("handler failed");
    }),
                 std::runtime_error);
    store->transact([&](Repo& r) { EXPECT_TRUE(r.first_sighting("slack", "update-3", monday())); });
}

TEST_P(Platforms, ADeliveryKeepsEveryField) {
    Delivery d = pending("slack", monday() + kHour, monday(), 1);
    d.chat_id = "D123";
    d.recipient = "U123";
    DeliveryId id;
    store->transact([&](Repo& r) {
        id = r.add_delivery(d);
        auto back = r.delivery(id);
        ASSERT_TRUE(back);
        EXPECT_EQ(back->id, id);
        EXPECT_EQ(back->message, messages[1]);
        EXPECT_EQ(back->platform, "slack");
        EXPECT_EQ(back->recipient, "U123");
        EXPECT_EQ(back->chat_id, "D123");
        EXPECT_EQ(back->status, DeliveryStatus::pending);
        EXPECT_EQ(back->attempts, 0);
        EXPECT_EQ(back->next_attempt, monday() + kHour);
        EXPECT_EQ(back->created_at, monday());
        EXPECT_FALSE(back->sent_at);
        EXPECT_EQ(back->platform_message_id, "");
        EXPECT_EQ(back->last_error, "");
        EXPECT_FALSE(back->late_reported);
        EXPECT_EQ(back->replace_ref, "");

        d = *back;
        d.replace_ref = "msg-77";
        d.status = DeliveryStatus::sent;
        d.attempts = 3;
        d.sent_at = monday() + 2 * kHour;
        d.platform_message_id = "1732.0001";
        d.last_error = "429 rate limited";
        d.late_reported = true;
        r.update_delivery(d);
        back = r.delivery(id);
        ASSERT_TRUE(back);
        EXPECT_EQ(back->status, DeliveryStatus::sent);
        EXPECT_EQ(back->attempts, 3);
        EXPECT_EQ(back->sent_at, monday() + 2 * kHour);
        EXPECT_EQ(back->platform_message_id, "1732.0001");
        EXPECT_EQ(back->last_error, "429 rate limited");
        EXPECT_TRUE(back->late_reported);
        EXPECT_EQ(back->replace_ref, "msg-77");
        EXPECT_FALSE(r.delivery(DeliveryId{999}));
    });
    Delivery ghost = d;
    ghost.id = DeliveryId{999};
    EXPECT_THROW(store->transact([&](Repo& r) { r.update_delivery(ghost); }), std::runtime_error);
    Delivery orphan = d;
    orphan.message = MessageId{999};
    EXPECT_THROW(store->transact([&](Repo& r) { r.add_delivery(orphan); }), std::runtime_error);
}

// Oldest first, by the time they were queued rather than their next try:
// after an outage the oldest have been retried most and waited longest, and
// used to come last (issue 15).
TEST_P(Platforms, DueDeliveriesArePendingOnesOfThePlatformOldestFirst) {
    auto now = monday() + 10 * kHour;
    auto retried = add(pending("telegram", now, monday()));  // the oldest, due again just now
    auto late = add(pending("telegram", now - kHour, monday() + kHour));
    auto early = add(pending("telegram", now - 3 * kHour, monday() + 2 * kHour));
    auto same_time = add(pending("telegram", now - kHour, monday() + 2 * kHour));
    add(pending("telegram", now + kHour, monday() - kHour));       // not yet, however old
    add(pending("slack", now - 5 * kHour, monday() - 2 * kHour));  // other platform
    auto sent = pending("telegram", now - 9 * kHour, monday() - 3 * kHour);
    sent.status = DeliveryStatus::sent;
    add(sent);
    auto failed = pending("telegram", now - 8 * kHour, monday() - 3 * kHour);
    failed.status = DeliveryStatus::failed;
    add(failed);

    store->transact([&](Repo& r) {
        EXPECT_THAT(ids(r.deliveries_due("telegram", now, 10)),
                    ElementsAre(retried.value, late.value, early.value, same_time.value));
        EXPECT_THAT(ids(r.deliveries_due("telegram", now, 2)), ElementsAre(retried.value, late.value));
        EXPECT_TRUE(r.deliveries_due("web", now, 10).empty());
        EXPECT_THAT(ids(r.deliveries_due("telegram", now - kHour, 10)),
                    ElementsAre(late.value, early.value, same_time.value));

        // Sending one takes it off the queue.
        auto d = *r.delivery(retried);
        d.status = DeliveryStatus::sent;
        d.sent_at = now;
        r.update_delivery(d);
        EXPECT_THAT(ids(r.deliveries_due("telegram", now, 1)), ElementsAre(late.value));
    });
}

TEST_P(Platforms, PendingDeliveriesCountsThePlatformsQueueAndItsOldest) {
    auto now = monday() + 10 * kHour;
    store->transact([&](Repo& r) {
        auto empty = r.pending_deliveries("telegram");
        EXPECT_EQ(empty.count, 0);
        EXPECT_FALSE(empty.oldest_created);
    });
    add(pending("telegram", now - kHour, monday() + 3 * kHour));
    add(pending("telegram", now + kHour, monday() + kHour));  // waiting for a retry: still queued
    add(pending("slack", now - kHour, monday()));             // another platform
    auto sent = pending("telegram", now - kHour, monday() - kHour);
    sent.status = DeliveryStatus::sent;
    add(sent);
    store->transact([&](Repo& r) {
        auto q = r.pending_deliveries("telegram");
        EXPECT_EQ(q.count, 2);
        ASSERT_TRUE(q.oldest_created);
        EXPECT_EQ(*q.oldest_created, monday() + kHour);
    });
}

TEST_P(Platforms, DeferringMovesOnlyAPendingDeliveryThatIsStillDue) {
    auto now = monday() + 10 * kHour;
    auto due = add(pending("telegram", now - kHour, monday()));
    auto later = add(pending("telegram", now + kHour, monday()));
    auto sent = pending("telegram", now - kHour, monday());
    sent.status = DeliveryStatus::sent;
    auto sent_id = add(sent);

    store->transact([&](Repo& r) {
        // A dispatcher claims `due` for a send: its next attempt moves to the lease's end.
        EXPECT_TRUE(r.defer_delivery(due, now, now + Seconds{60}));
        EXPECT_EQ(r.delivery(due)->next_attempt, now + Seconds{60});
        EXPECT_TRUE(r.deliveries_due("telegram", now, 10).empty());
        // A second claim at the same time finds it no longer due: one sender.
        EXPECT_FALSE(r.defer_delivery(due, now, now + Seconds{60}));
        // Nor is what is not due yet, or was sent, moved.
        EXPECT_FALSE(r.defer_delivery(later, now, now + Seconds{60}));
        EXPECT_EQ(r.delivery(later)->next_attempt, now + kHour);
        EXPECT_FALSE(r.defer_delivery(sent_id, now, now + Seconds{60}));
        EXPECT_EQ(r.delivery(sent_id)->status, DeliveryStatus::sent);
        EXPECT_FALSE(r.defer_delivery(DeliveryId{999999}, now, now + Seconds{60}));
        // Once the lease is over, it is due again (its sender died).
        EXPECT_THAT(ids(r.deliveries_due("telegram", now + Seconds{60}, 10)), ElementsAre(due.value));
    });
}

TEST_P(Platforms, NextDeliveryAtIgnoresSentAndFailedAndOtherPlatforms) {
    store->transact([&](Repo& r) { EXPECT_FALSE(r.next_delivery_at("telegram")); });
    auto sent = pending("telegram", monday(), monday());
    sent.status = DeliveryStatus::sent;
    add(sent);
    auto failed = pending("telegram", monday() + kHour, monday());
    failed.status = DeliveryStatus::failed;
    add(failed);
    add(pending("slack", monday() + 2 * kHour, monday()));
    store->transact([&](Repo& r) { EXPECT_FALSE(r.next_delivery_at("telegram")); });
    add(pending("telegram", monday() + 5 * kHour, monday()));
    auto first = add(pending("telegram", monday() + 3 * kHour, monday()));
    store->transact([&](Repo& r) {
        EXPECT_EQ(r.next_delivery_at("telegram"), monday() + 3 * kHour);
        EXPECT_EQ(r.next_delivery_at("slack"), monday() + 2 * kHour);
        auto d = *r.delivery(first);
        d.status = DeliveryStatus::failed;
        r.update_delivery(d);
        EXPECT_EQ(r.next_delivery_at("telegram"), monday() + 5 * kHour);
    });
}

TEST_P(Platforms, PendingSinceListsOldPendingDeliveriesOfEveryPlatformOldestFirst) {
    auto cutoff = monday() + kDay;
    auto b = add(pending("slack", cutoff, monday() + 2 * kHour));
    auto a = add(pending("telegram", cutoff, monday() + kHour));
    auto c = add(pending("telegram", cutoff, monday() + 2 * kHour));
    add(pending("telegram", cutoff, cutoff));  // not before the cutoff
    auto sent = pending("telegram", cutoff, monday());
    sent.status = DeliveryStatus::sent;
    add(sent);
    store->transact([&](Repo& r) {
        EXPECT_THAT(ids(r.deliveries_pending_since(cutoff, 10)), ElementsAre(a.value, b.value, c.value));
        EXPECT_THAT(ids(r.deliveries_pending_since(cutoff, 1)), ElementsAre(a.value));
        EXPECT_TRUE(r.deliveries_pending_since(monday(), 10).empty());
    });
}

TEST_P(Platforms, ADeliveryIsFoundByItsPlatformMessageId) {
    auto d = pending("telegram", monday(), monday());
    d.status = DeliveryStatus::sent;
    d.platform_message_id = "555";
    auto tg = add(d);
    d.platform = "slack";
    auto sl = add(d);
    add(pending("telegram", monday(), monday()));  // unsent: no platform message id
    store->transact([&](Repo& r) {
        EXPECT_EQ(r.delivery_by_platform_message("telegram", "555")->id, tg);
        EXPECT_EQ(r.delivery_by_platform_message("slack", "555")->id, sl);
        EXPECT_FALSE(r.delivery_by_platform_message("telegram", "556"));
        EXPECT_FALSE(r.delivery_by_platform_message("web", "555"));
        EXPECT_FALSE(r.delivery_by_platform_message("telegram", ""));
    });
}

FU_CONTRACT_SUITE(Platforms);

class RecentMessages : public StoreTest {
protected:
    UserId add_user(Repo& r, const std::string& handle) {
        User u;
        u.handle = handle;
        u.role = Role::rep;
        return r.add_user(u);
    }

    // Enqueues `n` messages for `to` ("<tag> 0".."<tag> n-1"), each with two buttons.
    std::vector<MessageId> send(Repo& r, UserId to, int n, const std::string& tag) {
        std::vector<MessageId> sent;
        for (int i = 0; i < n; ++i) {
            OutboxMessage m;
            m.to = to;
            m.text = tag + " " + std::to_string(i);
            m.buttons = {{"完成", "done " + std::to_string(i)}, {"Snooze", "snooze " + std::to_string(i)}};
            sent.push_back(r.enqueue(m));
        }
        return sent;
    }

    static std::vector<std::int64_t> values(const std::vector<MessageId>& items) {
        std::vector<std::int64_t> out;
        for (const auto& i : items) out.push_back(i.value);
        return out;
    }
};

TEST_P(RecentMessages, ReturnsTheNewestNOldestFirstWithButtons) {
    UserId wang;
    std::vector<MessageId> sent;
    store->transact([&](Repo& r) {
        wang = add_user(r, "wang");
        sent = send(r, wang, 5, "msg");
    });
    store->transact([&](Repo& r) {
        auto list = r.recent_messages(wang, 3);
        ASSERT_EQ(list.size(), 3u);
        EXPECT_THAT(ids(list), ElementsAre(sent[2].value, sent[3].value, sent[4].value));
        for (std::size_t i = 0; i < 3; ++i) {
            const auto n = std::to_string(i + 2);
            EXPECT_EQ(list[i].to, wang);
            EXPECT_EQ(list[i].text, "msg " + n);
            ASSERT_EQ(list[i].buttons.size(), 2u);
            EXPECT_EQ(list[i].buttons[0].label, "完成");
            EXPECT_EQ(list[i].buttons[0].command, "done " + n);
            EXPECT_EQ(list[i].buttons[1].command, "snooze " + n);
        }
        EXPECT_THAT(ids(r.recent_messages(wang, 1)), ElementsAre(sent[4].value));
        EXPECT_TRUE(r.recent_messages(wang, 0).empty());
    });
}

TEST_P(RecentMessages, LeavesOutOtherUsersMessages) {
    UserId wang, li;
    std::vector<MessageId> for_wang, for_li;
    store->transact([&](Repo& r) {
        wang = add_user(r, "wang");
        li = add_user(r, "li");
        // Interleaved, and li's come last: a query that forgot the user would return them.
        for (int i = 0; i < 3; ++i) {
            for_wang.push_back(send(r, wang, 1, "wang")[0]);
            for_li.push_back(send(r, li, 1, "li")[0]);
        }
        for (auto id : send(r, li, 4, "li late")) for_li.push_back(id);
    });
    store->transact([&](Repo& r) {
        auto list = r.recent_messages(wang, 3);
        EXPECT_THAT(ids(list), ElementsAreArray(values(for_wang)));
        for (const auto& m : list) EXPECT_EQ(m.to, wang);
        EXPECT_THAT(ids(r.recent_messages(li, 2)), ElementsAre(for_li[5].value, for_li[6].value));
    });
}

TEST_P(RecentMessages, ReturnsAllWhenThereAreFewerThanN) {
    UserId wang, nobody;
    std::vector<MessageId> sent;
    store->transact([&](Repo& r) {
        wang = add_user(r, "wang");
        nobody = add_user(r, "nobody");
        sent = send(r, wang, 2, "msg");
    });
    store->transact([&](Repo& r) {
        EXPECT_THAT(ids(r.recent_messages(wang, 20)), ElementsAreArray(values(sent)));
        EXPECT_TRUE(r.recent_messages(nobody, 20).empty());
    });
}

FU_CONTRACT_SUITE(RecentMessages);

}  // namespace
}  // namespace fu::contract
