// Teams and users from the config into the store at start-up: a new user's
// language comes from the config, else from the platform their reminders go
// to (the adapters' registry), else from defaults.lang.
#include "server/app.hpp"

#include <gtest/gtest.h>

#include "adapters/registry.hpp"
#include "config/config.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace {

using fu::Lang;
using fu::Repo;

fu::config::Config config(const std::string& defaults_lang) {
    auto cfg = fu::config::load_text(R"({"defaults": {"lang": ")" + defaults_lang + R"("}, "teams": ["East Sales"],
        "users": [
          {"handle": "web", "team": "East Sales"},
          {"handle": "tg", "team": "East Sales", "identities": {"telegram": "1"}, "notify": "telegram"},
          {"handle": "fs", "team": "East Sales", "identities": {"feishu": "ou_1"}, "notify": "feishu"},
          {"handle": "dt", "team": "East Sales", "identities": {"dingtalk": "d1"}, "notify": "dingtalk"},
          {"handle": "wc", "team": "East Sales", "identities": {"wecom": "w1"}, "notify": "wecom"},
          {"handle": "own", "team": "East Sales", "identities": {"wecom": "w2"}, "notify": "wecom", "lang": "en"}]})",
                                     {});
    fu::adapters::validate_all(cfg);
    return cfg;
}

Lang lang_of(fu::storage::SqliteStore& store, const char* handle) {
    Lang out{};
    store.transact([&](Repo& r) { out = r.user_by_handle(handle)->lang; });
    return out;
}

}  // namespace

TEST(SyncPeople, ANewUsersLanguageFollowsThePlatformTheyAreRemindedOn) {
    auto store = fu::storage::SqliteStore::open(":memory:");
    store->transact([&](Repo& r) { fu::server::sync_people(r, config("en")); });
    EXPECT_EQ(lang_of(*store, "web"), Lang::en);
    EXPECT_EQ(lang_of(*store, "tg"), Lang::en);
    EXPECT_EQ(lang_of(*store, "fs"), Lang::zh);
    EXPECT_EQ(lang_of(*store, "dt"), Lang::zh);
    EXPECT_EQ(lang_of(*store, "wc"), Lang::zh);
    EXPECT_EQ(lang_of(*store, "own"), Lang::en);  // the config's choice wins
}

TEST(SyncPeople, AKnownUserKeepsTheLanguageTheyChose) {
    auto store = fu::storage::SqliteStore::open(":memory:");
    store->transact([&](Repo& r) { fu::server::sync_people(r, config("zh")); });
    EXPECT_EQ(lang_of(*store, "tg"), Lang::zh);
    store->transact([&](Repo& r) {
        auto u = *r.user_by_handle("fs");
        u.lang = Lang::en;  // as the `lang` command does
        r.update_user(u);
    });
    store->transact([&](Repo& r) { fu::server::sync_people(r, config("en")); });
    EXPECT_EQ(lang_of(*store, "fs"), Lang::en);
    EXPECT_EQ(lang_of(*store, "tg"), Lang::zh);  // not new any more: defaults.lang does not change it
}
