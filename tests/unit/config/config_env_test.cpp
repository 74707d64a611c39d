// The config from the environment, the shipped example configs, and the
// sections kept for the platforms' adapters.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_kit.hpp"

// ---- environment ----------------------------------------------------------------

TEST(ConfigEnv, OverridesEveryScalar) {
    Env env = {{"FOLLOWUPD_SERVER_ADDRESS", "127.0.0.2"},
               {"FOLLOWUPD_SERVER_PORT", "9000"},
               {"FOLLOWUPD_SERVER_IO_THREADS", "4"},
               {"FOLLOWUPD_SERVER_BODY_LIMIT_BYTES", "2048"},
               {"FOLLOWUPD_STORAGE_PATH", "/tmp/x.db"},
               {"FOLLOWUPD_WEB_CHAT_ENABLED", "false"},
               {"FOLLOWUPD_WEB_CHAT_TOKEN", "tok"},
               {"FOLLOWUPD_DEFAULTS_TIME_ZONE", "UTC"},
               {"FOLLOWUPD_DEFAULTS_LANG", "en"},
               {"FOLLOWUPD_DEFAULTS_WORK_HOURS", "07:00-15:00"},
               {"FOLLOWUPD_DEFAULTS_WORK_DAYS", "sat, sun"},
               {"FOLLOWUPD_LOG_LEVEL", "debug"},
               {"FOLLOWUPD_REMINDERS_CATCH_UP_MIN", "7"},
               {"FOLLOWUPD_DEMO_SEED", "1"}};
    Config c = load(R"({"server": {"port": 1234}, "web_chat": {"token": "from-file"}})", env);
    EXPECT_EQ(c.address, "127.0.0.2");  // loopback: the demo's token stays allowed
    EXPECT_EQ(c.port, 9000);
    EXPECT_EQ(c.io_threads, 4);
    EXPECT_EQ(c.body_limit, 2048u);
    EXPECT_EQ(c.database, "/tmp/x.db");
    EXPECT_FALSE(c.web_chat);
    EXPECT_EQ(c.web_chat_token, "tok");
    EXPECT_EQ(c.time_zone, "UTC");
    EXPECT_EQ(c.lang, fu::Lang::en);
    EXPECT_EQ(c.work_start_minute, 7 * 60);
    EXPECT_EQ(c.work_end_minute, 15 * 60);
    EXPECT_EQ(c.work_days, 0b1100000);
    EXPECT_EQ(c.log_level, "debug");
    EXPECT_EQ(c.catch_up_min, 7);
    EXPECT_TRUE(c.demo);
}

TEST(ConfigEnv, EnvDefaultTimeZoneReachesUsers) {
    Config c = load(with_user(R"({"handle": "a", "team": "East Sales"})"), {{"FOLLOWUPD_DEFAULTS_TIME_ZONE", "UTC"}});
    EXPECT_EQ(c.users[0].time_zone, "UTC");
}

TEST(ConfigEnv, EmptyTokenClearsFileToken) {
    EXPECT_EQ(load(R"({"demo": {"seed": true}, "web_chat": {"token": "x"}})", {{"FOLLOWUPD_WEB_CHAT_TOKEN", ""}})
                  .web_chat_token,
              "");
}

TEST(ConfigEnv, BooleanSpellings) {
    for (const char* t : {"true", "TRUE", "1", "yes", "on"})
        EXPECT_TRUE(load("{}", {{"FOLLOWUPD_DEMO_SEED", t}}).demo) << t;
    for (const char* f : {"false", "0", "no", "off", "Off"})
        EXPECT_FALSE(load("{}", {{"FOLLOWUPD_WEB_CHAT_ENABLED", f}}).web_chat) << f;
}

TEST(ConfigEnv, ReservedAndForeignVariablesIgnored) {
    Config c = load(
        "{}",
        {{"FOLLOWUPD_BIN", "/usr/bin/followupd"}, {"FOLLOWUPD_CONFIG", "x.json"}, {"PATH", "/bin"}, {"HOME", "/root"}});
    EXPECT_EQ(c.port, 8080);
}

TEST(ConfigEnv, BadValuesNameTheVariable) {
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_SERVER_PORT", "80a"}}), "FOLLOWUPD_SERVER_PORT", "0..65535");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_SERVER_PORT", ""}}), "FOLLOWUPD_SERVER_PORT", "0..65535");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_SERVER_PORT", " 80"}}), "FOLLOWUPD_SERVER_PORT", "0..65535");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_SERVER_PORT", "70000"}}), "FOLLOWUPD_SERVER_PORT", "0..65535");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_SERVER_PORT", "99999999999999999999999"}}), "FOLLOWUPD_SERVER_PORT",
                     "0..65535");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_SERVER_IO_THREADS", "0"}}), "FOLLOWUPD_SERVER_IO_THREADS", "1..64");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_SERVER_ADDRESS", ""}}), "FOLLOWUPD_SERVER_ADDRESS", "non-empty");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_STORAGE_PATH", ""}}), "FOLLOWUPD_STORAGE_PATH", "non-empty");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_WEB_CHAT_ENABLED", "maybe"}}), "FOLLOWUPD_WEB_CHAT_ENABLED",
                     "true or false");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_DEFAULTS_TIME_ZONE", "Mars/Olympus"}}), "FOLLOWUPD_DEFAULTS_TIME_ZONE",
                     "IANA");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_DEFAULTS_LANG", "jp"}}), "FOLLOWUPD_DEFAULTS_LANG", "\"en\"");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_DEFAULTS_WORK_HOURS", "9-5"}}), "FOLLOWUPD_DEFAULTS_WORK_HOURS", "HH:MM");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_DEFAULTS_WORK_DAYS", "mon,xyz"}}), "FOLLOWUPD_DEFAULTS_WORK_DAYS",
                     "\"mon\"");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_DEFAULTS_WORK_DAYS", "mon,mon"}}), "FOLLOWUPD_DEFAULTS_WORK_DAYS", "twice");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_LOG_LEVEL", "loud"}}), "FOLLOWUPD_LOG_LEVEL", "trace");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_REMINDERS_CATCH_UP_MIN", "0"}}), "FOLLOWUPD_REMINDERS_CATCH_UP_MIN",
                     "1..1000");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_DEMO_SEED", "2"}}), "FOLLOWUPD_DEMO_SEED", "true or false");
    auto e = error_of("{}", {{"FOLLOWUPD_SERVER_PORT", "70000"}});
    EXPECT_EQ(e.value(), "70000");
    EXPECT_STREQ(e.what(),
                 R"(config: FOLLOWUPD_SERVER_PORT = "70000": expected an integer 0..65535 (0: any free port))");
}

TEST(ConfigEnv, EnvFixesBadFileValue) {
    // The file's value is replaced before validation, so a good env value wins.
    EXPECT_EQ(load(R"({"server": {"port": "oops"}})", {{"FOLLOWUPD_SERVER_PORT", "81"}}).port, 81);
}

TEST(ConfigEnv, ProcessEnvCollectsOnlyFollowupd) {
    ::setenv("FOLLOWUPD_TEST_PROCESS_ENV", "a=b", 1);
    ::setenv("NOT_FOLLOWUPD_X", "1", 1);
    auto env = fu::config::process_env();
    ::unsetenv("FOLLOWUPD_TEST_PROCESS_ENV");
    ::unsetenv("NOT_FOLLOWUPD_X");
    ASSERT_EQ(env.count("FOLLOWUPD_TEST_PROCESS_ENV"), 1u);
    EXPECT_EQ(env["FOLLOWUPD_TEST_PROCESS_ENV"], "a=b");
    for (const auto& [k, v] : env) EXPECT_EQ(k.rfind("FOLLOWUPD_", 0), 0u) << k;
}

// ---- shipped example configs ---------------------------------------------------

#ifdef FU_SOURCE_DIR
TEST(ConfigFiles, DemoLoads) {
    Config c = load_file(std::string(FU_SOURCE_DIR) + "/config/demo.json", {});
    EXPECT_TRUE(c.demo);
    EXPECT_TRUE(c.web_chat_pick);
    EXPECT_EQ(c.port, 8080);
    EXPECT_EQ(c.database, "var/followupd.db");
    ASSERT_EQ(c.teams, std::vector<std::string>{"East Sales"});
    ASSERT_EQ(c.users.size(), 4u);
    EXPECT_EQ(c.users[0].handle, "li");
    EXPECT_EQ(c.users[0].name, "李娜 Li Na");
    EXPECT_EQ(c.users[0].role, fu::Role::manager);
    EXPECT_EQ(c.users[1].handle, "wang");
    EXPECT_EQ(c.users[1].name, "王伟 Wang Wei");
    EXPECT_EQ(c.users[1].role, fu::Role::rep);
    EXPECT_EQ(c.users[2].handle, "maria");
    EXPECT_EQ(c.users[2].lang, fu::Lang::en);
    EXPECT_EQ(c.users[2].time_zone, "Asia/Shanghai");
    EXPECT_EQ(c.users[3].handle, "admin");
    EXPECT_EQ(c.users[3].role, fu::Role::admin);
}

TEST(ConfigFiles, ExampleLoads) {
    Config c = load_file(std::string(FU_SOURCE_DIR) + "/config/example.json", {});
    EXPECT_FALSE(c.users.empty());
    EXPECT_FALSE(c.teams.empty());
    EXPECT_EQ(c.users[1].identities.at("telegram"), "123456789");
    EXPECT_EQ(c.users[1].notify, "telegram");
    // It listens on every address, so everyone signs in: no pick mode, no shared token.
    EXPECT_EQ(c.address, "0.0.0.0");
    EXPECT_FALSE(c.web_chat_pick);
    EXPECT_TRUE(c.web_chat_token.empty());
    EXPECT_THROW(load_file(std::string(FU_SOURCE_DIR) + "/config/example.json", {{"FOLLOWUPD_WEB_CHAT_TOKEN", "t"}}),
                 ConfigError);
}
#endif

// ---- users: identities and notify ------------------------------------------------

TEST(ConfigUserPlatforms, Defaults) {
    Config c = load(with_user(R"({"handle": "a", "team": "East Sales"})"));
    EXPECT_TRUE(c.users[0].identities.empty());
    EXPECT_EQ(c.users[0].notify, "web");
}

// ---- chat platforms: kept for their adapters ------------------------------------------

TEST(ConfigPlatforms, OtherSectionsAreKeptAsJsonText) {
    const Config c = load(R"({"server": {"port": 1}, "telegram": {"enabled": true, "token": "1:x"},
                              "mail": {"host": "smtp.example.com", "port": 587}, "odd": [1, "two"], "teams": []})");
    ASSERT_EQ(c.platforms.size(), 3u);
    EXPECT_EQ(c.platforms.at("telegram"), R"({"enabled":true,"token":"1:x"})");
    EXPECT_EQ(c.platforms.at("mail"), R"({"host":"smtp.example.com","port":587})");
    EXPECT_EQ(c.platforms.at("odd"), R"([1,"two"])");  // its adapter says what is wrong with it
    EXPECT_TRUE(load("{}").platforms.empty());
}

TEST(ConfigPlatforms, TheEnvironmentIsKeptAndOnlyTheConfigsOwnVariablesAreRead) {
    const Env env = {{"FOLLOWUPD_SERVER_PORT", "81"},
                     {"FOLLOWUPD_TELEGRAM_TOKEN", "1:x"},
                     {"FOLLOWUPD_SOMETHING_ELSE", "y"},
                     {"PATH", "/bin"}};
    const Config c = load("{}", env);
    EXPECT_EQ(c.port, 81);
    EXPECT_EQ(
        c.env,
        (Env{{"FOLLOWUPD_SERVER_PORT", "81"}, {"FOLLOWUPD_TELEGRAM_TOKEN", "1:x"}, {"FOLLOWUPD_SOMETHING_ELSE", "y"}}));
    EXPECT_TRUE(c.platforms.empty());  // an override alone adds no section
}

TEST(ConfigPlatforms, UsersPlatformNamesAreLeftToTheRegistry) {
    // Ids must still be non-empty and unique per platform; which platforms exist
    // and whether notify has an id are adapters::validate_all's to check.
    const Config c = load(with_user(R"({"handle": "a", "team": "East Sales", "identities": {"mail": "a@example.com"},
                                        "notify": "pager"})"));
    EXPECT_EQ(c.users[0].identities.at("mail"), "a@example.com");
    EXPECT_EQ(c.users[0].notify, "pager");
}

TEST(ConfigPlatforms, OwnKeysAndEnvironmentNamesInMessageOrder) {
    const auto sections = fu::config::own_sections();
    EXPECT_EQ(sections.front(), "sop");
    EXPECT_EQ(sections.back(), "limits");
    EXPECT_EQ(fu::config::own_lists(), (std::vector<std::string>{"teams", "users"}));
    const auto vars = fu::config::own_env_names();
    EXPECT_EQ(vars.front(), "FOLLOWUPD_SOP_LEAD_FIRST_RESPONSE_HOURS");
    EXPECT_EQ(vars.back(), "FOLLOWUPD_LIMITS_CONNECTIONS");
    EXPECT_EQ(std::count(vars.begin(), vars.end(), "FOLLOWUPD_SOP_NEW_CUSTOMER_REVISIT_DAYS"), 0);
    EXPECT_TRUE(fu::config::reserved_env("FOLLOWUPD_BIN"));
    EXPECT_TRUE(fu::config::reserved_env("FOLLOWUPD_CONFIG"));
    EXPECT_FALSE(fu::config::reserved_env("FOLLOWUPD_SERVER_PORT"));
}
