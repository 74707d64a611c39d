#pragma once
// Wires followupd together: store, bot, scheduler, HTTP server; runs until
// SIGTERM/SIGINT.
#include <string>

#include "config/config.hpp"
#include "core/store.hpp"

namespace fu::server {

struct RunOptions {
    std::string port_file;  // written with the bound port once accepting
};

// Teams and users from the config are created or updated by handle; users
// not in the config are left as they are.
void sync_people(Repo&, const config::Config&);

int run(const config::Config&, const RunOptions&);

}  // namespace fu::server
