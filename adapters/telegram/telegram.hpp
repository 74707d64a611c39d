#pragma once
// The Telegram Bot API adapter: webhook (POST /hooks/telegram, checked with the
// secret-token header) or long polling (getUpdates), sendMessage with inline
// keyboards, editMessageText for button presses, answerCallbackQuery.
//
// The parsing and rendering are pure functions (below) so they can be tested
// without a network; the adapter class only moves bytes.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/adapter.hpp"
#include "core/clock.hpp"
#include "net/http_client.hpp"

namespace fu::adapters::telegram {

struct Options {
    std::string token;  // the bot token (a secret: never logged)
    std::string api_base = "https://api.telegram.org";
    bool polling = false;                   // true: getUpdates; false: webhook
    std::string secret_token;               // webhook: required X-Telegram-Bot-Api-Secret-Token (empty: none)
    std::chrono::seconds poll_timeout{25};  // getUpdates long-poll timeout
};

// ---- pure helpers ----------------------------------------------------------------

constexpr std::size_t kMaxTextUnits = 4096;    // sendMessage text limit (UTF-16 code units)
constexpr std::size_t kMaxCallbackBytes = 64;  // callback_data limit
constexpr std::size_t kButtonsPerRow = 3;

// One update as far as followupd acts on it.
struct Update {
    std::int64_t update_id = 0;
    std::optional<Inbound> inbound;  // nullopt: a kind we ignore (edited_message, stickers, channel posts…)
    std::string callback_query_id;   // set for every callback_query: answer it, even when ignored
};

// Parses one update (the webhook body). nullopt: malformed (not a JSON object,
// no integer update_id, or a message/callback_query without the fields we need).
std::optional<Update> parse_update(std::string_view json_text);

// Parses a getUpdates answer. nullopt: not {"ok": true, "result": [...]};
// malformed entries in the list are skipped, but their update_id (when there is
// one) still counts for max_update_id so the next offset passes them.
struct UpdateBatch {
    std::vector<Update> updates;
    std::optional<std::int64_t> max_update_id;
};
std::optional<UpdateBatch> parse_updates(std::string_view json_text);

// Cuts text to at most max_units UTF-16 code units, ending with "…" when cut
// (never inside a UTF-8 sequence). Empty text becomes "…" (Telegram refuses it).
std::string fit_text(std::string_view text, std::size_t max_units = kMaxTextUnits);
// Length in UTF-16 code units, as Telegram counts offsets.
std::size_t utf16_units(std::string_view text);

// A Bot API call: the method name and its JSON body.
struct ApiCall {
    std::string method;  // sendMessage | editMessageText
    std::string body;
};

// The inline keyboard JSON for buttons: rows of up to 3, buttons whose command
// is empty or over 64 bytes dropped; {"inline_keyboard": []} when none remain.
std::string render_keyboard(const std::vector<Button>& buttons);

// sendMessage {chat_id, text, reply_markup?} or, with replace_ref,
// editMessageText {chat_id, message_id, text, reply_markup} (an empty keyboard
// removes the buttons). chat_id is Outbound.chat_id or else the recipient
// (a private chat's id is the user id); numeric ids are sent as numbers.
ApiCall render(const Outbound& out);

// Maps the Bot API's answer to a SendResult. chat_id: the chat the call used.
// On 429 the wait is the longer of the body's parameters.retry_after and the
// Retry-After header (retry_after_header: its value, empty if none).
SendResult interpret(unsigned http_status, std::string_view retry_after_header, std::string_view body, bool edit,
                     const std::string& chat_id, const std::string& replace_ref);

// ---- the adapter -------------------------------------------------------------------

struct PollState;

// Lifetime: in polling mode call stop() and let the loop end (polling_active()
// false, or the io_context stopped) before destroying the adapter.

class TelegramAdapter final : public Adapter {
public:
    // `clock` paces the polling loop (its monotonic time).
    TelegramAdapter(boost::asio::any_io_executor ex, net::HttpClient& http, Inbox& inbox, Options o,
                    const Clock& clock);
    ~TelegramAdapter() override;

    std::string_view name() const override { return "telegram"; }
    bool renders_fences() const override { return true; }  // as "pre" entities
    // A message holds 4,096 characters.
    Limits limits() const override { return Limits{25, 1, 4096}; }
    boost::asio::awaitable<Intake> intake(const net::Request&) override;
    boost::asio::awaitable<SendResult> send(Outbound) override;
    // Polling mode: spawns the getUpdates loop (no-op in webhook mode or when running).
    void start() override;
    // Ends the polling loop promptly (cancels the pending getUpdates). Thread-safe.
    void stop() override;

    // True while the polling loop runs (for tests and status).
    bool polling_active() const { return polling_active_.load(); }

private:
    std::string url(std::string_view method) const;
    std::string mask(std::string text) const;  // the token replaced by "<token>"
    // One Bot API call; throws net::ClientError for network failures.
    boost::asio::awaitable<net::ClientResponse> call(std::string method, std::string body,
                                                     std::chrono::milliseconds timeout);
    net::Response received(const net::Request&) const override;
    // Stops the spinner of a pressed button (no-op without a callback query).
    boost::asio::awaitable<void> answer_callback(std::string callback_query_id, std::int64_t update_id);
    // Polling: answers the callback and hands the message to the Inbox.
    // Throws when the Inbox fails (the update should then be delivered again).
    boost::asio::awaitable<void> handle(Update update);
    boost::asio::awaitable<void> poll_loop();

    boost::asio::any_io_executor ex_;
    net::HttpClient& http_;
    Inbox& inbox_;
    Options options_;
    const Clock& clock_;
    boost::asio::strand<boost::asio::any_io_executor> poll_strand_;
    std::shared_ptr<PollState> poll_state_;  // the loop's cancellation signal, used on poll_strand_ only
    std::atomic<bool> polling_active_{false};
    std::atomic<bool> stopping_{false};
};

}  // namespace fu::adapters::telegram
