#pragma once
// Opens the configured storage engine behind the core's Store port. The one
// place that knows which engines exist: the server and the command line both
// come through here.
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/store.hpp"

namespace fu::storage {

struct StoreOptions {
    std::string engine = "sqlite";  // storage.engine: "sqlite" or "postgres"
    std::string url;                // storage.url: the PostgreSQL server (engine "postgres")
    std::string path;               // storage.path: the SQLite database file, or ":memory:"
    std::string contacts_key;       // storage.contacts_key: 64 hex digits, or ""
    std::string contacts_key_file;  // storage.contacts_key_file; "": beside the SQLite database
    bool durable = true;            // storage.durability "full"; false: "normal"
    int cache_mib = 0;              // storage.cache_mib; 0: the engine's default
    int connections = 1;            // storage.connections: lanes of the storage executor (PostgreSQL)
};

struct OpenedStore {
    std::unique_ptr<Store> store;
    // PostgreSQL with storage.connections above 1: a store on a connection of
    // its own for each further lane of the storage executor, sharing the
    // first one's instance id (its own announcements are left out).
    std::vector<std::unique_ptr<Store>> more;
    // A contacts key file this call created; the caller says so in its log,
    // since losing it loses every customer's phone, email and IM.
    std::string created_key_file;
};

// A storage.engine this build does not know.
class UnknownEngine : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// The database named by `options`, schema brought up to date, customers'
// contacts sealed with the contacts key (given, or read from or created in the
// key file). With PostgreSQL, whose instances must all seal with one key, the
// key is given or in a key file named by the options (never created beside
// anything implicitly). Throws UnknownEngine for an engine this build does
// not know, and StorageError when the database cannot be opened (an error
// about the URL or the server names storage.url).
OpenedStore open_store(const StoreOptions& options);

// The schema version this build brings `engine`'s databases to.
int latest_schema_version(const std::string& engine);

}  // namespace fu::storage
