#pragma once
// The DingTalk (钉钉) adapter: an enterprise-internal robot in HTTP mode.
//
// In: DingTalk POSTs each message sent to the robot (direct, or @robot in a
// group) to /hooks/dingtalk with the headers `timestamp` (ms) and `sign` =
// base64(HMAC-SHA256(app_secret, timestamp + "\n" + app_secret)). The sign
// proves DingTalk sent a request at that time but does not cover the body, so
// a msgId seen before is refused (409): deduplication is the replay defence.
//
// Out: a message for a conversation goes to its sessionWebhook while that is
// valid (each callback brings one, good for about 90 minutes; kept in memory,
// the latest wins); otherwise through the OpenAPI: direct chats, and
// conversations not seen since the start, with /v1.0/robot/oToMessages/batchSend
// to the recipient, groups with /v1.0/robot/groupMessages/send. The OpenAPI
// takes an accessToken that is cached, refreshed before it expires and, when
// DingTalk refuses it, fetched again once and the send repeated.
//
// Buttons: robot messages have no callback buttons (ActionCard buttons open
// URLs), so each button becomes a Markdown link
// dtmd://dingtalkclient/sendMessage?content=<command>: clicking it makes the
// DingTalk client send the command as the user, an ordinary text message.
// Typing the command works the same. Edits of a pressed-button message
// (Outbound.replace_ref) cannot be made with robot messages: the new text is
// sent as a new message.
//
// The parsing, signing and rendering are pure functions (below, in
// dingtalk_format.cpp) so they can be tested without a network; the adapter
// class (dingtalk.cpp) only moves bytes.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "adapters/adapter.hpp"
#include "adapters/token_cache.hpp"
#include "core/clock.hpp"
#include "net/http_client.hpp"

namespace fu::adapters::dingtalk {

struct Options {
    std::string app_key;     // the app's AppKey (Client ID)
    std::string app_secret;  // AppSecret (a secret: never logged): signs callbacks, gets tokens
    std::string robot_code;  // the robot's code (usually the AppKey)
    std::string api_base = "https://api.dingtalk.com";
    std::chrono::milliseconds signature_window{3600000};  // |now - timestamp| allowed
};

// ---- pure helpers ----------------------------------------------------------------

// Message text is cut to this many characters (code points). DingTalk does not
// state one limit for every message type; this stays well below the ones reported.
constexpr std::size_t kMaxTextChars = 4000;
constexpr std::size_t kMaxTitleChars = 32;  // a Markdown title: the notification and chat-list preview
constexpr std::size_t kMaxButtons = 6;
constexpr std::size_t kMaxCommandBytes = 500;  // a longer command is no button
constexpr std::string_view kSendMessageLink = "dtmd://dingtalkclient/sendMessage?content=";

// base64(HMAC-SHA256(secret, timestamp + "\n" + secret)): DingTalk's callback sign.
std::string sign(std::string_view secret, std::string_view timestamp_ms);

// Why a callback is refused, or empty when its timestamp and sign are good.
// The signs are compared in constant time.
std::string signature_problem(std::string_view secret, std::string_view timestamp_header, std::string_view sign_header,
                              TimePoint now, std::chrono::milliseconds window);

// A robot callback as far as followupd acts on it.
struct Callback {
    std::string msg_id;
    std::string conversation_id;
    bool direct = true;                           // conversationType "1"; "2" is a group
    std::string session_webhook;                  // empty when the body has none
    std::int64_t session_webhook_expires_ms = 0;  // sessionWebhookExpiredTime (Unix ms)
    std::optional<Inbound> inbound;               // nullopt: nothing to act on (not text, empty, no senderStaffId)
};

// Parses a callback body. nullopt: malformed (not a JSON object, or without
// msgId, conversationId or a conversationType of "1" or "2").
std::optional<Callback> parse_callback(std::string_view json_text);

// Whether followupd may POST to a sessionWebhook: an https URL on a
// *.dingtalk.com host, or one on the same scheme, host and port as api_base
// (a private gateway or a test stand-in). Anything else could make a forged
// body send messages to a host of the forger's choosing.
bool webhook_allowed(std::string_view url, std::string_view api_base);

// Percent-encoding of everything but A-Z a-z 0-9 - _ . ~ (UTF-8 bytes).
std::string url_encode(std::string_view text);

// A message as DingTalk's robot APIs take it.
struct Message {
    bool markdown = false;  // with buttons; plain text otherwise
    std::string title;      // markdown: the first line, cut
    std::string text;       // text, or the Markdown with one link a button
};

// Plain text without buttons (so nothing typed is taken for Markdown);
// Markdown with the buttons as dtmd links otherwise. Line breaks are kept,
// and links or HTML in the text are neutralised (a zero-width space after
// each ']' and '<'), so a customer named "[x](dtmd://…)" is no button.
Message render(const Outbound& out);

// The body for a sessionWebhook: {msgtype: text, text: {content}} or
// {msgtype: markdown, markdown: {title, text}}.
std::string webhook_body(const Message& m);
// batchSend {robotCode, userIds: [user_id], msgKey, msgParam} and
// groupMessages/send {robotCode, openConversationId, msgKey, msgParam}: msgKey
// sampleText ({content}) or sampleMarkdown ({title, text}), msgParam a JSON string.
std::string batch_send_body(const Message& m, std::string_view robot_code, std::string_view user_id);
std::string group_send_body(const Message& m, std::string_view robot_code, std::string_view conversation_id);

// POST /v1.0/oauth2/accessToken {appKey, appSecret}, and its answer
// {accessToken, expireIn}. parse_token throws TokenError on anything else.
std::string token_request_body(std::string_view app_key, std::string_view app_secret);
AccessToken parse_token(unsigned http_status, std::string_view body);

// True when an OpenAPI answer says the accessToken is invalid or expired
// (e.g. HTTP 400 {"code": "InvalidAuthentication", "message": "不合法的access_token"}).
bool token_refused(unsigned http_status, std::string_view body);

// Maps an OpenAPI send answer to a SendResult: 2xx with processQueryKey is
// sent (the key is the message_ref); user_id in invalidStaffIdList fails, in
// flowControlledStaffIdList retries; 429, throttling codes and 5xx retry;
// other 4xx fail.
SendResult interpret(unsigned http_status, std::string_view retry_after_header, std::string_view body,
                     std::string_view user_id);

// A sessionWebhook answer: {errcode: 0} is sent; "too fast" (130101, 130102),
// 429 and 5xx retry; any other refusal means the webhook can no longer be
// used (gone: send through the OpenAPI instead).
struct WebhookAnswer {
    SendResult result;
    bool gone = false;
};
WebhookAnswer interpret_webhook(unsigned http_status, std::string_view body);

// ---- the adapter -------------------------------------------------------------------

class DingTalkAdapter final : public Adapter {
public:
    // clock: for the signature window, webhook expiry and tokens (it must outlive the adapter).
    DingTalkAdapter(boost::asio::any_io_executor ex, net::HttpClient& http, Options o, const Clock& clock);

    std::string_view name() const override { return "dingtalk"; }
    // DingTalk publishes no one figure for robot sends; beyond what it allows it
    // answers "too fast" (130101) or a throttling code, and the send is retried.
    Limits limits() const override { return Limits{20, 1, kMaxTextChars}; }
    boost::asio::awaitable<Intake> intake(const net::Request&) override;
    // A failed message's msgId is forgotten so that DingTalk's retry is taken.
    net::Response acknowledge(const net::Request&, const Intake&, Outcome&) override;
    boost::asio::awaitable<SendResult> send(Outbound) override;

    // accessTokens fetched so far, for tests.
    std::size_t token_fetches() const { return tokens_.fetches(); }

private:
    // What the last callback of a conversation said about it.
    struct Session {
        bool direct = true;
        std::string webhook;  // empty: none, or not allowed
        TimePoint expires{};
    };

    std::string mask(std::string text) const;  // the app secret replaced by "<secret>"
    // The in-memory replay guard: true the first time msg_id is seen.
    bool first_sighting(const std::string& msg_id);
    void forget_sighting(const std::string& msg_id);
    void remember(const Callback& cb);
    std::optional<Session> session(const std::string& conversation_id) const;
    void drop_webhook(const std::string& conversation_id, const std::string& webhook);

    boost::asio::awaitable<AccessToken> fetch_token();
    // One POST; throws net::ClientError for network failures.
    boost::asio::awaitable<net::ClientResponse> post(std::string url, std::string body, std::string token);
    // An OpenAPI send with the cached token; a refused token is replaced once and the send repeated.
    boost::asio::awaitable<SendResult> api_send(std::string path, std::string body, std::string user_id);
    boost::asio::awaitable<WebhookAnswer> webhook_send(std::string url, std::string body);
    net::Response received(const net::Request&) const override;

    boost::asio::any_io_executor ex_;
    net::HttpClient& http_;
    Options options_;
    const Clock& clock_;
    TokenCache tokens_;

    mutable std::mutex mutex_;
    std::unordered_map<std::string, Session> sessions_;
    std::unordered_map<std::string, TimePoint> seen_;           // msgId -> when it arrived
    std::deque<std::pair<TimePoint, std::string>> seen_order_;  // oldest first, for pruning
};

}  // namespace fu::adapters::dingtalk
