// WeCom's protocol, pure: the crypto against the official vector and the one shared with
// the peer test, callbacks in, buttons, rendering, answers, passive replies. The adapter
// against a fake WeCom API is wecom_adapter_test.cpp. Just past 500 lines: every piece of
// the protocol beside the vectors it is checked against.
#include "adapters/wecom/wecom.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <atomic>
#include <chrono>
#include <set>

#include "adapter_fakes.hpp"
#include "net/crypto.hpp"
#include "wecom_kit.hpp"

namespace {
using namespace std::chrono_literals;
using fu::Button;
using fu::Inbound;
using fu::adapters::Outbound;
using fu::adapters::SendResult;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
namespace wc = fu::adapters::wecom;
namespace crypto = fu::net::crypto;
namespace http = boost::beast::http;
using Status = SendResult::Status;
using namespace fu::test::wecom;

// ---- the official vector (wecom_kit.hpp) ------------------------------------------------

TEST(WeComCrypto, OfficialVector) {
    EXPECT_EQ(wc::sign(kOfficialToken, kOfficialTs, kOfficialNonce, kOfficialEchostr), kOfficialSignature);
    const auto key = wc::aes_key(kOfficialAesKey);
    ASSERT_TRUE(key);
    EXPECT_EQ(key->size(), 32u);
    const wc::Decrypted d = wc::decrypt(*key, kOfficialEchostr);
    EXPECT_EQ(d.problem, "");
    EXPECT_EQ(d.message, "1616140317555161061");
    EXPECT_EQ(d.receive_id, kOfficialCorp);
    const wc::Secrets secrets{kOfficialToken, *key, kOfficialCorp};
    const wc::Opened opened = wc::open(secrets, query(kOfficialSignature, kOfficialTs, kOfficialNonce),
                                       kOfficialEchostr, at(kOfficialTs), 300s);
    EXPECT_EQ(opened.status, 200u);
    EXPECT_EQ(opened.problem, "");
    EXPECT_EQ(opened.message, "1616140317555161061");
}

TEST(WeComCrypto, SharedVectorWithThePeerTest) {
    const std::string key = official_key();
    EXPECT_EQ(wc::encrypt(key, kSharedMessage, kOfficialCorp, kSharedRandom), kSharedEncrypt);
    EXPECT_EQ(wc::sign(kOfficialToken, "1700000000", "nonce42", kSharedEncrypt), kSharedSignature);
    const wc::Decrypted d = wc::decrypt(key, kSharedEncrypt);
    EXPECT_EQ(d.message, kSharedMessage);
    EXPECT_EQ(d.receive_id, kOfficialCorp);
}

TEST(WeComCrypto, EncryptRoundTripsAndPadsTo32Bytes) {
    const std::string key = official_key();
    // 16 + 4 + 12 = 32 bytes of plaintext before the receive id: padding lengths across a whole block.
    for (std::size_t n : {0u, 1u, 12u, 31u, 32u, 33u, 500u}) {
        const std::string message(n, 'm');
        const std::string sealed = wc::encrypt(key, message, "ww1");
        const auto raw = crypto::base64_decode(sealed);
        ASSERT_TRUE(raw);
        EXPECT_EQ(raw->size() % 32, 0u) << n;
        const wc::Decrypted d = wc::decrypt(key, sealed);
        EXPECT_EQ(d.problem, "") << n;
        EXPECT_EQ(d.message, message);
        EXPECT_EQ(d.receive_id, "ww1");
    }
    // Fresh random bytes every time.
    EXPECT_NE(wc::encrypt(key, "x", "ww1"), wc::encrypt(key, "x", "ww1"));
    EXPECT_EQ(wc::encrypt(key, "x", "ww1", "short"), "");
    EXPECT_EQ(wc::encrypt("short key", "x", "ww1", kSharedRandom), "");
    // The unused bits of the 43rd character are ignored, as WeCom's SDKs do; a wrong length is not a key.
    std::string clean = kOfficialAesKey;
    clean.back() = 'A';  // 'C' and 'A' differ only in the unused bits
    EXPECT_EQ(wc::aes_key(clean), wc::aes_key(kOfficialAesKey));
    EXPECT_FALSE(wc::aes_key(kOfficialAesKey.substr(0, 42)));
    EXPECT_FALSE(wc::aes_key(kOfficialAesKey + "A"));
    EXPECT_FALSE(wc::aes_key(std::string(42, 'A') + "!"));
}

TEST(WeComCrypto, EveryBadInputNamesItsCheck) {
    const std::string key = official_key();
    const wc::Secrets secrets{kOfficialToken, key, kOfficialCorp};
    const auto now = at("1700000000");
    // Signed correctly, so only the check under test can fail.
    auto check = [&](const std::string& encrypted, fu::TimePoint when = fu::from_unix(1700000000)) {
        return wc::open(secrets, query(wc::sign(kOfficialToken, "1700000000", "n1", encrypted), "1700000000", "n1"),
                        encrypted, when, 300s);
    };
    EXPECT_EQ(check(kSharedEncrypt).status, 200u);
    EXPECT_EQ(check(kSharedEncrypt).message, kSharedMessage);

    // Authentication: 401.
    auto forged = wc::open(secrets, query(std::string(40, '0'), "1700000000", "n1"), kSharedEncrypt, now, 300s);
    EXPECT_EQ(forged.status, 401u);
    EXPECT_THAT(forged.problem, HasSubstr("msg_signature does not match"));
    std::string upper = kSharedSignature;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(wc::open(secrets, query(upper, "1700000000", "nonce42"), kSharedEncrypt, now, 300s).status, 401u);
    EXPECT_EQ(wc::open(secrets, query(kSharedSignature, "1700000000", "nonce42"), kSharedEncrypt, now, 300s).status,
              200u);
    const wc::Secrets other_token{"another", key, kOfficialCorp};
    EXPECT_EQ(wc::open(other_token, query(kSharedSignature, "1700000000", "nonce42"), kSharedEncrypt, now, 300s).status,
              401u);
    EXPECT_THAT(wc::open(secrets, query("", "1700000000", "n1"), kSharedEncrypt, now, 300s).problem,
                HasSubstr("missing msg_signature"));
    EXPECT_THAT(wc::open(secrets, query("x", "", "n1"), kSharedEncrypt, now, 300s).problem,
                HasSubstr("missing timestamp"));
    EXPECT_THAT(wc::open(secrets, query("x", "1700000000", ""), kSharedEncrypt, now, 300s).problem,
                HasSubstr("missing nonce"));
    EXPECT_THAT(wc::open(secrets, query("x", "17e8", "n1"), kSharedEncrypt, now, 300s).problem, HasSubstr("Unix time"));
    EXPECT_THAT(wc::open(secrets, query("x", "-5", "n1"), kSharedEncrypt, now, 300s).problem, HasSubstr("Unix time"));
    // The window holds both ways: 300 s is fine, 301 s is not.
    EXPECT_EQ(check(kSharedEncrypt, now + 300s).status, 200u);
    EXPECT_EQ(check(kSharedEncrypt, now - 300s).status, 200u);
    EXPECT_EQ(check(kSharedEncrypt, now + 301s).status, 401u);
    EXPECT_THAT(check(kSharedEncrypt, now - 301s).problem, HasSubstr("more than 300 s"));
    // Sealed for another corp: decrypts, but is not ours.
    const auto elsewhere = check(wc::encrypt(key, "<xml/>", "wwOTHERCORP"));
    EXPECT_EQ(elsewhere.status, 401u);
    EXPECT_THAT(elsewhere.problem, HasSubstr("receive id"));
    EXPECT_EQ(check(wc::encrypt(key, "<xml/>", kOfficialCorp + "x")).status, 401u);

    // Cannot be decrypted: 400.
    EXPECT_THAT(check("not base64!").problem, HasSubstr("not base64"));
    EXPECT_EQ(check("not base64!").status, 400u);
    EXPECT_THAT(check(kSharedEncrypt.substr(0, kSharedEncrypt.size() - 1)).problem, HasSubstr("not base64"));
    const std::string truncated = crypto::base64_encode(crypto::base64_decode(kSharedEncrypt)->substr(0, 50));
    EXPECT_THAT(check(truncated).problem, HasSubstr("truncated"));
    EXPECT_EQ(check(truncated).status, 400u);
    const std::string sixteen = crypto::base64_encode(crypto::base64_decode(kSharedEncrypt)->substr(0, 16 * 5));
    EXPECT_THAT(check(sixteen).problem, HasSubstr("truncated"));  // whole AES blocks, but not whole 32-byte blocks
    EXPECT_THAT(check("").problem, HasSubstr("truncated"));
    std::string bad_padding(32, 'p');
    bad_padding.back() = '\0';
    EXPECT_THAT(check(seal_raw(key, bad_padding)).problem, HasSubstr("padding"));
    bad_padding.back() = '\x21';  // 33 > 32
    EXPECT_THAT(check(seal_raw(key, bad_padding)).problem, HasSubstr("padding"));
    EXPECT_THAT(check(wc::encrypt(*wc::aes_key(std::string(43, 'B')), "<xml/>", kOfficialCorp, kSharedRandom)).status,
                400u);  // another EncodingAESKey
    std::string lying = kSharedRandom + be32(1000) + "short" + kOfficialCorp;
    EXPECT_THAT(check(seal_raw(key, crypto::pkcs7_pad(lying, 32))).problem, HasSubstr("length field"));
    std::string headless(12, 'h');
    EXPECT_THAT(check(seal_raw(key, crypto::pkcs7_pad(headless, 32))).problem, HasSubstr("shorter than its header"));
}

// ---- callbacks in -------------------------------------------------------------------------

TEST(WeComParse, Query) {
    auto q =
        wc::parse_query("/hooks/wecom?msg_signature=abc&timestamp=1409659589&nonce=263014780&echostr=a%2Bb%2F%3D%3D");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->msg_signature, "abc");
    EXPECT_EQ(q->timestamp, "1409659589");
    EXPECT_EQ(q->nonce, "263014780");
    EXPECT_EQ(q->echostr, "a+b/==");
    EXPECT_EQ(wc::parse_query("/hooks/wecom?echostr=a+b")->echostr, "a+b");  // not a space: base64
    EXPECT_EQ(wc::parse_query("/hooks/wecom?nonce=1&nonce=2")->nonce, "1");
    auto none = wc::parse_query("/hooks/wecom");
    ASSERT_TRUE(none);
    EXPECT_EQ(none->msg_signature, "");
    EXPECT_FALSE(wc::parse_query("/hooks/wecom?echostr=%ZZ"));
    EXPECT_FALSE(wc::parse_query("/hooks/wecom?echostr=ab%2"));
    EXPECT_EQ(wc::parse_query("/hooks/wecom?nonce=n1&")->nonce, "n1");
    // Only the view is read, never the bytes after it (a request target is not NUL-terminated).
    const std::string buffer = "/hooks/wecom?nonce=n1\nHTTP";
    EXPECT_EQ(wc::parse_query(std::string_view(buffer).substr(0, buffer.find('\n')))->nonce, "n1");
}

TEST(WeComParse, Envelope) {
    EXPECT_EQ(wc::envelope_encrypt("<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt>"
                                   "<AgentID><![CDATA[1000002]]></AgentID></xml>"),
              std::optional<std::string>("abc+/="));
    EXPECT_EQ(wc::envelope_encrypt("<xml>\n  <Encrypt>\n<![CDATA[abc]]>\n</Encrypt>\n</xml>"),
              std::optional<std::string>("abc"));
    for (const char* bad : {"", "{\"Encrypt\":\"abc\"}", "<xml><Encrypt>abc</xml>",
                            "<root><Encrypt>abc</Encrypt></root>", "<xml><ToUserName>ww1</ToUserName></xml>"})
        EXPECT_FALSE(wc::envelope_encrypt(bad)) << bad;
    // Entities are not expanded beyond the predefined ones: no billion laughs, no external files.
    auto doctype = wc::envelope_encrypt(
        "<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]><xml><Encrypt>&b;</Encrypt></xml>");
    if (doctype) {
        EXPECT_LT(doctype->size(), 10u);
    }
}

TEST(WeComParse, TextMessage) {
    auto p = wc::parse_message(kTextMessage);
    ASSERT_TRUE(p && p->inbound);
    const Inbound& in = *p->inbound;
    EXPECT_EQ(in.platform, "wecom");
    EXPECT_EQ(in.event_id, "7300000000000000001");
    EXPECT_EQ(in.user_id, "wang");
    EXPECT_EQ(in.chat_id, "wang");
    EXPECT_TRUE(in.direct);
    EXPECT_EQ(in.text, "跟进 Acme 明天上午10点");
    EXPECT_FALSE(in.button);
    EXPECT_EQ(in.message_ref, "");
}

TEST(WeComParse, TemplateCardEventIsAButtonPress) {
    auto p = wc::parse_message(card_event(wc::button_key("完成 17")));
    ASSERT_TRUE(p && p->inbound);
    const Inbound& in = *p->inbound;
    EXPECT_TRUE(in.button);
    EXPECT_EQ(in.text, "完成 17");
    EXPECT_EQ(in.user_id, "wang");
    EXPECT_EQ(in.chat_id, "wang");
    EXPECT_EQ(in.message_ref, "fu-1700000000-00aa:RC_abc-1");
    EXPECT_THAT(in.event_id, ::testing::MatchesRegex("card-[0-9a-f]{40}"));
    // The same press (a retry) has the same id; another key, time, card or person does not.
    EXPECT_EQ(wc::parse_message(card_event(wc::button_key("完成 17")))->inbound->event_id, in.event_id);
    std::set<std::string> ids{in.event_id};
    ids.insert(wc::parse_message(card_event(wc::button_key("推迟 17 1小时后")))->inbound->event_id);
    ids.insert(wc::parse_message(card_event(wc::button_key("完成 17"), "li"))->inbound->event_id);
    ids.insert(wc::parse_message(card_event(wc::button_key("完成 17"), "wang", "1700000101"))->inbound->event_id);
    ids.insert(
        wc::parse_message(card_event(wc::button_key("完成 17"), "wang", "1700000100", "fu-2"))->inbound->event_id);
    EXPECT_EQ(ids.size(), 5u);
    // Without a response code the press still counts; the reply then cannot update the card.
    EXPECT_EQ(wc::parse_message(card_event(wc::button_key("done 17"), "wang", "1700000100", "fu-3", ""))
                  ->inbound->message_ref,
              "fu-3");
}

TEST(WeComParse, IgnoredKinds) {
    for (
        const std::string& body :
        {std::string(
             R"(<xml><FromUserName>wang</FromUserName><CreateTime>1700000000</CreateTime><MsgType>image</MsgType><PicUrl>u</PicUrl><MsgId>1</MsgId></xml>)"),
         std::string(
             R"(<xml><FromUserName>wang</FromUserName><CreateTime>1700000000</CreateTime><MsgType>event</MsgType><Event>enter_agent</Event><EventKey></EventKey></xml>)"),
         std::string(
             R"(<xml><FromUserName>wang</FromUserName><CreateTime>1700000000</CreateTime><MsgType>text</MsgType><Content>  </Content><MsgId>2</MsgId></xml>)"),
         card_event("VIEW_DETAIL"), card_event("c_"), card_event("c_!!"), card_event("c_a+b/")}) {
        auto p = wc::parse_message(body);
        ASSERT_TRUE(p) << body;
        EXPECT_FALSE(p->inbound) << body;
    }
}

TEST(WeComParse, MalformedMessages) {
    for (
        const std::string& body :
        {std::string(""), std::string("not xml"), std::string("<xml><FromUserName>wang</FromUserName>"),
         std::string(
             R"(<root><FromUserName>wang</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>x</Content><MsgId>1</MsgId></root>)"),
         std::string(
             R"(<xml><CreateTime>1700000000</CreateTime><MsgType>text</MsgType><Content>x</Content><MsgId>1</MsgId></xml>)"),
         std::string(
             R"(<xml><FromUserName>wang</FromUserName><CreateTime>soon</CreateTime><MsgType>text</MsgType><Content>x</Content><MsgId>1</MsgId></xml>)"),
         std::string(
             R"(<xml><FromUserName>wang</FromUserName><CreateTime>1700000000</CreateTime><MsgType>text</MsgType><Content>x</Content></xml>)"),
         card_event(wc::button_key("done 1"), "wang", "1700000100", ""),
         std::string(
             R"(<xml><FromUserName>wang</FromUserName><CreateTime>1700000000</CreateTime><MsgType>event</MsgType><Event>template_card_event</Event><TaskId>t1</TaskId></xml>)")})
        EXPECT_FALSE(wc::parse_message(body)) << body;
}

// ---- buttons and task ids ---------------------------------------------------------------------

TEST(WeComKeys, CommandsRoundTripThroughKeys) {
    for (const std::string& command :
         {std::string("done 17"), std::string("完成 17"), std::string("推迟 17 明天9点"),
          std::string("snooze 17 tomorrow 9:00"), std::string("a"), std::string("ab"), std::string("abc"),
          std::string("followup c3 in 7 days call"), std::string(700, 'x')}) {
        const std::string key = wc::button_key(command);
        EXPECT_THAT(key, ::testing::MatchesRegex("c_[A-Za-z0-9_-]+")) << command;
        EXPECT_LE(key.size(), wc::kMaxKeyBytes);
        EXPECT_EQ(wc::command_of(key), std::optional<std::string>(command));
    }
    EXPECT_EQ(wc::button_key(""), "");
    EXPECT_EQ(wc::button_key(std::string(767, 'x')), "");  // the key would pass 1024 bytes
    EXPECT_EQ(wc::button_key(std::string(766, 'x')).size(), 1024u);
    for (const char* key : {"", "c_", "done 17", "VIEW_DETAIL", "c_====", "c_a", "fu_none", "C_ZG9uZQ"})
        EXPECT_FALSE(wc::command_of(key)) << key;
}

TEST(WeComKeys, TaskIdsAreFreshAndInWeComsAlphabet) {
    std::set<std::string> ids;
    for (int i = 0; i < 50; ++i) {
        const std::string id = wc::new_task_id(fu::from_unix(1700000000));
        EXPECT_THAT(id, ::testing::MatchesRegex("fu-1700000000-[0-9a-f]{16}"));
        EXPECT_LE(id.size(), wc::kMaxTaskIdBytes);
        ids.insert(id);
    }
    EXPECT_EQ(ids.size(), 50u);
}

// ---- rendering --------------------------------------------------------------------------------

TEST(WeComRender, TextMessageIsExactlyTheDocumentedBody) {
    Outbound out;
    out.recipient = "wang";
    out.text = "客户 Acme 已添加 (c1)";
    const wc::ApiCall call = wc::render_send(out, "wang", 1000002, "fu-1-aa");
    EXPECT_EQ(call.path, "/cgi-bin/message/send");
    EXPECT_EQ(call.ref, "");
    EXPECT_EQ(json::parse(call.body),
              (json{{"touser", "wang"}, {"msgtype", "text"}, {"agentid", 1000002}, {"text", {{"content", out.text}}}}));
    // Buttons without a usable command leave a plain text.
    out.buttons = {{"empty", ""}, {"huge", std::string(800, 'x')}};
    EXPECT_EQ(json::parse(wc::render_send(out, "wang", 1000002, "fu-1-aa").body)["msgtype"], "text");
}

// WeCom's duplicate check goes by content: asked for on a retry only, so a
// first attempt that repeats an earlier message is never dropped.
TEST(WeComRender, ARetryAsksForWeComsDuplicateCheck) {
    Outbound out;
    out.recipient = "wang";
    out.text = "今天没有到期的跟进。";
    out.idempotency_key = "fu-42-1795399200";
    EXPECT_FALSE(json::parse(wc::render_send(out, "wang", 7, "t1").body).contains("enable_duplicate_check"));
    out.retry = true;
    json body = json::parse(wc::render_send(out, "wang", 7, "t1").body);
    EXPECT_EQ(body["enable_duplicate_check"], 1);
    EXPECT_EQ(body["duplicate_check_interval"], wc::kDuplicateCheckSeconds);
    EXPECT_LE(wc::kDuplicateCheckSeconds, 4 * 3600);  // WeCom's maximum
    out.buttons = reminder_buttons();
    body = json::parse(wc::render_send(out, "wang", 7, "t1").body);
    EXPECT_EQ(body["msgtype"], "template_card");
    EXPECT_EQ(body["enable_duplicate_check"], 1);
}

TEST(WeComRender, ReminderCardWithThreeButtons) {
    Outbound out;
    out.recipient = "wang";
    out.text = "⏰ 跟进提醒\n#17 Acme · 电话：问报价 · 今天 10:00\nA级 · 潜在\n回复：完成 17 <结果> [下次 <时间>]";
    out.buttons = reminder_buttons();
    const wc::ApiCall call = wc::render_send(out, "wang", 1000002, "fu-1700000000-0011223344556677");
    EXPECT_EQ(call.ref, "fu-1700000000-0011223344556677");
    const json body = json::parse(call.body);
    EXPECT_EQ(body["touser"], "wang");
    EXPECT_EQ(body["msgtype"], "template_card");
    EXPECT_EQ(body["agentid"], 1000002);
    EXPECT_FALSE(body.contains("text"));
    const json& card = body["template_card"];
    EXPECT_EQ(card["card_type"], "button_interaction");
    EXPECT_EQ(card["task_id"], "fu-1700000000-0011223344556677");
    EXPECT_EQ(card["main_title"], (json{{"title", "⏰ 跟进提醒"}}));
    EXPECT_EQ(card["sub_title_text"],
              "#17 Acme · 电话：问报价 · 今天 10:00\nA级 · 潜在\n回复：完成 17 <结果> [下次 <时间>]");
    ASSERT_EQ(card["button_list"].size(), 3u);
    EXPECT_EQ(card["button_list"][0], (json{{"text", "✅ 完成"}, {"key", wc::button_key("完成 17")}}));
    EXPECT_EQ(wc::command_of(card["button_list"][2]["key"].get<std::string>()),
              std::optional<std::string>("推迟 17 明天9点"));
}

TEST(WeComRender, ButtonCapDuplicatesAndLengths) {
    Outbound out;
    out.text = "\n\n  ⏰ 10 follow-ups are due:  \n" + std::string(320, 'x');  // 160 字: the most a card holds
    for (int i = 0; i < 10; ++i) out.buttons.push_back({"✅ Done #" + std::to_string(i), "done " + std::to_string(i)});
    out.buttons.insert(out.buttons.begin() + 1, {"again", "done 0"});  // the same key twice is refused by WeCom
    out.buttons.insert(out.buttons.begin(), {"", "today"});
    out.buttons.insert(out.buttons.begin(), {std::string(30, 'L'), "long label"});
    const json card = json::parse(wc::render_send(out, "maria", 7, "t1").body)["template_card"];
    const json& list = card["button_list"];
    ASSERT_EQ(list.size(), 6u);
    EXPECT_EQ(list[0]["text"], std::string(18, 'L') + "…");  // 10 字 = 20 ASCII characters, the ellipsis included
    EXPECT_EQ(list[1]["text"], "today");                     // no label: the command
    std::set<std::string> keys;
    for (const auto& b : list) keys.insert(b["key"].get<std::string>());
    EXPECT_EQ(keys.size(), 6u);
    EXPECT_EQ(wc::command_of(list[5]["key"].get<std::string>()), std::optional<std::string>("done 3"));
    EXPECT_EQ(card["main_title"]["title"], "⏰ 10 follow-ups are due:");
    EXPECT_EQ(card["sub_title_text"], std::string(320, 'x'));
    EXPECT_FALSE(wc::render_buttons_card(out, "maria", 7, "t2"));  // it all fits in the one card
}

TEST(WeComRender, TextTooLongForACardGoesWholeWithItsButtonsInACardAfterIt) {
    Outbound out;
    out.text =
        "📊 团队 East Sales\n现在 11月23日 周一 10:00 · 本周 11-23 – 11-29 · Asia/Shanghai\n"
        "销售     待办 今到 逾期 完成 推迟 最久\nWang Wei    3    1    2  0/0    0 2天\n"
        "Maria       2    1    0  1/1    1\n赵六        0    0    0  0/0    0\n"
        "钱七        4    2    1  2/5    3 1天\n合计        9    4    3  3/6    4 2天\n"
        "今到：今天到期 · 完成：今天/本周 · 推迟：本周推迟次数 · 最久：最久逾期";
    out.buttons = {{"⚠️ 逾期清单", "逾期"}, {"📈 报告", "报告"}};
    const wc::ApiCall text = wc::render_send(out, "li", 7, "t1");
    const json body = json::parse(text.body);
    EXPECT_EQ(body["msgtype"], "text");  // a card would cut the table after 160 字
    EXPECT_EQ(body["text"]["content"], out.text);
    EXPECT_EQ(text.ref, "");
    const auto card = wc::render_buttons_card(out, "li", 7, "t2");
    ASSERT_TRUE(card);
    EXPECT_EQ(card->path, "/cgi-bin/message/send");
    EXPECT_EQ(card->ref, "t2");
    const json c = json::parse(card->body);
    EXPECT_EQ(c["touser"], "li");
    EXPECT_EQ(c["msgtype"], "template_card");
    EXPECT_EQ(c["template_card"]["main_title"]["title"], "📊 团队 East Sales");
    EXPECT_FALSE(c["template_card"].contains("sub_title_text"));  // the text is in the message above
    ASSERT_EQ(c["template_card"]["button_list"].size(), 2u);
    EXPECT_EQ(wc::command_of(c["template_card"]["button_list"][1]["key"].get<std::string>()),
              std::optional<std::string>("报告"));
    // No usable buttons: the text alone.
    out.buttons = {{"empty", ""}};
    EXPECT_FALSE(wc::render_buttons_card(out, "li", 7, "t2"));
}

TEST(WeComRender, UpdateReplacesThePressedCard) {
    Outbound out;
    out.recipient = "wang";
    out.text = "✅ #17 Acme 已完成。\n— 王伟";
    out.replace_ref = "fu-1700000000-00aa:RC_abc-1";
    const auto call = wc::render_update(out, "wang", 1000002);
    ASSERT_TRUE(call);
    EXPECT_EQ(call->path, "/cgi-bin/message/update_template_card");
    EXPECT_EQ(call->ref, "fu-1700000000-00aa");
    const json body = json::parse(call->body);
    EXPECT_EQ(body["userids"], json::array({"wang"}));
    EXPECT_EQ(body["agentid"], 1000002);
    EXPECT_EQ(body["response_code"], "RC_abc-1");
    const json& card = body["template_card"];
    EXPECT_EQ(card["card_type"], "button_interaction");
    EXPECT_EQ(card["task_id"], "fu-1700000000-00aa");
    EXPECT_EQ(card["main_title"]["title"], "✅ #17 Acme 已完成。");
    EXPECT_EQ(card["sub_title_text"], "— 王伟");
    // No buttons left: one greyed out, and its key is no command.
    EXPECT_EQ(card["replace_text"], "✓");
    ASSERT_EQ(card["button_list"].size(), 1u);
    EXPECT_FALSE(wc::command_of(card["button_list"][0]["key"].get<std::string>()));

    out.buttons = {{"📅 明天上午10点", "跟进 c1 明天上午10点 call"}};
    const json next = json::parse(wc::render_update(out, "wang", 1000002)->body)["template_card"];
    EXPECT_FALSE(next.contains("replace_text"));
    EXPECT_EQ(wc::command_of(next["button_list"][0]["key"].get<std::string>()),
              std::optional<std::string>("跟进 c1 明天上午10点 call"));
    for (const char* ref : {"fu-3", ":RC", "fu-3:", ""}) {
        out.replace_ref = ref;
        EXPECT_FALSE(wc::render_update(out, "wang", 1000002)) << ref;
    }
}

TEST(WeComRender, Truncation) {
    EXPECT_EQ(wc::fit_bytes(std::string(2048, 'a'), 2048), std::string(2048, 'a'));
    EXPECT_EQ(wc::fit_bytes(std::string(2049, 'a'), 2048), std::string(2045, 'a') + "…");
    std::string zh;
    for (int i = 0; i < 1000; ++i) zh += "跟";
    const std::string cut = wc::fit_bytes(zh, 2048);
    EXPECT_LE(cut.size(), 2048u);
    EXPECT_EQ(cut, zh.substr(0, 681 * 3) + "…");  // whole characters, then the ellipsis
    EXPECT_EQ(wc::fit_bytes("", 10), "…");
    EXPECT_EQ(wc::fit_width("完成", 10), "完成");
    EXPECT_EQ(wc::fit_width("一二三四五六七八九十", 10), "一二三四五六七八九十");
    EXPECT_EQ(wc::fit_width("一二三四五六七八九十一", 10), "一二三四五六七八九…");
    EXPECT_EQ(wc::fit_width("ab   cdefghijklmnopqrstuv", 3), "ab…");
    Outbound out;
    out.text = zh + zh + zh;
    const std::string content = json::parse(wc::render_send(out, "u", 1, "t").body)["text"]["content"];
    EXPECT_LE(content.size(), wc::kMaxTextBytes);
}

// ---- answers ----------------------------------------------------------------------------------

TEST(WeComInterpret, Answers) {
    auto sent = wc::interpret(200, R"({"errcode":0,"errmsg":"ok","msgid":"MSG1","response_code":"RC"})", "wang", "");
    EXPECT_EQ(sent.status, Status::sent);
    EXPECT_EQ(sent.message_ref, "MSG1");
    EXPECT_EQ(sent.chat_id, "wang");
    EXPECT_EQ(wc::interpret(200, R"({"errcode":0,"errmsg":"ok","msgid":"MSG1"})", "wang", "fu-1").message_ref, "fu-1");
    auto invalid = wc::interpret(200, R"({"errcode":0,"errmsg":"ok","invaliduser":"ghost"})", "ghost", "");
    EXPECT_EQ(invalid.status, Status::failed);
    EXPECT_THAT(invalid.error, HasSubstr("ghost"));
    EXPECT_EQ(wc::interpret(200, R"({"errcode":0,"errmsg":"ok","invaliduser":""})", "wang", "").status, Status::sent);

    EXPECT_EQ(wc::interpret(200, R"({"errcode":-1,"errmsg":"system busy"})", "wang", "").status, Status::retry);
    auto limited = wc::interpret(200, R"({"errcode":45009,"errmsg":"api freq out of limit"})", "wang", "");
    EXPECT_EQ(limited.status, Status::retry);
    EXPECT_EQ(limited.retry_after, std::optional<std::chrono::seconds>(60s));
    EXPECT_EQ(wc::interpret(200, R"({"errcode":42001,"errmsg":"access_token expired"})", "wang", "").status,
              Status::retry);
    auto ip = wc::interpret(200, R"({"errcode":60020,"errmsg":"not allow to access from your ip"})", "wang", "");
    EXPECT_EQ(ip.status, Status::retry);
    EXPECT_THAT(ip.error, HasSubstr("可信IP"));
    auto unknown = wc::interpret(200, R"({"errcode":81013,"errmsg":"user & party & tag all invalid"})", "ghost", "");
    EXPECT_EQ(unknown.status, Status::failed);
    EXPECT_EQ(unknown.error, "errcode 81013: user & party & tag all invalid");
    EXPECT_EQ(wc::interpret(503, "", "wang", "").status, Status::retry);
    EXPECT_EQ(wc::interpret(429, "", "wang", "").status, Status::retry);
    EXPECT_EQ(wc::interpret(404, "not found", "wang", "").status, Status::failed);
    EXPECT_EQ(wc::interpret(200, "<html>", "wang", "").status, Status::retry);
    EXPECT_EQ(wc::interpret(200, R"({"errmsg":"ok"})", "wang", "").status, Status::retry);

    EXPECT_TRUE(wc::token_refused(R"({"errcode":40014,"errmsg":"invalid access_token"})"));
    EXPECT_TRUE(wc::token_refused(R"({"errcode":42001,"errmsg":"access_token expired"})"));
    EXPECT_FALSE(wc::token_refused(R"({"errcode":0,"errmsg":"ok"})"));
    EXPECT_FALSE(wc::token_refused(R"({"errcode":45009})"));
    EXPECT_FALSE(wc::token_refused("garbage"));
}

TEST(WeComInterpret, TokenAnswers) {
    auto token = wc::parse_token(R"({"errcode":0,"errmsg":"ok","access_token":"TOKEN1","expires_in":7200})");
    EXPECT_EQ(token.value, "TOKEN1");
    EXPECT_EQ(token.lifetime, 7200s);
    EXPECT_EQ(wc::parse_token(R"({"errcode":0,"access_token":"T","expires_in":600})").lifetime, 600s);
    EXPECT_THROW(wc::parse_token(R"({"errcode":40001,"errmsg":"invalid credential"})"), fu::adapters::TokenError);
    EXPECT_THROW(wc::parse_token(R"({"errcode":0,"errmsg":"ok"})"), fu::adapters::TokenError);
    EXPECT_THROW(wc::parse_token("<html>"), fu::adapters::TokenError);
    try {
        wc::parse_token(R"({"errcode":40013,"errmsg":"invalid corpid"})");
    } catch (const fu::adapters::TokenError& e) {
        EXPECT_THAT(std::string(e.what()), HasSubstr("40013"));
    }
}

// ---- passive replies ----------------------------------------------------------------------------

TEST(WeComPassiveReply, SignedEncryptedXml) {
    const std::string key = official_key();
    const std::string plain = wc::reply_xml("eve", kOfficialCorp, 1700000000, "您还未注册 ]]> <tag> & co");
    const std::string sealed = wc::encrypt(key, plain, kOfficialCorp);
    const Envelope e = read_envelope(wc::envelope_xml(kOfficialToken, sealed, "1700000000", "n42"));
    EXPECT_EQ(e.encrypt, sealed);
    EXPECT_EQ(e.timestamp, "1700000000");
    EXPECT_EQ(e.nonce, "n42");
    EXPECT_EQ(e.signature, wc::sign(kOfficialToken, "1700000000", "n42", sealed));
    const wc::Decrypted d = wc::decrypt(key, e.encrypt);
    EXPECT_EQ(d.receive_id, kOfficialCorp);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(d.message.c_str()));
    const auto root = doc.child("xml");
    EXPECT_STREQ(root.child_value("ToUserName"), "eve");
    EXPECT_STREQ(root.child_value("FromUserName"), kOfficialCorp.c_str());
    EXPECT_STREQ(root.child_value("CreateTime"), "1700000000");
    EXPECT_STREQ(root.child_value("MsgType"), "text");
    std::string content;  // "]]>" splits it over two CDATA sections
    for (auto part : root.child("Content").children()) content += part.value();
    EXPECT_EQ(content, "您还未注册 ]]> <tag> & co");
}

}  // namespace
