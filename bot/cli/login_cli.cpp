#include "cli/login_cli.hpp"

#include <iostream>
#include <memory>

#include "adapters/registry.hpp"
#include "config/config.hpp"
#include "server/app.hpp"
#include "server/sign_in.hpp"

namespace fu::cli {

namespace {

struct LoginLink {
    CLI::App* cmd = nullptr;
    std::string config_path = "config/demo.json";
    std::string db, as;
};

int run(const LoginLink& l) {
    config::Config cfg;
    try {
        cfg = config::load_file(l.config_path, config::process_env());
        adapters::validate_all(cfg);
    } catch (const config::ConfigError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
    if (!l.db.empty()) cfg.database = l.db;
    if (cfg.web_chat_pick) {
        std::cerr << "login-link: this config lets the web chat pick who you are (the demo's web_chat.auth): "
                     "there is no sign-in to link to\n";
        return 2;
    }
    try {
        auto store = server::open_store(cfg);
        const TimePoint now = SystemClock().now();
        std::string token;
        bool found = false;
        store->transact([&](Repo& repo) {
            server::sync_people(repo, cfg);  // a fresh install has its people only in the config
            const auto u = repo.user_by_handle(l.as);
            if (!u) return;
            found = true;
            token = server::sign_in::issue_link(repo, *u, now, Seconds{cfg.sign_in_code_s}, "followupd login-link");
        });
        if (!found) {
            std::cerr << "login-link: no user '" << l.as << "' (users[] in " << l.config_path << ")\n";
            return 1;
        }
        std::cout << server::sign_in::link_url(server::public_url(cfg, cfg.port), token) << "\n";
        std::cerr << "Open it within " << (cfg.sign_in_code_s + 59) / 60 << " min; it signs " << l.as
                  << " in once. (Another address? Set web_chat.public_url, or keep the part from /#sign-in=.)\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "login-link: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace

std::function<std::optional<int>()> add_login_link_command(CLI::App& app) {
    auto l = std::make_shared<LoginLink>();
    l->cmd = app.add_subcommand("login-link", "print a one-time link that signs a person in to the web chat");
    l->cmd->add_option("--as", l->as, "the person's user handle (e.g. admin)")->required();
    l->cmd->add_option("-c,--config", l->config_path, "config file (JSON)")->capture_default_str();
    l->cmd->add_option("--db", l->db, "SQLite file (overrides storage.path)");
    return [l]() -> std::optional<int> {
        if (!l->cmd->parsed()) return std::nullopt;
        return run(*l);
    };
}

}  // namespace fu::cli
