#pragma once
// A PostgreSQL database of a test's own: a fresh schema on the server named
// by FU_TEST_PG_URL (scripts/test starts a throwaway one), dropped at the
// end. Stores opened with url() see only that schema.
#include <atomic>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "storage/postgres/pg.hpp"

namespace fu::test {

class PgSchema {
public:
    // The server to use, or null when none is given.
    static const char* server() {
        const char* url = std::getenv("FU_TEST_PG_URL");
        return url && *url ? url : nullptr;
    }
    // Whether scripts/test asked for PostgreSQL (FU_TEST_REQUIRE_PG=1): a test
    // that needs a server must fail there, not quietly skip.
    static bool required() {
        const char* r = std::getenv("FU_TEST_REQUIRE_PG");
        return r && std::string(r) == "1";
    }
    // Whether FU_TEST_ENGINE asks for PostgreSQL where a test may run on either engine.
    static bool wanted() {
        const char* engine = std::getenv("FU_TEST_ENGINE");
        return engine && std::string(engine) == "postgres";
    }

    explicit PgSchema(std::string server_url) : server_(std::move(server_url)) {
        static std::atomic<int> counter{0};
        name_ = "fu_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
        storage::pg::Connection admin(server_);
        admin.exec("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
        admin.exec("CREATE SCHEMA " + name_);
    }
    ~PgSchema() {
        try {
            storage::pg::Connection(server_).exec("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
        } catch (...) {
        }
    }
    PgSchema(const PgSchema&) = delete;
    PgSchema& operator=(const PgSchema&) = delete;

    std::string url() const {
        const char sep = server_.find('?') == std::string::npos ? '?' : '&';
        return server_ + sep + "options=-csearch_path%3D" + name_;
    }

private:
    std::string server_;
    std::string name_;
};

// In a fixture's SetUp: the server, or the test fails (when required) or skips.
#define FU_NEED_PG_SERVER()                                                                                       \
    do {                                                                                                          \
        if (!::fu::test::PgSchema::server()) {                                                                    \
            if (::fu::test::PgSchema::required()) FAIL() << "FU_TEST_REQUIRE_PG=1 but FU_TEST_PG_URL is not set"; \
            GTEST_SKIP() << "FU_TEST_PG_URL is not set";                                                          \
        }                                                                                                         \
    } while (0)

}  // namespace fu::test
