#include "cli/token_cli.hpp"

#include <date/date.h>

#include <ostream>

#include "adapters/registry.hpp"
#include "config/config.hpp"
#include "server/api_tokens.hpp"
#include "server/app.hpp"

namespace fu::cli {

namespace {

void add_store_options(CLI::App* cmd, TokenCli& t) {
    cmd->add_option("-c,--config", t.config_path, "config file (JSON)")->capture_default_str();
    cmd->add_option("--db", t.db, "SQLite file (overrides storage.path)");
}

std::string when(const std::optional<TimePoint>& t) { return t ? date::format("%FT%TZ", *t) : "-"; }

}  // namespace

std::unique_ptr<TokenCli> add_token_cli(CLI::App& app) {
    auto t = std::make_unique<TokenCli>();
    t->cmd = app.add_subcommand("token", "REST API tokens: create, list, revoke");
    t->cmd->require_subcommand(1);

    t->create = t->cmd->add_subcommand("create", "create a token and print its secret (shown once)");
    t->create->add_option("--name", t->name, "what it is for, e.g. crm")->required();
    auto* team = t->create->add_option("--team", t->team, "the one team it may touch");
    auto* all = t->create->add_flag("--all", t->all, "every team (imports, the audit log, deletes)");
    team->excludes(all);
    t->create->add_option("--as", t->as, "your admin handle (audited)")->required();
    add_store_options(t->create, *t);

    t->list = t->cmd->add_subcommand("list", "list tokens (never their secrets)");
    add_store_options(t->list, *t);

    t->revoke = t->cmd->add_subcommand("revoke", "revoke a token: it stops working at once");
    t->revoke->add_option("id", t->id, "token id (from token list)")->required()->check(CLI::PositiveNumber);
    t->revoke->add_option("--as", t->as, "your admin handle (audited)")->required();
    add_store_options(t->revoke, *t);
    return t;
}

int run_token_cli(const TokenCli& t, std::ostream& out, std::ostream& err) {
    if (t.create->parsed() && !t.all && t.team.empty()) {
        err << "token create: give --team <team name> or --all\n";
        return 2;
    }
    config::Config cfg;
    try {
        cfg = config::load_file(t.config_path, config::process_env());
        adapters::validate_names(cfg);
    } catch (const config::ConfigError& e) {
        err << e.what() << "\n";
        return 2;
    }
    if (!t.db.empty()) cfg.database = t.db;
    try {
        auto store = server::open_store(cfg);
        const TimePoint now = SystemClock().now();
        int code = 0;
        store->transact([&](Repo& repo) {
            // Teams and admins come from the config, as when the service starts.
            server::sync_people(repo, cfg);
            if (t.create->parsed()) {
                const auto team = t.all ? std::nullopt : std::optional<std::string>(t.team);
                const auto made = server::tokens::create(repo, t.name, team, t.as, now);
                out << "token #" << made.token.id.value << " " << made.token.name << " ("
                    << (team ? "team " + *team : std::string("every team")) << ")\n"
                    << made.secret << "\n"
                    << "Keep it now: it is not shown again. Send it as: Authorization: Bearer <token>\n";
            } else if (t.revoke->parsed()) {
                const auto r = server::tokens::revoke(repo, TokenId{t.id}, t.as, now);
                out << "token #" << r.id.value << " " << r.name << " revoked\n";
            } else {
                std::unordered_map<std::int64_t, std::string> teams, users;
                for (const auto& tm : repo.teams()) teams[tm.id.value] = tm.name;
                for (const auto& u : repo.users()) users[u.id.value] = u.handle;
                out << "id\tname\tscope\tcreated_by\tcreated_at\tlast_used_at\trevoked_at\n";
                for (const auto& k : repo.api_tokens())
                    out << k.id.value << "\t" << k.name << "\t" << (k.team ? "team " + teams[k.team->value] : "all")
                        << "\t" << (k.created_by ? users[k.created_by->value] : "-") << "\t" << when(k.created_at)
                        << "\t" << when(k.last_used_at) << "\t" << when(k.revoked_at) << "\n";
            }
        });
        return code;
    } catch (const server::tokens::TokenError& e) {
        err << "token: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        err << "token: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace fu::cli
