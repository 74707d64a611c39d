#pragma once
// followupd's configuration: a JSON file, secrets overridable from the
// environment, validated at start-up. Every key is documented in docs/CONFIG.md.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/sop.hpp"

namespace fu::config {

// Start-up stops with this: it names the key, the value and what was expected.
class ConfigError : public std::runtime_error {
public:
    ConfigError(std::string key, std::string value, std::string expected);
    const std::string& key() const { return key_; }
    const std::string& value() const { return value_; }
    const std::string& expected() const { return expected_; }

private:
    std::string key_, value_, expected_;
};

struct UserConfig {
    std::string handle;        // users[i].handle: [a-z0-9_.-]{1,32}, unique
    std::string name;          // users[i].name: display name (default: handle)
    Role role = Role::rep;     // users[i].role: rep | manager | admin
    std::string team;          // users[i].team: one of teams[] (required for rep/manager)
    std::string time_zone;     // users[i].time_zone: IANA zone (default: defaults.time_zone)
    std::optional<Lang> lang;  // users[i].lang: en | zh (default: defaults.lang)
    std::optional<int> work_start_minute, work_end_minute;  // users[i].work_hours "09:00-18:00"
    std::optional<std::uint8_t> work_days;                  // users[i].work_days ["mon",…] bit 0 = Monday
    // users[i].identities: platform -> the user's id there, e.g. {"telegram": "123456789"}.
    // Platforms: telegram, slack, feishu, dingtalk, wecom, email; ids non-empty, one user per id.
    std::map<std::string, std::string> identities;
    // users[i].notify: where reminders go: "web" or a platform listed in identities.
    std::string notify = "web";
};

// telegram: the Telegram Bot API adapter.
struct TelegramConfig {
    bool enabled = false;                             // telegram.enabled
    std::string token;                                // telegram.token (secret; required when enabled)
    std::string api_base = "https://api.telegram.org";  // telegram.api_base: http(s) URL, no trailing slash
    std::string mode = "webhook";                     // telegram.mode: webhook | polling
    std::string secret_token;                         // telegram.secret_token: 1-256 of A-Za-z0-9_- (webhook header)
    int poll_timeout_s = 25;                          // telegram.poll_timeout_s 1..50 (getUpdates long poll)
};

// slack: the Slack app adapter (Events API, slash command, buttons).
struct SlackConfig {
    bool enabled = false;                          // slack.enabled
    std::string bot_token;                         // slack.bot_token: xoxb-… (secret; required when enabled)
    std::string signing_secret;                    // slack.signing_secret (secret; required when enabled)
    std::string api_base = "https://slack.com/api";  // slack.api_base: http(s) URL, no trailing slash
    std::string bot_user_id;                       // slack.bot_user_id: U…/W… of the bot (optional)
};

// feishu: the Feishu / Lark app adapter (event subscription v2, interactive cards).
struct FeishuConfig {
    bool enabled = false;               // feishu.enabled
    std::string app_id;                 // feishu.app_id: cli_… (required when enabled)
    std::string app_secret;             // feishu.app_secret (secret; required when enabled)
    std::string encrypt_key;            // feishu.encrypt_key (secret): events are encrypted and signed
    std::string verification_token;     // feishu.verification_token (secret): checked when no encrypt_key
    std::string api_base = "https://open.feishu.cn";  // feishu.api_base: Lark is https://open.larksuite.com
};

// dingtalk: the DingTalk enterprise-internal robot adapter.
struct DingTalkConfig {
    bool enabled = false;               // dingtalk.enabled
    std::string app_key;                // dingtalk.app_key (required when enabled)
    std::string app_secret;             // dingtalk.app_secret (secret; required): signs callbacks, gets tokens
    std::string robot_code;             // dingtalk.robot_code (default: app_key)
    std::string api_base = "https://api.dingtalk.com";  // dingtalk.api_base
};

// wecom: the WeCom (企业微信) self-built application adapter.
struct WeComConfig {
    bool enabled = false;               // wecom.enabled
    std::string corp_id;                // wecom.corp_id: ww… / wx… (required; the receive id checked in callbacks)
    std::string corp_secret;            // wecom.corp_secret (secret; required): the application's Secret
    long long agent_id = 0;             // wecom.agent_id (required): the application's AgentId
    std::string token;                  // wecom.token (secret; required): the callback Token
    std::string encoding_aes_key;       // wecom.encoding_aes_key (secret; required): 43 characters
    std::string api_base = "https://qyapi.weixin.qq.com";  // wecom.api_base
};

// email: reminders by SMTP (adapters/email), for users with an "email" identity.
struct EmailConfig {
    bool enabled = false;          // email.enabled
    std::string host;              // email.host: the SMTP server (required when enabled)
    int port = 587;                // email.port 1..65535
    std::string tls = "starttls";  // email.tls: starttls | smtps | none (none: loopback host only)
    std::string username;          // email.username (empty: no AUTH)
    std::string password;          // email.password (secret)
    std::string from;              // email.from: the sender's address (required when enabled)
    std::string from_name;         // email.from_name: the sender's display name
    std::string ca_file;           // email.ca_file: PEM of trusted CAs (empty: the system's)
    int timeout_s = 30;            // email.timeout_s 1..600
    int per_second = 5;            // email.per_second 1..100
    int fallback_after_s = 0;      // email.fallback_after_s 0..86400: a reminder undelivered on a chat platform
                                   // this long also goes by e-mail (0: never); also the "late" threshold then
};

struct Config {
    // server
    std::string address = "127.0.0.1";   // server.address
    std::uint16_t port = 8080;           // server.port (0: any free port)
    int io_threads = 2;                  // server.io_threads 1..64
    std::size_t body_limit = 1 << 20;    // server.body_limit_bytes 1024..67108864
    // storage
    std::string database = "var/followupd.db";  // storage.path
    std::string contacts_key;       // storage.contacts_key: 64 hex digits; secret
    std::string contacts_key_file;  // storage.contacts_key_file; both empty: "<storage.path>.key"
    // web chat
    bool web_chat = true;                // web_chat.enabled
    std::string web_chat_token;          // web_chat.token (secret; env FOLLOWUPD_WEB_CHAT_TOKEN)
    // defaults for users
    std::string time_zone = "Asia/Shanghai";  // defaults.time_zone
    Lang lang = Lang::zh;                     // defaults.lang
    int work_start_minute = 9 * 60;           // defaults.work_hours
    int work_end_minute = 18 * 60;
    std::uint8_t work_days = 0b0011111;       // defaults.work_days
    // log
    std::string log_level = "info";      // log.level: trace|debug|info|warn|error
    // reminders
    int catch_up_min = 2;                // reminders.catch_up_min: a rep with this many or more due at once gets one list
    // demo
    bool demo = false;                   // demo.seed: on first start, a demo team, customers and follow-ups
    // chat platforms
    TelegramConfig telegram;             // telegram: {enabled, token, api_base, mode, secret_token, poll_timeout_s}
    SlackConfig slack;                   // slack: {enabled, bot_token, signing_secret, api_base, bot_user_id}
    FeishuConfig feishu;                 // feishu: {enabled, app_id, app_secret, encrypt_key, verification_token, api_base}
    DingTalkConfig dingtalk;             // dingtalk: {enabled, app_key, app_secret, robot_code, api_base}
    WeComConfig wecom;                   // wecom: {enabled, corp_id, corp_secret, agent_id, token, encoding_aes_key, api_base}
    EmailConfig email;                   // email: {enabled, host, port, tls, username, password, from, …}
    // follow-up rules
    SopRules sop;                        // sop: {tier_a_days, …} every team's rules (see core/sop.hpp)
    // working calendar
    std::string holidays = "cn";         // calendar.holidays: "cn" (built in) | "none" | path of a holiday file
    // people
    std::vector<std::string> teams;      // teams: ["East Sales", {"name": "West Sales", "sop": {…}}, …]: the names
    // The effective rules of every team in `teams` (same names): `sop` with the
    // team's teams[i].sop keys applied on top (just `sop` for a team without any).
    std::map<std::string, SopRules> team_sop;
    std::vector<UserConfig> users;       // users: [{handle, name, role, team, …}]
};

// Reads and validates a config. `env` supplies overrides (normally the process
// environment): FOLLOWUPD_<KEY PATH IN UPPER CASE, dots as underscores>, for
// scalar keys, e.g. FOLLOWUPD_WEB_CHAT_TOKEN, FOLLOWUPD_SERVER_PORT.
// Throws ConfigError on any problem: unknown key, wrong type, bad value, bad JSON.
Config load_file(const std::string& path, const std::map<std::string, std::string>& env);
Config load_text(const std::string& json_text, const std::map<std::string, std::string>& env);

// The process environment as a map (only FOLLOWUPD_* entries).
std::map<std::string, std::string> process_env();

}  // namespace fu::config
