#pragma once
// What the WeCom tests share: wecom_test.cpp (the protocol: crypto, callbacks,
// rendering, answers) and wecom_adapter_test.cpp (the adapter against a fake
// WeCom API). The official vector, the vector shared with the peer test, and
// helpers that make and read envelopes.
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/wecom/wecom.hpp"
#include "net/crypto.hpp"

namespace fu::test::wecom {

using fu::Button;
namespace wc = fu::adapters::wecom;
namespace crypto = fu::net::crypto;

// ---- the official vector (PLATFORMS.md, WeCom's "加解密方案说明") ----------------------

inline const std::string kOfficialToken = "QDG6eK";
inline const std::string kOfficialAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
inline const std::string kOfficialCorp = "wx5823bf96d3bd56c7";
inline const std::string kOfficialSignature = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3";
inline const std::string kOfficialTs = "1409659589";
inline const std::string kOfficialNonce = "263014780";
inline const std::string kOfficialEchostr =
    "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";

// Shared with tests/peers/wecom.test.mjs, where @wecom/crypto makes and opens the same.
inline const std::string kSharedRandom = "0123456789abcdef";
inline const std::string kSharedMessage = "followupd 企业微信 shared vector";
inline const std::string kSharedEncrypt =
    "sKqRbbiSUnDhFHOvPjtUMRTc0Xj6ss0uqnZhRNvvZK+89MZUh6Ke0+TGRiXSXDkkPOi23yViBmgmh8vaIkpEy4OqlIbBW2ONjM1U5NMzP+"
    "2qx075yj82"
    "V+9OvF2ImXnC";
inline const std::string kSharedSignature =
    "e92223eee598c58802a1b7cd410878f4d5a34b49";  // token QDG6eK, 1700000000, nonce42

inline fu::TimePoint at(const std::string& ts) { return fu::from_unix(std::stoll(ts)); }

inline std::string official_key() { return *wc::aes_key(kOfficialAesKey); }

inline wc::CallbackQuery query(std::string sig, std::string ts, std::string nonce, std::string echostr = {}) {
    return wc::CallbackQuery{std::move(sig), std::move(ts), std::move(nonce), std::move(echostr)};
}

// Raw AES over a hand-made plaintext, to reach the checks behind the padding.
inline std::string seal_raw(const std::string& key, const std::string& plain) {
    return crypto::base64_encode(*crypto::aes256_cbc_encrypt(key, key.substr(0, 16), plain));
}

inline std::string be32(std::uint32_t n) {
    return {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8), static_cast<char>(n)};
}

inline std::vector<Button> reminder_buttons() {
    return {{"✅ 完成", "完成 17"}, {"⏰ 推迟1小时", "推迟 17 1小时后"}, {"📅 明天9点", "推迟 17 明天9点"}};
}

struct Envelope {
    std::string encrypt, signature, timestamp, nonce;
};

inline Envelope read_envelope(const std::string& xml) {
    pugi::xml_document doc;
    EXPECT_TRUE(doc.load_string(xml.c_str()));
    const auto root = doc.child("xml");
    return {root.child_value("Encrypt"), root.child_value("MsgSignature"), root.child_value("TimeStamp"),
            root.child_value("Nonce")};
}

// A text message and a card button press, as WeCom sends them (before sealing).
inline const char* const kTextMessage =
    R"(<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[wang]]></FromUserName>
<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ 跟进 Acme 明天上午10点 ]]></Content>
<MsgId>7300000000000000001</MsgId><AgentID>1000002</AgentID></xml>)";

inline std::string card_event(const std::string& key, const std::string& user = "wang",
                              const std::string& created = "1700000100", const std::string& task = "fu-1700000000-00aa",
                              const std::string& rc = "RC_abc-1") {
    return "<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[" + user +
           "]]></FromUserName><CreateTime>" + created +
           "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>"
           "<EventKey><![CDATA[" +
           key + "]]></EventKey><TaskId><![CDATA[" + task +
           "]]></TaskId><CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[" + rc +
           "]]></ResponseCode><AgentID>1000002</AgentID></xml>";
}

}  // namespace fu::test::wecom
