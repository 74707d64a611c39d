// Feishu's protocol, pure: the vectors shared with the peer test, signatures,
// events in, the checks before the inbox, rendering, answers. The adapter
// against a fake Open API is feishu_adapter_test.cpp. Past 500 lines on
// purpose: every piece of the protocol beside the vectors it is checked against.
#include "adapters/feishu/feishu.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <utility>

#include "adapter_fakes.hpp"
#include "feishu_kit.hpp"
#include "net/crypto.hpp"

namespace {
using namespace std::chrono_literals;
using fu::Button;
using fu::Inbound;
using fu::adapters::AccessToken;
using fu::adapters::Outbound;
using fu::adapters::SendResult;
using fu::adapters::TokenError;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = fu::adapters::feishu;
namespace crypto = fu::net::crypto;
namespace asio = boost::asio;
namespace http = boost::beast::http;
using Status = SendResult::Status;
using namespace fu::test::feishu;

// ---- the shared vectors --------------------------------------------------------------

// The documentation's vector (PLATFORMS.md).
TEST(FeishuCrypto, DocumentationVector) {
    auto d = fs::decrypt("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=");
    ASSERT_TRUE(d.plaintext) << d.problem;
    EXPECT_EQ(*d.plaintext, "hello world");
}

// Shared with tests/peers/feishu.test.mjs, where the SDK's AESCipher decrypts the
// ciphertext and its EventDispatcher accepts the signature.
const std::string kSharedKey = "followupd-shared-feishu-key";
const std::string kSharedPlain = R"({"challenge":"shared-vector","token":"vt-shared","type":"url_verification"})";
const std::string kSharedSealed =
    "MDEyMzQ1Njc4OWFiY2RlZuJq3xnHCgGWR75umv5G53M9Z7MBwPG1Z0HNJNck7I+ci3ZtF69Jjw5KiXdKS4eR6X7Iiedtav8OglS6x/ZJEtw8Fzg"
    "8z6yTupthkDShQrUq";
const std::string kSharedTs = "1700000000";
const std::string kSharedNonce = "followupd-nonce";
const std::string kSharedSignature = "951ad13d5d9b189728ce218ba3c7ab614025b44c619d7376adf0514a32be6e0f";

TEST(FeishuCrypto, SharedVectorWithThePeerTest) {
    EXPECT_EQ(seal(kSharedKey, kSharedPlain, "0123456789abcdef"), kSharedSealed);
    auto d = fs::decrypt(kSharedKey, kSharedSealed);
    ASSERT_TRUE(d.plaintext) << d.problem;
    EXPECT_EQ(*d.plaintext, kSharedPlain);
    const std::string body = json{{"encrypt", kSharedSealed}}.dump();
    EXPECT_EQ(fs::sign(kSharedTs, kSharedNonce, kSharedKey, body), kSharedSignature);
}

TEST(FeishuCrypto, BadCiphertexts) {
    const std::string key = "k3y";
    const std::string good = seal(key, "{\"a\":1} and some more text to fill blocks");
    ASSERT_EQ(fs::decrypt(key, good).plaintext,
              std::optional<std::string>("{\"a\":1} and some more text to fill blocks"));
    auto problem = [&](const std::string& sealed, const std::string& k) {
        auto d = fs::decrypt(k, sealed);
        EXPECT_FALSE(d.plaintext) << sealed;
        return d.problem;
    };
    EXPECT_THAT(problem("not base64!", key), HasSubstr("base64"));
    EXPECT_THAT(problem(good.substr(0, good.size() - 1), key), HasSubstr("base64"));  // padding missing
    const std::string raw = *crypto::base64_decode(good);
    EXPECT_THAT(problem(crypto::base64_encode(raw.substr(0, raw.size() - 5)), key), HasSubstr("truncated"));
    EXPECT_THAT(problem(crypto::base64_encode(raw.substr(0, 16)), key), HasSubstr("too short"));
    EXPECT_THAT(problem("", key), HasSubstr("too short"));
    // A wrong key (or a forged last block) leaves bytes that are not PKCS#7 padding.
    EXPECT_THAT(problem(seal("another key", "{}", "0123456789abcdef"), key), HasSubstr("padding"));
}

// ---- signatures ------------------------------------------------------------------------

TEST(FeishuSignature, Verification) {
    const std::string body = json{{"encrypt", kSharedSealed}}.dump();
    const auto now = fu::from_unix(1700000000);
    auto problem = [&](const std::string& key, const std::string& ts, const std::string& nonce, const std::string& sig,
                       const std::string& b,
                       fu::TimePoint when) { return fs::signature_problem(key, ts, nonce, sig, b, when, 300s); };
    EXPECT_EQ(problem(kSharedKey, kSharedTs, kSharedNonce, kSharedSignature, body, now), "");
    EXPECT_THAT(problem("other key", kSharedTs, kSharedNonce, kSharedSignature, body, now),
                HasSubstr("does not match"));
    EXPECT_THAT(problem(kSharedKey, kSharedTs, kSharedNonce, kSharedSignature, body + " ", now),
                HasSubstr("does not match"));
    EXPECT_THAT(problem(kSharedKey, kSharedTs, "other-nonce", kSharedSignature, body, now),
                HasSubstr("does not match"));
    // The timestamp is signed: moving it breaks the signature even inside the window.
    EXPECT_THAT(problem(kSharedKey, "1700000001", kSharedNonce, kSharedSignature, body, now),
                HasSubstr("does not match"));
    EXPECT_EQ(problem(kSharedKey, kSharedTs, kSharedNonce, kSharedSignature, body, now + 300s), "");
    EXPECT_EQ(problem(kSharedKey, kSharedTs, kSharedNonce, kSharedSignature, body, now - 300s), "");
    EXPECT_THAT(problem(kSharedKey, kSharedTs, kSharedNonce, kSharedSignature, body, now + 301s), HasSubstr("300 s"));
    EXPECT_THAT(problem(kSharedKey, kSharedTs, kSharedNonce, kSharedSignature, body, now - 301s), HasSubstr("300 s"));
    EXPECT_THAT(problem(kSharedKey, "", kSharedNonce, kSharedSignature, body, now),
                HasSubstr("missing X-Lark-Request-Timestamp"));
    EXPECT_THAT(problem(kSharedKey, kSharedTs, "", kSharedSignature, body, now),
                HasSubstr("missing X-Lark-Request-Nonce"));
    EXPECT_THAT(problem(kSharedKey, kSharedTs, kSharedNonce, "", body, now), HasSubstr("missing X-Lark-Signature"));
    EXPECT_THAT(problem(kSharedKey, "1700000000000", kSharedNonce, kSharedSignature, body, now),
                HasSubstr("Unix time"));
    EXPECT_THAT(problem(kSharedKey, "17e8", kSharedNonce, kSharedSignature, body, now), HasSubstr("Unix time"));
    std::string upper = kSharedSignature;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_NE(problem(kSharedKey, kSharedTs, kSharedNonce, upper, body, now), "");
    EXPECT_NE(problem(kSharedKey, kSharedTs, kSharedNonce, kSharedSignature.substr(0, 63), body, now), "");
}

// ---- parsing ---------------------------------------------------------------------------

TEST(FeishuParse, DirectTextMessage) {
    auto p = fs::parse_event(message_event("  完成 42 已接通 \n").dump());
    ASSERT_TRUE(p && p->inbound);
    const Inbound& in = *p->inbound;
    EXPECT_EQ(in.platform, "feishu");
    EXPECT_EQ(in.event_id, "ev-1");
    EXPECT_EQ(in.user_id, "ou_wang");
    EXPECT_EQ(in.chat_id, "oc_chat1");
    EXPECT_TRUE(in.direct);
    EXPECT_EQ(in.text, "完成 42 已接通");
    EXPECT_FALSE(in.button);
    EXPECT_EQ(p->token, "vt-1");
    EXPECT_EQ(p->event_type, "im.message.receive_v1");
    EXPECT_EQ(p->created, std::optional<fu::TimePoint>(fu::from_unix(1700000000)));  // milliseconds
}

TEST(FeishuParse, GroupMessagesOnlyWhenMentioned) {
    json mention = json::array({{{"key", "@_user_1"}, {"id", {{"open_id", "ou_bot"}}}, {"name", "followup"}}});
    auto p = fs::parse_event(message_event("@_user_1 today", "group", mention).dump());
    ASSERT_TRUE(p && p->inbound);
    EXPECT_EQ(p->inbound->text, "today");
    EXPECT_FALSE(p->inbound->direct);
    auto chatter = fs::parse_event(message_event("lunch?", "group").dump());
    ASSERT_TRUE(chatter);
    EXPECT_FALSE(chatter->inbound);
    auto only_mention = fs::parse_event(message_event("@_user_1", "group", mention).dump());
    ASSERT_TRUE(only_mention);
    EXPECT_FALSE(only_mention->inbound);
}

TEST(FeishuParse, CardAction) {
    auto p = fs::parse_event(card_event({{"command", "done 17"}}).dump());
    ASSERT_TRUE(p && p->inbound);
    const Inbound& in = *p->inbound;
    EXPECT_TRUE(in.button);
    EXPECT_EQ(in.text, "done 17");
    EXPECT_EQ(in.user_id, "ou_wang");
    EXPECT_EQ(in.message_ref, "om_card1");
    EXPECT_EQ(in.chat_id, "oc_chat1");
    EXPECT_FALSE(in.direct);  // a group's chat must not become the user's direct chat
    EXPECT_EQ(in.event_id, "ev-card-1");
    EXPECT_EQ(p->created, std::optional<fu::TimePoint>(fu::from_unix(1700000000)));  // microseconds
    // The value as a JSON string; the ids at the top of the event (older surfaces).
    json older = card_event(json{{"command", "snooze 17 1h"}}.dump());
    older["event"].erase("context");
    older["event"]["open_message_id"] = "om_old";
    auto o = fs::parse_event(older.dump());
    ASSERT_TRUE(o && o->inbound);
    EXPECT_EQ(o->inbound->text, "snooze 17 1h");
    EXPECT_EQ(o->inbound->message_ref, "om_old");
    EXPECT_EQ(o->inbound->chat_id, "");
    // Components followupd did not make are acknowledged and ignored.
    for (const json& value : {json{{"action", "x"}}, json("plain"), json{{"command", ""}}}) {
        auto q = fs::parse_event(card_event(value).dump());
        ASSERT_TRUE(q) << value;
        EXPECT_FALSE(q->inbound) << value;
    }
}

TEST(FeishuParse, UrlVerificationAndIgnoredKinds) {
    auto v = fs::parse_event(R"({"challenge":"ajls384kdj","token":"vt-1","type":"url_verification"})");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->challenge, "ajls384kdj");
    EXPECT_EQ(v->token, "vt-1");
    EXPECT_FALSE(v->inbound);

    json image = message_event("x");
    image["event"]["message"]["message_type"] = "image";
    image["event"]["message"]["content"] = R"({"image_key":"img_1"})";
    json from_app = message_event("x");
    from_app["event"]["sender"]["sender_type"] = "app";
    json other = message_event("x");
    other["header"]["event_type"] = "im.chat.member.bot.added_v1";
    other["event"] = json::object();
    json v1 = {
        {"uuid", "u"}, {"token", "vt-1"}, {"ts", "1"}, {"type", "event_callback"}, {"event", {{"type", "message"}}}};
    for (const json& body : {image, from_app, other, v1, message_event("   ")}) {
        auto p = fs::parse_event(body.dump());
        ASSERT_TRUE(p) << body;
        EXPECT_FALSE(p->inbound) << body;
        EXPECT_EQ(p->challenge, "") << body;
    }
    EXPECT_EQ(fs::parse_event(v1.dump())->token, "vt-1");
}

TEST(FeishuParse, Malformed) {
    json no_header = message_event("x");
    no_header.erase("header");
    json no_event_id = message_event("x");
    no_event_id["header"].erase("event_id");
    json no_event = message_event("x");
    no_event.erase("event");
    json no_sender = message_event("x");
    no_sender["event"].erase("sender");
    json bad_content = message_event("x");
    bad_content["event"]["message"]["content"] = "{not json";
    json bad_time = message_event("x");
    bad_time["header"]["create_time"] = "soon";
    json no_operator = card_event({{"command", "x"}});
    no_operator["event"].erase("operator");
    for (const std::string& body :
         {std::string(""), std::string("{not json"), std::string("[]"), std::string("42"),
          std::string(R"({"type":"url_verification"})"), no_header.dump(), no_event_id.dump(), no_event.dump(),
          no_sender.dump(), bad_content.dump(), bad_time.dump(), no_operator.dump()})
        EXPECT_FALSE(fs::parse_event(body)) << body;
}

// ---- the checks before the Inbox (the options and signed bodies: feishu_kit.hpp) ------------

fs::Verdict check(const fs::Options& o, const Signed& s, fu::TimePoint now = kNow) {
    return fs::check_request(o, s.ts, s.nonce, s.signature, s.body, now);
}

fs::Verdict check_plain(const fs::Options& o, const std::string& body, fu::TimePoint now = kNow) {
    return fs::check_request(o, "", "", "", body, now);
}

TEST(FeishuCheck, EncryptedAndSigned) {
    const auto o = encrypted_options();
    auto v = check(o, seal_and_sign(message_event("today", "p2p", json::array(), "ev-1", ms(kNow)).dump()));
    EXPECT_EQ(v.status, 200u) << v.problem;
    ASSERT_TRUE(v.event.inbound);
    EXPECT_EQ(v.event.inbound->text, "today");

    Signed forged = seal_and_sign(message_event("today").dump());
    forged.signature = fs::sign(forged.ts, forged.nonce, "not the key", forged.body);
    v = check(o, forged);
    EXPECT_EQ(v.status, 401u);
    EXPECT_THAT(v.problem, HasSubstr("X-Lark-Signature does not match"));
    // Refused before decrypting: garbage with a bad signature is 401, not 400.
    Signed garbage = sign_raw("{garbage");
    garbage.signature = std::string(64, '0');
    EXPECT_EQ(check(o, garbage).status, 401u);
    // Stale or early.
    v = check(o, seal_and_sign(message_event("today").dump(), kNow - 301s));
    EXPECT_EQ(v.status, 401u);
    EXPECT_THAT(v.problem, HasSubstr("X-Lark-Request-Timestamp"));
    EXPECT_EQ(check(o, seal_and_sign(message_event("today").dump(), kNow + 301s)).status, 401u);
}

TEST(FeishuCheck, UnreadableSignedBodiesAre400) {
    const auto o = encrypted_options();
    auto problem_of = [&](const Signed& s) {
        auto v = check(o, s);
        EXPECT_EQ(v.status, 400u) << s.body;
        return v.problem;
    };
    EXPECT_THAT(problem_of(sign_raw("{not json")), HasSubstr("not a JSON object"));
    EXPECT_THAT(problem_of(sign_raw(R"({"schema":"2.0"})")), HasSubstr("\"encrypt\""));
    EXPECT_THAT(problem_of(sign_raw(R"({"encrypt":"%%%"})")), HasSubstr("base64"));
    const std::string raw = *crypto::base64_decode(seal(kKey, message_event("today").dump()));
    EXPECT_THAT(problem_of(sign_raw(json{{"encrypt", crypto::base64_encode(raw.substr(0, raw.size() - 3))}}.dump())),
                HasSubstr("truncated"));
    EXPECT_THAT(problem_of(sign_raw(json{{"encrypt", seal("wrong key", "{}", "0123456789abcdef")}}.dump())),
                HasSubstr("padding"));
    EXPECT_THAT(problem_of(sign_raw(json{{"encrypt", seal(kKey, "not json")}}.dump())),
                HasSubstr("decrypted body is not a JSON object"));
    json no_event = message_event("x");
    no_event.erase("event");
    EXPECT_THAT(problem_of(sign_raw(json{{"encrypt", seal(kKey, no_event.dump())}}.dump())), HasSubstr("schema 2.0"));
}

TEST(FeishuCheck, OnlyTheUrlCheckMayBeUnsigned) {
    const auto o = encrypted_options(kToken);
    const std::string challenge = R"({"challenge":"c-123","token":"vt-1","type":"url_verification"})";
    auto v = check_plain(o, json{{"encrypt", seal(kKey, challenge)}}.dump());
    EXPECT_EQ(v.status, 200u) << v.problem;
    EXPECT_EQ(v.event.challenge, "c-123");
    // Signed, it passes too.
    EXPECT_EQ(check(o, seal_and_sign(challenge)).event.challenge, "c-123");
    // Unsigned with another token, a plain body, an event, or garbage: refused as unsigned.
    v = check_plain(
        o, json{{"encrypt", seal(kKey, R"({"challenge":"c","token":"vt-x","type":"url_verification"})")}}.dump());
    EXPECT_EQ(v.status, 401u);
    EXPECT_THAT(v.problem, HasSubstr("verification token"));
    for (const std::string& body : {challenge, json{{"encrypt", seal(kKey, message_event("today").dump())}}.dump(),
                                    std::string("{garbage"), json{{"encrypt", "%%%"}}.dump()}) {
        v = check_plain(o, body);
        EXPECT_EQ(v.status, 401u) << body;
        EXPECT_THAT(v.problem, HasSubstr("missing X-Lark-Signature")) << body;
    }
}

TEST(FeishuCheck, VerificationTokenAlsoCheckedWhenEncrypted) {
    const auto o = encrypted_options(kToken);
    json other = message_event("today", "p2p", json::array(), "ev-2", ms(kNow));
    other["header"]["token"] = "vt-other";
    auto v = check(o, seal_and_sign(other.dump()));
    EXPECT_EQ(v.status, 401u);
    EXPECT_THAT(v.problem, HasSubstr("verification token does not match"));
    EXPECT_EQ(check(o, seal_and_sign(message_event("today", "p2p", json::array(), "ev-2", ms(kNow)).dump())).status,
              200u);
}

TEST(FeishuCheck, VerificationTokenMode) {
    const auto o = token_options();
    auto v = check_plain(o, message_event("today", "p2p", json::array(), "ev-1", ms(kNow)).dump());
    EXPECT_EQ(v.status, 200u) << v.problem;
    ASSERT_TRUE(v.event.inbound);
    v = check_plain(o, R"({"challenge":"c-9","token":"vt-1","type":"url_verification"})");
    EXPECT_EQ(v.event.challenge, "c-9");

    json wrong = message_event("today");
    wrong["header"]["token"] = "vt-2";
    json none = message_event("today");
    none["header"].erase("token");
    for (const std::string& body :
         {wrong.dump(), none.dump(), std::string(R"({"challenge":"c","token":"nope","type":"url_verification"})")}) {
        v = check_plain(o, body);
        EXPECT_EQ(v.status, 401u) << body;
        EXPECT_THAT(v.problem, HasSubstr("verification token")) << body;
    }
    v = check_plain(o, json{{"encrypt", seal(kKey, message_event("today").dump())}}.dump());
    EXPECT_EQ(v.status, 400u);
    EXPECT_THAT(v.problem, HasSubstr("encrypt_key is not set"));
    EXPECT_EQ(check_plain(o, "{not json").status, 400u);
}

TEST(FeishuCheck, CreateTimeWindow) {
    const auto o = token_options();
    auto at = [&](fu::TimePoint t) {
        return check_plain(o, message_event("today", "p2p", json::array(), "e", ms(t)).dump());
    };
    EXPECT_EQ(at(kNow - 7h).status, 200u);  // Feishu's last retry comes about 7 h after the event
    EXPECT_EQ(at(kNow + 300s).status, 200u);
    auto old = at(kNow - 8h - 1s);
    EXPECT_EQ(old.status, 401u);
    EXPECT_THAT(old.problem, HasSubstr("create_time is more than 28800 s old"));
    auto early = at(kNow + 301s);
    EXPECT_EQ(early.status, 401u);
    EXPECT_THAT(early.problem, HasSubstr("ahead of now"));
    // Card callbacks carry microseconds.
    json card = card_event({{"command", "done 1"}}, "e2", std::to_string((fu::to_unix(kNow) - 9 * 3600) * 1000000LL));
    EXPECT_EQ(check_plain(o, card.dump()).status, 401u);
}

// ---- rendering ----------------------------------------------------------------------------

TEST(FeishuRender, TextToAChat) {
    Outbound out;
    out.recipient = "ou_wang";
    out.chat_id = "oc_chat1";
    out.text = "已完成 #17 \"Acme\"\n下次：明天";
    auto call = fs::render(out);
    ASSERT_TRUE(call);
    EXPECT_EQ(call->method, "POST");
    EXPECT_EQ(call->path, "/open-apis/im/v1/messages?receive_id_type=chat_id");
    json body = json::parse(call->body);
    EXPECT_EQ(body["receive_id"], "oc_chat1");
    EXPECT_EQ(body["msg_type"], "text");
    ASSERT_TRUE(body["content"].is_string());  // a JSON string, not an object
    EXPECT_EQ(json::parse(body["content"].get<std::string>()), (json{{"text", out.text}}));
}

TEST(FeishuRender, CardToAUserWithButtons) {
    Outbound out;
    out.recipient = "ou_wang";
    out.kind = fu::MessageKind::reminder;
    out.text = "提醒：给 Acme 打电话";
    out.buttons = reminder_buttons();
    auto call = fs::render(out);
    ASSERT_TRUE(call);
    EXPECT_EQ(call->path, "/open-apis/im/v1/messages?receive_id_type=open_id");
    json body = json::parse(call->body);
    EXPECT_EQ(body["receive_id"], "ou_wang");
    EXPECT_EQ(body["msg_type"], "interactive");
    json card = json::parse(body["content"].get<std::string>());
    EXPECT_EQ(card["config"]["update_multi"], true);
    ASSERT_EQ(card["elements"].size(), 2u);
    EXPECT_EQ(card["elements"][0], (json{{"tag", "div"}, {"text", {{"tag", "plain_text"}, {"content", out.text}}}}));
    const json& actions = card["elements"][1]["actions"];
    EXPECT_EQ(card["elements"][1]["tag"], "action");
    ASSERT_EQ(actions.size(), 3u);
    EXPECT_EQ(actions[0], (json{{"tag", "button"},
                                {"text", {{"tag", "plain_text"}, {"content", "完成"}}},
                                {"type", "primary"},
                                {"value", {{"command", "完成 17"}}}}));
    EXPECT_EQ(actions[2]["value"]["command"], "推迟 17 明天上午9点");
    EXPECT_EQ(actions[2]["type"], "default");
}

TEST(FeishuRender, UpdateIsAPatchOfTheCard) {
    Outbound out;
    out.chat_id = "oc_chat1";
    out.replace_ref = "om_card1";
    out.text = "✓ 已完成\n— 王伟";
    auto call = fs::render(out);
    ASSERT_TRUE(call);
    EXPECT_EQ(call->method, "PATCH");
    EXPECT_EQ(call->path, "/open-apis/im/v1/messages/om_card1");
    json body = json::parse(call->body);
    EXPECT_EQ(body.size(), 1u);  // content only
    json card = json::parse(body["content"].get<std::string>());
    EXPECT_EQ(card["config"]["update_multi"], true);
    ASSERT_EQ(card["elements"].size(), 1u);  // the buttons are gone
    EXPECT_EQ(card["elements"][0]["text"]["content"], out.text);
    for (const char* ref : {"om_1/../../auth", "om_1?x=1", "om 1"}) {
        out.replace_ref = ref;
        EXPECT_FALSE(fs::render(out)) << ref;
    }
    EXPECT_FALSE(fs::render(Outbound{}));  // nowhere to send
}

// Feishu sends one message per uuid within an hour: every attempt at a
// delivery carries the delivery's key, so a retry after a lost answer is not
// shown twice. A card update (PATCH) is idempotent and has none.
TEST(FeishuRender, ANewMessageCarriesTheDeliverysKeyAsUuid) {
    Outbound out;
    out.recipient = "ou_1";
    out.text = "hello";
    EXPECT_FALSE(json::parse(fs::render(out)->body).contains("uuid"));  // not a delivery: nothing to repeat
    out.idempotency_key = "fu-42-1795399200";
    EXPECT_EQ(json::parse(fs::render(out)->body)["uuid"], "fu-42-1795399200");
    out.retry = true;
    EXPECT_EQ(json::parse(fs::render(out)->body)["uuid"], "fu-42-1795399200");  // the same on a retry
    out.buttons = {{"Done", "done 1"}};
    const json card = json::parse(fs::render(out)->body);
    EXPECT_EQ(card["msg_type"], "interactive");
    EXPECT_EQ(card["uuid"], "fu-42-1795399200");
    out.idempotency_key = std::string(51, 'k');  // over Feishu's 50: left out rather than refused
    EXPECT_FALSE(json::parse(fs::render(out)->body).contains("uuid"));
    out.idempotency_key = "fu-42-1795399200";
    out.replace_ref = "om_card1";
    EXPECT_FALSE(json::parse(fs::render(out)->body).contains("uuid"));
}

TEST(FeishuRender, ButtonsAndTruncation) {
    std::vector<Button> many;
    for (int i = 0; i < 8; ++i) many.push_back({"B" + std::to_string(i), "cmd " + std::to_string(i)});
    json card = json::parse(fs::render_card("x", many));
    ASSERT_EQ(card["elements"][1]["actions"].size(), 5u);
    json odd = json::parse(fs::render_card(
        "x", {{"empty", ""}, {"huge", std::string(1001, 'a')}, {"", "today"}, {std::string(200, 'L'), "long"}}));
    const json& actions = odd["elements"][1]["actions"];
    ASSERT_EQ(actions.size(), 2u);
    EXPECT_EQ(actions[0]["text"]["content"], "today");
    EXPECT_EQ(actions[1]["text"]["content"], std::string(97, 'L') + "…");
    // Only unusable buttons: a text message.
    Outbound out;
    out.recipient = "ou_1";
    out.text = "x";
    out.buttons = {{"empty", ""}};
    EXPECT_EQ(json::parse(fs::render(out)->body)["msg_type"], "text");

    EXPECT_EQ(fs::fit("", 10), "…");
    EXPECT_EQ(fs::fit("abc", 3), "abc");
    EXPECT_EQ(fs::fit("abcdef", 5), "ab…");
    EXPECT_EQ(fs::fit("跟进跟进", 8), "跟…");  // whole characters only (3 bytes each)
    std::string zh;
    for (int i = 0; i < 10000; ++i) zh += "跟";
    const std::string cut = json::parse(fs::render_card(zh, {}))["elements"][0]["text"]["content"].get<std::string>();
    EXPECT_LE(cut.size(), fs::kMaxCardTextBytes);
    EXPECT_EQ(cut.size(), (fs::kMaxCardTextBytes - 3) / 3 * 3 + 3);
}

TEST(FeishuRender, TablesAreCodeBlocksInACardSoTheirColumnsLineUp) {
    Outbound out;
    out.recipient = "ou_li";
    out.text =
        "📊 团队 East Sales\n现在 11月23日 周一 10:00\n```\n销售     待办 逾期\nWang Wei    3    2\n赵六        0    "
        "0\n```\n"
        "今到：今天到期";
    auto call = fs::render(out);
    ASSERT_TRUE(call);
    json body = json::parse(call->body);
    EXPECT_EQ(body["msg_type"], "interactive");  // a text message would show the table in a proportional font
    json card = json::parse(body["content"].get<std::string>());
    ASSERT_EQ(card["elements"].size(), 3u) << card.dump();
    EXPECT_EQ(card["elements"][0]["text"]["content"], "📊 团队 East Sales\n现在 11月23日 周一 10:00");
    EXPECT_EQ(card["elements"][1],
              (json{{"tag", "markdown"},
                    {"content", "```\n销售     待办 逾期\nWang Wei    3    2\n赵六        0    0\n```"}}));
    EXPECT_EQ(card["elements"][2]["text"]["content"], "今到：今天到期");

    // With buttons (team's "overdue"), the table stays a code block above them.
    out.buttons = {{"逾期", "逾期"}};
    card = json::parse(json::parse(fs::render(out)->body)["content"].get<std::string>());
    ASSERT_EQ(card["elements"].size(), 4u);
    EXPECT_EQ(card["elements"][1]["tag"], "markdown");
    EXPECT_EQ(card["elements"][3]["tag"], "action");

    // An unclosed fence runs to the end; text with no fence stays a text message.
    out.buttons.clear();
    out.text = "x\n```\na b\nc d";
    card = json::parse(json::parse(fs::render(out)->body)["content"].get<std::string>());
    ASSERT_EQ(card["elements"].size(), 2u);
    EXPECT_EQ(card["elements"][1]["content"], "```\na b\nc d\n```");
    out.text = "no table here";
    EXPECT_EQ(json::parse(fs::render(out)->body)["msg_type"], "text");
}

TEST(FeishuRender, TokenRequestAndAnswer) {
    auto call = fs::render_token_request("cli_a1", "s3cret");
    EXPECT_EQ(call.method, "POST");
    EXPECT_EQ(call.path, "/open-apis/auth/v3/tenant_access_token/internal");
    EXPECT_EQ(json::parse(call.body), (json{{"app_id", "cli_a1"}, {"app_secret", "s3cret"}}));
    AccessToken t = fs::parse_token(200, R"({"code":0,"msg":"ok","tenant_access_token":"t-abc","expire":7140})");
    EXPECT_EQ(t.value, "t-abc");
    EXPECT_EQ(t.lifetime, 7140s);
    EXPECT_EQ(fs::parse_token(200, R"({"code":0,"tenant_access_token":"t-abc"})").lifetime, 7200s);
    auto why = [](unsigned status, const std::string& body) {
        try {
            fs::parse_token(status, body);
        } catch (const TokenError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(why(400, R"({"code":10014,"msg":"app secret invalid"})"), "HTTP 400: code 10014 app secret invalid");
    EXPECT_THAT(why(200, R"({"code":0,"msg":"ok"})"), HasSubstr("code 0"));
    EXPECT_THAT(why(502, "<html>"), HasSubstr("HTTP 502"));
}

// ---- answers ------------------------------------------------------------------------------

TEST(FeishuInterpret, Sent) {
    auto r = fs::interpret(200, "", R"({"code":0,"msg":"success","data":{"message_id":"om_new","chat_id":"oc_p2p",
        "msg_type":"interactive"}})",
                           "");
    EXPECT_EQ(r.status, Status::sent);
    EXPECT_EQ(r.message_ref, "om_new");
    EXPECT_EQ(r.chat_id, "oc_p2p");
    auto patched = fs::interpret(200, "", R"({"code":0,"msg":"success","data":{}})", "om_card1");
    EXPECT_EQ(patched.status, Status::sent);
    EXPECT_EQ(patched.message_ref, "om_card1");
}

TEST(FeishuInterpret, RetriesAndFailures) {
    auto limited = fs::interpret(429, "7", R"({"code":99991400,"msg":"request trigger frequency limit"})", "");
    EXPECT_EQ(limited.status, Status::retry);
    EXPECT_EQ(limited.retry_after, std::optional<std::chrono::seconds>(7s));
    EXPECT_THAT(limited.error, HasSubstr("99991400"));
    auto old_style = fs::interpret(400, "", R"({"code":99991400,"msg":"request trigger frequency limit"})", "");
    EXPECT_EQ(old_style.status, Status::retry);
    EXPECT_FALSE(old_style.retry_after);
    EXPECT_EQ(fs::interpret(400, "2", R"({"code":230020,"msg":"frequency limit"})", "").status, Status::retry);
    EXPECT_EQ(fs::interpret(500, "", "oops", "").status, Status::retry);
    EXPECT_EQ(fs::interpret(200, "", "<html>", "").status, Status::retry);
    EXPECT_EQ(fs::interpret(400, "", R"({"code":99991663,"msg":"Invalid access token for authorization."})", "").status,
              Status::retry);
    auto not_in_chat = fs::interpret(400, "", R"({"code":230002,"msg":"Bot/User can NOT be out of the chat."})", "");
    EXPECT_EQ(not_in_chat.status, Status::failed);
    EXPECT_EQ(not_in_chat.error, "HTTP 400: code 230002 Bot/User can NOT be out of the chat.");
    EXPECT_EQ(fs::interpret(404, "", "not found", "").status, Status::failed);
    EXPECT_EQ(fs::interpret(200, "", R"({"code":230001,"msg":"invalid"})", "").status, Status::failed);

    EXPECT_TRUE(fs::token_refused(R"({"code":99991663,"msg":"Invalid access token for authorization."})"));
    EXPECT_TRUE(fs::token_refused(R"({"code":99991661,"msg":"Missing access token for authorization."})"));
    EXPECT_FALSE(fs::token_refused(R"({"code":230002})"));
    EXPECT_FALSE(fs::token_refused("<html>"));
}

}  // namespace
