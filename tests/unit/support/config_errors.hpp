#pragma once
// What the config tests share: catching the ConfigError a config is expected
// to stop with, and checking the key it names and what it expected. Each test
// file defines error_of(text[, env]) with its own way of loading a config.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "config/config.hpp"

namespace fu::test {

using ConfigEnv = std::map<std::string, std::string>;

// Runs load(text, env) expecting a ConfigError; returns it for inspection.
template <class Load>
config::ConfigError config_error_of(Load load, const std::string& text, const ConfigEnv& env) {
    try {
        load(text, env);
    } catch (const config::ConfigError& e) {
        return e;
    }
    ADD_FAILURE() << "no ConfigError for: " << text;
    return config::ConfigError("", "", "");
}

// A config with one team and the given user.
inline std::string with_user(const std::string& user_json) {
    return std::string(R"({"teams": ["East Sales"], "users": [)") + user_json + "]}";
}

}  // namespace fu::test

#define EXPECT_CONFIG_ERROR(text, key_, expected_substr)                                \
    do {                                                                                \
        auto e_ = error_of(text);                                                       \
        EXPECT_EQ(e_.key(), key_) << e_.what();                                         \
        EXPECT_THAT(e_.expected(), ::testing::HasSubstr(expected_substr)) << e_.what(); \
    } while (0)

#define EXPECT_ENV_ERROR(text, env, key_, expected_substr)                              \
    do {                                                                                \
        auto e_ = error_of(text, env);                                                  \
        EXPECT_EQ(e_.key(), key_) << e_.what();                                         \
        EXPECT_THAT(e_.expected(), ::testing::HasSubstr(expected_substr)) << e_.what(); \
    } while (0)
