// The config file: defaults, every key read, the log file and where the
// default config is found.
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

// ---- defaults ----------------------------------------------------------------

TEST(ConfigDefaults, EmptyObjectGivesHeaderDefaults) {
    Config c = load("{}");
    EXPECT_EQ(c.address, "127.0.0.1");
    EXPECT_EQ(c.port, 8080);
    EXPECT_EQ(c.io_threads, 2);
    EXPECT_EQ(c.body_limit, 1u << 20);
    EXPECT_EQ(c.database, "var/followupd.db");
    EXPECT_TRUE(c.web_chat);
    EXPECT_EQ(c.web_chat_token, "");
    EXPECT_EQ(c.time_zone, "Asia/Shanghai");
    EXPECT_EQ(c.lang, fu::Lang::zh);
    EXPECT_EQ(c.work_start_minute, 9 * 60);
    EXPECT_EQ(c.work_end_minute, 18 * 60);
    EXPECT_EQ(c.work_days, 0b0011111);
    EXPECT_EQ(c.log_level, "info");
    EXPECT_EQ(c.catch_up_min, 2);
    EXPECT_FALSE(c.demo);
    EXPECT_TRUE(c.teams.empty());
    EXPECT_TRUE(c.users.empty());
}

TEST(ConfigDefaults, EmptySectionsAreFine) {
    Config c = load(R"({"server":{}, "storage":{}, "web_chat":{}, "defaults":{}, "log":{}, "reminders":{},
                        "demo":{}, "teams":[], "users":[]})");
    EXPECT_EQ(c.port, 8080);
    EXPECT_TRUE(c.users.empty());
}

TEST(ConfigDefaults, WhitespaceAroundJsonIsFine) { EXPECT_EQ(load(" \n {} \n").port, 8080); }

// ---- happy paths: every key ------------------------------------------------

TEST(ConfigKeys, Server) {
    Config c = load(R"({"server": {"address": "0.0.0.0", "port": 9090, "io_threads": 8, "body_limit_bytes": 4096}})");
    EXPECT_EQ(c.address, "0.0.0.0");
    EXPECT_EQ(c.port, 9090);
    EXPECT_EQ(c.io_threads, 8);
    EXPECT_EQ(c.body_limit, 4096u);
}

TEST(ConfigKeys, ServerBounds) {
    EXPECT_EQ(load(R"({"server": {"port": 0}})").port, 0);
    EXPECT_EQ(load(R"({"server": {"port": 65535}})").port, 65535);
    EXPECT_EQ(load(R"({"server": {"io_threads": 1}})").io_threads, 1);
    EXPECT_EQ(load(R"({"server": {"io_threads": 64}})").io_threads, 64);
    EXPECT_EQ(load(R"({"server": {"body_limit_bytes": 1024}})").body_limit, 1024u);
    EXPECT_EQ(load(R"({"server": {"body_limit_bytes": 67108864}})").body_limit, 67108864u);
}

TEST(ConfigKeys, Storage) {
    EXPECT_EQ(load(R"({"storage": {"path": "/var/lib/fu/db.sqlite"}})").database, "/var/lib/fu/db.sqlite");
}

TEST(ConfigKeys, DurabilityIsFullUnlessNormalIsAsked) {
    EXPECT_EQ(load("{}").durability, "full");
    EXPECT_EQ(load(R"({"storage": {"durability": "normal"}})").durability, "normal");
    EXPECT_EQ(load(R"({"storage": {"durability": "full"}})").durability, "full");
    EXPECT_CONFIG_ERROR(R"({"storage": {"durability": "fast"}})", "storage.durability", "power cut");
    EXPECT_CONFIG_ERROR(R"({"storage": {"durability": true}})", "storage.durability", "\"normal\"");
}

TEST(ConfigKeys, EngineAndUrl) {
    EXPECT_EQ(load("{}").engine, "sqlite");
    const auto pg = load(R"({"storage": {"engine": "postgres", "url": "postgresql://fu:secret@db:5432/fu"}})");
    EXPECT_EQ(pg.engine, "postgres");
    EXPECT_EQ(pg.storage_url, "postgresql://fu:secret@db:5432/fu");
    EXPECT_CONFIG_ERROR(R"({"storage": {"engine": "mysql"}})", "storage.engine", "\"postgres\"");
    // PostgreSQL needs a URL; the error names the key.
    EXPECT_CONFIG_ERROR(R"({"storage": {"engine": "postgres"}})", "storage.url", "needed with storage.engine");
    // Not a PostgreSQL URL: refused without echoing it (it may hold a password).
    const auto e = error_of(R"({"storage": {"engine": "postgres", "url": "mysql://fu:hunter2@db/fu"}})");
    EXPECT_EQ(e.key(), "storage.url");
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
    // From the environment, the whole URL.
    const auto env = load(R"({"storage": {"engine": "postgres"}})", {{"FOLLOWUPD_STORAGE_URL", "postgres://db/fu"}});
    EXPECT_EQ(env.storage_url, "postgres://db/fu");
}

TEST(ConfigKeys, SecretsFromFiles) {
    const auto dir = std::filesystem::temp_directory_path() / "fu-config-secret-files";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "url") << "postgresql://fu:hunter2@db/fu\n";
    std::ofstream(dir / "token") << "web-token\n";
    std::ofstream(dir / "bad") << "mysql://fu:hunter2@db/fu\n";
    const auto file = [&](const char* name) { return (dir / name).string(); };
    const auto c =
        load(R"({"storage": {"engine": "postgres", "url_file": ")" + file("url") +
             R"("}, "demo": {"seed": true}, "web_chat": {"auth": "pick", "token_file": ")" + file("token") + R"("}})");
    EXPECT_EQ(c.storage_url, "postgresql://fu:hunter2@db/fu");
    EXPECT_EQ(c.web_chat_token, "web-token");
    // From the environment too; relative to systemd's credentials folder.
    ::setenv("CREDENTIALS_DIRECTORY", dir.c_str(), 1);
    const auto env = load(R"({"storage": {"engine": "postgres"}})", {{"FOLLOWUPD_STORAGE_URL_FILE", "url"}});
    ::unsetenv("CREDENTIALS_DIRECTORY");
    EXPECT_EQ(env.storage_url, "postgresql://fu:hunter2@db/fu");
    // Both given; an unreadable file; a bad value in the file: errors name the _file key, never the secret.
    const auto both = error_of(R"({"storage": {"url": "postgres://db/fu", "url_file": ")" + file("url") + R"("}})");
    EXPECT_EQ(both.key(), "storage.url_file");
    const auto missing = error_of(R"({"web_chat": {"token_file": "/nonexistent/token"}})");
    EXPECT_EQ(missing.key(), "web_chat.token_file");
    EXPECT_THAT(missing.what(), HasSubstr("/nonexistent/token"));
    const auto bad = error_of(R"({"storage": {"engine": "postgres", "url_file": ")" + file("bad") + R"("}})");
    EXPECT_THAT(bad.key(), HasSubstr("storage.url_file"));
    EXPECT_THAT(bad.what(), ::testing::Not(HasSubstr("hunter2")));
    std::filesystem::remove_all(dir);
}

TEST(ConfigKeys, ConnectionsAreOneOnSqliteAndFourOnPostgresByDefault) {
    EXPECT_EQ(load("{}").connections, 1);
    const std::string pg = R"("engine": "postgres", "url": "postgresql://db.example/fu")";
    EXPECT_EQ(load(R"({"storage": {)" + pg + "}}").connections, 4);
    EXPECT_EQ(load(R"({"storage": {)" + pg + R"(, "connections": 12}})").connections, 12);
    EXPECT_CONFIG_ERROR(R"({"storage": {"connections": 2}})", "storage.connections", "postgres");
    EXPECT_CONFIG_ERROR(R"({"storage": {)" + pg + R"(, "connections": 0}})", "storage.connections", "1..32");
    EXPECT_CONFIG_ERROR(R"({"storage": {)" + pg + R"(, "connections": 33}})", "storage.connections", "1..32");
}

TEST(ConfigKeys, LeaderLease) {
    EXPECT_EQ(load("{}").leader_lease_s, 30);
    EXPECT_EQ(load(R"({"storage": {"leader_lease_s": 6}})").leader_lease_s, 6);
    EXPECT_CONFIG_ERROR(R"({"storage": {"leader_lease_s": 2}})", "storage.leader_lease_s", "3..3600");
    EXPECT_CONFIG_ERROR(R"({"storage": {"leader_lease_s": "30s"}})", "storage.leader_lease_s", "3..3600");
}

TEST(ConfigKeys, CacheMib) {
    EXPECT_EQ(load("{}").cache_mib, 8);
    EXPECT_EQ(load(R"({"storage": {"cache_mib": 64}})").cache_mib, 64);
    EXPECT_CONFIG_ERROR(R"({"storage": {"cache_mib": 0}})", "storage.cache_mib", "1..4096");
    EXPECT_CONFIG_ERROR(R"({"storage": {"cache_mib": 5000}})", "storage.cache_mib", "1..4096");
}

TEST(ConfigKeys, ContactsKeyIsSixtyFourHexDigitsAndNeverShown) {
    const std::string hex = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";
    Config c = load(R"({"storage": {"contacts_key": ")" + hex + R"(", "contacts_key_file": "/etc/fu/key"}})");
    EXPECT_EQ(c.contacts_key, hex);
    EXPECT_EQ(c.contacts_key_file, "/etc/fu/key");
    EXPECT_EQ(load("{}").contacts_key, "");
    for (const std::string& bad : {hex.substr(1), hex + "0", "zz" + hex.substr(2), std::string("secret words")}) {
        auto e = error_of(R"({"storage": {"contacts_key": ")" + bad + "\"}}");
        EXPECT_EQ(e.key(), "storage.contacts_key") << bad;
        EXPECT_EQ(e.value(), "(not shown)") << bad;
        EXPECT_THAT(e.expected(), HasSubstr("64 hex digits")) << bad;
    }
    auto v = error_of("{}", {{"FOLLOWUPD_STORAGE_CONTACTS_KEY", "hunter2"}});
    EXPECT_EQ(v.key(), "FOLLOWUPD_STORAGE_CONTACTS_KEY");
    EXPECT_THAT(v.what(), ::testing::Not(HasSubstr("hunter")));
    EXPECT_EQ(load("{}", {{"FOLLOWUPD_STORAGE_CONTACTS_KEY", hex}}).contacts_key, hex);
}

TEST(ConfigKeys, WebChat) {
    Config c = load(R"({"demo": {"seed": true}, "web_chat": {"enabled": false, "token": "s3cret"}})");
    EXPECT_FALSE(c.web_chat);
    EXPECT_EQ(c.web_chat_token, "s3cret");
    EXPECT_TRUE(c.web_chat_pick);  // the demo on loopback
    Config s = load(R"({"web_chat": {"auth": "signin", "code_lifetime_s": 30, "session_lifetime_s": 3600,
                        "secure_cookie": true, "public_url": "https://fu.example.com/"}})");
    EXPECT_FALSE(s.web_chat_pick);
    EXPECT_EQ(s.sign_in_code_s, 30);
    EXPECT_EQ(s.session_s, 3600);
    EXPECT_TRUE(s.secure_cookie);
    EXPECT_EQ(s.public_url, "https://fu.example.com");  // without the trailing slash
}

// Picking who you are is the demo's, on this machine only; everything else signs in.
TEST(ConfigKeys, WebChatAuthByDefaultSignsInUnlessTheDemoRunsOnLoopback) {
    EXPECT_FALSE(load("{}").web_chat_pick);
    EXPECT_FALSE(load(R"({"demo": {"seed": true}, "server": {"address": "0.0.0.0"}})").web_chat_pick);
    EXPECT_TRUE(load(R"({"demo": {"seed": true}})").web_chat_pick);
    EXPECT_TRUE(load(R"({"demo": {"seed": true}, "server": {"address": "::1"}})").web_chat_pick);
    EXPECT_FALSE(load(R"({"demo": {"seed": true}, "web_chat": {"auth": "signin"}})").web_chat_pick);
    EXPECT_TRUE(load(R"({"demo": {"seed": true}, "web_chat": {"auth": "pick"}})").web_chat_pick);
}

TEST(ConfigErrors, WebChatPickOutsideTheLoopbackDemoIsRefused) {
    EXPECT_CONFIG_ERROR(R"({"web_chat": {"auth": "pick"}})", "web_chat.auth", "only for the demo");
    EXPECT_CONFIG_ERROR(R"({"demo": {"seed": true}, "server": {"address": "0.0.0.0"}, "web_chat": {"auth": "pick"}})",
                        "web_chat.auth", "server.address is \"0.0.0.0\"");
    EXPECT_CONFIG_ERROR(R"({"web_chat": {"auth": "maybe"}})", "web_chat.auth", "\"signin\"");
    // The shared token would be a second, shared password next to sign-in.
    EXPECT_CONFIG_ERROR(R"({"web_chat": {"token": "s3cret"}})", "web_chat.token", "the shared token is kept only");
    auto e = error_of(R"({"server": {"address": "0.0.0.0"}})", {{"FOLLOWUPD_WEB_CHAT_TOKEN", "s3cret"}});
    EXPECT_EQ(e.key(), "FOLLOWUPD_WEB_CHAT_TOKEN");                      // where the value came from
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos);  // never echoed
    EXPECT_CONFIG_ERROR(R"({"web_chat": {"public_url": "fu.example.com"}})", "web_chat.public_url", "https://");
    EXPECT_CONFIG_ERROR(R"({"web_chat": {"code_lifetime_s": 0}})", "web_chat.code_lifetime_s", "1..3600");
}

TEST(ConfigKeys, Defaults) {
    Config c = load(R"({"defaults": {"time_zone": "Europe/Berlin", "lang": "en", "work_hours": "08:30-17:15",
                                     "work_days": ["sun", "mon", "sat"]}})");
    EXPECT_EQ(c.time_zone, "Europe/Berlin");
    EXPECT_EQ(c.lang, fu::Lang::en);
    EXPECT_EQ(c.work_start_minute, 8 * 60 + 30);
    EXPECT_EQ(c.work_end_minute, 17 * 60 + 15);
    EXPECT_EQ(c.work_days, 0b1100001);
}

TEST(ConfigKeys, WorkHoursEdges) {
    Config c = load(R"({"defaults": {"work_hours": "00:00-24:00"}})");
    EXPECT_EQ(c.work_start_minute, 0);
    EXPECT_EQ(c.work_end_minute, 24 * 60);
    c = load(R"({"defaults": {"work_hours": "23:58-23:59"}})");
    EXPECT_EQ(c.work_start_minute, 23 * 60 + 58);
}

TEST(ConfigKeys, LogLevels) {
    for (const char* level : {"trace", "debug", "info", "warn", "error"})
        EXPECT_EQ(load(std::string(R"({"log": {"level": ")") + level + "\"}}").log_level, level);
}

TEST(ConfigKeys, RemindersAndDemo) {
    Config c = load(R"({"reminders": {"catch_up_min": 5}, "demo": {"seed": true}})");
    EXPECT_EQ(c.catch_up_min, 5);
    EXPECT_TRUE(c.demo);
    EXPECT_EQ(load(R"({"reminders": {"catch_up_min": 1}})").catch_up_min, 1);
    EXPECT_EQ(load(R"({"reminders": {"catch_up_min": 1000}})").catch_up_min, 1000);
}

TEST(ConfigKeys, Retention) {
    const Config d = load("{}");
    EXPECT_EQ(d.retention_seen_events_days, 7);
    EXPECT_EQ(d.retention_outbox_days, 90);
    EXPECT_EQ(d.retention_audit_days, 0);  // the audit log is kept unless asked
    EXPECT_EQ(d.retention_batch, 500);
    EXPECT_EQ(d.retention_interval_s, 3600);
    const Config c = load(R"({"retention": {"seen_events_days": 2, "outbox_days": 0, "audit_days": 365,
                                            "batch": 50, "interval_s": 60}})");
    EXPECT_EQ(c.retention_seen_events_days, 2);
    EXPECT_EQ(c.retention_outbox_days, 0);
    EXPECT_EQ(c.retention_audit_days, 365);
    EXPECT_EQ(c.retention_batch, 50);
    EXPECT_EQ(c.retention_interval_s, 60);
    EXPECT_EQ(load(R"({"retention": {"seen_events_days": 0}})").retention_seen_events_days, 0);
    EXPECT_EQ(load("{}", {{"FOLLOWUPD_RETENTION_AUDIT_DAYS", "30"}}).retention_audit_days, 30);
}

TEST(ConfigKeys, Limits) {
    const Config d = load("{}");
    EXPECT_EQ(d.limits.input.command_chars, 4000u);
    EXPECT_EQ(d.limits.input.name_chars, 200u);
    EXPECT_EQ(d.limits.streams_per_user, 8);
    EXPECT_EQ(d.limits.streams_total, 500);
    EXPECT_EQ(d.limits.connections, 1000);
    const Config c = load(R"({"limits": {"command_chars": 2000, "name_chars": 80, "streams_per_user": 2,
                                         "streams_total": 40, "connections": 64}})");
    EXPECT_EQ(c.limits.input.command_chars, 2000u);
    EXPECT_EQ(c.limits.input.name_chars, 80u);
    EXPECT_EQ(c.limits.streams_per_user, 2);
    EXPECT_EQ(c.limits.streams_total, 40);
    EXPECT_EQ(c.limits.connections, 64);
    EXPECT_EQ(load("{}", {{"FOLLOWUPD_LIMITS_NAME_CHARS", "120"}}).limits.input.name_chars, 120u);
}

TEST(ConfigErrors, LimitsNameTheKey) {
    EXPECT_CONFIG_ERROR(R"({"limits": {"command_chars": 10}})", "limits.command_chars", "100..100000");
    EXPECT_CONFIG_ERROR(R"({"limits": {"name_chars": "long"}})", "limits.name_chars", "20..10000");
    EXPECT_CONFIG_ERROR(R"({"limits": {"streams_per_user": 0}})", "limits.streams_per_user", "1..1000");
    EXPECT_CONFIG_ERROR(R"({"limits": {"connections": 1}})", "limits.connections", "16..1000000");
    EXPECT_CONFIG_ERROR(R"({"limits": {"streams": 5}})", "limits.streams", "streams_per_user");
    // Streams hold connections: as many would leave none for the chat.
    EXPECT_CONFIG_ERROR(R"({"limits": {"streams_total": 1000}})", "limits.streams_total",
                        "fewer than limits.connections (1000)");
    EXPECT_CONFIG_ERROR(R"({"limits": {"streams_total": 10, "streams_per_user": 11}})", "limits.streams_per_user",
                        "at most limits.streams_total (10)");
    const auto e = error_of("{}", {{"FOLLOWUPD_LIMITS_CONNECTIONS", "100"}});
    EXPECT_EQ(e.key(), "limits.streams_total");
    EXPECT_THAT(e.expected(), HasSubstr("fewer than limits.connections (100)"));
    EXPECT_EQ(error_of("{}", {{"FOLLOWUPD_LIMITS_STREAMS_TOTAL", "5000"}}).key(), "FOLLOWUPD_LIMITS_STREAMS_TOTAL");
}

TEST(ConfigKeys, TeamsAndFullUser) {
    Config c = load(R"({"teams": ["East Sales", "West Sales"],
        "users": [{"handle": "li", "name": "李娜 Li Na", "role": "manager", "team": "West Sales",
                   "time_zone": "America/New_York", "lang": "en", "work_hours": "10:00-19:00",
                   "work_days": ["tue", "wed"]}]})");
    ASSERT_EQ(c.teams.size(), 2u);
    EXPECT_EQ(c.teams[1], "West Sales");
    ASSERT_EQ(c.users.size(), 1u);
    const auto& u = c.users[0];
    EXPECT_EQ(u.handle, "li");
    EXPECT_EQ(u.name, "李娜 Li Na");
    EXPECT_EQ(u.role, fu::Role::manager);
    EXPECT_EQ(u.team, "West Sales");
    EXPECT_EQ(u.time_zone, "America/New_York");
    EXPECT_EQ(u.lang, fu::Lang::en);
    EXPECT_EQ(u.work_start_minute, 10 * 60);
    EXPECT_EQ(u.work_end_minute, 19 * 60);
    EXPECT_EQ(u.work_days, 0b0000110);
}

TEST(ConfigKeys, MinimalUserTakesDefaults) {
    Config c =
        load(std::string("{") + kTeam +
             R"(, "defaults": {"time_zone": "Asia/Tokyo"}, "users": [{"handle": "wang", "team": "East Sales"}]})");
    ASSERT_EQ(c.users.size(), 1u);
    const auto& u = c.users[0];
    EXPECT_EQ(u.name, "wang");
    EXPECT_EQ(u.role, fu::Role::rep);
    EXPECT_EQ(u.time_zone, "Asia/Tokyo");
    EXPECT_FALSE(u.lang.has_value());
    EXPECT_FALSE(u.work_start_minute.has_value());
    EXPECT_FALSE(u.work_end_minute.has_value());
    EXPECT_FALSE(u.work_days.has_value());
}

TEST(ConfigKeys, AdminNeedsNoTeam) {
    Config c = load(R"({"users": [{"handle": "admin", "role": "admin"}]})");
    ASSERT_EQ(c.users.size(), 1u);
    EXPECT_EQ(c.users[0].role, fu::Role::admin);
    EXPECT_EQ(c.users[0].team, "");
}

TEST(ConfigKeys, AdminMayHaveTeam) {
    Config c = load(with_user(R"({"handle": "boss", "role": "admin", "team": "East Sales"})"));
    EXPECT_EQ(c.users[0].team, "East Sales");
}

TEST(ConfigKeys, HandleCharacters) {
    Config c = load(with_user(R"({"handle": "a.b-c_9", "team": "East Sales"},
                                 {"handle": "abcdefghijklmnopqrstuvwxyz012345", "team": "East Sales"})"));
    EXPECT_EQ(c.users.size(), 2u);
}

// ---- log.file and the default config ------------------------------------------

TEST(ConfigLog, FileIsAPathOrEmptyForStandardOutput) {
    EXPECT_EQ(load("{}").log_file, "");
    EXPECT_EQ(load(R"({"log": {"file": "/var/log/followupd/followupd.log"}})").log_file,
              "/var/log/followupd/followupd.log");
    EXPECT_EQ(load("{}", {{"FOLLOWUPD_LOG_FILE", "/tmp/f.log"}}).log_file, "/tmp/f.log");
    EXPECT_CONFIG_ERROR(R"({"log": {"file": 3}})", "log.file", "a file path");
}

TEST(ConfigDefaultPath, DemoConfigInASourceCheckoutElseTheInstalledOne) {
    namespace fs = std::filesystem;
    const auto before = fs::current_path();
    const auto dir = fs::temp_directory_path() / ("fu-default-path-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::current_path(dir);
    EXPECT_EQ(fu::config::default_path(), "/etc/followupd/config.json");
    fs::create_directories(dir / "config");
    std::ofstream(dir / "config" / "demo.json") << "{}";
    EXPECT_EQ(fu::config::default_path(), "config/demo.json");
    fs::current_path(before);
    fs::remove_all(dir);
}
