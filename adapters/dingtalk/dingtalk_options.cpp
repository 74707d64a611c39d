#include "adapters/dingtalk/dingtalk_options.hpp"

namespace fu::adapters::dingtalk {
namespace {

void validate(Section& s) { (void)read_settings(s); }

std::unique_ptr<Adapter> make(Section& s, Deps& deps) {
    Settings settings = read_settings(s);
    if (!settings.enabled) return nullptr;
    static const SystemClock clock;  // lives as long as the process
    return std::make_unique<DingTalkAdapter>(deps.executor, deps.http, std::move(settings.options), clock);
}

}  // namespace

Settings read_settings(Section& s) {
    Settings out;
    Options& o = out.options;
    out.enabled = s.boolean("enabled", false);
    o.app_key = s.string("app_key", "", kExpId, kIdRule);
    o.app_secret = s.secret("app_secret", kExpSecret, kSecretRule);
    o.robot_code = s.string("robot_code", "",
                            "empty (then the app_key), or the robot's code: 1 to 128 characters from A-Z a-z 0-9 _ - .",
                            {0, 128, id_char});
    o.api_base = s.url("api_base", o.api_base);
    s.finish();
    if (out.enabled) {
        s.required_when_enabled("app_key", o.app_key.empty(), kExpId);
        s.required_when_enabled("app_secret", o.app_secret.empty(), kExpSecret);
    }
    if (o.robot_code.empty()) o.robot_code = o.app_key;
    return out;
}

// DingTalk is used in Chinese.
constinit const Registration registration{"dingtalk", Lang::zh, validate, make};

}  // namespace fu::adapters::dingtalk
