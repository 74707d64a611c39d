#include "engines.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <unistd.h>

#include "pg_schema.hpp"
#include "storage/postgres/pg_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace fu::contract {
namespace {

// A SQLite database in a file of its own (WAL and all, as in production),
// removed with its directory when the store goes.
class TempSqliteStore final : public Store {
public:
    TempSqliteStore() {
        static std::atomic<int> counter{0};
        dir_ = std::filesystem::temp_directory_path() /
               ("fu-contract-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        store_ = storage::SqliteStore::open((dir_ / "contract.db").string());
    }
    ~TempSqliteStore() override {
        store_.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    void transact(const std::function<void(Repo&)>& fn) override { store_->transact(fn); }
    void group(const std::function<void()>& body) override { store_->group(body); }
    int schema_version() override { return store_->schema_version(); }

private:
    std::filesystem::path dir_;
    std::unique_ptr<storage::SqliteStore> store_;
};

// A PostgreSQL database of its own (support/pg_schema.hpp).
class TempPgStore final : public Store {
public:
    explicit TempPgStore(const std::string& url) : schema_(url), store_(storage::PgStore::open(schema_.url())) {}
    ~TempPgStore() override { store_.reset(); }

    void transact(const std::function<void(Repo&)>& fn) override { store_->transact(fn); }
    void group(const std::function<void()>& body) override { store_->group(body); }
    int schema_version() override { return store_->schema_version(); }

private:
    test::PgSchema schema_;
    std::unique_ptr<storage::PgStore> store_;
};

}  // namespace

const char* postgres_url() { return test::PgSchema::server(); }

const std::vector<Engine>& engines() {
    static const std::vector<Engine> all = [] {
        std::vector<Engine> out{
            {"SQLite", [] { return std::unique_ptr<Store>(std::make_unique<TempSqliteStore>()); }},
        };
        if (const char* url = postgres_url()) {
            std::string u = url;
            out.push_back({"PostgreSQL", [u] { return std::unique_ptr<Store>(std::make_unique<TempPgStore>(u)); }});
        } else {
            std::cerr << "contract: FU_TEST_PG_URL is not set; PostgreSQL is not tested "
                         "(scripts/test starts a server and sets it)\n";
        }
        return out;
    }();
    return all;
}

}  // namespace fu::contract

namespace fu::contract {
namespace {

// scripts/test starts a PostgreSQL server and asks for it: the suite must not
// quietly run on SQLite alone there.
TEST(Engines, PostgreSQLIsTestedWhereRequired) {
    if (!test::PgSchema::required()) GTEST_SKIP() << "FU_TEST_REQUIRE_PG is not set";
    ASSERT_NE(postgres_url(), nullptr) << "FU_TEST_PG_URL is not set";
    bool found = false;
    for (const auto& e : engines()) found = found || e.name == "PostgreSQL";
    EXPECT_TRUE(found);
}

}  // namespace
}  // namespace fu::contract
