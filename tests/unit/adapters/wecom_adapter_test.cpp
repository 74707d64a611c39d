// The WeCom adapter against a fake WeCom API on loopback: the URL check,
// callbacks into the inbox, refusals, passive replies to strangers, sends with
// a cached token, retries, cards updated. The protocol alone is wecom_test.cpp.
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

using fu::test::FakeApi;

const std::string kCorp = "ww0f0110aaaa";
const std::string kSecret = "app-SECRET-0123456789";
const std::string kToken = "cb-Token-42";
const std::string kAesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const long long kAgent = 1000002;
const auto kNow = fu::from_unix(1700000000);

std::string query_of(const std::string& target, const std::string& name) {
    const auto mark = target.find(name + "=");
    if (mark == std::string::npos) return {};
    const auto start = mark + name.size() + 1;
    return target.substr(start, target.find('&', start) - start);
}

// gettoken hands out TOKEN1, TOKEN2, …; a token listed in `refused` is answered 42001.
struct WeComApi {
    std::atomic<int> issued{0};
    std::set<std::string> refused;
    std::function<fu::test::Response(const fu::test::Request&)> on_send;  // optional override
    fu::test::Response operator()(const fu::test::Request& req) {
        const std::string target(req.target());
        if (target.starts_with("/cgi-bin/gettoken")) {
            if (query_of(target, "corpsecret") != kSecret)
                return FakeApi::reply(200, R"({"errcode":40001,"errmsg":"invalid credential"})");
            const std::string token = "TOKEN" + std::to_string(++issued);
            return FakeApi::reply(
                200, json{{"errcode", 0}, {"errmsg", "ok"}, {"access_token", token}, {"expires_in", 7200}}.dump());
        }
        if (refused.contains(query_of(target, "access_token")))
            return FakeApi::reply(200, R"({"errcode":42001,"errmsg":"access_token expired"})");
        if (on_send) return on_send(req);
        return FakeApi::reply(200, R"({"errcode":0,"errmsg":"ok","msgid":"MSGID1","response_code":"RC_SEND"})");
    }
};

struct Harness : fu::test::AdapterHarnessBase {
    explicit Harness(const std::string& base, std::string secret = kSecret) : AdapterHarnessBase("eve") {
        wc::Options o;
        o.corp_id = kCorp;
        o.corp_secret = std::move(secret);
        o.agent_id = kAgent;
        o.token = kToken;
        o.encoding_aes_key = kAesKey;
        o.api_base = base;
        adapter = std::make_unique<wc::WeComAdapter>(http, std::move(o), clock);
        key = *wc::aes_key(kAesKey);
        start();
    }
    ~Harness() { stop(); }

    fu::net::Response request(http::verb verb, const std::string& target, const std::string& body = {}) {
        fu::net::Request req{verb, target, 11};
        if (!body.empty()) req.set(http::field::content_type, "text/xml");
        req.body() = body;
        req.prepare_payload();
        return run(fu::adapters::serve_webhook(*adapter, inbox, req));
    }
    // A callback as WeCom sends it: `plain` sealed for `corp`, signed now (or as told).
    fu::net::Response post(const std::string& plain, std::string corp = kCorp,
                           std::optional<std::string> signature = {}, std::optional<std::string> ts = {}) {
        const std::string sealed = wc::encrypt(key, plain, corp);
        const std::string stamp = ts.value_or(std::to_string(fu::to_unix(clock.now())));
        const std::string sig = signature.value_or(wc::sign(kToken, stamp, "nonce1", sealed));
        const std::string body = "<xml><ToUserName><![CDATA[" + kCorp + "]]></ToUserName><Encrypt><![CDATA[" + sealed +
                                 "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
        return request(http::verb::post, "/hooks/wecom?msg_signature=" + sig + "&timestamp=" + stamp + "&nonce=nonce1",
                       body);
    }

    fu::FakeClock clock{kNow};
    std::string key;
    std::unique_ptr<wc::WeComAdapter> adapter;
};

std::string url_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c))
            out += static_cast<char>(c);
        else
            out += {'%', hex[c >> 4], hex[c & 15]};
    }
    return out;
}

TEST(WeComAdapter, UrlCheckEchoesThePlaintext) {
    WeComApi logic;
    FakeApi api(std::ref(logic));
    Harness h(api.base());
    const std::string echostr = wc::encrypt(h.key, "5927782489442352469", kCorp);
    const std::string ts = std::to_string(fu::to_unix(kNow));
    const std::string sig = wc::sign(kToken, ts, "1372623149", echostr);
    auto res = h.request(http::verb::get, "/hooks/wecom?msg_signature=" + sig + "&timestamp=" + ts +
                                              "&nonce=1372623149&echostr=" + url_encode(echostr));
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), "5927782489442352469");  // no quotes, no newline
    EXPECT_THAT(std::string(res[http::field::content_type]), HasSubstr("text/plain"));
    // The official vector's signature is not good for this application.
    auto official =
        h.request(http::verb::get, "/hooks/wecom?msg_signature=" + kOfficialSignature + "&timestamp=" + ts +
                                       "&nonce=" + kOfficialNonce + "&echostr=" + url_encode(kOfficialEchostr));
    EXPECT_EQ(official.result_int(), 401);  // signed with another Token
    EXPECT_EQ(h.request(http::verb::get, "/hooks/wecom?msg_signature=" + sig + "&timestamp=" + ts +
                                             "&nonce=1372623149&echostr=" + url_encode(wc::encrypt(h.key, "1", kCorp)))
                  .result_int(),
              401);
    EXPECT_EQ(h.request(http::verb::get, "/hooks/wecom").result_int(), 400);
    EXPECT_EQ(h.request(http::verb::get, "/hooks/wecom/other").result_int(), 404);
    EXPECT_EQ(h.request(http::verb::put, "/hooks/wecom").result_int(), 405);
    EXPECT_TRUE(api.calls().empty());
}

TEST(WeComAdapter, MessagesAndPressesReachTheInboxWithAnEmptyAnswer) {
    WeComApi logic;
    FakeApi api(std::ref(logic));
    Harness h(api.base());
    auto res = h.post(kTextMessage);
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), "");
    auto press = h.post(card_event(wc::button_key("完成 17")));
    EXPECT_EQ(press.result_int(), 200);
    EXPECT_EQ(press.body(), "");
    EXPECT_EQ(
        h.post(
             R"(<xml><FromUserName>wang</FromUserName><CreateTime>1700000000</CreateTime><MsgType>image</MsgType><MsgId>5</MsgId></xml>)")
            .result_int(),
        200);  // ignored, acknowledged
    const auto got = h.inbox.got();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].event_id, "7300000000000000001");
    EXPECT_EQ(got[0].text, "跟进 Acme 明天上午10点");
    EXPECT_TRUE(got[1].button);
    EXPECT_EQ(got[1].text, "完成 17");
    EXPECT_EQ(got[1].message_ref, "fu-1700000000-00aa:RC_abc-1");
    EXPECT_TRUE(api.calls().empty());  // replies go through the outbox
    h.inbox.fail(true);
    EXPECT_EQ(h.post(kTextMessage).result_int(), 500);  // WeCom tries again; the Inbox deduplicates
}

TEST(WeComAdapter, RefusedCallbacksChangeNothing) {
    WeComApi logic;
    FakeApi api(std::ref(logic));
    Harness h(api.base());
    const std::string now = std::to_string(fu::to_unix(kNow));
    EXPECT_EQ(h.post(kTextMessage, kCorp, std::string(40, 'a')).result_int(), 401);  // wrong signature
    EXPECT_EQ(h.post(kTextMessage, kCorp, std::string("")).result_int(), 401);       // no signature
    EXPECT_EQ(h.post(kTextMessage, "wwSOMEONEELSE").result_int(), 401);              // wrong receive id
    EXPECT_EQ(h.post(kTextMessage, kCorp, {}, std::to_string(fu::to_unix(kNow) - 301)).result_int(), 401);  // stale
    EXPECT_EQ(h.post(kTextMessage, kCorp, {}, std::to_string(fu::to_unix(kNow) + 301)).result_int(), 401);  // future
    EXPECT_EQ(h.post("<xml><FromUserName>wang</FromUserName><MsgType>text").result_int(), 400);  // malformed XML
    EXPECT_EQ(h.post("{\"text\":\"today\"}").result_int(), 400);
    // Envelopes that cannot be opened, each signed correctly.
    auto sealed_post = [&](const std::string& encrypt) {
        const std::string body = "<xml><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>";
        return h.request(
            http::verb::post,
            "/hooks/wecom?msg_signature=" + wc::sign(kToken, now, "n", encrypt) + "&timestamp=" + now + "&nonce=n",
            body);
    };
    const auto bad_base64 = sealed_post("@@@@");
    EXPECT_EQ(bad_base64.result_int(), 400);
    EXPECT_THAT(bad_base64.body(), HasSubstr("base64"));
    const std::string good = wc::encrypt(h.key, kTextMessage, kCorp);
    EXPECT_THAT(sealed_post(crypto::base64_encode(crypto::base64_decode(good)->substr(0, 48))).body(),
                HasSubstr("truncated"));
    std::string unpadded(32, 'z');
    EXPECT_THAT(sealed_post(seal_raw(h.key, unpadded)).body(), HasSubstr("padding"));
    EXPECT_EQ(
        h.request(http::verb::post, "/hooks/wecom?timestamp=" + now + "&nonce=n", "<xml><Encrypt>x</Encrypt></xml>")
            .result_int(),
        401);
    EXPECT_EQ(h.request(http::verb::post, "/hooks/wecom?msg_signature=x&timestamp=" + now + "&nonce=n", "garbage")
                  .result_int(),
              400);
    EXPECT_EQ(h.request(http::verb::post, "/hooks/wecom?nonce=%G1", "<xml><Encrypt>x</Encrypt></xml>").result_int(),
              400);
    EXPECT_TRUE(h.inbox.got().empty());
    EXPECT_TRUE(api.calls().empty());
}

TEST(WeComAdapter, AMessageThatIsNotUtf8IsRefusedAndNotExecuted) {
    WeComApi logic;
    FakeApi api(std::ref(logic));
    Harness h(api.base());
    auto res = h.post(
        "<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[wang]]></FromUserName>"
        "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        "<Content><![CDATA[customer add \xC0\xAF]]></Content><MsgId>7300000000000000009</MsgId></xml>");
    EXPECT_EQ(res.result_int(), 400);
    EXPECT_THAT(res.body(), HasSubstr("not UTF-8"));
    EXPECT_TRUE(h.inbox.got().empty());
    EXPECT_TRUE(api.calls().empty());
}

TEST(WeComAdapter, StrangerGetsAnEncryptedPassiveReply) {
    WeComApi logic;
    FakeApi api(std::ref(logic));
    Harness h(api.base());
    auto res =
        h.post(R"(<xml><ToUserName>ww</ToUserName><FromUserName>eve</FromUserName><CreateTime>1700000000</CreateTime>
        <MsgType>text</MsgType><Content>today</Content><MsgId>99</MsgId></xml>)");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_THAT(std::string(res[http::field::content_type]), HasSubstr("xml"));
    const Envelope e = read_envelope(res.body());
    EXPECT_EQ(e.timestamp, std::to_string(fu::to_unix(kNow)));
    EXPECT_EQ(e.signature, wc::sign(kToken, e.timestamp, e.nonce, e.encrypt));
    const wc::Decrypted d = wc::decrypt(h.key, e.encrypt);
    EXPECT_EQ(d.receive_id, kCorp);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(d.message.c_str()));
    EXPECT_STREQ(doc.child("xml").child_value("ToUserName"), "eve");
    EXPECT_STREQ(doc.child("xml").child_value("Content"), "You are not registered.");
    EXPECT_TRUE(api.calls().empty());
}

TEST(WeComAdapter, SendsWithACachedToken) {
    WeComApi logic;
    FakeApi api(std::ref(logic));
    Harness h(api.base());
    Outbound out;
    out.recipient = "wang";
    out.text = "今天没有到期的跟进。";
    SendResult r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, Status::sent) << r.error;
    EXPECT_EQ(r.message_ref, "MSGID1");
    EXPECT_EQ(r.chat_id, "wang");
    out.buttons = reminder_buttons();
    r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, Status::sent) << r.error;
    EXPECT_THAT(r.message_ref, ::testing::MatchesRegex("fu-1700000000-[0-9a-f]{16}"));
    const auto calls = api.calls();
    ASSERT_EQ(calls.size(), 3u);
    EXPECT_EQ(calls[0].target, "/cgi-bin/gettoken?corpid=" + kCorp + "&corpsecret=" + kSecret);
    EXPECT_EQ(calls[1].target, "/cgi-bin/message/send?access_token=TOKEN1");
    EXPECT_EQ(calls[1].content_type, "application/json; charset=utf-8");
    EXPECT_EQ(json::parse(calls[1].body), (json{{"touser", "wang"},
                                                {"msgtype", "text"},
                                                {"agentid", kAgent},
                                                {"text", {{"content", "今天没有到期的跟进。"}}}}));
    EXPECT_EQ(calls[2].target, "/cgi-bin/message/send?access_token=TOKEN1");  // cached
    EXPECT_EQ(json::parse(calls[2].body)["template_card"]["task_id"], r.message_ref);
    EXPECT_EQ(h.adapter->token_fetches(), 1u);
}

// A delivery's retry is the same request as its first attempt (the card's
// task_id is made of the delivery's key), with WeCom's duplicate check on.
TEST(WeComAdapter, ARetryOfADeliveryRepeatsItsRequestWithTheDuplicateCheck) {
    WeComApi logic;
    FakeApi api(std::ref(logic));
    Harness h(api.base());
    Outbound out;
    out.recipient = "wang";
    out.text = "⏰ 跟进提醒\n#17 Acme";
    out.buttons = reminder_buttons();
    out.idempotency_key = "fu-42-1795399200";
    SendResult first = h.run(h.adapter->send(out));
    ASSERT_EQ(first.status, Status::sent) << first.error;
    out.retry = true;
    SendResult again = h.run(h.adapter->send(out));
    ASSERT_EQ(again.status, Status::sent) << again.error;
    EXPECT_EQ(first.message_ref, "fu-42-1795399200");
    EXPECT_EQ(again.message_ref, first.message_ref);
    const auto calls = api.calls();
    ASSERT_EQ(calls.size(), 3u);  // gettoken, two sends
    json a = json::parse(calls[1].body), b = json::parse(calls[2].body);
    EXPECT_EQ(b["enable_duplicate_check"], 1);
    b.erase("enable_duplicate_check");
    b.erase("duplicate_check_interval");
    EXPECT_EQ(a, b);
}

TEST(WeComAdapter, ALongTextWithButtonsIsATextThenACardAndPressesUpdateTheCard) {
    WeComApi logic;
    std::atomic<bool> cards_fail{false};
    logic.on_send = [&](const fu::test::Request& req) {
        if (cards_fail && req.body().find("template_card") != std::string::npos)
            return FakeApi::reply(200, R"({"errcode":40008,"errmsg":"invalid message type"})");
        return FakeApi::reply(200, R"({"errcode":0,"errmsg":"ok","msgid":"MSGID1"})");
    };
    FakeApi api(std::ref(logic));
    Harness h(api.base());
    Outbound out;
    out.recipient = "li";
    out.text = "⏰ 8 follow-ups are due\n";
    for (int i = 1; i <= 8; ++i)
        out.text += "#" + std::to_string(i) + " Customer " + std::to_string(i) + " · call: pricing · Mon 11-23 10:00\n";
    for (int i = 1; i <= 3; ++i) out.buttons.push_back({"Done #" + std::to_string(i), "done " + std::to_string(i)});
    SendResult r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, Status::sent) << r.error;
    auto calls = api.calls();
    ASSERT_EQ(calls.size(), 3u);  // gettoken, the text, the card
    EXPECT_EQ(json::parse(calls[1].body)["text"]["content"], out.text);
    const json card = json::parse(calls[2].body)["template_card"];
    EXPECT_EQ(card["main_title"]["title"], "⏰ 8 follow-ups are due");
    EXPECT_EQ(card["task_id"], r.message_ref);  // a press on the card updates the card
    EXPECT_EQ(card["button_list"].size(), 3u);

    // The card refused: the text stands and is not sent again.
    cards_fail = true;
    r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, Status::sent) << r.error;
    EXPECT_EQ(r.message_ref, "MSGID1");
    calls = api.calls();
    ASSERT_EQ(calls.size(), 5u);
    EXPECT_EQ(json::parse(calls[3].body)["msgtype"], "text");
    EXPECT_EQ(json::parse(calls[4].body)["msgtype"], "template_card");
}

TEST(WeComAdapter, ATokenExpiredEarlyIsRefreshedOnceAndTheSendRepeated) {
    WeComApi logic;
    logic.refused = {"TOKEN1"};
    FakeApi api(std::ref(logic));
    Harness h(api.base());
    Outbound out;
    out.recipient = "wang";
    out.text = "x";
    out.buttons = reminder_buttons();
    SendResult r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, Status::sent) << r.error;
    auto calls = api.calls();
    ASSERT_EQ(calls.size(), 4u);
    EXPECT_THAT(calls[0].target, HasSubstr("/cgi-bin/gettoken"));
    EXPECT_EQ(calls[1].target, "/cgi-bin/message/send?access_token=TOKEN1");
    EXPECT_THAT(calls[2].target, HasSubstr("/cgi-bin/gettoken"));
    EXPECT_EQ(calls[3].target, "/cgi-bin/message/send?access_token=TOKEN2");
    EXPECT_EQ(calls[1].body, calls[3].body);  // the same message, the same task id
    EXPECT_EQ(h.adapter->token_fetches(), 2u);
    // Refused again and again: one refresh per send, then the dispatcher's retry.
    logic.refused = {"TOKEN2", "TOKEN3", "TOKEN4"};
    r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, Status::retry);
    EXPECT_THAT(r.error, HasSubstr("42001"));
    EXPECT_EQ(api.calls().size(), 7u);
    EXPECT_EQ(h.adapter->token_fetches(), 3u);
}

TEST(WeComAdapter, APressedCardIsUpdatedElseANewMessageSaysIt) {
    WeComApi logic;
    std::atomic<bool> code_used{false};
    logic.on_send = [&](const fu::test::Request& req) {
        if (req.target().starts_with("/cgi-bin/message/update_template_card")) {
            if (code_used.exchange(true))
                return FakeApi::reply(200, R"({"errcode":40058,"errmsg":"response_code used"})");
            return FakeApi::reply(200, R"({"errcode":0,"errmsg":"ok"})");
        }
        return FakeApi::reply(200, R"({"errcode":0,"errmsg":"ok","msgid":"MSGID2"})");
    };
    FakeApi api(std::ref(logic));
    Harness h(api.base());
    Outbound out;
    out.recipient = "wang";
    out.chat_id = "wang";
    out.text = "✅ #17 Acme 已完成。\n— 王伟";
    out.replace_ref = "fu-1700000000-00aa:RC_abc-1";
    SendResult r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, Status::sent) << r.error;
    EXPECT_EQ(r.message_ref, "fu-1700000000-00aa");
    r = h.run(h.adapter->send(out));  // the code is spent: a new message instead
    EXPECT_EQ(r.status, Status::sent) << r.error;
    EXPECT_EQ(r.message_ref, "MSGID2");
    out.replace_ref = "fu-1700000000-00aa";  // no response code at all
    EXPECT_EQ(h.run(h.adapter->send(out)).message_ref, "MSGID2");
    const auto calls = api.calls();
    ASSERT_EQ(calls.size(), 5u);
    EXPECT_EQ(calls[1].target, "/cgi-bin/message/update_template_card?access_token=TOKEN1");
    EXPECT_EQ(json::parse(calls[1].body)["response_code"], "RC_abc-1");
    EXPECT_EQ(calls[2].target, "/cgi-bin/message/update_template_card?access_token=TOKEN1");
    EXPECT_EQ(calls[3].target, "/cgi-bin/message/send?access_token=TOKEN1");
    EXPECT_EQ(json::parse(calls[3].body)["text"]["content"], out.text);
    EXPECT_EQ(calls[4].target, "/cgi-bin/message/send?access_token=TOKEN1");
}

TEST(WeComAdapter, FailuresRetryOrFailWithoutSecrets) {
    WeComApi logic;
    logic.on_send = [](const fu::test::Request& req) {
        const std::string touser = json::parse(req.body()).value("touser", "");
        if (touser == "busy") return FakeApi::reply(200, R"({"errcode":-1,"errmsg":"system busy"})");
        if (touser == "down") return FakeApi::reply(502, "bad gateway");
        return FakeApi::reply(200, R"({"errcode":81013,"errmsg":"user & party & tag all invalid"})");
    };
    FakeApi api(std::ref(logic));
    Harness h(api.base());
    Outbound out;
    out.text = "x";
    out.recipient = "busy";
    EXPECT_EQ(h.run(h.adapter->send(out)).status, Status::retry);
    out.recipient = "down";
    EXPECT_EQ(h.run(h.adapter->send(out)).status, Status::retry);
    out.recipient = "ghost";
    SendResult r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, Status::failed);
    EXPECT_EQ(r.error, "message/send: errcode 81013: user & party & tag all invalid");
    out.recipient.clear();
    EXPECT_EQ(h.run(h.adapter->send(out)).status, Status::failed);  // nowhere to send

    // A wrong Secret: gettoken fails, the send waits for a retry, the secret stays out of the error.
    Harness wrong(api.base(), "wrong-SECRET-9");
    out.recipient = "wang";
    r = wrong.run(wrong.adapter->send(out));
    EXPECT_EQ(r.status, Status::retry);
    EXPECT_THAT(r.error, HasSubstr("gettoken: errcode 40001"));
    EXPECT_THAT(r.error, Not(HasSubstr("wrong-SECRET-9")));

    // No server: a network error, without the secret or a token in it.
    Harness offline("http://127.0.0.1:" + std::to_string(fu::test::closed_port()));
    r = offline.run(offline.adapter->send(out));
    EXPECT_EQ(r.status, Status::retry);
    EXPECT_THAT(r.error, HasSubstr("message/send"));
    EXPECT_THAT(r.error, Not(HasSubstr("SECRET")));
}

}  // namespace
