#include "adapters/slack/slack_options.hpp"

#include <cctype>

namespace fu::adapters::slack {
namespace {

constexpr std::string_view kExpToken = "a Slack bot token such as \"xoxb-1234-5678-AbCd\" (characters A-Z a-z 0-9 -)";
constexpr std::string_view kExpSigningSecret =
    "the app's signing secret: 1 to 256 characters from A-Z, a-z, 0-9, \"_\", \"-\"";

bool token_char(unsigned char c) { return std::isalnum(c) || c == '-'; }
bool secret_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; }
constexpr bool user_id_char(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

void validate(Section& s) { (void)read_settings(s); }

std::unique_ptr<Adapter> make(Section& s, Deps& deps) {
    Settings settings = read_settings(s);
    if (!settings.enabled) return nullptr;
    static const SystemClock clock;  // for the signature window; lives as long as the process
    return std::make_unique<SlackAdapter>(deps.executor, deps.http, std::move(settings.options), clock);
}

}  // namespace

Settings read_settings(Section& s) {
    Settings out;
    Options& o = out.options;
    out.enabled = s.boolean("enabled", false);
    o.bot_token = s.secret("bot_token", kExpToken, {0, 512, token_char});
    o.signing_secret = s.secret("signing_secret", kExpSigningSecret, {0, 256, secret_char});
    o.api_base = s.url("api_base", o.api_base);
    o.bot_user_id = s.string("bot_user_id", "", "empty, or the bot's Slack user id such as \"U0123ABCD\" (A-Z 0-9)",
                             {0, 32, user_id_char});
    s.finish();
    if (out.enabled) {
        s.required_when_enabled("bot_token", o.bot_token.empty(), kExpToken);
        s.required_when_enabled("signing_secret", o.signing_secret.empty(), kExpSigningSecret);
    }
    return out;
}

constinit const Registration registration{"slack", std::nullopt, validate, make};

}  // namespace fu::adapters::slack
