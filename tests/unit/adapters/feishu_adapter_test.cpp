// The Feishu adapter against a fake Open API on loopback: the URL challenge
// and events into the inbox, refusals, the verification-token mode, sends and
// patches with one cached token, a refused token replaced, failures mapped and
// retried. The protocol alone is feishu_test.cpp.
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

using fu::test::FakeApi;

// The token and message endpoints of the Open API. Tokens are t-1, t-2, …;
// refuse(token) makes that token answer 99991663 from then on.
class OpenApi {
public:
    explicit OpenApi(std::string app_secret = "app-SECRET-value")
        : secret_(std::move(app_secret)), api_([this](const fu::test::Request& req) { return on(req); }) {}
    std::string base() const { return api_.base(); }
    std::vector<fu::test::ApiCallSeen> calls() { return api_.calls(); }
    void refuse(const std::string& token) {
        std::lock_guard lock(mutex_);
        refused_.insert(token);
    }
    void answer_next(unsigned status, std::string body, std::string reset = "") {
        std::lock_guard lock(mutex_);
        next_ = {status, std::move(body), std::move(reset)};
    }
    int token_requests() const { return tokens_.load(); }
    // Message calls: "METHOD target token".
    std::vector<std::string> sends() {
        std::lock_guard lock(mutex_);
        return sends_;
    }

private:
    struct Canned {
        unsigned status = 0;
        std::string body, reset;
    };
    fu::test::Response on(const fu::test::Request& req) {
        const std::string target(req.target());
        if (target == "/open-apis/auth/v3/tenant_access_token/internal") {
            const int n = ++tokens_;
            json body = json::parse(req.body(), nullptr, false);
            if (!body.is_object() || body.value("app_secret", "") != secret_)
                return FakeApi::reply(400, R"({"code":10014,"msg":"app secret invalid"})");
            return FakeApi::reply(
                200,
                json{{"code", 0}, {"msg", "ok"}, {"tenant_access_token", "t-" + std::to_string(n)}, {"expire", 7200}}
                    .dump());
        }
        std::string auth(req[http::field::authorization]);
        const std::string token = auth.starts_with("Bearer ") ? auth.substr(7) : "";
        std::lock_guard lock(mutex_);
        sends_.push_back(std::string(req.method_string()) + " " + target + " " + token);
        if (token.empty())
            return FakeApi::reply(400, R"({"code":99991661,"msg":"Missing access token for authorization."})");
        if (refused_.contains(token))
            return FakeApi::reply(400, R"({"code":99991663,"msg":"Invalid access token for authorization."})");
        if (next_.status) {
            Canned c = std::exchange(next_, Canned{});
            auto res = FakeApi::reply(c.status, c.body);
            if (!c.reset.empty()) res.set("x-ogw-ratelimit-reset", c.reset);
            return res;
        }
        if (req.method() == http::verb::patch) return FakeApi::reply(200, R"({"code":0,"msg":"success","data":{}})");
        const int n = static_cast<int>(sends_.size());
        return FakeApi::reply(200, json{{"code", 0},
                                        {"msg", "success"},
                                        {"data", {{"message_id", "om_" + std::to_string(n)}, {"chat_id", "oc_p2p"}}}}
                                       .dump());
    }

    std::string secret_;
    std::mutex mutex_;
    std::set<std::string> refused_;
    std::vector<std::string> sends_;
    Canned next_;
    std::atomic<int> tokens_{0};
    FakeApi api_;
};

struct Harness : fu::test::AdapterHarnessBase {
    Harness(const std::string& base, fs::Options o) : AdapterHarnessBase("ou_stranger") {
        o.api_base = base + "/";  // a trailing slash is dropped
        adapter = std::make_unique<fs::FeishuAdapter>(ioc.get_executor(), http, std::move(o), clock);
        start();
    }
    ~Harness() { stop(); }

    fu::net::Response post(const Signed& s, const std::string& path = "/hooks/feishu") {
        fu::net::Request req{http::verb::post, path, 11};
        if (!s.ts.empty()) req.set("X-Lark-Request-Timestamp", s.ts);
        if (!s.nonce.empty()) req.set("X-Lark-Request-Nonce", s.nonce);
        if (!s.signature.empty()) req.set("X-Lark-Signature", s.signature);
        req.set(http::field::content_type, "application/json; charset=utf-8");
        req.body() = s.body;
        req.prepare_payload();
        return run(fu::adapters::serve_webhook(*adapter, inbox, req));
    }
    // An event as Feishu sends it with an Encrypt Key: encrypted, then signed now.
    fu::net::Response event(const json& plaintext) { return post(seal_and_sign(plaintext.dump(), clock.now())); }
    SendResult send(Outbound out) { return run(adapter->send(std::move(out))); }

    fu::FakeClock clock{kNow};
    std::unique_ptr<fs::FeishuAdapter> adapter;
};

json now_message(const std::string& text, const std::string& event_id = "ev-1", const std::string& user = "ou_wang") {
    json e = message_event(text, "p2p", json::array(), event_id, ms(kNow));
    e["event"]["sender"]["sender_id"]["open_id"] = user;
    return e;
}

TEST(FeishuAdapter, ChallengeAndEvents) {
    OpenApi api;
    Harness h(api.base(), encrypted_options(kToken));
    auto challenge = h.post(Signed{"", "", "", json{{"encrypt", seal(kKey, R"({"challenge":"c-1","token":"vt-1",
        "type":"url_verification"})")}}.dump()});
    EXPECT_EQ(challenge.result_int(), 200);
    EXPECT_EQ(json::parse(challenge.body()), (json{{"challenge", "c-1"}}));

    auto res = h.event(now_message("today"));
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), "{}");
    auto card = h.event(card_event({{"command", "done 17"}}, "ev-card", std::to_string(fu::to_unix(kNow) * 1000000LL)));
    EXPECT_EQ(card.result_int(), 200);
    EXPECT_EQ(card.body(), "{}");
    auto got = h.inbox.got();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].text, "today");
    EXPECT_EQ(got[0].event_id, "ev-1");
    EXPECT_TRUE(got[1].button);
    EXPECT_EQ(got[1].message_ref, "om_card1");
    EXPECT_TRUE(api.calls().empty());  // registered users' replies go through the outbox

    EXPECT_EQ(h.post(seal_and_sign(now_message("x").dump()), "/hooks/feishu/elsewhere").result_int(), 404);
    EXPECT_EQ(h.post(seal_and_sign(now_message("x").dump()), "/hooks/feishu/?a=1").result_int(), 200);
    fu::net::Request get{http::verb::get, "/hooks/feishu", 11};
    EXPECT_EQ(h.run(fu::adapters::serve_webhook(*h.adapter, h.inbox, get)).result_int(), 405);
    h.inbox.fail(true);
    EXPECT_EQ(h.event(now_message("today", "ev-9")).result_int(), 500);  // Feishu pushes again; the Inbox deduplicates
}

TEST(FeishuAdapter, RefusedRequestsChangeNothing) {
    OpenApi api;
    Harness h(api.base(), encrypted_options());
    Signed forged = seal_and_sign(now_message("customer add Forged").dump());
    forged.signature = fs::sign(forged.ts, forged.nonce, "guess", forged.body);
    auto res = h.post(forged);
    EXPECT_EQ(res.result_int(), 401);
    EXPECT_THAT(res.body(), HasSubstr("does not match"));
    EXPECT_EQ(h.post(seal_and_sign(now_message("x").dump(), kNow - 600s)).result_int(), 401);
    Signed unsigned_event = seal_and_sign(now_message("x").dump());
    unsigned_event.ts = unsigned_event.nonce = unsigned_event.signature = "";
    EXPECT_EQ(h.post(unsigned_event).result_int(), 401);
    EXPECT_EQ(h.post(sign_raw(R"({"encrypt":"bm90IGJsb2Nrcw=="})", h.clock.now())).result_int(), 400);
    EXPECT_EQ(h.post(sign_raw("{bad json", h.clock.now())).result_int(), 400);
    EXPECT_TRUE(h.inbox.got().empty());
    EXPECT_TRUE(api.calls().empty());
}

TEST(FeishuAdapter, VerificationTokenMode) {
    OpenApi api;
    Harness h(api.base(), token_options());
    auto challenge = h.post(Signed{"", "", "", R"({"challenge":"plain-1","token":"vt-1","type":"url_verification"})"});
    EXPECT_EQ(challenge.result_int(), 200);
    EXPECT_EQ(json::parse(challenge.body()), (json{{"challenge", "plain-1"}}));
    EXPECT_EQ(h.post(Signed{"", "", "", now_message("today").dump()}).result_int(), 200);
    json wrong = now_message("customer add Forged", "ev-2");
    wrong["header"]["token"] = "guess";
    EXPECT_EQ(h.post(Signed{"", "", "", wrong.dump()}).result_int(), 401);
    ASSERT_EQ(h.inbox.got().size(), 1u);
    EXPECT_EQ(h.inbox.got()[0].text, "today");
}

// A stranger's reply is queued by the bot and sent by the dispatcher like any
// other: the adapter sends nothing itself, and the reply goes to their chat.
TEST(FeishuAdapter, AStrangersReplyIsSentLikeAnyOtherToTheirChat) {
    OpenApi api;
    Harness h(api.base(), encrypted_options());
    EXPECT_EQ(h.event(now_message("today", "ev-7", "ou_stranger")).result_int(), 200);
    ASSERT_EQ(h.inbox.got().size(), 1u);
    const Inbound in = h.inbox.got()[0];
    EXPECT_FALSE(in.answered_inline);
    EXPECT_TRUE(api.calls().empty());
    EXPECT_EQ(h.send(fu::test::stranger_reply(in)).status, Status::sent);
    auto calls = api.calls();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].target, "/open-apis/auth/v3/tenant_access_token/internal");
    EXPECT_EQ(calls[0].authorization, "");
    EXPECT_EQ(json::parse(calls[0].body), (json{{"app_id", "cli_a1"}, {"app_secret", "app-SECRET-value"}}));
    EXPECT_EQ(calls[1].target, "/open-apis/im/v1/messages?receive_id_type=chat_id");
    EXPECT_EQ(calls[1].authorization, "Bearer t-1");
    EXPECT_EQ(calls[1].content_type, "application/json; charset=utf-8");
    json body = json::parse(calls[1].body);
    EXPECT_EQ(body["receive_id"], "oc_chat1");
    EXPECT_EQ(json::parse(body["content"].get<std::string>())["text"], "You are not registered.");
}

TEST(FeishuAdapter, SendPostsAndPatchesWithOneCachedToken) {
    OpenApi api;
    Harness h(api.base(), encrypted_options());
    Outbound out;
    out.recipient = "ou_wang";
    out.text = "提醒";
    out.buttons = reminder_buttons();
    SendResult r = h.send(out);
    EXPECT_EQ(r.status, Status::sent) << r.error;
    EXPECT_EQ(r.message_ref, "om_1");
    EXPECT_EQ(r.chat_id, "oc_p2p");
    Outbound edit;
    edit.recipient = "ou_wang";
    edit.chat_id = "oc_p2p";
    edit.replace_ref = r.message_ref;
    edit.text = "已完成";
    SendResult e = h.send(edit);
    EXPECT_EQ(e.status, Status::sent) << e.error;
    EXPECT_EQ(e.message_ref, "om_1");
    EXPECT_EQ(api.sends(), (std::vector<std::string>{"POST /open-apis/im/v1/messages?receive_id_type=open_id t-1",
                                                     "PATCH /open-apis/im/v1/messages/om_1 t-1"}));
    EXPECT_EQ(api.token_requests(), 1);
    EXPECT_EQ(h.adapter->token_fetches(), 1u);
    // Refreshed 5 minutes before it expires.
    h.clock.advance(7200s - 299s);
    EXPECT_EQ(h.send(out).status, Status::sent);
    EXPECT_EQ(api.token_requests(), 2);
    EXPECT_THAT(api.sends().back(), HasSubstr(" t-2"));
}

TEST(FeishuAdapter, ARefusedTokenIsReplacedOnceAndTheCallRepeated) {
    OpenApi api;
    Harness h(api.base(), encrypted_options());
    Outbound out;
    out.chat_id = "oc_chat1";
    out.text = "x";
    ASSERT_EQ(h.send(out).status, Status::sent);
    api.refuse("t-1");  // expired early
    SendResult r = h.send(out);
    EXPECT_EQ(r.status, Status::sent) << r.error;
    EXPECT_EQ(api.token_requests(), 2);
    auto sends = api.sends();
    ASSERT_EQ(sends.size(), 3u);
    EXPECT_THAT(sends[1], HasSubstr(" t-1"));
    EXPECT_THAT(sends[2], HasSubstr(" t-2"));

    // Many sends meeting the same refusal at once: one new token among them.
    api.refuse("t-2");
    std::vector<std::future<SendResult>> pending;
    for (int i = 0; i < 8; ++i) pending.push_back(asio::co_spawn(h.ioc, h.adapter->send(out), asio::use_future));
    for (auto& p : pending) EXPECT_EQ(p.get().status, Status::sent);
    EXPECT_EQ(api.token_requests(), 3);

    // A token refused again right after the refresh: retry later, no storm.
    api.refuse("t-3");
    api.refuse("t-4");
    r = h.send(out);
    EXPECT_EQ(r.status, Status::retry);
    EXPECT_THAT(r.error, HasSubstr("99991663"));
    EXPECT_EQ(api.token_requests(), 4);
}

TEST(FeishuAdapter, SendMapsFailures) {
    OpenApi api;
    Harness h(api.base(), encrypted_options());
    Outbound out;
    out.chat_id = "oc_chat1";
    out.text = "x";
    api.answer_next(429, R"({"code":99991400,"msg":"request trigger frequency limit"})", "3");
    SendResult r = h.send(out);
    EXPECT_EQ(r.status, Status::retry);
    EXPECT_EQ(r.retry_after, std::optional<std::chrono::seconds>(3s));
    EXPECT_THAT(r.error, HasSubstr("POST /open-apis/im/v1/messages: HTTP 429"));
    api.answer_next(400, R"({"code":230002,"msg":"Bot/User can NOT be out of the chat."})");
    r = h.send(out);
    EXPECT_EQ(r.status, Status::failed);
    EXPECT_THAT(r.error, HasSubstr("230002"));
    EXPECT_EQ(h.send(Outbound{}).status, Status::failed);

    // A card that can no longer be updated (older than 14 days, deleted): the answer comes as a new message.
    out.replace_ref = "om_old";
    out.text = "done";
    api.answer_next(400, R"({"code":230011,"msg":"The message was withdrawn."})");
    r = h.send(out);
    EXPECT_EQ(r.status, Status::sent) << r.error;
    EXPECT_EQ(r.message_ref, "om_4");
    auto sends = api.sends();
    ASSERT_EQ(sends.size(), 4u);
    EXPECT_EQ(sends[2], "PATCH /open-apis/im/v1/messages/om_old t-1");
    EXPECT_EQ(sends[3], "POST /open-apis/im/v1/messages?receive_id_type=chat_id t-1");
    out.replace_ref = "om_1/x";
    EXPECT_EQ(h.send(out).status, Status::sent);
    EXPECT_EQ(api.sends().size(), 5u);
}

TEST(FeishuAdapter, TokenAndNetworkFailuresRetryWithoutSecrets) {
    OpenApi api("another secret");  // the app secret is refused
    Harness h(api.base(), encrypted_options());
    Outbound out;
    out.recipient = "ou_wang";
    out.text = "x";
    SendResult r = h.send(out);
    EXPECT_EQ(r.status, Status::retry);
    EXPECT_THAT(r.error, HasSubstr("tenant_access_token: HTTP 400: code 10014"));
    EXPECT_THAT(r.error, Not(HasSubstr("SECRET")));
    EXPECT_TRUE(api.sends().empty());

    const auto port = fu::test::closed_port();
    Harness down("http://127.0.0.1:" + std::to_string(port), encrypted_options());
    r = down.send(out);
    EXPECT_EQ(r.status, Status::retry);
    EXPECT_THAT(r.error, HasSubstr("tenant_access_token"));
    EXPECT_THAT(r.error, Not(HasSubstr("SECRET")));
}

}  // namespace
