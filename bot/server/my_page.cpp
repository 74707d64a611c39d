// The reps' page: routes, request checks and JSON. What is shown comes from
// core/my_work.hpp; what is done is a chat command given as fields (Bot::act).
#include "server/my_page.hpp"

#include <date/date.h>
#include <nlohmann/json.hpp>

#include <charconv>

#include "core/command.hpp"
#include "core/my_work.hpp"
#include "core/render.hpp"
#include "core/utf8.hpp"
#include "net/crypto.hpp"
#include "server/not_saved.hpp"
#include "server/sign_in.hpp"
#include "server/web_assets.hpp"

namespace fu::server {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxNote = 2000;       // bytes of a note typed on the page
constexpr std::size_t kMaxTimeText = 200;    // bytes of a time expression
constexpr std::size_t kMaxSearch = 200;      // bytes of a search
constexpr std::size_t kMaxBody = 16 * 1024;  // bytes of an action's JSON body

std::string iso(TimePoint t) { return date::format("%FT%TZ", date::floor<std::chrono::seconds>(t)); }

std::optional<std::int64_t> positive(std::string_view s) {
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

const std::string& script_version() {
    static const std::string v = web::script_version(my_script());
    return v;
}

net::Response json_ok(const net::Request& req, const json& body) {
    auto res = web::body_response(req, "application/json; charset=utf-8",
                                  body.dump(-1, ' ', false, json::error_handler_t::replace));
    res.set(http::field::cache_control, "no-store");
    res.prepare_payload();
    return res;
}

// ---- JSON of the page's things, labels in the viewer's language ----------------

struct View {
    Lang lang;
    const date::time_zone* zone;
    TimePoint now;
};

json labelled(std::string_view code, std::string_view label) { return {{"code", code}, {"label", label}}; }

json results_json(const std::vector<std::string>& codes, Lang lang) {
    json out = json::array();
    for (const auto& c : codes) {
        std::string label = c;
        for (const auto& r : cmd::result_codes())
            if (r.code == c) label = std::string(lang == Lang::zh ? r.zh : r.en);
        out.push_back(labelled(c, label));
    }
    return out;
}

json task_json(const Task& t, const Customer* c, const View& v, const std::map<UserId, std::string>* names = nullptr) {
    json j = {{"id", t.id.value},
              {"due", iso(t.due)},
              {"due_text", render::when(t.due, v.now, v.zone, v.lang)},
              {"method", labelled(code(t.method), render::method(t.method, v.lang))},
              {"topic", t.topic},
              {"status", code(t.status)},
              {"urgent", t.priority == Priority::high},
              {"snoozes", t.snooze_count},
              {"reschedules", t.reschedule_count},
              {"overdue", (t.status == TaskStatus::open || t.status == TaskStatus::snoozed) && t.due <= v.now}};
    if (j["overdue"].get<bool>()) j["late_text"] = render::lateness(t.due, v.now, v.lang);
    if (t.snoozed_until) {
        j["snoozed_until"] = iso(*t.snoozed_until);
        j["snoozed_until_text"] = render::when(*t.snoozed_until, v.now, v.zone, v.lang);
    }
    if (t.done_at) j["done_at"] = iso(*t.done_at);
    if (c) j["customer"] = {{"id", c->id.value}, {"name", c->name}, {"company", c->company}};
    if (names) {
        const auto it = names->find(t.assignee);
        j["assignee"] = it != names->end() ? it->second : std::string();
    }
    return j;
}

json customer_json(const Customer& c, const View& v, const std::map<UserId, std::string>& names) {
    json j = {{"id", c.id.value},
              {"name", c.name},
              {"company", c.company},
              {"tier", labelled(code(c.tier), render::tier(c.tier, v.lang))},
              {"stage", labelled(code(c.stage), render::stage(c.stage, v.lang))},
              {"owner", c.owner && names.contains(*c.owner) ? json(names.at(*c.owner)) : json(nullptr)},
              {"tags", c.tags}};
    if (c.next_followup) {
        j["next_followup"] = iso(*c.next_followup);
        j["next_followup_text"] = render::when(*c.next_followup, v.now, v.zone, v.lang);
    }
    if (c.last_contact) {
        j["last_contact"] = iso(*c.last_contact);
        j["last_contact_text"] = render::when(*c.last_contact, v.now, v.zone, v.lang);
    }
    return j;
}

json user_json(const User& u) {
    return {{"handle", u.handle}, {"name", u.display_name}, {"role", code(u.role)}, {"lang", code(u.lang)}};
}

json agenda_json(const mywork::Agenda& a, const User& viewer, const View& v) {
    auto list = [&](const std::vector<mywork::Item>& items) {
        json out = json::array();
        for (const auto& i : items) out.push_back(task_json(i.task, &i.customer, v));
        return out;
    };
    json results = json::array();
    for (const auto& r : cmd::result_codes()) results.push_back(labelled(r.code, v.lang == Lang::zh ? r.zh : r.en));
    return {{"viewer", user_json(viewer)},      {"now", iso(v.now)},
            {"day_end", iso(a.day_end)},        {"overdue", list(a.overdue)},
            {"today", list(a.today)},           {"upcoming", list(a.upcoming)},
            {"more_upcoming", a.more_upcoming}, {"results", std::move(results)}};
}

json page_json(const mywork::CustomerPage& p, const View& v) {
    json c = customer_json(p.customer, v, p.names);
    c["contacts_visible"] = p.contacts;
    c["phone"] = p.customer.phone;
    c["email"] = p.customer.email;
    c["im"] = p.customer.im;
    c["source"] = p.customer.source;
    c["value"] = p.customer.value;
    json open = json::array(), recent = json::array(), interactions = json::array(), transfers = json::array();
    for (const auto& t : p.open) open.push_back(task_json(t, nullptr, v, &p.names));
    for (const auto& t : p.recent) recent.push_back(task_json(t, nullptr, v, &p.names));
    auto who = [&](std::optional<UserId> id) {
        return id && p.names.contains(*id) ? json(p.names.at(*id)) : json(nullptr);
    };
    for (const auto& i : p.interactions) {
        json j = {{"id", i.id.value},
                  {"at", iso(i.at)},
                  {"at_text", render::when(i.at, v.now, v.zone, v.lang)},
                  {"by", who(i.user)},
                  {"method", labelled(code(i.method), render::method(i.method, v.lang))},
                  {"results", results_json(i.results, v.lang)},
                  {"note", i.note},
                  {"next_step", i.next_step},
                  {"task", i.task ? json(i.task->value) : json(nullptr)}};
        if (i.satisfaction) j["satisfaction"] = *i.satisfaction;
        interactions.push_back(std::move(j));
    }
    for (const auto& t : p.transfers)
        transfers.push_back({{"at", iso(t.at)},
                             {"at_text", render::when(t.at, v.now, v.zone, v.lang)},
                             {"from", who(t.from)},
                             {"to", who(t.to)},
                             {"by", who(t.by)},
                             {"reason", t.reason}});
    return {{"customer", std::move(c)},
            {"open", std::move(open)},
            {"recent", std::move(recent)},
            {"interactions", std::move(interactions)},
            {"transfers", std::move(transfers)}};
}

// A refusal of a request's form: 400 with what was wrong.
struct Bad {
    std::string reason;
};

std::string text_field(const json& body, const char* key, std::size_t max, bool required) {
    if (!body.contains(key) || body[key].is_null()) {
        if (required) throw Bad{std::string("\"") + key + "\" is required"};
        return {};
    }
    if (!body[key].is_string()) throw Bad{std::string("\"") + key + "\" must be a string"};
    auto s = body[key].get<std::string>();
    if (s.size() > max) throw Bad{std::string("\"") + key + "\" is longer than " + std::to_string(max) + " bytes"};
    // A line break would end the command in chat: one line here too.
    for (char& ch : s)
        if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
    return s;
}

// The command the form says, as chat would parse it; Bad when the form is wrong.
cmd::Command command_of(std::string_view action, TaskId task, const json& body) {
    static const std::map<std::string_view, std::vector<std::string_view>> fields = {
        {"done", {"results", "note", "next", "satisfaction"}}, {"snooze", {"until"}}, {"reschedule", {"due"}}};
    const auto& allowed = fields.at(action);
    for (const auto& [k, _] : body.items())
        if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
            throw Bad{"unknown field \"" + k + "\" for " + std::string(action)};
    if (action == "snooze") return cmd::Snooze{task, text_field(body, "until", kMaxTimeText, true)};
    if (action == "reschedule") return cmd::Reschedule{task, text_field(body, "due", kMaxTimeText, true)};
    cmd::Done d;
    d.task = task;
    if (body.contains("results")) {
        if (!body["results"].is_array()) throw Bad{"\"results\" must be a list of result codes"};
        for (const auto& r : body["results"]) {
            if (!r.is_string()) throw Bad{"\"results\" must be a list of result codes"};
            const auto code = r.get<std::string>();
            bool known = false;
            for (const auto& n : cmd::result_codes()) known = known || n.code == code;
            if (!known) throw Bad{"unknown result \"" + code + "\": see \"results\" in GET /api/my/agenda"};
            if (std::find(d.results.begin(), d.results.end(), code) == d.results.end()) d.results.push_back(code);
        }
    }
    d.note = text_field(body, "note", kMaxNote, false);
    if (auto next = text_field(body, "next", kMaxTimeText, false); !next.empty()) d.next = next;
    if (body.contains("satisfaction") && !body["satisfaction"].is_null()) {
        if (!body["satisfaction"].is_number_integer()) throw Bad{"\"satisfaction\" must be a whole number, 1 to 5"};
        const auto s = body["satisfaction"].get<std::int64_t>();
        if (s < 1 || s > 5) throw Bad{"\"satisfaction\" must be 1 to 5"};
        d.satisfaction = static_cast<int>(s);
    }
    return d;
}

}  // namespace

bool MyPage::serves(std::string_view path) const {
    return path == "/my" || path == "/assets/my.js" || path == "/api/my" || path.starts_with("/api/my/");
}

asio::awaitable<net::Response> MyPage::handle(const net::Request& req) {
    const auto target = std::string_view(req.target());
    const auto path = std::string(target.substr(0, target.find('?')));
    if (!web_.enabled())
        co_return net::json_error(req, 404, "this page is part of the web chat, which is disabled (web_chat.enabled)");

    if (path == "/my" || path == "/assets/my.js") {
        if (req.method() != http::verb::get && req.method() != http::verb::head)
            co_return net::json_error(req, 405, "use GET");
        if (path == "/my") co_return web::page_response(req, my_page(), script_version());
        co_return web::script_response(req, my_script(), script_version());
    }

    // The API: the signed-in person (in the demo's pick mode, the one named by ?user=).
    const auto who = co_await web_.caller(req);
    if (who.status) co_return net::json_error(req, who.status, who.reason);
    const auto picked = web_.pick() ? web::query_param(req, "user") : std::nullopt;
    if (!who.user && !picked) co_return net::json_error(req, 400, "query parameter \"user\" is required (pick mode)");

    if (path.starts_with("/api/my/followups/")) {
        if (req.method() != http::verb::post) co_return net::json_error(req, 405, "use POST");
        co_return co_await act(req, who, path);
    }
    if (req.method() != http::verb::get && req.method() != http::verb::head)
        co_return net::json_error(req, 405, "use GET");

    enum class What { agenda, search, customer } what;
    std::optional<CustomerId> customer;
    std::string search;
    if (path == "/api/my/agenda") {
        what = What::agenda;
    } else if (path == "/api/my/customers") {
        what = What::search;
        search = web::query_param(req, "q").value_or("");
        if (!valid_utf8(search)) co_return net::json_error(req, 400, "\"q\" is not valid UTF-8");
        if (search.size() > kMaxSearch)
            co_return net::json_error(req, 400, "\"q\" is longer than " + std::to_string(kMaxSearch) + " bytes");
    } else if (path.starts_with("/api/my/customers/")) {
        const auto id = positive(std::string_view(path).substr(std::string_view("/api/my/customers/").size()));
        if (!id) co_return net::json_error(req, 404, "no such path: " + path + " (a customer id is a positive number)");
        what = What::customer;
        customer = CustomerId{*id};
    } else {
        co_return net::json_error(req, 404, "no such path: " + path);
    }

    struct Answer {
        unsigned status = 200;
        std::string reason;
        json body;
    };
    auto work = [this, what, customer, search, user = who.user, picked] {
        Answer a;
        const auto now = clock_.now();
        store_.transact([&](Repo& repo) {
            auto viewer = user;
            if (!viewer) viewer = repo.user_by_handle(*picked);
            if (!viewer) {
                a = Answer{404, "no such user: " + *picked, {}};
                return;
            }
            const View v{viewer->lang, render::zone_of(*viewer), now};
            switch (what) {
                case What::agenda: a.body = agenda_json(mywork::agenda(repo, *viewer, now), *viewer, v); break;
                case What::search: {
                    const auto found = mywork::search(repo, *viewer, search);
                    json list = json::array();
                    for (const auto& c : found.customers) list.push_back(customer_json(c, v, found.owners));
                    a.body = {{"items", std::move(list)}, {"more", found.more}};
                    break;
                }
                case What::customer: {
                    const auto page = mywork::customer_page(repo, *viewer, *customer);
                    if (!page) {
                        a = Answer{404, "there is no customer c" + std::to_string(customer->value) + " of yours", {}};
                        return;
                    }
                    a.body = page_json(*page, v);
                    break;
                }
            }
        });
        return a;
    };
    const auto answer = co_await storage_.run(std::move(work));
    if (answer.status != 200) co_return net::json_error(req, answer.status, answer.reason);
    co_return json_ok(req, answer.body);
}

// POST /api/my/followups/{id}/{done|snooze|reschedule}: the chat command, given as fields.
asio::awaitable<net::Response> MyPage::act(const net::Request& req, const WebChat::Caller& who, std::string_view path) {
    // State-changing: the session's CSRF token, in a header a cross-site form cannot set.
    if (!web_.pick() &&
        !net::crypto::constant_time_equal(web::header(req, "X-CSRF-Token"), sign_in::csrf_token(who.session_id)))
        co_return net::json_error(req, 403, "missing or wrong X-CSRF-Token header (the csrf of GET /api/session)");
    if (web::header(req, "Content-Type").find("application/json") == std::string::npos)
        co_return net::json_error(req, 415, "send Content-Type: application/json");
    const auto rest = path.substr(std::string_view("/api/my/followups/").size());
    const auto slash = rest.find('/');
    const auto id = positive(rest.substr(0, slash));
    const auto action = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (!id || (action != "done" && action != "snooze" && action != "reschedule"))
        co_return net::json_error(
            req, 404,
            "no such path: " + std::string(path) + " (POST /api/my/followups/<id>/done, snooze or reschedule)");
    if (req.body().size() > kMaxBody)
        co_return net::json_error(req, 413, "the body is larger than " + std::to_string(kMaxBody) + " bytes");
    const json body = req.body().empty() ? json::object() : json::parse(req.body(), nullptr, false);
    if (body.is_discarded() || !body.is_object())
        co_return net::json_error(req, 400, "the body must be a JSON object (valid UTF-8)");
    std::optional<cmd::Command> command;
    try {
        command = command_of(action, TaskId{*id}, body);
    } catch (const Bad& b) {
        co_return net::json_error(req, 400, b.reason);
    }
    const auto picked = web_.pick() ? web::query_param(req, "user") : std::nullopt;
    auto work = [this, command = std::move(*command), user = who.user, picked]() -> std::optional<Bot::Acted> {
        std::optional<UserId> id = user ? std::optional(user->id) : std::nullopt;
        if (!id)
            store_.transact([&](Repo& repo) {
                if (auto u = repo.user_by_handle(*picked)) id = u->id;
            });
        if (!id) return std::nullopt;
        auto acted = bot_.act(*id, command);
        effects_.committed(Changes{acted.handled.notified, acted.handled.platforms, false, acted.handled.schedule});
        return acted;
    };
    // A write the database refused: nothing of it is stored, and the person is told so.
    std::optional<std::optional<Bot::Acted>> acted;
    std::string failure;
    try {
        acted = co_await storage_.run(std::move(work));
    } catch (const std::exception& e) {
        failure = e.what();
    }
    if (!acted) co_return not_saved(req, who.user ? std::optional(who.user->lang) : std::nullopt, failure);
    if (!*acted) co_return net::json_error(req, 404, "no such user: " + picked.value_or(""));
    const auto& a = **acted;
    // Refused: 422 with the chat's reply, which says why and shows the right form.
    if (a.refused) {
        auto res = json_ok(req, json{{"error", a.handled.reply.text}, {"reply", a.handled.reply.text}});
        res.result(http::status::unprocessable_entity);
        co_return res;
    }
    co_return json_ok(req, json{{"reply", a.handled.reply.text}});
}

}  // namespace fu::server
