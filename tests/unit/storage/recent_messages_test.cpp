// Repo::recent_messages reads backwards along outbox(user_id, id) instead of
// paging through everything (what it returns: contract/outbox_test.cpp).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/sql/queries.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage_test_util.hpp"

namespace fu::storage {
namespace {

using test::RawDb;
using test::TempDir;

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
