#include "adapters/adapter.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include <utility>

namespace fu::adapters {
namespace {

namespace asio = boost::asio;

// The coroutine's parameters live in its frame: nothing dangles once the caller returns.
asio::awaitable<void> send_to_stranger(Adapter& adapter, std::string chat_id, std::string user, std::string text) {
    Outbound out;
    out.recipient = user;
    out.chat_id = chat_id;
    out.kind = MessageKind::reply;
    out.text = std::move(text);
    SendResult sent = co_await adapter.send(std::move(out));
    if (sent.status != SendResult::Status::sent)
        spdlog::warn("{}: reply to unregistered user {} in {} not sent: {}", adapter.name(), user, chat_id, sent.error);
}

}  // namespace

void reply_to_stranger(asio::any_io_executor ex, Adapter& adapter, std::string chat_id, std::string user,
                       std::string text) {
    asio::co_spawn(std::move(ex), send_to_stranger(adapter, std::move(chat_id), std::move(user), std::move(text)),
                   asio::detached);
}

}  // namespace fu::adapters
