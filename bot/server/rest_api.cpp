// The REST API: authentication, routing, request checks and JSON. Every
// request is authenticated and served in one job on the storage executor.
// Past 500 lines on purpose: the request checks the endpoints share (query
// strings, body fields, each error naming its field) beside the routing
// functions that use them, one per resource; the JSON out is rest_json.cpp,
// the use cases core/api.cpp.
#include "server/rest_api.hpp"

#include <spdlog/spdlog.h>
#include <boost/url/parse.hpp>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>

#include "data/csv_export.hpp"
#include "data/csv_import.hpp"
#include "server/api_tokens.hpp"
#include "server/not_saved.hpp"
#include "server/rest_json.hpp"

namespace fu::server {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;
using Outcome = RestApi::Outcome;
using Op = RestApi::Op;
using namespace rest;

namespace {

constexpr std::size_t kDefaultLimit = 50;
constexpr std::size_t kMaxLimit = 200;

Outcome fail(unsigned status, std::string_view code, std::string message, std::string field = {}) {
    Outcome o;
    o.status = status;
    json body{{"code", code}, {"message", std::move(message)}};
    if (!field.empty()) body["field"] = std::move(field);
    o.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return o;
}

Outcome ok(const json& body, unsigned status = 200) {
    Outcome o;
    o.status = status;
    o.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return o;
}

Op failing(Outcome o) {
    return [o = std::move(o)](const api::Caller&) { return o; };
}

// A request field or parameter that is wrong: 400 invalid_field naming it.
struct BadField {
    std::string field, message;
};

Outcome bad_field(const BadField& b) { return fail(400, "invalid_field", b.field + ": " + b.message, b.field); }

// ---- the query string ------------------------------------------------------

struct Query {
    std::map<std::string, std::string> values;

    std::optional<std::string> text(const std::string& name) const {
        auto it = values.find(name);
        if (it == values.end()) return std::nullopt;
        return it->second;
    }
    std::optional<std::int64_t> id(const std::string& name) const {
        auto v = text(name);
        if (!v) return std::nullopt;
        auto n = to_id(*v);
        if (!n) throw BadField{name, "must be a positive whole number"};
        return n;
    }
    std::size_t limit() const {
        auto v = text("limit");
        if (!v) return kDefaultLimit;
        auto n = to_id(*v);
        if (!n || *n > static_cast<std::int64_t>(kMaxLimit))
            throw BadField{"limit", "must be a whole number from 1 to " + std::to_string(kMaxLimit)};
        return static_cast<std::size_t>(*n);
    }
};

Query query_of(const net::Request& req) {
    Query q;
    auto url = boost::urls::parse_origin_form(req.target());
    if (!url) return q;
    for (const auto& p : url->params()) q.values[std::string(p.key)] = p.has_value ? std::string(p.value) : "";
    return q;
}

// ---- JSON bodies ---------------------------------------------------------------

struct BadJson {
    std::string message;
};

json object_body(const net::Request& req) {
    json j = json::parse(req.body(), nullptr, false);
    if (j.is_discarded()) throw BadJson{"the body is not valid JSON"};
    if (!j.is_object()) throw BadJson{"the body must be a JSON object"};
    return j;
}

void only(const json& j, std::initializer_list<std::string_view> known) {
    for (const auto& [key, value] : j.items())
        if (std::find(known.begin(), known.end(), key) == known.end()) throw BadField{key, "unknown field"};
}

std::optional<std::string> opt_string(const json& j, const char* key) {
    if (!j.contains(key)) return std::nullopt;
    if (!j[key].is_string()) throw BadField{key, "must be a string"};
    return j[key].get<std::string>();
}

std::optional<std::int64_t> opt_int(const json& j, const char* key) {
    if (!j.contains(key)) return std::nullopt;
    const auto& v = j[key];
    // The JSON parser keeps 2^63 to 2^64-1 as unsigned and anything wider as a
    // double: read as int64 the first would wrap to a negative number, and
    // either is a whole number, only too large for us.
    const bool whole_double = v.is_number_float() && std::trunc(v.get<double>()) == v.get<double>();
    if ((v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(INT64_MAX)) ||
        (whole_double && v.get<double>() >= 0x1p63))
        throw BadField{key, "is too large: at most " + std::to_string(INT64_MAX)};
    if (whole_double && v.get<double>() < -0x1p63)
        throw BadField{key, "is too small: at least " + std::to_string(INT64_MIN)};
    if (!v.is_number_integer()) throw BadField{key, "must be a whole number"};
    return v.get<std::int64_t>();
}

std::optional<TimePoint> opt_time(const json& j, const char* key) {
    auto s = opt_string(j, key);
    if (!s) return std::nullopt;
    auto t = parse_time(*s);
    if (!t) throw BadField{key, "must be an ISO 8601 time with a zone, e.g. 2025-11-24T10:00:00+08:00"};
    return t;
}

std::optional<std::vector<std::string>> opt_strings(const json& j, const char* key) {
    if (!j.contains(key)) return std::nullopt;
    const auto& a = j[key];
    if (!a.is_array()) throw BadField{key, "must be an array of strings"};
    std::vector<std::string> out;
    for (const auto& v : a) {
        if (!v.is_string()) throw BadField{key, "must be an array of strings"};
        out.push_back(v.get<std::string>());
    }
    return out;
}

template <class T>
std::optional<T> opt_code(const json& j, const char* key, std::optional<T> (*parse)(std::string_view),
                          std::string_view allowed) {
    auto s = opt_string(j, key);
    if (!s) return std::nullopt;
    auto v = parse(*s);
    if (!v) throw BadField{key, "must be one of " + std::string(allowed)};
    return v;
}

std::optional<Tier> tier_code(std::string_view s) {
    if (s.size() == 1) {
        const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
        return tier_from_code(std::string(1, c));
    }
    return std::nullopt;
}

constexpr std::string_view kStages = "lead, new, active, silent, churn_risk, won, lost";
constexpr std::string_view kMethods = "call, email, visit, im, other";

api::CustomerFields customer_fields(const json& j) {
    only(j, {"name", "company", "phone", "email", "im", "source", "external_id", "owner", "tier", "stage", "value",
             "tags"});
    api::CustomerFields f;
    f.name = opt_string(j, "name");
    f.company = opt_string(j, "company");
    f.phone = opt_string(j, "phone");
    f.email = opt_string(j, "email");
    f.im = opt_string(j, "im");
    f.source = opt_string(j, "source");
    f.external_id = opt_string(j, "external_id");
    if (j.contains("owner") && j["owner"].is_null())
        f.owner = std::string();
    else
        f.owner = opt_string(j, "owner");
    if (f.owner && j["owner"].is_string() && f.owner->empty())
        throw BadField{"owner", "must be a user handle, or null for the public pool"};
    f.tier = opt_code<Tier>(j, "tier", tier_code, "A, B, C");
    f.stage = opt_code<Stage>(j, "stage", stage_from_code, kStages);
    f.value = opt_int(j, "value");
    if (f.value && *f.value < 0) throw BadField{"value", "must not be negative"};
    f.tags = opt_strings(j, "tags");
    if (f.email && !f.email->empty() && f.email->find('@') == std::string::npos)
        throw BadField{"email", "is not an e-mail address"};
    return f;
}

// ---- responses ------------------------------------------------------------------

net::Response to_response(const net::Request& req, const Outcome& o) {
    net::Response res{static_cast<http::status>(o.status), req.version()};
    res.set(http::field::content_type, o.content_type);
    res.set(http::field::cache_control, "no-store");
    if (!o.allow.empty()) res.set(http::field::allow, o.allow);
    if (o.status == 401) res.set(http::field::www_authenticate, "Bearer realm=\"followupd\"");
    if (o.status == 503) res.set(http::field::retry_after, "60");
    res.body() = o.body;
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> out;
    while (!path.empty()) {
        const auto slash = path.find('/');
        const auto part = path.substr(0, slash);
        if (!part.empty()) out.push_back(part);
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

std::string verb_list(std::initializer_list<http::verb> verbs) {
    std::string s;
    for (auto v : verbs) s += (s.empty() ? "" : ", ") + std::string(http::to_string(v));
    return s;
}

std::optional<Outcome> method_check(const net::Request& req, std::initializer_list<http::verb> verbs) {
    if (std::find(verbs.begin(), verbs.end(), req.method()) != verbs.end()) return std::nullopt;
    auto o = fail(405, "method_not_allowed", "use " + verb_list(verbs));
    o.allow = verb_list(verbs);
    return o;
}

std::optional<reports::PeriodKind> period_from(std::string_view s) {
    if (s == "week") return reports::PeriodKind::week;
    if (s == "month") return reports::PeriodKind::month;
    if (s == "last_week") return reports::PeriodKind::last_week;
    if (s == "last_month") return reports::PeriodKind::last_month;
    return std::nullopt;
}

const date::time_zone* zone_from(const Query& q, const std::string& fallback) {
    const auto name = q.text("tz").value_or(fallback);
    try {
        return date::locate_zone(name);
    } catch (const std::exception&) {
        throw BadField{"tz", "unknown time zone '" + name + "' (an IANA name, e.g. Asia/Shanghai)"};
    }
}

// An outcome with what the change did: who was told, whether the schedule may have moved.
Outcome with_effects(Outcome o, api::Effects& fx) {
    o.notified = std::move(fx.notified);
    o.changed = fx.changed;
    return o;
}

// /customers, /customers/{id}, /customers/{id}/history
std::optional<Op> route_customers(api::Service& service, const net::Request& req,
                                  const std::vector<std::string_view>& seg, const Query& q) {
    using V = http::verb;
    const auto n = seg.size();
    auto is = [&](std::size_t i, std::string_view s) { return i < n && seg[i] == s; };
    if (!is(0, "customers")) return std::nullopt;
    if (n == 1) {
        if (auto e = method_check(req, {V::get, V::post})) return failing(*e);
        if (req.method() == V::get) {
            api::CustomerFilter f;
            f.owner = q.text("owner");
            if (auto s = q.text("stage")) {
                f.stage = stage_from_code(*s);
                if (!f.stage) throw BadField{"stage", "must be one of " + std::string(kStages)};
            }
            f.external_id = q.text("external_id").value_or("");
            if (auto a = q.id("after")) f.after = CustomerId{*a};
            f.limit = q.limit();
            return [&service, f](const api::Caller& c) {
                const auto list = service.customers(c, f);
                json items = json::array();
                for (const auto& v : list.items) items.push_back(customer_json(v));
                return ok(
                    {{"items", items}, {"next_after", list.next_after ? json(list.next_after->value) : json(nullptr)}});
            };
        }
        const auto fields = customer_fields(object_body(req));
        if (!fields.name) throw BadField{"name", "is required"};
        return [&service, fields](const api::Caller& c) {
            api::Effects fx;
            auto v = service.create_customer(c, fields, fx);
            return with_effects(ok(customer_json(v), 201), fx);
        };
    }
    const auto id = to_id(seg[1]);
    if (!id) return failing(fail(404, "not_found", "no customer '" + std::string(seg[1]) + "'"));
    const CustomerId cid{*id};
    if (n == 2) {
        if (auto e = method_check(req, {V::get, V::patch, V::delete_})) return failing(*e);
        if (req.method() == V::get)
            return [&service, cid](const api::Caller& c) { return ok(customer_json(service.customer(c, cid))); };
        if (req.method() == V::delete_)
            return [&service, cid](const api::Caller& c) {
                api::Effects fx;
                return with_effects(ok(customer_json(service.erase_customer(c, cid, fx))), fx);
            };
        const auto fields = customer_fields(object_body(req));
        return [&service, cid, fields](const api::Caller& c) {
            api::Effects fx;
            return with_effects(ok(customer_json(service.update_customer(c, cid, fields, fx))), fx);
        };
    }
    if (n == 3 && is(2, "history")) {
        if (auto e = method_check(req, {V::get})) return failing(*e);
        return [&service, cid](const api::Caller& c) { return ok(history_json(service.history(c, cid))); };
    }
    return std::nullopt;
}

// /followups, /followups/{id}
std::optional<Op> route_followups(api::Service& service, const net::Request& req,
                                  const std::vector<std::string_view>& seg, const Query& q) {
    using V = http::verb;
    const auto n = seg.size();
    auto is = [&](std::size_t i, std::string_view s) { return i < n && seg[i] == s; };
    if (!is(0, "followups")) return std::nullopt;
    if (n == 1) {
        if (auto e = method_check(req, {V::get, V::post})) return failing(*e);
        if (req.method() == V::get) {
            api::TaskFilter f;
            const auto status = q.text("status").value_or("open");
            if (status == "open")
                f.statuses = {TaskStatus::open, TaskStatus::snoozed};
            else if (status == "done")
                f.statuses = {TaskStatus::done};
            else if (status == "cancelled")
                f.statuses = {TaskStatus::cancelled};
            else if (status != "all")
                throw BadField{"status", "must be one of open, done, cancelled, all"};
            f.assignee = q.text("assignee");
            if (auto cu = q.id("customer")) f.customer = CustomerId{*cu};
            if (auto a = q.id("after")) f.after = TaskId{*a};
            f.limit = q.limit();
            return [&service, f](const api::Caller& c) {
                const auto list = service.followups(c, f);
                json items = json::array();
                for (const auto& v : list.items) items.push_back(task_json(v));
                return ok(
                    {{"items", items}, {"next_after", list.next_after ? json(list.next_after->value) : json(nullptr)}});
            };
        }
        const json j = object_body(req);
        only(j, {"customer", "due", "method", "topic", "assignee"});
        api::NewFollowup nf;
        const auto cu = opt_int(j, "customer");
        if (!cu || *cu <= 0) throw BadField{"customer", "is required: a customer id"};
        nf.customer = CustomerId{*cu};
        const auto due = opt_time(j, "due");
        if (!due) throw BadField{"due", "is required: an ISO 8601 time"};
        nf.due = *due;
        nf.method = opt_code<Method>(j, "method", method_from_code, kMethods).value_or(Method::call);
        nf.topic = opt_string(j, "topic").value_or("");
        nf.assignee = opt_string(j, "assignee");
        return [&service, nf](const api::Caller& c) {
            api::Effects fx;
            return with_effects(ok(task_json(service.create_followup(c, nf, fx)), 201), fx);
        };
    }
    const auto id = to_id(seg[1]);
    if (!id || n != 2) return failing(fail(404, "not_found", "no follow-up '" + std::string(seg[1]) + "'"));
    const TaskId tid{*id};
    if (auto e = method_check(req, {V::get, V::patch})) return failing(*e);
    if (req.method() == V::get)
        return [&service, tid](const api::Caller& c) { return ok(task_json(service.followup(c, tid))); };
    const json j = object_body(req);
    only(j, {"due", "status", "results", "note", "satisfaction", "next_due"});
    api::FollowupChange ch;
    ch.due = opt_time(j, "due");
    const auto status = opt_string(j, "status");
    if (status && *status != "done") throw BadField{"status", "can only be set to \"done\""};
    ch.done = status.has_value();
    if (ch.done && ch.due) throw BadField{"due", "give either due (reschedule) or status done, not both"};
    if (!ch.done && !ch.due) throw BadField{"status", "give due (reschedule) or status \"done\""};
    if (!ch.done)
        for (const char* k : {"results", "note", "satisfaction", "next_due"})
            if (j.contains(k)) throw BadField{k, "only with status \"done\""};
    ch.results = opt_strings(j, "results").value_or(std::vector<std::string>{});
    ch.note = opt_string(j, "note").value_or("");
    if (auto sat = opt_int(j, "satisfaction")) {
        if (*sat < 1 || *sat > 5) throw BadField{"satisfaction", "must be 1 to 5"};
        ch.satisfaction = static_cast<int>(*sat);
    }
    ch.next_due = opt_time(j, "next_due");
    return [&service, tid, ch](const api::Caller& c) {
        api::Effects fx;
        const auto r = service.update_followup(c, tid, ch, fx);
        json body = task_json(r.task);
        body["next_followup"] = r.next ? task_json(*r.next) : json(nullptr);
        return with_effects(ok(body), fx);
    };
    return std::nullopt;
}

// /reports/team, /reports/summary, in the zone of ?tz= (else `time_zone`)
std::optional<Op> route_reports(api::Service& service, const net::Request& req,
                                const std::vector<std::string_view>& seg, const Query& q,
                                const std::string& time_zone) {
    using V = http::verb;
    const auto n = seg.size();
    auto is = [&](std::size_t i, std::string_view s) { return i < n && seg[i] == s; };
    if (is(0, "reports") && n == 2 && (is(1, "team") || is(1, "summary"))) {
        if (auto e = method_check(req, {V::get})) return failing(*e);
        const auto* zone = zone_from(q, time_zone);
        if (is(1, "team"))
            return
                [&service, zone](const api::Caller& c) { return ok(team_status_json(service.team_status(c, zone))); };
        const auto name = q.text("period").value_or("week");
        const auto kind = period_from(name);
        if (!kind) throw BadField{"period", "must be one of week, month, last_week, last_month"};
        return [&service, zone, kind](const api::Caller& c) { return ok(report_json(service.report(c, *kind, zone))); };
    }
    return std::nullopt;
}

// /audit
std::optional<Op> route_audit(api::Service& service, const net::Request& req, const std::vector<std::string_view>& seg,
                              const Query& q) {
    using V = http::verb;
    const auto n = seg.size();
    auto is = [&](std::size_t i, std::string_view s) { return i < n && seg[i] == s; };
    if (is(0, "audit") && n == 1) {
        if (auto e = method_check(req, {V::get})) return failing(*e);
        api::AuditFilter f;
        f.actor = q.text("actor");
        if (auto b = q.id("before")) f.before = AuditId{*b};
        f.limit = q.limit();
        return [&service, f](const api::Caller& c) { return ok(audit_json(service.audit(c, f))); };
    }
    return std::nullopt;
}

// /imports/customers (everything tokens) and /exports/{customers|tasks|interactions}.csv
std::optional<Op> route_data(api::Service& service, const net::Request& req, const std::vector<std::string_view>& seg,
                             const Query& q) {
    using V = http::verb;
    if (seg.size() == 2 && seg[0] == "imports" && seg[1] == "customers") {
        if (auto e = method_check(req, {V::post})) return failing(*e);
        const auto dry = q.text("dry_run").value_or("false");
        if (dry != "true" && dry != "false" && dry != "1" && dry != "0")
            throw BadField{"dry_run", "must be true or false"};
        const bool dry_run = dry == "true" || dry == "1";
        std::string body = req.body();
        return Op([&service, dry_run, body = std::move(body)](const api::Caller& c) {
            api::Service::require_everything(c);
            data::ImportOptions opt;
            opt.dry_run = dry_run;
            opt.actor = c.actor.id;
            const auto r = data::import_customers(service.store(), service.options(), service.clock().now(), body, opt);
            if (!r.problems.empty()) {
                json problems = json::array();
                for (const auto& p : r.problems)
                    problems.push_back({{"row", p.row}, {"column", p.column}, {"message", p.message_en}});
                auto o = ok(
                    {{"code", "invalid_csv"},
                     {"message", std::to_string(r.problems.size()) + " problem(s) in the file: nothing was imported"},
                     {"problems", problems}},
                    422);
                return o;
            }
            auto o = ok({{"dry_run", dry_run},
                         {"applied", r.applied},
                         {"encoding", r.encoding},
                         {"rows", r.rows},
                         {"created", r.created},
                         {"updated", r.updated},
                         {"unchanged", r.unchanged},
                         {"followups", r.followups}});
            o.changed = r.applied;
            return o;
        });
    }
    if (seg.size() == 2 && seg[0] == "exports") {
        std::optional<data::ExportKind> kind;
        if (seg[1] == "customers.csv")
            kind = data::ExportKind::customers;
        else if (seg[1] == "tasks.csv")
            kind = data::ExportKind::tasks;
        else if (seg[1] == "interactions.csv")
            kind = data::ExportKind::interactions;
        if (!kind) return std::nullopt;
        if (auto e = method_check(req, {V::get})) return failing(*e);
        const auto lang = q.text("lang").value_or("en");
        if (lang != "en" && lang != "zh") throw BadField{"lang", "must be en or zh"};
        data::ExportOptions opt;
        opt.headers = lang == "zh" ? Lang::zh : Lang::en;
        return Op([&service, kind, opt](const api::Caller& c) {
            Outcome o;
            try {
                o.body = data::export_csv(service.store(), *kind, c.token.team, c.actor.id, service.clock().now(), opt);
            } catch (const data::ExportRefused& e) {
                return fail(403, "forbidden", e.message_en);
            }
            o.content_type = "text/csv; charset=utf-8";
            return o;
        });
    }
    return std::nullopt;
}

}  // namespace

RestApi::RestApi(StorageExecutor& storage, api::Service& service, Effects& effects, RestOptions options)
    : storage_(storage), service_(service), effects_(effects), options_(std::move(options)) {}

asio::awaitable<net::Response> RestApi::handle(const net::Request& req) {
    std::optional<std::string> secret;
    if (auto it = req.find(http::field::authorization); it != req.end()) {
        std::string_view v = it->value();
        if (v.size() > 7 && (v.substr(0, 7) == "Bearer " || v.substr(0, 7) == "bearer "))
            secret = std::string(v.substr(7));
    }
    const Op op = route(req);
    auto job = [this, secret = std::move(secret), &op, target = std::string(req.target())]() -> Outcome {
        if (!secret) return fail(401, "unauthorized", "send the API token: Authorization: Bearer <token>");
        try {
            const auto auth = service_.authenticate(tokens::hash_secret(*secret));
            if (auth.status == api::AuthResult::Status::revoked)
                return fail(401, "revoked", "this API token was revoked at " + iso(*auth.revoked_at));
            if (!auth.caller) return fail(401, "unauthorized", "unknown API token");
            Outcome o = op(*auth.caller);
            // A change made through the API may notify anyone: every sender looks.
            if (o.changed || !o.notified.empty())
                effects_.committed(Changes{o.notified, {}, !o.notified.empty(), o.changed});
            return o;
        } catch (const api::Error& e) {
            switch (e.kind) {
                case api::Error::Kind::not_found: return fail(404, "not_found", e.what(), e.field);
                case api::Error::Kind::forbidden: return fail(403, "forbidden", e.what(), e.field);
                case api::Error::Kind::invalid_field:
                    return fail(400, "invalid_field", (e.field.empty() ? "" : e.field + ": ") + e.what(), e.field);
                case api::Error::Kind::conflict: return fail(409, "conflict", e.what(), e.field);
            }
            return fail(400, "invalid_request", e.what());
        } catch (const BadField& b) {
            return bad_field(b);
        } catch (const std::exception& e) {
            // The database refused a write or a read: the use case was rolled back whole.
            spdlog::error("REST API {}: {}", target, e.what());
            return fail(503, "not_saved", not_saved_text(e.what()).en);
        }
    };
    // The group's commit can fail after the job returned: nothing of it is stored either.
    std::optional<Outcome> o;
    std::string failure;
    try {
        o = co_await storage_.run(std::move(job));
    } catch (const std::exception& e) {
        failure = e.what();
    }
    if (!o) {
        spdlog::error("REST API {}: {}", std::string(req.target()), failure);
        o = fail(503, "not_saved", not_saved_text(failure).en);
    }
    co_return to_response(req, *o);
}

net::Response RestApi::invalid_field(const net::Request& req, const std::string& field,
                                     const std::string& message) const {
    return to_response(req, fail(400, "invalid_field", message, field));
}

RestApi::Op RestApi::route(const net::Request& req) {
    const auto target = std::string_view(req.target());
    const auto path = target.substr(0, target.find('?'));
    const auto seg = segments(path.substr(std::string_view("/api/v1").size()));
    try {
        const bool csv_body = !seg.empty() && seg[0] == "imports";
        const std::size_t max_body = csv_body ? options_.max_csv_bytes : options_.max_json_bytes;
        if (req.body().size() > max_body)
            return failing(
                fail(413, "payload_too_large", "the body is larger than " + std::to_string(max_body) + " bytes"));
        const Query q = query_of(req);

        for (auto* resource : {route_customers, route_followups, route_audit, route_data})
            if (auto op = resource(service_, req, seg, q)) return *op;
        if (auto op = route_reports(service_, req, seg, q, options_.time_zone)) return *op;
    } catch (const BadField& b) {
        return failing(bad_field(b));
    } catch (const BadJson& b) {
        return failing(fail(400, "invalid_json", b.message));
    }
    return failing(fail(404, "not_found", "no such path: " + std::string(path)));
}

}  // namespace fu::server
