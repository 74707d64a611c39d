// The REST API end to end in process: a real HTTP server on 127.0.0.1:0 over an
// in-memory store, driven with a plain HTTP client. Every endpoint is called
// with a valid token, a token of the wrong scope and a revoked one.
// Past 500 lines on purpose: one server and token set serve every endpoint.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <future>
#include <thread>

#include "core/api.hpp"
#include "net/http_server.hpp"
#include "server/api_tokens.hpp"
#include "server/event_hub.hpp"
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

struct HttpReply {
    int status = 0;
    json body;
    std::string raw;
    std::string content_type;
    std::string allow;
};

class RestApiTest : public ::testing::Test {
protected:
    // Tue 2026-11-24 10:00 Asia/Shanghai.
    RestApiTest() : clock(from_unix(1795485600)), store(storage::SqliteStore::open(":memory:")) {
        store->transact([&](Repo& r) {
            east = r.add_team(Team{{}, "East Sales"});
            west = r.add_team(Team{{}, "West Sales"});
            auto add = [&](const char* handle, Role role, std::optional<TeamId> team) {
                User u;
                u.handle = handle;
                u.display_name = handle;
                u.role = role;
                u.team = team;
                u.lang = Lang::en;
                u.work_start_minute = 0;
                u.work_end_minute = 24 * 60;
                u.work_days = 0b1111111;
                return r.add_user(u);
            };
            boss = add("boss", Role::admin, std::nullopt);
            li = add("li", Role::manager, east);
            wang = add("wang", Role::rep, east);
            maria = add("maria", Role::rep, east);
            olga = add("olga", Role::rep, west);
            all_token = tokens::create(r, "crm", std::nullopt, "boss", clock.now()).secret;
            east_token = tokens::create(r, "crm-east", std::string("East Sales"), "boss", clock.now()).secret;
            west_token = tokens::create(r, "crm-west", std::string("West Sales"), "boss", clock.now()).secret;
            const auto gone = tokens::create(r, "old", std::string("East Sales"), "boss", clock.now());
            revoked_token = gone.secret;
            tokens::revoke(r, gone.token.id, "boss", clock.now());
            east_token_id = *r.api_token_by_hash(tokens::hash_secret(east_token));
        });
        bot = std::make_unique<Bot>(*store, clock, BotOptions{});
        service = std::make_unique<api::Service>(*store, clock, BotOptions{});
        scheduler = std::make_unique<Scheduler>(storage, *bot, clock);
        effects = std::make_unique<Effects>(*scheduler, hub);
        WebChatOptions web_options;
        web_options.pick = true;  // these tests name the user; sign-in has its own tests
        web = std::make_unique<WebChat>(storage, *store, *bot, *effects, hub, web_options);
        rest = std::make_unique<RestApi>(storage, *service, *effects, RestOptions{"Asia/Shanghai", 4096, 8192});
        inbox = std::make_unique<PlatformInbox>(storage, *bot, *effects);
        router = std::make_unique<Router>(*web, metrics, *inbox);
        router->set_rest(*rest);
        server = std::make_unique<net::HttpServer>(ioc, net::HttpOptions{"127.0.0.1", 0, 1 << 20}, *router);
        port = server->start();
        thread = std::thread([this] { ioc.run(); });
    }

    ~RestApiTest() override {
        server->stop();
        hub.close_all();
        scheduler->stop();
        ioc.stop();
        thread.join();
        storage.join();
    }

    HttpReply call(http::verb method, const std::string& target, const std::string& token = {},
                   const std::string& body = {}, const std::string& type = "application/json") {
        asio::io_context io;
        tcp::socket socket(io);
        socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        http::request<http::string_body> req{method, target, 11};
        req.set(http::field::host, "127.0.0.1");
        if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
        if (!body.empty()) {
            req.set(http::field::content_type, type);
            req.body() = body;
        }
        req.prepare_payload();
        http::write(socket, req);
        beast::flat_buffer buffer;
        http::response<http::string_body> res;
        http::read(socket, buffer, res);
        HttpReply out;
        out.status = res.result_int();
        out.raw = res.body();
        out.content_type = std::string(res[http::field::content_type]);
        out.allow = std::string(res[http::field::allow]);
        if (out.content_type.starts_with("application/json")) out.body = json::parse(out.raw, nullptr, false);
        return out;
    }
    HttpReply get(const std::string& t, const std::string& token) { return call(http::verb::get, t, token); }
    HttpReply post(const std::string& t, const std::string& token, const json& b) {
        return call(http::verb::post, t, token, b.dump());
    }
    HttpReply patch(const std::string& t, const std::string& token, const json& b) {
        return call(http::verb::patch, t, token, b.dump());
    }

    std::vector<AuditEntry> audit_of(const std::string& subject) {
        std::vector<AuditEntry> out;
        std::promise<void> done;
        asio::post(storage.executor(), [&] {
            store->transact([&](Repo& r) { out = r.audit_for(subject, 100); });
            done.set_value();
        });
        done.get_future().wait();
        return out;
    }
    template <class F>
    void on_storage(F f) {
        std::promise<void> done;
        asio::post(storage.executor(), [&] {
            store->transact(f);
            done.set_value();
        });
        done.get_future().wait();
    }

    static bool has_action(const std::vector<AuditEntry>& log, const std::string& action,
                           const std::string& token_name) {
        for (const auto& a : log)
            if (a.action == action && a.detail.find("via API token #") != std::string::npos &&
                a.detail.find(token_name) != std::string::npos)
                return true;
        return false;
    }

    // A customer of wang's (East Sales), made through the API; returns its id.
    std::int64_t east_customer(const std::string& name = "Acme", const std::string& ext = "") {
        json b{{"name", name}, {"owner", "wang"}, {"tier", "A"}, {"stage", "active"}, {"phone", "13800000000"}};
        if (!ext.empty()) b["external_id"] = ext;
        auto r = post("/api/v1/customers", east_token, b);
        EXPECT_EQ(r.status, 201) << r.raw;
        return r.body.value("id", std::int64_t{0});
    }

    FakeClock clock;
    std::unique_ptr<storage::SqliteStore> store;
    TeamId east, west;
    UserId boss, li, wang, maria, olga;
    std::string all_token, east_token, west_token, revoked_token;
    ApiToken east_token_id;
    StorageExecutor storage{*store};
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

struct Endpoint {
    http::verb method;
    std::string target;
    std::string body;
};

TEST_F(RestApiTest, EveryEndpointRefusesNoTokenUnknownTokenAndRevokedToken) {
    const auto id = east_customer();
    const std::vector<Endpoint> endpoints = {
        {http::verb::get, "/api/v1/customers", ""},
        {http::verb::post, "/api/v1/customers", R"({"name":"X"})"},
        {http::verb::get, "/api/v1/customers/" + std::to_string(id), ""},
        {http::verb::patch, "/api/v1/customers/" + std::to_string(id), R"({"tier":"B"})"},
        {http::verb::delete_, "/api/v1/customers/" + std::to_string(id), ""},
        {http::verb::get, "/api/v1/customers/" + std::to_string(id) + "/history", ""},
        {http::verb::get, "/api/v1/followups", ""},
        {http::verb::post, "/api/v1/followups", R"({"customer":1,"due":"2026-11-25T10:00:00+08:00"})"},
        {http::verb::patch, "/api/v1/followups/1", R"({"status":"done"})"},
        {http::verb::get, "/api/v1/reports/team", ""},
        {http::verb::get, "/api/v1/reports/summary?period=week", ""},
        {http::verb::post, "/api/v1/imports/customers?dry_run=true", "name\nA\n"},
        {http::verb::get, "/api/v1/exports/customers.csv", ""},
        {http::verb::get, "/api/v1/audit", ""},
        {http::verb::get, "/api/v1/no-such-thing", ""},
    };
    for (const auto& e : endpoints) {
        auto none = call(e.method, e.target, "", e.body);
        EXPECT_EQ(none.status, 401) << e.target;
        EXPECT_EQ(none.body.value("code", ""), "unauthorized") << e.target;
        auto unknown = call(e.method, e.target, "fu_not-a-real-token", e.body);
        EXPECT_EQ(unknown.status, 401) << e.target;
        EXPECT_EQ(unknown.body.value("code", ""), "unauthorized") << e.target;
        auto revoked = call(e.method, e.target, revoked_token, e.body);
        EXPECT_EQ(revoked.status, 401) << e.target;
        EXPECT_EQ(revoked.body.value("code", ""), "revoked") << e.target;
        EXPECT_NE(revoked.body.value("message", "").find("revoked"), std::string::npos) << revoked.raw;
    }
    // Nothing was changed by the refused calls.
    auto c = get("/api/v1/customers/" + std::to_string(id), east_token);
    EXPECT_EQ(c.body["tier"], "A");
    EXPECT_EQ(c.body["phone"], "13800000000");
}

TEST_F(RestApiTest, TokenSecretIsShownOnceAndOnlyItsHashIsStored) {
    EXPECT_TRUE(east_token.starts_with("fu_"));
    EXPECT_EQ(east_token.size(), 3u + 43u);
    EXPECT_EQ(east_token_id.hash, tokens::hash_secret(east_token));
    EXPECT_EQ(east_token_id.hash.find(east_token.substr(3)), std::string::npos);
    const auto log = audit_of("token:" + std::to_string(east_token_id.id.value));
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.front().action, "token.create");
    EXPECT_EQ(log.front().actor, boss);
    // Using it marks it used.
    EXPECT_EQ(get("/api/v1/customers", east_token).status, 200);
    on_storage([&](Repo& r) { EXPECT_TRUE(r.api_token(east_token_id.id)->last_used_at.has_value()); });
}

TEST_F(RestApiTest, CreateCustomerSchedulesFirstFollowupAndIsAudited) {
    auto r = post("/api/v1/customers", east_token,
                  {{"name", "Acme"},
                   {"owner", "wang"},
                   {"tier", "a"},
                   {"stage", "lead"},
                   {"tags", {"vip", "north"}},
                   {"value", 50000},
                   {"external_id", "CRM-1"},
                   {"email", "a@acme.test"}});
    ASSERT_EQ(r.status, 201) << r.raw;
    EXPECT_EQ(r.body["owner"], "wang");
    EXPECT_EQ(r.body["team"], "East Sales");
    EXPECT_EQ(r.body["tier"], "A");
    EXPECT_EQ(r.body["tags"], json({"vip", "north"}));
    EXPECT_EQ(r.body["external_id"], "CRM-1");
    ASSERT_EQ(r.body["open_followups"].size(), 1u) << r.raw;  // the cadence's first step
    EXPECT_FALSE(r.body["next_followup"].is_null());
    const auto id = r.body["id"].get<std::int64_t>();
    EXPECT_TRUE(has_action(audit_of("customer:" + std::to_string(id)), "customer.add", "crm-east"));

    // Same external id: conflict.
    auto dup = post("/api/v1/customers", east_token, {{"name", "Other"}, {"external_id", "CRM-1"}});
    EXPECT_EQ(dup.status, 409);
    EXPECT_EQ(dup.body["code"], "conflict");
    // An owner in another team: refused for a team token.
    auto other = post("/api/v1/customers", east_token, {{"name", "Other"}, {"owner", "olga"}});
    EXPECT_EQ(other.status, 403);
    EXPECT_EQ(other.body["code"], "forbidden");
    // ...but the everything token may.
    EXPECT_EQ(post("/api/v1/customers", all_token, {{"name", "Olga's"}, {"owner", "olga"}}).status, 201);
}

TEST_F(RestApiTest, BadRequestsNameTheirProblem) {
    const auto id = east_customer();
    auto malformed = call(http::verb::post, "/api/v1/customers", east_token, "{\"name\": ");
    EXPECT_EQ(malformed.status, 400);
    EXPECT_EQ(malformed.body["code"], "invalid_json");
    auto not_object = call(http::verb::post, "/api/v1/customers", east_token, "[1,2]");
    EXPECT_EQ(not_object.body["code"], "invalid_json");

    auto missing = post("/api/v1/customers", east_token, {{"company", "X"}});
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(missing.body["field"], "name");
    auto tier = post("/api/v1/customers", east_token, {{"name", "X"}, {"tier", "Z"}});
    EXPECT_EQ(tier.status, 400);
    EXPECT_EQ(tier.body["code"], "invalid_field");
    EXPECT_EQ(tier.body["field"], "tier");
    EXPECT_NE(tier.body["message"].get<std::string>().find("tier"), std::string::npos);
    auto value = patch("/api/v1/customers/" + std::to_string(id), east_token, {{"value", "lots"}});
    EXPECT_EQ(value.body["field"], "value");
    auto unknown = patch("/api/v1/customers/" + std::to_string(id), east_token, {{"colour", "red"}});
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(unknown.body["field"], "colour");
    auto owner = patch("/api/v1/customers/" + std::to_string(id), east_token, {{"owner", "nobody"}});
    EXPECT_EQ(owner.status, 400);
    EXPECT_EQ(owner.body["field"], "owner");
    auto due = post("/api/v1/followups", east_token, {{"customer", id}, {"due", "tomorrow"}});
    EXPECT_EQ(due.body["field"], "due");
    auto limit = get("/api/v1/customers?limit=0", east_token);
    EXPECT_EQ(limit.body["field"], "limit");

    EXPECT_EQ(get("/api/v1/customers/99999", east_token).status, 404);
    EXPECT_EQ(get("/api/v1/customers/99999", east_token).body["code"], "not_found");
    EXPECT_EQ(patch("/api/v1/followups/99999", east_token, {{"status", "done"}}).status, 404);
    EXPECT_EQ(get("/api/v1/customers/abc", east_token).status, 404);
    EXPECT_EQ(get("/api/v1/nothing/here", east_token).status, 404);

    auto wrong = call(http::verb::put, "/api/v1/customers/" + std::to_string(id), east_token, "{}");
    EXPECT_EQ(wrong.status, 405);
    EXPECT_EQ(wrong.body["code"], "method_not_allowed");
    EXPECT_NE(wrong.allow.find("PATCH"), std::string::npos);

    auto big = post("/api/v1/customers", east_token, {{"name", std::string(5000, 'x')}});
    EXPECT_EQ(big.status, 413);
    EXPECT_EQ(big.body["code"], "payload_too_large");
}

// limits.name_chars (200 by default) for every name-like field, and a note as
// long as a chat command: a 400 naming the field, both lengths, nothing stored.
TEST_F(RestApiTest, NamesOverTheLimitAreRefusedNamingTheField) {
    auto name = post("/api/v1/customers", east_token, {{"name", std::string(201, 'x')}, {"owner", "wang"}});
    EXPECT_EQ(name.status, 400) << name.raw;
    EXPECT_EQ(name.body["code"], "invalid_field");
    EXPECT_EQ(name.body["field"], "name");
    EXPECT_EQ(name.body["message"], "name: The name is 201 characters long; it may have at most 200.");
    // Characters, not bytes: 200 Chinese characters (600 bytes) are a name that fits.
    std::string zh;
    for (int i = 0; i < 200; ++i) zh += "华";
    EXPECT_EQ(post("/api/v1/customers", east_token, {{"name", zh}, {"owner", "wang"}}).status, 201);
    EXPECT_EQ(post("/api/v1/customers", east_token, {{"name", zh + "华"}, {"owner", "wang"}}).status, 400);
    EXPECT_EQ(get("/api/v1/customers", east_token).body["items"].size(), 1u);

    const auto id = east_customer();
    const auto path = "/api/v1/customers/" + std::to_string(id);
    for (const char* field : {"company", "phone", "email", "im", "source", "external_id"}) {
        auto r = patch(path, east_token, {{field, std::string(300, 'y')}});
        EXPECT_EQ(r.status, 400) << field;
        EXPECT_EQ(r.body["field"], field);
    }
    auto tags = patch(path, east_token, {{"tags", {"vip", std::string(201, 't')}}});
    EXPECT_EQ(tags.body["field"], "tags");
    EXPECT_EQ(get(path, east_token).body["company"], "");

    auto topic = post("/api/v1/followups", east_token,
                      {{"customer", id}, {"due", "2026-11-25T15:00:00+08:00"}, {"topic", std::string(201, 'z')}});
    EXPECT_EQ(topic.status, 400) << topic.raw;
    EXPECT_EQ(topic.body["field"], "topic");
    const auto task = get("/api/v1/followups?customer=" + std::to_string(id), east_token).body["items"][0]["id"];
    auto note = patch("/api/v1/followups/" + std::to_string(task.get<std::int64_t>()), east_token,
                      {{"status", "done"}, {"note", std::string(4001, 'n')}});
    EXPECT_EQ(note.status, 400) << note.raw;
    EXPECT_EQ(note.body["field"], "note");
    EXPECT_NE(note.body["message"].get<std::string>().find("4001 characters"), std::string::npos);
}

// A row with a name over the limit is that row's problem in the report; nothing is imported.
TEST_F(RestApiTest, AnImportRowWithANameOverTheLimitIsARowProblem) {
    const std::string csv = "name,owner,company\nFine Co,wang,\n" + std::string(300, 'x') + ",wang,\nOther,wang," +
                            std::string(201, 'c') + "\n";
    auto r = call(http::verb::post, "/api/v1/imports/customers", all_token, csv, "text/csv");
    ASSERT_EQ(r.status, 422) << r.raw;
    ASSERT_EQ(r.body["problems"].size(), 2u) << r.raw;
    EXPECT_EQ(r.body["problems"][0]["row"], 3);
    EXPECT_EQ(r.body["problems"][0]["column"], "name");
    EXPECT_EQ(r.body["problems"][0]["message"], "The cell is 300 characters long; it may have at most 200.");
    EXPECT_EQ(r.body["problems"][1]["row"], 4);
    EXPECT_EQ(r.body["problems"][1]["column"], "company");
    EXPECT_EQ(get("/api/v1/customers", all_token).body["items"].size(), 0u);
}

TEST_F(RestApiTest, AWholeNumberPastInt64IsTooLargeNotNegative) {
    const auto path = "/api/v1/customers/" + std::to_string(east_customer());
    for (const char* n : {"9223372036854775808", "18446744073709551615", "100000000000000000000", "1e19"}) {
        auto r = call(http::verb::patch, path, east_token, std::string(R"({"value": )") + n + "}");
        EXPECT_EQ(r.status, 400) << n;
        EXPECT_EQ(r.body["field"], "value") << n;
        EXPECT_EQ(r.body["message"], "value: is too large: at most 9223372036854775807") << n;
    }
    auto negative = patch(path, east_token, {{"value", -1}});
    EXPECT_EQ(negative.body["message"], "value: must not be negative");
    auto largest = call(http::verb::patch, path, east_token, R"({"value": 9223372036854775807})");
    EXPECT_EQ(largest.status, 200) << largest.raw;
    EXPECT_EQ(largest.body["value"], INT64_MAX);
    auto fraction = patch(path, east_token, {{"value", 1.5}});
    EXPECT_EQ(fraction.body["message"], "value: must be a whole number");
    // Any whole-number field: the follow-up's customer too.
    auto customer = call(http::verb::post, "/api/v1/followups", east_token,
                         R"({"customer": 9223372036854775808, "due": "2026-11-25T10:00:00+08:00"})");
    EXPECT_EQ(customer.body["message"], "customer: is too large: at most 9223372036854775807") << customer.raw;
    auto tiny = call(http::verb::post, "/api/v1/followups", east_token,
                     R"({"customer": -1e19, "due": "2026-11-25T10:00:00+08:00"})");
    EXPECT_EQ(tiny.body["message"], "customer: is too small: at least -9223372036854775808") << tiny.raw;
}

TEST_F(RestApiTest, AQueryThatIsNotUtf8IsRefusedOnEveryRoute) {
    // The web chat, the live-event stream, webhooks, anything: {"error": why}.
    for (const std::string target :
         {"/api/messages?user=%FF%FE", "/api/messages?user=wang&after=%C0%AF", "/api/users?token=%FF",
          "/hooks/telegram?x=%ED%A0%80", "/nowhere?q=%FF", "/api/events?user=%FF", "/api/events?%FF"}) {
        auto r = get(target, "");
        EXPECT_EQ(r.status, 400) << target << ": " << r.raw;
        EXPECT_NE(r.body.value("error", "").find("is not UTF-8 text"), std::string::npos) << target << ": " << r.raw;
    }
    EXPECT_EQ(get("/api/messages?user=%FF%FE", "").body["error"],
              "the query parameter \"user\" is not UTF-8 text once percent-decoded");
    // The REST API: its own error shape, naming the parameter.
    auto rest = get("/api/v1/customers?owner=%FF", east_token);
    EXPECT_EQ(rest.status, 400) << rest.raw;
    EXPECT_EQ(rest.body["code"], "invalid_field");
    EXPECT_EQ(rest.body["field"], "owner");
    EXPECT_EQ(rest.body["message"], "owner: is not UTF-8 text once percent-decoded");
    // Percent-encoded UTF-8 is fine: a user who is not there is a 404 that names them.
    auto unknown = get("/api/messages?user=%E7%8E%8B", "");
    EXPECT_EQ(unknown.status, 404) << unknown.raw;
    EXPECT_EQ(unknown.body["error"], "no such user: 王");
    EXPECT_EQ(get("/api/messages?user=wang", "").status, 200);
    auto owner = get("/api/v1/customers?owner=%E7%8E%8B", east_token);
    EXPECT_EQ(owner.body["message"].get<std::string>().find("UTF-8"), std::string::npos) << owner.raw;
    EXPECT_EQ(get("/api/v1/customers?owner=wang", east_token).status, 200);
}

TEST_F(RestApiTest, CustomerEndpointsKeepToTheTokensScope) {
    const auto id = east_customer("Acme", "E-1");
    const auto path = "/api/v1/customers/" + std::to_string(id);
    auto west_customer = post("/api/v1/customers", west_token, {{"name", "Westy"}, {"owner", "olga"}});
    ASSERT_EQ(west_customer.status, 201) << west_customer.raw;

    EXPECT_EQ(get(path, east_token).status, 200);
    EXPECT_EQ(get(path, all_token).status, 200);
    EXPECT_EQ(get(path, west_token).status, 403);
    EXPECT_EQ(patch(path, west_token, {{"tier", "B"}}).status, 403);
    EXPECT_EQ(get(path + "/history", west_token).status, 403);
    EXPECT_EQ(call(http::verb::delete_, path, west_token).status, 403);

    auto east_list = get("/api/v1/customers", east_token);
    ASSERT_EQ(east_list.status, 200);
    ASSERT_EQ(east_list.body["items"].size(), 1u);
    EXPECT_EQ(east_list.body["items"][0]["name"], "Acme");
    EXPECT_EQ(get("/api/v1/customers", all_token).body["items"].size(), 2u);
    EXPECT_EQ(get("/api/v1/customers?external_id=E-1", west_token).body["items"].size(), 0u);
    EXPECT_EQ(get("/api/v1/customers?external_id=E-1", all_token).body["items"].size(), 1u);
    EXPECT_EQ(get("/api/v1/customers?owner=olga", all_token).body["items"].size(), 1u);
    EXPECT_EQ(get("/api/v1/customers?stage=active", all_token).body["items"].size(), 1u);
    EXPECT_EQ(get("/api/v1/customers?stage=bogus", all_token).body["field"], "stage");

    // Paging by id.
    east_customer("Beta");
    east_customer("Gamma");
    auto page1 = get("/api/v1/customers?limit=2", east_token);
    ASSERT_EQ(page1.body["items"].size(), 2u);
    ASSERT_FALSE(page1.body["next_after"].is_null());
    auto page2 =
        get("/api/v1/customers?limit=2&after=" + std::to_string(page1.body["next_after"].get<int>()), east_token);
    ASSERT_EQ(page2.body["items"].size(), 1u);
    EXPECT_EQ(page2.body["items"][0]["name"], "Gamma");
}

TEST_F(RestApiTest, PatchOwnerIsATransferLikeChatAssign) {
    const auto id = east_customer();
    const auto path = "/api/v1/customers/" + std::to_string(id);
    auto r = patch(path, east_token, {{"owner", "maria"}, {"tier", "B"}});
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["owner"], "maria");
    EXPECT_EQ(r.body["tier"], "B");
    const auto log = audit_of("customer:" + std::to_string(id));
    EXPECT_TRUE(has_action(log, "customer.assign", "crm-east"));
    EXPECT_TRUE(has_action(log, "customer.update", "crm-east"));
    for (const auto& a : log)
        if (a.action == "customer.assign") EXPECT_EQ(a.actor, boss);
    // The open follow-ups moved with the customer; maria was told.
    auto open = get("/api/v1/followups?customer=" + std::to_string(id), east_token);
    ASSERT_GE(open.body["items"].size(), 1u);
    for (const auto& t : open.body["items"]) EXPECT_EQ(t["assignee"], "maria");
    on_storage([&](Repo& r2) {
        const auto msgs = r2.recent_messages(maria, 10);
        ASSERT_FALSE(msgs.empty());
        EXPECT_NE(msgs.back().text.find("assigned to you"), std::string::npos);
    });
    auto hist = get(path + "/history", east_token);
    ASSERT_EQ(hist.status, 200);
    ASSERT_EQ(hist.body["transfers"].size(), 2u);
    EXPECT_EQ(hist.body["transfers"][1]["from"], "wang");
    EXPECT_EQ(hist.body["transfers"][1]["to"], "maria");
}

TEST_F(RestApiTest, DeleteErasesPersonalDataForEverythingTokensOnly) {
    const auto id = east_customer("Acme", "E-9");
    const auto path = "/api/v1/customers/" + std::to_string(id);
    auto refused = call(http::verb::delete_, path, east_token);
    EXPECT_EQ(refused.status, 403);
    auto r = call(http::verb::delete_, path, all_token);
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["phone"], "");
    EXPECT_TRUE(r.body["owner"].is_null());
    EXPECT_TRUE(r.body["external_id"].is_null());
    EXPECT_EQ(r.body["stage"], "lost");
    EXPECT_EQ(r.body["open_followups"].size(), 0u);
    EXPECT_NE(r.body["name"], "Acme");
    EXPECT_TRUE(has_action(audit_of("customer:" + std::to_string(id)), "customer.delete", "crm"));
    EXPECT_EQ(get("/api/v1/followups?customer=" + std::to_string(id), all_token).body["items"].size(), 0u);
}

TEST_F(RestApiTest, FollowupDoneThroughTheApiSchedulesTheNextOne) {
    const auto cid = east_customer();
    auto made = post("/api/v1/followups", east_token,
                     {{"customer", cid}, {"due", "2026-11-25T15:00:00+08:00"}, {"method", "visit"}, {"topic", "demo"}});
    ASSERT_EQ(made.status, 201) << made.raw;
    EXPECT_EQ(made.body["assignee"], "wang");  // the owner
    EXPECT_EQ(made.body["due"], "2026-11-25T07:00:00Z");
    EXPECT_EQ(made.body["method"], "visit");
    const auto tid = made.body["id"].get<std::int64_t>();
    const auto path = "/api/v1/followups/" + std::to_string(tid);
    EXPECT_TRUE(has_action(audit_of("task:" + std::to_string(tid)), "task.create", "crm-east"));
    // A hand-set follow-up supersedes the cadence's first one: one open.
    EXPECT_EQ(get("/api/v1/followups?customer=" + std::to_string(cid), east_token).body["items"].size(), 1u);

    EXPECT_EQ(get(path, west_token).status, 403);
    EXPECT_EQ(patch(path, west_token, {{"status", "done"}}).status, 403);
    EXPECT_EQ(post("/api/v1/followups", west_token, {{"customer", cid}, {"due", "2026-11-25T15:00:00Z"}}).status, 403);
    EXPECT_EQ(get("/api/v1/followups", west_token).body["items"].size(), 0u);
    EXPECT_EQ(get("/api/v1/followups?assignee=wang", east_token).body["items"].size(), 1u);
    EXPECT_EQ(get("/api/v1/followups?assignee=maria", east_token).body["items"].size(), 0u);

    auto moved = patch(path, east_token, {{"due", "2026-11-26T10:00:00+08:00"}});
    ASSERT_EQ(moved.status, 200) << moved.raw;
    EXPECT_EQ(moved.body["due"], "2026-11-26T02:00:00Z");
    EXPECT_EQ(moved.body["reschedule_count"], 1);
    EXPECT_TRUE(has_action(audit_of("task:" + std::to_string(tid)), "task.reschedule", "crm-east"));

    auto sat = patch(path, east_token, {{"status", "done"}, {"satisfaction", 9}});
    EXPECT_EQ(sat.body["field"], "satisfaction");
    auto res = patch(path, east_token, {{"status", "done"}, {"results", {"teleported"}}});
    EXPECT_EQ(res.body["field"], "results");

    auto done = patch(
        path, east_token,
        {{"status", "done"}, {"results", {"reached", "interested"}}, {"note", "wants a quote"}, {"satisfaction", 4}});
    ASSERT_EQ(done.status, 200) << done.raw;
    EXPECT_EQ(done.body["status"], "done");
    ASSERT_FALSE(done.body["next_followup"].is_null()) << done.raw;
    EXPECT_NE(done.body["next_followup"]["id"], tid);
    EXPECT_EQ(done.body["next_followup"]["status"], "open");
    EXPECT_EQ(done.body["next_followup"]["origin"], "cadence");
    EXPECT_EQ(done.body["next_followup"]["assignee"], "wang");
    EXPECT_TRUE(has_action(audit_of("task:" + std::to_string(tid)), "task.done", "crm-east"));

    auto hist = get("/api/v1/customers/" + std::to_string(cid) + "/history", east_token);
    ASSERT_EQ(hist.body["interactions"].size(), 1u);
    EXPECT_EQ(hist.body["interactions"][0]["results"], json({"reached", "interested"}));
    EXPECT_EQ(hist.body["interactions"][0]["satisfaction"], 4);
    EXPECT_EQ(hist.body["interactions"][0]["user"], "wang");

    auto again = patch(path, east_token, {{"status", "done"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.body["code"], "conflict");

    // An explicit next time wins over the cadence.
    const auto next_id = done.body["next_followup"]["id"].get<std::int64_t>();
    auto explicit_next =
        patch("/api/v1/followups/" + std::to_string(next_id), east_token,
              {{"status", "done"}, {"results", {"reached"}}, {"next_due", "2026-12-01T09:30:00+08:00"}});
    ASSERT_EQ(explicit_next.status, 200) << explicit_next.raw;
    EXPECT_EQ(explicit_next.body["next_followup"]["due"], "2026-12-01T01:30:00Z");
    EXPECT_EQ(explicit_next.body["next_followup"]["origin"], "manual");

    // "lost" closes the customer: no next follow-up.
    const auto last = explicit_next.body["next_followup"]["id"].get<std::int64_t>();
    auto lost =
        patch("/api/v1/followups/" + std::to_string(last), east_token, {{"status", "done"}, {"results", {"lost"}}});
    ASSERT_EQ(lost.status, 200);
    EXPECT_TRUE(lost.body["next_followup"].is_null());
    EXPECT_EQ(get("/api/v1/customers/" + std::to_string(cid), east_token).body["stage"], "lost");
}

TEST_F(RestApiTest, ReportsAreScopedToTheToken) {
    east_customer();
    auto team = get("/api/v1/reports/team?tz=Asia/Shanghai", east_token);
    ASSERT_EQ(team.status, 200) << team.raw;
    EXPECT_EQ(team.body["time_zone"], "Asia/Shanghai");
    for (const auto& r : team.body["reps"]) EXPECT_NE(r["name"], "olga");
    EXPECT_GE(team.body["total"]["open"].get<int>(), 1);
    auto west_team = get("/api/v1/reports/team", west_token);
    ASSERT_EQ(west_team.status, 200);
    EXPECT_EQ(west_team.body["total"]["open"], 0);

    auto summary = get("/api/v1/reports/summary?period=last_month&tz=Asia/Shanghai", all_token);
    ASSERT_EQ(summary.status, 200) << summary.raw;
    EXPECT_EQ(summary.body["period"]["kind"], "last_month");
    EXPECT_EQ(summary.body["period"]["first_day"], "2026-10-01");
    EXPECT_TRUE(summary.body["timeliness"].contains("rate"));
    EXPECT_EQ(get("/api/v1/reports/summary?period=year", all_token).body["field"], "period");
    EXPECT_EQ(get("/api/v1/reports/team?tz=Mars/Olympus", all_token).body["field"], "tz");
}

TEST_F(RestApiTest, AuditLogIsForEverythingTokensOnly) {
    east_customer();
    EXPECT_EQ(get("/api/v1/audit", east_token).status, 403);
    auto r = get("/api/v1/audit?limit=3&actor=boss", all_token);
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(r.body["items"].size(), 3u);
    for (const auto& a : r.body["items"]) EXPECT_EQ(a["actor"], "boss");
    const auto before = r.body["next_before"].get<std::int64_t>();
    auto older = get("/api/v1/audit?before=" + std::to_string(before), all_token);
    for (const auto& a : older.body["items"]) EXPECT_LT(a["id"].get<std::int64_t>(), before);
    EXPECT_EQ(get("/api/v1/audit?actor=ghost", all_token).body["field"], "actor");
}

TEST_F(RestApiTest, ImportsAndExportsKeepToTheTokensScope) {
    east_customer("Acme");
    ASSERT_EQ(post("/api/v1/customers", west_token, {{"name", "Westy"}, {"owner", "olga"}}).status, 201);
    auto csv = get("/api/v1/exports/customers.csv", east_token);
    ASSERT_EQ(csv.status, 200) << csv.raw;
    EXPECT_TRUE(csv.content_type.starts_with("text/csv"));
    EXPECT_NE(csv.raw.find("Acme"), std::string::npos);
    EXPECT_EQ(csv.raw.find("Westy"), std::string::npos);
    auto all_csv = get("/api/v1/exports/customers.csv", all_token);
    EXPECT_NE(all_csv.raw.find("Westy"), std::string::npos);
    EXPECT_EQ(get("/api/v1/exports/tasks.csv", west_token).status, 200);
    EXPECT_EQ(get("/api/v1/exports/interactions.csv", west_token).status, 200);
    EXPECT_EQ(get("/api/v1/exports/secrets.csv", all_token).status, 404);

    const std::string good = "name,owner,tier\nImported Co,wang,B\n";
    auto refused = call(http::verb::post, "/api/v1/imports/customers?dry_run=true", east_token, good, "text/csv");
    EXPECT_EQ(refused.status, 403);
    auto dry = call(http::verb::post, "/api/v1/imports/customers?dry_run=true", all_token, good, "text/csv");
    ASSERT_EQ(dry.status, 200) << dry.raw;
    EXPECT_EQ(dry.body["dry_run"], true);
    EXPECT_EQ(dry.body["created"], 1);
    EXPECT_EQ(dry.body["applied"], false);
    EXPECT_EQ(get("/api/v1/customers", all_token).body["items"].size(), 2u);  // a dry run writes nothing
    auto bad = call(http::verb::post, "/api/v1/imports/customers", all_token, "name,tier\nX,Q\n", "text/csv");
    ASSERT_EQ(bad.status, 422) << bad.raw;
    ASSERT_GE(bad.body["problems"].size(), 1u);
    EXPECT_EQ(bad.body["problems"][0]["row"], 2);
    EXPECT_FALSE(bad.body["problems"][0]["column"].get<std::string>().empty());
    auto real = call(http::verb::post, "/api/v1/imports/customers", all_token, good, "text/csv");
    ASSERT_EQ(real.status, 200) << real.raw;
    EXPECT_EQ(real.body["applied"], true);
    EXPECT_EQ(get("/api/v1/customers", all_token).body["items"].size(), 3u);
}

}  // namespace
}  // namespace fu::server
