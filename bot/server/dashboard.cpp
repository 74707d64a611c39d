// The managers' dashboard: scope and filters from the query, figures from
// core/reports.hpp (reports::dashboard, reports::overdue: the numbers of
// `report`, `team` and `overdue`), JSON out. Nothing is counted here.
#include "server/dashboard.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <boost/url/parse.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <variant>

#include "core/command.hpp"
#include "core/render.hpp"
#include "core/reports.hpp"
#include "server/web_assets.hpp"

namespace fu::server {
namespace http = boost::beast::http;
using nlohmann::json;

namespace dashboard {
namespace {

constexpr int kWeeks = 12;
constexpr std::size_t kMaxOverdue = 200;
constexpr int kMaxDays = 366;  // a custom period's longest
// Every team at once is thousands of reps (3.4 MB of JSON for 10,000): beyond
// this many, the rows sent are the ones each chart puts first (most overdue,
// most late, most snoozed: kTopPerOrder each, so at most 3 × that), and the
// page says to pick a team for everyone.
constexpr std::size_t kMaxRows = 200;
constexpr std::size_t kTopPerOrder = 100;

// The outcome funnel's steps, in order: result codes of core/commands/vocab.cpp.
constexpr std::string_view kFunnel[] = {"reached", "interested", "quote_sent", "meeting", "won"};

Answer refuse(unsigned status, std::string reason) { return Answer{status, std::move(reason), {}}; }

std::string iso(TimePoint t) { return date::format("%FT%TZ", t); }
std::string day(date::local_days d) { return date::format("%F", d); }

json rate(std::optional<double> r) { return r ? json(*r) : json(nullptr); }

json timeliness_json(const reports::Timeliness& t) {
    return {{"due", t.due}, {"on_time", t.on_time}, {"late", t.late}, {"pending", t.pending}, {"rate", rate(t.rate())}};
}

json conversion_json(const std::vector<reports::Conversion>& rows, bool tier) {
    json out = json::array();
    for (const auto& c : rows) {
        json row = {{"key", c.key},
                    {"contacted", c.contacted},
                    {"won", c.won},
                    {"rate", c.contacted ? json(static_cast<double>(c.won) / c.contacted) : json(nullptr)}};
        if (tier) {
            if (auto t = tier_from_code(c.key))
                row["label"] = {{"en", render::tier(*t, Lang::en)}, {"zh", render::tier(*t, Lang::zh)}};
        } else if (auto s = stage_from_code(c.key)) {
            row["label"] = {{"en", render::stage(*s, Lang::en)}, {"zh", render::stage(*s, Lang::zh)}};
        }
        out.push_back(std::move(row));
    }
    return out;
}

std::optional<date::local_days> parse_day(std::string_view s) {
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (s.size() != 10 || std::sscanf(std::string(s).c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3)
        return std::nullopt;
    const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok()) return std::nullopt;
    return date::local_days{ymd};
}

// Whose figures the viewer may see, and which they asked for.
struct Scoped {
    reports::Scope scope;
    std::vector<Team> teams;  // the teams the viewer may pick
    std::string name;         // the scope's name ("" for every team)
};

std::variant<Scoped, Answer> scope_of(Repo& repo, const User& viewer, const Query& q) {
    if (viewer.role == Role::rep)
        return refuse(403, "the dashboard is for managers and admins: " + viewer.handle + " is a rep");
    Scoped out;
    std::optional<TeamId> asked;
    if (q.team && !q.team->empty()) {
        std::int64_t id = 0;
        const auto& t = *q.team;
        const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), id);
        if (ec != std::errc{} || p != t.data() + t.size() || id <= 0)
            return refuse(400, "\"team\" must be a team id (a positive number)");
        asked = TeamId{id};
    }
    if (viewer.role == Role::admin) {
        out.teams = repo.teams();
        if (asked) {
            const auto team = repo.team(*asked);
            if (!team) return refuse(404, "no team with id " + std::to_string(asked->value));
            out.scope.team = asked;
            out.name = team->name;
        }
        return out;
    }
    // A manager: their own team, and only it.
    if (!viewer.team) return refuse(403, "you are not in a team: a manager sees their own team's dashboard");
    if (asked && *asked != *viewer.team) return refuse(403, "managers see only their own team's figures");
    const auto team = repo.team(*viewer.team);
    if (team) out.teams.push_back(*team);
    out.scope.team = viewer.team;
    out.name = team ? team->name : "#" + std::to_string(viewer.team->value);
    return out;
}

std::variant<reports::Period, Answer> period_of(const Query& q, const date::time_zone* zone, TimePoint now) {
    const bool from = q.from && !q.from->empty(), to = q.to && !q.to->empty();
    if (from || to) {
        if (!from || !to) return refuse(400, "give both \"from\" and \"to\" (YYYY-MM-DD), or neither");
        if (q.period && !q.period->empty()) return refuse(400, "give \"period\" or \"from\" and \"to\", not both");
        const auto first = parse_day(*q.from), last = parse_day(*q.to);
        if (!first) return refuse(400, "\"from\" must be a date, YYYY-MM-DD");
        if (!last) return refuse(400, "\"to\" must be a date, YYYY-MM-DD");
        if (*last < *first) return refuse(400, "\"to\" is before \"from\"");
        if ((*last - *first).count() >= kMaxDays) return refuse(400, "a period is at most 366 days");
        return reports::period_between(*first, *last, zone);
    }
    const std::string kind = q.period.value_or("");
    if (kind.empty() || kind == "week") return reports::period_of(reports::PeriodKind::week, zone, now);
    if (kind == "month") return reports::period_of(reports::PeriodKind::month, zone, now);
    if (kind == "last_week") return reports::period_of(reports::PeriodKind::last_week, zone, now);
    if (kind == "last_month") return reports::period_of(reports::PeriodKind::last_month, zone, now);
    return refuse(400, "\"period\" must be week, month, last_week or last_month");
}

std::string_view kind_code(reports::PeriodKind k) {
    switch (k) {
        case reports::PeriodKind::week: return "week";
        case reports::PeriodKind::month: return "month";
        case reports::PeriodKind::last_week: return "last_week";
        case reports::PeriodKind::last_month: return "last_month";
        case reports::PeriodKind::custom: return "custom";
    }
    return "custom";
}

json viewer_json(const User& u) {
    return {{"handle", u.handle},
            {"name", u.display_name},
            {"role", code(u.role)},
            {"lang", code(u.lang)},
            {"time_zone", u.time_zone}};
}

// Handles are case-insensitive (as user_by_handle).
bool same_handle(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

Answer figures(Repo& repo, const BotOptions& opt, const User& viewer, const Query& q, TimePoint now) {
    auto scoped = scope_of(repo, viewer, q);
    if (auto* a = std::get_if<Answer>(&scoped)) return *a;
    const auto& s = std::get<Scoped>(scoped);
    const auto* zone = render::zone_of(viewer);  // as `report` in chat: the viewer's zone
    auto period = period_of(q, zone, now);
    if (auto* a = std::get_if<Answer>(&period)) return *a;
    const auto& p = std::get<reports::Period>(period);

    const auto d = reports::dashboard(repo, opt, s.scope, p, zone, now, kWeeks);
    const reports::DashboardRep* only = nullptr;  // the rep filter
    if (q.rep && !q.rep->empty()) {
        for (const auto& r : d.reps)
            if (same_handle(r.handle, *q.rep)) only = &r;
        if (!only)
            return refuse(404,
                          "no one with the handle \"" + *q.rep + "\" in " + (s.name.empty() ? "any team" : s.name));
    }

    json teams = json::array();
    for (const auto& t : s.teams) teams.push_back({{"id", t.id.value}, {"name", t.name}});
    json weeks = json::array();
    for (std::size_t n = 0; n < d.weeks.size(); ++n) {
        json w = timeliness_json(only ? only->weeks[n] : d.week_totals[n]);
        w["monday"] = day(d.weeks[n]);
        weeks.push_back(std::move(w));
    }
    // Which rows go out: all of them, or (more than kMaxRows) those the charts put first.
    std::vector<bool> sent(d.reps.size(), d.reps.size() <= kMaxRows);
    if (d.reps.size() > kMaxRows) {
        std::vector<std::size_t> order(d.reps.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        auto keep_first = [&](auto before) {
            std::stable_sort(order.begin(), order.end(),
                             [&](std::size_t a, std::size_t b) { return before(d.reps[a], d.reps[b]); });
            for (std::size_t i = 0; i < kTopPerOrder; ++i) sent[order[i]] = true;
        };
        using R = reports::DashboardRep;
        keep_first([](const R& a, const R& b) {
            return a.now.overdue != b.now.overdue ? a.now.overdue > b.now.overdue : a.now.due_today > b.now.due_today;
        });
        keep_first([](const R& a, const R& b) { return a.period.timeliness.late > b.period.timeliness.late; });
        keep_first([](const R& a, const R& b) {
            return a.period.snoozes + a.period.reschedules > b.period.snoozes + b.period.reschedules;
        });
        if (only) sent[static_cast<std::size_t>(only - d.reps.data())] = true;
    }
    json people = json::array();  // whom the rep filter may pick: the rows sent
    for (std::size_t i = 0; i < d.reps.size(); ++i)
        if (sent[i]) people.push_back({{"handle", d.reps[i].handle}, {"name", d.reps[i].name}});
    json reps = json::array();
    for (std::size_t i = 0; i < d.reps.size(); ++i) {
        const auto& r = d.reps[i];
        if (only ? &r != only : !sent[i]) continue;
        json week_rates = json::array();
        for (const auto& w : r.weeks) week_rates.push_back(rate(w.rate()));
        reps.push_back({{"handle", r.handle},
                        {"name", r.name},
                        {"role", code(r.role)},
                        {"timeliness", timeliness_json(r.period.timeliness)},
                        {"interactions", r.period.interactions},
                        {"snoozes", r.period.snoozes},
                        {"reschedules", r.period.reschedules},
                        {"open", r.now.open},
                        {"due_today", r.now.due_today},
                        {"overdue", r.now.overdue},
                        {"oldest_overdue", r.now.oldest_overdue ? json(iso(*r.now.oldest_overdue)) : json(nullptr)},
                        {"weeks", std::move(week_rates)}});
    }
    json funnel = json::array();
    for (const auto code_text : kFunnel) {
        const auto it = d.report.outcomes.find(std::string(code_text));
        json step = {{"code", code_text}, {"count", it == d.report.outcomes.end() ? 0 : it->second}};
        for (const auto& n : cmd::result_codes())
            if (n.code == code_text) step["label"] = {{"en", n.en}, {"zh", n.zh}};
        funnel.push_back(std::move(step));
    }
    json outcomes = json::object();
    for (const auto& [k, n] : d.report.outcomes) outcomes[k] = n;
    const auto& r = d.report;
    json body = {
        {"viewer", viewer_json(viewer)},
        {"scope", {{"team", s.scope.team ? json(s.scope.team->value) : json(nullptr)}, {"name", s.name}}},
        {"teams", std::move(teams)},
        {"rep", only ? json(only->handle) : json(nullptr)},
        {"people", std::move(people)},
        {"now", iso(now)},
        {"period",
         {{"kind", kind_code(p.kind)},
          {"first_day", day(p.first_day)},
          {"last_day", day(p.last_day)},
          {"zone", p.zone}}},
        {"timeliness", timeliness_json(only ? only->period.timeliness : r.total)},
        {"team_timeliness", timeliness_json(r.total)},
        {"weeks", std::move(weeks)},
        {"reps", std::move(reps)},
        {"reps_total", d.reps.size()},  // more than "people": the rows were cut (kMaxRows)
        {"now_totals",
         {{"open", d.status.total.open}, {"due_today", d.status.total.due_today}, {"overdue", d.status.total.overdue}}},
        {"funnel", std::move(funnel)},
        {"outcomes", std::move(outcomes)},
        {"conversion", {{"tier", conversion_json(r.by_tier, true)}, {"stage", conversion_json(r.by_stage, false)}}},
        {"pool",
         {{"reclaimed", r.pool.reclaimed},
          {"released", r.pool.released},
          {"claimed", r.pool.claimed},
          {"assigned", r.pool.assigned}}},
        {"complaints_open", r.complaints_open},
        {"overdue_now", r.overdue_now},
        {"escalated", r.escalated},
        {"satisfaction",
         {{"avg", r.satisfaction_avg ? json(*r.satisfaction_avg) : json(nullptr)}, {"count", r.satisfaction_count}}},
    };
    return Answer{200, {}, dump(body)};
}

Answer overdue(Repo& repo, const User& viewer, const Query& q, TimePoint now) {
    auto scoped = scope_of(repo, viewer, q);
    if (auto* a = std::get_if<Answer>(&scoped)) return *a;
    const auto& s = std::get<Scoped>(scoped);
    std::optional<User> rep;
    if (q.rep && !q.rep->empty()) {
        rep = repo.user_by_handle(*q.rep);
        // In the scope: a member of the team (every team: anyone).
        if (!rep || (s.scope.team && rep->team != s.scope.team))
            return refuse(404,
                          "no one with the handle \"" + *q.rep + "\" in " + (s.name.empty() ? "any team" : s.name));
    }
    const auto items = reports::overdue(repo, s.scope, rep ? std::optional(rep->id) : std::nullopt, now);
    json list = json::array();
    for (std::size_t n = 0; n < items.size() && n < kMaxOverdue; ++n) {
        const auto& i = items[n];
        list.push_back({{"id", i.task.id.value},
                        {"customer", i.customer},
                        {"rep", i.rep},
                        {"due", iso(i.task.due)},
                        {"late_minutes", std::chrono::duration_cast<std::chrono::minutes>(now - i.task.due).count()},
                        {"snoozes", i.task.snooze_count},
                        {"urgent", i.task.priority == Priority::high}});
    }
    json body = {{"rep", rep ? json{{"handle", rep->handle}, {"name", rep->display_name}} : json(nullptr)},
                 {"scope", {{"team", s.scope.team ? json(s.scope.team->value) : json(nullptr)}, {"name", s.name}}},
                 {"now", iso(now)},
                 {"total", items.size()},
                 {"items", std::move(list)}};
    return Answer{200, {}, dump(body)};
}

}  // namespace dashboard

namespace {

const std::string& script_version() {
    static const std::string v = web::script_version(dashboard_script());
    return v;
}

}  // namespace

bool Dashboard::serves(std::string_view path) const {
    return path == "/dashboard" || path == "/assets/dashboard.js" || path == "/api/dashboard" ||
           path == "/api/dashboard/overdue";
}

boost::asio::awaitable<net::Response> Dashboard::handle(const net::Request& req) {
    const auto target = std::string_view(req.target());
    const auto path = target.substr(0, target.find('?'));
    if (!web_.enabled())
        co_return net::json_error(req, 404,
                                  "the dashboard is part of the web chat, which is disabled (web_chat.enabled)");
    if (req.method() != http::verb::get && req.method() != http::verb::head)
        co_return net::json_error(req, 405, "use GET");

    if (path == "/dashboard") co_return web::page_response(req, dashboard_page(), script_version());
    if (path == "/assets/dashboard.js") co_return web::script_response(req, dashboard_script(), script_version());

    // The API: the web chat's signed-in person (in the demo's pick mode, the one named by ?user=).
    const auto who = co_await web_.caller(req);
    if (who.status) co_return net::json_error(req, who.status, who.reason);
    dashboard::Query q{web::query_param(req, "team"), web::query_param(req, "rep"), web::query_param(req, "period"),
                       web::query_param(req, "from"), web::query_param(req, "to")};
    const auto picked = web_.pick() ? web::query_param(req, "user") : std::nullopt;
    if (!who.user && !picked) co_return net::json_error(req, 400, "query parameter \"user\" is required (pick mode)");
    const bool list = path == "/api/dashboard/overdue";
    auto work = [this, q = std::move(q), user = who.user, picked, list] {
        dashboard::Answer a;
        const auto now = clock_.now();
        store_.transact([&](Repo& repo) {
            auto viewer = user;
            if (!viewer) viewer = repo.user_by_handle(*picked);
            if (!viewer) {
                a = dashboard::Answer{404, "no such user: " + *picked, {}};
                return;
            }
            a = list ? dashboard::overdue(repo, *viewer, q, now)
                     : dashboard::figures(repo, bot_.options(), *viewer, q, now);
        });
        return a;
    };
    const auto answer = co_await storage_.run(std::move(work));
    if (answer.status != 200) co_return net::json_error(req, answer.status, answer.reason);
    auto res = web::body_response(req, "application/json; charset=utf-8", answer.body);
    res.set(http::field::cache_control, "no-store");
    res.prepare_payload();
    co_return res;
}

}  // namespace fu::server
