// The PostgreSQL engine's reading of the SQL the engines share.
#include <gtest/gtest.h>

#include "storage/postgres/dialect.hpp"
#include "storage/sql/queries.hpp"

namespace fu::storage::pg {
namespace {

TEST(PgDialect, PlaceholdersAreNumberedAsSQLiteNumbersThem) {
    auto t = to_postgres("SELECT a FROM t WHERE x = ? AND y = ? LIMIT ?");
    EXPECT_EQ(t.sql, "SELECT a FROM t WHERE x = $1 AND y = $2 LIMIT $3");
    EXPECT_EQ(t.params, 3);
    // ?N keeps its number; a bare ? after it takes the next one.
    t = to_postgres("SELECT ?2, ?1, ?1, ?");
    EXPECT_EQ(t.sql, "SELECT $2, $1, $1, $3");
    EXPECT_EQ(t.params, 3);
    // :name takes a number at its first appearance and keeps it.
    t = to_postgres("WHERE a = :a AND substr(b, 1, length(:p)) = :p LIMIT :limit");
    EXPECT_EQ(t.sql, "WHERE a = $1 AND substr(b, 1, length($2)) = $2 LIMIT $3");
    EXPECT_EQ(t.params, 3);
}

TEST(PgDialect, AParameterAFormSkipsIsKnownAsSkipped) {
    // The every-team form of a report binds ?1 (the team) but never reads it:
    // the server needs a type for it all the same.
    auto t = to_postgres("SELECT COUNT(*) FROM tasks WHERE due >= ?2 AND due < ?3");
    EXPECT_EQ(t.params, 3);
    EXPECT_EQ(t.used, (std::vector<bool>{false, true, true}));
}

TEST(PgDialect, QuotesCommentsAndCastsAreLeftAlone) {
    auto t = to_postgres("SELECT '?', 'it''s :x ?', \"?col\", x::text -- why?\nFROM t WHERE a = ?");
    EXPECT_EQ(t.sql, "SELECT '?', 'it''s :x ?', \"?col\", x::text -- why?\nFROM t WHERE a = $1");
    EXPECT_EQ(t.params, 1);
}

TEST(PgDialect, SQLitePlannerHintsGo) {
    auto t = to_postgres("SELECT 1 FROM tasks t INDEXED BY tasks_open WHERE t.a = ?1");
    EXPECT_EQ(t.sql, "SELECT 1 FROM tasks t WHERE t.a = $1");
    t = to_postgres("FROM audit a CROSS JOIN users u ON u.id = a.actor_id");
    EXPECT_EQ(t.sql, "FROM audit a JOIN users u ON u.id = a.actor_id");
    // Words that only contain the hint's words stay.
    t = to_postgres("SELECT crossed, indexed_by FROM t");
    EXPECT_EQ(t.sql, "SELECT crossed, indexed_by FROM t");
}

TEST(PgDialect, AStatementThatMeansSomethingElseIsReplacedWhole) {
    // users.handle is NOCASE in SQLite: here the lookup folds case itself.
    auto t = to_postgres(sql::kSelectUserByHandle);
    EXPECT_NE(t.sql.find("lower(handle) = lower($1)"), std::string::npos) << t.sql;
    EXPECT_EQ(t.params, 1);
}

TEST(PgDialect, DueRemindersAndSchedulesAreClaimedByTheTransactionThatFiresThem) {
    for (auto q : {sql::kSelectRemindersDue, sql::kSelectSchedulesDue}) {
        auto t = to_postgres(q);
        EXPECT_TRUE(t.sql.ends_with("LIMIT $2 FOR UPDATE SKIP LOCKED")) << t.sql;
    }
}

}  // namespace
}  // namespace fu::storage::pg
