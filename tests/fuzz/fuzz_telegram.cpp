// Telegram's webhook: the secret-token header, then the update (JSON), through
// the inbound pipeline; and the getUpdates answer that polling mode parses.
// Fuzz-Sign: the right secret token is sent (webhook_fuzz.hpp).
#include "adapters/telegram/telegram.hpp"

#include "webhook_fuzz.hpp"

namespace {
using namespace fu;
namespace tg = fu::adapters::telegram;

const std::string kSecret = "tg-secret-token";

struct World {
    fuzz::Loop loop;
    fuzz::NullInbox inbox{false};
    tg::TelegramAdapter adapter{loop.ioc.get_executor(), loop.http, inbox,
                                [] {
                                    tg::Options o;
                                    o.token = "123:TOKEN";
                                    o.api_base = fuzz::kClosedApi;
                                    o.secret_token = kSecret;
                                    return o;
                                }(),
                                loop.clock};
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World w;
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    fuzz::FuzzRequest r = fuzz::read_request(in, fuzz::http::verb::post, "/hooks/telegram");
    if (r.sign) r.req.set("X-Telegram-Bot-Api-Secret-Token", kSecret);
    w.loop.serve(w.adapter, w.inbox, r.req);
    // Polling reads a batch of the same updates.
    (void)tg::parse_updates(r.req.body());
    return 0;
}
