#include "adapters/adapter.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "core/utf8.hpp"

namespace fu::adapters {

namespace asio = boost::asio;

Fenced split_fences(std::string_view text) {
    Fenced out;
    out.text.reserve(text.size());
    bool inside = false;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t nl = text.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
        std::string_view line = text.substr(pos, end - pos);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
        if (line == "```") {
            if (!inside) {
                out.blocks.push_back({out.text.size(), out.text.size()});
            } else {
                // The block ends before the newline that ended its last line.
                auto& b = out.blocks.back();
                b.end = out.text.size();
                if (b.end > b.begin && out.text[b.end - 1] == '\n') --b.end;
            }
            inside = !inside;
        } else {
            out.text.append(text.substr(pos, end - pos));
            if (nl != std::string_view::npos) out.text.push_back('\n');
        }
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    if (inside) out.blocks.back().end = out.text.size();
    // A fence as the very last line leaves a trailing newline behind.
    if (!out.text.empty() && out.text.back() == '\n' && !text.empty() && text.back() != '\n') {
        out.text.pop_back();
        for (auto& b : out.blocks) b.end = std::min(b.end, out.text.size());
    }
    std::erase_if(out.blocks, [](const Fenced::Block& b) { return b.end <= b.begin; });
    return out;
}

asio::awaitable<Outcome> execute(Inbox& inbox, Inbound in) {
    Outcome o;
    try {
        o.stranger_reply = co_await inbox.accept(std::move(in));
        if (o.stranger_reply && o.stranger_reply->empty()) o.stranger_reply.reset();
    } catch (const std::exception& e) {
        o.failed = true;
        o.error = e.what();
    }
    co_return o;
}

net::Response Adapter::received(const net::Request& req) const {
    net::Response res{boost::beast::http::status::ok, req.version()};
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

net::Response Adapter::acknowledge(const net::Request& req, const Intake&, Outcome& o) {
    if (o.failed) return net::json_error(req, 500, "the message could not be processed; try again");
    return received(req);
}

asio::awaitable<net::Response> serve_webhook(Adapter& adapter, Inbox& inbox, const net::Request& req) {
    Intake intake = co_await adapter.intake(req);
    if (intake.answer) co_return std::move(*intake.answer);
    // Whatever the platform's encoding (a form, XML, JSON), what reaches the
    // bot must be UTF-8: it is stored, shown and exported as such. A message
    // that is not is refused here, for every platform, and nothing is done.
    if (!valid_utf8(intake.message.text)) {
        spdlog::warn("{}: event {} refused: its text is not UTF-8", adapter.name(), intake.message.event_id);
        co_return net::json_error(req, 400, "the message text is not UTF-8; nothing was done");
    }
    Inbound message = intake.message;
    Outcome outcome = co_await execute(inbox, std::move(message));
    if (outcome.failed)
        spdlog::error("{}: event {} not processed: {}", adapter.name(), intake.message.event_id, outcome.error);
    co_return adapter.acknowledge(req, intake, outcome);
}

}  // namespace fu::adapters
