// A write the database refuses (a full disk) reaches the person as "not
// saved", with the reason and what to do, in their language: 503 with
// Retry-After from the web chat and the REST API, never "internal error";
// and nothing of the command is stored.
#include <gtest/gtest.h>

#include <sqlite3.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <future>
#include <thread>

#include "core/api.hpp"
#include "failing_store.hpp"
#include "net/http_server.hpp"
#include "server/api_tokens.hpp"
#include "server/event_hub.hpp"
#include "server/not_saved.hpp"
#include "server/rest_api.hpp"
#include "server/router.hpp"
#include "server/scheduler.hpp"
#include "server/storage_executor.hpp"
#include "server/web_chat.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace fu::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;
using tcp = asio::ip::tcp;

// SQLite's own message for a full database, made for real: a database
// allowed no more pages than it has.
std::string sqlite_full_message() {
    sqlite3* db = nullptr;
    sqlite3_open(":memory:", &db);
    sqlite3_exec(db, "CREATE TABLE t(x); PRAGMA max_page_count = 2;", nullptr, nullptr, nullptr);
    std::string message;
    for (int i = 0; i < 100 && message.empty(); ++i)
        if (sqlite3_exec(db, "INSERT INTO t VALUES (randomblob(2000))", nullptr, nullptr, nullptr) != SQLITE_OK)
            message = sqlite3_errmsg(db);
    sqlite3_close(db);
    return "sqlite: " + message + " (in: INSERT INTO customers)";
}

TEST(NotSaved, NamesAFullDiskFromSqlitesOwnMessageInBothLanguages) {
    const auto full = not_saved_text(sqlite_full_message());
    EXPECT_EQ(full.en, "Not saved: the server's disk is full. Nothing was changed; try again in a few minutes.");
    EXPECT_EQ(full.zh, "未保存：服务器磁盘已满。没有任何改动，请过几分钟再试。");
    EXPECT_NE(not_saved_text("sqlite: attempt to write a readonly database (in: UPDATE)").en.find("read-only"),
              std::string::npos);
    EXPECT_NE(not_saved_text("postgres: could not extend file: No space left on device").en.find("disk is full"),
              std::string::npos);
    EXPECT_EQ(not_saved_text("something else").en,
              "Not saved: the database could not be written. Nothing was changed; try again in a few minutes.");
}

class NotSavedTest : public ::testing::Test {
protected:
    NotSavedTest() : clock(from_unix(1795485600)), real(storage::SqliteStore::open(":memory:")), store(*real) {
        real->transact([&](Repo& r) {
            const auto team = r.add_team(Team{{}, "East Sales"});
            for (auto [handle, lang] : {std::pair{"maria", Lang::en}, std::pair{"wang", Lang::zh}}) {
                User u;
                u.handle = handle;
                u.display_name = handle;
                u.role = Role::rep;
                u.team = team;
                u.lang = lang;
                r.add_user(u);
            }
            User boss;
            boss.handle = "boss";
            boss.display_name = "Boss";
            boss.role = Role::admin;
            r.add_user(boss);
            token = tokens::create(r, "crm", std::nullopt, "boss", clock.now()).secret;
        });
        bot = std::make_unique<Bot>(store, clock, BotOptions{});
        service = std::make_unique<api::Service>(store, clock, BotOptions{});
        scheduler = std::make_unique<Scheduler>(storage, *bot, clock);
        effects = std::make_unique<Effects>(*scheduler, hub);
        WebChatOptions web_options;
        web_options.pick = true;
        web = std::make_unique<WebChat>(storage, store, *bot, *effects, hub, web_options);
        rest = std::make_unique<RestApi>(storage, *service, *effects, RestOptions{"Asia/Shanghai", 4096, 8192});
        inbox = std::make_unique<PlatformInbox>(storage, *bot, *effects);
        router = std::make_unique<Router>(*web, metrics, *inbox);
        router->set_rest(*rest);
        server = std::make_unique<net::HttpServer>(ioc, net::HttpOptions{"127.0.0.1", 0, 1 << 20}, *router);
        port = server->start();
        thread = std::thread([this] { ioc.run(); });
    }
    ~NotSavedTest() override {
        server->stop();
        hub.close_all();
        scheduler->stop();
        ioc.stop();
        thread.join();
        storage.join();
    }

    http::response<http::string_body> post(const std::string& target, const json& body,
                                           const std::string& bearer = {}) {
        asio::io_context io;
        tcp::socket socket(io);
        socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        http::request<http::string_body> req{http::verb::post, target, 11};
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::content_type, "application/json");
        if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
        req.body() = body.dump();
        req.prepare_payload();
        http::write(socket, req);
        beast::flat_buffer buffer;
        http::response<http::string_body> res;
        http::read(socket, buffer, res);
        return res;
    }
    std::size_t customers() {
        std::promise<std::size_t> n;
        asio::post(storage.executor(), [&] {
            std::size_t count = 0;
            real->transact([&](Repo& r) { count = r.customers_owned_by(r.user_by_handle("maria")->id).size(); });
            n.set_value(count);
        });
        return n.get_future().get();
    }

    FakeClock clock;
    std::unique_ptr<storage::SqliteStore> real;
    test::FailingStore store;
    std::string token;
    StorageExecutor storage{store};
    EventHub hub;
    Metrics metrics;
    asio::io_context ioc{1};
    std::unique_ptr<Bot> bot;
    std::unique_ptr<api::Service> service;
    std::unique_ptr<Scheduler> scheduler;
    std::unique_ptr<Effects> effects;
    std::unique_ptr<WebChat> web;
    std::unique_ptr<PlatformInbox> inbox;
    std::unique_ptr<RestApi> rest;
    std::unique_ptr<Router> router;
    std::unique_ptr<net::HttpServer> server;
    unsigned short port = 0;
    std::thread thread;
};

TEST_F(NotSavedTest, AChatCommandOnAFullDiskIsAnsweredNotSavedAndStoresNothing) {
    store.fail_with(sqlite_full_message());
    store.fail_at(1);
    auto res = post("/api/chat", {{"user", "maria"}, {"text", "customer add Acme tier=A"}});
    EXPECT_EQ(res.result_int(), 503);
    EXPECT_EQ(res[http::field::retry_after], "60");
    // The demo's "pick who you are" mode has no signed-in person: both languages.
    const auto text = not_saved_text(sqlite_full_message());
    EXPECT_EQ(json::parse(res.body())["error"], text.en + " " + text.zh);
    EXPECT_EQ(customers(), 0u);

    // Once the disk has room, the same command goes through.
    store.fail_at(0);
    res = post("/api/chat", {{"user", "maria"}, {"text", "customer add Acme tier=A"}});
    EXPECT_EQ(res.result_int(), 200) << res.body();
    EXPECT_EQ(customers(), 1u);
}

TEST(NotSaved, ASignedInPersonReadsItInTheirLanguage) {
    net::Request req{http::verb::post, "/api/chat?x=secret", 11};
    const auto zh = not_saved(req, Lang::zh, "sqlite: database or disk is full");
    EXPECT_EQ(zh.result_int(), 503);
    EXPECT_EQ(json::parse(zh.body())["error"], "未保存：服务器磁盘已满。没有任何改动，请过几分钟再试。");
    const auto en = not_saved(req, Lang::en, "sqlite: database or disk is full");
    EXPECT_EQ(json::parse(en.body())["error"],
              "Not saved: the server's disk is full. Nothing was changed; try again in a few minutes.");
}

TEST_F(NotSavedTest, TheRestApiAnswers503NotSavedRatherThanInternalError) {
    store.fail_with(sqlite_full_message());
    store.fail_at(1);
    auto res = post("/api/v1/customers", {{"name", "Acme"}, {"owner", "maria"}, {"tier", "A"}}, token);
    EXPECT_EQ(res.result_int(), 503) << res.body();
    EXPECT_EQ(res[http::field::retry_after], "60");
    const auto body = json::parse(res.body());
    EXPECT_EQ(body["code"], "not_saved") << res.body();
    EXPECT_EQ(body["message"], not_saved_text(sqlite_full_message()).en);
    EXPECT_EQ(customers(), 0u);
}

}  // namespace
}  // namespace fu::server
