// Feishu's event and card callbacks, through the inbound pipeline, twice: to
// an app with an Encrypt Key (X-Lark-Signature over the raw body, then the
// decrypted event) and to one without (the Verification Token "vt-1" in the
// plain event). Fuzz-Sign: for the first, the body is taken as the event's
// plaintext, sealed and signed as Feishu does.
#include "adapters/feishu/feishu.hpp"

#include <nlohmann/json.hpp>

#include "net/crypto.hpp"
#include "webhook_fuzz.hpp"

namespace {
using namespace fu;
namespace fs = fu::adapters::feishu;
namespace crypto = fu::net::crypto;

const std::string kKey = "enc-key with blanks";
const std::string kToken = "vt-1";

fs::Options options(bool encrypted) {
    fs::Options o;
    o.app_id = "cli_a1";
    o.app_secret = "app-SECRET-value";
    if (encrypted) o.encrypt_key = kKey;
    o.verification_token = kToken;
    o.api_base = fuzz::kClosedApi;
    return o;
}

struct World {
    fuzz::Loop loop;
    fuzz::NullInbox inbox{false};
    fs::FeishuAdapter encrypted{loop.ioc.get_executor(), loop.http, options(true), loop.clock};
    fs::FeishuAdapter plain{loop.ioc.get_executor(), loop.http, options(false), loop.clock};
};

// {"encrypt": base64(iv ‖ AES-256-CBC(SHA-256(key), iv, PKCS#7(plaintext)))}, a fixed iv.
std::string seal(std::string_view plaintext) {
    const std::string iv = "0123456789abcdef";
    auto sealed = crypto::aes256_cbc_encrypt(crypto::sha256(kKey), iv, crypto::pkcs7_pad(plaintext, 16));
    return nlohmann::json{{"encrypt", crypto::base64_encode(iv + sealed.value())}}.dump();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World w;
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    fuzz::FuzzRequest r = fuzz::read_request(in, fuzz::http::verb::post, "/hooks/feishu");
    w.loop.serve(w.plain, w.inbox, r.req);
    if (r.sign) {
        r.req.body() = seal(r.req.body());
        r.req.prepare_payload();
        const std::string ts = std::to_string(to_unix(fuzz::kNow));
        r.req.set("X-Lark-Request-Timestamp", ts);
        r.req.set("X-Lark-Request-Nonce", "n1");
        r.req.set("X-Lark-Signature", fs::sign(ts, "n1", kKey, r.req.body()));
    }
    w.loop.serve(w.encrypted, w.inbox, r.req);
    return 0;
}
