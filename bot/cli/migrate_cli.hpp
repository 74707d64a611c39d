#pragma once
// `followupd migrate-db --from sqlite:PATH --to postgresql://…`: a SQLite
// database copied whole into an empty PostgreSQL one (storage/migrate_db.hpp),
// with a line per table and the time it took.
#include <functional>
#include <optional>

namespace CLI {
class App;
}

namespace fu::cli {

// Adds the `migrate-db` subcommand to `app`. After parsing, the returned
// function runs it if it was chosen and returns its exit status (0 copied;
// 1 refused, the target not empty, or failed, nothing written; 2 no source
// database to copy); nullopt otherwise.
std::function<std::optional<int>()> add_migrate_command(CLI::App& app);

}  // namespace fu::cli
