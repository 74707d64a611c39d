#pragma once
// A team in a real SQLite store (a temp file), and helpers to import and look.
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <date/date.h>

#include "core/bot.hpp"
#include "data/csv_export.hpp"
#include "data/csv_import.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace fu::test {

// Monday 2026-11-23 10:00 in Asia/Shanghai (02:00Z).
inline TimePoint monday_10am_shanghai() { return from_unix(1795399200); }

inline TimePoint utc(int y, unsigned m, unsigned d, int h, int min) {
    return TimePoint{date::sys_days{date::year{y} / m / d}.time_since_epoch() + std::chrono::hours(h) +
                     std::chrono::minutes(min)};
}

inline std::string fixture(const std::string& name) {
    std::ifstream in(std::string(FU_SOURCE_DIR) + "/tests/fixtures/csv/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A temporary database file, removed with its WAL files at the end of the test.
struct TempDb {
    explicit TempDb(std::string tag = "") {
        path = (std::filesystem::temp_directory_path() /
                ("fu-data-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name() + tag + ".db"))
                   .string();
        cleanup();
    }
    ~TempDb() { cleanup(); }
    void cleanup() {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    }
    std::string path;
};

struct DataWorld {
    explicit DataWorld(std::string tag = "") : db(std::move(tag)) {
        options.sop.daily_digest = false;
        options.sop.weekly_report = false;
        store = storage::SqliteStore::open(db.path);
        store->transact([&](Repo& r) {
            team = r.add_team(Team{{}, "East Sales"});
            other_team = r.add_team(Team{{}, "North Sales"});
            li = add(r, "li", "Li Na", Role::manager, team);
            wang = add(r, "wang", "Wang Wei", Role::rep, team);
            maria = add(r, "maria", "Maria", Role::rep, team);
            olaf = add(r, "olaf", "Olaf", Role::rep, other_team);
            boss = add(r, "boss", "Admin", Role::admin, std::nullopt);
        });
    }

    static UserId add(Repo& r, std::string handle, std::string name, Role role, std::optional<TeamId> team) {
        User u;
        u.handle = std::move(handle);
        u.display_name = std::move(name);
        u.role = role;
        u.team = team;
        u.time_zone = "Asia/Shanghai";
        return r.add_user(u);
    }

    data::ImportResult import(std::string_view bytes, UserId actor, bool dry_run = false, std::size_t batch = 500) {
        data::ImportOptions o;
        o.actor = actor;
        o.dry_run = dry_run;
        o.batch = batch;
        return data::import_customers(*store, options, now, bytes, o);
    }

    std::size_t customer_count() {
        std::size_t n = 0;
        store->transact([&](Repo& r) { n = r.customer_count(); });
        return n;
    }
    Customer by_external_id(const std::string& ext) {
        std::optional<Customer> c;
        store->transact([&](Repo& r) { c = r.customer_by_external_id(ext); });
        EXPECT_TRUE(c) << ext;
        return c.value_or(Customer{});
    }
    std::vector<Task> open_tasks(CustomerId id) {
        std::vector<Task> out;
        store->transact([&](Repo& r) { out = r.open_tasks_for_customer(id); });
        return out;
    }
    std::vector<AuditEntry> audit(std::string_view prefix) {
        std::vector<AuditEntry> out;
        store->transact([&](Repo& r) {
            Repo::AuditQuery q;
            q.action_prefix = std::string(prefix);
            q.limit = 1000;
            out = r.audit_search(q);
        });
        return out;
    }

    TempDb db;
    BotOptions options;
    TimePoint now = monday_10am_shanghai();
    std::unique_ptr<storage::SqliteStore> store;
    TeamId team, other_team;
    UserId li, wang, maria, olaf, boss;
};

}  // namespace fu::test
