// Slack's protocol (signatures, events, slash commands, Block Kit), then the
// adapter against a fake Web API on loopback. Past 500 lines on purpose: the
// protocol's helpers and sample bodies serve both halves.
#include "adapters/slack/slack.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "adapter_fakes.hpp"

namespace {
using namespace std::chrono_literals;
using fu::Button;
using fu::Inbound;
using fu::adapters::Outbound;
using fu::adapters::SendResult;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
namespace sl = fu::adapters::slack;
namespace asio = boost::asio;
namespace http = boost::beast::http;
using Status = SendResult::Status;

// ---- signatures ------------------------------------------------------------------

// Slack's own example (PLATFORMS.md, from api.slack.com "Verifying requests from Slack").
const std::string kOfficialSecret = "8f742231b10e8888abcd99yyyzzz85a5";
const std::string kOfficialTs = "1531420618";
const std::string kOfficialBody =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
    "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack."
    "com"
    "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
    "803a0bc887a14d10d2c447fce8b6703c";
const std::string kOfficialSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

// Shared with tests/peers/slack.test.mjs, where @slack/bolt's verifySlackRequest accepts it too.
const std::string kSharedSecret = "followupd-shared-slack-secret";
const std::string kSharedTs = "1700000000";
const std::string kSharedBody =
    "token=x&team_id=T0FU&channel_id=D0MARIA&user_id=U123&command=%2Ffollowup&text=today+%E4%BB%8A%E5%A4%A9"
    "&trigger_id=1700000000.1.abc";
const std::string kSharedSignature = "v0=7d32d99f4ef43b7cfb66fdd54205d56a3acd97dd8b38053f92053be8ee84802f";

fu::TimePoint at(const std::string& ts) { return fu::from_unix(std::stoll(ts)); }

TEST(SlackSignature, OfficialVector) {
    EXPECT_EQ(sl::sign_v0(kOfficialSecret, kOfficialTs, kOfficialBody), kOfficialSignature);
}

TEST(SlackSignature, SharedVectorWithThePeerTest) {
    EXPECT_EQ(sl::sign_v0(kSharedSecret, kSharedTs, kSharedBody), kSharedSignature);
    EXPECT_EQ(sl::signature_problem(kSharedSecret, kSharedTs, kSharedSignature, kSharedBody, at(kSharedTs), 300s), "");
}

TEST(SlackSignature, Verification) {
    const auto now = at(kOfficialTs);
    auto problem = [&](const std::string& secret, const std::string& ts, const std::string& sig,
                       const std::string& body,
                       fu::TimePoint when) { return sl::signature_problem(secret, ts, sig, body, when, 300s); };
    EXPECT_EQ(problem(kOfficialSecret, kOfficialTs, kOfficialSignature, kOfficialBody, now), "");
    EXPECT_THAT(problem("8f742231b10e8888abcd99yyyzzz85a6", kOfficialTs, kOfficialSignature, kOfficialBody, now),
                HasSubstr("does not match"));
    EXPECT_THAT(problem(kOfficialSecret, kOfficialTs, kOfficialSignature, kOfficialBody + "&x=1", now),
                HasSubstr("does not match"));
    // The window holds both ways: 300 s is fine, 301 s is not.
    EXPECT_EQ(problem(kOfficialSecret, kOfficialTs, kOfficialSignature, kOfficialBody, now + 300s), "");
    EXPECT_EQ(problem(kOfficialSecret, kOfficialTs, kOfficialSignature, kOfficialBody, now - 300s), "");
    EXPECT_THAT(problem(kOfficialSecret, kOfficialTs, kOfficialSignature, kOfficialBody, now + 301s),
                HasSubstr("more than 300 s"));
    EXPECT_THAT(problem(kOfficialSecret, kOfficialTs, kOfficialSignature, kOfficialBody, now - 301s),
                HasSubstr("more than 300 s"));
    EXPECT_THAT(problem(kOfficialSecret, "", kOfficialSignature, kOfficialBody, now), HasSubstr("missing"));
    EXPECT_THAT(problem(kOfficialSecret, kOfficialTs, "", kOfficialBody, now), HasSubstr("missing"));
    EXPECT_THAT(problem(kOfficialSecret, "1531420618.5", kOfficialSignature, kOfficialBody, now),
                HasSubstr("Unix time"));
    EXPECT_THAT(problem(kOfficialSecret, "-1", kOfficialSignature, kOfficialBody, now), HasSubstr("Unix time"));
    // Other versions, upper-case hex, cut or padded signatures.
    std::string v1 = kOfficialSignature;
    v1[1] = '1';
    EXPECT_NE(problem(kOfficialSecret, kOfficialTs, v1, kOfficialBody, now), "");
    std::string upper = kOfficialSignature;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_NE(problem(kOfficialSecret, kOfficialTs, upper, kOfficialBody, now), "");
    EXPECT_NE(problem(kOfficialSecret, kOfficialTs, kOfficialSignature.substr(0, 40), kOfficialBody, now), "");
    EXPECT_NE(problem(kOfficialSecret, kOfficialTs, kOfficialSignature + "0", kOfficialBody, now), "");
    EXPECT_NE(problem("", kOfficialTs, sl::sign_v0("", kOfficialTs, kOfficialBody), kOfficialBody, now), "");
}

// ---- parsing -------------------------------------------------------------------------

const char* kDirectMessage = R"({"token":"x","team_id":"T0FU","api_app_id":"A1","type":"event_callback",
    "event_id":"Ev0PV52K21","event_time":1700000000,
    "event":{"type":"message","channel":"D0MARIA","user":"U123","text":"customer add A&amp;B &lt;Ltd&gt;",
             "ts":"1700000000.000100","event_ts":"1700000000.000100","channel_type":"im"}})";

TEST(SlackParse, DirectMessage) {
    auto p = sl::parse_event(kDirectMessage, "UBOT");
    ASSERT_TRUE(p && p->inbound);
    const Inbound& in = *p->inbound;
    EXPECT_EQ(in.platform, "slack");
    EXPECT_EQ(in.event_id, "Ev0PV52K21");
    EXPECT_EQ(in.user_id, "U123");
    EXPECT_EQ(in.chat_id, "D0MARIA");
    EXPECT_TRUE(in.direct);
    EXPECT_EQ(in.text, "customer add A&B <Ltd>");  // Slack's escapes undone
    EXPECT_FALSE(in.button);
    EXPECT_EQ(in.message_ref, "");
}

TEST(SlackParse, AppMentionIsStripped) {
    auto p = sl::parse_event(R"({"type":"event_callback","event_id":"Ev2","event":{"type":"app_mention",
        "channel":"C0SALES","user":"U123","text":"<@UBOT> mail <mailto:a@b.com|a@b.com> 明天","ts":"1.2"}})",
                             "UBOT");
    ASSERT_TRUE(p && p->inbound);
    EXPECT_EQ(p->inbound->text, "mail a@b.com 明天");
    EXPECT_EQ(p->inbound->chat_id, "C0SALES");
    EXPECT_FALSE(p->inbound->direct);
    EXPECT_EQ(sl::strip_mention("<@UBOT|followup>  today", "UBOT"), "today");
    EXPECT_EQ(sl::strip_mention("ask <@U9> and <@UBOT>", "UBOT"), "ask <@U9> and");
    EXPECT_EQ(sl::strip_mention("<@UANY> today", ""), "today");  // no bot id: the leading mention
    EXPECT_EQ(sl::strip_mention("hi <@UANY>", ""), "hi <@UANY>");
}

TEST(SlackParse, IgnoredEvents) {
    for (
        const char* body :
        {R"({"type":"event_callback","event_id":"E1","event":{"type":"message","subtype":"message_changed","channel":"D1","channel_type":"im","message":{}}})",
         R"({"type":"event_callback","event_id":"E2","event":{"type":"message","bot_id":"B1","user":"U5","channel":"D1","channel_type":"im","text":"Call Acme"}})",
         R"({"type":"event_callback","event_id":"E3","event":{"type":"message","subtype":"channel_join","user":"U1","channel":"C1","text":"joined"}})",
         R"({"type":"event_callback","event_id":"E4","event":{"type":"message","user":"UBOT","channel":"D1","channel_type":"im","text":"mine"}})",
         R"({"type":"event_callback","event_id":"E5","event":{"type":"message","user":"U1","channel":"C1","channel_type":"channel","text":"chatter"}})",
         R"({"type":"event_callback","event_id":"E6","event":{"type":"reaction_added","user":"U1"}})",
         R"({"type":"event_callback","event_id":"E7","event":{"type":"app_mention","user":"U1","channel":"C1","text":"<@UBOT>"}})",
         R"({"type":"app_rate_limited","minute_rate_limited":1518467820})"}) {
        auto p = sl::parse_event(body, "UBOT");
        ASSERT_TRUE(p) << body;
        EXPECT_FALSE(p->inbound) << body;
        EXPECT_EQ(p->challenge, "") << body;
    }
}

TEST(SlackParse, MalformedEvents) {
    for (const char* body : {"", "{not json", "[]", "42", R"({"event_id":"E1"})", R"({"type":"url_verification"})",
                             R"({"type":"event_callback","event":{"type":"message"}})",
                             R"({"type":"event_callback","event_id":"E1","event":"message"})"})
        EXPECT_FALSE(sl::parse_event(body, "UBOT")) << body;
    auto v = sl::parse_event(
        R"({"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})",
        "");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->challenge, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
}

TEST(SlackParse, SlashCommandForm) {
    auto p = sl::parse_command(
        "token=x&team_id=T0FU&channel_id=C0SALES&user_id=U123&command=%2Ffollowup"
        "&text=followup+Acme+in+2h+%E6%89%93%E7%94%B5%E8%AF%9D+%26+mail+1%2B1&trigger_id=13345224609.738474920."
        "8088930838d88f008e0");
    ASSERT_TRUE(p && p->inbound);
    const Inbound& in = *p->inbound;
    EXPECT_EQ(in.text, "followup Acme in 2h 打电话 & mail 1+1");
    EXPECT_EQ(in.event_id, "13345224609.738474920.8088930838d88f008e0");
    EXPECT_EQ(in.user_id, "U123");
    EXPECT_EQ(in.chat_id, "C0SALES");
    EXPECT_FALSE(in.direct);
    EXPECT_FALSE(in.button);
    auto dm = sl::parse_command(kSharedBody);
    ASSERT_TRUE(dm && dm->inbound);
    EXPECT_TRUE(dm->inbound->direct);
    EXPECT_EQ(dm->inbound->text, "today 今天");
    // A bare `/followup` asks for help.
    auto bare = sl::parse_command("user_id=U1&channel_id=D1&trigger_id=t&text=");
    ASSERT_TRUE(bare && bare->inbound);
    EXPECT_EQ(bare->inbound->text, "help");
    EXPECT_FALSE(sl::parse_command("user_id=U1&channel_id=D1&text=today"));  // no trigger_id
    EXPECT_FALSE(sl::parse_command("channel_id=D1&trigger_id=t&text=today"));
    EXPECT_FALSE(sl::parse_command("user_id=U1&channel_id=D1&trigger_id=t&text=%ZZ"));
    EXPECT_FALSE(sl::parse_command("{\"user_id\":\"U1\"}"));
}

std::string form_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
            out += static_cast<char>(c);
        else if (c == ' ')
            out += '+';
        else
            out += {'%', hex[c >> 4], hex[c & 15]};
    }
    return out;
}

std::string block_actions(const std::string& value, const std::string& user = "U123") {
    json payload = {{"type", "block_actions"},
                    {"user", {{"id", user}, {"username", "maria"}, {"team_id", "T0FU"}}},
                    {"api_app_id", "A1"},
                    {"container",
                     {{"type", "message"},
                      {"message_ts", "1700000100.000200"},
                      {"channel_id", "D0MARIA"},
                      {"is_ephemeral", false}}},
                    {"trigger_id", "123.456.789"},
                    {"channel", {{"id", "D0MARIA"}, {"name", "directmessage"}}},
                    {"response_url", "https://hooks.slack.com/actions/T0FU/1/xyz"},
                    {"actions",
                     {{{"action_id", "fu_0"},
                       {"block_id", "b1"},
                       {"text", {{"type", "plain_text"}, {"text", "Done"}}},
                       {"value", value},
                       {"type", "button"},
                       {"action_ts", "1700000123.456789"}}}}};
    return "payload=" + form_encode(payload.dump());
}

TEST(SlackParse, BlockActions) {
    auto p = sl::parse_interaction(block_actions("done 17"));
    ASSERT_TRUE(p && p->inbound);
    const Inbound& in = *p->inbound;
    EXPECT_TRUE(in.button);
    EXPECT_EQ(in.text, "done 17");
    EXPECT_EQ(in.user_id, "U123");
    EXPECT_EQ(in.chat_id, "D0MARIA");
    EXPECT_TRUE(in.direct);
    EXPECT_EQ(in.message_ref, "D0MARIA:1700000100.000200");
    EXPECT_EQ(in.event_id, "1700000123.456789:U123");
    EXPECT_NE(sl::parse_interaction(block_actions("done 17", "U456"))->inbound->event_id, in.event_id);
    // Other interaction kinds are acknowledged and ignored; broken forms are refused.
    auto shortcut = sl::parse_interaction("payload=" + form_encode(R"({"type":"shortcut","user":{"id":"U1"}})"));
    ASSERT_TRUE(shortcut);
    EXPECT_FALSE(shortcut->inbound);
    EXPECT_FALSE(sl::parse_interaction("text=hello"));
    EXPECT_FALSE(sl::parse_interaction("payload=" + form_encode("{not json")));
    EXPECT_FALSE(sl::parse_interaction("payload=" + form_encode(R"({"type":"block_actions","actions":[]})")));
}

// ---- rendering --------------------------------------------------------------------------

std::vector<Button> reminder_buttons() {
    return {{"Done", "done 17"}, {"Snooze 1h", "snooze 17 1h"}, {"Tomorrow 9:00", "snooze 17 tomorrow 9:00"}};
}

TEST(SlackRender, PostMessageWithBlocks) {
    Outbound out;
    out.recipient = "U123";
    out.chat_id = "D0MARIA";
    out.text = "Call *Acme* <now> & then";
    out.buttons = reminder_buttons();
    auto call = sl::render(out, "D0MARIA");
    ASSERT_TRUE(call);
    EXPECT_EQ(call->method, "chat.postMessage");
    json body = json::parse(call->body);
    EXPECT_EQ(body["channel"], "D0MARIA");
    EXPECT_EQ(body["text"], "Call *Acme* &lt;now&gt; &amp; then");
    ASSERT_EQ(body["blocks"].size(), 2u);
    EXPECT_EQ(
        body["blocks"][0],
        (json{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", "Call *Acme* &lt;now&gt; &amp; then"}}}}));
    const json& actions = body["blocks"][1];
    EXPECT_EQ(actions["type"], "actions");
    ASSERT_EQ(actions["elements"].size(), 3u);
    EXPECT_EQ(actions["elements"][0], (json{{"type", "button"},
                                            {"text", {{"type", "plain_text"}, {"text", "Done"}}},
                                            {"value", "done 17"},
                                            {"action_id", "fu_0"}}));
    EXPECT_EQ(actions["elements"][2]["action_id"], "fu_2");
    EXPECT_EQ(actions["elements"][2]["text"]["text"], "Tomorrow 9:00");
    EXPECT_FALSE(body.contains("ts"));
}

TEST(SlackRender, UpdateWithoutButtonsDropsTheActions) {
    Outbound out;
    out.chat_id = "D0MARIA";
    out.replace_ref = "D0MARIA:1700000100.000200";
    out.text = "✓ Done: Call Acme\n— Maria";
    auto call = sl::render(out, "D0MARIA");
    ASSERT_TRUE(call);
    EXPECT_EQ(call->method, "chat.update");
    json body = json::parse(call->body);
    EXPECT_EQ(body["channel"], "D0MARIA");
    EXPECT_EQ(body["ts"], "1700000100.000200");
    EXPECT_EQ(body["text"], "✓ Done: Call Acme\n— Maria");
    ASSERT_EQ(body["blocks"].size(), 1u);
    out.replace_ref = "no-colon";
    EXPECT_FALSE(sl::render(out, "D0MARIA"));
    out.replace_ref = "D1:";
    EXPECT_FALSE(sl::render(out, "D0MARIA"));
}

TEST(SlackRender, ButtonCapAndOddButtons) {
    std::vector<Button> many;
    for (int i = 0; i < 8; ++i) many.push_back({"B" + std::to_string(i), "cmd " + std::to_string(i)});
    json blocks = json::parse(sl::render_blocks("x", many));
    ASSERT_EQ(blocks[1]["elements"].size(), 5u);
    EXPECT_EQ(blocks[1]["elements"][4]["value"], "cmd 4");
    EXPECT_EQ(blocks[1]["elements"][4]["action_id"], "fu_4");
    // Empty or oversized commands are dropped; an empty label shows the command; long labels are cut.
    json odd = json::parse(sl::render_blocks(
        "x", {{"empty", ""}, {"huge", std::string(2001, 'a')}, {"", "today"}, {std::string(100, 'L'), "long"}}));
    ASSERT_EQ(odd[1]["elements"].size(), 2u);
    EXPECT_EQ(odd[1]["elements"][0]["text"]["text"], "today");
    EXPECT_EQ(odd[1]["elements"][0]["action_id"], "fu_0");
    EXPECT_EQ(odd[1]["elements"][1]["text"]["text"], std::string(74, 'L') + "…");
    EXPECT_EQ(json::parse(sl::render_blocks("x", {})).size(), 1u);
}

TEST(SlackRender, Truncation) {
    EXPECT_EQ(sl::fit_escaped(std::string(3000, 'a'), 3000), std::string(3000, 'a'));
    EXPECT_EQ(sl::fit_escaped(std::string(3001, 'a'), 3000), std::string(2999, 'a') + "…");
    EXPECT_EQ(sl::fit_escaped("", 3000), "…");
    EXPECT_EQ(sl::fit_escaped("ab   cdef", 6), "ab…");
    // An escape is never cut: "a&b" is 7 units escaped.
    EXPECT_EQ(sl::fit_escaped("a&b", 7), "a&amp;b");
    EXPECT_EQ(sl::fit_escaped("a&b", 6), "a…");
    std::string zh;
    for (int i = 0; i < 4000; ++i) zh += "跟";
    std::string cut = sl::fit_escaped(zh, 3000);
    EXPECT_EQ(cut.size(), 2999u * 3 + 3);  // whole characters, then the ellipsis
    EXPECT_EQ(sl::escape("<@U1> & co"), "&lt;@U1&gt; &amp; co");
    Outbound out;
    out.text = std::string(5000, '<');
    json body = json::parse(sl::render(out, "C1")->body);
    EXPECT_EQ(body["blocks"][0]["text"]["text"].get<std::string>(), [] {
        std::string s;
        for (int i = 0; i < 749; ++i) s += "&lt;";
        return s + "…";
    }());
    EXPECT_EQ(body["text"].get<std::string>().size(), 5000u * 4);  // the fallback allows 40,000
}

// ---- answers ------------------------------------------------------------------------------

TEST(SlackInterpret, Sent) {
    auto r = sl::interpret(
        200, "", R"({"ok":true,"channel":"D0MARIA","ts":"1700000100.000200","message":{"text":"x"}})", "D0MARIA");
    EXPECT_EQ(r.status, Status::sent);
    EXPECT_EQ(r.message_ref, "D0MARIA:1700000100.000200");
    EXPECT_EQ(r.chat_id, "D0MARIA");
    auto bare = sl::interpret(200, "", R"({"ok":true})", "C1");
    EXPECT_EQ(bare.status, Status::sent);
    EXPECT_EQ(bare.chat_id, "C1");
}

TEST(SlackInterpret, RateLimits) {
    auto r = sl::interpret(429, "7", "", "C1");
    EXPECT_EQ(r.status, Status::retry);
    EXPECT_EQ(r.retry_after, std::optional<std::chrono::seconds>(7s));
    EXPECT_THAT(r.error, HasSubstr("429"));
    auto no_header = sl::interpret(429, "", R"({"ok":false,"error":"ratelimited"})", "C1");
    EXPECT_EQ(no_header.status, Status::retry);
    EXPECT_FALSE(no_header.retry_after);
    auto in_body = sl::interpret(200, "3", R"({"ok":false,"error":"ratelimited"})", "C1");
    EXPECT_EQ(in_body.status, Status::retry);
    EXPECT_EQ(in_body.retry_after, std::optional<std::chrono::seconds>(3s));
    EXPECT_THAT(in_body.error, HasSubstr("ratelimited"));
}

TEST(SlackInterpret, ServerTroubleRetries) {
    EXPECT_EQ(sl::interpret(500, "", "oops", "C1").status, Status::retry);
    EXPECT_EQ(sl::interpret(503, "", R"({"ok":false,"error":"service_unavailable"})", "C1").status, Status::retry);
    EXPECT_EQ(sl::interpret(200, "", R"({"ok":false,"error":"internal_error"})", "C1").status, Status::retry);
    EXPECT_EQ(sl::interpret(200, "", "<html>", "C1").status, Status::retry);
}

TEST(SlackInterpret, PlatformRefusalsFail) {
    for (const char* error :
         {"channel_not_found", "not_in_channel", "invalid_auth", "msg_too_long", "cant_update_message"}) {
        auto r = sl::interpret(200, "", std::string(R"({"ok":false,"error":")") + error + "\"}", "C1");
        EXPECT_EQ(r.status, Status::failed) << error;
        EXPECT_EQ(r.error, error);
    }
    EXPECT_EQ(sl::interpret(404, "", "not found", "C1").status, Status::failed);
}

// ---- the adapter against a fake Web API ------------------------------------------------------

using fu::test::FakeApi;

// The Web API lives under /api.
const std::string kApiPath = "/api";

// chat.*: ok with the channel and a ts; conversations.open: DM D0NEW.
fu::test::Response web_api_ok(const fu::test::Request& req) {
    if (req.target().ends_with("/conversations.open"))
        return FakeApi::reply(200, R"({"ok":true,"channel":{"id":"D0NEW"}})");
    json body = json::parse(req.body());
    return FakeApi::reply(200, json{{"ok", true}, {"channel", body["channel"]}, {"ts", "1700000200.000300"}}.dump());
}

const std::string kToken = "xoxb-0000-SECRET-token";
const std::string kSecret = "hook-signing-secret";
const auto kNow = fu::from_unix(1700000000);

struct Harness : fu::test::AdapterHarnessBase {
    explicit Harness(const std::string& base) : AdapterHarnessBase("U666") {
        sl::Options o;
        o.bot_token = kToken;
        o.signing_secret = kSecret;
        o.api_base = base;
        o.bot_user_id = "UBOT";
        adapter = std::make_unique<sl::SlackAdapter>(ioc.get_executor(), http, std::move(o), clock);
        start();
    }
    ~Harness() { stop(); }
    // A request signed now (or as told), as Slack sends it.
    fu::net::Response hook(const std::string& path, const std::string& body, std::string content_type = "",
                           std::optional<std::string> signature = std::nullopt,
                           std::optional<std::string> ts = std::nullopt) {
        fu::net::Request req{http::verb::post, "/hooks/slack/" + path, 11};
        const std::string stamp = ts.value_or(std::to_string(fu::to_unix(clock.now())));
        if (!stamp.empty()) req.set("X-Slack-Request-Timestamp", stamp);
        const std::string sig = signature.value_or(sl::sign_v0(kSecret, stamp, body));
        if (!sig.empty()) req.set("X-Slack-Signature", sig);
        if (content_type.empty())
            content_type = path == "events" ? "application/json" : "application/x-www-form-urlencoded";
        req.set(http::field::content_type, content_type);
        req.body() = body;
        req.prepare_payload();
        return run(fu::adapters::serve_webhook(*adapter, inbox, req));
    }

    fu::FakeClock clock{kNow};
    std::unique_ptr<sl::SlackAdapter> adapter;
};

TEST(SlackAdapter, RefusesUnsignedStaleAndForgedRequests) {
    FakeApi api(web_api_ok, kApiPath);
    Harness h(api.base());
    const std::string body = kDirectMessage;
    const std::string now = std::to_string(fu::to_unix(kNow));
    EXPECT_EQ(h.hook("events", body, "", sl::sign_v0("wrong-secret", now, body)).result_int(), 401);
    EXPECT_EQ(h.hook("events", body, "", "").result_int(), 401);                // no signature
    EXPECT_EQ(h.hook("events", body, "", std::nullopt, "").result_int(), 401);  // no timestamp
    const std::string stale = std::to_string(fu::to_unix(kNow) - 301);
    const std::string future = std::to_string(fu::to_unix(kNow) + 301);
    EXPECT_EQ(h.hook("events", body, "", sl::sign_v0(kSecret, stale, body), stale).result_int(), 401);
    EXPECT_EQ(h.hook("commands", kSharedBody, "", sl::sign_v0(kSecret, future, kSharedBody), future).result_int(), 401);
    auto forged = h.hook("interactive", block_actions("done 17"), "", "v0=" + std::string(64, '0'));
    EXPECT_EQ(forged.result_int(), 401);
    EXPECT_THAT(forged.body(), HasSubstr("does not match"));
    // Refused before parsing: even garbage gets 401, not 400.
    EXPECT_EQ(h.hook("events", "{garbage", "", "v0=00").result_int(), 401);
    EXPECT_TRUE(h.inbox.got().empty());
    EXPECT_TRUE(api.calls().empty());
    // The same request, signed within the window, passes.
    const std::string edge = std::to_string(fu::to_unix(kNow) - 300);
    EXPECT_EQ(h.hook("events", body, "", sl::sign_v0(kSecret, edge, body), edge).result_int(), 200);
    EXPECT_EQ(h.inbox.got().size(), 1u);
}

TEST(SlackAdapter, UrlVerificationAndEvents) {
    FakeApi api(web_api_ok, kApiPath);
    Harness h(api.base());
    auto challenge = h.hook("events", R"({"token":"t","challenge":"abc123","type":"url_verification"})");
    EXPECT_EQ(challenge.result_int(), 200);
    EXPECT_EQ(json::parse(challenge.body()), (json{{"challenge", "abc123"}}));
    auto res = h.hook("events", kDirectMessage);
    EXPECT_EQ(res.result_int(), 200);
    ASSERT_EQ(h.inbox.got().size(), 1u);
    EXPECT_EQ(h.inbox.got()[0].event_id, "Ev0PV52K21");
    EXPECT_EQ(h.hook("events", R"({"type":"event_callback","event_id":"E9","event":{"type":"message","bot_id":"B1",
        "channel":"D0MARIA","channel_type":"im","text":"x"}})")
                  .result_int(),
              200);
    EXPECT_EQ(h.inbox.got().size(), 1u);  // bot messages are ignored
    EXPECT_EQ(h.hook("events", "{not json").result_int(), 400);
    EXPECT_EQ(h.hook("nowhere", "{}").result_int(), 404);
    fu::net::Request get{http::verb::get, "/hooks/slack/events", 11};
    EXPECT_EQ(h.run(fu::adapters::serve_webhook(*h.adapter, h.inbox, get)).result_int(), 405);
    EXPECT_TRUE(api.calls().empty());  // a registered user's reply goes through the outbox
    h.inbox.fail(true);
    EXPECT_EQ(h.hook("events", kDirectMessage).result_int(), 500);  // Slack retries; the Inbox deduplicates
}

TEST(SlackAdapter, SlashCommandsAndButtons) {
    FakeApi api(web_api_ok, kApiPath);
    Harness h(api.base());
    auto res =
        h.hook("commands", "user_id=U123&channel_id=C0SALES&trigger_id=t1&command=%2Ffollowup&text=customer+add+Acme");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), "");
    auto stranger = h.hook("commands", "user_id=U666&channel_id=C0SALES&trigger_id=t2&command=%2Ffollowup&text=today");
    EXPECT_EQ(stranger.result_int(), 200);
    EXPECT_EQ(json::parse(stranger.body()),
              (json{{"response_type", "ephemeral"}, {"text", "You are not registered."}}));
    EXPECT_EQ(h.hook("commands", "text=today").result_int(), 400);
    EXPECT_EQ(h.hook("interactive", block_actions("done 17")).result_int(), 200);
    auto got = h.inbox.got();
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].text, "customer add Acme");
    EXPECT_EQ(got[0].event_id, "t1");
    EXPECT_TRUE(got[2].button);
    EXPECT_EQ(got[2].message_ref, "D0MARIA:1700000100.000200");
    EXPECT_EQ(h.hook("interactive", "payload=%7B").result_int(), 400);
    EXPECT_TRUE(api.calls().empty());
}

TEST(SlackAdapter, ASlashCommandThatIsNotUtf8IsRefusedAndNotExecuted) {
    FakeApi api(web_api_ok, kApiPath);
    Harness h(api.base());
    auto res = h.hook("commands",
                      "user_id=U123&channel_id=C0SALES&trigger_id=t1&command=%2Ffollowup&text=customer+add+%FF%FE");
    EXPECT_EQ(res.result_int(), 400);
    EXPECT_THAT(res.body(), HasSubstr("not UTF-8"));
    EXPECT_TRUE(h.inbox.got().empty());
    EXPECT_TRUE(api.calls().empty());
}

// An event (not a slash command) cannot be answered in the response: a
// stranger's reply is queued by the bot and sent by the dispatcher like any
// other, to the channel the message came from. The adapter sends nothing itself.
TEST(SlackAdapter, AStrangersReplyToADirectMessageIsSentLikeAnyOtherThere) {
    FakeApi api(web_api_ok, kApiPath);
    Harness h(api.base());
    auto res = h.hook("events", R"({"type":"event_callback","event_id":"Ev7","event":{"type":"message",
        "channel":"D0EVE","user":"U666","text":"today","channel_type":"im"}})");
    EXPECT_EQ(res.result_int(), 200);
    ASSERT_EQ(h.inbox.got().size(), 1u);
    const fu::Inbound in = h.inbox.got()[0];
    EXPECT_FALSE(in.answered_inline);
    EXPECT_TRUE(api.calls().empty());
    EXPECT_EQ(h.run(h.adapter->send(fu::test::stranger_reply(in))).status, Status::sent);
    ASSERT_EQ(api.calls().size(), 1u);
    auto call = api.calls()[0];
    EXPECT_EQ(call.target, "/api/chat.postMessage");
    json body = json::parse(call.body);
    EXPECT_EQ(body["channel"], "D0EVE");
    EXPECT_EQ(body["text"], "You are not registered.");
}

TEST(SlackAdapter, SendOpensADirectChatThenPostsAndEdits) {
    FakeApi api(web_api_ok, kApiPath);
    Harness h(api.base());
    Outbound out;
    out.recipient = "U123";
    out.text = "Call Acme";
    out.buttons = reminder_buttons();
    SendResult r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, Status::sent) << r.error;
    EXPECT_EQ(r.chat_id, "D0NEW");
    EXPECT_EQ(r.message_ref, "D0NEW:1700000200.000300");
    Outbound edit;
    edit.recipient = "U123";
    edit.chat_id = "D0NEW";
    edit.replace_ref = r.message_ref;
    edit.text = "Done";
    SendResult e = h.run(h.adapter->send(edit));
    EXPECT_EQ(e.status, Status::sent) << e.error;
    EXPECT_EQ(e.message_ref, "D0NEW:1700000200.000300");
    auto calls = api.calls();
    ASSERT_EQ(calls.size(), 3u);
    EXPECT_EQ(calls[0].target, "/api/conversations.open");
    EXPECT_EQ(json::parse(calls[0].body), (json{{"users", "U123"}}));
    EXPECT_EQ(calls[1].target, "/api/chat.postMessage");
    EXPECT_EQ(json::parse(calls[1].body)["channel"], "D0NEW");
    EXPECT_EQ(json::parse(calls[1].body)["blocks"][1]["elements"].size(), 3u);
    EXPECT_EQ(calls[2].target, "/api/chat.update");
    EXPECT_EQ(json::parse(calls[2].body)["ts"], "1700000200.000300");
    for (const auto& c : calls) {
        EXPECT_EQ(c.authorization, "Bearer " + kToken);
        EXPECT_EQ(c.content_type, "application/json; charset=utf-8");
    }
}

TEST(SlackAdapter, SendMapsRetriesAndFailures) {
    FakeApi api(
        [](const fu::test::Request& req) {
            const std::string channel = json::parse(req.body()).value("channel", "");
            if (channel == "C429") return FakeApi::reply(429, R"({"ok":false,"error":"ratelimited"})", "4");
            if (channel == "C500") return FakeApi::reply(500, "oops");
            if (channel == "CRL") return FakeApi::reply(200, R"({"ok":false,"error":"ratelimited"})");
            if (channel == "CNF") return FakeApi::reply(200, R"({"ok":false,"error":"channel_not_found"})");
            if (req.target().ends_with("/conversations.open"))
                return FakeApi::reply(200, R"({"ok":false,"error":"user_not_found"})");
            return web_api_ok(req);
        },
        kApiPath);
    Harness h(api.base());
    Outbound out;
    out.text = "x";
    out.chat_id = "C429";
    SendResult r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, Status::retry);
    EXPECT_EQ(r.retry_after, std::optional<std::chrono::seconds>(4s));
    out.chat_id = "C500";
    EXPECT_EQ(h.run(h.adapter->send(out)).status, Status::retry);
    out.chat_id = "CRL";
    EXPECT_EQ(h.run(h.adapter->send(out)).status, Status::retry);
    out.chat_id = "CNF";
    r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, Status::failed);
    EXPECT_THAT(r.error, HasSubstr("channel_not_found"));
    EXPECT_THAT(r.error, HasSubstr("chat.postMessage"));
    out.chat_id = "C1";
    EXPECT_EQ(h.run(h.adapter->send(out)).status, Status::sent);
    out.chat_id.clear();
    out.recipient = "UNOBODY";
    r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, Status::failed);
    EXPECT_THAT(r.error, HasSubstr("conversations.open: user_not_found"));
    out.recipient.clear();
    EXPECT_EQ(h.run(h.adapter->send(out)).status, Status::failed);  // nowhere to send
}

TEST(SlackAdapter, NetworkErrorsRetryWithoutTheToken) {
    const auto port = fu::test::closed_port();
    Harness h("http://127.0.0.1:" + std::to_string(port) + "/api");
    Outbound out;
    out.recipient = "U123";
    out.text = "x";
    SendResult r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, Status::retry);
    EXPECT_THAT(r.error, HasSubstr("conversations.open"));
    EXPECT_THAT(r.error, Not(HasSubstr("SECRET")));
    out.chat_id = "C1";
    r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, Status::retry);
    EXPECT_THAT(r.error, HasSubstr("chat.postMessage"));
}

}  // namespace
