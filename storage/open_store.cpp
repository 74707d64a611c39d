#include "storage/open_store.hpp"

#include "storage/sqlite/sqlite_store.hpp"

namespace fu::storage {

OpenedStore open_store(const StoreOptions& options) {
    if (options.engine != "sqlite")
        throw UnknownEngine("storage.engine: unknown engine \"" + options.engine + "\"; expected \"sqlite\"");
    OpenedStore opened;
    std::string key =
        contacts_key_for(options.path, options.contacts_key, options.contacts_key_file, &opened.created_key_file);
    auto store = SqliteStore::open(options.path, std::move(key), options.durable ? Durability::full : Durability::normal);
    if (options.cache_mib > 0) store->set_cache_mib(options.cache_mib);
    opened.store = std::move(store);
    return opened;
}

}  // namespace fu::storage
