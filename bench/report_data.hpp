#pragma once
// The managers' history the benchmarks run on (report_bench, dashboard_bench):
// a SQLite file of teams x (100 reps + a manager) and an admin, 20 customers per
// rep, follow-ups, interactions, pool movements and snoozes over the year before
// "now" (Wed 2026-11-25 15:00 Asia/Shanghai). Full scale (Scale{}): 100 teams,
// 10,100 users, 200,000 customers, 1,000,000 follow-ups, 5,000,000
// interactions; Scale::of(f) is a fraction of that (teams and counts times f,
// still 100 reps a team), for a quick run.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "storage/sqlite/sqlite_store.hpp"

namespace fu::bench {

struct Scale {
    int teams = 100;
    std::int64_t tasks = 1'000'000;
    std::int64_t interactions = 5'000'000;
    std::int64_t transfers = 100'000;
    std::int64_t snoozes = 200'000;
    static Scale of(double f) {
        const auto n = [f](double full) { return std::max<std::int64_t>(1, std::llround(full * f)); };
        return Scale{static_cast<int>(n(100)), n(1e6), n(5e6), n(1e5), n(2e5)};
    }
};

constexpr int kRepsPerTeam = 100;
constexpr int kCustomersPerRep = 20;
constexpr std::int64_t kNow = 1796108400;  // Wed 2026-11-25 15:00 +08
constexpr std::int64_t kYear = 365 * 86400;

inline void exec(sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::fprintf(stderr, "SQL error: %s\n%s\n", err ? err : "?", sql.c_str());
        std::exit(1);
    }
}

inline std::int64_t scalar(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    std::int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

inline bool complete(const std::string& path, const Scale& scale = {}) {
    if (!std::filesystem::exists(path)) return false;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return false;
    const bool ok = scalar(db, "SELECT v FROM bench_meta WHERE k = 'complete'") == 1 &&
                    scalar(db, "SELECT v FROM bench_meta WHERE k = 'interactions'") == scale.interactions &&
                    scalar(db, "SELECT COUNT(*) FROM teams") == scale.teams;
    sqlite3_close(db);
    return ok;
}

// A pseudo-random number in [0, n) from a row number and a salt: the data set
// is the same on every build.
inline std::string rnd(const std::string& i, int salt, std::int64_t n) {
    // A different odd multiplier per salt, so the figures drawn for one row
    // are independent of each other.
    static const char* const kMultipliers[] = {"2654435761", "2246822519", "3266489917", "668265263",  "374761393",
                                               "1103515245", "2166136261", "16777619",   "3141592653", "2718281829"};
    return "(((((" + i + ") + 1) * " + kMultipliers[salt % 10] + ") % 4294967296) * " + std::to_string(n) +
           " / 4294967296)";
}

inline void build(const std::string& path, const Scale& scale = {}) {
    const int kTeams = scale.teams;
    const std::int64_t kTasks = scale.tasks, kInteractions = scale.interactions, kTransfers = scale.transfers,
                       kSnoozes = scale.snoozes;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    storage::SqliteStore::open(path);  // the schema, migrated
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -400000;");
    exec(db, "CREATE TABLE bench_meta (k TEXT PRIMARY KEY, v INTEGER)");

    // Indexes are dropped for the bulk load and built again at the end.
    std::vector<std::pair<std::string, std::string>> indexes;
    {
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(db,
                           "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
                           "tbl_name IN ('tasks', 'interactions', 'transfers', 'audit', 'customers', 'users')",
                           -1, &s, nullptr);
        while (sqlite3_step(s) == SQLITE_ROW)
            indexes.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                                 reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
        sqlite3_finalize(s);
    }
    for (const auto& [name, sql] : indexes) exec(db, "DROP INDEX " + name);

    auto t0 = std::chrono::steady_clock::now();
    const int users_per_team = kRepsPerTeam + 1;
    const std::int64_t reps = std::int64_t{kTeams} * kRepsPerTeam;
    const std::int64_t customers = reps * kCustomersPerRep;
    const std::string seq = "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ";
    exec(db, "BEGIN");
    exec(db, seq + std::to_string(kTeams) + ") INSERT INTO teams (id, name) SELECT i + 1, 'Team ' || (i + 1) FROM n");
    // User ids: team t (1-based) has manager (t-1)*101+1 ("m<t>") and reps after it; the admin last.
    exec(db,
         seq + std::to_string(kTeams * users_per_team) +
             ") INSERT INTO users (id, handle, display_name, role, team_id, time_zone, lang, work_start_minute, "
             "work_end_minute, work_days) SELECT i + 1, "
             "CASE WHEN i % 101 = 0 THEN 'm' || (i / 101 + 1) ELSE 'r' || (i + 1) END, "
             "CASE WHEN i % 101 = 0 THEN 'Manager ' || (i / 101 + 1) ELSE 'Rep ' || printf('%05d', i + 1) END, "
             "CASE WHEN i % 101 = 0 THEN 'manager' ELSE 'rep' END, i / 101 + 1, 'Asia/Shanghai', 'en', 540, 1080, 31 "
             "FROM n");
    exec(db,
         "INSERT INTO users (handle, display_name, role, team_id, time_zone, lang, work_start_minute, "
         "work_end_minute, work_days) VALUES ('admin', 'Admin', 'admin', NULL, 'Asia/Shanghai', 'en', 540, 1080, 31)");
    // Rep number k (0-based) -> user id: team k/100, position k%100.
    const auto rep_user = [](const std::string& k) { return "((" + k + ") / 100 * 101 + (" + k + ") % 100 + 2)"; };
    // Customer c (0-based) belongs to rep c/20.
    exec(db, seq + std::to_string(customers) +
                 ") INSERT INTO customers (id, name, owner_id, tier, stage, created_at, team_id) SELECT i + 1, "
                 "'Customer ' || (i + 1), " +
                 rep_user("i / 20") +
                 ", "
                 "CASE " +
                 rnd("i", 1, 10) +
                 " WHEN 0 THEN 'A' WHEN 1 THEN 'A' WHEN 2 THEN 'B' WHEN 3 THEN 'B' "
                 "WHEN 4 THEN 'B' ELSE 'C' END, "
                 "CASE " +
                 rnd("i", 2, 6) +
                 " WHEN 0 THEN 'lead' WHEN 1 THEN 'new_customer' WHEN 2 THEN 'active' "
                 "WHEN 3 THEN 'silent' WHEN 4 THEN 'churn_risk' ELSE 'won' END, " +
                 std::to_string(kNow - 2 * kYear) + ", (i / 20) / 100 + 1 FROM n");
    exec(db, "COMMIT");
    std::printf("  teams, users, customers: %.1f s\n", seconds_since(t0));

    // Follow-ups: due over the year before now and the week after. Past ones
    // are mostly done (on time or up to a day late), some cancelled, a few
    // still open; one in ten was snoozed.
    t0 = std::chrono::steady_clock::now();
    exec(db, "BEGIN");
    const std::string due = "(" + std::to_string(kNow - kYear) + " + " + rnd("i", 3, kYear + 7 * 86400) + ")";
    const std::string past = "(x.due < " + std::to_string(kNow) + ")";
    exec(db, seq + std::to_string(kTasks) + "), x AS (SELECT i, " + rnd("i", 4, customers) + " AS c, " + due +
                 " AS due, " + rnd("i", 5, 1000) +
                 " AS r FROM n) "
                 "INSERT INTO tasks (id, customer_id, assignee_id, due, method, topic, priority, status, snooze_count, "
                 "origin, created_at, remind_at, done_at, snoozed_until, reschedule_count, ladder_step) "
                 "SELECT x.i + 1, x.c + 1, " +
                 rep_user("x.c / 20") +
                 ", x.due, 'call', 'follow up', 'normal', "
                 "CASE WHEN NOT " +
                 past +
                 " THEN (CASE WHEN x.r % 10 = 0 THEN 'snoozed' ELSE 'open' END) "
                 "WHEN x.r < 940 THEN 'done' WHEN x.r < 990 THEN 'cancelled' ELSE (CASE WHEN x.r % 10 = 0 THEN "
                 "'snoozed' ELSE 'open' END) END, "
                 "CASE WHEN x.r % 10 = 0 THEN 1 + x.r % 3 ELSE 0 END, "
                 "CASE WHEN x.r % 97 = 0 THEN 'complaint' ELSE 'cadence' END, x.due - 7 * 86400, "
                 "CASE WHEN NOT " +
                 past +
                 " THEN x.due END, "
                 "CASE WHEN " +
                 past + " AND x.r < 940 THEN MIN(" + std::to_string(kNow) +
                 ", x.due - 7200 + (x.r * 131 % 120) * 900) END, "
                 "NULL, 0, CASE WHEN " +
                 past + " AND x.r >= 990 THEN 3 ELSE 0 END FROM x");
    exec(db, "COMMIT");
    std::printf("  tasks: %.1f s\n", seconds_since(t0));

    // Interactions: by the rep owning the customer, over the year before now.
    t0 = std::chrono::steady_clock::now();
    exec(db, "BEGIN");
    exec(db, seq + std::to_string(kInteractions) + "), x AS (SELECT i, " + rnd("i", 6, customers) + " AS c, " +
                 rnd("i", 7, 100) +
                 " AS r FROM n) "
                 "INSERT INTO interactions (id, customer_id, task_id, user_id, at, method, results, note, next_step, "
                 "satisfaction, stage, tier) SELECT x.i + 1, x.c + 1, NULL, " +
                 rep_user("x.c / 20") + ", " + std::to_string(kNow - kYear) + " + x.i * " + std::to_string(kYear) +
                 " / " + std::to_string(kInteractions) +
                 ", 'call', "
                 "CASE WHEN x.r < 30 THEN 'reached' || char(31) || 'interested' WHEN x.r < 50 THEN 'no_answer' "
                 "WHEN x.r < 65 THEN 'reached' WHEN x.r < 75 THEN 'reached' || char(31) || 'quote_sent' "
                 "WHEN x.r < 82 THEN 'reached' || char(31) || 'meeting' WHEN x.r < 87 THEN 'reached' || char(31) || "
                 "'won' WHEN x.r < 92 THEN 'not_interested' WHEN x.r < 95 THEN 'callback' ELSE 'reached' || char(31) "
                 "|| 'not_interested' END, '', '', "
                 "CASE WHEN x.r % 3 = 0 THEN 1 + x.r % 5 END, "
                 "CASE x.r % 6 WHEN 0 THEN 'lead' WHEN 1 THEN 'new_customer' WHEN 2 THEN 'active' WHEN 3 THEN "
                 "'silent' WHEN 4 THEN 'churn_risk' ELSE 'active' END, "
                 // The customer's tier, as generated for customer x.c above.
                 "CASE " +
                 rnd("x.c", 1, 10) +
                 " WHEN 0 THEN 'A' WHEN 1 THEN 'A' WHEN 2 THEN 'B' WHEN 3 THEN 'B' "
                 "WHEN 4 THEN 'B' ELSE 'C' END FROM x");
    exec(db, "COMMIT");
    std::printf("  interactions: %.1f s\n", seconds_since(t0));

    // Pool movements (reclaimed, released, claimed, assigned in turn) and snoozes.
    t0 = std::chrono::steady_clock::now();
    exec(db, "BEGIN");
    exec(db, seq + std::to_string(kTransfers) + "), x AS (SELECT i, " + rnd("i", 8, customers) +
                 " AS c FROM n) "
                 "INSERT INTO transfers (customer_id, from_user_id, to_user_id, by_user_id, at, reason) "
                 "SELECT x.c + 1, CASE WHEN x.i % 4 < 2 THEN " +
                 rep_user("x.c / 20") +
                 " END, "
                 "CASE WHEN x.i % 4 >= 2 THEN " +
                 rep_user("x.c / 20") +
                 " END, "
                 "CASE x.i % 4 WHEN 0 THEN NULL WHEN 1 THEN " +
                 rep_user("x.c / 20") + " WHEN 2 THEN " + rep_user("x.c / 20") +
                 " ELSE (x.c / 20) / 100 * 101 + 1 END, " + std::to_string(kNow - kYear) + " + x.i * " +
                 std::to_string(kYear) + " / " + std::to_string(kTransfers) +
                 ", CASE x.i % 4 WHEN 0 THEN 'overdue' WHEN 1 THEN 'release' WHEN 2 THEN 'claim' ELSE 'assign' END "
                 "FROM x");
    exec(db, seq + std::to_string(kSnoozes) + "), x AS (SELECT i, " + rnd("i", 9, reps) +
                 " AS k FROM n) "
                 "INSERT INTO audit (at, actor_id, action, subject, detail) SELECT " +
                 std::to_string(kNow - kYear) + " + x.i * " + std::to_string(kYear) + " / " + std::to_string(kSnoozes) +
                 ", " + rep_user("x.k") + ", 'task.snooze', 'task:' || (x.i + 1), '' FROM x");
    exec(db, "COMMIT");
    std::printf("  transfers, snoozes: %.1f s\n", seconds_since(t0));

    t0 = std::chrono::steady_clock::now();
    for (const auto& [name, sql] : indexes) exec(db, sql);
    exec(db, "ANALYZE");
    std::printf("  indexes, ANALYZE: %.1f s\n", seconds_since(t0));
    exec(db, "INSERT INTO bench_meta VALUES ('interactions', " + std::to_string(kInteractions) + "), ('complete', 1)");
    exec(db, "PRAGMA journal_mode = WAL");
    sqlite3_close(db);
}

}  // namespace fu::bench
