#include "adapters/registry.hpp"

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/dingtalk/dingtalk_options.hpp"
#include "adapters/email/email_options.hpp"
#include "adapters/feishu/feishu_options.hpp"
#include "adapters/outbound_proxy.hpp"
#include "adapters/slack/slack_options.hpp"
#include "adapters/telegram/telegram_options.hpp"
#include "adapters/wecom/wecom_options.hpp"
#include "config/checker.hpp"

namespace fu::adapters {
namespace {

using config::ConfigError;
using nlohmann::json;

// One line per platform, in the order messages list them.
constexpr const Registration* kPlatforms[] = {
    &telegram::registration, &slack::registration, &feishu::registration,
    &dingtalk::registration, &wecom::registration, &email::registration,
};

const Registration* find(std::string_view name) {
    for (const Registration* r : kPlatforms)
        if (r->name == name) return r;
    return nullptr;
}

// The platform sections must be ones the table knows; anything else is a typo.
void check_section_names(const config::Config& cfg) {
    std::vector<std::string> keys = config::own_sections();
    for (const Registration* r : kPlatforms) keys.emplace_back(r->name);
    for (const auto& list : config::own_lists()) keys.push_back(list);
    for (const auto& [key, text] : cfg.platforms)
        if (!find(key))
            throw ConfigError(key, config::show(json::parse(text)), "one of the keys " + config::join(keys));
}

// Every FOLLOWUPD_* variable must be read by some key. A platform's keys are
// those it reads from an empty section (every key is read, enabled or not).
void check_env_names(const config::Config& cfg) {
    std::vector<std::string> known = config::own_env_names();
    for (const Registration* r : kPlatforms) {
        Section probe(std::string(r->name), "", {});
        r->validate(probe);
        for (auto& var : probe.env_names()) known.push_back(std::move(var));
    }
    for (const auto& [var, text] : cfg.env) {
        if (config::reserved_env(var) || std::find(known.begin(), known.end(), var) != known.end()) continue;
        // The value is not shown: a misspelt variable may well hold a secret.
        throw ConfigError(
            var, "(not shown)",
            "a known variable: " + config::join(known) + " (or FOLLOWUPD_BIN, FOLLOWUPD_CONFIG for scripts)");
    }
}

// users[i].identities and users[i].notify name registered platforms; notify one the user has an id on.
void check_users(const config::Config& cfg) {
    std::vector<std::string> quoted;
    for (const Registration* r : kPlatforms) quoted.push_back("\"" + std::string(r->name) + "\"");
    const std::string one_of = "one of " + config::join(quoted);
    for (std::size_t i = 0; i < cfg.users.size(); ++i) {
        const auto& uc = cfg.users[i];
        const std::string base = "users[" + std::to_string(i) + "]";
        for (const auto& [platform, id] : uc.identities)
            if (!find(platform))
                throw ConfigError(base + ".identities." + platform, config::show(id),
                                  "a platform name as the key: " + one_of);
        if (uc.notify == "web") continue;
        if (!find(uc.notify)) throw ConfigError(base + ".notify", config::show(uc.notify), "\"web\" or " + one_of);
        if (!uc.identities.contains(uc.notify))
            throw ConfigError(base + ".notify", config::show(uc.notify),
                              "\"web\" or a platform in " + base + ".identities (no " + uc.notify + " id is given)");
    }
}

}  // namespace

std::vector<std::string_view> names() {
    std::vector<std::string_view> out;
    for (const Registration* r : kPlatforms) out.push_back(r->name);
    return out;
}

void validate_all(const config::Config& cfg) {
    check_section_names(cfg);
    check_env_names(cfg);
    for (const Registration* r : kPlatforms) {
        Section s(cfg, std::string(r->name));
        r->validate(s);
    }
    check_users(cfg);
    (void)outbound_proxy(cfg);
}

void validate_names(const config::Config& cfg) {
    check_section_names(cfg);
    check_env_names(cfg);
    check_users(cfg);
}

Lang default_lang(std::string_view platform, Lang configured) {
    const Registration* r = find(platform);
    return r && r->lang ? *r->lang : configured;
}

std::vector<std::unique_ptr<Adapter>> make_enabled(const config::Config& cfg, Deps deps) {
    std::vector<std::unique_ptr<Adapter>> out;
    for (const Registration* r : kPlatforms) {
        Section s(cfg, std::string(r->name));
        if (auto a = r->make(s, deps)) out.push_back(std::move(a));
    }
    return out;
}

}  // namespace fu::adapters
