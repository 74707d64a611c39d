#pragma once
// REST API tokens: a secret of 32 random bytes shown once as "fu_" + base64url;
// only its SHA-256 (hex) is stored. Created and revoked by an admin, audited.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/store.hpp"

namespace fu::server::tokens {

// A request the admin can fix (unknown admin or team, not an admin, no such token).
struct TokenError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// "fu_" + 43 base64url characters (no padding).
std::string new_secret();
// Lower-case hex SHA-256 of the whole presented secret.
std::string hash_secret(std::string_view secret);

struct Created {
    ApiToken token;
    std::string secret;  // shown once, never stored
};

// team: a team name, or nullopt for every team. admin: the handle of an admin.
Created create(Repo&, std::string_view name, const std::optional<std::string>& team, std::string_view admin,
               TimePoint now);
// Revoking twice is an error (the first revocation time stays).
ApiToken revoke(Repo&, TokenId, std::string_view admin, TimePoint now);

}  // namespace fu::server::tokens
