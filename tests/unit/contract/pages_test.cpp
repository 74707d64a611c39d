// The pages of a user's last long list still to show (`more`): taken in order,
// each once, replaced by the next list, kept per user.
#include <gtest/gtest.h>

#include "engines.hpp"

namespace fu::contract {
namespace {

class Pages : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        store->transact([&](Repo& r) {
            User u;
            u.handle = "wang";
            wang = r.add_user(u);
            u.handle = "li";
            li = r.add_user(u);
        });
    }
    UserId wang, li;
};

TEST_P(Pages, TakenInOrderEachOnceAndCounted) {
    store->transact([&](Repo& r) {
        r.save_pages(wang, {{"c1 Acme\nc2 华为", 2}, {"c3 Globex", 1}, {"c4 Initech\nc5 Umbrella\nc6 Hooli", 3}});
    });
    EXPECT_EQ(in_tx([&](Repo& r) { return r.lines_left(wang); }), 6);
    EXPECT_EQ(in_tx([&](Repo& r) { return r.take_page(wang); })->text, "c1 Acme\nc2 华为");
    EXPECT_EQ(in_tx([&](Repo& r) { return r.lines_left(wang); }), 4);
    EXPECT_EQ(in_tx([&](Repo& r) { return r.take_page(wang); })->lines, 1);
    EXPECT_EQ(in_tx([&](Repo& r) { return r.take_page(wang); })->text, "c4 Initech\nc5 Umbrella\nc6 Hooli");
    EXPECT_EQ(in_tx([&](Repo& r) { return r.take_page(wang); }), std::nullopt);
    EXPECT_EQ(in_tx([&](Repo& r) { return r.lines_left(wang); }), 0);
}

TEST_P(Pages, ANewListReplacesTheOldAndUsersKeepTheirOwn) {
    store->transact([&](Repo& r) {
        r.save_pages(wang, {{"old 1", 1}, {"old 2", 1}});
        r.save_pages(li, {{"li's", 1}});
        r.save_pages(wang, {{"new", 1}});
    });
    EXPECT_EQ(in_tx([&](Repo& r) { return r.take_page(wang); })->text, "new");
    EXPECT_EQ(in_tx([&](Repo& r) { return r.take_page(wang); }), std::nullopt);
    EXPECT_EQ(in_tx([&](Repo& r) { return r.take_page(li); })->text, "li's");
    store->transact([&](Repo& r) { r.save_pages(li, {}); });
    EXPECT_EQ(in_tx([&](Repo& r) { return r.lines_left(li); }), 0);
}

FU_CONTRACT_SUITE(Pages);

}  // namespace
}  // namespace fu::contract
