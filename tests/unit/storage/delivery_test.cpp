// Schema v2: users' notify platform, platform identities, webhook
// deduplication and deliveries, and the upgrade of a v1 file.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "storage/sqlite/db.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/queries.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage_test_util.hpp"

namespace fu::storage {
namespace {

using ::testing::ElementsAre;
using test::kDay;
using test::kHour;
using test::monday;
using test::RawDb;
using test::TempDir;

template <class T>
std::vector<std::int64_t> ids(const std::vector<T>& items) {
    std::vector<std::int64_t> out;
    for (const auto& i : items) out.push_back(i.id.value);
    return out;
}

TEST(SchemaV2, AVersionOneFileIsUpgradedKeepingItsData) {
    TempDir dir;
    auto path = dir.file("v1.db");
    {
        Database db(path);
        ASSERT_EQ(apply_migrations(db, builtin_migrations().first(1)), 1);
        db.exec("INSERT INTO teams (id, name) VALUES (1, 'East');"
                "INSERT INTO users (id, handle, display_name, role, team_id, time_zone, lang, work_start_minute, "
                "work_end_minute, work_days) VALUES (7, 'wang', '王伟', 'rep', 1, 'Asia/Shanghai', 'zh', 540, 1080, 31);"
                "INSERT INTO outbox (id, user_id, created_at, kind, text) VALUES (3, 7, 1732492800, 'notice', 'hi');"
                "INSERT INTO customers (id, name, owner_id, tier, stage, created_at) VALUES (5, 'Acme', 7, 'B', 'active', 1);"
                "INSERT INTO tasks (id, customer_id, assignee_id, due, method, priority, status, snooze_count, origin, "
                "created_at, remind_at) VALUES (9, 5, 7, 1732492800, 'call', 'normal', 'snoozed', 2, 'manual', 1, 1732492800)");
    }
    auto store = SqliteStore::open(path);
    EXPECT_GE(store->schema_version(), 3);
    EXPECT_GE(latest_schema_version(), 3);
    store->transact([&](Repo& r) {
        auto u = r.user(UserId{7});
        ASSERT_TRUE(u);
        EXPECT_EQ(u->handle, "wang");
        EXPECT_EQ(u->display_name, "王伟");
        EXPECT_EQ(u->team, TeamId{1});
        EXPECT_EQ(u->notify_platform, "web");
        auto m = r.message(MessageId{3});
        ASSERT_TRUE(m);
        EXPECT_EQ(m->text, "hi");
        // v3: a customer's team comes from its owner; tasks keep their counts.
        auto c = r.customer(CustomerId{5});
        ASSERT_TRUE(c);
        EXPECT_EQ(c->team, TeamId{1});
        auto t = r.task(TaskId{9});
        ASSERT_TRUE(t);
        EXPECT_EQ(t->snooze_count, 2);
        EXPECT_EQ(t->ladder_step, 0);
        EXPECT_EQ(t->reschedule_count, 0);
        EXPECT_FALSE(t->snoozed_until);
        // The new tables work on the upgraded file.
        r.link_identity(Identity{"telegram", "42", UserId{7}, ""});
        EXPECT_TRUE(r.first_sighting("telegram", "1", monday()));
        Delivery d;
        d.message = MessageId{3};
        d.platform = "telegram";
        d.recipient = "42";
        EXPECT_TRUE(r.add_delivery(d));
    });
    RawDb raw(path);
    EXPECT_EQ(raw.scalar("SELECT group_concat(version) FROM schema_version"), "1,2,3,4,5");
    EXPECT_EQ(raw.scalar("PRAGMA foreign_key_check"), "");
}

class Platforms : public ::testing::Test {
protected:
    void SetUp() override {
        store = SqliteStore::open(dir.file("f.db"));
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

    TempDir dir;
    std::unique_ptr<SqliteStore> store;
    UserId wang, li;
    std::vector<MessageId> messages;
};

TEST_F(Platforms, NotifyPlatformRoundTrips) {
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

TEST_F(Platforms, AMessageComesBackWithButtonsAndTasks) {
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

TEST_F(Platforms, IdentitiesAreUpsertedByPlatformAndExternalId) {
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
    EXPECT_THROW(store->transact([&](Repo& r) { r.link_identity(Identity{"telegram", "x", UserId{999}, ""}); }),
                 StorageError);
}

TEST_F(Platforms, UnlinkingRemovesOnlyThatAccount) {
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

TEST_F(Platforms, FirstSightingIsTrueOncePerPlatformAndEvent) {
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

TEST_F(Platforms, ADeliveryKeepsEveryField) {
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
    EXPECT_THROW(store->transact([&](Repo& r) { r.update_delivery(ghost); }), StorageError);
    Delivery orphan = d;
    orphan.message = MessageId{999};
    EXPECT_THROW(store->transact([&](Repo& r) { r.add_delivery(orphan); }), StorageError);
}

TEST_F(Platforms, DueDeliveriesArePendingOnesOfThePlatformEarliestFirst) {
    auto now = monday() + 10 * kHour;
    auto late = add(pending("telegram", now - kHour, monday()));
    auto early = add(pending("telegram", now - 3 * kHour, monday()));
    auto same_time = add(pending("telegram", now - kHour, monday()));
    auto exactly_now = add(pending("telegram", now, monday()));
    add(pending("telegram", now + kHour, monday()));   // not yet
    add(pending("slack", now - 5 * kHour, monday()));  // other platform
    auto sent = pending("telegram", now - 9 * kHour, monday());
    sent.status = DeliveryStatus::sent;
    add(sent);
    auto failed = pending("telegram", now - 8 * kHour, monday());
    failed.status = DeliveryStatus::failed;
    add(failed);

    store->transact([&](Repo& r) {
        EXPECT_THAT(ids(r.deliveries_due("telegram", now, 10)),
                    ElementsAre(early.value, late.value, same_time.value, exactly_now.value));
        EXPECT_THAT(ids(r.deliveries_due("telegram", now, 2)), ElementsAre(early.value, late.value));
        EXPECT_TRUE(r.deliveries_due("web", now, 10).empty());

        // Sending one takes it off the queue.
        auto d = *r.delivery(early);
        d.status = DeliveryStatus::sent;
        d.sent_at = now;
        r.update_delivery(d);
        EXPECT_THAT(ids(r.deliveries_due("telegram", now, 1)), ElementsAre(late.value));
    });
}

TEST_F(Platforms, NextDeliveryAtIgnoresSentAndFailedAndOtherPlatforms) {
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

TEST_F(Platforms, PendingSinceListsOldPendingDeliveriesOfEveryPlatformOldestFirst) {
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

TEST_F(Platforms, ADeliveryIsFoundByItsPlatformMessageId) {
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

// EXPLAIN QUERY PLAN of the exact SQL the store prepares, on a migrated file.
class DeliveryPlan : public ::testing::Test {
protected:
    void SetUp() override { SqliteStore::open(path); }

    std::string plan(std::string_view sql) {
        RawDb raw(path);
        auto r = raw.run("EXPLAIN QUERY PLAN " + std::string(sql));
        EXPECT_EQ(r.rc, SQLITE_OK) << r.error;
        std::string out;
        for (const auto& row : r.rows) out += row.back() + "\n";
        return out;
    }

    static bool scans(const std::string& plan, std::string_view table) {
        return plan.find("SCAN " + std::string(table)) != std::string::npos;
    }

    TempDir dir;
    std::string path = dir.file("f.db");
};

TEST_F(DeliveryPlan, TheSenderQueriesUseThePendingPartialIndex) {
    for (auto q : {sql::kNextDeliveryAt, sql::kSelectDeliveriesDue}) {
        auto p = plan(q);
        EXPECT_NE(p.find("deliveries_pending_next"), std::string::npos) << q << "\n" << p;
        EXPECT_FALSE(scans(p, "deliveries")) << q << "\n" << p;
        EXPECT_EQ(p.find("TEMP B-TREE"), std::string::npos) << q << "\n" << p;
    }
}

TEST_F(DeliveryPlan, OtherLookupsAreIndexed) {
    struct Case {
        std::string_view sql;
        std::string_view index;
    };
    for (auto [q, index] : {Case{sql::kSelectDeliveriesPendingSince, "deliveries_pending_created"},
                            Case{sql::kSelectDeliveryByPlatformMessage, "deliveries_platform_message"},
                            Case{sql::kSelectDelivery, "INTEGER PRIMARY KEY"},
                            Case{sql::kSelectMessage, "INTEGER PRIMARY KEY"},
                            Case{sql::kSelectIdentity, "sqlite_autoindex_identities"},
                            Case{sql::kDeleteIdentity, "sqlite_autoindex_identities"},
                            Case{sql::kSelectIdentitiesOf, "identities_user"},
                            Case{sql::kInsertSeenEvent, ""}}) {
        auto p = plan(q);
        EXPECT_NE(p.find(index), std::string::npos) << q << "\n" << p;
        for (auto table : {"deliveries", "outbox", "identities", "seen_events"})
            EXPECT_FALSE(scans(p, table)) << q << "\n" << p;
    }
    EXPECT_EQ(plan(sql::kSelectDeliveriesPendingSince).find("TEMP B-TREE"), std::string::npos);
}

}  // namespace
}  // namespace fu::storage
