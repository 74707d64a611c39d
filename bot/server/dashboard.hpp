#pragma once
// The managers' dashboard: its page (/dashboard), its script (/assets/
// dashboard.js, ECharts bundled at build time) and its JSON
// (/api/dashboard, /api/dashboard/overdue). The figures are core/reports.hpp's,
// the ones `report` and `team` show in chat; here they only become JSON. Who
// may look is the web chat's signed-in person (WebChat::caller): managers see
// their own team, admins every team, reps nothing.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/bot.hpp"
#include "core/clock.hpp"
#include "core/store.hpp"
#include "net/http_server.hpp"
#include "server/storage_executor.hpp"
#include "server/web_chat.hpp"

namespace fu::server {

std::string_view dashboard_page();    // bot/web/dashboard.html, embedded at build time
std::string_view dashboard_script();  // the esbuild bundle of bot/web/dashboard.js, embedded at build time

namespace dashboard {

// A request's filters, as given (query parameters).
struct Query {
    std::optional<std::string> team;      // a team id; admins only pick another than their own
    std::optional<std::string> rep;       // a handle in the scope
    std::optional<std::string> period;    // week (default), month, last_week, last_month
    std::optional<std::string> from, to;  // YYYY-MM-DD, both or neither: a custom period instead
};

// A JSON body, or why not (status and reason).
struct Answer {
    unsigned status = 200;
    std::string reason;
    std::string body;  // JSON, when status is 200
};

// The dashboard's figures for `viewer` (GET /api/dashboard), and a rep's or
// the scope's overdue list (GET /api/dashboard/overdue). Run in a transaction.
Answer figures(Repo&, const BotOptions&, const User& viewer, const Query&, TimePoint now);
Answer overdue(Repo&, const User& viewer, const Query&, TimePoint now);

}  // namespace dashboard

class Dashboard {
public:
    Dashboard(WebChat& web, StorageExecutor& storage, Store& store, Bot& bot, const Clock& clock)
        : web_(web), storage_(storage), store_(store), bot_(bot), clock_(clock) {}

    bool serves(std::string_view path) const;
    boost::asio::awaitable<net::Response> handle(const net::Request&);

private:
    WebChat& web_;  // who is asking
    StorageExecutor& storage_;
    Store& store_;
    Bot& bot_;  // the SOP options in force
    const Clock& clock_;
};

}  // namespace fu::server
