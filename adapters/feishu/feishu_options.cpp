#include "adapters/feishu/feishu_options.hpp"

namespace fu::adapters::feishu {
namespace {

constexpr std::string_view kExpOptSecret = "empty, or a secret of up to 256 printable ASCII characters";

void validate(Section& s) { (void)read_settings(s); }

std::unique_ptr<Adapter> make(Section& s, Deps& deps) {
    Settings settings = read_settings(s);
    if (!settings.enabled) return nullptr;
    static const SystemClock clock;  // for the request windows and tokens; lives as long as the process
    return std::make_unique<FeishuAdapter>(deps.executor, deps.http, std::move(settings.options), clock);
}

}  // namespace

Settings read_settings(Section& s) {
    Settings out;
    Options& o = out.options;
    out.enabled = s.boolean("enabled", false);
    o.app_id = s.string("app_id", "", kExpId, kIdRule);
    o.app_secret = s.secret("app_secret", kExpSecret, kSecretRule);
    o.encrypt_key = s.secret("encrypt_key", kExpOptSecret, {0, 256, printable_char});  // may contain blanks
    o.verification_token = s.secret("verification_token", kExpOptSecret, {0, 256, graphic_char});
    o.api_base = s.url("api_base", o.api_base);
    s.finish();
    if (out.enabled) {
        s.required_when_enabled("app_id", o.app_id.empty(), kExpId);
        s.required_when_enabled("app_secret", o.app_secret.empty(), kExpSecret);
        s.required_when_enabled("encrypt_key", o.encrypt_key.empty() && o.verification_token.empty(),
                                "an Encrypt Key, or else a verification_token");
    }
    return out;
}

// Feishu is used in Chinese.
constinit const Registration registration{"feishu", Lang::zh, validate, make};

}  // namespace fu::adapters::feishu
