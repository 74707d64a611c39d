#pragma once
// The Feishu / Lark adapter: event subscription v2 (POST /hooks/feishu) for
// `im.message.receive_v1` and the card callback `card.action.trigger`, both at
// the same URL; `im/v1/messages` to send text or interactive cards, PATCH of a
// card for pressed buttons, tenant_access_token from a shared TokenCache.
// Feishu and Lark differ only by api_base.
//
// Every request is checked before anything in it is acted on:
// - With an Encrypt Key, the body is {"encrypt": base64}. X-Lark-Signature must
//   be hex(SHA-256(X-Lark-Request-Timestamp + X-Lark-Request-Nonce + key +
//   raw body)), compared in constant time, and the timestamp within
//   signature_window of now (either way). It is checked over the raw bytes
//   before they are decrypted or parsed. The one exception is the URL check
//   (url_verification), which Feishu does not promise to sign: unsigned, it is
//   answered only when it decrypts with the key, and carries the verification
//   token when one is configured. It changes nothing.
// - Without an Encrypt Key, the body is plain JSON and its token (header.token,
//   or token of the URL check) must equal the Verification Token.
// - When a Verification Token is configured, it is checked in both modes.
// - header.create_time must be at most signature_window in the future and at
//   most event_max_age old. The default age (8 h) covers Feishu's own retries
//   of an unanswered push (after about 15 s, 5 min, 1 h and 6 h), which keep the
//   original create_time; replays within it are caught by header.event_id,
//   which the Inbox deduplicates persistently.
// A failed check is 401, a body that cannot be decrypted or parsed 400; either
// is logged with the check that failed, and nothing is handed to the Inbox.
//
// The checks, parsing and rendering are pure functions (below, in
// feishu_format.cpp) so they can be tested without a network; the adapter class
// (feishu.cpp) only moves bytes.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/adapter.hpp"
#include "adapters/token_cache.hpp"
#include "core/clock.hpp"
#include "net/http_client.hpp"

namespace fu::adapters::feishu {

struct Options {
    std::string app_id;                               // cli_…
    std::string app_secret;                           // a secret: never logged
    std::string encrypt_key;                          // a secret; empty: plain events checked by verification_token
    std::string verification_token;                   // a secret; required when encrypt_key is empty
    std::string api_base = "https://open.feishu.cn";  // Lark: https://open.larksuite.com
    std::chrono::seconds signature_window{300};       // X-Lark-Request-Timestamp, and create_time ahead of now
    std::chrono::seconds event_max_age{8 * 3600};     // header.create_time behind now
};

// ---- pure helpers ----------------------------------------------------------------

constexpr std::size_t kMaxButtons = 5;
constexpr std::size_t kMaxButtonLabelBytes = 100;
constexpr std::size_t kMaxCommandBytes = 1000;    // a button's command, carried in its value
constexpr std::size_t kMaxCardTextBytes = 20000;  // a card body is limited to 30 KB, JSON included
constexpr std::size_t kMaxTextBytes = 60000;      // a text body is limited to 150 KB, JSON included
constexpr std::size_t kMaxUuidBytes = 50;         // im/v1/messages `uuid`: the request's dedup key

// Feishu's error codes for a refused tenant_access_token: missing, and invalid
// or expired. The adapter fetches a new token and sends once more.
constexpr long long kTokenMissing = 99991661;
constexpr long long kTokenInvalid = 99991663;

// hex(SHA-256(timestamp + nonce + encrypt_key + body)): X-Lark-Signature.
std::string sign(std::string_view timestamp, std::string_view nonce, std::string_view encrypt_key,
                 std::string_view body);

// Why a signed request is refused, or empty when its signature and timestamp are good.
std::string signature_problem(std::string_view encrypt_key, std::string_view timestamp_header,
                              std::string_view nonce_header, std::string_view signature_header, std::string_view body,
                              TimePoint now, std::chrono::seconds window);

// The plaintext of an "encrypt" value, or why there is none.
struct Decryption {
    std::optional<std::string> plaintext;
    std::string problem;  // not base64, truncated, bad padding, …
};
// key = SHA-256(encrypt_key); raw = base64 decode; AES-256-CBC with IV raw[0:16]
// over raw[16:]; PKCS#7 padding.
Decryption decrypt(std::string_view encrypt_key, std::string_view encrypted);

// An event body as far as followupd acts on it.
struct Parsed {
    std::string challenge;             // url_verification: echo this back
    std::string token;                 // the verification token it carries ("" when none)
    std::string event_type;            // header.event_type
    std::optional<TimePoint> created;  // header.create_time (s, ms or µs on the wire)
    std::optional<Inbound> inbound;    // nullopt: a kind we ignore
};

// A decrypted (or plain) event body: url_verification, or schema 2.0 with
// im.message.receive_v1 (text messages; in group chats only those that mention
// someone, with the mentions removed) or card.action.trigger (a button whose
// value is {"command": …}). Other events parse with no inbound. nullopt: not a
// JSON object, or an event without the fields it must have.
std::optional<Parsed> parse_event(std::string_view json_text);

// Everything the webhook decides before the Inbox.
struct Verdict {
    unsigned status = 200;  // 200: act on `event`; 400: unreadable; 401: not authentic, or stale
    std::string problem;    // which check failed
    Parsed event;
};
Verdict check_request(const Options& o, std::string_view timestamp_header, std::string_view nonce_header,
                      std::string_view signature_header, std::string_view body, TimePoint now);

// Cuts UTF-8 text to at most max_bytes, ending with "…" when cut (never inside
// a character). Empty text becomes "…" (Feishu refuses empty messages).
std::string fit(std::string_view text, std::size_t max_bytes);

// The interactive card (message card JSON 1.0, a shared card so that it can be
// updated): the text as plain_text, then up to 5 buttons whose value is
// {"command": …} (buttons with an empty or oversized command dropped).
std::string render_card(std::string_view text, const std::vector<Button>& buttons);

// One Open API call.
struct ApiCall {
    std::string method;  // POST | PATCH
    std::string path;    // after api_base, with the query
    std::string body;
};

// POST /open-apis/im/v1/messages?receive_id_type=chat_id (to out.chat_id) or
// =open_id (to out.recipient): {receive_id, msg_type: text|interactive,
// content: "<JSON>"}, a card when there are buttons. With out.replace_ref:
// PATCH /open-apis/im/v1/messages/<replace_ref> {content: "<card>"} (only
// cards can be updated). A new message carries out.idempotency_key as `uuid`
// (a body field: Feishu sends one message per uuid within an hour). nullopt:
// nowhere to send, or a replace_ref that is not a message id.
std::optional<ApiCall> render(const Outbound& out);

// POST /open-apis/auth/v3/tenant_access_token/internal {app_id, app_secret}.
ApiCall render_token_request(std::string_view app_id, std::string_view app_secret);
// The token from its answer; throws TokenError saying why there is none.
AccessToken parse_token(unsigned http_status, std::string_view body);

// True when the answer says the tenant_access_token was missing or refused.
bool token_refused(std::string_view body);

// Maps an im/v1/messages answer to a SendResult. ratelimit_reset_header:
// x-ogw-ratelimit-reset ("" when none); replace_ref: the card that was updated.
SendResult interpret(unsigned http_status, std::string_view ratelimit_reset_header, std::string_view body,
                     const std::string& replace_ref);

// ---- the adapter -------------------------------------------------------------------

class FeishuAdapter final : public Adapter {
public:
    // clock: for the request windows and the token cache (it must outlive the adapter).
    FeishuAdapter(boost::asio::any_io_executor ex, net::HttpClient& http, Options o, const Clock& clock);

    std::string_view name() const override { return "feishu"; }
    // Documented: 50 messages/s per app, 5/s per chat.
    Limits limits() const override { return Limits{40, 4, kMaxCardTextBytes}; }
    bool renders_fences() const override { return true; }  // as code blocks in a card
    boost::asio::awaitable<Intake> intake(const net::Request&) override;
    boost::asio::awaitable<SendResult> send(Outbound) override;

    // tenant_access_token requests so far (for tests).
    std::size_t token_fetches() const { return tokens_.fetches(); }

private:
    net::Response received(const net::Request&) const override;
    std::string mask(std::string text) const;  // secrets and tokens replaced by "<secret>"
    boost::asio::awaitable<AccessToken> fetch_token();
    // One Open API call; throws net::ClientError for network failures.
    boost::asio::awaitable<net::ClientResponse> call(ApiCall api, std::string token);
    // The call with a cached token; once more with a new token if it was refused.
    boost::asio::awaitable<SendResult> call_with_token(ApiCall api, std::string replace_ref);

    boost::asio::any_io_executor ex_;
    net::HttpClient& http_;
    Options options_;
    const Clock& clock_;
    TokenCache tokens_;
};

}  // namespace fu::adapters::feishu
