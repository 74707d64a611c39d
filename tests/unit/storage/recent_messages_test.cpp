// Repo::recent_messages: the newest N messages of one user, oldest first, read
// backwards along outbox(user_id, id) instead of paging through everything.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <string>
#include <vector>

#include "storage/sqlite/queries.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage_test_util.hpp"

namespace fu::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using test::RawDb;
using test::TempDir;

class RecentMessages : public ::testing::Test {
protected:
    void SetUp() override { store = SqliteStore::open(":memory:"); }

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

    static std::vector<std::int64_t> ids(const std::vector<OutboxMessage>& items) {
        std::vector<std::int64_t> out;
        for (const auto& i : items) out.push_back(i.id.value);
        return out;
    }

    static std::vector<std::int64_t> values(const std::vector<MessageId>& items) {
        std::vector<std::int64_t> out;
        for (const auto& i : items) out.push_back(i.value);
        return out;
    }

    std::unique_ptr<SqliteStore> store;
};

TEST_F(RecentMessages, ReturnsTheNewestNOldestFirstWithButtons) {
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

TEST_F(RecentMessages, LeavesOutOtherUsersMessages) {
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

TEST_F(RecentMessages, ReturnsAllWhenThereAreFewerThanN) {
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

TEST(RecentMessagesPlan, WalksTheOutboxIndexBackwardsWithoutSorting) {
    TempDir dir;
    const auto path = dir.file("f.db");
    SqliteStore::open(path);
    RawDb raw(path);
    auto r = raw.run("EXPLAIN QUERY PLAN " + std::string(sql::kSelectRecentMessages));
    ASSERT_EQ(r.rc, SQLITE_OK) << r.error;
    std::string plan;
    for (const auto& row : r.rows) plan += row.back() + "\n";
    EXPECT_NE(plan.find("SEARCH outbox USING INDEX outbox_user_id (user_id=?)"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN outbox"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

}  // namespace
}  // namespace fu::storage
