// The config file refused: the file, its JSON, unknown keys and bad values,
// each error naming the key.
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
