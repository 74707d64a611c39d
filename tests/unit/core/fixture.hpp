#pragma once
// A Bot over a real store and a fake clock: SQLite (in memory or a temp
// file), or with FU_TEST_ENGINE=postgres a PostgreSQL schema of its own
// (scripts/test runs core_tests both ways).
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/bot.hpp"
#include "pg_schema.hpp"
#include "storage/postgres/pg_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace fu::test {

// Monday 2026-11-23 10:00 in Asia/Shanghai.
inline TimePoint monday_10am_shanghai() { return from_unix(1795399200); }

struct World {
    // Digests and weekly reports off unless a test asks for them: most tests
    // are about one rule at a time.
    static BotOptions quiet() {
        BotOptions o;
        o.sop.daily_digest = false;
        o.sop.weekly_report = false;
        return o;
    }

    explicit World(std::string path = ":memory:", BotOptions options = quiet())
        : path(std::move(path)), clock(monday_10am_shanghai()), options(options) {
        reopen();
        store->transact([&](Repo& r) {
            team = r.add_team(Team{{}, "East Sales"});
            other_team = r.add_team(Team{{}, "North Sales"});
            li = add(r, "li", "Li Na", Role::manager, team, Lang::en);
            wang = add(r, "wang", "Wang Wei", Role::rep, team, Lang::zh);
            maria = add(r, "maria", "Maria", Role::rep, team, Lang::en);
            olaf = add(r, "olaf", "Olaf", Role::rep, other_team, Lang::en);
        });
    }

    void reopen() {
        bot.reset();
        store.reset();
        if (PgSchema::wanted()) {
            if (!pg) pg = std::make_unique<PgSchema>(PgSchema::server() ? PgSchema::server() : "");
            store = storage::PgStore::open(pg->url());
        } else {
            store = storage::SqliteStore::open(path);
        }
        bot = std::make_unique<Bot>(*store, clock, options);
    }

    static UserId add(Repo& r, std::string handle, std::string name, Role role, TeamId team, Lang lang) {
        User u;
        u.handle = std::move(handle);
        u.display_name = std::move(name);
        u.role = role;
        u.team = team;
        u.lang = lang;
        u.time_zone = "Asia/Shanghai";
        return r.add_user(u);
    }

    std::string say(const std::string& who, const std::string& text) { return bot->handle(who, text).reply.text; }

    // The task id in a reply such as "Follow-up scheduled: #12 …".
    static std::int64_t task_id_in(const std::string& reply) {
        const auto pos = reply.find('#');
        EXPECT_NE(pos, std::string::npos) << reply;
        return pos == std::string::npos ? 0 : std::stoll(reply.substr(pos + 1));
    }

    std::vector<OutboxMessage> messages(UserId u) {
        std::vector<OutboxMessage> out;
        store->transact([&](Repo& r) { out = r.messages_after(u, MessageId{0}, 1000); });
        return out;
    }

    std::optional<Task> task(std::int64_t id) {
        std::optional<Task> t;
        store->transact([&](Repo& r) { t = r.task(TaskId{id}); });
        return t;
    }

    std::string path;
    FakeClock clock;
    BotOptions options;
    std::unique_ptr<PgSchema> pg;  // with FU_TEST_ENGINE=postgres; outlives the store
    std::unique_ptr<Store> store;
    std::unique_ptr<Bot> bot;
    TeamId team, other_team;
    UserId li, wang, maria, olaf;
};

// A temporary file path, removed with its WAL files at the end of the test.
struct TempDb {
    TempDb() {
        path = (std::filesystem::temp_directory_path() /
                ("fu-core-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                   .string();
        cleanup();
    }
    ~TempDb() { cleanup(); }
    void cleanup() {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    }
    std::string path;
};

}  // namespace fu::test
