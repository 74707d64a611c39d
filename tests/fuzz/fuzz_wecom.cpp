// WeCom's callbacks, through the inbound pipeline: the URL check (GET with
// echostr) and messages (POST of <xml><Encrypt>), each checked with
// msg_signature, the timestamp and the receive id, then decrypted and parsed.
// Fuzz-Sign: the body is taken as the message's plaintext XML, sealed for the
// corp, wrapped in the envelope and signed now (the target's query is then
// replaced). A stranger is answered with an encrypted passive reply.
#include "adapters/wecom/wecom.hpp"

#include "webhook_fuzz.hpp"

namespace {
using namespace fu;
namespace wc = fu::adapters::wecom;

const std::string kCorp = "ww1";
const std::string kToken = "QDG6eK";
const std::string kAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

struct World {
    fuzz::Loop loop;
    fuzz::NullInbox inbox{true};
    wc::WeComAdapter adapter{loop.http,
                             [] {
                                 wc::Options o;
                                 o.corp_id = kCorp;
                                 o.corp_secret = "corp-SECRET";
                                 o.agent_id = 1000002;
                                 o.token = kToken;
                                 o.encoding_aes_key = kAesKey;
                                 o.api_base = fuzz::kClosedApi;
                                 return o;
                             }(),
                             loop.clock};
    std::string key = *wc::aes_key(kAesKey);
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World w;
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    fuzz::FuzzRequest r = fuzz::read_request(in, fuzz::http::verb::post, "/hooks/wecom");
    if (r.sign) {
        const std::string sealed = wc::encrypt(w.key, r.req.body(), kCorp, "0123456789abcdef");
        const std::string ts = std::to_string(to_unix(fuzz::kNow));
        const std::string sig = wc::sign(kToken, ts, "nonce1", sealed);
        if (r.req.method() == fuzz::http::verb::get) {
            // The URL check: the sealed text is echostr (in the query, %-encoded).
            std::string echostr;
            for (unsigned char c : sealed) {
                static const char* hex = "0123456789ABCDEF";
                if (std::isalnum(c))
                    echostr += static_cast<char>(c);
                else
                    echostr += {'%', hex[c >> 4], hex[c & 15]};
            }
            r.req.target("/hooks/wecom?msg_signature=" + sig + "&timestamp=" + ts + "&nonce=nonce1&echostr=" + echostr);
            r.req.body().clear();
        } else {
            r.req.target("/hooks/wecom?msg_signature=" + sig + "&timestamp=" + ts + "&nonce=nonce1");
            r.req.body() = "<xml><ToUserName><![CDATA[" + kCorp + "]]></ToUserName><Encrypt><![CDATA[" + sealed +
                           "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
        }
        r.req.prepare_payload();
    }
    w.loop.serve(w.adapter, w.inbox, r.req);
    return 0;
}
