#pragma once
// The table of chat platform adapters: adding a platform is adding a folder
// and one entry in registry.cpp.
#include <memory>
#include <string_view>
#include <vector>

#include "adapters/adapter.hpp"
#include "adapters/registration.hpp"
#include "config/config.hpp"

namespace fu::adapters {

// The registered platforms' names, in table order.
std::vector<std::string_view> names();

// Checks what the config leaves to the platforms, right after loading, so that
// start-up stops naming the key: every platform section (an unknown section is
// refused with the known ones), FOLLOWUPD_* variables that no key reads, and
// the platforms named in users[i].identities and users[i].notify, and the
// outbound proxy (adapters/outbound_proxy.hpp). Throws
// config::ConfigError.
void validate_all(const config::Config&);
// For the command-line tools that only open the database (token, import,
// export): the names of sections, variables and users' platforms are checked,
// but no platform's own keys, so they need neither its secrets nor read
// access to the files holding them.
void validate_names(const config::Config&);

// The language of a new user whose reminders go to `platform` ("web" or a platform name).
Lang default_lang(std::string_view platform, Lang configured);

// The adapters the config enables, constructed and not yet started.
std::vector<std::unique_ptr<Adapter>> make_enabled(const config::Config&, Deps);

}  // namespace fu::adapters
