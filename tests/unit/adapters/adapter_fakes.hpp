#pragma once
// What the adapter tests share: an Inbox that records, a fake platform API
// that records every call, and the io_context thread a harness runs adapters on.
// The platform's own parts (how a webhook is signed, the adapter's options)
// stay in each test.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/adapter.hpp"
#include "net/http_client.hpp"
#include "test_server.hpp"

namespace fu::test {

// What the dispatcher sends a sender who is not registered: the bot's reply,
// from the outbox, to the chat their message came from.
inline adapters::Outbound stranger_reply(const Inbound& in) {
    adapters::Outbound out;
    out.recipient = in.user_id;
    out.chat_id = in.chat_id;
    out.kind = MessageKind::reply;
    out.text = "You are not registered.";
    return out;
}

// Records what it accepts. The user `stranger` is not registered: as the bot
// does, the reply is handed back only to an adapter that answers inline
// (Inbound::answered_inline); otherwise it would be in the outbox. fail(true):
// accept throws, as when storage is down.
class FakeInbox : public adapters::Inbox {
public:
    explicit FakeInbox(std::string stranger) : stranger_(std::move(stranger)) {}
    asio::awaitable<std::optional<std::string>> accept(Inbound in) override {
        std::optional<std::string> reply;
        {
            std::lock_guard lock(mutex_);
            if (fail_) throw std::runtime_error("storage is down");
            if (in.user_id == stranger_ && in.answered_inline) reply = "You are not registered.";
            got_.push_back(std::move(in));
        }
        co_return reply;
    }
    std::vector<Inbound> got() {
        std::lock_guard lock(mutex_);
        return got_;
    }
    void fail(bool f) {
        std::lock_guard lock(mutex_);
        fail_ = f;
    }

private:
    const std::string stranger_;
    std::mutex mutex_;
    std::vector<Inbound> got_;
    bool fail_ = false;
};

// One call to the fake API as it arrived.
struct ApiCallSeen {
    std::string target, authorization, content_type, body;
};

// A fake platform API: records every call, answers with `respond`. base() is
// the server's URL with `base_path` (where the API lives) appended.
class FakeApi {
public:
    using Respond = std::function<Response(const Request&)>;
    explicit FakeApi(Respond respond, std::string base_path = "", TestServerOptions options = {})
        : respond_(std::move(respond)),
          base_path_(std::move(base_path)),
          server_([this](const Request& req) { return on(req); }, std::move(options)) {}
    std::string base() const { return server_.url(base_path_); }
    std::vector<ApiCallSeen> calls() {
        std::lock_guard lock(mutex_);
        return calls_;
    }
    static Response reply(unsigned status, const std::string& body, const std::string& retry_after = "",
                          const std::string& content_type = "application/json; charset=utf-8") {
        Response res{static_cast<http::status>(status), 11};
        res.set(http::field::content_type, content_type);
        if (!retry_after.empty()) res.set(http::field::retry_after, retry_after);
        res.body() = body;
        return res;
    }

private:
    Response on(const Request& req) {
        {
            std::lock_guard lock(mutex_);
            calls_.push_back({std::string(req.target()), std::string(req[http::field::authorization]),
                              std::string(req[http::field::content_type]), req.body()});
        }
        return respond_(req);
    }
    std::mutex mutex_;
    std::vector<ApiCallSeen> calls_;
    Respond respond_;
    std::string base_path_;
    TestServer server_;
};

// The platform-neutral half of an adapter harness: an io_context, an
// HttpClient on it and a FakeInbox. The derived harness makes its adapter, then
// calls start(); its destructor calls stop() before the adapter is destroyed.
class AdapterHarnessBase {
public:
    explicit AdapterHarnessBase(std::string stranger) : inbox(std::move(stranger)) {}
    ~AdapterHarnessBase() { stop(); }
    AdapterHarnessBase(const AdapterHarnessBase&) = delete;
    AdapterHarnessBase& operator=(const AdapterHarnessBase&) = delete;

    template <class T>
    T run(asio::awaitable<T> a) {
        return asio::co_spawn(ioc, std::move(a), asio::use_future).get();
    }
    bool wait_for(const std::function<bool()>& done,
                  std::chrono::milliseconds limit = std::chrono::milliseconds(3000)) {
        for (auto end = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < end;) {
            if (done()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return done();
    }

    asio::io_context ioc;
    asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
    net::HttpClient http{ioc.get_executor()};
    FakeInbox inbox;

protected:
    void start() {
        thread_ = std::thread([this] { ioc.run(); });
    }
    void stop() {
        if (!thread_.joinable()) return;
        work.reset();
        ioc.stop();
        thread_.join();
    }

private:
    std::thread thread_;
};

}  // namespace fu::test
