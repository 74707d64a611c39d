// The hot queries must be index lookups: EXPLAIN QUERY PLAN of the exact SQL
// the store prepares (queries.hpp), on a freshly migrated file.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/sql/queries.hpp"
#include "storage/sql/report_queries.hpp"
#include "storage/sql/sql_repo.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage_test_util.hpp"

namespace fu::storage {
namespace {

using test::RawDb;
using test::TempDir;

class QueryPlan : public ::testing::Test {
protected:
    void SetUp() override { SqliteStore::open(path); }

    std::vector<std::string> plan(std::string_view sql) {
        RawDb raw(path);
        auto r = raw.run("EXPLAIN QUERY PLAN " + std::string(sql));
        EXPECT_EQ(r.rc, SQLITE_OK) << r.error;
        std::vector<std::string> details;
        for (const auto& row : r.rows) details.push_back(row.back());
        return details;
    }

    static bool mentions(const std::vector<std::string>& details, std::string_view text) {
        for (const auto& d : details)
            if (d.find(text) != std::string::npos) return true;
        return false;
    }

    // A full scan reads "SCAN tasks" or "SCAN t" (alias), possibly with "USING INDEX".
    static bool scans(const std::vector<std::string>& details, std::string_view table) {
        for (const auto& d : details)
            if (d.rfind("SCAN " + std::string(table), 0) == 0) return true;
        return false;
    }

    static std::string dump(const std::vector<std::string>& details) {
        std::string out;
        for (const auto& d : details) out += d + "\n";
        return out;
    }

    TempDir dir;
    std::string path = dir.file("f.db");
};

TEST_F(QueryPlan, NextReminderAtIsAnIndexedMinOnThePartialIndex) {
    auto p = plan(sql::kNextReminderAt);
    EXPECT_TRUE(mentions(p, "tasks_remind_at")) << dump(p);
    EXPECT_FALSE(scans(p, "tasks")) << dump(p);
}

TEST_F(QueryPlan, RemindersDueIsARangeOnThePartialIndex) {
    auto p = plan(sql::kSelectRemindersDue);
    EXPECT_TRUE(mentions(p, "tasks_remind_at")) << dump(p);
    EXPECT_FALSE(scans(p, "tasks")) << dump(p);
    // Already in remind_at order: no sort step.
    EXPECT_FALSE(mentions(p, "TEMP B-TREE")) << dump(p);
}

TEST_F(QueryPlan, TeamStatsWalkOnlyTheMembersEntriesOfCoveringIndexes) {
    for (auto q : {sql::kSelectStatsOpen, sql::kSelectStatsDone}) {
        auto p = plan(q);
        EXPECT_TRUE(mentions(p, "COVERING INDEX tasks_assignee_status")) << dump(p);
        EXPECT_TRUE(mentions(p, "SEARCH u USING COVERING INDEX users_team")) << dump(p);
        EXPECT_FALSE(mentions(p, "TEMP B-TREE")) << dump(p);
        EXPECT_FALSE(scans(p, "t")) << dump(p);
        EXPECT_FALSE(scans(p, "u")) << dump(p);
    }
}

TEST_F(QueryPlan, PerPersonAndPerCustomerListsAreIndexLookups) {
    struct Case {
        std::string_view sql;
        std::string_view index;
    };
    for (auto [q, index] :
         {Case{sql::kSelectOpenTasksFor, "tasks_assignee_status_due"},
          Case{sql::kSelectOpenTasksForTeam, "tasks_assignee_status_due"},
          Case{sql::kSelectOpenTasksForCustomer, "tasks_customer_due"},
          Case{sql::kSelectTasksForCustomer, "tasks_customer_due"},
          Case{sql::kSelectCustomersOwnedBy, "customers_owner"},
          Case{sql::kSelectInteractionsForCustomer, "interactions_customer_at"},
          Case{sql::kSelectTransfersForCustomer, "transfers_customer_at"},
          Case{sql::kSelectMessagesAfter, "outbox_user_id"}, Case{sql::kLastMessageId, "outbox_user_id"},
          Case{sql::kSelectUserByHandle, "sqlite_autoindex_users"}}) {
        auto p = plan(q);
        // A member's open follow-ups may also come from the partial index of open ones.
        const bool open_list = index == "tasks_assignee_status_due" && mentions(p, "tasks_open (assignee_id=?");
        EXPECT_TRUE(mentions(p, index) || open_list) << q << "\n" << dump(p);
        for (auto table : {"tasks", "t", "customers", "interactions", "transfers", "outbox", "users"})
            EXPECT_FALSE(scans(p, table)) << q << "\n" << dump(p);
    }
}

// Reports: a team's figures come from its members' index entries, every
// team's from time-ordered ranges; no query reads a whole table.
TEST_F(QueryPlan, ReportQueriesNeverScanATable) {
    const auto queries = SqlRepo::report_queries();
    ASSERT_EQ(queries.size(), 22u);
    for (auto q : queries) {
        auto p = plan(q);
        for (auto table :
             {"tasks", "t", "interactions", "i", "audit", "a", "transfers", "tr", "customers", "c", "users", "u"})
            for (const auto& d : p)
                if (d.rfind("SCAN " + std::string(table) + " ", 0) == 0 || d == "SCAN " + std::string(table))
                    // Open follow-ups are few: walking the partial index of them is the plan.
                    EXPECT_NE(d.find("COVERING INDEX tasks_open"), std::string::npos) << q << "\n" << dump(p);
    }
}

// Every team's timeliness reads tasks_due_report alone (covering): the
// dashboard runs it for each of 12 weeks.
TEST_F(QueryPlan, EveryTeamsTimelinessIsCoveredByItsIndex) {
    for (auto q : {sql::reports::kDueAll, sql::reports::kSnoozedLateAll}) {
        const auto p = plan(q);
        EXPECT_TRUE(mentions(p, "COVERING INDEX tasks_due_report")) << q << "\n" << dump(p);
    }
}

TEST_F(QueryPlan, ATeamsReportWalksItsMembersEntries) {
    const auto queries = SqlRepo::report_queries();
    // Team forms are the even entries (team, all, team, all, ...).
    for (std::size_t n = 0; n < queries.size(); n += 2) {
        auto p = plan(queries[n]);
        const bool via_members = mentions(p, "users_team");
        const bool via_time = mentions(p, "audit_action_at") || mentions(p, "transfers_at");
        EXPECT_TRUE(via_members || via_time) << queries[n] << "\n" << dump(p);
    }
}

TEST_F(QueryPlan, EveryTeamsReportRangesOverTimeOrderedIndexes) {
    const auto queries = SqlRepo::report_queries();
    for (std::size_t n = 1; n < queries.size(); n += 2) {
        auto p = plan(queries[n]);
        EXPECT_FALSE(mentions(p, "users_team")) << queries[n] << "\n" << dump(p);
        EXPECT_TRUE(mentions(p, "interactions_at_report") || mentions(p, "tasks_due_report") ||
                    mentions(p, "tasks_done_at") || mentions(p, "tasks_open") || mentions(p, "audit_action_at") ||
                    mentions(p, "transfers_at"))
            << queries[n] << "\n"
            << dump(p);
    }
}

// A retention batch reads at most its limit of entries from an index range of
// the old rows and deletes them by key: it costs the same however long the
// table, and nothing when there is nothing old.
TEST_F(QueryPlan, ARetentionBatchWalksAnIndexRangeAndDeletesByKey) {
    const std::pair<std::string_view, std::string_view> batches[] = {
        {sql::kPruneSeenEvents, "seen_events_seen_at"},
        {sql::kPruneOutbox, "outbox_created_at"},
        {sql::kPruneAudit, "audit_at"},
        {sql::kPruneSignInSecrets, "sign_in_secrets_expires"},
        {sql::kPruneWebSessions, "web_sessions_expires"},
    };
    for (const auto& [q, index] : batches) {
        auto p = plan(q);
        EXPECT_TRUE(mentions(p, "INDEX " + std::string(index))) << q << "\n" << dump(p);
        for (const auto& d : p) EXPECT_NE(d.rfind("SCAN", 0), 0u) << q << "\n" << dump(p);
    }
    // A message still on its way is found through the foreign key's index.
    EXPECT_TRUE(mentions(plan(sql::kPruneOutbox), "deliveries_message")) << dump(plan(sql::kPruneOutbox));
}

}  // namespace
}  // namespace fu::storage
