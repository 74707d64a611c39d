// DingTalk's robot protocol, then the adapter against a stand-in for DingTalk
// on loopback. Past 500 lines on purpose: the protocol's helpers and vectors
// serve both halves (WeCom and Feishu, larger, are split in two files).
#include "adapters/dingtalk/dingtalk.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <mutex>

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
namespace dt = fu::adapters::dingtalk;
namespace http = boost::beast::http;
using Status = SendResult::Status;

// ---- signs -----------------------------------------------------------------------

// PLATFORMS.md's vector; tests/peers/dingtalk.test.mjs checks dingtalk-robot-sender gives it too.
const std::string kVectorSecret = "SECtest0123456789abcdef";
const std::string kVectorTs = "1700000000000";
const std::string kVectorSign = "/lfnxUUu80FwVTsIlv2F1cMGBb+PxEKAwYh/bsRxXcc=";
const auto kVectorNow = fu::from_unix(1700000000);

TEST(DingTalkSign, PlatformsVector) {
    EXPECT_EQ(dt::sign(kVectorSecret, kVectorTs), kVectorSign);
    EXPECT_EQ(dt::signature_problem(kVectorSecret, kVectorTs, kVectorSign, kVectorNow, 3600000ms), "");
}

TEST(DingTalkSign, Verification) {
    auto problem = [](const std::string& secret, const std::string& ts, const std::string& sig, fu::TimePoint now) {
        return dt::signature_problem(secret, ts, sig, now, 3600000ms);
    };
    EXPECT_THAT(problem("SECtest0123456789abcdeX", kVectorTs, kVectorSign, kVectorNow), HasSubstr("does not match"));
    // The sign is bound to its timestamp: another millisecond, another sign.
    EXPECT_THAT(problem(kVectorSecret, "1700000000001", kVectorSign, kVectorNow), HasSubstr("does not match"));
    // One hour either way is fine; a second more is not.
    EXPECT_EQ(problem(kVectorSecret, kVectorTs, kVectorSign, kVectorNow + 3600s), "");
    EXPECT_EQ(problem(kVectorSecret, kVectorTs, kVectorSign, kVectorNow - 3600s), "");
    EXPECT_THAT(problem(kVectorSecret, kVectorTs, kVectorSign, kVectorNow + 3601s), HasSubstr("more than 3600 s"));
    EXPECT_THAT(problem(kVectorSecret, kVectorTs, kVectorSign, kVectorNow - 3601s), HasSubstr("more than 3600 s"));
    EXPECT_THAT(problem(kVectorSecret, "", kVectorSign, kVectorNow), HasSubstr("missing timestamp"));
    EXPECT_THAT(problem(kVectorSecret, kVectorTs, "", kVectorNow), HasSubstr("missing sign"));
    // Seconds are not milliseconds: 1700000000 is 1970 in ms.
    EXPECT_THAT(problem(kVectorSecret, "1700000000", dt::sign(kVectorSecret, "1700000000"), kVectorNow),
                HasSubstr("more than"));
    for (const char* ts : {"17e11", "-1700000000000", "1700000000000.5", " 1700000000000", "99999999999999999999"})
        EXPECT_THAT(problem(kVectorSecret, ts, kVectorSign, kVectorNow), HasSubstr("milliseconds")) << ts;
    // The URL-encoded form (as in robot webhook URLs), a cut sign, no secret: refused.
    EXPECT_NE(problem(kVectorSecret, kVectorTs, "%2Flfnx" + kVectorSign.substr(5), kVectorNow), "");
    EXPECT_NE(problem(kVectorSecret, kVectorTs, kVectorSign.substr(0, 43), kVectorNow), "");
    EXPECT_NE(problem("", kVectorTs, dt::sign("", kVectorTs), kVectorNow), "");
}

// ---- parsing ---------------------------------------------------------------------------

json direct_body(const std::string& msg_id = "msgA1", const std::string& text = "今天",
                 const std::string& staff = "staff-wang") {
    return {{"conversationId", "cidDirectWang=="},
            {"atUsers", json::array()},
            {"chatbotCorpId", "dingcorp"},
            {"chatbotUserId", "$:LWCP_v1:$bot"},
            {"msgId", msg_id},
            {"senderNick", "王伟"},
            {"isAdmin", false},
            {"senderStaffId", staff},
            {"sessionWebhookExpiredTime", 1700005400000LL},
            {"createAt", 1700000000000LL},
            {"senderCorpId", "dingcorp"},
            {"conversationType", "1"},
            {"senderId", "$:LWCP_v1:$wang"},
            {"sessionWebhook", "https://oapi.dingtalk.com/robot/sendBySession?session=s1"},
            {"text", {{"content", text}}},
            {"robotCode", "dingrobot"},
            {"msgtype", "text"}};
}

TEST(DingTalkParse, DirectText) {
    auto cb = dt::parse_callback(direct_body().dump());
    ASSERT_TRUE(cb && cb->inbound);
    EXPECT_EQ(cb->msg_id, "msgA1");
    EXPECT_EQ(cb->conversation_id, "cidDirectWang==");
    EXPECT_TRUE(cb->direct);
    EXPECT_EQ(cb->session_webhook, "https://oapi.dingtalk.com/robot/sendBySession?session=s1");
    EXPECT_EQ(cb->session_webhook_expires_ms, 1700005400000LL);
    const Inbound& in = *cb->inbound;
    EXPECT_EQ(in.platform, "dingtalk");
    EXPECT_EQ(in.event_id, "msgA1");
    EXPECT_EQ(in.user_id, "staff-wang");
    EXPECT_EQ(in.chat_id, "cidDirectWang==");
    EXPECT_TRUE(in.direct);
    EXPECT_EQ(in.text, "今天");
    EXPECT_FALSE(in.button);
}

TEST(DingTalkParse, GroupTextIsTrimmed) {
    json body = direct_body("msgG1", "\xE3\x80\x80 followup Acme in 2h call \n");
    body["conversationType"] = "2";
    body["conversationId"] = "cidGroupSales==";
    auto cb = dt::parse_callback(body.dump());
    ASSERT_TRUE(cb && cb->inbound);
    EXPECT_FALSE(cb->direct);
    EXPECT_FALSE(cb->inbound->direct);
    EXPECT_EQ(cb->inbound->chat_id, "cidGroupSales==");
    EXPECT_EQ(cb->inbound->text, "followup Acme in 2h call");
    body["conversationType"] = 1;  // a number is taken too
    EXPECT_TRUE(dt::parse_callback(body.dump())->direct);
}

TEST(DingTalkParse, IgnoredMessages) {
    json picture = direct_body("m1");
    picture["msgtype"] = "picture";
    picture.erase("text");
    json outsider = direct_body("m2");
    outsider.erase("senderStaffId");  // not in the organisation
    json blank = direct_body("m3", " \xC2\xA0 ");
    for (const json& body : {picture, outsider, blank}) {
        auto cb = dt::parse_callback(body.dump());
        ASSERT_TRUE(cb) << body;
        EXPECT_FALSE(cb->inbound) << body;
        EXPECT_EQ(cb->conversation_id, "cidDirectWang==");  // its webhook is still worth keeping
    }
}

TEST(DingTalkParse, Malformed) {
    json no_id = direct_body();
    no_id.erase("msgId");
    json no_conversation = direct_body();
    no_conversation["conversationId"] = "";
    json odd_type = direct_body();
    odd_type["conversationType"] = "3";
    json no_type = direct_body();
    no_type.erase("conversationType");
    for (const std::string& body : {std::string(""), std::string("{not json"), std::string("[]"), std::string("42"),
                                    no_id.dump(), no_conversation.dump(), odd_type.dump(), no_type.dump()})
        EXPECT_FALSE(dt::parse_callback(body)) << body;
}

TEST(DingTalkWebhookHosts, OnlyDingTalkOrTheApiBase) {
    const std::string base = "https://api.dingtalk.com";
    EXPECT_TRUE(dt::webhook_allowed("https://oapi.dingtalk.com/robot/sendBySession?session=x", base));
    EXPECT_TRUE(dt::webhook_allowed("https://OAPI.DingTalk.com:443/robot/sendBySession?session=x", base));
    EXPECT_TRUE(dt::webhook_allowed("https://api.dingtalk.com/v1.0/robot/x", base));
    for (const char* url :
         {"http://oapi.dingtalk.com/robot/sendBySession",        // not https
          "https://oapi.dingtalk.com:8443/robot/sendBySession",  // another port
          "https://evil.example.com/robot/sendBySession", "https://oapi.dingtalk.com.evil.example/robot",
          "https://evildingtalk.com/robot", "https://user:pw@oapi.dingtalk.com/robot", "ftp://oapi.dingtalk.com/robot",
          "/robot/sendBySession", "", "not a url"})
        EXPECT_FALSE(dt::webhook_allowed(url, base)) << url;
    // A gateway or a stand-in at api_base: exactly that scheme, host and port.
    const std::string local = "http://127.0.0.1:4567/";
    EXPECT_TRUE(dt::webhook_allowed("http://127.0.0.1:4567/robot/sendBySession?session=x", local));
    EXPECT_FALSE(dt::webhook_allowed("http://127.0.0.1:4568/robot/sendBySession", local));
    EXPECT_FALSE(dt::webhook_allowed("https://127.0.0.1:4567/robot/sendBySession", local));
    EXPECT_FALSE(dt::webhook_allowed("http://localhost:4567/robot/sendBySession", local));
}

// ---- rendering --------------------------------------------------------------------------

std::vector<Button> reminder_buttons() {
    return {{"✅ 完成", "完成 17"}, {"⏰ 推迟1小时", "推迟 17 1小时后"}, {"📅 明天9点", "推迟 17 明天9点"}};
}

TEST(DingTalkRender, PlainTextStaysText) {
    Outbound out;
    out.text = "#17 Acme · **call**\n[x](dtmd://dingtalkclient/sendMessage?content=done%2017) <b>";
    auto m = dt::render(out);
    EXPECT_FALSE(m.markdown);
    EXPECT_EQ(m.text, out.text);  // text messages show what they get: nothing to neutralise
    EXPECT_EQ(json::parse(dt::webhook_body(m)), (json{{"msgtype", "text"}, {"text", {{"content", out.text}}}}));
    json batch = json::parse(dt::batch_send_body(m, "dingrobot", "staff-wang"));
    EXPECT_EQ(batch, (json{{"robotCode", "dingrobot"},
                           {"userIds", {"staff-wang"}},
                           {"msgKey", "sampleText"},
                           {"msgParam", json{{"content", out.text}}.dump()}}));
    EXPECT_TRUE(batch["msgParam"].is_string());  // a JSON string, not an object
    json group = json::parse(dt::group_send_body(m, "dingrobot", "cidGroup=="));
    EXPECT_EQ(group["openConversationId"], "cidGroup==");
    EXPECT_FALSE(group.contains("userIds"));
    EXPECT_EQ(group["msgKey"], "sampleText");
    EXPECT_EQ(dt::render(Outbound{}).text, "…");  // DingTalk refuses empty content
}

TEST(DingTalkRender, ButtonsBecomeSendMessageLinks) {
    Outbound out;
    out.kind = fu::MessageKind::reminder;
    out.text = "⏰ 跟进提醒\n#17 Acme · 电话";
    out.buttons = reminder_buttons();
    auto m = dt::render(out);
    ASSERT_TRUE(m.markdown);
    EXPECT_EQ(m.title, "⏰ 跟进提醒");
    EXPECT_EQ(
        m.text,
        "⏰ 跟进提醒  \n\xE2\x80\x8B#17 Acme · 电话\n\n"
        "[✅ 完成](dtmd://dingtalkclient/sendMessage?content=%E5%AE%8C%E6%88%90%2017) | "
        "[⏰ "
        "推迟1小时](dtmd://dingtalkclient/sendMessage?content=%E6%8E%A8%E8%BF%9F%2017%201%E5%B0%8F%E6%97%B6%E5%90%8E) "
        "| "
        "[📅 "
        "明天9点](dtmd://dingtalkclient/sendMessage?content=%E6%8E%A8%E8%BF%9F%2017%20%E6%98%8E%E5%A4%A99%E7%82%B9)");
    EXPECT_EQ(json::parse(dt::webhook_body(m)),
              (json{{"msgtype", "markdown"}, {"markdown", {{"title", m.title}, {"text", m.text}}}}));
    json batch = json::parse(dt::batch_send_body(m, "dingrobot", "staff-wang"));
    EXPECT_EQ(batch["msgKey"], "sampleMarkdown");
    EXPECT_EQ(json::parse(batch["msgParam"].get<std::string>()), (json{{"title", m.title}, {"text", m.text}}));
    EXPECT_EQ(dt::url_encode("done 17 a+b/c?d=e&f~_.-"), "done%2017%20a%2Bb%2Fc%3Fd%3De%26f~_.-");
}

TEST(DingTalkRender, MarkdownCannotBeInjected) {
    Outbound out;
    out.text = "Customer [Pay](dtmd://dingtalkclient/sendMessage?content=done%201) <font color=red>x</font>";
    out.buttons = {{"[Done]", "done 17"}};
    auto m = dt::render(out);
    ASSERT_TRUE(m.markdown);
    const std::string zw = "\xE2\x80\x8B";
    EXPECT_THAT(m.text, HasSubstr("[Pay]" + zw + "(dtmd://"));  // no longer a link
    EXPECT_THAT(m.text, HasSubstr("<" + zw + "font color=red>x<" + zw + "/font>"));
    EXPECT_THAT(m.text, Not(HasSubstr("](dtmd://dingtalkclient/sendMessage?content=done%201)")));
    EXPECT_THAT(m.text, HasSubstr("[Done](dtmd://dingtalkclient/sendMessage?content=done%2017)"));  // brackets dropped
}

TEST(DingTalkRender, TablesKeepTheirSpacesAndNoLineBecomesAHeadingOrAList) {
    Outbound out;
    out.text = "⚠️ Overdue · 3\n#  customer   rep\n5  Acme       Wang\n- x\n  indented";
    out.buttons = {{"📈 Report", "report"}};
    auto m = dt::render(out);
    ASSERT_TRUE(m.markdown);
    const std::string zw = "\xE2\x80\x8B", nb = "\xC2\xA0";
    EXPECT_THAT(m.text, HasSubstr("  \n" + zw + "# " + nb + "customer " + nb + nb + "rep  \n"));
    EXPECT_THAT(m.text, HasSubstr("  \n" + zw + "5 " + nb + "Acme " + nb + nb + nb + nb + nb + nb + "Wang  \n"));
    EXPECT_THAT(m.text, HasSubstr("  \n" + zw + "- x  \n"));
    EXPECT_THAT(m.text, HasSubstr("  \n" + nb + nb + "indented\n\n"));  // not an indented code block
    EXPECT_THAT(m.text, HasSubstr("⚠️ Overdue · 3  \n"));          // single spaces stay spaces
    // Without buttons it is a text message: shown exactly as written.
    out.buttons.clear();
    EXPECT_EQ(dt::render(out).text, out.text);
}

TEST(DingTalkRender, ButtonCapOddButtonsAndLength) {
    std::vector<Button> many;
    for (int i = 0; i < 9; ++i) many.push_back({"B" + std::to_string(i), "cmd " + std::to_string(i)});
    Outbound out;
    out.text = "x";
    out.buttons = many;
    auto m = dt::render(out);
    EXPECT_THAT(m.text, HasSubstr("content=cmd%205)"));
    EXPECT_THAT(m.text, Not(HasSubstr("content=cmd%206)")));
    // Empty or oversized commands are dropped; an empty label shows the command.
    out.buttons = {{"empty", " "}, {"huge", std::string(501, 'a')}, {"", "today"}};
    m = dt::render(out);
    EXPECT_EQ(m.text, "x\n\n[today](dtmd://dingtalkclient/sendMessage?content=today)");
    out.buttons = {{"empty", ""}};
    EXPECT_FALSE(dt::render(out).markdown);  // nothing left to press
    // Long text is cut by characters, never inside one; the title by its own limit.
    std::string zh;
    for (int i = 0; i < 5000; ++i) zh += "跟";
    out.text = zh;
    out.buttons.clear();
    m = dt::render(out);
    EXPECT_EQ(m.text.size(), (dt::kMaxTextChars - 1) * 3 + 3);
    EXPECT_TRUE(m.text.ends_with("跟…"));
    out.buttons = {{"Done", "done 1"}};
    EXPECT_EQ(dt::render(out).title, zh.substr(0, (dt::kMaxTitleChars - 1) * 3) + "…");
    out.text = "\n  \nSecond line";
    EXPECT_EQ(dt::render(out).title, "Second line");
}

// ---- answers ------------------------------------------------------------------------------

TEST(DingTalkInterpret, OpenApiAnswers) {
    auto ok = dt::interpret(
        200, "", R"({"processQueryKey":"pqk1","invalidStaffIdList":[],"flowControlledStaffIdList":[]})", "staff-wang");
    EXPECT_EQ(ok.status, Status::sent);
    EXPECT_EQ(ok.message_ref, "pqk1");
    EXPECT_EQ(ok.error, "");
    auto invalid = dt::interpret(200, "", R"({"processQueryKey":"p","invalidStaffIdList":["staff-x"]})", "staff-x");
    EXPECT_EQ(invalid.status, Status::failed);
    EXPECT_THAT(invalid.error, HasSubstr("staff-x"));
    EXPECT_EQ(
        dt::interpret(200, "", R"({"processQueryKey":"p","flowControlledStaffIdList":["staff-x"]})", "staff-x").status,
        Status::retry);
    EXPECT_EQ(dt::interpret(200, "", R"({"processQueryKey":"p"})", "").status, Status::sent);  // a group send
    auto limited = dt::interpret(429, "7", "", "u");
    EXPECT_EQ(limited.status, Status::retry);
    EXPECT_EQ(limited.retry_after, std::optional<std::chrono::seconds>(7s));
    EXPECT_EQ(dt::interpret(403, "", R"({"code":"Forbidden.AccessDenied.QpsLimitForApi","message":"qps"})", "u").status,
              Status::retry);
    EXPECT_EQ(dt::interpret(500, "", "oops", "u").status, Status::retry);
    EXPECT_EQ(dt::interpret(200, "", "<html>", "u").status, Status::retry);
    auto refused = dt::interpret(400, "", R"({"code":"param.error","message":"robotCode is invalid"})", "u");
    EXPECT_EQ(refused.status, Status::failed);
    EXPECT_EQ(refused.error, "HTTP 400: param.error (robotCode is invalid)");
}

TEST(DingTalkInterpret, RefusedTokens) {
    EXPECT_TRUE(
        dt::token_refused(400, R"({"code":"InvalidAuthentication","requestid":"r","message":"不合法的access_token"})"));
    EXPECT_TRUE(dt::token_refused(401, R"({"code":"x","message":"accessToken is expired"})"));
    EXPECT_TRUE(dt::token_refused(403, R"({"code":"Forbidden.InvalidAccessToken"})"));
    EXPECT_FALSE(dt::token_refused(400, R"({"code":"param.error","message":"robotCode is invalid"})"));
    EXPECT_FALSE(dt::token_refused(403, R"({"code":"Forbidden.AccessDenied.AccessTokenPermissionDenied"})"));
    EXPECT_FALSE(dt::token_refused(200, R"({"code":"InvalidAuthentication"})"));
    EXPECT_FALSE(dt::token_refused(400, "not json"));
}

TEST(DingTalkInterpret, TokenAnswers) {
    auto t = dt::parse_token(200, R"({"accessToken":"tok-1","expireIn":7200})");
    EXPECT_EQ(t.value, "tok-1");
    EXPECT_EQ(t.lifetime, 7200s);
    EXPECT_EQ(dt::parse_token(200, R"({"accessToken":"tok-2"})").lifetime, 7200s);
    EXPECT_EQ(json::parse(dt::token_request_body("key", "sec")), (json{{"appKey", "key"}, {"appSecret", "sec"}}));
    try {
        dt::parse_token(400, R"({"code":"invalidClientIdOrSecret","message":"无效的clientId或者clientSecret"})");
        ADD_FAILURE() << "no TokenError";
    } catch (const fu::adapters::TokenError& e) {
        EXPECT_THAT(e.what(), HasSubstr("HTTP 400: invalidClientIdOrSecret"));
    }
    EXPECT_THROW(dt::parse_token(200, R"({"expireIn":7200})"), fu::adapters::TokenError);
    EXPECT_THROW(dt::parse_token(200, "<html>"), fu::adapters::TokenError);
}

TEST(DingTalkInterpret, WebhookAnswers) {
    auto ok = dt::interpret_webhook(200, R"({"errcode":0,"errmsg":"ok"})");
    EXPECT_EQ(ok.result.status, Status::sent);
    EXPECT_FALSE(ok.gone);
    auto fast = dt::interpret_webhook(200, R"({"errcode":130101,"errmsg":"send too fast"})");
    EXPECT_EQ(fast.result.status, Status::retry);
    EXPECT_FALSE(fast.gone);
    auto expired = dt::interpret_webhook(200, R"({"errcode":300001,"errmsg":"session not exist"})");
    EXPECT_TRUE(expired.gone);
    EXPECT_EQ(expired.result.error, "errcode 300001 (session not exist)");
    EXPECT_TRUE(dt::interpret_webhook(404, "").gone);
    EXPECT_FALSE(dt::interpret_webhook(502, "").gone);
    EXPECT_EQ(dt::interpret_webhook(502, "").result.status, Status::retry);
    EXPECT_EQ(dt::interpret_webhook(200, "oops").result.status, Status::retry);
}

// ---- the adapter against a stand-in for DingTalk ------------------------------------------

const std::string kAppKey = "dingappkey";
const std::string kSecret = "dt-app-SECRET-0123";
const auto kNow = fu::from_unix(1700000000);
const std::int64_t kNowMs = 1700000000000LL;

struct Seen {
    std::string target, token, content_type, body;
};

// The token endpoint, both send APIs and sessionWebhooks on one local server.
// Tokens are "tok-<n>"; refuse_tokens(n): the next n sends with a valid token
// are answered as if it had expired.
class FakeDingTalk {
public:
    FakeDingTalk() : server_([this](const fu::test::Request& req) { return on(req); }) {}
    std::string base() const { return server_.url(""); }
    std::string webhook(const std::string& session) const {
        return server_.url("/robot/sendBySession?session=" + session);
    }
    std::vector<Seen> calls() {
        std::lock_guard lock(mutex_);
        return calls_;
    }
    std::vector<Seen> calls_to(const std::string& prefix) {
        std::vector<Seen> out;
        for (auto& c : calls())
            if (c.target.starts_with(prefix)) out.push_back(c);
        return out;
    }
    void refuse_tokens(int n) { refusals_ = n; }
    void webhook_errcode(int code) { webhook_errcode_ = code; }
    void token_status(unsigned status) { token_status_ = status; }

private:
    fu::test::Response on(const fu::test::Request& req) {
        const std::string target(req.target());
        const std::string token(req["x-acs-dingtalk-access-token"]);
        {
            std::lock_guard lock(mutex_);
            calls_.push_back({target, token, std::string(req[http::field::content_type]), req.body()});
        }
        using fu::test::FakeApi;
        if (target == "/v1.0/oauth2/accessToken") {
            if (token_status_ != 200) return FakeApi::reply(token_status_, R"({"code":"invalidClientIdOrSecret"})");
            const json body = json::parse(req.body());
            if (body.value("appKey", "") != kAppKey || body.value("appSecret", "") != kSecret)
                return FakeApi::reply(400, R"({"code":"invalidClientIdOrSecret","message":"bad"})");
            return FakeApi::reply(200,
                                  json{{"accessToken", "tok-" + std::to_string(++issued_)}, {"expireIn", 7200}}.dump());
        }
        if (target.starts_with("/robot/sendBySession"))
            return FakeApi::reply(200, json{{"errcode", webhook_errcode_.load()}, {"errmsg", "x"}}.dump());
        const bool known = token.starts_with("tok-") && std::stoi(token.substr(4)) <= issued_;
        if (!known || refusals_.fetch_sub(1) > 0)
            return FakeApi::reply(400, R"({"code":"InvalidAuthentication","message":"不合法的access_token"})");
        return FakeApi::reply(200,
                              R"({"processQueryKey":"pqk-1","invalidStaffIdList":[],"flowControlledStaffIdList":[]})");
    }

    std::mutex mutex_;
    std::vector<Seen> calls_;
    std::atomic<int> issued_{0};
    std::atomic<int> refusals_{0};
    std::atomic<int> webhook_errcode_{0};
    std::atomic<unsigned> token_status_{200};
    fu::test::TestServer server_;
};

struct Harness : fu::test::AdapterHarnessBase {
    explicit Harness(const std::string& base, std::string secret = kSecret) : AdapterHarnessBase("staff-stranger") {
        dt::Options o;
        o.app_key = kAppKey;
        o.app_secret = std::move(secret);
        o.robot_code = "dingrobot";
        o.api_base = base;
        adapter = std::make_unique<dt::DingTalkAdapter>(ioc.get_executor(), http, std::move(o), clock);
        start();
    }
    ~Harness() { stop(); }
    // A callback signed now (or as told), as DingTalk sends it.
    fu::net::Response hook(const std::string& body, std::optional<std::string> sign = std::nullopt,
                           std::optional<std::string> ts = std::nullopt, const std::string& path = "/hooks/dingtalk") {
        fu::net::Request req{http::verb::post, path, 11};
        const std::string stamp = ts.value_or(std::to_string(fu::to_unix(clock.now()) * 1000));
        if (!stamp.empty()) req.set("timestamp", stamp);
        const std::string sig = sign.value_or(dt::sign(kSecret, stamp));
        if (!sig.empty()) req.set("sign", sig);
        req.set(http::field::content_type, "application/json");
        req.body() = body;
        req.prepare_payload();
        return run(fu::adapters::serve_webhook(*adapter, inbox, req));
    }
    SendResult send(Outbound out) { return run(adapter->send(std::move(out))); }

    fu::FakeClock clock{kNow};
    std::unique_ptr<dt::DingTalkAdapter> adapter;
};

// A callback whose sessionWebhook points at the stand-in and expires at expires_ms.
std::string callback(FakeDingTalk& api, const std::string& msg_id, std::int64_t expires_ms, bool group = false,
                     const std::string& staff = "staff-wang", const std::string& text = "today") {
    json body = direct_body(msg_id, text, staff);
    body["sessionWebhook"] = api.webhook(msg_id);
    body["sessionWebhookExpiredTime"] = expires_ms;
    if (group) {
        body["conversationType"] = "2";
        body["conversationId"] = "cidGroupSales==";
    }
    return body.dump();
}

Outbound reply_to(const std::string& chat, const std::string& text = "Nothing due today.") {
    Outbound out;
    out.recipient = "staff-wang";
    out.chat_id = chat;
    out.kind = fu::MessageKind::reply;
    out.text = text;
    return out;
}

TEST(DingTalkAdapter, RefusesForgedStaleUnsignedMalformedAndReplayed) {
    FakeDingTalk api;
    Harness h(api.base());
    const std::string body = callback(api, "msgR1", kNowMs + 3600000);
    const std::string now = std::to_string(kNowMs);
    EXPECT_EQ(h.hook(body, dt::sign("wrong-secret", now)).result_int(), 401);
    EXPECT_EQ(h.hook(body, "").result_int(), 401);                // no sign
    EXPECT_EQ(h.hook(body, std::nullopt, "").result_int(), 401);  // no timestamp
    const std::string stale = std::to_string(kNowMs - 3601000);
    const std::string future = std::to_string(kNowMs + 3601000);
    auto old = h.hook(body, dt::sign(kSecret, stale), stale);
    EXPECT_EQ(old.result_int(), 401);
    EXPECT_THAT(old.body(), HasSubstr("more than 3600 s"));
    EXPECT_EQ(h.hook(body, dt::sign(kSecret, future), future).result_int(), 401);
    // Refused before parsing: garbage with a bad sign is 401, not 400.
    EXPECT_EQ(h.hook("{garbage", "AAAA").result_int(), 401);
    EXPECT_TRUE(h.inbox.got().empty());

    EXPECT_EQ(h.hook("{garbage").result_int(), 400);
    EXPECT_EQ(h.hook(R"({"msgId":"m","conversationId":"c"})").result_int(), 400);
    // Signed within the window: accepted once; the same msgId again is a replay.
    const std::string edge = std::to_string(kNowMs - 3600000);
    EXPECT_EQ(h.hook(body, dt::sign(kSecret, edge), edge).result_int(), 200);
    auto replay = h.hook(body);
    EXPECT_EQ(replay.result_int(), 409);
    EXPECT_THAT(replay.body(), HasSubstr("already received"));
    // A replay carrying another webhook changes nothing: the first one is still used.
    json forged = json::parse(body);
    forged["sessionWebhook"] = api.webhook("forged");
    EXPECT_EQ(h.hook(forged.dump()).result_int(), 409);
    EXPECT_EQ(h.inbox.got().size(), 1u);
    EXPECT_TRUE(api.calls().empty());
    EXPECT_EQ(h.send(reply_to("cidDirectWang==")).status, Status::sent);
    ASSERT_EQ(api.calls().size(), 1u);
    EXPECT_EQ(api.calls()[0].target, "/robot/sendBySession?session=msgR1");

    fu::net::Request get{http::verb::get, "/hooks/dingtalk", 11};
    EXPECT_EQ(h.run(fu::adapters::serve_webhook(*h.adapter, h.inbox, get)).result_int(), 405);
    EXPECT_EQ(h.hook(callback(api, "msgR2", kNowMs), std::nullopt, std::nullopt, "/hooks/dingtalk/other").result_int(),
              404);
}

TEST(DingTalkAdapter, ReplyGoesToTheSessionWebhookWhileValid) {
    FakeDingTalk api;
    Harness h(api.base());
    auto res = h.hook(callback(api, "msgW1", kNowMs + 5400000));
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), "");
    auto got = h.inbox.got();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].user_id, "staff-wang");
    EXPECT_EQ(got[0].chat_id, "cidDirectWang==");
    EXPECT_EQ(got[0].text, "today");

    SendResult r = h.send(reply_to("cidDirectWang=="));
    EXPECT_EQ(r.status, Status::sent) << r.error;
    EXPECT_EQ(r.chat_id, "cidDirectWang==");
    auto calls = api.calls();
    ASSERT_EQ(calls.size(), 1u);  // no token needed
    EXPECT_EQ(calls[0].target, "/robot/sendBySession?session=msgW1");
    EXPECT_EQ(calls[0].token, "");
    EXPECT_EQ(calls[0].content_type, "application/json; charset=utf-8");
    EXPECT_EQ(json::parse(calls[0].body), (json{{"msgtype", "text"}, {"text", {{"content", "Nothing due today."}}}}));
    EXPECT_EQ(h.adapter->token_fetches(), 0u);

    // 30 s before it expires it is no longer used.
    h.clock.advance(5400s - 30s);
    r = h.send(reply_to("cidDirectWang=="));
    EXPECT_EQ(r.status, Status::sent) << r.error;
    EXPECT_EQ(api.calls().back().target, "/v1.0/robot/oToMessages/batchSend");
}

TEST(DingTalkAdapter, ExpiredWebhookUsesBatchSendWithACachedToken) {
    FakeDingTalk api;
    Harness h(api.base());
    ASSERT_EQ(h.hook(callback(api, "msgE1", kNowMs - 1000)).result_int(), 200);
    Outbound reminder = reply_to("cidDirectWang==", "⏰ 跟进提醒\n#17 Acme");
    reminder.kind = fu::MessageKind::reminder;
    reminder.buttons = reminder_buttons();
    SendResult r = h.send(reminder);
    EXPECT_EQ(r.status, Status::sent) << r.error;
    EXPECT_EQ(r.message_ref, "pqk-1");
    EXPECT_EQ(r.chat_id, "cidDirectWang==");
    r = h.send(reply_to("cidDirectWang=="));
    EXPECT_EQ(r.status, Status::sent) << r.error;

    auto calls = api.calls();
    ASSERT_EQ(calls.size(), 3u);
    EXPECT_EQ(calls[0].target, "/v1.0/oauth2/accessToken");
    EXPECT_EQ(json::parse(calls[0].body), (json{{"appKey", kAppKey}, {"appSecret", kSecret}}));
    for (int i : {1, 2}) {
        EXPECT_EQ(calls[i].target, "/v1.0/robot/oToMessages/batchSend");
        EXPECT_EQ(calls[i].token, "tok-1");  // fetched once, then cached
    }
    const json first = json::parse(calls[1].body);
    EXPECT_EQ(first["robotCode"], "dingrobot");
    EXPECT_EQ(first["userIds"], json::array({"staff-wang"}));
    EXPECT_EQ(first["msgKey"], "sampleMarkdown");
    EXPECT_EQ(json::parse(first["msgParam"].get<std::string>()),
              (json{{"title", dt::render(reminder).title}, {"text", dt::render(reminder).text}}));
    EXPECT_EQ(json::parse(calls[2].body)["msgKey"], "sampleText");
    EXPECT_EQ(h.adapter->token_fetches(), 1u);

    // A reminder for someone who never wrote (no chat yet) goes the same way.
    Outbound fresh;
    fresh.recipient = "staff-maria";
    fresh.text = "x";
    EXPECT_EQ(h.send(fresh).status, Status::sent);
    EXPECT_EQ(json::parse(api.calls().back().body)["userIds"], json::array({"staff-maria"}));
    fresh.recipient.clear();
    EXPECT_EQ(h.send(fresh).status, Status::failed);  // nowhere to send
}

TEST(DingTalkAdapter, GroupRepliesStayInTheGroup) {
    FakeDingTalk api;
    Harness h(api.base());
    ASSERT_EQ(h.hook(callback(api, "msgG1", kNowMs + 5400000, true)).result_int(), 200);
    ASSERT_EQ(h.inbox.got().size(), 1u);
    EXPECT_FALSE(h.inbox.got()[0].direct);
    EXPECT_EQ(h.send(reply_to("cidGroupSales==")).status, Status::sent);
    EXPECT_EQ(api.calls().back().target, "/robot/sendBySession?session=msgG1");
    // Its webhook expired: groupMessages/send to the same conversation.
    ASSERT_EQ(h.hook(callback(api, "msgG2", kNowMs - 1, true)).result_int(), 200);
    SendResult r = h.send(reply_to("cidGroupSales=="));
    EXPECT_EQ(r.status, Status::sent) << r.error;
    const auto sends = api.calls_to("/v1.0/robot/groupMessages/send");
    ASSERT_EQ(sends.size(), 1u);
    const json body = json::parse(sends[0].body);
    EXPECT_EQ(body["openConversationId"], "cidGroupSales==");
    EXPECT_EQ(body["robotCode"], "dingrobot");
    EXPECT_EQ(sends[0].token, "tok-1");
    EXPECT_TRUE(api.calls_to("/v1.0/robot/oToMessages").empty());
}

TEST(DingTalkAdapter, ForeignWebhookHostsAreNeverCalled) {
    FakeDingTalk api;
    Harness h(api.base());
    json body = json::parse(callback(api, "msgF1", kNowMs + 5400000));
    body["sessionWebhook"] = "http://127.0.0.2:9/steal";  // what a forged body would carry
    ASSERT_EQ(h.hook(body.dump()).result_int(), 200);
    EXPECT_EQ(h.send(reply_to("cidDirectWang==")).status, Status::sent);
    auto calls = api.calls();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[1].target, "/v1.0/robot/oToMessages/batchSend");
}

TEST(DingTalkAdapter, RefusedTokenIsReplacedOnceAndTheSendRepeated) {
    FakeDingTalk api;
    Harness h(api.base());
    Outbound out;
    out.recipient = "staff-wang";
    out.text = "x";
    ASSERT_EQ(h.send(out).status, Status::sent);
    api.refuse_tokens(1);  // tok-1 expired early
    SendResult r = h.send(out);
    EXPECT_EQ(r.status, Status::sent) << r.error;
    auto sends = api.calls_to("/v1.0/robot/");
    ASSERT_EQ(sends.size(), 3u);
    EXPECT_EQ(sends[1].token, "tok-1");
    EXPECT_EQ(sends[2].token, "tok-2");
    EXPECT_EQ(sends[1].body, sends[2].body);
    EXPECT_EQ(h.adapter->token_fetches(), 2u);
    // Refused again and again: one refresh per send, then a retry for later (no loop).
    api.refuse_tokens(100);
    r = h.send(out);
    EXPECT_EQ(r.status, Status::retry);
    EXPECT_THAT(r.error, HasSubstr("accessToken was refused"));
    EXPECT_EQ(api.calls_to("/v1.0/robot/").size(), 5u);
    EXPECT_EQ(h.adapter->token_fetches(), 3u);  // tok-2 refused, tok-3 fetched and refused too
    EXPECT_EQ(api.calls_to("/v1.0/robot/").back().token, "tok-3");
}

TEST(DingTalkAdapter, GoneWebhookFallsBackToTheOpenApi) {
    FakeDingTalk api;
    Harness h(api.base());
    ASSERT_EQ(h.hook(callback(api, "msgX1", kNowMs + 5400000)).result_int(), 200);
    api.webhook_errcode(300001);
    EXPECT_EQ(h.send(reply_to("cidDirectWang==")).status, Status::sent);
    auto calls = api.calls();
    ASSERT_EQ(calls.size(), 3u);
    EXPECT_EQ(calls[0].target, "/robot/sendBySession?session=msgX1");
    EXPECT_EQ(calls[2].target, "/v1.0/robot/oToMessages/batchSend");
    EXPECT_EQ(h.send(reply_to("cidDirectWang==")).status, Status::sent);
    EXPECT_EQ(api.calls_to("/robot/sendBySession").size(), 1u);  // not tried again
    // "Too fast" is a retry through the same webhook, not a fallback.
    ASSERT_EQ(h.hook(callback(api, "msgX2", kNowMs + 5400000)).result_int(), 200);
    api.webhook_errcode(130101);
    EXPECT_EQ(h.send(reply_to("cidDirectWang==")).status, Status::retry);
    EXPECT_EQ(api.calls_to("/v1.0/robot/").size(), 2u);
}

// A stranger's reply is queued by the bot and sent by the dispatcher like any
// other: the adapter sends nothing itself, and the reply goes to the
// conversation the message came from.
TEST(DingTalkAdapter, AStrangersReplyIsSentLikeAnyOtherToTheirConversation) {
    FakeDingTalk api;
    Harness h(api.base());
    ASSERT_EQ(h.hook(callback(api, "msgS1", kNowMs + 5400000, false, "staff-stranger")).result_int(), 200);
    ASSERT_EQ(h.inbox.got().size(), 1u);
    const Inbound in = h.inbox.got()[0];
    EXPECT_FALSE(in.answered_inline);
    EXPECT_TRUE(api.calls().empty());
    Outbound out = reply_to(in.chat_id, "You are not registered.");
    out.recipient = in.user_id;
    EXPECT_EQ(h.send(out).status, Status::sent);
    ASSERT_EQ(api.calls().size(), 1u);
    auto call = api.calls()[0];
    EXPECT_EQ(call.target, "/robot/sendBySession?session=msgS1");
    EXPECT_EQ(json::parse(call.body), (json{{"msgtype", "text"}, {"text", {{"content", "You are not registered."}}}}));
}

TEST(DingTalkAdapter, InboxFailureLetsDingTalkRetry) {
    FakeDingTalk api;
    Harness h(api.base());
    const std::string body = callback(api, "msgI1", kNowMs + 5400000);
    h.inbox.fail(true);
    EXPECT_EQ(h.hook(body).result_int(), 500);
    h.inbox.fail(false);
    EXPECT_EQ(h.hook(body).result_int(), 200);  // the retry is not taken for a replay
    EXPECT_EQ(h.hook(body).result_int(), 409);
    EXPECT_EQ(h.inbox.got().size(), 1u);
}

TEST(DingTalkAdapter, TokenAndNetworkFailuresRetryWithoutTheSecret) {
    FakeDingTalk api;
    api.token_status(400);
    Harness h(api.base());
    Outbound out;
    out.recipient = "staff-wang";
    out.text = "x";
    SendResult r = h.send(out);
    EXPECT_EQ(r.status, Status::retry);
    EXPECT_THAT(r.error, HasSubstr("batchSend: accessToken: HTTP 400: invalidClientIdOrSecret"));
    EXPECT_TRUE(api.calls_to("/v1.0/robot/").empty());

    const auto port = fu::test::closed_port();
    Harness down("http://127.0.0.1:" + std::to_string(port), kSecret);
    r = down.send(out);
    EXPECT_EQ(r.status, Status::retry);
    EXPECT_THAT(r.error, HasSubstr("accessToken"));
    EXPECT_THAT(r.error, Not(HasSubstr("SECRET")));
}

}  // namespace
