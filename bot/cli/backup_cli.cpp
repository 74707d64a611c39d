// `followupd backup` and `followupd restore` (see backup_cli.hpp).
#include "cli/backup_cli.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "adapters/registry.hpp"
#include "config/config.hpp"
#include "storage/sql/contact_cipher.hpp"
#include "storage/sql/statement.hpp"
#include "storage/sqlite/backup.hpp"
#include "storage/sqlite/migrations.hpp"

namespace fu::cli {
namespace {
namespace fs = std::filesystem;

struct BackupArgs {
    std::string config = fu::config::default_path();
    std::string path;  // backup: the new file; restore: the backup
    bool yes = false;
};

// What people compare: the first 16 hex digits of the key's check value.
std::string fingerprint(const std::string& check) {
    return check.empty() ? "(none: contacts not sealed)" : check.substr(0, 16);
}

std::optional<config::Config> load(const BackupArgs& a, const char* command) {
    try {
        auto cfg = config::load_file(a.config, config::process_env());
        adapters::validate_names(cfg);
        if (cfg.engine != "sqlite") {
            std::cerr << command << ": storage.engine is \"" << cfg.engine
                      << "\": back up PostgreSQL with its own tools (pg_dump, or pg_basebackup with WAL archiving); "
                         "see README, \"Backup and restore\"\n";
            return std::nullopt;
        }
        return cfg;
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return std::nullopt;
    }
}

std::string key_file_of(const config::Config& cfg) {
    return cfg.contacts_key_file.empty() ? cfg.database + ".key" : cfg.contacts_key_file;
}

std::string utc_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

int run_backup(const BackupArgs& a) {
    const auto cfg = load(a, "backup");
    if (!cfg) return 2;
    try {
        const auto info = storage::backup_database(cfg->database, a.path);
        const std::string manifest = a.path + ".json";
        nlohmann::json m{{"followupd_backup", 1},
                         {"created_at", utc_now()},
                         {"source", fs::absolute(cfg->database).string()},
                         {"schema_version", info.schema_version},
                         {"contacts_key_check", info.key_check},
                         {"contacts_key_file", cfg->contacts_key.empty() ? key_file_of(*cfg) : ""}};
        std::ofstream(manifest) << m.dump(2) << "\n";
        std::cout << "✅ " << cfg->database << " backed up to " << a.path << " (" << info.bytes / 1024
                  << " KiB, schema version " << info.schema_version << ")\n"
                  << "   contacts key fingerprint: " << fingerprint(info.key_check) << " (also in " << manifest
                  << ")\n";
        if (!info.key_check.empty())
            std::cout << "   Keep the contacts key with it: "
                      << (cfg->contacts_key.empty() ? key_file_of(*cfg) : std::string("storage.contacts_key"))
                      << ". Without it the customers' phone, email and IM in the backup cannot be read.\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "❌ backup failed, nothing was written: " << e.what() << "\n";
        return 1;
    }
}

int run_restore(const BackupArgs& a) {
    const auto cfg = load(a, "restore");
    if (!cfg) return 2;
    try {
        const auto backup = storage::inspect_database(a.path);
        // The key must be there before the database: a restore never makes a
        // new key (one would not open the restored contacts, and would stop
        // every later start).
        if (!backup.key_check.empty()) {
            std::string key;
            std::string where = "storage.contacts_key";
            if (!cfg->contacts_key.empty()) {
                key = *storage::parse_hex_key(cfg->contacts_key);
            } else {
                where = key_file_of(*cfg);
                if (!fs::exists(where)) {
                    std::cerr << "❌ not restored: the backup's contacts are sealed with the key whose fingerprint is "
                              << fingerprint(backup.key_check) << ", and there is no key at " << where
                              << ". Put that key there first (from where you keep it with your backups), or set "
                                 "storage.contacts_key. A restore never makes a new key.\n";
                    return 1;
                }
                key = storage::load_or_create_key_file(where);
            }
            const auto mine = storage::key_check_value(key);
            if (mine != backup.key_check) {
                std::cerr << "❌ not restored: the contacts key in " << where << " (fingerprint " << fingerprint(mine)
                          << ") is not the key that sealed this backup (fingerprint " << fingerprint(backup.key_check)
                          << "). Put the right key there first.\n";
                return 1;
            }
        }
        const int latest = storage::latest_schema_version();
        if (backup.schema_version > latest) {
            std::cerr << "❌ not restored: the backup has schema version " << backup.schema_version
                      << ", newer than this followupd's (" << latest
                      << "): restore it with the followupd that made it\n";
            return 1;
        }
        // What is there now is kept, in case the wrong backup was chosen.
        std::string kept;
        if (fs::exists(cfg->database) && fs::file_size(cfg->database) > 0) {
            kept = cfg->database + ".before-restore-" + utc_now();
            storage::backup_database(cfg->database, kept);
        }
        storage::restore_database(a.path, cfg->database);
        std::cout << "✅ " << a.path << " restored into " << cfg->database << " (schema version "
                  << backup.schema_version << ", contacts key fingerprint " << fingerprint(backup.key_check) << ")\n";
        if (!kept.empty()) std::cout << "   The database it replaced is kept in " << kept << "\n";
        if (backup.schema_version < latest)
            std::cout << "   It will be migrated to schema version " << latest << " at the next start.\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "❌ restore failed: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace

std::function<std::optional<int>()> add_backup_commands(CLI::App& app) {
    auto backup_args = std::make_shared<BackupArgs>();
    auto restore_args = std::make_shared<BackupArgs>();
    auto* backup = app.add_subcommand(
        "backup",
        "copy the SQLite database to a new file, consistently, while followupd runs (README: Backup and restore)");
    backup->add_option("dest", backup_args->path, "the new backup file (never overwritten)")->required();
    backup->add_option("-c,--config", backup_args->config, "config file (JSON)")->capture_default_str();
    auto* restore = app.add_subcommand(
        "restore", "put a backup back as the SQLite database, after checking its contacts key; stop followupd first");
    restore->add_option("src", restore_args->path, "the backup file")->required();
    restore->add_option("-c,--config", restore_args->config, "config file (JSON)")->capture_default_str();
    return [backup, restore, backup_args, restore_args]() -> std::optional<int> {
        if (backup->parsed()) return run_backup(*backup_args);
        if (restore->parsed()) return run_restore(*restore_args);
        return std::nullopt;
    };
}

}  // namespace fu::cli
