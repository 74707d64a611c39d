#pragma once
// `followupd import FILE --as <handle>` and `followupd export KIND --as
// <handle>`: CSV in and out of the SQLite database the config names (see
// docs/CSV.md). They run beside a running server: SQLite serialises writers.
#include <functional>
#include <optional>

namespace CLI {
class App;
}

namespace fu::cli {

// Adds the `import` and `export` subcommands to `app`. After parsing, the
// returned function runs whichever was chosen and returns its exit status
// (0 done, 1 problems in the file or refused, 2 cannot start); nullopt when
// neither was chosen.
std::function<std::optional<int>()> add_data_commands(CLI::App& app);

}  // namespace fu::cli
