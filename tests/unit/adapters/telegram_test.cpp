// Telegram's Bot API protocol, then the adapter against a fake Bot API on
// loopback. Past 500 lines on purpose: the protocol's helpers and sample
// updates serve both halves (WeCom and Feishu, larger, are split in two files).
#include "adapters/telegram/telegram.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <atomic>
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
namespace tg = fu::adapters::telegram;
namespace asio = boost::asio;
namespace http = boost::beast::http;

// ---- parsing -------------------------------------------------------------------

const char* kPrivateMessage = R"({"update_id": 1001, "message": {"message_id": 7, "date": 1700000000,
    "from": {"id": 123456789, "is_bot": false, "first_name": "Maria"},
    "chat": {"id": 123456789, "type": "private", "first_name": "Maria"}, "text": "/today"}})";

TEST(TelegramParse, PrivateMessage) {
    auto u = tg::parse_update(kPrivateMessage);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->update_id, 1001);
    EXPECT_TRUE(u->callback_query_id.empty());
    ASSERT_TRUE(u->inbound);
    const Inbound& in = *u->inbound;
    EXPECT_EQ(in.platform, "telegram");
    EXPECT_EQ(in.event_id, "u1001");
    EXPECT_EQ(in.user_id, "123456789");
    EXPECT_EQ(in.chat_id, "123456789");
    EXPECT_TRUE(in.direct);
    EXPECT_EQ(in.text, "/today");
    EXPECT_FALSE(in.button);
    EXPECT_EQ(in.message_ref, "");
}

TEST(TelegramParse, GroupChat) {
    auto u = tg::parse_update(R"({"update_id": 5, "message": {"message_id": 9,
        "from": {"id": 42, "is_bot": false}, "chat": {"id": -1001234567890, "type": "supergroup", "title": "Sales"},
        "text": "/today@FollowupBot 明天"}})");
    ASSERT_TRUE(u && u->inbound);
    EXPECT_EQ(u->inbound->chat_id, "-1001234567890");
    EXPECT_EQ(u->inbound->user_id, "42");
    EXPECT_FALSE(u->inbound->direct);
    EXPECT_EQ(u->inbound->text, "/today 明天");  // the bot's name is dropped from the command
    // Only a leading command is touched.
    auto v = tg::parse_update(R"({"update_id": 6, "message": {"from": {"id": 42}, "chat": {"id": -5, "type": "group"},
        "text": "mail a@b.com"}})");
    ASSERT_TRUE(v && v->inbound);
    EXPECT_EQ(v->inbound->text, "mail a@b.com");
}

TEST(TelegramParse, CallbackQuery) {
    auto u = tg::parse_update(R"({"update_id": 1002, "callback_query": {"id": "4382bfdwdsb323b2d9",
        "from": {"id": 123456789, "is_bot": false}, "data": "done 17",
        "message": {"message_id": 55, "chat": {"id": 123456789, "type": "private"}, "text": "Call Acme"}}})");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->callback_query_id, "4382bfdwdsb323b2d9");
    ASSERT_TRUE(u->inbound);
    EXPECT_TRUE(u->inbound->button);
    EXPECT_EQ(u->inbound->text, "done 17");
    EXPECT_EQ(u->inbound->message_ref, "55");
    EXPECT_EQ(u->inbound->chat_id, "123456789");
    EXPECT_EQ(u->inbound->user_id, "123456789");
    EXPECT_EQ(u->inbound->event_id, "u1002");
    EXPECT_TRUE(u->inbound->direct);
}

TEST(TelegramParse, CallbackWithoutMessageIsAnsweredButIgnored) {
    auto u = tg::parse_update(R"({"update_id": 3, "callback_query": {"id": "9", "from": {"id": 1},
        "inline_message_id": "abc", "data": "x"}})");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->callback_query_id, "9");
    EXPECT_FALSE(u->inbound);
}

TEST(TelegramParse, IgnoredKinds) {
    for (
        const char* body :
        {R"({"update_id": 1, "edited_message": {"message_id": 7, "from": {"id": 1}, "chat": {"id": 1, "type": "private"}, "text": "x"}})",
         R"({"update_id": 2, "message": {"message_id": 7, "from": {"id": 1}, "chat": {"id": 1, "type": "private"}, "sticker": {}}})",
         R"({"update_id": 3, "message": {"message_id": 7, "from": {"id": 9, "is_bot": true}, "chat": {"id": -1, "type": "group"}, "text": "hi"}})",
         R"({"update_id": 4, "message": {"message_id": 7, "sender_chat": {"id": -100}, "chat": {"id": -100, "type": "channel"}, "text": "hi"}})",
         R"({"update_id": 5, "channel_post": {"message_id": 7, "chat": {"id": -100, "type": "channel"}, "text": "hi"}})",
         R"({"update_id": 6, "my_chat_member": {}})", R"({"update_id": 7})"}) {
        auto u = tg::parse_update(body);
        ASSERT_TRUE(u) << body;
        EXPECT_FALSE(u->inbound) << body;
        EXPECT_TRUE(u->callback_query_id.empty()) << body;
    }
}

TEST(TelegramParse, Malformed) {
    for (
        const char* body :
        {"", "not json", "[]", "42", R"({"message": {}})", R"({"update_id": "1"})", R"({"update_id": 1.5})",
         R"({"update_id": 1, "message": "hi"})",
         R"({"update_id": 1, "message": {"from": {"id": 1}, "text": "no chat"}})",
         R"({"update_id": 1, "callback_query": {"from": {"id": 1}, "data": "x"}})",
         R"({"update_id": 1, "callback_query": {"id": "q", "data": "x"}})",
         R"({"update_id": 1, "callback_query": {"id": "q", "from": {"id": 1}, "data": "x", "message": {"chat": {"id": 1}}}})"})
        EXPECT_FALSE(tg::parse_update(body)) << body;
}

TEST(TelegramParse, Batch) {
    auto b =
        tg::parse_updates(std::string(R"({"ok": true, "result": [)") + kPrivateMessage +
                          R"(, {"update_id": 1003, "message": "broken"}, {"update_id": 1002, "edited_message": {}}]})");
    ASSERT_TRUE(b);
    ASSERT_EQ(b->updates.size(), 2u);  // the broken one is skipped
    EXPECT_EQ(b->updates[0].update_id, 1001);
    EXPECT_EQ(b->max_update_id, 1003);  // but still passed over
    auto empty = tg::parse_updates(R"({"ok": true, "result": []})");
    ASSERT_TRUE(empty);
    EXPECT_FALSE(empty->max_update_id);
    EXPECT_FALSE(tg::parse_updates(R"({"ok": false, "error_code": 409, "description": "Conflict"})"));
    EXPECT_FALSE(tg::parse_updates(R"({"ok": true, "result": {}})"));
    EXPECT_FALSE(tg::parse_updates("<html>"));
}

// ---- rendering -----------------------------------------------------------------------

std::vector<Button> reminder_buttons() {
    return {{"Done", "done 17"},
            {"Snooze 1h", "snooze 17 1h"},
            {"Tomorrow 9:00", "snooze 17 tomorrow 9:00"},
            {"Skip", "skip 17"}};
}

TEST(TelegramRender, SendMessageWithKeyboard) {
    Outbound out;
    out.recipient = "123456789";
    out.chat_id = "123456789";
    out.text = "Call Acme";
    out.buttons = reminder_buttons();
    auto call = tg::render(out);
    EXPECT_EQ(call.method, "sendMessage");
    json body = json::parse(call.body);
    EXPECT_EQ(body["chat_id"], 123456789);  // a number
    EXPECT_EQ(body["text"], "Call Acme");
    const json& rows = body["reply_markup"]["inline_keyboard"];
    ASSERT_EQ(rows.size(), 2u);
    ASSERT_EQ(rows[0].size(), 3u);
    ASSERT_EQ(rows[1].size(), 1u);
    EXPECT_EQ(rows[0][0], (json{{"text", "Done"}, {"callback_data", "done 17"}}));
    EXPECT_EQ(rows[0][2]["text"], "Tomorrow 9:00");
    EXPECT_EQ(rows[1][0]["callback_data"], "skip 17");
    EXPECT_FALSE(body.contains("message_id"));
}

TEST(TelegramRender, RecipientWhenNoChatAndNoKeyboardWithoutButtons) {
    Outbound out;
    out.recipient = "987";
    out.text = "hi";
    json body = json::parse(tg::render(out).body);
    EXPECT_EQ(body["chat_id"], 987);
    EXPECT_FALSE(body.contains("reply_markup"));
    out.chat_id = "@sales_channel";  // not a number: sent as a string
    EXPECT_EQ(json::parse(tg::render(out).body)["chat_id"], "@sales_channel");
    out.chat_id = "-1001234567890";
    EXPECT_EQ(json::parse(tg::render(out).body)["chat_id"], -1001234567890LL);
}

TEST(TelegramRender, LongCallbackDataIsDropped) {
    Outbound out;
    out.chat_id = "1";
    out.text = "x";
    out.buttons = {
        {"ok", std::string(64, 'a')}, {"too long", std::string(65, 'b')}, {"empty", ""}, {"", "label from command"}};
    json rows = json::parse(tg::render(out).body)["reply_markup"]["inline_keyboard"];
    ASSERT_EQ(rows.size(), 1u);
    ASSERT_EQ(rows[0].size(), 2u);
    EXPECT_EQ(rows[0][0]["callback_data"], std::string(64, 'a'));
    EXPECT_EQ(rows[0][1]["text"], "label from command");
    // All dropped: no keyboard at all on a new message.
    out.buttons = {{"too long", std::string(65, 'b')}};
    EXPECT_FALSE(json::parse(tg::render(out).body).contains("reply_markup"));
    // 64 bytes, not characters: 22 three-byte characters are 66 bytes.
    std::string zh;
    for (int i = 0; i < 22; ++i) zh += "完";
    EXPECT_EQ(tg::render_keyboard({{"x", zh}}), R"({"inline_keyboard":[]})");
}

TEST(TelegramRender, EditBody) {
    Outbound out;
    out.chat_id = "123456789";
    out.replace_ref = "55";
    out.text = "✓ Done: Call Acme";
    auto call = tg::render(out);
    EXPECT_EQ(call.method, "editMessageText");
    json body = json::parse(call.body);
    EXPECT_EQ(body["chat_id"], 123456789);
    EXPECT_EQ(body["message_id"], 55);
    EXPECT_EQ(body["text"], "✓ Done: Call Acme");
    EXPECT_EQ(body["reply_markup"], (json{{"inline_keyboard", json::array()}}));  // buttons removed
    out.buttons = {{"Undo", "undo 17"}};
    EXPECT_EQ(json::parse(tg::render(out).body)["reply_markup"]["inline_keyboard"][0][0]["text"], "Undo");
}

std::size_t utf16_units(const std::string& s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) != 0x80) n += (c >= 0xF0) ? 2 : 1;
    }
    return n;
}

TEST(TelegramRender, Truncation) {
    EXPECT_EQ(tg::fit_text(std::string(4096, 'a')), std::string(4096, 'a'));
    auto cut = tg::fit_text(std::string(5000, 'a'));
    EXPECT_EQ(utf16_units(cut), 4096u);
    EXPECT_EQ(cut, std::string(4095, 'a') + "…");
    EXPECT_EQ(tg::fit_text(""), "…");
    // Chinese: 3 bytes, one unit each; never cut inside a character.
    std::string zh;
    for (int i = 0; i < 5000; ++i) zh += "跟";
    auto z = tg::fit_text(zh);
    EXPECT_EQ(utf16_units(z), 4096u);
    EXPECT_EQ(z.size(), 4095u * 3 + 3);
    // Emoji outside the BMP count twice.
    std::string emoji;
    for (int i = 0; i < 2100; ++i) emoji += "📞";
    auto e = tg::fit_text(emoji);
    EXPECT_LE(utf16_units(e), 4096u);
    EXPECT_EQ(e, [] {
        std::string s;
        for (int i = 0; i < 2047; ++i) s += "📞";
        return s + "…";
    }());
    EXPECT_EQ(tg::fit_text("abcdef", 4), "abc…");
    EXPECT_EQ(tg::fit_text("ab   cdef", 6), "ab…");  // no blank before the ellipsis
    Outbound out;
    out.chat_id = "1";
    out.text = std::string(5000, 'x');
    EXPECT_EQ(json::parse(tg::render(out).body)["text"].get<std::string>().size(), 4095u + 3);
}

// ---- answers ----------------------------------------------------------------------------

using Status = SendResult::Status;

TEST(TelegramInterpret, Sent) {
    auto r = tg::interpret(200, "",
                           R"({"ok":true,"result":{"message_id":77,"chat":{"id":123,"type":"private"},"text":"x"}})",
                           false, "123", "");
    EXPECT_EQ(r.status, Status::sent);
    EXPECT_EQ(r.message_ref, "77");
    EXPECT_EQ(r.chat_id, "123");
    // An edit answers true (the emulator: null): the message stays the same.
    auto e = tg::interpret(200, "", R"({"ok":true,"result":true})", true, "123", "55");
    EXPECT_EQ(e.status, Status::sent);
    EXPECT_EQ(e.message_ref, "55");
    EXPECT_EQ(e.chat_id, "123");
}

TEST(TelegramInterpret, RateLimited) {
    auto r = tg::interpret(
        429, "",
        R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}})",
        false, "1", "");
    EXPECT_EQ(r.status, Status::retry);
    ASSERT_TRUE(r.retry_after);
    EXPECT_EQ(*r.retry_after, 7s);
    EXPECT_THAT(r.error, HasSubstr("Too Many Requests"));
    auto b =
        tg::interpret(200, "", R"({"ok":false,"error_code":429,"description":"Too Many Requests"})", false, "1", "");
    EXPECT_EQ(b.status, Status::retry);
    EXPECT_FALSE(b.retry_after);
}

TEST(TelegramInterpret, RateLimitedHonoursTheRetryAfterHeader) {
    // Only the header (a proxy's 429, or an answer without parameters).
    auto h =
        tg::interpret(429, "20", R"({"ok":false,"error_code":429,"description":"Too Many Requests"})", false, "1", "");
    EXPECT_EQ(h.status, Status::retry);
    EXPECT_EQ(h.retry_after, std::optional<std::chrono::seconds>(20s));
    EXPECT_EQ(tg::interpret(429, " 20 ", "<html>Too Many Requests</html>", false, "1", "").retry_after,
              std::optional<std::chrono::seconds>(20s));
    // Both: the longer wait holds, whichever says it.
    const std::string body7 =
        R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}})";
    EXPECT_EQ(tg::interpret(429, "20", body7, false, "1", "").retry_after, std::optional<std::chrono::seconds>(20s));
    EXPECT_EQ(tg::interpret(429, "3", body7, false, "1", "").retry_after, std::optional<std::chrono::seconds>(7s));
    // Unreadable or zero headers are ignored; a huge one is capped at an hour.
    EXPECT_EQ(tg::interpret(429, "soon", body7, false, "1", "").retry_after, std::optional<std::chrono::seconds>(7s));
    EXPECT_FALSE(tg::interpret(429, "0", "{}", false, "1", "").retry_after);
    EXPECT_EQ(tg::interpret(429, "999999", "{}", false, "1", "").retry_after,
              std::optional<std::chrono::seconds>(3600s));
}

TEST(TelegramInterpret, ServerErrorsRetry) {
    EXPECT_EQ(tg::interpret(502, "", "<html>Bad Gateway</html>", false, "1", "").status, Status::retry);
    EXPECT_EQ(
        tg::interpret(500, "", R"({"ok":false,"error_code":500,"description":"Internal Server Error"})", false, "1", "")
            .status,
        Status::retry);
    EXPECT_EQ(tg::interpret(200, "", "garbage", false, "1", "").status, Status::retry);
}

TEST(TelegramInterpret, ClientErrorsFail) {
    auto r = tg::interpret(403, "",
                           R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})",
                           false, "1", "");
    EXPECT_EQ(r.status, Status::failed);
    EXPECT_THAT(r.error, HasSubstr("bot was blocked by the user"));
    EXPECT_EQ(tg::interpret(400, "", R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})",
                            false, "1", "")
                  .status,
              Status::failed);
    const char* not_modified =
        R"({"ok":false,"error_code":400,"description":"Bad Request: message is not modified: specified new message content and reply markup are exactly the same"})";
    auto edit = tg::interpret(400, "", not_modified, true, "1", "55");
    EXPECT_EQ(edit.status, Status::sent);
    EXPECT_EQ(edit.message_ref, "55");
    EXPECT_EQ(tg::interpret(400, "", not_modified, false, "1", "").status, Status::failed);
    auto migrated = tg::interpret(
        400, "",
        R"({"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001}})",
        false, "-5", "");
    EXPECT_EQ(migrated.status, Status::failed);
    EXPECT_THAT(migrated.error, HasSubstr("-1001"));
}

// ---- the adapter against a fake Bot API ------------------------------------------------

using fu::test::FakeApi;

// The Bot API answers application/json (no charset).
fu::test::Response json_response(unsigned status, const std::string& body) {
    return FakeApi::reply(status, body, "", "application/json");
}

FakeApi::Respond always_ok() {
    return [](const fu::test::Request&) {
        return json_response(200, R"({"ok":true,"result":{"message_id":77,"chat":{"id":123456789}}})");
    };
}

const std::string kToken = "4242:SECRET-token_x";

const fu::SystemClock kSystemClock;

struct Harness : fu::test::AdapterHarnessBase {
    explicit Harness(tg::Options o, const fu::Clock& clock = kSystemClock) : AdapterHarnessBase("666") {
        if (o.token.empty()) o.token = kToken;
        adapter = std::make_unique<tg::TelegramAdapter>(ioc.get_executor(), http, inbox, std::move(o), clock);
        start();
    }
    ~Harness() {
        adapter->stop();
        for (int i = 0; i < 200 && adapter->polling_active(); ++i) std::this_thread::sleep_for(10ms);
        stop();
    }
    fu::net::Response hook(const std::string& body, const std::string& secret = "",
                           http::verb verb = http::verb::post) {
        fu::net::Request req{verb, "/hooks/telegram", 11};
        if (!secret.empty()) req.set("X-Telegram-Bot-Api-Secret-Token", secret);
        req.set(http::field::content_type, "application/json");
        req.body() = body;
        req.prepare_payload();
        return run(fu::adapters::serve_webhook(*adapter, inbox, req));
    }

    std::unique_ptr<tg::TelegramAdapter> adapter;
};

tg::Options webhook_options(const std::string& base, const std::string& secret = "") {
    tg::Options o;
    o.api_base = base;
    o.secret_token = secret;
    return o;
}

TEST(TelegramAdapter, WebhookSecretToken) {
    FakeApi api(always_ok());
    Harness h(webhook_options(api.base(), "s3cret-_X"));
    EXPECT_EQ(h.hook(kPrivateMessage).result_int(), 401);
    EXPECT_EQ(h.hook(kPrivateMessage, "s3cret-_Y").result_int(), 401);
    EXPECT_EQ(h.hook(kPrivateMessage, "s3cret-_").result_int(), 401);
    EXPECT_TRUE(h.inbox.got().empty());
    auto res = h.hook(kPrivateMessage, "s3cret-_X");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), "{}");
    ASSERT_EQ(h.inbox.got().size(), 1u);
    EXPECT_EQ(h.inbox.got()[0].text, "/today");
    EXPECT_EQ(h.inbox.got()[0].event_id, "u1001");
    EXPECT_TRUE(api.calls().empty());  // a registered user's reply goes through the outbox
}

TEST(TelegramAdapter, WebhookBadRequests) {
    FakeApi api(always_ok());
    Harness h(webhook_options(api.base()));
    EXPECT_EQ(h.hook("{not json").result_int(), 400);
    EXPECT_EQ(h.hook(R"({"message": {}})").result_int(), 400);
    EXPECT_EQ(h.hook(kPrivateMessage, "", http::verb::get).result_int(), 405);
    EXPECT_EQ(h.hook(R"({"update_id": 9, "edited_message": {"text": "x"}})").result_int(), 200);
    EXPECT_TRUE(h.inbox.got().empty());
    h.inbox.fail(true);
    EXPECT_EQ(h.hook(kPrivateMessage).result_int(), 500);  // Telegram retries; the Inbox deduplicates
}

TEST(TelegramAdapter, CallbackIsAnsweredThenAccepted) {
    FakeApi api(always_ok());
    Harness h(webhook_options(api.base()));
    auto res = h.hook(R"({"update_id": 1002, "callback_query": {"id": "cbq-1", "from": {"id": 123456789},
        "data": "done 17", "message": {"message_id": 55, "chat": {"id": 123456789, "type": "private"}}}})");
    EXPECT_EQ(res.result_int(), 200);
    auto calls = api.calls();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].target, "/bot" + kToken + "/answerCallbackQuery");
    EXPECT_EQ(calls[0].content_type, "application/json");
    EXPECT_EQ(json::parse(calls[0].body), (json{{"callback_query_id", "cbq-1"}}));
    ASSERT_EQ(h.inbox.got().size(), 1u);
    EXPECT_TRUE(h.inbox.got()[0].button);
    EXPECT_EQ(h.inbox.got()[0].message_ref, "55");
}

TEST(TelegramAdapter, FailedCallbackAnswerDoesNotStopTheUpdate) {
    FakeApi api([](const fu::test::Request&) {
        return json_response(400, R"({"ok":false,"error_code":400,"description":"query is too old"})");
    });
    Harness h(webhook_options(api.base()));
    auto res = h.hook(R"({"update_id": 3, "callback_query": {"id": "q", "from": {"id": 1}, "data": "done 1",
        "message": {"message_id": 5, "chat": {"id": 1, "type": "private"}}}})");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(h.inbox.got().size(), 1u);
}

// A stranger's reply is queued by the bot and sent by the dispatcher like any
// other, to their chat: the adapter sends nothing itself.
TEST(TelegramAdapter, AStrangersReplyIsSentLikeAnyOtherToTheirChat) {
    FakeApi api(always_ok());
    Harness h(webhook_options(api.base()));
    auto res = h.hook(R"({"update_id": 8, "message": {"message_id": 1, "from": {"id": 666},
        "chat": {"id": 666, "type": "private"}, "text": "hello"}})");
    EXPECT_EQ(res.result_int(), 200);
    ASSERT_EQ(h.inbox.got().size(), 1u);
    const Inbound in = h.inbox.got()[0];
    EXPECT_FALSE(in.answered_inline);
    EXPECT_TRUE(api.calls().empty());
    EXPECT_EQ(h.run(h.adapter->send(fu::test::stranger_reply(in))).status, SendResult::Status::sent);
    auto calls = api.calls();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].target, "/bot" + kToken + "/sendMessage");
    json body = json::parse(calls[0].body);
    EXPECT_EQ(body["chat_id"], 666);
    EXPECT_EQ(body["text"], "You are not registered.");
}

TEST(TelegramAdapter, SendAndEdit) {
    FakeApi api(always_ok());
    Harness h(webhook_options(api.base()));
    Outbound out;
    out.recipient = "123456789";
    out.text = "Call Acme";
    out.buttons = reminder_buttons();
    SendResult r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, SendResult::Status::sent) << r.error;
    EXPECT_EQ(r.message_ref, "77");
    EXPECT_EQ(r.chat_id, "123456789");
    out.replace_ref = "77";
    out.buttons.clear();
    r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, SendResult::Status::sent);
    auto calls = api.calls();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].target, "/bot" + kToken + "/sendMessage");
    EXPECT_EQ(json::parse(calls[0].body)["reply_markup"]["inline_keyboard"].size(), 2u);
    EXPECT_EQ(calls[1].target, "/bot" + kToken + "/editMessageText");
    EXPECT_EQ(json::parse(calls[1].body)["message_id"], 77);
}

TEST(TelegramAdapter, SendRetriesAndFailures) {
    FakeApi api([](const fu::test::Request& req) {
        json body = json::parse(req.body());
        if (body["chat_id"] == 1)
            return json_response(
                429,
                R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}})");
        if (body["chat_id"] == 2) return json_response(503, "busy");
        return json_response(403,
                             R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})");
    });
    Harness h(webhook_options(api.base()));
    Outbound out;
    out.text = "x";
    out.chat_id = "1";
    SendResult r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, SendResult::Status::retry);
    EXPECT_EQ(r.retry_after, std::optional<std::chrono::seconds>(3s));
    out.chat_id = "2";
    EXPECT_EQ(h.run(h.adapter->send(out)).status, SendResult::Status::retry);
    out.chat_id = "3";
    r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, SendResult::Status::failed);
    EXPECT_THAT(r.error, HasSubstr("blocked"));
    out.chat_id.clear();
    EXPECT_EQ(h.run(h.adapter->send(out)).status, SendResult::Status::failed);  // nowhere to send
}

TEST(TelegramAdapter, SendHonoursARetryAfterHeader) {
    FakeApi api([](const fu::test::Request&) {
        return FakeApi::reply(
            429,
            R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}})",
            "20");
    });
    Harness h(webhook_options(api.base()));
    Outbound out;
    out.text = "x";
    out.chat_id = "1";
    SendResult r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, SendResult::Status::retry);
    EXPECT_EQ(r.retry_after, std::optional<std::chrono::seconds>(20s));
}

TEST(TelegramAdapter, NetworkErrorsRetryWithoutTheToken) {
    const auto port = fu::test::closed_port();
    Harness h(webhook_options("http://127.0.0.1:" + std::to_string(port)));
    Outbound out;
    out.chat_id = "1";
    out.text = "x";
    SendResult r = h.run(h.adapter->send(out));
    EXPECT_EQ(r.status, SendResult::Status::retry);
    EXPECT_THAT(r.error, HasSubstr("sendMessage"));
    EXPECT_THAT(r.error, Not(HasSubstr(kToken)));
    // A bad base URL: the client's error quotes the URL, which holds the token.
    Harness bad(webhook_options("http://exa mple"));
    r = bad.run(bad.adapter->send(out));
    EXPECT_EQ(r.status, SendResult::Status::retry);
    EXPECT_THAT(r.error, Not(HasSubstr("SECRET")));
}

TEST(TelegramAdapter, Polling) {
    std::atomic<int> polls{0};
    FakeApi api([&](const fu::test::Request& req) {
        if (!req.target().ends_with("/getUpdates")) return always_ok()(req);
        int n = ++polls;
        if (n == 1) return json_response(502, "bad gateway");  // backs off 1 s
        if (n == 2)
            return json_response(200, std::string(R"({"ok":true,"result":[)") + kPrivateMessage +
                                          R"(,{"update_id":1004,"edited_message":{}}]})");
        return json_response(200, R"({"ok":true,"result":[]})");
    });
    tg::Options o = webhook_options(api.base());
    o.polling = true;
    o.poll_timeout = 1s;
    Harness h(o);
    EXPECT_EQ(h.hook(kPrivateMessage).result_int(), 404);  // no webhooks in polling mode
    h.adapter->start();
    EXPECT_TRUE(h.adapter->polling_active());
    ASSERT_TRUE(h.wait_for([&] { return polls.load() >= 3; }, 5000ms));
    ASSERT_EQ(h.inbox.got().size(), 1u);
    EXPECT_EQ(h.inbox.got()[0].event_id, "u1001");
    auto calls = api.calls();
    json first = json::parse(calls[0].body);
    EXPECT_EQ(first["timeout"], 1);
    EXPECT_FALSE(first.contains("offset"));
    EXPECT_EQ(first["allowed_updates"], (json{"message", "callback_query"}));
    EXPECT_EQ(json::parse(calls[2].body)["offset"], 1005);  // past the ignored update too
    h.adapter->stop();
    EXPECT_TRUE(h.wait_for([&] { return !h.adapter->polling_active(); }, 2000ms));
}

// A server that answers an empty poll at once is asked again only after the
// minimum poll interval, measured on the adapter's Clock: one whose monotonic
// time leaps a second at each reading sees every poll as long enough and
// asks again at once.
TEST(TelegramAdapter, EmptyPollsArePacedByTheAdaptersClock) {
    struct LeapingClock final : fu::Clock {
        fu::TimePoint now() const override { return fu::from_unix(1795399200); }
        fu::Monotonic monotonic() const override { return fu::Monotonic(fu::Seconds(++leaps)); }
        mutable std::atomic<int> leaps{0};
    };
    for (const bool leaping : {false, true}) {
        std::atomic<int> polls{0};
        FakeApi api([&](const fu::test::Request& req) {
            if (req.target().ends_with("/getUpdates")) ++polls;
            return json_response(200, R"({"ok":true,"result":[]})");
        });
        tg::Options o = webhook_options(api.base());
        o.polling = true;
        o.poll_timeout = 1s;
        LeapingClock leaping_clock;
        Harness h(o, leaping ? static_cast<const fu::Clock&>(leaping_clock) : kSystemClock);
        h.adapter->start();
        std::this_thread::sleep_for(400ms);
        h.adapter->stop();
        EXPECT_TRUE(h.wait_for([&] { return !h.adapter->polling_active(); }, 2000ms));
        if (leaping)
            EXPECT_GE(polls.load(), 4) << "paced although the clock said each poll took a second";
        else
            EXPECT_LE(polls.load(), 2) << "not paced: 500 ms between empty polls";
    }
}

TEST(TelegramAdapter, StopCancelsALongPoll) {
    fu::test::TestServerOptions silent;
    silent.silent = true;  // accepts, never answers
    FakeApi api(always_ok(), "", silent);
    tg::Options o = webhook_options(api.base());
    o.polling = true;
    o.poll_timeout = 25s;
    Harness h(o);
    h.adapter->start();
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(h.adapter->polling_active());
    const auto t0 = std::chrono::steady_clock::now();
    h.adapter->stop();
    EXPECT_TRUE(h.wait_for([&] { return !h.adapter->polling_active(); }, 2000ms));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
}

}  // namespace
