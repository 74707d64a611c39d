#pragma once
// What every chat platform adapter is: verify a webhook and parse it into the
// one inbound message, say how to acknowledge it, render and send an outbound
// one. The inbound pipeline (serve_webhook below, called by the server's
// router) does the rest: dedupe, execute and effects happen behind the Inbox.
// Adapters are small and alike; they register by name in adapters/registry.cpp.
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
    // The same for every attempt at one delivery, on any instance and after a
    // restart (idempotency_key() in core/model.hpp). A platform that deduplicates
    // requests on a key of the sender's (Feishu's `uuid`) gets it, so a retry
    // of a send whose answer was lost is not shown twice.
    std::string idempotency_key;
    // An earlier attempt at this delivery may have reached the platform (it
    // timed out, or the process died before recording it).
    bool retry = false;
};

// How long a send may take before it counts as failed (and is retried, with
// the same idempotency_key): well above a platform's slowest normal answer
// (a few seconds under load), since a send given up on that the platform
// then completes is a duplicate wherever the platform has no idempotency
// key. It must stay below the dispatcher's claim lease (60 s), or another
// instance would send the message while this one still waits.
inline constexpr std::chrono::milliseconds kSendTimeout{30000};

struct SendResult {
    enum class Status { sent, retry, failed };
    Status status = Status::retry;
    std::string message_ref;                          // sent: the platform's message id
    std::string chat_id;                              // sent: the chat actually used (e.g. a newly opened DM)
    std::optional<std::chrono::seconds> retry_after;  // the platform asked us to wait (429)
    std::string error;                                // retry/failed: what went wrong, for logs and `status`
};

struct Limits {
    double per_second = 25;          // the platform's overall send rate
    double per_chat_per_second = 1;  // per chat
    // The longest text one message may carry, in UTF-8 bytes (a bound on the
    // platform's own measure, be it characters, UTF-16 units or bytes): the bot
    // cuts longer replies into pages that fit (core/paging.hpp).
    std::size_t text_bytes = 4000;
};

// Implemented by the server: where authenticated messages are executed.
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

// What an adapter makes of one webhook request.
struct Intake {
    std::optional<net::Response> answer;  // set: give this answer, there is nothing to execute
    Inbound message;                      // otherwise: execute this, then acknowledge()
    std::string context;                  // the adapter's own note for acknowledge() (a route, a message id)
};

// What became of an executed message.
struct Outcome {
    bool failed = false;
    std::string error;  // failed: why (for the log)
    // The sender is not registered and the message was answered_inline: the
    // answer to give them in the response (any other reply is in the outbox).
    std::optional<std::string> stranger_reply;
};

class Adapter {
public:
    virtual ~Adapter() = default;
    virtual std::string_view name() const = 0;
    virtual Limits limits() const = 0;
    // True if send() shows fenced blocks as monospace itself (Slack's mrkdwn,
    // Telegram's "pre" entities); otherwise the fence lines are removed
    // before send() and the table's lines arrive as plain text.
    virtual bool renders_fences() const { return false; }
    // Requests to /hooks/<name>[/…]: verify before parsing (401 on a bad
    // signature), then parse (400 on malformed bodies). Either an answer to
    // give at once (a refusal, a URL check, 200 for a kind we ignore) or the
    // message to execute. Executes nothing itself.
    virtual boost::asio::awaitable<Intake> intake(const net::Request&) = 0;
    // The answer to a request whose message was executed (or failed to be).
    // The default: received() when it ran; 500 when it failed, so the
    // platform delivers it again (the Inbox deduplicates). An adapter whose
    // messages are answered_inline gives the Outcome's stranger_reply in its
    // response (WeCom's passive reply, a Slack command's answer).
    virtual net::Response acknowledge(const net::Request&, const Intake&, Outcome&);
    // Sends or edits one message. Must not throw for platform or network
    // errors: report them as retry (transient) or failed (permanent).
    virtual boost::asio::awaitable<SendResult> send(Outbound) = 0;
    // A channel that also carries the reminders other platforms have not
    // delivered after this long (e-mail when a chat platform is down); nullopt: none.
    virtual std::optional<std::chrono::seconds> fallback_after() const { return std::nullopt; }
    // Background work such as long polling; stop() ends it.
    virtual void start() {}
    virtual void stop() {}

protected:
    // The platform's "received" answer to a webhook request: 200 and no body
    // unless the platform expects one.
    virtual net::Response received(const net::Request&) const;
};

// Executes one message through the Inbox. Never throws: a failure is an Outcome.
boost::asio::awaitable<Outcome> execute(Inbox&, Inbound);

// The inbound pipeline for one webhook request: the adapter's intake, then
// the Inbox (dedupe, execute, effects), then the adapter's acknowledgement.
boost::asio::awaitable<net::Response> serve_webhook(Adapter&, Inbox&, const net::Request&);

}  // namespace fu::adapters
