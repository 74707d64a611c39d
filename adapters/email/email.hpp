#pragma once
// The e-mail adapter: reminders and replies by SMTP for users who cannot be
// reached in a chat. Outbound only: there is no inbound e-mail, so webhook()
// answers 404, and buttons become a list of the commands to type in a chat or
// the web chat.
//
// Each message is RFC 5322 with a multipart/alternative body (text/plain and
// text/html, both UTF-8 and quoted-printable), RFC 2047 headers, CRLF line
// endings and lines of at most 998 octets. Header values never carry CR or LF:
// addresses with them are refused, free text has them replaced by spaces.
// The language of the subject follows the text (Outbound carries no language;
// the core writes each message in the recipient's).
//
// Sending uses libcurl's SMTP client, whose easy API blocks: every send runs on
// the adapter's own small thread pool, never on an I/O thread, and the awaiting
// coroutine resumes on its executor.
//
// The rendering and the mapping of SMTP results are pure functions (below, in
// email_format.cpp) tested without a network; the adapter class (email.cpp)
// only moves bytes.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/adapter.hpp"
#include "core/clock.hpp"

namespace fu::adapters::email {

// How the connection to the SMTP server is protected.
enum class Tls {
    starttls,  // plain connection upgraded with STARTTLS, which must succeed (port 587)
    smtps,     // TLS from the first byte (port 465)
    none,      // no TLS at all: only for a server on the loopback interface
};
std::optional<Tls> tls_from_code(std::string_view);  // "starttls" | "smtps" | "none"

struct Options {
    std::string host;  // the SMTP server
    int port = 587;
    Tls tls = Tls::starttls;
    std::string username;              // empty: no AUTH
    std::string password;              // a secret: never logged
    std::string from;                  // the sender's address, e.g. "followupd@example.com"
    std::string from_name;             // optional display name, e.g. "Follow-ups"
    std::string ca_file;               // PEM file of trusted CAs; empty: the system's
    std::chrono::seconds timeout{30};  // a whole send, connection included
    double per_second = 5;             // messages per second overall
    double per_chat_per_second = 1;    // messages per second to one address
};

// ---- pure helpers ----------------------------------------------------------------

constexpr std::size_t kMaxLine = 998;          // RFC 5322 2.1.1, octets without CRLF
constexpr std::size_t kMaxSubjectBytes = 150;  // of text, before encoding

// True for a plain addr-spec local@domain: printable ASCII, no blanks, quotes,
// angle brackets or CR/LF, one "@", a dotted domain without empty labels.
bool valid_address(std::string_view);
// The domain of an address ("" when it has none).
std::string_view domain_of(std::string_view address);
// True for a host that can only be this machine: localhost, 127.0.0.0/8, ::1.
bool loopback_host(std::string_view host);
// Why these options cannot work, naming the key; empty when they can.
std::string options_problem(const Options&);

// Header text on one line: CR, LF and other control characters become spaces.
std::string one_line(std::string_view);
// RFC 2047: ASCII text as it is; otherwise "=?UTF-8?B?…?=" words of at most 75
// characters (never splitting a character), folded with CRLF + space.
// `used` is how many characters of the line come before the value.
std::string encode_header(std::string_view text, std::size_t used = 0);
// Quoted-printable (RFC 2045 6.7) of UTF-8 text: lines end in CRLF, encoded
// lines are at most 76 characters with soft breaks, never inside a "=XX".
std::string quoted_printable(std::string_view text);
// "Sun, 06 Dec 2026 20:49:58 +0000"
std::string rfc5322_date(TimePoint);

// zh when the text is Chinese: its first line has Han characters, or (a first
// line without letters) it has more Han characters than ASCII letters.
Lang text_lang(std::string_view text);
// The subject: a reminder names its task line ("Follow-up due: #12 Acme …" /
// "跟进提醒：#12 …"); other kinds their first line without the leading symbol.
// Plain UTF-8 on one line, at most kMaxSubjectBytes.
std::string subject(const Outbound&, Lang);
// The bodies: the text, then the buttons as the commands to type.
std::string plain_body(const Outbound&, Lang);
std::string html_body(const Outbound&, Lang);

struct Rendered {
    std::string to;          // the recipient's address (for RCPT TO)
    std::string message_id;  // "<unique@from-domain>", returned as the message ref
    std::string data;        // the whole message, CRLF line endings
};
struct Rendering {
    std::optional<Rendered> message;
    std::string problem;  // why there is none: a bad address, …
};
// The message for `out` (to out.chat_id, or else out.recipient), sent at `now`;
// `unique` makes the Message-ID unique and the MIME boundary unguessable
// (letters and digits). With a replace_ref (an edit, which e-mail cannot do)
// it is a new message in the same thread (In-Reply-To).
Rendering render(const Outbound& out, const Options&, TimePoint now, std::string_view unique);

// What the SMTP exchange ended with.
struct SmtpOutcome {
    enum class Kind {
        ok,         // accepted
        transport,  // no connection, timeout, TLS failure, connection lost
        refused,    // the server answered with an error (see reply_code)
        local,      // our own setup cannot work (bad URL, option, out of memory)
    };
    Kind kind = Kind::ok;
    long reply_code = 0;  // the server's last reply code (0: none)
    std::string text;     // what went wrong, for the delivery's error
};
// 4xx replies and transport errors are retried; 5xx fail, except 552 (which
// RFC 5321 4.5.3.1.10 says to treat as the transient 452).
SendResult interpret(const SmtpOutcome&, const std::string& message_id);

// ---- the adapter -------------------------------------------------------------------

class EmailAdapter final : public Adapter {
public:
    // clock: for the Date header (it must outlive the adapter).
    // fallback_after: reminders other platforms have not delivered by then come here too (0: never).
    EmailAdapter(Options o, const Clock& clock, std::chrono::seconds fallback_after = std::chrono::seconds(0));
    ~EmailAdapter() override;  // waits for sends in progress

    std::string_view name() const override { return "email"; }
    Limits limits() const override { return Limits{options_.per_second, options_.per_chat_per_second, 100000}; }
    bool renders_fences() const override { return true; }  // as <pre> in the HTML part
    boost::asio::awaitable<Intake> intake(const net::Request&) override;
    std::optional<std::chrono::seconds> fallback_after() const override;
    boost::asio::awaitable<SendResult> send(Outbound) override;

private:
    SmtpOutcome transmit(const Rendered&) const;  // blocking: runs on pool_
    std::string next_unique();

    Options options_;
    const Clock& clock_;
    std::chrono::seconds fallback_after_;
    std::atomic<unsigned long long> sequence_{0};
    std::string instance_;  // random, per process: Message-IDs stay unique across restarts
    boost::asio::thread_pool pool_{2};
};

}  // namespace fu::adapters::email
