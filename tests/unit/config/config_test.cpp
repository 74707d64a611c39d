#include "config/config.hpp"
#include "config_errors.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using fu::config::Config;
using fu::config::ConfigError;
using fu::config::load_file;
using fu::config::load_text;
using ::testing::HasSubstr;

namespace {

using Env = std::map<std::string, std::string>;

Config load(const std::string& text, const Env& env = {}) { return load_text(text, env); }

ConfigError error_of(const std::string& text, const Env& env = {}) {
    return fu::test::config_error_of(load, text, env);
}

using fu::test::with_user;

const char* kTeam = R"("teams": ["East Sales"])";

}  // namespace

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
    for (const std::string bad : {hex.substr(1), hex + "0", "zz" + hex.substr(2), std::string("secret words")}) {
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

// ---- errors: file and JSON -------------------------------------------------

TEST(ConfigErrors, MissingFileNamesPath) {
    try {
        load_file("/nonexistent/dir/followupd.json", {});
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.key(), "(file)");
        EXPECT_EQ(e.value(), "/nonexistent/dir/followupd.json");
        EXPECT_THAT(e.what(), HasSubstr("/nonexistent/dir/followupd.json"));
        EXPECT_THAT(e.expected(), HasSubstr("readable config file"));
    }
}

TEST(ConfigErrors, BadJsonHasPosition) {
    auto e = error_of("{\n  \"server\": {\"port\": 80,}\n}");
    EXPECT_EQ(e.key(), "(file)");
    EXPECT_THAT(e.expected(), HasSubstr("valid JSON"));
    EXPECT_THAT(e.expected(), HasSubstr("line 2"));
    EXPECT_THAT(e.what(), ::testing::Not(HasSubstr("[json.exception")));
}

TEST(ConfigErrors, BadJsonInFile) {
    auto dir = std::filesystem::temp_directory_path() / "fu_config_test";
    std::filesystem::create_directories(dir);
    auto path = (dir / "bad.json").string();
    std::ofstream(path) << "{\"log\": ";
    try {
        load_file(path, {});
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.key(), "(file)");
        EXPECT_EQ(e.value(), path);
        EXPECT_THAT(e.expected(), HasSubstr("parse error"));
    }
    std::filesystem::remove_all(dir);
}

TEST(ConfigErrors, EmptyText) { EXPECT_CONFIG_ERROR("", "(file)", "valid JSON"); }
// A number too large for a double is nlohmann's out_of_range, not a
// parse_error: it is still a ConfigError about the file (found by fuzz_config).
TEST(ConfigErrors, NumberTooLarge) {
    EXPECT_CONFIG_ERROR("{\"server\": {\"port\": 1e919}}", "(file)", "number overflow");
}
TEST(ConfigErrors, RootNotObject) {
    EXPECT_CONFIG_ERROR("[]", "(file)", "JSON object");
    EXPECT_CONFIG_ERROR("42", "(file)", "JSON object");
}

TEST(ConfigErrors, DuplicateKeysAreRefused) {
    EXPECT_CONFIG_ERROR(R"({"server": {"port": 1, "port": 2}})", "(file)", "\"server.port\" appears twice");
    EXPECT_CONFIG_ERROR(R"({"log": {}, "log": {}})", "(file)", "\"log\" appears twice");
    EXPECT_CONFIG_ERROR(R"({"teams":["T"], "users": [{"handle": "a", "team": "T"}, {"handle": "b", "handle": "c"}]})",
                        "(file)", "\"users[1].handle\" appears twice");
}

TEST(ConfigErrors, WhatFormat) {
    auto e = error_of(std::string("{") + kTeam +
                      R"(, "users": [{"handle":"a","team":"East Sales"},{"handle":"b","team":"East Sales"},
                                     {"handle":"c","team":"East Sales","time_zone":"Mars/Olympus"}]})");
    EXPECT_STREQ(e.what(),
                 R"(config: users[2].time_zone = "Mars/Olympus": expected an IANA time zone such as "Asia/Shanghai")");
    EXPECT_EQ(e.value(), "Mars/Olympus");
}

// ---- errors: unknown keys ----------------------------------------------------

TEST(ConfigErrors, UnknownSectionKey) {
    auto e = error_of(R"({"server": {"prot": 8080}})");
    EXPECT_EQ(e.key(), "server.prot");
    EXPECT_EQ(e.value(), "8080");
    EXPECT_THAT(e.expected(), HasSubstr("address, port, io_threads, body_limit_bytes"));
    EXPECT_CONFIG_ERROR(R"({"web_chat": {"tokn": "x"}})", "web_chat.tokn", "enabled, token");
    EXPECT_CONFIG_ERROR(R"({"defaults": {"timezone": "UTC"}})", "defaults.timezone",
                        "time_zone, lang, work_hours, work_days");
    EXPECT_CONFIG_ERROR(R"({"log": {"lvl": "info"}})", "log.lvl", "level");
    EXPECT_CONFIG_ERROR(R"({"reminders": {"catchup": 1}})", "reminders.catchup", "catch_up_min");
    EXPECT_CONFIG_ERROR(R"({"demo": {"seeds": true}})", "demo.seeds", "seed");
    EXPECT_CONFIG_ERROR(R"({"storage": {"file": "x"}})", "storage.file", "path");
}

TEST(ConfigErrors, UnknownUserKey) {
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales"}, {"hadle": "b"})"), "users[1].hadle",
                        "handle, name, role, team, time_zone, lang, work_hours, work_days, identities, notify");
}

TEST(ConfigErrors, SectionsMustBeObjects) {
    EXPECT_CONFIG_ERROR(R"({"server": 8080})", "server", "an object with the keys address, port");
    EXPECT_CONFIG_ERROR(R"({"log": "info"})", "log", "an object with the keys level");
    EXPECT_CONFIG_ERROR(R"({"demo": true})", "demo", "an object");
    EXPECT_CONFIG_ERROR(R"({"teams": "East Sales"})", "teams", "a list of team names");
    EXPECT_CONFIG_ERROR(R"({"users": {}})", "users", "a list of users");
    EXPECT_CONFIG_ERROR(R"({"users": ["wang"]})", "users[0]", "an object with the keys handle");
}

// ---- errors: values -----------------------------------------------------------

TEST(ConfigErrors, ServerValues) {
    EXPECT_CONFIG_ERROR(R"({"server": {"address": ""}})", "server.address", "non-empty");
    EXPECT_CONFIG_ERROR(R"({"server": {"address": 127}})", "server.address", "non-empty");
    EXPECT_CONFIG_ERROR(R"({"server": {"port": 65536}})", "server.port", "0..65535");
    EXPECT_CONFIG_ERROR(R"({"server": {"port": -1}})", "server.port", "0..65535");
    EXPECT_CONFIG_ERROR(R"({"server": {"port": "8080"}})", "server.port", "0..65535");
    EXPECT_CONFIG_ERROR(R"({"server": {"port": 80.5}})", "server.port", "0..65535");
    EXPECT_CONFIG_ERROR(R"({"server": {"port": 18446744073709551615}})", "server.port", "0..65535");
    EXPECT_CONFIG_ERROR(R"({"server": {"port": null}})", "server.port", "0..65535");
    EXPECT_CONFIG_ERROR(R"({"server": {"io_threads": 0}})", "server.io_threads", "1..64");
    EXPECT_CONFIG_ERROR(R"({"server": {"io_threads": 65}})", "server.io_threads", "1..64");
    EXPECT_CONFIG_ERROR(R"({"server": {"body_limit_bytes": 1023}})", "server.body_limit_bytes", "1024..67108864");
    EXPECT_CONFIG_ERROR(R"({"server": {"body_limit_bytes": 67108865}})", "server.body_limit_bytes", "1024..67108864");
}

TEST(ConfigErrors, StorageAndWebChat) {
    EXPECT_CONFIG_ERROR(R"({"storage": {"path": ""}})", "storage.path", "non-empty file path");
    EXPECT_CONFIG_ERROR(R"({"storage": {"path": ["a"]}})", "storage.path", "non-empty file path");
    EXPECT_CONFIG_ERROR(R"({"web_chat": {"enabled": "yes"}})", "web_chat.enabled", "true or false");
    EXPECT_CONFIG_ERROR(R"({"web_chat": {"enabled": 1}})", "web_chat.enabled", "true or false");
    EXPECT_CONFIG_ERROR(R"({"web_chat": {"token": 1234}})", "web_chat.token", "a string");
}

TEST(ConfigErrors, DefaultsValues) {
    EXPECT_CONFIG_ERROR(R"({"defaults": {"time_zone": "Mars/Olympus"}})", "defaults.time_zone", "IANA time zone");
    EXPECT_CONFIG_ERROR(R"({"defaults": {"time_zone": ""}})", "defaults.time_zone", "IANA time zone");
    EXPECT_CONFIG_ERROR(R"({"defaults": {"time_zone": 8}})", "defaults.time_zone", "IANA time zone");
    EXPECT_CONFIG_ERROR(R"({"defaults": {"lang": "fr"}})", "defaults.lang", "\"en\" or \"zh\"");
    EXPECT_CONFIG_ERROR(R"({"defaults": {"lang": "ZH"}})", "defaults.lang", "\"en\" or \"zh\"");
    EXPECT_CONFIG_ERROR(R"({"log": {"level": "verbose"}})", "log.level", "trace");
    EXPECT_CONFIG_ERROR(R"({"log": {"level": ""}})", "log.level", "trace");
}

TEST(ConfigErrors, WorkHours) {
    for (const char* bad : {"9:00-18:00", "09:00-18:00 ", "09:00–18:00", "18:00-09:00", "09:00-09:00", "24:00-24:00",
                            "09:60-18:00", "09:00-24:01", "09:00-25:00", "ab:cd-ef:gh", "", "09:00"}) {
        auto e = error_of(std::string(R"({"defaults": {"work_hours": ")") + bad + "\"}}");
        EXPECT_EQ(e.key(), "defaults.work_hours") << bad;
        EXPECT_THAT(e.expected(), HasSubstr("HH:MM-HH:MM")) << bad;
    }
    EXPECT_CONFIG_ERROR(R"({"defaults": {"work_hours": 9}})", "defaults.work_hours", "HH:MM-HH:MM");
}

TEST(ConfigErrors, WorkDays) {
    EXPECT_CONFIG_ERROR(R"({"defaults": {"work_days": []}})", "defaults.work_days", "non-empty list");
    EXPECT_CONFIG_ERROR(R"({"defaults": {"work_days": "mon"}})", "defaults.work_days", "non-empty list");
    EXPECT_CONFIG_ERROR(R"({"defaults": {"work_days": ["mon", "funday"]}})", "defaults.work_days[1]", "\"mon\"");
    EXPECT_CONFIG_ERROR(R"({"defaults": {"work_days": ["Mon"]}})", "defaults.work_days[0]", "\"mon\"");
    EXPECT_CONFIG_ERROR(R"({"defaults": {"work_days": [1]}})", "defaults.work_days[0]", "\"mon\"");
    EXPECT_CONFIG_ERROR(R"({"defaults": {"work_days": ["mon", "tue", "mon"]}})", "defaults.work_days[2]",
                        "listed twice");
}

TEST(ConfigErrors, CatchUpMin) {
    EXPECT_CONFIG_ERROR(R"({"reminders": {"catch_up_min": 0}})", "reminders.catch_up_min", "1..1000");
    EXPECT_CONFIG_ERROR(R"({"reminders": {"catch_up_min": 1001}})", "reminders.catch_up_min", "1..1000");
    EXPECT_CONFIG_ERROR(R"({"demo": {"seed": "true"}})", "demo.seed", "true or false");
}

TEST(ConfigErrors, Retention) {
    EXPECT_CONFIG_ERROR(R"({"retention": {"seen_events_days": -1}})", "retention.seen_events_days", "2..3650");
    // One day is shorter than a platform may retry a webhook.
    EXPECT_CONFIG_ERROR(R"({"retention": {"seen_events_days": 1}})", "retention.seen_events_days", "retry");
    EXPECT_CONFIG_ERROR(R"({"retention": {"outbox_days": -30}})", "retention.outbox_days", "0..36500");
    EXPECT_CONFIG_ERROR(R"({"retention": {"audit_days": -1}})", "retention.audit_days", "0..36500");
    EXPECT_CONFIG_ERROR(R"({"retention": {"audit_days": "forever"}})", "retention.audit_days", "0..36500");
    EXPECT_CONFIG_ERROR(R"({"retention": {"batch": 0}})", "retention.batch", "1..10000");
    EXPECT_CONFIG_ERROR(R"({"retention": {"interval_s": 10}})", "retention.interval_s", "60..604800");
    EXPECT_CONFIG_ERROR(R"({"retention": {"outbox": 30}})", "retention.outbox", "outbox_days");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_RETENTION_OUTBOX_DAYS", "-1"}}), "FOLLOWUPD_RETENTION_OUTBOX_DAYS",
                     "0..36500");
}

TEST(ConfigErrors, Teams) {
    EXPECT_CONFIG_ERROR(R"({"teams": [""]})", "teams[0]", "non-empty team name");
    EXPECT_CONFIG_ERROR(R"({"teams": [1]})", "teams[0]", "non-empty team name");
    EXPECT_CONFIG_ERROR(R"({"teams": ["A", "B", "A"]})", "teams[2]", "teams[0]");
    EXPECT_CONFIG_ERROR(R"({"teams": ["East Sales", "east sales"]})", "teams[1]", "teams[0]");
}

TEST(ConfigErrors, Handles) {
    EXPECT_CONFIG_ERROR(with_user(R"({"team": "East Sales"})"), "users[0].handle", "1 to 32 characters");
    EXPECT_EQ(error_of(with_user(R"({"team": "East Sales"})")).value(), "(missing)");
    for (const char* bad : {"", "Wang", "wang wei", "王伟", "a/b", "abcdefghijklmnopqrstuvwxyz0123456"}) {
        auto e = error_of(with_user(std::string(R"({"team": "East Sales", "handle": ")") + bad + "\"}"));
        EXPECT_EQ(e.key(), "users[0].handle") << bad;
        EXPECT_THAT(e.expected(), HasSubstr("1 to 32 characters")) << bad;
    }
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": 7, "team": "East Sales"})"), "users[0].handle", "1 to 32");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "wang", "team": "East Sales"}, {"handle": "li", "team": "East Sales"},
                                     {"handle": "wang", "team": "East Sales"})"),
                        "users[2].handle", "users[0] has it");
}

TEST(ConfigErrors, UserFields) {
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "name": ""})"), "users[0].name",
                        "non-empty");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "role": "boss"})"), "users[0].role",
                        "\"rep\", \"manager\", \"admin\"");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "time_zone": "Asia/Peking"})"),
                        "users[0].time_zone", "IANA");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "lang": "de"})"), "users[0].lang", "\"en\"");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "work_hours": "18-9"})"),
                        "users[0].work_hours", "HH:MM-HH:MM");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "work_days": ["sat", "sat"]})"),
                        "users[0].work_days[1]", "listed twice");
}

TEST(ConfigErrors, UserTeams) {
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "West Sales"})"), "users[0].team",
                        "one of the teams listed in teams: \"East Sales\"");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "east sales"})"), "users[0].team", "East Sales");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": ""})"), "users[0].team", "East Sales");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a"})"), "users[0].team", "a rep needs a team");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "role": "manager"})"), "users[0].team", "a manager needs a team");
    EXPECT_CONFIG_ERROR(R"({"users": [{"handle": "a", "team": "X"}]})", "users[0].team", "teams is empty");
    EXPECT_CONFIG_ERROR(R"({"users": [{"handle": "a", "role": "admin", "team": "X"}]})", "users[0].team", "teams");
}

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

// ---- sop -------------------------------------------------------------------------------

namespace {

// Every field of the rules, for comparisons with a readable difference.
std::string describe(const fu::SopRules& r) {
    std::ostringstream out;
    out << "lead_first_response_hours=" << r.lead_first_response_hours << " lead_days=" << r.lead_days
        << " new_customer_revisit_days=[";
    for (int d : r.new_customer_revisit_days) out << d << ",";
    out << "] tier_a_days=" << r.tier_a_days << " tier_b_days=" << r.tier_b_days << " tier_c_days=" << r.tier_c_days
        << " silent_days=" << r.silent_days << " churn_risk_days=" << r.churn_risk_days
        << " low_satisfaction=" << r.low_satisfaction << " tighten_percent=" << r.tighten_percent
        << " second_reminder_working_hours=" << r.second_reminder_working_hours
        << " escalate_working_days=" << r.escalate_working_days << " reclaim_days=" << r.reclaim_days
        << " claim_daily_quota=" << r.claim_daily_quota << " reclaim_cooldown_days=" << r.reclaim_cooldown_days
        << " daily_digest=" << r.daily_digest << " weekly_report=" << r.weekly_report;
    return out.str();
}

const char* kAllSopKeys = R"({"lead_first_response_hours": 3, "lead_days": 4, "new_customer_revisit_days": [5, 15, 45],
    "tier_a_days": 6, "tier_b_days": 12, "tier_c_days": 40, "silent_days": 60, "churn_risk_days": 3,
    "low_satisfaction": 3, "tighten_percent": 25, "second_reminder_working_hours": 8, "escalate_working_days": 2,
    "reclaim_days": 10, "claim_daily_quota": 0, "reclaim_cooldown_days": 14, "daily_digest": false,
    "weekly_report": false})";

void expect_all_sop_keys(const fu::SopRules& r) {
    EXPECT_EQ(r.lead_first_response_hours, 3);
    EXPECT_EQ(r.lead_days, 4);
    EXPECT_EQ(r.new_customer_revisit_days, (std::vector<int>{5, 15, 45}));
    EXPECT_EQ(r.tier_a_days, 6);
    EXPECT_EQ(r.tier_b_days, 12);
    EXPECT_EQ(r.tier_c_days, 40);
    EXPECT_EQ(r.silent_days, 60);
    EXPECT_EQ(r.churn_risk_days, 3);
    EXPECT_EQ(r.low_satisfaction, 3);
    EXPECT_EQ(r.tighten_percent, 25);
    EXPECT_EQ(r.second_reminder_working_hours, 8);
    EXPECT_EQ(r.escalate_working_days, 2);
    EXPECT_EQ(r.reclaim_days, 10);
    EXPECT_EQ(r.claim_daily_quota, 0);
    EXPECT_EQ(r.reclaim_cooldown_days, 14);
    EXPECT_FALSE(r.daily_digest);
    EXPECT_FALSE(r.weekly_report);
}

std::string sop(const std::string& key, const std::string& value) {
    return R"({"sop": {")" + key + "\": " + value + "}}";
}

}  // namespace

TEST(ConfigSop, DefaultsAreTheShippedRules) {
    const fu::SopRules shipped;
    EXPECT_EQ(describe(load("{}").sop), describe(shipped));
    EXPECT_EQ(describe(load(R"({"sop": {}})").sop), describe(shipped));
    EXPECT_TRUE(load("{}").team_sop.empty());
}

TEST(ConfigSop, EveryKeyIsRead) {
    const Config c = load(std::string(R"({"sop": )") + kAllSopKeys + "}");
    expect_all_sop_keys(c.sop);
    EXPECT_NE(describe(c.sop), describe(fu::SopRules{}));
}

TEST(ConfigSop, BoundsAreAccepted) {
    struct Edge {
        const char* key;
        int lo, hi;
        int fu::SopRules::*field;
    };
    const Edge edges[] = {
        {"lead_first_response_hours", 1, 240, &fu::SopRules::lead_first_response_hours},
        {"lead_days", 1, 3650, &fu::SopRules::lead_days},
        {"tier_a_days", 1, 3650, &fu::SopRules::tier_a_days},
        {"tier_b_days", 1, 3650, &fu::SopRules::tier_b_days},
        {"tier_c_days", 1, 3650, &fu::SopRules::tier_c_days},
        {"silent_days", 1, 3650, &fu::SopRules::silent_days},
        {"churn_risk_days", 1, 3650, &fu::SopRules::churn_risk_days},
        {"low_satisfaction", 0, 5, &fu::SopRules::low_satisfaction},
        {"tighten_percent", 1, 100, &fu::SopRules::tighten_percent},
        {"second_reminder_working_hours", 1, 240, &fu::SopRules::second_reminder_working_hours},
        {"escalate_working_days", 1, 60, &fu::SopRules::escalate_working_days},
        {"reclaim_days", 1, 365, &fu::SopRules::reclaim_days},
        {"claim_daily_quota", 0, 1000, &fu::SopRules::claim_daily_quota},
        {"reclaim_cooldown_days", 1, 3650, &fu::SopRules::reclaim_cooldown_days},
    };
    for (const auto& e : edges) {
        EXPECT_EQ(load(sop(e.key, std::to_string(e.lo))).sop.*e.field, e.lo) << e.key;
        EXPECT_EQ(load(sop(e.key, std::to_string(e.hi))).sop.*e.field, e.hi) << e.key;
        const std::string range = std::to_string(e.lo) + ".." + std::to_string(e.hi);
        for (int bad : {e.lo - 1, e.hi + 1}) {
            auto err = error_of(sop(e.key, std::to_string(bad)));
            EXPECT_EQ(err.key(), std::string("sop.") + e.key) << bad;
            EXPECT_EQ(err.value(), std::to_string(bad)) << e.key;
            EXPECT_THAT(err.expected(), HasSubstr(range)) << e.key;
        }
        EXPECT_CONFIG_ERROR(sop(e.key, "\"7\""), std::string("sop.") + e.key, range);
        EXPECT_CONFIG_ERROR(sop(e.key, "2.5"), std::string("sop.") + e.key, range);
        EXPECT_CONFIG_ERROR(sop(e.key, "true"), std::string("sop.") + e.key, range);
    }
}

TEST(ConfigSop, Booleans) {
    EXPECT_FALSE(load(sop("daily_digest", "false")).sop.daily_digest);
    EXPECT_TRUE(load(sop("daily_digest", "false")).sop.weekly_report);
    EXPECT_FALSE(load(sop("weekly_report", "false")).sop.weekly_report);
    EXPECT_TRUE(load(sop("weekly_report", "false")).sop.daily_digest);
    EXPECT_CONFIG_ERROR(sop("daily_digest", "1"), "sop.daily_digest", "true or false");
    EXPECT_CONFIG_ERROR(sop("weekly_report", "\"no\""), "sop.weekly_report", "true or false");
}

TEST(ConfigSop, RevisitDays) {
    EXPECT_TRUE(load(sop("new_customer_revisit_days", "[]")).sop.new_customer_revisit_days.empty());
    EXPECT_EQ(load(sop("new_customer_revisit_days", "[1, 3650]")).sop.new_customer_revisit_days,
              (std::vector<int>{1, 3650}));
    EXPECT_EQ(
        load(sop("new_customer_revisit_days", "[1,2,3,4,5,6,7,8,9,10,11,12]")).sop.new_customer_revisit_days.size(),
        12u);
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "7"), "sop.new_customer_revisit_days", "a list of up to 12");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "{}"), "sop.new_customer_revisit_days", "a list");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "[7, 14, 14]"), "sop.new_customer_revisit_days[2]",
                        "14 is not greater than the item before it, 14");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "[7, 30, 14]"), "sop.new_customer_revisit_days[2]",
                        "strictly increasing");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "[0, 7]"), "sop.new_customer_revisit_days[0]", "1..3650");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "[7, 3651]"), "sop.new_customer_revisit_days[1]", "1..3650");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "[7, \"14\"]"), "sop.new_customer_revisit_days[1]", "1..3650");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "[7, 14.5]"), "sop.new_customer_revisit_days[1]", "1..3650");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "[1,2,3,4,5,6,7,8,9,10,11,12,13]"),
                        "sop.new_customer_revisit_days[12]", "at most 12");
    auto e = error_of(sop("new_customer_revisit_days", "[7, 14, 14]"));
    EXPECT_EQ(e.value(), "14");
}

TEST(ConfigSop, UnknownKeysAndShape) {
    auto e = error_of(sop("tier_d_days", "7"));
    EXPECT_EQ(e.key(), "sop.tier_d_days");
    EXPECT_THAT(e.expected(),
                HasSubstr("lead_first_response_hours, lead_days, new_customer_revisit_days, tier_a_days"));
    EXPECT_THAT(e.expected(), HasSubstr("daily_digest, weekly_report"));
    EXPECT_CONFIG_ERROR(R"({"sop": 7})", "sop", "an object with the keys lead_first_response_hours");
    EXPECT_CONFIG_ERROR(R"({"sop": {"tier_a_days": 1, "tier_a_days": 2}})", "(file)",
                        "\"sop.tier_a_days\" appears twice");
}

TEST(ConfigSop, EnvOverrides) {
    const Config c = load(R"({"sop": {"tier_a_days": 5, "tier_b_days": 9}})",
                          {{"FOLLOWUPD_SOP_TIER_A_DAYS", "10"},
                           {"FOLLOWUPD_SOP_DAILY_DIGEST", "off"},
                           {"FOLLOWUPD_SOP_SECOND_REMINDER_WORKING_HOURS", "6"}});
    EXPECT_EQ(c.sop.tier_a_days, 10);
    EXPECT_EQ(c.sop.tier_b_days, 9);  // the file's, not overridden
    EXPECT_FALSE(c.sop.daily_digest);
    EXPECT_EQ(c.sop.second_reminder_working_hours, 6);
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_SOP_TIER_A_DAYS", "0"}}), "FOLLOWUPD_SOP_TIER_A_DAYS", "1..3650");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_SOP_RECLAIM_DAYS", "ten"}}), "FOLLOWUPD_SOP_RECLAIM_DAYS", "1..365");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_SOP_WEEKLY_REPORT", "2"}}), "FOLLOWUPD_SOP_WEEKLY_REPORT", "true or false");
    // The list is set in the file only: its variable is refused by adapters::validate_all
    // (tests/unit/adapters/platform_config_test.cpp).
}

// ---- teams: per-team sop ----------------------------------------------------------------

TEST(ConfigTeamSop, StringsAndObjectsMix) {
    const Config c =
        load(R"({"teams": ["East Sales", {"name": "West Sales"}, {"name": "KA", "sop": {"tier_a_days": 3}}],
        "users": [{"handle": "a", "team": "West Sales"}, {"handle": "b", "team": "KA"}]})");
    EXPECT_EQ(c.teams, (std::vector<std::string>{"East Sales", "West Sales", "KA"}));
    ASSERT_EQ(c.team_sop.size(), 3u);
    EXPECT_EQ(describe(c.team_sop.at("East Sales")), describe(fu::SopRules{}));
    EXPECT_EQ(describe(c.team_sop.at("West Sales")), describe(fu::SopRules{}));
    EXPECT_EQ(c.team_sop.at("KA").tier_a_days, 3);
    EXPECT_EQ(c.sop.tier_a_days, 7);  // the global rules are untouched
    EXPECT_EQ(c.users[1].team, "KA");
}

TEST(ConfigTeamSop, TeamKeysApplyOverTheGlobalSection) {
    const Config c = load(R"({"sop": {"tier_a_days": 10, "tier_b_days": 20, "new_customer_revisit_days": [3, 9],
                                      "weekly_report": false},
        "teams": [{"name": "KA", "sop": {"tier_b_days": 5, "new_customer_revisit_days": [1], "daily_digest": false}},
                  "East Sales"]})");
    const auto& ka = c.team_sop.at("KA");
    EXPECT_EQ(ka.tier_b_days, 5);                                  // the team's
    EXPECT_EQ(ka.tier_a_days, 10);                                 // the global section's, not the built-in 7
    EXPECT_EQ(ka.new_customer_revisit_days, std::vector<int>{1});  // a list is replaced whole
    EXPECT_FALSE(ka.daily_digest);
    EXPECT_FALSE(ka.weekly_report);  // global
    EXPECT_EQ(ka.tier_c_days, 30);   // built-in: set nowhere
    EXPECT_EQ(describe(c.team_sop.at("East Sales")), describe(c.sop));
    EXPECT_EQ(c.sop.tier_b_days, 20);
    EXPECT_TRUE(c.sop.daily_digest);
}

TEST(ConfigTeamSop, EveryKeyInATeam) {
    const Config c = load(std::string(R"({"teams": [{"name": "KA", "sop": )") + kAllSopKeys + "}]}");
    expect_all_sop_keys(c.team_sop.at("KA"));
    EXPECT_EQ(describe(c.sop), describe(fu::SopRules{}));
}

TEST(ConfigTeamSop, EnvOverrideReachesTeams) {
    const Config c = load(R"({"sop": {"tier_a_days": 5},
        "teams": [{"name": "KA", "sop": {"tier_b_days": 4}}, {"name": "Own", "sop": {"tier_a_days": 2}}]})",
                          {{"FOLLOWUPD_SOP_TIER_A_DAYS", "12"}});
    EXPECT_EQ(c.team_sop.at("KA").tier_a_days, 12);
    EXPECT_EQ(c.team_sop.at("KA").tier_b_days, 4);
    EXPECT_EQ(c.team_sop.at("Own").tier_a_days, 2);  // a team's own key wins
}

TEST(ConfigTeamSop, Errors) {
    EXPECT_CONFIG_ERROR(R"({"teams": ["East Sales", {"name": "KA", "sop": {"tier_b_days": 0}}]})",
                        "teams[1].sop.tier_b_days", "1..3650");
    EXPECT_CONFIG_ERROR(R"({"teams": ["East Sales", {"name": "KA", "sop": {"reclaim_days": 366}}]})",
                        "teams[1].sop.reclaim_days", "1..365");
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": "KA", "sop": {"weekly_report": "yes"}}]})", "teams[0].sop.weekly_report",
                        "true or false");
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": "KA", "sop": {"new_customer_revisit_days": [7, 14, 14]}}]})",
                        "teams[0].sop.new_customer_revisit_days[2]", "strictly increasing");
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": "KA", "sop": {"tier_d_days": 1}}]})", "teams[0].sop.tier_d_days",
                        "lead_first_response_hours, lead_days");
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": "KA", "sop": [1]}]})", "teams[0].sop",
                        "an object with some of the keys");
    EXPECT_CONFIG_ERROR(R"({"teams": ["A", {"name": "KA", "color": "red"}]})", "teams[1].color",
                        "one of the keys name, sop");
    auto e = error_of(R"({"teams": [{"sop": {}}]})");
    EXPECT_EQ(e.key(), "teams[0].name");
    EXPECT_EQ(e.value(), "(missing)");
    EXPECT_THAT(e.expected(), HasSubstr("non-empty team name"));
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": ""}]})", "teams[0].name", "non-empty team name");
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": 7}]})", "teams[0].name", "non-empty team name");
    EXPECT_CONFIG_ERROR(R"({"teams": [true]})", "teams[0]", "or an object such as");
    EXPECT_CONFIG_ERROR(R"({"teams": [["KA"]]})", "teams[0]", "or an object such as");
    // Names stay unique across both forms.
    EXPECT_CONFIG_ERROR(R"({"teams": ["KA", {"name": "ka"}]})", "teams[1].name", "teams[0] is the same");
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": "KA"}, "KA"]})", "teams[1]", "teams[0] is the same");
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": "KA", "sop": {"tier_a_days": 1}, "sop": {}}]})", "(file)",
                        "\"teams[0].sop\" appears twice");
}

// ---- calendar ----------------------------------------------------------------------------

namespace {

// A holiday file in a fresh temporary directory, removed with the object.
struct TempHolidays {
    std::filesystem::path dir;
    std::string path;
    explicit TempHolidays(const std::string& text) {
        dir = std::filesystem::temp_directory_path() / "fu_config_holidays";
        std::filesystem::create_directories(dir);
        path = (dir / "holidays.txt").string();
        std::ofstream(path) << text;
    }
    ~TempHolidays() { std::filesystem::remove_all(dir); }
};

std::string calendar(const std::string& holidays) {
    return std::string(R"({"calendar": {"holidays": )") + holidays + "}}";
}

std::string json_string(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

TEST(ConfigCalendar, DefaultIsTheBuiltInCalendar) {
    EXPECT_EQ(load("{}").holidays, "cn");
    EXPECT_EQ(load(R"({"calendar": {}})").holidays, "cn");
    EXPECT_EQ(load(calendar("\"cn\"")).holidays, "cn");
    EXPECT_EQ(load(calendar("\"none\"")).holidays, "none");
}

TEST(ConfigCalendar, AFile) {
    TempHolidays file("# test\n2026-01-01..2026-01-03 off 元旦\n\n2026-01-04 work 元旦调休\n");
    EXPECT_EQ(load(calendar(json_string(file.path))).holidays, file.path);
    EXPECT_EQ(load("{}", {{"FOLLOWUPD_CALENDAR_HOLIDAYS", file.path}}).holidays, file.path);
    EXPECT_EQ(load(calendar(json_string(file.path)), {{"FOLLOWUPD_CALENDAR_HOLIDAYS", "none"}}).holidays, "none");
}

TEST(ConfigCalendar, ABrokenFileNamesTheLine) {
    TempHolidays file("# test\n2026-01-01 off 元旦\n2026-02-30 off 不存在\n");
    auto e = error_of(calendar(json_string(file.path)));
    EXPECT_EQ(e.key(), "calendar.holidays");
    EXPECT_EQ(e.value(), file.path);
    EXPECT_THAT(e.expected(), HasSubstr("line 3"));
    EXPECT_THAT(e.what(), HasSubstr("line 3"));
    // From the environment, the error names the variable.
    auto v = error_of("{}", {{"FOLLOWUPD_CALENDAR_HOLIDAYS", file.path}});
    EXPECT_EQ(v.key(), "FOLLOWUPD_CALENDAR_HOLIDAYS");
    EXPECT_THAT(v.expected(), HasSubstr("line 3"));
    // "none" never reads a file, so a bad file given in the config does not matter.
    EXPECT_EQ(load(calendar(json_string(file.path)), {{"FOLLOWUPD_CALENDAR_HOLIDAYS", "none"}}).holidays, "none");
}

TEST(ConfigCalendar, OtherProblems) {
    TempHolidays file("2026-01-01 off\n2026-01-01 work\n");
    EXPECT_CONFIG_ERROR(calendar(json_string(file.path)), "calendar.holidays", "line 2");
    EXPECT_CONFIG_ERROR(calendar(json_string(file.path + ".missing")), "calendar.holidays",
                        "a readable, valid holiday file");
    EXPECT_CONFIG_ERROR(calendar("\"\""), "calendar.holidays", "\"cn\"");
    EXPECT_CONFIG_ERROR(calendar("false"), "calendar.holidays", "\"none\"");
    EXPECT_CONFIG_ERROR(calendar("\"CN\""), "calendar.holidays", "a readable, valid holiday file");
    EXPECT_CONFIG_ERROR(R"({"calendar": {"holiday": "cn"}})", "calendar.holiday", "holidays");
    EXPECT_CONFIG_ERROR(R"({"calendar": "cn"})", "calendar", "an object with the keys holidays");
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
