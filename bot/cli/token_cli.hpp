#pragma once
// `followupd token create|list|revoke`: REST API tokens, managed by an admin
// from the server's shell. The secret is printed once, on create.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>

#include "config/config.hpp"

namespace fu::cli {

struct TokenCli {
    CLI::App* cmd = nullptr;
    CLI::App* create = nullptr;
    CLI::App* list = nullptr;
    CLI::App* revoke = nullptr;
    std::string config_path = fu::config::default_path();
    std::string db;
    std::string name, team, as;
    bool all = false;
    std::int64_t id = 0;
};

// Adds the `token` subcommand and its own subcommands to `app`.
std::unique_ptr<TokenCli> add_token_cli(CLI::App& app);
// Runs the parsed token command; returns the exit code.
int run_token_cli(const TokenCli&, std::ostream& out, std::ostream& err);

}  // namespace fu::cli
