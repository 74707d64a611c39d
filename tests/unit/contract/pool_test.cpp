// The customer and task ports beyond round trips: the public pool and its
// claims and releases, recurring schedules, keyed fingerprints.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engines.hpp"

namespace fu::contract {
namespace {

using ::testing::ElementsAre;

class Pool : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        store->transact([&](Repo& r) {
            east = r.add_team(Team{{}, "East"});
            west = r.add_team(Team{{}, "West"});
            wang = add_user(r, "wang", east);
            li = add_user(r, "li", east);
            olaf = add_user(r, "olaf", west);
        });
    }

    static UserId add_user(Repo& r, const std::string& handle, TeamId team) {
        User u;
        u.handle = handle;
        u.team = team;
        return r.add_user(u);
    }

    static CustomerId add_customer(Repo& r, const std::string& name, std::optional<UserId> owner,
                                   std::optional<TeamId> team) {
        Customer c;
        c.name = name;
        c.owner = owner;
        c.team = team;
        c.created_at = monday();
        return r.add_customer(c);
    }

    static void move(Repo& r, CustomerId c, std::optional<UserId> from, std::optional<UserId> to,
                     std::optional<UserId> by, TimePoint at) {
        r.add_transfer(Transfer{{}, c, from, to, by, at, ""});
    }

    TeamId east, west;
    UserId wang, li, olaf;
};

TEST_P(Pool, OnlyUnownedCustomersOfTheTeamOrOfNoTeamInIdOrder) {
    store->transact([&](Repo& r) {
        const auto east_free = add_customer(r, "East free", std::nullopt, east);
        add_customer(r, "East owned", wang, east);
        const auto west_free = add_customer(r, "West free", std::nullopt, west);
        const auto nobodys = add_customer(r, "Nobody's", std::nullopt, std::nullopt);
        const auto east_free2 = add_customer(r, "East free 2", std::nullopt, east);

        EXPECT_THAT(ids(r.pool_customers(east, 10)), ElementsAre(east_free.value, nobodys.value, east_free2.value));
        EXPECT_THAT(ids(r.pool_customers(west, 10)), ElementsAre(west_free.value, nobodys.value));
        EXPECT_THAT(ids(r.pool_customers(std::nullopt, 10)),
                    ElementsAre(east_free.value, west_free.value, nobodys.value, east_free2.value));
        EXPECT_THAT(ids(r.pool_customers(east, 2)), ElementsAre(east_free.value, nobodys.value));
    });
}

TEST_P(Pool, ClaimsSinceCountsOnlyWhatTheRepTookFromThePoolThemselves) {
    store->transact([&](Repo& r) {
        const auto a = add_customer(r, "A", std::nullopt, east);
        const auto b = add_customer(r, "B", std::nullopt, east);
        const auto c = add_customer(r, "C", std::nullopt, east);
        move(r, a, std::nullopt, wang, wang, monday() - kHour);  // before `since`
        move(r, a, std::nullopt, wang, wang, monday());          // at `since`: counts
        move(r, b, std::nullopt, wang, wang, monday() + kHour);  // counts
        move(r, c, std::nullopt, wang, li, monday() + kHour);    // assigned by a manager
        move(r, c, li, wang, li, monday() + kHour);              // from another rep
        move(r, c, std::nullopt, li, li, monday() + kHour);      // someone else's claim

        EXPECT_EQ(r.claims_since(wang, monday()), 2);
        EXPECT_EQ(r.claims_since(wang, monday() - kDay), 3);
        EXPECT_EQ(r.claims_since(li, monday()), 1);
        EXPECT_EQ(r.claims_since(olaf, monday() - kDay), 0);
    });
}

TEST_P(Pool, ACustomersFirstOwnerIsNotAClaim) {
    store->transact([&](Repo& r) {
        const auto a = add_customer(r, "A", wang, east);
        const auto b = add_customer(r, "B", wang, east);
        const auto c = add_customer(r, "C", std::nullopt, east);
        r.add_transfer(Transfer{{}, a, std::nullopt, wang, wang, monday(), "created"});   // customer add
        r.add_transfer(Transfer{{}, b, std::nullopt, wang, wang, monday(), "imported"});  // their own import
        r.add_transfer(Transfer{{}, c, std::nullopt, wang, wang, monday(), "claimed from the pool"});
        EXPECT_EQ(r.claims_since(wang, monday()), 1);
    });
}

TEST_P(Pool, LastReleaseIsTheLatestMoveOfThatCustomerFromThatRepToThePool) {
    store->transact([&](Repo& r) {
        const auto a = add_customer(r, "A", wang, east);
        const auto b = add_customer(r, "B", wang, east);
        EXPECT_FALSE(r.last_release(a, wang));
        move(r, a, wang, std::nullopt, wang, monday());
        move(r, a, std::nullopt, wang, wang, monday() + kHour);
        move(r, a, wang, std::nullopt, std::nullopt, monday() + kDay);  // reclaimed by the ladder
        move(r, a, wang, li, li, monday() + 2 * kDay);                  // to a rep, not the pool
        move(r, b, wang, std::nullopt, wang, monday() + 3 * kDay);
        move(r, a, li, std::nullopt, li, monday() + 4 * kDay);

        EXPECT_EQ(r.last_release(a, wang), monday() + kDay);
        EXPECT_EQ(r.last_release(b, wang), monday() + 3 * kDay);
        EXPECT_EQ(r.last_release(a, li), monday() + 4 * kDay);
        EXPECT_FALSE(r.last_release(b, li));
    });
}

TEST_P(Pool, AKeyedFingerprintIsStableAndRevealsNothing) {
    store->transact([&](Repo& r) {
        const auto a = r.keyed_fingerprint("Acme|13800138000|Acme Ltd");
        EXPECT_EQ(r.keyed_fingerprint("Acme|13800138000|Acme Ltd"), a);
        if (!a.empty()) {  // "" is a store without a key
            EXPECT_NE(r.keyed_fingerprint("Acme|13800138001|Acme Ltd"), a);
            EXPECT_EQ(a.find("13800138000"), std::string::npos);
            EXPECT_EQ(a.find("Acme"), std::string::npos);
        }
    });
}

using Schedules = Pool;

TEST_P(Schedules, SetScheduleInsertsOrReplacesByUserAndKind) {
    store->transact([&](Repo& r) {
        EXPECT_FALSE(r.schedule(wang, "digest"));
        EXPECT_FALSE(r.next_schedule_at());
        r.set_schedule(Schedule{wang, "digest", monday() + kDay});
        r.set_schedule(Schedule{wang, "weekly", monday() + 7 * kDay});
        r.set_schedule(Schedule{wang, "digest", monday() + 2 * kDay});  // replaces
        EXPECT_EQ(r.schedule(wang, "digest")->next_at, monday() + 2 * kDay);
        EXPECT_EQ(r.schedule(wang, "digest")->user, wang);
        EXPECT_EQ(r.schedule(wang, "digest")->kind, "digest");
        EXPECT_EQ(r.schedule(wang, "weekly")->next_at, monday() + 7 * kDay);
        EXPECT_FALSE(r.schedule(li, "digest"));
    });
}

TEST_P(Schedules, NextScheduleAtIsTheMinAndDueOnesComeEarliestFirst) {
    store->transact([&](Repo& r) {
        r.set_schedule(Schedule{wang, "digest", monday() + 3 * kHour});
        r.set_schedule(Schedule{li, "digest", monday() + kHour});
        r.set_schedule(Schedule{li, "weekly", monday() + 5 * kDay});
        r.set_schedule(Schedule{olaf, "digest", monday() + 2 * kHour});
        EXPECT_EQ(r.next_schedule_at(), monday() + kHour);

        auto kinds = [](const std::vector<Schedule>& due) {
            std::vector<std::string> out;
            for (const auto& s : due) out.push_back(std::to_string(s.user.value) + ":" + s.kind);
            return out;
        };
        const auto w = std::to_string(wang.value), l = std::to_string(li.value), o = std::to_string(olaf.value);
        EXPECT_THAT(kinds(r.schedules_due(monday() + 3 * kHour, 10)),
                    ElementsAre(l + ":digest", o + ":digest", w + ":digest"));  // at `now` is due
        EXPECT_THAT(kinds(r.schedules_due(monday() + 3 * kHour, 2)), ElementsAre(l + ":digest", o + ":digest"));
        EXPECT_TRUE(r.schedules_due(monday(), 10).empty());

        r.set_schedule(Schedule{li, "digest", monday() + kDay});  // moved on
        EXPECT_EQ(r.next_schedule_at(), monday() + 2 * kHour);
    });
}

FU_CONTRACT_SUITE(Pool);
FU_CONTRACT_SUITE(Schedules);

}  // namespace
}  // namespace fu::contract
