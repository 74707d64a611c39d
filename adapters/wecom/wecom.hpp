#pragma once
// The WeCom (企业微信) adapter for a self-built application (自建应用):
// callbacks on GET and POST /hooks/wecom (the URL check with `echostr`, then
// encrypted XML messages and template-card button presses), every one checked
// with `msg_signature`, a timestamp window and the receive id before it is
// used; replies and reminders through message/send with an access_token that
// is cached and refreshed; a pressed card is replaced through
// message/update_template_card.
//
// Callbacks are answered at once with an empty 200 (WeCom retries after 5 s);
// the reply goes through the outbox. Only an unregistered sender, who has no
// outbox, gets the answer in the HTTP response, as an encrypted passive reply.
//
// The signing, encryption, parsing and rendering are pure functions (below, in
// wecom_format.cpp) so they can be tested without a network; the adapter class
// (wecom.cpp) only moves bytes.
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/adapter.hpp"
#include "adapters/token_cache.hpp"
#include "core/clock.hpp"
#include "net/http_client.hpp"

namespace fu::adapters::wecom {

struct Options {
    std::string corp_id;           // CorpID: the receive id every callback must carry
    std::string corp_secret;       // the application's Secret (a secret: never logged)
    long long agent_id = 0;        // the application's AgentId
    std::string token;             // the callback Token (a secret)
    std::string encoding_aes_key;  // the callback EncodingAESKey, 43 characters (a secret)
    std::string api_base = "https://qyapi.weixin.qq.com";
    std::chrono::seconds signature_window{300};  // |now - timestamp| allowed; WeCom retries within ~15 s
};

// ---- pure helpers ----------------------------------------------------------------

constexpr std::size_t kMaxTextBytes = 2048;   // text.content: WeCom cuts longer texts
constexpr std::size_t kMaxButtons = 6;        // button_list of a button_interaction card
constexpr std::size_t kMaxKeyBytes = 1024;    // button_list.key, unique within a card
constexpr std::size_t kMaxTaskIdBytes = 128;  // task_id: digits, letters and "_-@"
constexpr int kDuplicateCheckSeconds = 3600;  // message/send duplicate_check_interval on a retry (at most 4 h)
// Suggested lengths in 字 (a CJK character; two ASCII characters count as one).
constexpr std::size_t kMaxButtonWidth = 10;
constexpr std::size_t kMaxTitleWidth = 36;
constexpr std::size_t kMaxSubtitleWidth = 160;

// The 32-byte AES key from the 43-character EncodingAESKey (base64 without its
// "="; the unused low bits of the last character are ignored, as WeCom's own
// SDKs do). nullopt: not such a key.
std::optional<std::string> aes_key(std::string_view encoding_aes_key);

// hex(SHA-1(the four strings sorted and joined)): WeCom's msg_signature.
std::string sign(std::string_view token, std::string_view timestamp, std::string_view nonce, std::string_view encrypt);

// base64(AES-256-CBC(16 random bytes ‖ 4-byte big-endian length ‖ message ‖
// receive id, PKCS#7 to 32 bytes)), IV = key[0:16]. random16: 16 bytes (tests
// pass fixed ones); the overload without it draws them from the CSPRNG.
std::string encrypt(std::string_view key, std::string_view message, std::string_view receive_id,
                    std::string_view random16);
std::string encrypt(std::string_view key, std::string_view message, std::string_view receive_id);

// The reverse of encrypt. problem: empty on success, else which check failed
// (base64, length, padding, the length field).
struct Decrypted {
    std::string message;
    std::string receive_id;
    std::string problem;
};
Decrypted decrypt(std::string_view key, std::string_view encrypted);

// The callback's query parameters, %-decoded ('+' stays '+': base64 uses it).
// nullopt: not a valid query string.
struct CallbackQuery {
    std::string msg_signature, timestamp, nonce, echostr;
};
std::optional<CallbackQuery> parse_query(std::string_view target);

// Everything a callback must pass, in order: the parameters are there, the
// timestamp is within `window` of now, the signature matches (constant time),
// the ciphertext decrypts, and the receive id is corp_id. status: 200 with the
// plaintext, 401 for a failed authentication (signature, time, receive id) or
// 400 for a body that cannot be decrypted; problem says which check failed.
struct Opened {
    unsigned status = 200;
    std::string problem;
    std::string message;
};
struct Secrets {
    std::string_view token;
    std::string_view key;  // from aes_key()
    std::string_view corp_id;
};
Opened open(const Secrets& secrets, const CallbackQuery& query, std::string_view encrypted, TimePoint now,
            std::chrono::seconds window);

// <Encrypt> of a POST body <xml><ToUserName/><Encrypt/><AgentID/></xml>;
// nullopt: not such XML.
std::optional<std::string> envelope_encrypt(std::string_view xml);

// A decrypted message as far as followupd acts on it. nullopt from the parser:
// malformed (not XML, no FromUserName or CreateTime, a text without MsgId, a
// card event without TaskId). inbound nullopt: a kind we ignore (images,
// enter_agent, presses of keys that are not ours, …).
struct Parsed {
    std::optional<Inbound> inbound;
};
// Text messages: event_id = MsgId. template_card_event: the key's command, as
// a button press; event_id derived from sender, CreateTime, TaskId and EventKey
// (the same across WeCom's retries); message_ref = message_ref(TaskId, ResponseCode).
std::optional<Parsed> parse_message(std::string_view xml);

// A pressed card as update_template_card needs it: "task_id:response_code"
// (task ids have no ':'), or the task id alone without a response code.
std::string message_ref(std::string_view task_id, std::string_view response_code);

// A button's key: "c_" + base64url(command), so a press names its command even
// after a restart. Empty when the key would exceed kMaxKeyBytes.
std::string button_key(std::string_view command);
// The command in a key from button_key; nullopt for any other key.
std::optional<std::string> command_of(std::string_view key);

// A fresh task_id: "fu-" + Unix time + "-" + 16 random hex digits.
std::string new_task_id(TimePoint now);

// Cuts text to at most max_bytes UTF-8 bytes, or max_width 字, ending with "…"
// when cut (never inside a UTF-8 sequence). Empty text becomes "…".
std::string fit_bytes(std::string_view text, std::size_t max_bytes);
std::string fit_width(std::string_view text, std::size_t max_width);

// The plaintext of a passive text reply from the application to `to_user`.
std::string reply_xml(std::string_view to_user, std::string_view corp_id, std::int64_t create_time,
                      std::string_view text);
// The signed envelope of an encrypted passive reply.
std::string envelope_xml(std::string_view token, std::string_view encrypted, std::string_view timestamp,
                         std::string_view nonce);

// An API call: the path under api_base (the access_token is added to the
// query), its JSON body, and the message ref it yields when accepted (the
// card's task id; empty: the answer's msgid).
struct ApiCall {
    std::string path;
    std::string body;
    std::string ref;
};

// message/send to `touser`: a button_interaction card {main_title: the first
// line, sub_title_text: the rest, task_id, button_list: up to 6 buttons with
// keys from button_key} when out has usable buttons and its text fits a card,
// else text {content}. A retry (out.retry) asks for WeCom's duplicate check
// (enable_duplicate_check, kDuplicateCheckSeconds): the same message to the
// same member within the interval is not shown twice.
ApiCall render_send(const Outbound& out, std::string_view touser, long long agent_id, std::string_view task_id);
// A text too long for a card (a table, a digest) goes as text so nothing of it
// is cut; its buttons then follow in a card of their own, titled with the
// text's first line. nullopt: no such card is needed.
std::optional<ApiCall> render_buttons_card(const Outbound& out, std::string_view touser, long long agent_id,
                                           std::string_view task_id);
// message/update_template_card for out.replace_ref (a message_ref with a
// response code) and the user who pressed: the card is replaced by one with
// out's text and buttons; without buttons, a grey "✓" stands where they were.
// nullopt: replace_ref has no response code.
std::optional<ApiCall> render_update(const Outbound& out, std::string_view userid, long long agent_id);

// Maps an API answer to a SendResult: errcode 0 is sent (unless the recipient
// is listed as invalid), -1 and rate limits retry, others fail. touser: the
// chat reported back; ref: the message ref of a sent card.
SendResult interpret(unsigned http_status, std::string_view body, const std::string& touser, const std::string& ref);
// The answer refuses the access_token (40014 invalid, 42001 expired).
bool token_refused(std::string_view body);

// A gettoken answer {errcode: 0, access_token, expires_in}; throws TokenError.
AccessToken parse_token(std::string_view body);

// ---- the adapter -------------------------------------------------------------------

class WeComAdapter final : public Adapter {
public:
    // clock: for the timestamp window and the token cache (it must outlive the
    // adapter). Throws std::invalid_argument for an EncodingAESKey that is not one.
    WeComAdapter(net::HttpClient& http, Options o, const Clock& clock);

    std::string_view name() const override { return "wecom"; }
    // WeCom drops what exceeds 30 messages a minute to one member: stay below.
    Limits limits() const override { return Limits{20, 0.45, kMaxTextBytes}; }
    boost::asio::awaitable<Intake> intake(const net::Request&) override;
    // An unregistered sender is answered in the response (a passive reply).
    net::Response acknowledge(const net::Request&, const Intake&, Outcome&) override;
    boost::asio::awaitable<SendResult> send(Outbound) override;

    // Tokens fetched so far, for tests.
    std::size_t token_fetches() const { return tokens_.fetches(); }

private:
    std::string mask(std::string text) const;  // secrets and tokens replaced by "<secret>"
    boost::asio::awaitable<AccessToken> fetch_token();
    // One POST with the token in the query; throws net::ClientError.
    boost::asio::awaitable<net::ClientResponse> post(std::string path, std::string token, std::string body);
    // The call with a cached token; a refused token is replaced and the call made once more.
    boost::asio::awaitable<SendResult> call(ApiCall api, std::string touser);
    net::Response received(const net::Request&) const override;
    // Verifies, decrypts and parses a callback: an answer to give at once, or
    // nullopt with `message` set.
    std::optional<net::Response> check(const net::Request& req, Inbound& message) const;
    // The answer for an unregistered sender, encrypted into the HTTP response.
    net::Response passive_reply(const net::Request& req, const std::string& user, const std::string& text) const;

    net::HttpClient& http_;
    Options options_;
    const Clock& clock_;
    std::string key_;  // the AES key
    Secrets secrets_;  // views of the Token, key_ and the CorpID for open(), made once
    TokenCache tokens_;
};

}  // namespace fu::adapters::wecom
