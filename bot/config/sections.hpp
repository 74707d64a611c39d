#pragma once
// The schema of the config's own object sections, and the sections whose
// key table and reader live in a file of their own (config/<section>.cpp):
// there the table and the code that reads each key change together, as
// config.cpp's do for the sections it still holds. config.cpp lists every
// section (sections()) and calls each reader. Internal to bot/config.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/checker.hpp"
#include "config/config.hpp"

namespace fu::config {

enum class Kind {
    text,
    nonempty_text,
    integer,
    boolean,
    time_zone,
    lang,
    work_hours,
    work_days,
    log_level,
    day_list,
    holidays
};

struct KeySpec {
    std::string_view key;
    Kind kind;
    long long lo = 0, hi = 0;  // integer bounds
    std::string_view expected;
};

struct SectionSpec {
    std::string_view name;
    std::vector<KeySpec> keys;
};

// sop (config/sop.cpp): the SOP's numbers; sop_key reads one of sop.* or teams[i].sop.*.
SectionSpec sop_section();
void sop_key(SopRules&, const Checker&, std::string_view key, const nlohmann::json& v, const std::string& path,
             const KeySpec&);

// limits (config/limits.cpp): how long a command and a name may be, how many
// live streams and connections. limits_key reads one key; check_limits, once
// the whole section is read, the keys against each other (the error names the
// key as given in `root`, or its env variable).
SectionSpec limits_section();
void limits_key(Limits&, const Checker&, std::string_view key, const nlohmann::json& v, const std::string& path,
                const KeySpec&);
void check_limits(const Limits&, const Checker&, const nlohmann::json& root);

// teams and users (config/people.cpp): the two lists, read into `c` (teams
// first: a user's team must be one of them).
void read_teams(Config& c, const Checker&, const nlohmann::json& teams);
void read_users(Config& c, const Checker&, const nlohmann::json& users);

// For the readers (config.cpp): a section's spec (null: none such), one key's
// spec, a section's key names, and lower case for names compared as such.
const SectionSpec* find_section(std::string_view name);
const KeySpec& key_spec(std::string_view section, std::string_view key);
std::vector<std::string> section_keys(const SectionSpec&);
std::string lower(std::string);

}  // namespace fu::config
