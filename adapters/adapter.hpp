#pragma once
// What every chat platform adapter is: verify a webhook, turn it into the
// common inbound message, render and send an outbound one. Adapters are small
// and alike; they register by name in adapters/registry.cpp.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/inbound.hpp"
#include "core/model.hpp"
#include "net/http_types.hpp"

namespace fu::adapters {

// One message to send (or, with replace_ref, an edit of an earlier one).
struct Outbound {
    std::string recipient;  // platform user id
    std::string chat_id;    // empty: the adapter opens a direct chat with recipient
    MessageKind kind = MessageKind::notice;
    std::string text;
    std::vector<Button> buttons;  // rendered as the platform's buttons; text stays the fallback
    std::string replace_ref;      // non-empty: update this platform message instead
};

struct SendResult {
    enum class Status { sent, retry, failed };
    Status status = Status::retry;
    std::string message_ref;  // sent: the platform's message id
    std::string chat_id;      // sent: the chat actually used (e.g. a newly opened DM)
    std::optional<std::chrono::seconds> retry_after;  // the platform asked us to wait (429)
    std::string error;        // retry/failed: what went wrong, for logs and `status`
};

struct Limits {
    double per_second = 25;         // the platform's overall send rate
    double per_chat_per_second = 1; // per chat
};

// Implemented by the server: where adapters hand authenticated messages.
class Inbox {
public:
    virtual ~Inbox() = default;
    // Processes the message (deduplicated by platform + event_id, persistently)
    // and queues the reply as a delivery. Returns a reply to send directly only
    // for a sender who is not registered (they have no outbox); otherwise empty.
    virtual boost::asio::awaitable<std::optional<std::string>> accept(Inbound in) = 0;
};

// Tables in replies sit in Markdown code fences: a line "```" opens a
// monospace block and the next such line closes it. `text` is the message
// without the fence lines; `blocks` are the byte ranges of `text` that were
// inside fences (an unclosed fence runs to the end).
struct Fenced {
    struct Block {
        std::size_t begin = 0, end = 0;
    };
    std::string text;
    std::vector<Block> blocks;
};
Fenced split_fences(std::string_view text);

class Adapter {
public:
    virtual ~Adapter() = default;
    virtual std::string_view name() const = 0;
    virtual Limits limits() const = 0;
    // True if send() shows fenced blocks as monospace itself (Slack's mrkdwn,
    // Telegram's "pre" entities); otherwise the fence lines are removed
    // before send() and the table's lines arrive as plain text.
    virtual bool renders_fences() const { return false; }
    // Requests to /hooks/<name>[/…]. Verify before parsing; 401 on a bad
    // signature, 400 on malformed bodies, 200 on unknown event types.
    virtual boost::asio::awaitable<net::Response> webhook(const net::Request&) = 0;
    // Sends or edits one message. Must not throw for platform or network
    // errors: report them as retry (transient) or failed (permanent).
    virtual boost::asio::awaitable<SendResult> send(Outbound) = 0;
    // Background work such as long polling; stop() ends it.
    virtual void start() {}
    virtual void stop() {}
};

// Sends a reply to someone who is not registered (they have no outbox) in the
// background, so the webhook is answered first; a failure is logged.
void reply_to_stranger(boost::asio::any_io_executor ex, Adapter& adapter, std::string chat_id, std::string user,
                       std::string text);

}  // namespace fu::adapters
