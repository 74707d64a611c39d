#pragma once
// Storage port: teams, users and their accounts on chat platforms.
#include <optional>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace fu {

class PeopleStore {
public:
    virtual ~PeopleStore() = default;

    // Teams and users
    virtual TeamId add_team(const Team&) = 0;
    virtual std::optional<Team> team(TeamId) = 0;
    virtual std::vector<Team> teams() = 0;
    virtual UserId add_user(const User&) = 0;
    virtual void update_user(const User&) = 0;
    virtual std::optional<User> user(UserId) = 0;
    virtual std::optional<User> user_by_handle(std::string_view handle) = 0;  // case-insensitive
    virtual std::vector<User> users() = 0;
    virtual std::vector<User> team_members(TeamId) = 0;

    // Identities on chat platforms
    virtual void link_identity(const Identity&) = 0;  // insert or replace by (platform, external_id)
    virtual std::optional<Identity> identity(std::string_view platform, std::string_view external_id) = 0;
    virtual std::vector<Identity> identities_of(UserId) = 0;
    virtual void unlink_identity(std::string_view platform, std::string_view external_id) = 0;  // no-op if absent
};

}  // namespace fu
