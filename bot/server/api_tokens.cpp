#include "server/api_tokens.hpp"

#include <algorithm>

#include "net/crypto.hpp"

namespace fu::server::tokens {

namespace {

User load_admin(Repo& repo, std::string_view handle) {
    auto u = repo.user_by_handle(handle);
    if (!u) throw TokenError("no user '" + std::string(handle) + "'");
    if (u->role != Role::admin) throw TokenError("'" + u->handle + "' is not an admin: only admins manage API tokens");
    return *u;
}

}  // namespace

std::string new_secret() {
    std::string b64 = net::crypto::base64_encode(net::crypto::random_bytes(32));
    std::replace(b64.begin(), b64.end(), '+', '-');
    std::replace(b64.begin(), b64.end(), '/', '_');
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
    return "fu_" + b64;
}

std::string hash_secret(std::string_view secret) { return net::crypto::hex(net::crypto::sha256(secret)); }

Created create(Repo& repo, std::string_view name, const std::optional<std::string>& team, std::string_view admin,
               TimePoint now) {
    if (name.empty()) throw TokenError("a token needs a name (what it is for, e.g. crm)");
    const User who = load_admin(repo, admin);
    ApiToken t;
    t.name = std::string(name);
    t.created_by = who.id;
    t.created_at = now;
    if (team) {
        for (const auto& tm : repo.teams())
            if (tm.name == *team) t.team = tm.id;
        if (!t.team) throw TokenError("no team '" + *team + "'");
    }
    Created out;
    out.secret = new_secret();
    t.hash = hash_secret(out.secret);
    t.id = repo.add_api_token(t);
    repo.append_audit(AuditEntry{{},
                                 now,
                                 who.id,
                                 "token.create",
                                 "token:" + std::to_string(t.id.value),
                                 t.name + " · scope " + (team ? "team " + *team : std::string("every team"))});
    out.token = t;
    return out;
}

ApiToken revoke(Repo& repo, TokenId id, std::string_view admin, TimePoint now) {
    const User who = load_admin(repo, admin);
    auto t = repo.api_token(id);
    if (!t) throw TokenError("no token #" + std::to_string(id.value));
    if (t->revoked_at) throw TokenError("token #" + std::to_string(id.value) + " is already revoked");
    t->revoked_at = now;
    repo.update_api_token(*t);
    repo.append_audit(AuditEntry{{}, now, who.id, "token.revoke", "token:" + std::to_string(id.value), t->name});
    return *t;
}

}  // namespace fu::server::tokens
