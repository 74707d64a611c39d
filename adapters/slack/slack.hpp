#pragma once
// The Slack adapter: Events API (POST /hooks/slack/events), the slash command
// `/followup …` (POST /hooks/slack/commands) and button presses
// (POST /hooks/slack/interactive), every request checked with Slack's v0
// signature before it is parsed; chat.postMessage with Block Kit buttons,
// chat.update for pressed buttons, conversations.open for first reminders.
//
// The parsing, signing and rendering are pure functions (below, in
// slack_format.cpp) so they can be tested without a network; the adapter class
// (slack.cpp) only moves bytes.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/adapter.hpp"
#include "core/clock.hpp"
#include "net/http_client.hpp"

namespace fu::adapters::slack {

struct Options {
    std::string bot_token;       // xoxb-… (a secret: never logged)
    std::string signing_secret;  // the app's signing secret (a secret)
    std::string api_base = "https://slack.com/api";
    std::string bot_user_id;                     // U… of the bot: its mentions are stripped, its messages ignored
    std::chrono::seconds signature_window{300};  // |now - X-Slack-Request-Timestamp| allowed
};

// ---- pure helpers ----------------------------------------------------------------

constexpr std::size_t kMaxSectionChars = 3000;    // a section block's text (UTF-16 units)
constexpr std::size_t kMaxFallbackChars = 40000;  // Slack truncates `text` beyond this
constexpr std::size_t kMaxButtons = 5;
constexpr std::size_t kMaxButtonLabel = 75;    // plain_text of a button
constexpr std::size_t kMaxButtonValue = 2000;  // a button's value (bytes, to be safe)

// "v0=" + hex(HMAC-SHA256(secret, "v0:" + ts + ":" + body)): Slack's request
// signature.
std::string sign_v0(std::string_view secret, std::string_view timestamp, std::string_view body);

// Why a request is refused, or empty when its signature and timestamp are good.
// The signatures are compared in constant time (CRYPTO_memcmp).
std::string signature_problem(std::string_view secret, std::string_view timestamp_header,
                              std::string_view signature_header, std::string_view body, TimePoint now,
                              std::chrono::seconds window);

// application/x-www-form-urlencoded fields, decoded ('+' is a space).
// nullopt: not a valid form (a bad %-escape).
using Form = std::vector<std::pair<std::string, std::string>>;
std::optional<Form> parse_form(std::string_view body);
const std::string* form_field(const Form& form, std::string_view key);

// A webhook as far as followupd acts on it. nullopt from the parsers: malformed.
struct Parsed {
    std::optional<Inbound> inbound;  // nullopt: a kind we ignore (edits, bot messages, other events)
    std::string challenge;           // url_verification: echo this back
};

// An Events API body: url_verification or event_callback (message.im, app_mention).
std::optional<Parsed> parse_event(std::string_view json_text, std::string_view bot_user_id);
// A slash command's form: text is the command, trigger_id the event id.
std::optional<Parsed> parse_command(std::string_view form_body);
// An interactivity form (payload = block_actions JSON): the pressed button's command.
std::optional<Parsed> parse_interaction(std::string_view form_body);

// "<@UBOT> today" -> "today": mentions of the bot removed (any leading mention
// when bot_user_id is empty), blanks trimmed.
std::string strip_mention(std::string_view text, std::string_view bot_user_id);

// &, <, > escaped as Slack's mrkdwn requires.
std::string escape(std::string_view text);

// Escapes and cuts to at most max_units UTF-16 code units, ending with "…" when
// cut (never inside a UTF-8 sequence or an escape). Empty text becomes "…".
std::string fit_escaped(std::string_view text, std::size_t max_units);

// A Web API call: the method and its JSON body.
struct ApiCall {
    std::string method;  // chat.postMessage | chat.update | conversations.open
    std::string body;
};

// The Block Kit blocks: a mrkdwn section, then an actions block with up to 5
// buttons {type: button, text: plain_text label, value: command, action_id: "fu_<i>"}
// (buttons with an empty or oversized command dropped; no actions block when none remain).
std::string render_blocks(std::string_view text, const std::vector<Button>& buttons);

// chat.postMessage {channel, text, blocks} or, with out.replace_ref
// ("channel:ts"), chat.update {channel, ts, text, blocks}. nullopt: a
// replace_ref that is not "channel:ts".
std::optional<ApiCall> render(const Outbound& out, const std::string& channel);
ApiCall render_open(const std::string& user_id);

// The DM channel id from a conversations.open answer, or nullopt.
std::optional<std::string> opened_channel(std::string_view body);

// Maps a Web API answer to a SendResult. retry_after_header: the Retry-After
// header ("" when none); channel: the channel the call used.
SendResult interpret(unsigned http_status, std::string_view retry_after_header, std::string_view body,
                     const std::string& channel);

// ---- the adapter -------------------------------------------------------------------

class SlackAdapter final : public Adapter {
public:
    // clock: for the signature window (it must outlive the adapter).
    SlackAdapter(boost::asio::any_io_executor ex, net::HttpClient& http, Options o, const Clock& clock);

    std::string_view name() const override { return "slack"; }
    bool renders_fences() const override { return true; }  // mrkdwn shows ``` blocks as code
    // A section block's limit, less room for mrkdwn escapes (&amp; and the like).
    Limits limits() const override { return Limits{20, 1, kMaxSectionChars - 300}; }
    boost::asio::awaitable<Intake> intake(const net::Request&) override;
    // A slash command's unregistered sender is answered in the response.
    net::Response acknowledge(const net::Request&, const Intake&, Outcome&) override;
    boost::asio::awaitable<SendResult> send(Outbound) override;

private:
    std::string mask(std::string text) const;  // the token replaced by "<token>"
    // One Web API call; throws net::ClientError for network failures.
    boost::asio::awaitable<net::ClientResponse> call(std::string method, std::string body);
    net::Response received(const net::Request&) const override;

    boost::asio::any_io_executor ex_;
    net::HttpClient& http_;
    Options options_;
    const Clock& clock_;
};

}  // namespace fu::adapters::slack
