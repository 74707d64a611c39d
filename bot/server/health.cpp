#include "server/health.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>
#include <optional>

namespace fu::server {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

// One database probe. The storage thread may be stuck (a lock held by
// another process, a disk that stopped answering): the request must still be
// answered at the deadline, so the probe and its timer share a strand and the
// probe, which cannot be cancelled, finishes on its own afterwards.
struct Probe {
    explicit Probe(asio::strand<asio::any_io_executor> s) : strand(s), timer(s) {}
    asio::strand<asio::any_io_executor> strand;
    asio::steady_timer timer;
    bool done = false;
    std::optional<int> version;
    std::string error;
};

asio::awaitable<void> ask_database(std::shared_ptr<Probe> p, StorageExecutor& storage, Store& store) {
    auto work = [&store] { return store.schema_version(); };
    try {
        p->version = co_await storage.run(std::move(work));
    } catch (const std::exception& e) {
        p->error = e.what();
    }
    p->done = true;
    p->timer.cancel();
}

asio::awaitable<void> probe_database(std::shared_ptr<Probe> p, StorageExecutor& storage, Store& store,
                                     std::chrono::milliseconds deadline) {
    p->timer.expires_after(deadline);
    auto asking = ask_database(p, storage, store);
    asio::co_spawn(p->strand, std::move(asking), asio::detached);
    // Both run on the strand: the answer cannot come between this test and the wait.
    if (!p->done) co_await p->timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

struct Outcome {
    bool done = false;
    std::optional<int> version;
    std::string error;
};

// On the probe's strand.
asio::awaitable<Outcome> read_outcome(std::shared_ptr<Probe> p) { co_return Outcome{p->done, p->version, p->error}; }

net::Response json_response(const net::Request& req, http::status status, const json& body) {
    net::Response res{status, req.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.body() = body.dump() + "\n";
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

}  // namespace

Health::Health(asio::any_io_executor ex, StorageExecutor& storage, Store& store, const Scheduler& scheduler,
               const Metrics& metrics, const Clock& clock, HealthOptions options)
    : ex_(std::move(ex)),
      storage_(storage),
      store_(store),
      scheduler_(scheduler),
      metrics_(metrics),
      clock_(clock),
      options_(options) {}

asio::awaitable<net::Response> Health::handle(const net::Request& req) {
    if (req.method() != http::verb::get && req.method() != http::verb::head)
        co_return net::json_error(req, 405, "use GET");
    const auto target = std::string_view(req.target());
    if (target.substr(0, target.find('?')) == "/healthz")
        co_return json_response(req, http::status::ok, json{{"status", "ok"}});
    co_return co_await ready(req);
}

asio::awaitable<net::Response> Health::ready(const net::Request& req) {
    json checks = json::object();
    bool ok = true;
    auto check = [&](const char* name, bool passed, json detail) {
        detail["ok"] = passed;
        checks[name] = std::move(detail);
        ok = ok && passed;
    };

    // The database, through the storage thread, within the deadline.
    auto probe = std::make_shared<Probe>(asio::make_strand(ex_));
    const auto started = clock_.monotonic();
    // Named, not built inside the co_await expressions: GCC 12 destroys such
    // temporaries twice (GCC PR 99576; see StorageExecutor::run).
    auto strand = probe->strand;
    auto probing = probe_database(probe, storage_, store_, options_.database_deadline);
    co_await asio::co_spawn(strand, std::move(probing), asio::use_awaitable);
    const double ms = std::chrono::duration<double, std::milli>(clock_.monotonic() - started).count();
    // Read on the strand's terms: after the wait, the probe is either done or
    // still running; `done` and its fields are written only before the cancel.
    auto reading = read_outcome(probe);
    const Outcome o = co_await asio::co_spawn(strand, std::move(reading), asio::use_awaitable);
    if (!o.done)
        check("database", false,
              {{"error", "no answer within " + std::to_string(options_.database_deadline.count()) + " ms"}});
    else if (!o.version)
        check("database", false, {{"error", o.error}});
    else
        check("database", true, {{"ms", std::round(ms * 10) / 10}});

    // The schema: migrations done, and not a newer schema than this build knows.
    if (o.version) {
        json detail{{"version", *o.version}, {"expected", options_.expected_schema}};
        if (*o.version < options_.expected_schema)
            detail["error"] = "migrations are not done";
        else if (*o.version > options_.expected_schema)
            detail["error"] = "the database was migrated by a newer followupd; upgrade this instance";
        check("schema", *o.version == options_.expected_schema, std::move(detail));
    } else {
        check("schema", false, {{"error", "unknown: the database did not answer"}});
    }

    // The scheduler looks at least every Scheduler::kMaxWait.
    if (const auto last = scheduler_.last_ran()) {
        const auto ago = std::chrono::duration_cast<std::chrono::seconds>(clock_.monotonic() - *last);
        json detail{{"last_ran_s_ago", ago.count()}};
        const bool fresh = ago <= options_.scheduler_stale;
        if (!fresh) detail["error"] = "has not looked for due reminders for " + std::to_string(ago.count()) + " s";
        check("scheduler", fresh, std::move(detail));
    } else {
        check("scheduler", false, {{"error", "has not run yet"}});
    }

    // Platforms whose sends have failed for too long.
    json failing = json::object();
    bool platforms_ok = true;
    const auto now = clock_.now().time_since_epoch().count();
    for (const auto& [platform, since] : metrics_.failing_since()) {
        const auto for_s = now - since;
        const bool too_long = for_s > options_.platform_failing.count();
        failing[platform] = {{"failing_for_s", for_s}, {"too_long", too_long}};
        platforms_ok = platforms_ok && !too_long;
    }
    json detail{{"failing", failing}, {"threshold_s", options_.platform_failing.count()}};
    if (!platforms_ok) detail["error"] = "a platform's sends have failed for longer than health.platform_failing_s";
    check("platforms", platforms_ok, std::move(detail));

    co_return json_response(req, ok ? http::status::ok : http::status::service_unavailable,
                            json{{"status", ok ? "ready" : "not ready"}, {"checks", std::move(checks)}});
}

}  // namespace fu::server
