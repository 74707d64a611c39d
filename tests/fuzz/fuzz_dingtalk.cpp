// DingTalk's robot callback: the timestamp and sign headers, then the JSON
// body, through the inbound pipeline. Fuzz-Sign: a good sign, now. The
// adapter is made anew for each input: it remembers msgIds (its replay guard)
// and sessionWebhooks.
#include "adapters/dingtalk/dingtalk.hpp"

#include "webhook_fuzz.hpp"

namespace {
using namespace fu;
namespace dt = fu::adapters::dingtalk;

const std::string kSecret = "ding-app-SECRET";

dt::Options options() {
    dt::Options o;
    o.app_key = "dingappkey";
    o.app_secret = kSecret;
    o.robot_code = "dingrobot";
    o.api_base = fuzz::kClosedApi;
    return o;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static fuzz::Loop loop;
    static fuzz::NullInbox inbox{false};
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    fuzz::FuzzRequest r = fuzz::read_request(in, fuzz::http::verb::post, "/hooks/dingtalk");
    if (r.sign) {
        const std::string ts = std::to_string(to_unix(fuzz::kNow) * 1000);
        r.req.set("timestamp", ts);
        r.req.set("sign", dt::sign(kSecret, ts));
    }
    dt::DingTalkAdapter adapter(loop.ioc.get_executor(), loop.http, options(), loop.clock);
    const unsigned first = loop.serve(adapter, inbox, r.req).result_int();
    // The same callback again is a replay: refused, or ignored as the first one was.
    const unsigned again = loop.serve(adapter, inbox, r.req).result_int();
    if (first == 200 && again != 409) std::abort();
    return 0;
}
