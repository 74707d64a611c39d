#pragma once
// `followupd backup DEST` and `followupd restore SRC`: the SQLite database,
// copied consistently while the service runs, and put back with the contacts
// key checked first (storage/sqlite/backup.hpp).
#include <functional>
#include <optional>

namespace CLI {
class App;
}

namespace fu::cli {

// Adds `backup` and `restore` to `app`. After parsing, the returned function
// runs the one chosen and returns its exit status (0 done; 1 refused or
// failed, nothing changed; 2 a bad config or argument); nullopt if neither
// was chosen.
std::function<std::optional<int>()> add_backup_commands(CLI::App& app);

}  // namespace fu::cli
