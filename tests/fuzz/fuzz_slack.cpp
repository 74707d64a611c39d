// Slack's three webhooks (events JSON, slash-command form, interactivity form
// with a JSON payload): the v0 signature and timestamp, then the body, through
// the inbound pipeline. Fuzz-Sign: a good signature for the body, now.
#include "adapters/slack/slack.hpp"

#include "webhook_fuzz.hpp"

namespace {
using namespace fu;
namespace sl = fu::adapters::slack;

const std::string kSecret = "hook-signing-secret";

struct World {
    fuzz::Loop loop;
    fuzz::NullInbox inbox{true};  // a stranger's slash command is answered in the response
    sl::SlackAdapter adapter{loop.ioc.get_executor(), loop.http,
                             [] {
                                 sl::Options o;
                                 o.bot_token = "xoxb-0000-SECRET-token";
                                 o.signing_secret = kSecret;
                                 o.api_base = fuzz::kClosedApi;
                                 o.bot_user_id = "UBOT";
                                 return o;
                             }(),
                             loop.clock};
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World w;
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    fuzz::FuzzRequest r = fuzz::read_request(in, fuzz::http::verb::post, "/hooks/slack/events");
    if (r.sign) {
        const std::string ts = std::to_string(to_unix(fuzz::kNow));
        r.req.set("X-Slack-Request-Timestamp", ts);
        r.req.set("X-Slack-Signature", sl::sign_v0(kSecret, ts, r.req.body()));
    }
    w.loop.serve(w.adapter, w.inbox, r.req);
    return 0;
}
