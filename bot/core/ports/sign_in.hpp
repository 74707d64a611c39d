#pragma once
// Storage port: signing in to the web chat. One-time codes (sent through the
// person's chat platform) and sign-in links, and the sessions they open. Only
// hashes are kept: a copy of the database signs nobody in.
#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"

namespace fu {

// A one-time secret: a code sent to the person, or the token of a sign-in link.
struct SignInSecret {
    std::string hash;  // lower-case hex SHA-256 of the secret (a code's includes its user and kind)
    UserId user;
    std::string kind;  // "code" | "link"
    TimePoint created_at{};
    TimePoint expires_at{};
};

// A signed-in browser. The id is in its cookie; only its hash is stored.
struct WebSession {
    std::string hash;  // lower-case hex SHA-256 of the session id
    UserId user;
    TimePoint created_at{};
    TimePoint expires_at{};
};

class SignInStore {
public:
    virtual ~SignInStore() = default;

    virtual void add_sign_in_secret(const SignInSecret&) = 0;
    // Uses the secret: its user if it exists, is unused and expires after
    // `now`; it is then marked used and never answers again.
    virtual std::optional<UserId> use_sign_in_secret(std::string_view hash, TimePoint now) = 0;
    // Marks every unused secret of a user of that kind used (a new code replaces the old ones).
    virtual void retire_sign_in_secrets(UserId, std::string_view kind, TimePoint now) = 0;

    virtual void add_web_session(const WebSession&) = 0;
    // The session if it exists and expires after `now`.
    virtual std::optional<WebSession> web_session(std::string_view hash, TimePoint now) = 0;
    virtual void end_web_session(std::string_view hash) = 0;  // no-op if absent

    // Deletes secrets and sessions that expired before `before`.
    virtual void purge_sign_ins(TimePoint before) = 0;
};

}  // namespace fu
