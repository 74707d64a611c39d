#pragma once
// What the Feishu tests share: feishu_test.cpp (the protocol: vectors,
// signatures, events, checks, rendering, answers) and feishu_adapter_test.cpp
// (the adapter against a fake Open API). Bodies sealed and signed as Feishu
// sends them, and the events it sends.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "adapters/feishu/feishu.hpp"
#include "core/clock.hpp"
#include "core/model.hpp"
#include "net/crypto.hpp"

namespace fu::test::feishu {

using nlohmann::json;
namespace fs = fu::adapters::feishu;
namespace crypto = fu::net::crypto;

// Encrypts as Feishu does: base64(iv ‖ AES-256-CBC(SHA-256(key), iv, PKCS#7(plaintext))).
inline std::string seal(const std::string& key, const std::string& plaintext, std::string iv = "") {
    if (iv.empty()) iv = crypto::random_bytes(16);
    auto sealed = crypto::aes256_cbc_encrypt(crypto::sha256(key), iv, crypto::pkcs7_pad(plaintext, 16));
    return crypto::base64_encode(iv + sealed.value());
}

inline json message_event(const std::string& text, const std::string& chat_type = "p2p", json mentions = json::array(),
                          const std::string& event_id = "ev-1", const std::string& create_time = "1700000000123") {
    json message = {{"message_id", "om_msg1"}, {"root_id", ""},
                    {"parent_id", ""},         {"create_time", create_time},
                    {"chat_id", "oc_chat1"},   {"chat_type", chat_type},
                    {"message_type", "text"},  {"content", json{{"text", text}}.dump()}};
    if (!mentions.empty()) message["mentions"] = mentions;
    return {{"schema", "2.0"},
            {"header",
             {{"event_id", event_id},
              {"event_type", "im.message.receive_v1"},
              {"create_time", create_time},
              {"token", "vt-1"},
              {"app_id", "cli_a1"},
              {"tenant_key", "tk"}}},
            {"event",
             {{"sender",
               {{"sender_id", {{"union_id", "on_1"}, {"user_id", "u1"}, {"open_id", "ou_wang"}}},
                {"sender_type", "user"},
                {"tenant_key", "tk"}}},
              {"message", message}}}};
}

inline json card_event(const json& value, const std::string& event_id = "ev-card-1",
                       const std::string& create_time = "1700000000123456") {
    return {{"schema", "2.0"},
            {"header",
             {{"event_id", event_id},
              {"event_type", "card.action.trigger"},
              {"create_time", create_time},
              {"token", "vt-1"},
              {"app_id", "cli_a1"},
              {"tenant_key", "tk"}}},
            {"event",
             {{"operator", {{"tenant_key", "tk"}, {"open_id", "ou_wang"}, {"union_id", "on_1"}}},
              {"token", "c-update-token"},
              {"action", {{"value", value}, {"tag", "button"}}},
              {"host", "im_message"},
              {"context", {{"open_message_id", "om_card1"}, {"open_chat_id", "oc_chat1"}}}}}};
}

inline const auto kNow = fu::from_unix(1700000000);
inline const std::string kKey = "enc-key with blanks";
inline const std::string kToken = "vt-1";

inline fs::Options encrypted_options(std::string verification_token = "") {
    fs::Options o;
    o.app_id = "cli_a1";
    o.app_secret = "app-SECRET-value";
    o.encrypt_key = kKey;
    o.verification_token = std::move(verification_token);
    return o;
}

inline fs::Options token_options() {
    fs::Options o = encrypted_options(kToken);
    o.encrypt_key.clear();
    return o;
}

struct Signed {
    std::string ts, nonce, signature, body;
};

inline Signed seal_and_sign(const std::string& plaintext, fu::TimePoint at = kNow, const std::string& key = kKey) {
    Signed s;
    s.body = json{{"encrypt", seal(key, plaintext)}}.dump();
    s.ts = std::to_string(fu::to_unix(at));
    s.nonce = "nonce-" + crypto::hex(crypto::random_bytes(4));
    s.signature = fs::sign(s.ts, s.nonce, key, s.body);
    return s;
}

// A body signed as it is (the signature over bytes that may not decrypt).
inline Signed sign_raw(const std::string& body, fu::TimePoint at = kNow) {
    Signed s{std::to_string(fu::to_unix(at)), "n1", "", body};
    s.signature = fs::sign(s.ts, s.nonce, kKey, s.body);
    return s;
}

inline std::string ms(fu::TimePoint t) { return std::to_string(fu::to_unix(t) * 1000); }

// A reminder's three buttons.
inline std::vector<fu::Button> reminder_buttons() {
    return {{"完成", "完成 17"}, {"推迟1小时", "推迟 17 1小时后"}, {"明天9点", "推迟 17 明天上午9点"}};
}

}  // namespace fu::test::feishu
