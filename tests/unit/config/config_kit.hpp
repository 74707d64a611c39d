#pragma once
// What the config tests share: loading a config text with an environment,
// and the error it gives.
#include <map>
#include <string>

#include "config/config.hpp"
#include "config_errors.hpp"

using fu::config::Config;
using fu::config::ConfigError;
using fu::config::load_file;
using fu::config::load_text;
using ::testing::HasSubstr;

namespace {

using Env = std::map<std::string, std::string>;

inline Config load(const std::string& text, const Env& env = {}) { return load_text(text, env); }

inline ConfigError error_of(const std::string& text, const Env& env = {}) {
    return fu::test::config_error_of(load, text, env);
}

using fu::test::with_user;

[[maybe_unused]] const char* kTeam = R"("teams": ["East Sales"])";

}  // namespace
