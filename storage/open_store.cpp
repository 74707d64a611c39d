#include "storage/open_store.hpp"

#include "storage/postgres/migrations.hpp"
#include "storage/postgres/pg_store.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace fu::storage {

OpenedStore open_store(const StoreOptions& options) {
    const Durability durability = options.durable ? Durability::full : Durability::normal;
    OpenedStore opened;
    if (options.engine == "postgres") {
        if (options.contacts_key.empty() && options.contacts_key_file.empty())
            throw StorageError(
                "storage.contacts_key (or storage.contacts_key_file) is needed with storage.engine \"postgres\": "
                "every instance must seal customers' contacts with the same key");
        std::string key =
            contacts_key_for("", options.contacts_key, options.contacts_key_file, &opened.created_key_file);
        auto store = PgStore::open(options.url, std::move(key), durability);
        for (int i = 1; i < options.connections; ++i) opened.more.push_back(store->another());
        opened.store = std::move(store);
        return opened;
    }
    if (options.engine != "sqlite")
        throw UnknownEngine("storage.engine: unknown engine \"" + options.engine +
                            "\"; expected \"sqlite\" or \"postgres\"");
    if (options.connections > 1)
        throw StorageError(
            "storage.connections: SQLite has one writer, so one connection; more need storage.engine "
            "\"postgres\"");
    std::string key =
        contacts_key_for(options.path, options.contacts_key, options.contacts_key_file, &opened.created_key_file);
    auto store = SqliteStore::open(options.path, std::move(key), durability);
    if (options.cache_mib > 0) store->set_cache_mib(options.cache_mib);
    opened.store = std::move(store);
    return opened;
}

int latest_schema_version(const std::string& engine) {
    return engine == "postgres" ? pg::latest_schema_version() : storage::latest_schema_version();
}

}  // namespace fu::storage
