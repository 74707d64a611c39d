// Paged listings for the REST API and CSV export, a subject's audit trail,
// and a team's history for the weekly report: filters, order and limits.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engines.hpp"

namespace fu::contract {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// East: wang (rep) and li; West: olaf. Customers: e1 of East's pool, e2 owned
// by wang (team East), x of no team owned by wang (East's scope through its
// owner), w1 owned by olaf (West), n of no team and no owner.
class Listings : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        store->transact([&](Repo& r) {
            east = r.add_team(Team{{}, "East"});
            west = r.add_team(Team{{}, "West"});
            wang = add_user(r, "wang", east);
            li = add_user(r, "li", east);
            olaf = add_user(r, "olaf", west);
            e1 = add_customer(r, "e1", std::nullopt, east, Stage::lead, "");
            e2 = add_customer(r, "e2", wang, east, Stage::active, "crm-2");
            x = add_customer(r, "x", wang, std::nullopt, Stage::lead, "");
            w1 = add_customer(r, "w1", olaf, west, Stage::won, "crm-9");
            n = add_customer(r, "n", std::nullopt, std::nullopt, Stage::lead, "");
        });
    }

    static UserId add_user(Repo& r, const std::string& handle, TeamId team) {
        User u;
        u.handle = handle;
        u.team = team;
        return r.add_user(u);
    }

    static CustomerId add_customer(Repo& r, const std::string& name, std::optional<UserId> owner,
                                   std::optional<TeamId> team, Stage stage, const std::string& external_id) {
        Customer c;
        c.name = name;
        c.owner = owner;
        c.team = team;
        c.stage = stage;
        c.external_id = external_id;
        return r.add_customer(c);
    }

    static TaskId add_task(Repo& r, CustomerId c, UserId assignee, TimePoint due, TaskStatus status) {
        Task t;
        t.customer = c;
        t.assignee = assignee;
        t.due = due;
        t.status = status;
        return r.add_task(t);
    }

    static InteractionId add_interaction(Repo& r, CustomerId c, UserId by, TimePoint at) {
        Interaction i;
        i.customer = c;
        i.user = by;
        i.at = at;
        i.results = {"reached"};
        return r.add_interaction(i);
    }

    TeamId east, west;
    UserId wang, li, olaf;
    CustomerId e1, e2, x, w1, n;
};

TEST_P(Listings, CustomersFilteredByTeamScopeOwnerStageAndExternalIdInIdOrder) {
    store->transact([&](Repo& r) {
        CustomerStore::CustomerQuery q;
        EXPECT_THAT(ids(r.list_customers(q)), ElementsAre(e1.value, e2.value, x.value, w1.value, n.value));
        q.team = east;  // its customers and those its members own
        EXPECT_THAT(ids(r.list_customers(q)), ElementsAre(e1.value, e2.value, x.value));
        q.stage = Stage::lead;
        EXPECT_THAT(ids(r.list_customers(q)), ElementsAre(e1.value, x.value));
        q = {};
        q.owner = wang;
        EXPECT_THAT(ids(r.list_customers(q)), ElementsAre(e2.value, x.value));
        q = {};
        q.external_id = "crm-9";
        EXPECT_THAT(ids(r.list_customers(q)), ElementsAre(w1.value));
        q.team = east;
        EXPECT_THAT(r.list_customers(q), IsEmpty());
    });
}

TEST_P(Listings, CustomersArePagedAfterAnIdWithALimit) {
    store->transact([&](Repo& r) {
        CustomerStore::CustomerQuery q;
        q.limit = 2;
        EXPECT_THAT(ids(r.list_customers(q)), ElementsAre(e1.value, e2.value));
        q.after = e2;
        EXPECT_THAT(ids(r.list_customers(q)), ElementsAre(x.value, w1.value));
        q.after = w1;
        EXPECT_THAT(ids(r.list_customers(q)), ElementsAre(n.value));
        q.after = n;
        EXPECT_THAT(r.list_customers(q), IsEmpty());
    });
}

TEST_P(Listings, TasksFilteredByScopeStatusesAssigneeAndCustomerAndPaged) {
    store->transact([&](Repo& r) {
        const auto t1 = add_task(r, e1, li, monday(), TaskStatus::open);
        const auto t2 = add_task(r, e2, wang, monday(), TaskStatus::done);
        const auto t3 = add_task(r, x, wang, monday(), TaskStatus::snoozed);
        const auto t4 = add_task(r, w1, olaf, monday(), TaskStatus::open);
        const auto t5 = add_task(r, e2, wang, monday(), TaskStatus::cancelled);

        TaskStore::TaskQuery q;
        EXPECT_THAT(ids(r.list_tasks(q)), ElementsAre(t1.value, t2.value, t3.value, t4.value, t5.value));
        q.team = east;
        EXPECT_THAT(ids(r.list_tasks(q)), ElementsAre(t1.value, t2.value, t3.value, t5.value));
        q.statuses = {TaskStatus::open, TaskStatus::snoozed};
        EXPECT_THAT(ids(r.list_tasks(q)), ElementsAre(t1.value, t3.value));
        q = {};
        q.assignee = wang;
        EXPECT_THAT(ids(r.list_tasks(q)), ElementsAre(t2.value, t3.value, t5.value));
        q.customer = e2;
        EXPECT_THAT(ids(r.list_tasks(q)), ElementsAre(t2.value, t5.value));
        q = {};
        q.limit = 2;
        q.after = t1;
        EXPECT_THAT(ids(r.list_tasks(q)), ElementsAre(t2.value, t3.value));
        q.after = t5;
        EXPECT_THAT(r.list_tasks(q), IsEmpty());
    });
}

TEST_P(Listings, InteractionsOfATeamsScopeInIdOrderAfterAnId) {
    store->transact([&](Repo& r) {
        const auto i1 = add_interaction(r, e1, li, monday());
        const auto i2 = add_interaction(r, w1, olaf, monday());
        const auto i3 = add_interaction(r, x, wang, monday());
        const auto i4 = add_interaction(r, n, wang, monday());  // of nobody's customer: no team's
        EXPECT_THAT(ids(r.list_interactions(std::nullopt, std::nullopt, 10)),
                    ElementsAre(i1.value, i2.value, i3.value, i4.value));
        EXPECT_THAT(ids(r.list_interactions(east, std::nullopt, 10)), ElementsAre(i1.value, i3.value));
        EXPECT_THAT(ids(r.list_interactions(west, std::nullopt, 10)), ElementsAre(i2.value));
        EXPECT_THAT(ids(r.list_interactions(std::nullopt, i1, 2)), ElementsAre(i2.value, i3.value));
        EXPECT_THAT(ids(r.list_interactions(east, i3, 10)), IsEmpty());
    });
}

TEST_P(Listings, AuditForOneSubjectOldestFirstUpToALimit) {
    store->transact([&](Repo& r) {
        const auto a = r.append_audit(AuditEntry{{}, monday(), wang, "task.add", "task:1", ""});
        r.append_audit(AuditEntry{{}, monday(), wang, "task.add", "task:2", ""});
        const auto b = r.append_audit(AuditEntry{{}, monday() + kHour, std::nullopt, "ladder.remind", "task:1", ""});
        const auto c = r.append_audit(AuditEntry{{}, monday() + kDay, wang, "task.done", "task:1", "reached"});
        r.append_audit(AuditEntry{{}, monday(), wang, "task.add", "task:10", ""});  // not a prefix match
        EXPECT_THAT(ids(r.audit_for("task:1", 10)), ElementsAre(a.value, b.value, c.value));
        EXPECT_THAT(ids(r.audit_for("task:1", 2)), ElementsAre(a.value, b.value));
        EXPECT_FALSE(r.audit_for("task:1", 10)[1].actor);
        EXPECT_EQ(r.audit_for("task:1", 10)[2].detail, "reached");
        EXPECT_THAT(r.audit_for("task:3", 10), IsEmpty());
    });
}

TEST_P(Listings, ATeamsHistoryInAHalfOpenRangeInTimeOrder) {
    store->transact([&](Repo& r) {
        const auto from = monday(), to = monday() + 7 * kDay;
        const auto late = add_task(r, e2, wang, from + kDay, TaskStatus::done);
        const auto early = add_task(r, e1, li, from, TaskStatus::cancelled);  // at `from`: in
        add_task(r, e1, li, to, TaskStatus::open);                            // at `to`: out
        add_task(r, w1, olaf, from + kHour, TaskStatus::open);                // West's
        EXPECT_THAT(ids(r.team_tasks_due_between(east, from, to)), ElementsAre(early.value, late.value));

        const auto i2 = add_interaction(r, e2, wang, from + 2 * kHour);
        const auto i1 = add_interaction(r, w1, li, from + kHour);  // by East's member, of West's customer
        add_interaction(r, e1, olaf, from + kHour);                // by West's member
        add_interaction(r, e1, li, to);
        EXPECT_THAT(ids(r.team_interactions_between(east, from, to)), ElementsAre(i1.value, i2.value));

        const auto t2 = r.add_transfer(Transfer{{}, e2, std::nullopt, wang, wang, from + kDay, ""});
        const auto t1 = r.add_transfer(Transfer{{}, e1, li, std::nullopt, li, from, "duplicate"});
        r.add_transfer(Transfer{{}, w1, olaf, std::nullopt, olaf, from, ""});  // West's customer
        r.add_transfer(Transfer{{}, e1, std::nullopt, li, li, to, ""});
        EXPECT_THAT(ids(r.team_transfers_between(east, from, to)), ElementsAre(t1.value, t2.value));
        EXPECT_EQ(r.team_transfers_between(east, from, to)[0].reason, "duplicate");
    });
}

FU_CONTRACT_SUITE(Listings);

}  // namespace
}  // namespace fu::contract
