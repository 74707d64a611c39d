#include "adapters/telegram/telegram_options.hpp"

#include <cctype>

namespace fu::adapters::telegram {
namespace {

constexpr std::string_view kExpToken =
    "a bot token from @BotFather such as \"123456:ABC-DEF1234ghIkl\" (characters A-Z a-z 0-9 : _ -)";

bool token_char(unsigned char c) { return std::isalnum(c) || c == ':' || c == '_' || c == '-'; }
bool secret_token_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; }

void validate(Section& s) { (void)read_settings(s); }

std::unique_ptr<Adapter> make(Section& s, Deps& deps) {
    Settings settings = read_settings(s);
    if (!settings.enabled) return nullptr;
    static const SystemClock clock;  // paces the polling loop; lives as long as the process
    return std::make_unique<TelegramAdapter>(deps.executor, deps.http, deps.inbox, std::move(settings.options), clock);
}

}  // namespace

Settings read_settings(Section& s) {
    Settings out;
    Options& o = out.options;
    out.enabled = s.boolean("enabled", false);
    o.token = s.secret("token", kExpToken, {0, std::string::npos, token_char});
    o.api_base = s.url("api_base", o.api_base);
    o.polling = s.one_of("mode", "webhook", {"webhook", "polling"}) == "polling";
    o.secret_token = s.secret("secret_token", "1 to 256 characters from A-Z, a-z, 0-9, \"_\", \"-\" (empty: none)",
                              {0, 256, secret_token_char});
    o.poll_timeout =
        std::chrono::seconds(s.integer("poll_timeout_s", o.poll_timeout.count(), 1, 50, "an integer 1..50 (seconds)"));
    s.finish();
    if (out.enabled) s.required_when_enabled("token", o.token.empty(), kExpToken);
    // Without it, anyone who can reach /hooks/telegram could post updates as
    // any linked user, the admin included.
    if (out.enabled && !o.polling)
        s.required_when_enabled("secret_token", o.secret_token.empty(),
                                "in webhook mode, 1 to 256 characters from A-Z, a-z, 0-9, \"_\", \"-\": the "
                                "secret_token given to setWebhook, checked on every update (or mode \"polling\")");
    return out;
}

constinit const Registration registration{"telegram", std::nullopt, validate, make};

}  // namespace fu::adapters::telegram
