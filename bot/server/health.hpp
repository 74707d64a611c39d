#pragma once
// GET /healthz and GET /readyz, for load balancers, orchestrators and
// monitoring.
//
// /healthz: the process answers HTTP (its I/O threads run). Nothing else is
// checked, so a restart is never triggered by a database that is down.
// /readyz: this instance can do its work: the database answers within a
// deadline (through the storage thread, so a stuck storage thread fails it
// too), its schema is the one this build expects, the scheduler has looked
// for due reminders within its interval, and no platform's sends have been
// failing for longer than health.platform_failing_s. 200 when all pass, 503
// otherwise; the JSON body names each check and says what failed.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <string>

#include "core/clock.hpp"
#include "core/store.hpp"
#include "net/http_types.hpp"
#include "server/metrics.hpp"
#include "server/scheduler.hpp"
#include "server/storage_executor.hpp"

namespace fu::server {

struct HealthOptions {
    int expected_schema = 0;                                        // the schema version this build migrates to
    std::chrono::milliseconds database_deadline{2000};              // the database must answer within this
    std::chrono::seconds scheduler_stale{3 * Scheduler::kMaxWait};  // since the scheduler last looked
    std::chrono::seconds platform_failing{900};                     // health.platform_failing_s
};

class Health {
public:
    Health(boost::asio::any_io_executor ex, StorageExecutor& storage, Store& store, const Scheduler& scheduler,
           const Metrics& metrics, const Clock& clock, HealthOptions options);

    bool serves(std::string_view path) const { return path == "/healthz" || path == "/readyz"; }
    boost::asio::awaitable<net::Response> handle(const net::Request& req);

private:
    boost::asio::awaitable<net::Response> ready(const net::Request& req);

    boost::asio::any_io_executor ex_;
    StorageExecutor& storage_;
    Store& store_;
    const Scheduler& scheduler_;
    const Metrics& metrics_;
    const Clock& clock_;
    HealthOptions options_;
};

}  // namespace fu::server
