#pragma once
// Wires followupd together: store, bot, scheduler, HTTP server; runs until
// SIGTERM/SIGINT. SIGHUP reopens the log file and reloads the config.
#include <functional>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "core/store.hpp"
#include "storage/open_store.hpp"

namespace fu::server {

// The storage options of a config: its storage.* keys.
storage::StoreOptions store_options(const config::Config&);

// The configured database, customers' contacts sealed with storage.contacts_key,
// or else the key in storage.contacts_key_file or beside the database (created,
// and said so in the log, on first use). Throws storage::StorageError, or
// storage::UnknownEngine.
std::unique_ptr<Store> open_store(const config::Config&);

// Where people open the web chat: web_chat.public_url, else this server's
// address and `port`. Sign-in links point there.
std::string public_url(const config::Config&, unsigned port);

struct RunOptions {
    std::string port_file;  // written with the bound port once accepting
    // SIGHUP: the config read and checked again (throws config::ConfigError),
    // with the command line's overrides; not set: SIGHUP only reopens the log.
    std::function<config::Config()> reload;
};

// Teams and users from the config are created or updated by handle; users
// not in the config are left as they are.
void sync_people(Repo&, const config::Config&);

int run(const config::Config&, const RunOptions&);

}  // namespace fu::server
