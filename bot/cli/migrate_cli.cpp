// `followupd migrate-db` (see migrate_cli.hpp).
#include "cli/migrate_cli.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "storage/migrate_db.hpp"

namespace fu::cli {
namespace {

struct MigrateArgs {
    std::string from;
    std::string to;
};

// "sqlite:PATH" (or "sqlite://PATH", or the bare path) → PATH.
std::optional<std::string> sqlite_path(const std::string& from) {
    std::string path = from;
    if (path.rfind("sqlite://", 0) == 0)
        path = path.substr(9);
    else if (path.rfind("sqlite:", 0) == 0)
        path = path.substr(7);
    else if (path.rfind("postgres", 0) == 0)
        return std::nullopt;
    if (path.empty()) return std::nullopt;
    return path;
}

std::string fixed(double v, int decimals) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string padded(std::string s, std::size_t width, bool left) {
    if (s.size() >= width) return s;
    return left ? s + std::string(width - s.size(), ' ') : std::string(width - s.size(), ' ') + s;
}

int run_migrate(const MigrateArgs& a) {
    const auto path = sqlite_path(a.from);
    if (!path) {
        std::cerr << "--from: expected sqlite:PATH (the SQLite database to copy), got '" << a.from << "'\n";
        return 2;
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*path, ec)) {
        std::cerr << "--from: no SQLite database at " << *path << "\n";
        return 2;
    }
    // The URL is never echoed: it may carry a password.
    std::cout << "Copying " << *path << " into PostgreSQL…\n" << std::flush;
    try {
        const auto report = storage::migrate_sqlite_to_postgres(*path, a.to, [](const storage::TableCopied& t) {
            std::cout << "  " << padded(t.table, 16, true) << padded(std::to_string(t.rows), 12, false) << " rows  "
                      << padded(fixed(t.seconds, 2), 8, false) << " s\n"
                      << std::flush;
        });
        std::cout << "  " << padded("indexes, keys", 16, true) << padded("", 18, false)
                  << padded(fixed(report.finish_seconds, 2), 8, false) << " s\n";
        const double rate = report.seconds > 0 ? static_cast<double>(report.rows) / report.seconds : 0;
        std::cout << "✅ Copied " << report.rows << " rows in " << report.tables.size() << " tables in "
                  << fixed(report.seconds, 2) << " s (" << fixed(rate, 0)
                  << " rows/s); every table's count matches the source.\n"
                  << "Next: set storage.engine \"postgres\" and storage.url, and give the same contacts key "
                     "(storage.contacts_key or storage.contacts_key_file).\n";
        return 0;
    } catch (const storage::TargetNotEmpty& e) {
        std::cerr << "❌ " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "❌ migrate-db failed, nothing was copied: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace

std::function<std::optional<int>()> add_migrate_command(CLI::App& app) {
    auto args = std::make_shared<MigrateArgs>();
    auto* cmd = app.add_subcommand("migrate-db", "copy a SQLite database into an empty PostgreSQL database");
    cmd->add_option("--from", args->from, "the SQLite database: sqlite:PATH")->required();
    cmd->add_option("--to", args->to, "the PostgreSQL database: postgresql://USER@HOST:PORT/DBNAME")->required();
    cmd->footer(
        "Stop followupd first: rows written after the copy starts are not copied.\n"
        "The source's schema is brought up to date, then every table is copied with its\n"
        "ids in one PostgreSQL transaction, and each table's row count is checked before\n"
        "it commits. Contacts stay sealed as they are: the copy opens with the same\n"
        "contacts key (keep the key file, e.g. PATH.key beside the SQLite file, and name it\n"
        "in storage.contacts_key_file). A target with any row in it is refused, unchanged.\n"
        "A password in the URL may come from PGPASSWORD or a pgpass file instead.");
    return [args, cmd]() -> std::optional<int> {
        if (cmd->parsed()) return run_migrate(*args);
        return std::nullopt;
    };
}

}  // namespace fu::cli
