// followupd: follow-up reminders for sales teams, in their team chat.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "adapters/registry.hpp"
#include "cli/backup_cli.hpp"
#include "cli/chat_client.hpp"
#include "cli/data_cli.hpp"
#include "cli/login_cli.hpp"
#include "cli/migrate_cli.hpp"
#include "cli/token_cli.hpp"
#include "config/config.hpp"
#include "server/app.hpp"
#include "server/logging.hpp"

int main(int argc, char** argv) {
    CLI::App app{"followupd — sales follow-up reminders in team chat"};
    app.set_version_flag("--version", "followupd 0.1.0");
    app.require_subcommand(0, 1);

    // config/demo.json in a source checkout, else /etc/followupd/config.json.
    std::string config_path = fu::config::default_path();
    std::string db_override, port_file;
    int port_override = -1;
    auto add_run_options = [&](CLI::App* cmd) {
        cmd->add_option("-c,--config", config_path, "config file (JSON)")->capture_default_str();
        cmd->add_option("--db", db_override, "SQLite file (overrides storage.path)");
        cmd->add_option("--port", port_override, "port (overrides server.port; 0 = any free port)")
            ->check(CLI::Range(0, 65535));
        cmd->add_option("--port-file", port_file, "write the bound port here once listening");
    };
    add_run_options(&app);
    auto* run_cmd = app.add_subcommand("run", "run the service (the default)");
    add_run_options(run_cmd);
    auto* check_cmd = app.add_subcommand("check-config", "validate a config file and exit");
    check_cmd->add_option("-c,--config", config_path, "config file (JSON)")->capture_default_str();

    fu::cli::ChatOptions chat;
    auto* chat_cmd = app.add_subcommand("chat", "chat with a running followupd from this terminal");
    chat_cmd->add_option("--as", chat.user, "your user handle (e.g. wang)")->required();
    chat_cmd->add_option("--url", chat.url, "followupd's address")->capture_default_str();
    chat_cmd->add_option("--token", chat.token, "web_chat.token, if the server sets one");
    chat_cmd->add_option("--link", chat.link, "a sign-in link (from `login` in chat or `followupd login-link`)");
    auto run_data_command = fu::cli::add_data_commands(app);  // import, export

    auto token_cli = fu::cli::add_token_cli(app);
    auto run_migrate_command = fu::cli::add_migrate_command(app);  // migrate-db
    auto run_backup_command = fu::cli::add_backup_commands(app);   // backup, restore
    auto run_login_link = fu::cli::add_login_link_command(app);

    CLI11_PARSE(app, argc, argv);

    if (token_cli->cmd->parsed()) return fu::cli::run_token_cli(*token_cli, std::cout, std::cerr);

    if (chat_cmd->parsed()) return fu::cli::run_chat(chat, std::cin, std::cout);
    if (auto rc = run_data_command()) return *rc;
    if (auto rc = run_migrate_command()) return *rc;
    if (auto rc = run_backup_command()) return *rc;
    if (auto rc = run_login_link()) return *rc;

    fu::config::Config cfg;
    try {
        cfg = fu::config::load_file(config_path, fu::config::process_env());
        fu::adapters::validate_all(cfg);
    } catch (const fu::config::ConfigError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
    if (check_cmd->parsed()) {
        std::cout << config_path << ": ok\n";
        return 0;
    }
    // The config file with the command line's overrides; read again on SIGHUP.
    auto overridden = [db_override, port_override](fu::config::Config c) {
        if (!db_override.empty()) c.database = db_override;
        if (port_override >= 0) c.port = static_cast<std::uint16_t>(port_override);
        return c;
    };
    cfg = overridden(std::move(cfg));
    try {
        fu::server::start_logging(cfg);
        spdlog::info("config: {}", config_path);
        fu::server::RunOptions options{port_file};
        options.reload = [config_path, overridden] {
            auto next = fu::config::load_file(config_path, fu::config::process_env());
            fu::adapters::validate_all(next);
            return overridden(std::move(next));
        };
        return fu::server::run(cfg, options);
    } catch (const std::exception& e) {
        spdlog::critical("followupd cannot run: {}", e.what());
        return 1;
    }
}
