// storage::open_store: the engine by name, the contacts key found or made.
#include <gmock/gmock.h>

#include <filesystem>

#include "storage/open_store.hpp"
#include "storage/sqlite/db.hpp"
#include "storage_test_util.hpp"

namespace fu::storage {
namespace {

using ::testing::HasSubstr;

TEST(OpenStore, SqliteCreatesTheKeyFileOnceAndSaysSo) {
    test::TempDir dir;
    StoreOptions o;
    o.path = dir.file("f.db");
    auto first = open_store(o);
    ASSERT_TRUE(first.store);
    EXPECT_GT(first.store->schema_version(), 0);
    EXPECT_EQ(first.created_key_file, o.path + ".key");
    EXPECT_TRUE(std::filesystem::exists(first.created_key_file));
    first.store.reset();

    auto again = open_store(o);
    EXPECT_EQ(again.created_key_file, "");  // read back, not made anew
    again.store->transact([](Repo& r) { r.add_customer(Customer{.name = "Acme", .phone = "13800138000"}); });
    again.store->transact([](Repo& r) { EXPECT_EQ(r.find_customers("Acme", 1).at(0).phone, "13800138000"); });
}

TEST(OpenStore, AConfiguredKeyCreatesNoFile) {
    test::TempDir dir;
    StoreOptions o;
    o.path = dir.file("f.db");
    o.contacts_key = std::string(64, 'a');
    auto opened = open_store(o);
    EXPECT_EQ(opened.created_key_file, "");
    EXPECT_FALSE(std::filesystem::exists(o.path + ".key"));
}

TEST(OpenStore, AnUnknownEngineIsAnErrorNamingTheKeyAndTheValue) {
    StoreOptions o;
    o.engine = "oracle";
    o.path = ":memory:";
    try {
        open_store(o);
        FAIL() << "opened an unknown engine";
    } catch (const UnknownEngine& e) {
        EXPECT_THAT(e.what(), HasSubstr("storage.engine"));
        EXPECT_THAT(e.what(), HasSubstr("oracle"));
        EXPECT_THAT(e.what(), HasSubstr("sqlite"));
    }
}

TEST(OpenStore, ABadKeyIsTheEnginesError) {
    StoreOptions o;
    o.path = ":memory:";
    o.contacts_key = "not hex";
    EXPECT_THROW(open_store(o), StorageError);
}

// PostgreSQL: what stops start-up names the key to fix (no server needed).
TEST(OpenStore, PostgresWithoutAContactsKeyIsRefusedNamingIt) {
    StoreOptions o;
    o.engine = "postgres";
    o.url = "postgresql://followupd@127.0.0.1:1/followupd";
    try {
        open_store(o);
        FAIL() << "opened without a contacts key";
    } catch (const StorageError& e) {
        EXPECT_THAT(e.what(), HasSubstr("storage.contacts_key"));
    }
}

TEST(OpenStore, PostgresWithAnUnreadableUrlOrNoServerIsRefusedNamingStorageUrl) {
    StoreOptions o;
    o.engine = "postgres";
    o.contacts_key = std::string(64, 'a');
    for (const std::string url : {"postgresql://followupd@127.0.0.1:1/followupd",  // nothing listens on port 1
                                  "postgresql://[::1/followupd", "postgresql://h/db?sslmode=sometimes"}) {
        o.url = url;
        try {
            open_store(o);
            FAIL() << "opened " << url;
        } catch (const StorageError& e) {
            EXPECT_THAT(e.what(), HasSubstr("storage.url")) << url;
        }
    }
}

}  // namespace
}  // namespace fu::storage
