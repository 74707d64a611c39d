// Store::group: several use cases in one commit, each undone alone if it fails.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "engines.hpp"

namespace fu::contract {
namespace {

using Groups = StoreTest;

std::vector<std::string> team_names(Store& store) {
    std::vector<std::string> out;
    store.transact([&](Repo& r) {
        for (const auto& t : r.teams()) out.push_back(t.name);
    });
    return out;
}

TEST_P(Groups, AStepThatThrowsIsUndoneAloneAndTheOthersAreCommitted) {
    int failures = 0;
    store->group([&] {
        store->transact([](Repo& r) { r.add_team(Team{{}, "A"}); });
        try {
            store->transact([](Repo& r) {
                r.add_team(Team{{}, "B"});
                User u;
                u.handle = "wang";
                r.add_user(u);
                throw std::runtime_error("refused");
            });
        } catch (const std::runtime_error&) {
            ++failures;
        }
        store->transact([](Repo& r) { r.add_team(Team{{}, "C"}); });
    });
    EXPECT_EQ(failures, 1);
    EXPECT_EQ(team_names(*store), (std::vector<std::string>{"A", "C"}));
    store->transact([](Repo& r) { EXPECT_TRUE(r.users().empty()); });
}

TEST_P(Groups, AStepSeesTheStepsBeforeItInTheSameGroup) {
    std::size_t seen = 0;
    store->group([&] {
        store->transact([](Repo& r) { r.add_team(Team{{}, "A"}); });
        store->transact([&](Repo& r) { seen = r.teams().size(); });
    });
    EXPECT_EQ(seen, 1u);
}

TEST_P(Groups, AFailingWriteOfTheEngineIsUndoneAloneToo) {
    UserId rep;
    store->transact([&](Repo& r) {
        User u;
        u.handle = "wang";
        rep = r.add_user(u);
    });
    store->group([&] {
        EXPECT_THROW(store->transact([&](Repo& r) {
            r.add_customer(Customer{.name = "Acme"});
            Task t;
            t.customer = CustomerId{999};  // no such customer: the engine refuses it
            t.assignee = rep;
            r.add_task(t);
        }),
                     std::runtime_error);
        store->transact([](Repo& r) { r.add_customer(Customer{.name = "Globex"}); });
    });
    store->transact([](Repo& r) {
        EXPECT_EQ(r.customer_count(), 1u);
        EXPECT_EQ(r.find_customers("Globex", 5).size(), 1u);
    });
}

TEST_P(Groups, WhenTheGroupItselfFailsNothingOfItIsStored) {
    store->transact([](Repo& r) { r.add_team(Team{{}, "before"}); });
    EXPECT_THROW(store->group([&] {
        store->transact([](Repo& r) { r.add_team(Team{{}, "A"}); });
        throw std::runtime_error("the commit failed");
    }),
                 std::runtime_error);
    EXPECT_EQ(team_names(*store), (std::vector<std::string>{"before"}));
    // The store is usable afterwards, in a group or not.
    store->group([&] { store->transact([](Repo& r) { r.add_team(Team{{}, "B"}); }); });
    EXPECT_EQ(team_names(*store), (std::vector<std::string>{"before", "B"}));
}

FU_CONTRACT_SUITE(Groups);

}  // namespace
}  // namespace fu::contract
