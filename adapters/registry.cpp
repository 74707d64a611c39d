#include "adapters/registry.hpp"

#include "adapters/dingtalk/dingtalk.hpp"
#include "adapters/email/email.hpp"
#include "adapters/feishu/feishu.hpp"
#include "adapters/slack/slack.hpp"
#include "adapters/telegram/telegram.hpp"
#include "adapters/wecom/wecom.hpp"
#include "core/clock.hpp"

namespace fu::adapters {
namespace {

using Factory = std::unique_ptr<Adapter> (*)(const config::Config&, Deps&);

std::unique_ptr<Adapter> make_telegram(const config::Config& cfg, Deps& deps) {
    if (!cfg.telegram.enabled) return nullptr;
    telegram::Options o;
    o.token = cfg.telegram.token;
    o.api_base = cfg.telegram.api_base;
    o.polling = cfg.telegram.mode == "polling";
    o.secret_token = cfg.telegram.secret_token;
    o.poll_timeout = std::chrono::seconds(cfg.telegram.poll_timeout_s);
    return std::make_unique<telegram::TelegramAdapter>(deps.executor, deps.http, deps.inbox, std::move(o));
}

std::unique_ptr<Adapter> make_slack(const config::Config& cfg, Deps& deps) {
    if (!cfg.slack.enabled) return nullptr;
    static const SystemClock clock;  // for the signature window; lives as long as the process
    slack::Options o;
    o.bot_token = cfg.slack.bot_token;
    o.signing_secret = cfg.slack.signing_secret;
    o.api_base = cfg.slack.api_base;
    o.bot_user_id = cfg.slack.bot_user_id;
    return std::make_unique<slack::SlackAdapter>(deps.executor, deps.http, deps.inbox, std::move(o), clock);
}

constexpr Factory kAdapters[] = {
    make_telegram,
    make_slack,
    feishu::make,
    dingtalk::make,
    wecom::make,
    email::make,
};

}  // namespace

std::vector<std::unique_ptr<Adapter>> make_enabled(const config::Config& cfg, Deps deps) {
    std::vector<std::unique_ptr<Adapter>> out;
    for (const Factory make : kAdapters)
        if (auto a = make(cfg, deps)) out.push_back(std::move(a));
    return out;
}

}  // namespace fu::adapters
