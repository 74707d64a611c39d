// The chat platforms' config sections as their adapters read them, and what
// the registry checks right after loading (adapters::validate_all): unknown
// sections, variables no key reads, the platforms users are linked on. A
// config is loaded here as followupd loads it: the file, then validate_all.
// Past 500 lines on purpose: each platform's section, key by key, through one loader.
#include "adapters/registry.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <map>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "adapter_fakes.hpp"
#include "adapters/dingtalk/dingtalk_options.hpp"
#include "adapters/email/email_options.hpp"
#include "adapters/feishu/feishu_options.hpp"
#include "adapters/slack/slack_options.hpp"
#include "adapters/telegram/telegram_options.hpp"
#include "adapters/wecom/wecom_options.hpp"
#include "config/config.hpp"
#include "config_errors.hpp"

using fu::config::Config;
using fu::config::ConfigError;
using ::testing::HasSubstr;

namespace {

using namespace std::chrono_literals;
using Env = std::map<std::string, std::string>;

Config load(const std::string& text, const Env& env = {}) {
    Config c = fu::config::load_text(text, env);
    fu::adapters::validate_all(c);
    return c;
}

ConfigError error_of(const std::string& text, const Env& env = {}) {
    return fu::test::config_error_of(load, text, env);
}

using fu::test::with_user;

// One platform's settings in a loaded config, as its adapter reads them.
template <class Settings>
Settings settings_of(const Config& c, const char* name, Settings (*read)(fu::adapters::Section&)) {
    fu::adapters::Section s(c, name);
    return read(s);
}
fu::adapters::telegram::Settings telegram_of(const Config& c) {
    return settings_of(c, "telegram", fu::adapters::telegram::read_settings);
}
fu::adapters::slack::Settings slack_of(const Config& c) {
    return settings_of(c, "slack", fu::adapters::slack::read_settings);
}
fu::adapters::feishu::Settings feishu_of(const Config& c) {
    return settings_of(c, "feishu", fu::adapters::feishu::read_settings);
}
fu::adapters::dingtalk::Settings dingtalk_of(const Config& c) {
    return settings_of(c, "dingtalk", fu::adapters::dingtalk::read_settings);
}
fu::adapters::wecom::Settings wecom_of(const Config& c) {
    return settings_of(c, "wecom", fu::adapters::wecom::read_settings);
}

const char* kAllEnabled = R"({
  "telegram": {"enabled": true, "token": "1:x", "secret_token": "s"},
  "slack": {"enabled": true, "bot_token": "xoxb-1", "signing_secret": "s"},
  "feishu": {"enabled": true, "app_id": "cli_1", "app_secret": "x", "encrypt_key": "k"},
  "dingtalk": {"enabled": true, "app_key": "k", "app_secret": "s"},
  "wecom": {"enabled": true, "corp_id": "ww1", "corp_secret": "s", "agent_id": 1000002, "token": "t",
            "encoding_aes_key": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"},
  "email": {"enabled": true, "host": "smtp.example.com", "from": "followupd@example.com"}})";

}  // namespace

// ---- the registry -------------------------------------------------------------------

TEST(Registry, NamesInTableOrder) {
    EXPECT_EQ(fu::adapters::names(),
              (std::vector<std::string_view>{"telegram", "slack", "feishu", "dingtalk", "wecom", "email"}));
}

TEST(Registry, EveryPlatformAcceptsAnEmptySection) {
    // validate_all learns a section's keys and variables by reading an empty one.
    namespace ad = fu::adapters;
    for (const ad::Registration* r : {&ad::telegram::registration, &ad::slack::registration, &ad::feishu::registration,
                                      &ad::dingtalk::registration, &ad::wecom::registration}) {
        ad::Section s(std::string(r->name), "", {});
        EXPECT_NO_THROW(r->validate(s)) << r->name;
        ASSERT_FALSE(s.keys().empty()) << r->name;
        EXPECT_EQ(s.keys().front(), "enabled") << r->name;
        EXPECT_NO_THROW(load("{\"" + std::string(r->name) + "\": {}}")) << r->name;
    }
}

TEST(Registry, DefaultLanguageOfANewUserFollowsThePlatform) {
    using fu::Lang;
    for (const char* zh : {"feishu", "dingtalk", "wecom"}) {
        EXPECT_EQ(fu::adapters::default_lang(zh, Lang::en), Lang::zh) << zh;
        EXPECT_EQ(fu::adapters::default_lang(zh, Lang::zh), Lang::zh) << zh;
    }
    for (const char* other : {"telegram", "slack", "web", "nowhere"}) {
        EXPECT_EQ(fu::adapters::default_lang(other, Lang::en), Lang::en) << other;
        EXPECT_EQ(fu::adapters::default_lang(other, Lang::zh), Lang::zh) << other;
    }
}

TEST(Registry, MakesTheEnabledAdaptersInTableOrder) {
    boost::asio::io_context ioc;
    fu::net::HttpClient http(ioc.get_executor());
    fu::test::FakeInbox inbox("stranger");
    EXPECT_TRUE(fu::adapters::make_enabled(load("{}"), {ioc.get_executor(), http, inbox}).empty());
    auto all = fu::adapters::make_enabled(load(kAllEnabled), {ioc.get_executor(), http, inbox});
    std::vector<std::string_view> made;
    for (const auto& a : all) made.push_back(a->name());
    EXPECT_EQ(made, fu::adapters::names());
    const Config slack_only = load(R"({"slack": {"enabled": true, "bot_token": "xoxb-1", "signing_secret": "s"},
                                       "telegram": {"enabled": false, "token": "1:x"}})");
    auto one = fu::adapters::make_enabled(slack_only, {ioc.get_executor(), http, inbox});
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0]->name(), "slack");
}

TEST(Registry, APlatformEnabledFromTheEnvironmentIsMade) {
    boost::asio::io_context ioc;
    fu::net::HttpClient http(ioc.get_executor());
    fu::test::FakeInbox inbox("stranger");
    const Config c = load("{}", {{"FOLLOWUPD_TELEGRAM_ENABLED", "1"},
                                 {"FOLLOWUPD_TELEGRAM_TOKEN", "1:x"},
                                 {"FOLLOWUPD_TELEGRAM_SECRET_TOKEN", "s"}});
    auto made = fu::adapters::make_enabled(c, {ioc.get_executor(), http, inbox});
    ASSERT_EQ(made.size(), 1u);
    EXPECT_EQ(made[0]->name(), "telegram");
}

TEST(ConfigErrors, UnknownTopLevelKey) {
    auto e = error_of(R"({"serve": {}})");
    EXPECT_EQ(e.key(), "serve");
    EXPECT_THAT(
        e.expected(),
        HasSubstr(
            "server, storage, retention, web_chat, defaults, log, reminders, demo, health, http, limits, telegram, "
            "slack, feishu, dingtalk, wecom, email, teams, users"));
    // The config itself keeps an unknown section for the platforms, without judging it.
    EXPECT_EQ(fu::config::load_text(R"({"serve": {"port": 1}})", {}).platforms.at("serve"), R"({"port":1})");
    auto v = error_of(R"({"whatsapp": 7})");
    EXPECT_EQ(v.key(), "whatsapp");
    EXPECT_EQ(v.value(), "7");
}

// ---- environment ----------------------------------------------------------------

TEST(ConfigEnv, UnknownVariableIsAnError) {
    auto e = error_of("{}", {{"FOLLOWUPD_SERVER_PROT", "80"}});
    EXPECT_EQ(e.key(), "FOLLOWUPD_SERVER_PROT");
    EXPECT_THAT(e.expected(), HasSubstr("FOLLOWUPD_SERVER_PORT"));
    EXPECT_THAT(e.expected(), HasSubstr("FOLLOWUPD_WEB_CHAT_TOKEN"));
    // A misspelt secret is not echoed.
    auto s = error_of("{}", {{"FOLLOWUPD_WEBCHAT_TOKEN", "hunter2"}});
    EXPECT_EQ(s.key(), "FOLLOWUPD_WEBCHAT_TOKEN");
    EXPECT_THAT(s.what(), ::testing::Not(HasSubstr("hunter2")));
    // Arrays are not overridable from the environment.
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_TEAMS", "A"}}), "FOLLOWUPD_TEAMS", "known variable");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_USERS", "a"}}), "FOLLOWUPD_USERS", "known variable");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_", "a"}}), "FOLLOWUPD_", "known variable");
}

TEST(ConfigEnv, KnownVariablesListTheConfigsThenThePlatforms) {
    auto e = error_of("{}", {{"FOLLOWUPD_TELEGRAM_TOKN", "1:x"}});
    EXPECT_EQ(e.key(), "FOLLOWUPD_TELEGRAM_TOKN");
    EXPECT_EQ(e.value(), "(not shown)");
    EXPECT_THAT(
        e.expected(),
        HasSubstr("FOLLOWUPD_HEALTH_PLATFORM_FAILING_S, FOLLOWUPD_HTTP_PROXY, FOLLOWUPD_HTTP_NO_PROXY, "
                  "FOLLOWUPD_LIMITS_COMMAND_CHARS, "
                  "FOLLOWUPD_LIMITS_NAME_CHARS, FOLLOWUPD_LIMITS_STREAMS_PER_USER, FOLLOWUPD_LIMITS_STREAMS_TOTAL, "
                  "FOLLOWUPD_LIMITS_CONNECTIONS, FOLLOWUPD_TELEGRAM_ENABLED, FOLLOWUPD_TELEGRAM_TOKEN, "));
    EXPECT_THAT(e.expected(), HasSubstr("FOLLOWUPD_WECOM_API_BASE, FOLLOWUPD_EMAIL_ENABLED, "));
    EXPECT_THAT(e.expected(),
                HasSubstr("FOLLOWUPD_EMAIL_FALLBACK_AFTER_S (or FOLLOWUPD_BIN, FOLLOWUPD_CONFIG for scripts)"));
    // A typo is reported before a platform's own problems, which it may well be the cause of.
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_TELEGRAM_ENABLED", "1"}, {"FOLLOWUPD_TELEGRAM_TOKN", "1:x"}}),
                     "FOLLOWUPD_TELEGRAM_TOKN", "known variable");
    EXPECT_NO_THROW(load("{}", {{"FOLLOWUPD_BIN", "/usr/bin/followupd"}, {"FOLLOWUPD_CONFIG", "x.json"}}));
}

TEST(ConfigSop, RevisitListIsNotFromTheEnvironment) {
    // The list is set in the file only.
    auto e = error_of("{}", {{"FOLLOWUPD_SOP_NEW_CUSTOMER_REVISIT_DAYS", "7,14"}});
    EXPECT_EQ(e.key(), "FOLLOWUPD_SOP_NEW_CUSTOMER_REVISIT_DAYS");
    EXPECT_THAT(e.expected(), HasSubstr("known variable"));
    EXPECT_THAT(e.expected(), HasSubstr("FOLLOWUPD_SOP_TIER_A_DAYS"));
    EXPECT_THAT(e.expected(), ::testing::Not(HasSubstr("FOLLOWUPD_SOP_NEW_CUSTOMER_REVISIT_DAYS")));
}

TEST(ConfigTeamSop, TeamKeysAreNotFromTheEnvironment) {
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_TEAMS_SOP_TIER_A_DAYS", "1"}}), "FOLLOWUPD_TEAMS_SOP_TIER_A_DAYS",
                     "known variable");
}

// ---- shipped example configs ---------------------------------------------------

#ifdef FU_SOURCE_DIR
TEST(ConfigFiles, ShippedConfigsPassThePlatformChecks) {
    for (const char* file : {"/config/demo.json", "/config/example.json"}) {
        const Config c = fu::config::load_file(std::string(FU_SOURCE_DIR) + file, {});
        EXPECT_NO_THROW(fu::adapters::validate_all(c)) << file;
    }
    const Config c = fu::config::load_file(std::string(FU_SOURCE_DIR) + "/config/example.json", {});
    EXPECT_FALSE(telegram_of(c).enabled);
}
#endif

// ---- telegram ------------------------------------------------------------------

TEST(ConfigTelegram, Defaults) {
    const Config c = load("{}");
    EXPECT_FALSE(telegram_of(c).enabled);
    EXPECT_EQ(telegram_of(c).options.token, "");
    EXPECT_EQ(telegram_of(c).options.api_base, "https://api.telegram.org");
    EXPECT_FALSE(telegram_of(c).options.polling);  // mode "webhook"
    EXPECT_EQ(telegram_of(c).options.secret_token, "");
    EXPECT_EQ(telegram_of(c).options.poll_timeout, 25s);
}

TEST(ConfigTelegram, AllKeys) {
    Config c = load(R"({"telegram": {"enabled": true, "token": "123456:ABC-def_9", "api_base": "http://127.0.0.1:9001/",
                                     "mode": "polling", "secret_token": "s3cr-et_X", "poll_timeout_s": 50}})");
    EXPECT_TRUE(telegram_of(c).enabled);
    EXPECT_EQ(telegram_of(c).options.token, "123456:ABC-def_9");
    EXPECT_EQ(telegram_of(c).options.api_base, "http://127.0.0.1:9001");  // trailing slash dropped
    EXPECT_TRUE(telegram_of(c).options.polling);                          // mode "polling"
    EXPECT_EQ(telegram_of(c).options.secret_token, "s3cr-et_X");
    EXPECT_EQ(telegram_of(c).options.poll_timeout, 50s);
    EXPECT_EQ(telegram_of(load(R"({"telegram": {"poll_timeout_s": 1}})")).options.poll_timeout, 1s);
    EXPECT_FALSE(telegram_of(load(R"({"telegram": {"mode": "webhook"}})")).options.polling);
    EXPECT_EQ(telegram_of(load(R"({"telegram": {"api_base": "https://tg.example.com/proxy"}})")).options.api_base,
              "https://tg.example.com/proxy");
    EXPECT_EQ(telegram_of(load(R"({"telegram": {"secret_token": ")" + std::string(256, 'a') + "\"}}"))
                  .options.secret_token.size(),
              256u);
}

TEST(ConfigTelegram, DisabledNeedsNoToken) {
    EXPECT_FALSE(telegram_of(load(R"({"telegram": {"enabled": false}})")).enabled);
}

TEST(ConfigTelegram, EnabledNeedsToken) {
    auto e = error_of(R"({"telegram": {"enabled": true}})");
    EXPECT_EQ(e.key(), "telegram.token");
    EXPECT_EQ(e.value(), "(missing)");
    EXPECT_THAT(e.expected(), HasSubstr("required when telegram.enabled is true"));
    EXPECT_CONFIG_ERROR(R"({"telegram": {"enabled": true, "token": ""}})", "telegram.token", "required");
    EXPECT_ENV_ERROR(R"({"telegram": {"enabled": true, "token": "1:x"}})", (Env{{"FOLLOWUPD_TELEGRAM_TOKEN", ""}}),
                     "FOLLOWUPD_TELEGRAM_TOKEN", "required");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_TELEGRAM_ENABLED", "yes"}}), "telegram.token", "required");
}

TEST(ConfigTelegram, WebhookModeNeedsASecretToken) {
    auto e = error_of(R"({"telegram": {"enabled": true, "token": "1:x"}})");
    EXPECT_EQ(e.key(), "telegram.secret_token");
    EXPECT_EQ(e.value(), "(missing)");
    EXPECT_THAT(e.expected(), HasSubstr("in webhook mode"));
    EXPECT_CONFIG_ERROR(R"({"telegram": {"enabled": true, "token": "1:x", "mode": "webhook", "secret_token": ""}})",
                        "telegram.secret_token", "setWebhook");
    EXPECT_ENV_ERROR(R"({"telegram": {"enabled": true, "token": "1:x", "secret_token": "s"}})",
                     (Env{{"FOLLOWUPD_TELEGRAM_SECRET_TOKEN", ""}}), "FOLLOWUPD_TELEGRAM_SECRET_TOKEN", "webhook mode");
    // Polling needs none (updates are fetched, not received), nor does a platform that is off.
    EXPECT_TRUE(telegram_of(load(R"({"telegram": {"enabled": true, "token": "1:x", "mode": "polling"}})")).enabled);
    EXPECT_FALSE(telegram_of(load(R"({"telegram": {"enabled": false, "token": "1:x"}})")).enabled);
}

TEST(ConfigTelegram, BadValues) {
    EXPECT_CONFIG_ERROR(R"({"telegram": 1})", "telegram",
                        "an object with the keys enabled, token, token_file, api_base");
    EXPECT_CONFIG_ERROR(R"({"telegram": {"enabld": true}})", "telegram.enabld",
                        "enabled, token, token_file, api_base, mode, secret_token, secret_token_file, poll_timeout_s");
    EXPECT_CONFIG_ERROR(R"({"telegram": {"enabled": "true"}})", "telegram.enabled", "true or false");
    EXPECT_CONFIG_ERROR(R"({"telegram": {"mode": "push"}})", "telegram.mode", "\"webhook\" or \"polling\"");
    EXPECT_CONFIG_ERROR(R"({"telegram": {"mode": ""}})", "telegram.mode", "\"webhook\" or \"polling\"");
    EXPECT_CONFIG_ERROR(R"({"telegram": {"poll_timeout_s": 0}})", "telegram.poll_timeout_s", "1..50");
    EXPECT_CONFIG_ERROR(R"({"telegram": {"poll_timeout_s": 51}})", "telegram.poll_timeout_s", "1..50");
    for (const char* bad : {"", "api.telegram.org", "ftp://x", "http://", "https:///x", "http://a b", "http://x?y=1"}) {
        auto e = error_of(std::string(R"({"telegram": {"api_base": ")") + bad + "\"}}");
        EXPECT_EQ(e.key(), "telegram.api_base") << bad;
        EXPECT_THAT(e.expected(), HasSubstr("http:// or https:// URL")) << bad;
    }
    EXPECT_CONFIG_ERROR(R"({"telegram": {"api_base": 5}})", "telegram.api_base", "URL");
}

TEST(ConfigTelegram, SecretsAreNeverShown) {
    for (const char* bad : {"has space", "semi;colon", "ü"}) {
        auto e = error_of(std::string(R"({"telegram": {"secret_token": ")") + bad + "\"}}");
        EXPECT_EQ(e.key(), "telegram.secret_token") << bad;
        EXPECT_EQ(e.value(), "(not shown)") << bad;
        EXPECT_THAT(e.expected(), HasSubstr("1 to 256 characters")) << bad;
    }
    EXPECT_CONFIG_ERROR(R"({"telegram": {"secret_token": ")" + std::string(257, 'a') + "\"}}", "telegram.secret_token",
                        "1 to 256");
    EXPECT_CONFIG_ERROR(R"({"telegram": {"secret_token": 12}})", "telegram.secret_token", "1 to 256");
    auto t = error_of(R"({"telegram": {"token": "123:abc/../x"}})");
    EXPECT_EQ(t.key(), "telegram.token");
    EXPECT_EQ(t.value(), "(not shown)");
    EXPECT_THAT(t.what(), ::testing::Not(HasSubstr("abc")));
    auto v = error_of("{}", {{"FOLLOWUPD_TELEGRAM_SECRET_TOKEN", "hunter 2"}});
    EXPECT_EQ(v.key(), "FOLLOWUPD_TELEGRAM_SECRET_TOKEN");
    EXPECT_THAT(v.what(), ::testing::Not(HasSubstr("hunter")));
}

TEST(ConfigTelegram, EnvOverrides) {
    Env env = {{"FOLLOWUPD_TELEGRAM_ENABLED", "on"},          {"FOLLOWUPD_TELEGRAM_TOKEN", "42:tok"},
               {"FOLLOWUPD_TELEGRAM_API_BASE", "http://h:1"}, {"FOLLOWUPD_TELEGRAM_MODE", "polling"},
               {"FOLLOWUPD_TELEGRAM_SECRET_TOKEN", "abc"},    {"FOLLOWUPD_TELEGRAM_POLL_TIMEOUT_S", "5"}};
    Config c = load(R"({"telegram": {"token": "from-file"}})", env);
    EXPECT_TRUE(telegram_of(c).enabled);
    EXPECT_EQ(telegram_of(c).options.token, "42:tok");
    EXPECT_EQ(telegram_of(c).options.api_base, "http://h:1");
    EXPECT_TRUE(telegram_of(c).options.polling);  // mode "polling"
    EXPECT_EQ(telegram_of(c).options.secret_token, "abc");
    EXPECT_EQ(telegram_of(c).options.poll_timeout, 5s);
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_TELEGRAM_MODE", "hook"}}), "FOLLOWUPD_TELEGRAM_MODE", "webhook");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_TELEGRAM_POLL_TIMEOUT_S", "60"}}), "FOLLOWUPD_TELEGRAM_POLL_TIMEOUT_S",
                     "1..50");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_TELEGRAM_API_BASE", "localhost"}}), "FOLLOWUPD_TELEGRAM_API_BASE", "URL");
    // An empty secret from the environment clears the file's.
    EXPECT_EQ(telegram_of(load(R"({"telegram": {"secret_token": "x"}})", {{"FOLLOWUPD_TELEGRAM_SECRET_TOKEN", ""}}))
                  .options.secret_token,
              "");
}

// ---- slack -------------------------------------------------------------------------

TEST(ConfigSlack, DefaultsAndAllKeys) {
    Config d = load("{}");
    EXPECT_FALSE(slack_of(d).enabled);
    EXPECT_EQ(slack_of(d).options.bot_token, "");
    EXPECT_EQ(slack_of(d).options.signing_secret, "");
    EXPECT_EQ(slack_of(d).options.api_base, "https://slack.com/api");
    EXPECT_EQ(slack_of(d).options.bot_user_id, "");
    Config c = load(
        R"({"slack": {"enabled": true, "bot_token": "xoxb-1234-5678-AbCd", "signing_secret": "8f742231b10e8888abcd99yyyzzz85a5",
                                  "api_base": "http://127.0.0.1:9002/api/", "bot_user_id": "U0BOT42"}})");
    EXPECT_TRUE(slack_of(c).enabled);
    EXPECT_EQ(slack_of(c).options.bot_token, "xoxb-1234-5678-AbCd");
    EXPECT_EQ(slack_of(c).options.signing_secret, "8f742231b10e8888abcd99yyyzzz85a5");
    EXPECT_EQ(slack_of(c).options.api_base, "http://127.0.0.1:9002/api");  // trailing slash dropped
    EXPECT_EQ(slack_of(c).options.bot_user_id, "U0BOT42");
}

TEST(ConfigSlack, EnabledNeedsTokenAndSecret) {
    EXPECT_FALSE(slack_of(load(R"({"slack": {"enabled": false}})")).enabled);
    auto e = error_of(R"({"slack": {"enabled": true, "signing_secret": "abc"}})");
    EXPECT_EQ(e.key(), "slack.bot_token");
    EXPECT_EQ(e.value(), "(missing)");
    EXPECT_THAT(e.expected(), HasSubstr("required when slack.enabled is true"));
    EXPECT_CONFIG_ERROR(R"({"slack": {"enabled": true, "bot_token": "xoxb-1"}})", "slack.signing_secret", "required");
    EXPECT_CONFIG_ERROR(R"({"slack": {"enabled": true, "bot_token": "", "signing_secret": "abc"}})", "slack.bot_token",
                        "required");
    EXPECT_ENV_ERROR(R"({"slack": {"enabled": true, "bot_token": "xoxb-1", "signing_secret": "abc"}})",
                     (Env{{"FOLLOWUPD_SLACK_SIGNING_SECRET", ""}}), "FOLLOWUPD_SLACK_SIGNING_SECRET", "required");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_SLACK_ENABLED", "1"}}), "slack.bot_token", "required");
}

TEST(ConfigSlack, BadValuesAndHiddenSecrets) {
    EXPECT_CONFIG_ERROR(
        R"({"slack": {"token": "x"}})", "slack.token",
        "enabled, bot_token, bot_token_file, signing_secret, signing_secret_file, api_base, bot_user_id");
    EXPECT_CONFIG_ERROR(R"({"slack": {"api_base": "slack.com/api"}})", "slack.api_base", "http:// or https:// URL");
    EXPECT_CONFIG_ERROR(R"({"slack": {"bot_user_id": "u-bot"}})", "slack.bot_user_id", "U0123ABCD");
    for (const char* json : {R"({"slack": {"bot_token": "xoxb 1 hunter2"}})",
                             R"({"slack": {"signing_secret": "hunter2;"}})", R"({"slack": {"bot_token": 7}})"}) {
        auto e = error_of(json);
        EXPECT_EQ(e.value(), "(not shown)") << json;
        EXPECT_THAT(e.what(), ::testing::Not(HasSubstr("hunter2"))) << json;
    }
}

TEST(ConfigSlack, EnvOverrides) {
    Env env = {{"FOLLOWUPD_SLACK_ENABLED", "true"},
               {"FOLLOWUPD_SLACK_BOT_TOKEN", "xoxb-env"},
               {"FOLLOWUPD_SLACK_SIGNING_SECRET", "s3cret"},
               {"FOLLOWUPD_SLACK_API_BASE", "http://h:2/api"},
               {"FOLLOWUPD_SLACK_BOT_USER_ID", "UBOT"}};
    Config c = load(R"({"slack": {"bot_token": "xoxb-file"}})", env);
    EXPECT_TRUE(slack_of(c).enabled);
    EXPECT_EQ(slack_of(c).options.bot_token, "xoxb-env");
    EXPECT_EQ(slack_of(c).options.signing_secret, "s3cret");
    EXPECT_EQ(slack_of(c).options.api_base, "http://h:2/api");
    EXPECT_EQ(slack_of(c).options.bot_user_id, "UBOT");
}

// ---- users: identities and notify ------------------------------------------------

TEST(ConfigUserPlatforms, IdentitiesAndNotify) {
    Config c = load(with_user(R"({"handle": "a", "team": "East Sales", "notify": "telegram",
        "identities": {"telegram": "123456789", "slack": "U024BE7LH", "feishu": "ou_1", "dingtalk": "d1", "wecom": "w1"}},
        {"handle": "b", "team": "East Sales", "identities": {"telegram": "987"}, "notify": "web"})"));
    ASSERT_EQ(c.users.size(), 2u);
    EXPECT_EQ(c.users[0].identities.size(), 5u);
    EXPECT_EQ(c.users[0].identities.at("telegram"), "123456789");
    EXPECT_EQ(c.users[0].identities.at("slack"), "U024BE7LH");
    EXPECT_EQ(c.users[0].notify, "telegram");
    EXPECT_EQ(c.users[1].notify, "web");
    // The same id on different platforms is two identities.
    EXPECT_NO_THROW(load(with_user(R"({"handle": "a", "team": "East Sales", "identities": {"slack": "X"}},
                                      {"handle": "b", "team": "East Sales", "identities": {"wecom": "X"}})")));
}

TEST(ConfigUserPlatforms, BadIdentities) {
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "identities": ["telegram"]})"),
                        "users[0].identities", "platform -> user id");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "identities": {"whatsapp": "1"}})"),
                        "users[0].identities.whatsapp", "\"telegram\", \"slack\", \"feishu\", \"dingtalk\", \"wecom\"");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "identities": {"Telegram": "1"}})"),
                        "users[0].identities.Telegram", "platform name");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "identities": {"telegram": ""}})"),
                        "users[0].identities.telegram", "non-empty string");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "identities": {"telegram": 123456789}})"),
                        "users[0].identities.telegram", "non-empty string");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "identities": {"telegram": "7"}},
                                     {"handle": "b", "team": "East Sales", "identities": {"telegram": "7"}})"),
                        "users[1].identities.telegram", "users[0] has it");
}

TEST(ConfigUserPlatforms, BadNotify) {
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "notify": "sms"})"), "users[0].notify",
                        "\"web\" or one of \"telegram\"");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "notify": ""})"), "users[0].notify",
                        "\"web\"");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "notify": 1})"), "users[0].notify",
                        "\"web\"");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "notify": "Web"})"), "users[0].notify",
                        "\"web\"");
    // A platform the user has no identity on.
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "notify": "telegram"})"), "users[0].notify",
                        "no telegram id is given");
    EXPECT_CONFIG_ERROR(with_user(R"({"handle": "a", "team": "East Sales", "notify": "slack",
                                     "identities": {"telegram": "1"}})"),
                        "users[0].notify", "no slack id is given");
    // Key order does not matter: notify may come before identities.
    EXPECT_EQ(
        load(with_user(
                 R"({"notify": "telegram", "identities": {"telegram": "1"}, "handle": "a", "team": "East Sales"})"))
            .users[0]
            .notify,
        "telegram");
}

// ---- feishu, dingtalk, wecom ---------------------------------------------------------

namespace {

TEST(ConfigChinesePlatforms, DefaultsAndValues) {
    const Config d = load("{}");
    EXPECT_FALSE(feishu_of(d).enabled);
    EXPECT_EQ(feishu_of(d).options.api_base, "https://open.feishu.cn");
    EXPECT_EQ(dingtalk_of(d).options.api_base, "https://api.dingtalk.com");
    EXPECT_EQ(wecom_of(d).options.api_base, "https://qyapi.weixin.qq.com");
    const Config c = load(R"({
      "feishu": {"enabled": true, "app_id": "cli_a1b2", "app_secret": "s3cr3t", "encrypt_key": "test key!",
                 "api_base": "https://open.larksuite.com/"},
      "dingtalk": {"enabled": true, "app_key": "dingabc", "app_secret": "SECtest0123456789abcdef"},
      "wecom": {"enabled": true, "corp_id": "wx5823bf96d3bd56c7", "corp_secret": "cs", "agent_id": 1000002,
                "token": "QDG6eK", "encoding_aes_key": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"}})");
    EXPECT_EQ(feishu_of(c).options.app_id, "cli_a1b2");
    EXPECT_EQ(feishu_of(c).options.encrypt_key, "test key!");
    EXPECT_EQ(feishu_of(c).options.api_base, "https://open.larksuite.com");
    EXPECT_EQ(dingtalk_of(c).options.robot_code, "dingabc");  // defaults to the app key
    EXPECT_EQ(wecom_of(c).options.agent_id, 1000002);
    EXPECT_EQ(wecom_of(c).options.encoding_aes_key.size(), 43u);
}

TEST(ConfigChinesePlatforms, RequiredWhenEnabled) {
    EXPECT_CONFIG_ERROR(R"({"feishu": {"enabled": true, "app_secret": "x", "encrypt_key": "k"}})", "feishu.app_id",
                        "required when feishu.enabled is true");
    EXPECT_CONFIG_ERROR(R"({"feishu": {"enabled": true, "app_id": "cli_1", "app_secret": "x"}})", "feishu.encrypt_key",
                        "verification_token");
    EXPECT_NO_THROW(
        load(R"({"feishu": {"enabled": true, "app_id": "cli_1", "app_secret": "x", "verification_token": "v"}})"));
    EXPECT_CONFIG_ERROR(R"({"dingtalk": {"enabled": true, "app_key": "k"}})", "dingtalk.app_secret", "required");
    EXPECT_CONFIG_ERROR(R"({"wecom": {"enabled": true, "corp_id": "ww1", "corp_secret": "s", "token": "t",
                          "encoding_aes_key": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"}})",
                        "wecom.agent_id", "required");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_WECOM_ENABLED", "true"}}), "wecom.corp_id", "required");
}

TEST(ConfigChinesePlatforms, BadValuesHideSecrets) {
    EXPECT_CONFIG_ERROR(R"({"feishu": {"app_id": "cli a1"}})", "feishu.app_id", "A-Z a-z 0-9");
    EXPECT_CONFIG_ERROR(R"({"wecom": {"agent_id": "1000002"}})", "wecom.agent_id", "AgentId");
    EXPECT_CONFIG_ERROR(R"({"dingtalk": {"api_base": "api.dingtalk.com"}})", "dingtalk.api_base", "URL");
    EXPECT_CONFIG_ERROR(R"({"wecom": {"secret": "x"}})", "wecom.secret",
                        "corp_id, corp_secret, corp_secret_file, agent_id");
    for (const char* json : {R"({"wecom": {"encoding_aes_key": "hunter2tooShort"}})",
                             R"({"feishu": {"app_secret": "hunter2 with blanks"}})",
                             R"({"dingtalk": {"app_secret": ""}})", R"({"wecom": {"token": 42}})"}) {
        auto e = error_of(json);
        EXPECT_EQ(e.value(), "(not shown)") << json;
        EXPECT_THAT(e.what(), ::testing::Not(HasSubstr("hunter2"))) << json;
    }
}

TEST(ConfigChinesePlatforms, EnvOverrides) {
    const Env env = {{"FOLLOWUPD_DINGTALK_ENABLED", "true"},
                     {"FOLLOWUPD_DINGTALK_APP_KEY", "dingenv"},
                     {"FOLLOWUPD_DINGTALK_APP_SECRET", "sec"},
                     {"FOLLOWUPD_DINGTALK_ROBOT_CODE", "robot1"},
                     {"FOLLOWUPD_WECOM_AGENT_ID", "42"}};
    const Config c = load("{}", env);
    EXPECT_TRUE(dingtalk_of(c).enabled);
    EXPECT_EQ(dingtalk_of(c).options.app_key, "dingenv");
    EXPECT_EQ(dingtalk_of(c).options.robot_code, "robot1");
    EXPECT_EQ(wecom_of(c).options.agent_id, 42);
}

}  // namespace

// ---- email -------------------------------------------------------------------------

namespace {
fu::adapters::email::Settings email_of(const Config& c) {
    return settings_of(c, "email", fu::adapters::email::read_settings);
}
}  // namespace

TEST(ConfigEmail, KeysAndAnEmailIdentity) {
    const Config c = load(R"({"email": {"enabled": true, "host": "smtp.example.com", "port": 465, "tls": "smtps",
        "username": "bot", "from": "followupd@example.com", "from_name": "跟进助手", "timeout_s": 20,
        "per_second": 2, "fallback_after_s": 600}, "teams": ["East Sales"], "users": [{"handle": "a", "team": "East Sales",
        "identities": {"email": "a@example.com"}, "notify": "email"}]})",
                          {{"FOLLOWUPD_EMAIL_PASSWORD", "s3cret"}});
    const auto e = email_of(c);
    EXPECT_TRUE(e.enabled);
    EXPECT_EQ(e.options.host, "smtp.example.com");
    EXPECT_EQ(e.options.port, 465);
    EXPECT_EQ(e.options.tls, fu::adapters::email::Tls::smtps);
    EXPECT_EQ(e.options.username, "bot");
    EXPECT_EQ(e.options.password, "s3cret");
    EXPECT_EQ(e.options.from, "followupd@example.com");
    EXPECT_EQ(e.options.from_name, "跟进助手");
    EXPECT_EQ(e.options.timeout, 20s);
    EXPECT_EQ(e.options.per_second, 2);
    EXPECT_EQ(e.fallback_after, 600s);
    ASSERT_EQ(c.users.size(), 1u);
    EXPECT_EQ(c.users[0].identities.at("email"), "a@example.com");
    EXPECT_EQ(c.users[0].notify, "email");
    EXPECT_FALSE(email_of(load("{}")).enabled);
    EXPECT_EQ(email_of(load("{}")).options.tls, fu::adapters::email::Tls::starttls);
}

TEST(ConfigEmail, BadValuesNameTheirKey) {
    EXPECT_CONFIG_ERROR(R"({"email": {"tls": "ssl"}})", "email.tls", "starttls");
    EXPECT_CONFIG_ERROR(R"({"email": {"port": 0}})", "email.port", "1..65535");
    EXPECT_CONFIG_ERROR(R"({"email": {"from_name": "a\r\nBcc: x@example.com"}})", "email.from_name", "display name");
    EXPECT_CONFIG_ERROR(R"({"email": {"enabled": true, "from": "followupd@example.com"}})", "email.host",
                        "required when email.enabled is true");
    EXPECT_CONFIG_ERROR(R"({"email": {"enabled": true, "host": "smtp.example.com"}})", "email.from",
                        "required when email.enabled is true");
    // Checked at start-up, and so by check-config: no plain text to a server elsewhere.
    EXPECT_CONFIG_ERROR(R"({"email": {"enabled": true, "host": "smtp.example.com", "tls": "none",
        "from": "followupd@example.com"}})",
                        "email.tls", "only for a server on this machine");
    auto e = error_of(R"({"email": {"password": 5}})");
    EXPECT_EQ(e.key(), "email.password");
    EXPECT_EQ(e.value(), "(not shown)");
}
