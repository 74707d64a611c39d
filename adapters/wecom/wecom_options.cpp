#include "adapters/wecom/wecom_options.hpp"

namespace fu::adapters::wecom {
namespace {

constexpr std::string_view kExpAgentId = "the application's AgentId, an integer such as 1000002";
constexpr std::string_view kExpAesKey = "the 43-character EncodingAESKey (A-Z a-z 0-9)";

constexpr bool alnum_char(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

void validate(Section& s) { (void)read_settings(s); }

std::unique_ptr<Adapter> make(Section& s, Deps& deps) {
    Settings settings = read_settings(s);
    if (!settings.enabled) return nullptr;
    static const SystemClock clock;  // for the timestamp window and tokens; lives as long as the process
    return std::make_unique<WeComAdapter>(deps.http, std::move(settings.options), clock);
}

}  // namespace

Settings read_settings(Section& s) {
    Settings out;
    Options& o = out.options;
    out.enabled = s.boolean("enabled", false);
    o.corp_id = s.string("corp_id", "", kExpId, kIdRule);
    o.corp_secret = s.secret("corp_secret", kExpSecret, kSecretRule);
    o.agent_id = s.integer("agent_id", 0, 1, 9999999999LL, kExpAgentId);  // 0: not given
    o.token = s.secret("token", kExpSecret, kSecretRule);
    o.encoding_aes_key = s.secret("encoding_aes_key", kExpAesKey, {43, 43, alnum_char});
    o.api_base = s.url("api_base", o.api_base);
    s.finish();
    if (out.enabled) {
        s.required_when_enabled("corp_id", o.corp_id.empty(), kExpId);
        s.required_when_enabled("corp_secret", o.corp_secret.empty(), kExpSecret);
        s.required_when_enabled("agent_id", o.agent_id == 0, kExpAgentId);
        s.required_when_enabled("token", o.token.empty(), kExpSecret);
        s.required_when_enabled("encoding_aes_key", o.encoding_aes_key.empty(), kExpAesKey);
    }
    return out;
}

// WeCom is used in Chinese.
constinit const Registration registration{"wecom", Lang::zh, validate, make};

}  // namespace fu::adapters::wecom
