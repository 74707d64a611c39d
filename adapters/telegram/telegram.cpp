// The Telegram adapter's I/O: the webhook, the getUpdates loop and Bot API calls.
// Coroutine arguments are always named locals passed by std::move (GCC PR 99576).
#include "adapters/telegram/telegram.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "net/crypto.hpp"

// GCC 12 takes Asio's coroutine-frame operator delete (which frees what its
// aligned_alloc returned) for a mismatched pair once inlined: a false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace fu::adapters::telegram {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view kSecretHeader = "X-Telegram-Bot-Api-Secret-Token";
constexpr auto kSideCallTimeout = std::chrono::milliseconds(5000);  // answerCallbackQuery
constexpr auto kMaxBackoff = std::chrono::seconds(30);
// Servers that ignore `timeout` (test emulators) answer an empty poll at once.
constexpr auto kMinPollInterval = std::chrono::milliseconds(500);

net::Response ok_json(const net::Request& req) {
    net::Response res{http::status::ok, req.version()};
    res.set(http::field::content_type, "application/json");
    res.body() = "{}";
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

}  // namespace

// Shared with the polling coroutine and stop()'s posted handler, so neither
// touches the adapter after it is gone.
struct PollState {
    asio::cancellation_signal signal;
};

TelegramAdapter::TelegramAdapter(asio::any_io_executor ex, net::HttpClient& http, Inbox& inbox, Options o,
                                 const Clock& clock)
    : ex_(std::move(ex)),
      http_(http),
      inbox_(inbox),
      options_(std::move(o)),
      clock_(clock),
      poll_strand_(asio::make_strand(ex_)),
      poll_state_(std::make_shared<PollState>()) {
    while (!options_.api_base.empty() && options_.api_base.back() == '/') options_.api_base.pop_back();
}

TelegramAdapter::~TelegramAdapter() { stopping_ = true; }

std::string TelegramAdapter::url(std::string_view method) const {
    return options_.api_base + "/bot" + options_.token + "/" + std::string(method);
}

std::string TelegramAdapter::mask(std::string text) const {
    if (options_.token.empty()) return text;
    for (auto pos = text.find(options_.token); pos != std::string::npos; pos = text.find(options_.token, pos))
        text.replace(pos, options_.token.size(), "<token>");
    return text;
}

asio::awaitable<net::ClientResponse> TelegramAdapter::call(std::string method, std::string body,
                                                           std::chrono::milliseconds timeout) {
    net::ClientRequest req;
    req.method = "POST";
    req.url = url(method);
    req.headers.emplace_back("Content-Type", "application/json");
    req.body = std::move(body);
    req.timeout = timeout;
    net::ClientResponse res = co_await http_.request(std::move(req));
    co_return res;
}

asio::awaitable<Intake> TelegramAdapter::intake(const net::Request& req) {
    Intake in;
    if (options_.polling) {
        in.answer = net::json_error(req, 404, "telegram runs in polling mode (telegram.mode); webhooks are off");
        co_return in;
    }
    if (req.method() != http::verb::post) {
        in.answer = net::json_error(req, 405, "use POST");
        co_return in;
    }
    if (!options_.secret_token.empty() &&
        !net::crypto::constant_time_equal(req[kSecretHeader], options_.secret_token)) {
        spdlog::warn("telegram: webhook with a missing or wrong {} refused", kSecretHeader);
        in.answer = net::json_error(req, 401, "missing or wrong secret token");
        co_return in;
    }
    auto parsed = parse_update(req.body());
    if (!parsed) {
        in.answer = net::json_error(req, 400, "not a Telegram update");
        co_return in;
    }
    std::string callback_query_id = parsed->callback_query_id;
    const auto update_id = parsed->update_id;
    co_await answer_callback(std::move(callback_query_id), update_id);
    if (!parsed->inbound) {
        in.answer = ok_json(req);  // a kind we ignore: acknowledged all the same
        co_return in;
    }
    in.message = std::move(*parsed->inbound);
    co_return in;
}

net::Response TelegramAdapter::received(const net::Request& req) const { return ok_json(req); }

asio::awaitable<void> TelegramAdapter::answer_callback(std::string callback_query_id, std::int64_t update_id) {
    if (callback_query_id.empty()) co_return;
    // Stops the spinner on the pressed button; the message is edited later.
    std::string body = json{{"callback_query_id", callback_query_id}}.dump();
    std::string method = "answerCallbackQuery";
    std::string failure;
    try {
        net::ClientResponse res = co_await call(std::move(method), std::move(body), kSideCallTimeout);
        if (res.status != 200) failure = interpret(res.status, "", res.body, false, "", "").error;
    } catch (const std::exception& e) {
        failure = e.what();
    }
    if (!failure.empty())
        spdlog::warn("telegram: answerCallbackQuery for update {} failed: {}", update_id, mask(failure));
}

asio::awaitable<void> TelegramAdapter::handle(Update update) {
    std::string callback_query_id = update.callback_query_id;
    co_await answer_callback(std::move(callback_query_id), update.update_id);
    if (!update.inbound) co_return;

    Inbound in = std::move(*update.inbound);
    Outcome o = co_await execute(inbox_, std::move(in));
    if (o.failed) throw std::runtime_error(o.error);  // the poll loop takes the update again
}

asio::awaitable<SendResult> TelegramAdapter::send(Outbound out) {
    const bool edit = !out.replace_ref.empty();
    const std::string chat = out.chat_id.empty() ? out.recipient : out.chat_id;
    if (chat.empty()) {
        SendResult r;
        r.status = SendResult::Status::failed;
        r.error = "no chat_id and no recipient";
        co_return r;
    }
    ApiCall api = render(out);
    std::string method = api.method;
    std::string failure;
    net::ClientResponse res;
    try {
        res = co_await call(std::move(method), std::move(api.body), kSendTimeout);
    } catch (const std::exception& e) {
        failure = mask(e.what());
    }
    if (!failure.empty()) {
        SendResult r;
        r.status = SendResult::Status::retry;
        r.error = api.method + ": " + failure;
        co_return r;
    }
    SendResult r = interpret(res.status, res.header("retry-after"), res.body, edit, chat, out.replace_ref);
    if (r.status != SendResult::Status::sent) {
        r.error = api.method + ": " + r.error;
        spdlog::debug("telegram: {} to chat {}: {}", api.method, chat, r.error);
    }
    co_return r;
}

void TelegramAdapter::start() {
    if (!options_.polling) return;
    bool expected = false;
    if (!polling_active_.compare_exchange_strong(expected, true)) return;
    stopping_ = false;
    spdlog::info("telegram: polling {} for updates (timeout {} s)", options_.api_base, options_.poll_timeout.count());
    // Spawned on the strand, where stop() emits the cancellation too.
    asio::post(poll_strand_, [this, state = poll_state_] {
        asio::co_spawn(poll_strand_, poll_loop(),
                       asio::bind_cancellation_slot(state->signal.slot(), [this](std::exception_ptr e) {
                           polling_active_ = false;
                           if (!e) return;
                           try {
                               std::rethrow_exception(e);
                           } catch (const std::exception& ex) {
                               if (!stopping_) spdlog::error("telegram: polling ended: {}", mask(ex.what()));
                           }
                       }));
    });
}

void TelegramAdapter::stop() {
    stopping_ = true;
    asio::post(poll_strand_, [state = poll_state_] { state->signal.emit(asio::cancellation_type::terminal); });
}

asio::awaitable<void> TelegramAdapter::poll_loop() {
    std::optional<std::int64_t> offset;
    std::chrono::milliseconds backoff = 1s;
    asio::steady_timer timer(poll_strand_);
    const auto request_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(options_.poll_timeout + 10s);
    while (!stopping_) {
        json query{{"timeout", options_.poll_timeout.count()}, {"allowed_updates", {"message", "callback_query"}}};
        if (offset) query["offset"] = *offset;
        std::string body = query.dump();
        std::string method = "getUpdates";
        const auto started = clock_.monotonic();
        std::string failure;
        std::optional<std::chrono::seconds> retry_after;
        std::optional<UpdateBatch> batch;
        try {
            net::ClientResponse res = co_await call(std::move(method), std::move(body), request_timeout);
            if (res.status == 200) batch = parse_updates(res.body);
            if (!batch) {
                SendResult r = interpret(res.status, res.header("retry-after"), res.body, false, "", "");
                failure = res.status == 200 ? "unreadable getUpdates answer" : r.error;
                retry_after = r.retry_after;
                if (res.status == 409)
                    failure += " (a webhook is set: call deleteWebhook, or use telegram.mode webhook)";
            }
        } catch (const std::exception& e) {
            failure = mask(e.what());
        }
        if (stopping_) break;

        if (batch) {
            bool processed = true;
            for (auto& update : batch->updates) {
                const auto id = update.update_id;
                try {
                    Update u = std::move(update);
                    co_await handle(std::move(u));
                } catch (const std::exception& e) {
                    failure = "update " + std::to_string(id) + " not processed: " + mask(e.what());
                    processed = false;
                }
                if (!processed || stopping_) break;
                offset = std::max(offset.value_or(id + 1), id + 1);
            }
            if (processed && batch->max_update_id)
                offset = std::max(offset.value_or(*batch->max_update_id + 1), *batch->max_update_id + 1);
            if (processed) {
                backoff = 1s;
                if (batch->updates.empty() && clock_.monotonic() - started < kMinPollInterval) {
                    timer.expires_after(kMinPollInterval);
                    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
                }
                continue;
            }
        }
        if (stopping_) break;

        auto wait = retry_after ? std::chrono::duration_cast<std::chrono::milliseconds>(*retry_after) : backoff;
        spdlog::warn("telegram: getUpdates failed: {}; retrying in {} ms", failure, wait.count());
        timer.expires_after(wait);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
    }
    polling_active_ = false;
}

}  // namespace fu::adapters::telegram
