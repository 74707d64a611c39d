#pragma once
// `followupd login-link --as HANDLE`: prints a one-time link that signs that
// person in to the web chat, from the server's shell (needs only the storage
// config). How the first admin signs in on a fresh install.
#include <CLI/CLI.hpp>

#include <functional>
#include <optional>

namespace fu::cli {

// Adds the subcommand; the returned function runs it if it was parsed
// (its exit code), else returns nullopt.
std::function<std::optional<int>()> add_login_link_command(CLI::App& app);

}  // namespace fu::cli
