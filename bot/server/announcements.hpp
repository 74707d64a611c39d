#pragma once
// Live streams across instances: the users another instance on the same
// database announced (Store::listen; PostgreSQL's LISTEN/NOTIFY) have their
// streams on this instance woken, as if the messages had been written here.
// Without announcements (SQLite, or the connection lost), a stream still
// reads its user's outbox at every keep-alive (web_chat.hpp: ping_interval).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <memory>
#include <optional>

#include "core/store.hpp"
#include "server/event_hub.hpp"
#include "server/storage_executor.hpp"

namespace fu::server {

class CrossInstanceEvents {
public:
    CrossInstanceEvents(boost::asio::any_io_executor ex, StorageExecutor& storage, Store& store, EventHub& hub);
    ~CrossInstanceEvents();

    void start();
    void stop();  // any thread

private:
    boost::asio::awaitable<void> loop();

    boost::asio::strand<boost::asio::any_io_executor> strand_;
    StorageExecutor& storage_;
    Store& store_;
    EventHub& hub_;
    std::shared_ptr<Announcements> announcements_;
    // Waits on the announcements' socket, which libpq owns: released, never closed, here.
    std::optional<boost::asio::posix::stream_descriptor> socket_;
    boost::asio::steady_timer pause_;
    std::atomic<bool> stopped_{false};
};

}  // namespace fu::server
