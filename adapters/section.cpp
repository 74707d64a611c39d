#include "adapters/section.hpp"

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "config/checker.hpp"
#include "config/config.hpp"

namespace fu::adapters {

using nlohmann::json;

struct Section::State {
    bool present = false;  // the file has the section
    json root;
    std::map<std::string, std::string> env;  // only this section's variables
    config::Checker ck;

    // The key's value as JSON: from the environment (recorded, so that errors
    // name the variable), else from the file; nullopt when neither gives it.
    std::optional<json> value(const std::string& section, std::string_view key,
                              json (*from_text)(const std::string& var, const std::string& text,
                                                std::string_view expected),
                              std::string_view expected) {
        const std::string var = config::env_name(section, key);
        if (auto it = env.find(var); it != env.end()) {
            ck.from_env[section + "." + std::string(key)] = {var, it->second};
            return from_text(var, it->second, expected);
        }
        if (root.is_object()) {
            if (auto it = root.find(std::string(key)); it != root.end()) return *it;
        }
        return std::nullopt;
    }
};

namespace {

json as_text(const std::string&, const std::string& text, std::string_view) { return text; }
json as_integer(const std::string& var, const std::string& text, std::string_view expected) {
    return config::env_integer(var, text, expected);
}
json as_boolean(const std::string& var, const std::string& text, std::string_view expected) {
    return config::env_boolean(var, text, expected);
}

bool fits(const std::string& s, const TextRule& rule) {
    return s.size() >= rule.min_size && s.size() <= rule.max_size &&
           (!rule.allowed ||
            std::all_of(s.begin(), s.end(), [&](char c) { return rule.allowed(static_cast<unsigned char>(c)); }));
}

}  // namespace

Section::Section(std::string name, const std::string& json_text, const std::map<std::string, std::string>& env)
    : name_(std::move(name)), state_(std::make_unique<State>()) {
    state_->present = !json_text.empty();
    if (state_->present) {
        try {
            state_->root = json::parse(json_text);
        } catch (const json::parse_error&) {
            throw config::ConfigError(name_, json_text, "valid JSON");
        }
    }
    const std::string prefix = config::env_name(name_, "");
    for (const auto& [var, text] : env)
        if (var.compare(0, prefix.size(), prefix) == 0) state_->env.emplace(var, text);
}

Section::Section(const config::Config& cfg, std::string name)
    : Section(
          name,
          [&] {
              auto it = cfg.platforms.find(name);
              return it == cfg.platforms.end() ? std::string() : it->second;
          }(),
          cfg.env) {}

Section::Section(Section&&) noexcept = default;
Section::~Section() = default;

bool Section::boolean(std::string_view key, bool fallback) {
    keys_.emplace_back(key);
    auto v = state_->value(name_, key, as_boolean, config::kExpBool);
    return v ? state_->ck.boolean(*v, name_ + "." + std::string(key), config::kExpBool) : fallback;
}

long long Section::integer(std::string_view key, long long fallback, long long min, long long max,
                           std::string_view expected) {
    keys_.emplace_back(key);
    const std::string exp =
        expected.empty() ? "an integer " + std::to_string(min) + ".." + std::to_string(max) : std::string(expected);
    auto v = state_->value(name_, key, as_integer, exp);
    return v ? state_->ck.integer(*v, name_ + "." + std::string(key), min, max, exp) : fallback;
}

std::string Section::string(std::string_view key, std::string fallback, std::string_view expected, TextRule rule) {
    keys_.emplace_back(key);
    auto v = state_->value(name_, key, as_text, expected);
    if (!v) return fallback;
    const std::string path = name_ + "." + std::string(key);
    auto s = state_->ck.text(*v, path, expected, rule.min_size > 0);
    if (!fits(s, rule)) state_->ck.fail(path, *v, expected);
    return s;
}

std::string Section::secret(std::string_view key, std::string_view expected, TextRule rule) {
    keys_.emplace_back(key);
    const std::string file_key = std::string(key) + "_file";
    keys_.push_back(file_key);
    auto v = state_->value(name_, key, as_text, expected);
    const std::string path = name_ + "." + std::string(key);
    // <key>_file: the secret is the file's text (Docker secrets, systemd credentials).
    const std::string file_path = name_ + "." + file_key;
    constexpr std::string_view kExpFile = "a path to a file holding the secret";
    if (auto f = state_->value(name_, file_key, as_text, kExpFile)) {
        const std::string file = state_->ck.text(*f, file_path, kExpFile, false);
        if (!file.empty()) {
            if (v)
                state_->ck.fail_text(file_path, file,
                                     "only one of " + path + " and " + file_path + " (both are given)");
            auto s = config::read_secret_file(file_path, file);
            if (!fits(s, rule)) state_->ck.fail_text(file_path, file, std::string(expected) + ", in the file");
            return s;
        }
    }
    if (!v) return {};
    if (!v->is_string()) state_->ck.fail_hidden(path, expected);
    auto s = v->get<std::string>();
    if (!fits(s, rule)) state_->ck.fail_hidden(path, expected);
    return s;
}

std::string Section::url(std::string_view key, std::string fallback) {
    keys_.emplace_back(key);
    const std::string exp = "an http:// or https:// URL such as \"" + fallback + "\"";
    auto v = state_->value(name_, key, as_text, exp);
    return v ? state_->ck.http_url(*v, name_ + "." + std::string(key), exp) : fallback;
}

std::string Section::one_of(std::string_view key, std::string fallback,
                            std::initializer_list<std::string_view> allowed) {
    keys_.emplace_back(key);
    std::vector<std::string> quoted;
    for (auto a : allowed) quoted.push_back("\"" + std::string(a) + "\"");
    const std::string exp = quoted.size() == 2 ? quoted[0] + " or " + quoted[1] : "one of " + config::join(quoted);
    auto v = state_->value(name_, key, as_text, exp);
    if (!v) return fallback;
    const std::string path = name_ + "." + std::string(key);
    auto s = state_->ck.text(*v, path, exp, true);
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) state_->ck.fail(path, *v, exp);
    return s;
}

void Section::finish() const {
    if (!state_->present) return;
    if (!state_->root.is_object())
        state_->ck.fail(name_, state_->root, "an object with the keys " + config::join(keys_));
    state_->ck.no_unknown_keys(state_->root, name_, keys_);
}

void Section::required_when_enabled(std::string_view key, bool missing, std::string_view expected) const {
    if (!missing) return;
    const std::string k(key);
    const bool given =
        state_->env.contains(config::env_name(name_, key)) || (state_->root.is_object() && state_->root.contains(k));
    const bool has_file = std::find(keys_.begin(), keys_.end(), k + "_file") != keys_.end();
    state_->ck.fail_text(name_ + "." + k, given ? "" : std::string(config::kMissing),
                         std::string(expected) + " (required when " + name_ + ".enabled is true" +
                             (has_file ? "; or name a file holding it in " + name_ + "." + k + "_file" : "") + ")");
}

std::vector<std::string> Section::env_names() const {
    std::vector<std::string> names;
    for (const auto& k : keys_) names.push_back(config::env_name(name_, k));
    return names;
}

}  // namespace fu::adapters
