#pragma once
// What the webhook targets share: the fuzz input read as a request, and the
// inbound pipeline (adapters::serve_webhook, as the router calls it) run to
// its answer on an io_context of the target's own.
//
// The input is a request in text, as the corpus files are written:
//
//   POST /hooks/slack/events          <- method and target (optional)
//   X-Slack-Request-Timestamp: 1700000000
//   Fuzz-Sign: 1                      <- the target signs the request itself
//                                        (and seals the body, for WeCom)
//   <blank line>
//   {"type": "event_callback", …}     <- the body
//
// Without Fuzz-Sign the headers are used as they are: the fuzzer works on the
// checks (signatures, timestamps, tokens). With it, the target replaces them
// with good ones for the body, so the fuzzer gets through to the parsers
// behind them. Header lines that no HTTP parser would hand on (control
// characters, a name that is not a token) are skipped: the server's parser
// refuses such requests before an adapter sees them.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/verb.hpp>

#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/adapter.hpp"
#include "core/clock.hpp"
#include "net/http_client.hpp"

namespace fu::fuzz {

namespace asio = boost::asio;
namespace http = boost::beast::http;

// 2023-11-14 22:13:20 UTC: the tests' "now"; signed seeds carry it.
inline const TimePoint kNow = from_unix(1700000000);

struct FuzzRequest {
    net::Request req;
    bool sign = false;  // Fuzz-Sign was given
};

inline bool token_char(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}
inline bool value_char(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

inline FuzzRequest read_request(std::string_view in, http::verb default_verb, std::string default_target) {
    FuzzRequest out;
    out.req.version(11);
    out.req.method(default_verb);
    out.req.target(default_target);
    std::size_t split = in.find("\n\n");
    std::string_view head = split == std::string_view::npos ? in : in.substr(0, split);
    out.req.body() = std::string(split == std::string_view::npos ? std::string_view() : in.substr(split + 2));
    bool first = true;
    while (!head.empty()) {
        const std::size_t nl = head.find('\n');
        std::string_view line = head.substr(0, nl);
        head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::size_t colon = line.find(':');
        const std::size_t space = line.find(' ');
        if (first && space != std::string_view::npos && (colon == std::string_view::npos || space < colon)) {
            // "METHOD /target": the request line.
            const http::verb v = http::string_to_verb(line.substr(0, space));
            if (v != http::verb::unknown) out.req.method(v);
            std::string_view target = line.substr(space + 1);
            bool ok = !target.empty();
            for (unsigned char c : target) ok = ok && c > 0x20 && c != 0x7f;
            if (ok) out.req.target(target);
            first = false;
            continue;
        }
        first = false;
        if (colon == std::string_view::npos || colon == 0) continue;
        const std::string_view name = line.substr(0, colon);
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
        bool ok = true;
        for (unsigned char c : name) ok = ok && token_char(c);
        for (unsigned char c : value) ok = ok && value_char(c);
        if (!ok) continue;
        if (name == "Fuzz-Sign") {
            out.sign = true;
            continue;
        }
        out.req.insert(name, value);
    }
    out.req.prepare_payload();
    return out;
}

// Accepts everything; `strangers` says whether a message's sender is unknown
// (user id "stranger"), which exercises the answers of the platforms that
// give them in their response (Inbound::answered_inline); the others' go
// through the outbox, as the bot does.
class NullInbox : public adapters::Inbox {
public:
    explicit NullInbox(bool strangers) : strangers_(strangers) {}
    asio::awaitable<std::optional<std::string>> accept(Inbound in) override {
        if (strangers_ && in.user_id == "stranger" && in.answered_inline)
            co_return std::string("You are not registered.");
        co_return std::nullopt;
    }

private:
    bool strangers_;
};

// One io_context and client for the whole run. The API base of every adapter
// is a closed loopback port, so a call it makes (Telegram answers a button
// press at once) fails at once and is logged, as an outage would be.
struct Loop {
    Loop() { spdlog::set_level(spdlog::level::off); }
    asio::io_context ioc;
    net::HttpClient http{ioc.get_executor()};
    FakeClock clock{kNow};

    // Runs the inbound pipeline for one request to its answer. An exception
    // escaping it would be a 500 for bad input: that is a finding.
    net::Response serve(adapters::Adapter& adapter, adapters::Inbox& inbox, const net::Request& req) {
        std::optional<net::Response> res;
        std::exception_ptr error;
        asio::co_spawn(ioc, adapters::serve_webhook(adapter, inbox, req), [&](std::exception_ptr e, net::Response r) {
            error = e;
            if (!e) res = std::move(r);
        });
        ioc.restart();
        ioc.run();
        if (error) std::rethrow_exception(error);
        if (!res) std::abort();  // the pipeline never finished
        const unsigned status = res->result_int();
        // The inbox never fails, so every answer is a 2xx or a 4xx refusal: a
        // 5xx would be the service failing on what was sent.
        if (status >= 500) std::abort();
        return std::move(*res);
    }
};

inline constexpr const char* kClosedApi = "http://127.0.0.1:9";

}  // namespace fu::fuzz
