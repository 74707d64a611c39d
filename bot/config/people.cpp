// The config's lists: teams (each with SOP numbers on top of the sop section)
// and users (handle, role, team, working time, their accounts on the chat
// platforms). Declared in sections.hpp; config.cpp calls them.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/checker.hpp"
#include "config/sections.hpp"

namespace fu::config {

using nlohmann::json;

// teams: a name, or an object {"name", "sop"} whose sop keys apply on top of the sop section.
void read_teams(Config& c, const Checker& ck, const json& teams) {
    constexpr std::string_view kExpTeams =
        "a list of team names such as [\"East Sales\"] or of team objects such as "
        "[{\"name\": \"East Sales\", \"sop\": {\"tier_a_days\": 5}}]";
    constexpr std::string_view kExpTeam =
        "a non-empty team name such as \"East Sales\", or an object such as "
        "{\"name\": \"East Sales\", \"sop\": {\"tier_a_days\": 5}}";
    constexpr std::string_view kExpTeamName = "a non-empty team name such as \"East Sales\"";
    if (!teams.is_array()) ck.fail("teams", teams, kExpTeams);
    const std::vector<std::string> team_keys = {"name", "sop"};
    const auto sop_keys = section_keys(*find_section("sop"));
    std::map<std::string, std::size_t> seen;  // lower-cased name -> index
    for (std::size_t i = 0; i < teams.size(); ++i) {
        const auto path = "teams[" + std::to_string(i) + "]";
        const json& t = teams[i];
        SopRules rules = c.sop;
        std::string name_path = path;
        const json* name_value = &t;
        if (t.is_object()) {
            ck.no_unknown_keys(t, path, team_keys);
            name_path = path + ".name";
            if (!t.contains("name")) ck.fail_text(name_path, std::string(kMissing), kExpTeamName);
            name_value = &t.at("name");
            if (t.contains("sop")) {
                const json& overrides = t.at("sop");
                const auto sop_path = path + ".sop";
                if (!overrides.is_object())
                    ck.fail(sop_path, overrides, "an object with some of the keys " + join(sop_keys));
                ck.no_unknown_keys(overrides, sop_path, sop_keys);
                for (const auto& [k, v] : overrides.items())
                    sop_key(rules, ck, k, v, sop_path + "." + k, key_spec("sop", k));
            }
        }
        auto name = ck.text(*name_value, name_path, t.is_object() ? kExpTeamName : kExpTeam, true);
        auto [it, fresh] = seen.emplace(lower(name), i);
        if (!fresh)
            ck.fail(name_path, *name_value,
                    "a team name not listed before (teams[" + std::to_string(it->second) + "] is the same)");
        c.team_sop.emplace(name, std::move(rules));
        c.teams.push_back(std::move(name));
    }
}

namespace {

const std::vector<std::string> kUserKeys = {"handle", "name",       "role",      "team",       "time_zone",
                                            "lang",   "work_hours", "work_days", "identities", "notify"};

// users[i].identities and users[i].notify. Which platforms exist is the adapters'
// registry's to say (validate_all); here the ids are non-empty and one user's each.
void read_platform_links(UserConfig& uc, const Checker& ck, const json& u, const std::string& base, std::size_t i,
                         std::map<std::string, std::size_t>& identity_owner) {
    if (u.contains("identities")) {
        const json& ids = u["identities"];
        const std::string ipath = base + ".identities";
        if (!ids.is_object())
            ck.fail(ipath, ids, "an object of platform -> user id there, such as {\"telegram\": \"123456789\"}");
        for (const auto& [platform, id] : ids.items()) {
            const std::string ppath = ipath + "." + platform;
            auto value = ck.text(id, ppath, "a non-empty string: the user's id on " + platform, true);
            auto [it, fresh] = identity_owner.emplace(platform + "\n" + value, i);
            if (!fresh)
                ck.fail(ppath, id, "an id no other user has (users[" + std::to_string(it->second) + "] has it)");
            uc.identities.emplace(platform, std::move(value));
        }
    }
    if (u.contains("notify"))
        uc.notify = ck.text(u["notify"], base + ".notify",
                            "\"web\" or a chat platform listed in " + base + ".identities", true);
}

// users[i]: one user; `seen` and `identity_owner` make handles and platform ids unique.
UserConfig read_user(const Config& c, const Checker& ck, const json& u, std::size_t i,
                     std::map<std::string, std::size_t>& seen, std::map<std::string, std::size_t>& identity_owner) {
    const auto base = "users[" + std::to_string(i) + "]";
    if (!u.is_object()) ck.fail(base, u, "an object with the keys " + join(kUserKeys));
    ck.no_unknown_keys(u, base, kUserKeys);
    UserConfig uc;

    constexpr std::string_view kExpHandle =
        "a handle of 1 to 32 characters from a-z, 0-9, \"_\", \".\", \"-\", such as \"wang\"";
    if (!u.contains("handle")) ck.fail_text(base + ".handle", std::string(kMissing), kExpHandle);
    uc.handle = ck.text(u["handle"], base + ".handle", kExpHandle, true);
    if (uc.handle.size() > 32 || !std::all_of(uc.handle.begin(), uc.handle.end(), [](char ch) {
            return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
        }))
        ck.fail(base + ".handle", u["handle"], kExpHandle);
    if (auto [it, fresh] = seen.emplace(lower(uc.handle), i); !fresh)
        ck.fail(base + ".handle", u["handle"],
                "a handle no other user has (users[" + std::to_string(it->second) + "] has it)");

    uc.name = uc.handle;
    if (u.contains("name")) uc.name = ck.text(u["name"], base + ".name", "a non-empty display name", true);

    constexpr std::string_view kExpRole = "one of \"rep\", \"manager\", \"admin\"";
    if (u.contains("role")) {
        auto r = role_from_code(ck.text(u["role"], base + ".role", kExpRole, true));
        if (!r) ck.fail(base + ".role", u["role"], kExpRole);
        uc.role = *r;
    }

    const std::string exp_team = c.teams.empty() ? std::string("a team listed in teams (teams is empty)")
                                                 : "one of the teams listed in teams: " + [&] {
                                                       std::vector<std::string> q;
                                                       for (const auto& t : c.teams) q.push_back("\"" + t + "\"");
                                                       return join(q);
                                                   }();
    if (u.contains("team")) {
        uc.team = ck.text(u["team"], base + ".team", exp_team, true);
        if (std::find(c.teams.begin(), c.teams.end(), uc.team) == c.teams.end())
            ck.fail(base + ".team", u["team"], exp_team);
    } else if (uc.role != Role::admin) {
        ck.fail_text(base + ".team", std::string(kMissing),
                     exp_team + " (a " + std::string(code(uc.role)) + " needs a team)");
    }

    uc.time_zone = u.contains("time_zone") ? ck.time_zone(u["time_zone"], base + ".time_zone") : c.time_zone;
    if (u.contains("lang")) uc.lang = ck.lang(u["lang"], base + ".lang");
    if (u.contains("work_hours")) {
        auto [s, e] = ck.work_hours(u["work_hours"], base + ".work_hours");
        uc.work_start_minute = s;
        uc.work_end_minute = e;
    }
    if (u.contains("work_days")) uc.work_days = ck.work_days(u["work_days"], base + ".work_days");

    read_platform_links(uc, ck, u, base, i, identity_owner);
    return uc;
}

}  // namespace

void read_users(Config& c, const Checker& ck, const json& users) {
    if (!users.is_array())
        ck.fail("users", users,
                "a list of users such as [{\"handle\": \"wang\", \"role\": \"rep\", \"team\": \"East Sales\"}]");
    std::map<std::string, std::size_t> seen;            // lower-cased handle -> index
    std::map<std::string, std::size_t> identity_owner;  // "platform\nid" -> index
    for (std::size_t i = 0; i < users.size(); ++i)
        c.users.push_back(read_user(c, ck, users[i], i, seen, identity_owner));
}

}  // namespace fu::config
