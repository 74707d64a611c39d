#pragma once
// Reads one chat platform's config section for its adapter: typed getters with
// the platform's defaults, FOLLOWUPD_<SECTION>_<KEY> overrides from the
// environment (they win over the file, as for every scalar key), and errors
// that name the full key (telegram.poll_timeout_s), the value and what was
// expected, or the variable when the value came from the environment.
//
// The protocol: read every key the section has, whether or not the platform is
// enabled, then finish() (which refuses keys nobody read, and a section that is
// not an object), then check rules between keys (required_when_enabled).
// Every key must have a valid default, so that an empty section always passes:
// the registry reads one to learn the section's keys and variables.
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fu::config {
struct Config;
}

namespace fu::adapters {

// What a text value may be: its length in bytes and its characters.
struct TextRule {
    std::size_t min_size = 0;  // 1: may not be empty
    std::size_t max_size = std::string::npos;
    bool (*allowed)(unsigned char) = nullptr;  // nullptr: any character
};

// Characters ids and secrets of several platforms are made of.
constexpr bool id_char(unsigned char c) {  // A-Z a-z 0-9 _ - .
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
}
constexpr bool graphic_char(unsigned char c) { return c > 0x20 && c < 0x7f; }     // printable ASCII, no blank
constexpr bool printable_char(unsigned char c) { return c >= 0x20 && c < 0x7f; }  // printable ASCII

inline constexpr TextRule kIdRule{1, 128, id_char};
inline constexpr std::string_view kExpId = "an id of 1 to 128 characters from A-Z a-z 0-9 _ - . such as \"cli_a1b2c3\"";
inline constexpr TextRule kSecretRule{1, 256, graphic_char};
inline constexpr std::string_view kExpSecret = "a secret of 1 to 256 printable ASCII characters without blanks";

class Section {
public:
    // `json_text`: the section's value as the file has it, "" when the file has none;
    // `env`: FOLLOWUPD_* variables (others are ignored).
    Section(std::string name, const std::string& json_text, const std::map<std::string, std::string>& env);
    // The section `name` of a loaded config, with its environment.
    Section(const config::Config& cfg, std::string name);
    Section(Section&&) noexcept;
    ~Section();

    const std::string& name() const { return name_; }

    bool boolean(std::string_view key, bool fallback);
    long long integer(std::string_view key, long long fallback, long long min, long long max,
                      std::string_view expected = {});  // empty: "an integer min..max"
    // Text shown in errors; `expected` says what the rule allows.
    std::string string(std::string_view key, std::string fallback, std::string_view expected, TextRule rule = {});
    // Text never shown in errors, wherever it came from; empty by default.
    std::string secret(std::string_view key, std::string_view expected, TextRule rule = {});
    // An http:// or https:// base URL, without a trailing "/".
    std::string url(std::string_view key, std::string fallback);
    std::string one_of(std::string_view key, std::string fallback, std::initializer_list<std::string_view> allowed);

    // After every key was read: the section must be an object of only those keys.
    void finish() const;
    // A key the platform needs when it is enabled: fails when `missing`, naming
    // the key ("(missing)" if neither the file nor the environment gives it).
    void required_when_enabled(std::string_view key, bool missing, std::string_view expected) const;

    // The keys read so far, in order, and the variables that override them.
    const std::vector<std::string>& keys() const { return keys_; }
    std::vector<std::string> env_names() const;

private:
    struct State;
    std::string name_;
    std::vector<std::string> keys_;
    std::unique_ptr<State> state_;
};

}  // namespace fu::adapters
