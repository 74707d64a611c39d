// The REST API's use cases (see api.hpp): customers and follow-ups through an
// API token, with the SOP's rules kept exactly as in chat.
#include "core/api.hpp"

#include <algorithm>
#include <chrono>

#include "core/bot_internal.hpp"
#include "core/command.hpp"
#include "core/render.hpp"
#include "core/usecases/customers.hpp"
#include "core/usecases/followups.hpp"

namespace fu::api {
namespace {

std::string cid(CustomerId id) { return "customer:" + std::to_string(id.value); }

[[noreturn]] void not_found(std::string what, std::string field = {}) {
    throw Error(Error::Kind::not_found, std::move(what), std::move(field));
}
[[noreturn]] void forbidden(std::string what, std::string field = {}) {
    throw Error(Error::Kind::forbidden, std::move(what), std::move(field));
}
[[noreturn]] void invalid(std::string field, std::string what) {
    throw Error(Error::Kind::invalid_field, std::move(what), std::move(field));
}
[[noreturn]] void conflict(std::string what, std::string field = {}) {
    throw Error(Error::Kind::conflict, std::move(what), std::move(field));
}

std::string handle_of(Repo& repo, std::optional<UserId> id) {
    if (!id) return {};
    auto u = repo.user(*id);
    return u ? u->handle : "#" + std::to_string(id->value);
}

CustomerView view(Repo& repo, const Customer& c) {
    CustomerView v{c, handle_of(repo, c.owner), {}, repo.open_tasks_for_customer(c.id)};
    if (c.team)
        if (auto t = repo.team(*c.team)) v.team = t->name;
    std::sort(v.open.begin(), v.open.end(), [](const Task& a, const Task& b) { return a.due < b.due; });
    return v;
}

TaskView task_view(Repo& repo, const Task& t) {
    auto c = repo.customer(t.customer);
    return TaskView{t, handle_of(repo, t.assignee), c ? c->name : std::string()};
}

Customer load_customer(Repo& repo, const Caller& caller, CustomerId id, std::string field = {}) {
    auto c = repo.customer(id);
    if (!c) not_found("no customer " + std::to_string(id.value), std::move(field));
    if (!in_scope(repo, caller, *c))
        forbidden("customer " + std::to_string(id.value) + " is not in this token's team", std::move(field));
    return *c;
}

Task load_task(Repo& repo, const Caller& caller, TaskId id) {
    auto t = repo.task(id);
    if (!t) not_found("no follow-up " + std::to_string(id.value));
    auto c = repo.customer(t->customer);
    if (!c || !in_scope(repo, caller, *c))
        forbidden("follow-up " + std::to_string(id.value) + " is not in this token's team");
    return *t;
}

// A user a customer or follow-up may go to: anyone (everything token), a
// member of the token's team (team token).
User load_member(Repo& repo, const Caller& caller, std::string_view handle, const std::string& field) {
    auto u = repo.user_by_handle(handle);
    if (!u) invalid(field, "no user '" + std::string(handle) + "'");
    if (caller.token.team && u->team != caller.token.team)
        forbidden("'" + u->handle + "' is not in this token's team", field);
    return *u;
}

std::optional<UserId> find_user(Repo& repo, const std::optional<std::string>& handle, const std::string& field) {
    if (!handle) return std::nullopt;
    auto u = repo.user_by_handle(*handle);
    if (!u) invalid(field, "no user '" + *handle + "'");
    return u->id;
}

void check_external_id(Repo& repo, const std::string& external_id, CustomerId self) {
    if (external_id.empty()) return;
    if (auto other = repo.customer_by_external_id(external_id); other && other->id != self)
        conflict("external_id '" + external_id + "' already belongs to customer " + std::to_string(other->id.value),
                 "external_id");
}

// A field longer than limits.name_chars: 400, naming it and both lengths.
void check_name(const std::optional<std::string>& value, const char* field, const InputLimits& limits) {
    if (!value) return;
    if (auto refusal = name_too_long(*value, field, field, limits)) invalid(field, refusal->en);
}

// Fields other than owner and stage; returns the names of those that changed.
std::vector<std::string> apply_plain(Customer& c, const CustomerFields& f, const InputLimits& limits) {
    const std::pair<const char*, const std::optional<std::string>*> named[] = {
        {"name", &f.name},     {"company", &f.company},        {"phone", &f.phone}, {"email", &f.email}, {"im", &f.im},
        {"source", &f.source}, {"external_id", &f.external_id}};
    for (const auto& [field, value] : named) check_name(*value, field, limits);
    if (f.tags)
        for (const auto& tag : *f.tags) check_name(tag, "tags", limits);
    std::vector<std::string> changed;
    auto set = [&](const char* name, auto& slot, const auto& value) {
        if (value && slot != *value) {
            slot = *value;
            changed.emplace_back(name);
        }
    };
    if (f.name && f.name->empty()) invalid("name", "name must not be empty");
    set("name", c.name, f.name);
    set("company", c.company, f.company);
    set("phone", c.phone, f.phone);
    set("email", c.email, f.email);
    set("im", c.im, f.im);
    set("source", c.source, f.source);
    set("external_id", c.external_id, f.external_id);
    set("tier", c.tier, f.tier);
    set("value", c.value, f.value);
    set("tags", c.tags, f.tags);
    return changed;
}

// A use case's session for a token: the token's admin acts, and every audit
// entry says which token it came through.
uc::Session session(Repo& repo, const Caller& caller, TimePoint now, std::vector<UserId>& notified,
                    const BotOptions& opt) {
    return uc::Session{repo, caller.actor, now, opt, notified, uc::Via::crm, "via " + caller.label()};
}

}  // namespace

std::string Caller::label() const { return "API token #" + std::to_string(token.id.value) + " " + token.name; }

bool in_scope(Repo& repo, const Caller& caller, const Customer& c) {
    if (!caller.token.team) return true;
    if (c.team == caller.token.team) return true;
    if (!c.owner) return false;
    auto owner = repo.user(*c.owner);
    return owner && owner->team == caller.token.team;
}

Service::Service(Store& store, const Clock& clock, BotOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

void Service::require_everything(const Caller& caller) {
    if (caller.token.team) forbidden("this needs a token for every team (created with --all)");
}

template <class F>
auto Service::in_transaction(F&& f) {
    using R = std::invoke_result_t<F&, Repo&>;
    std::optional<R> out;
    try {
        store_.transact([&](Repo& repo) { out.emplace(f(repo)); });
    } catch (const detail::UserError& e) {
        conflict(e.what());
    } catch (const uc::Refused& e) {
        const auto n = std::to_string(e.task.value);
        switch (e.why) {
            case uc::Refused::Why::already_done: conflict("follow-up " + n + " is already done");
            case uc::Refused::Why::cancelled: conflict("follow-up " + n + " was cancelled");
            case uc::Refused::Why::complaint_unresolved:
                invalid("results", "a complaint stays open until its resolution is recorded: include \"resolved\"");
            case uc::Refused::Why::not_in_future: invalid("due", "the time must be in the future");
            case uc::Refused::Why::past_reclaim: conflict(e.what());
        }
        conflict(e.what());
    }
    return std::move(*out);
}

AuthResult Service::authenticate(std::string_view hash) {
    const TimePoint now = clock_.now();
    return in_transaction([&](Repo& repo) {
        AuthResult r;
        auto t = repo.api_token_by_hash(hash);
        if (!t) return r;
        if (t->revoked_at) {
            r.status = AuthResult::Status::revoked;
            r.revoked_at = t->revoked_at;
            return r;
        }
        std::optional<User> admin;
        if (t->created_by) admin = repo.user(*t->created_by);
        if (!admin) return r;
        if (!t->last_used_at || now - *t->last_used_at >= std::chrono::minutes(1)) {
            t->last_used_at = now;
            repo.update_api_token(*t);
        }
        Caller c{*t, *admin};
        c.actor.role = t->team ? Role::manager : Role::admin;
        c.actor.team = t->team;
        c.actor.lang = Lang::en;
        r.status = AuthResult::Status::ok;
        r.caller = std::move(c);
        return r;
    });
}

CustomerList Service::customers(const Caller& caller, const CustomerFilter& f) {
    return in_transaction([&](Repo& repo) {
        Repo::CustomerQuery q;
        q.team = caller.token.team;
        q.owner = find_user(repo, f.owner, "owner");
        q.stage = f.stage;
        q.external_id = f.external_id;
        q.after = f.after;
        q.limit = f.limit;
        CustomerList out;
        for (const auto& c : repo.list_customers(q)) out.items.push_back(view(repo, c));
        if (!out.items.empty() && out.items.size() == f.limit) out.next_after = out.items.back().customer.id;
        return out;
    });
}

CustomerView Service::customer(const Caller& caller, CustomerId id) {
    return in_transaction([&](Repo& repo) { return view(repo, load_customer(repo, caller, id)); });
}

CustomerView Service::create_customer(const Caller& caller, const CustomerFields& f, Effects& fx) {
    const TimePoint now = clock_.now();
    return in_transaction([&](Repo& repo) {
        std::vector<UserId> notified;
        auto s = session(repo, caller, now, notified, options_);
        if (!f.name || f.name->empty()) invalid("name", "name is required");
        Customer cu;
        cu.created_at = now;
        apply_plain(cu, f, options_.limits);
        if (f.stage) cu.stage = *f.stage;
        check_external_id(repo, cu.external_id, CustomerId{});
        std::optional<User> owner;
        if (f.owner && !f.owner->empty()) owner = load_member(repo, caller, *f.owner, "owner");
        cu.team = caller.token.team;  // the owner's team, when the owner has one
        if (owner) cu.owner = owner->id;
        uc::add_customer(s, cu);
        fx.notified.insert(fx.notified.end(), notified.begin(), notified.end());
        fx.changed = true;
        return view(repo, *repo.customer(cu.id));
    });
}

CustomerView Service::update_customer(const Caller& caller, CustomerId id, const CustomerFields& f, Effects& fx) {
    const TimePoint now = clock_.now();
    return in_transaction([&](Repo& repo) {
        std::vector<UserId> notified;
        auto s = session(repo, caller, now, notified, options_);
        Customer cu = load_customer(repo, caller, id);
        const auto changed = apply_plain(cu, f, options_.limits);
        if (f.external_id) check_external_id(repo, cu.external_id, cu.id);
        std::optional<User> new_owner;
        if (f.owner && !f.owner->empty()) new_owner = load_member(repo, caller, *f.owner, "owner");
        const bool stage_changed = f.stage && *f.stage != cu.stage;
        // An open customer won or lost is closed as chat closes it: recorded as
        // an interaction (by its owner, as the CRM says), so the reports count it.
        const bool closing =
            stage_changed && (*f.stage == Stage::won || *f.stage == Stage::lost) && !detail::is_closed(cu);
        if (stage_changed && !closing) cu.stage = *f.stage;
        repo.update_customer(cu);
        if (!changed.empty()) {
            std::string names;
            for (const auto& n : changed) names += (names.empty() ? "" : ",") + n;
            uc::audit(s, "customer.update", cid(cu.id), names);
        }
        if (closing) {
            uc::close_customer(s, cu, *f.stage, "", cu.owner.value_or(caller.actor.id));
        } else if (stage_changed) {
            uc::audit(s, "customer.stage", cid(cu.id), std::string(code(cu.stage)));
            if (detail::is_closed(cu)) detail::cancel_open_tasks(repo, cu.id);
        }
        if (f.owner) {
            if (new_owner && cu.owner != new_owner->id)
                uc::assign_customer(s, cu, *new_owner, "assigned via " + caller.label());
            else if (!new_owner && cu.owner)
                uc::release_customer(s, cu, "released via " + caller.label());
        }
        cu = *repo.customer(cu.id);
        uc::ensure_next_step(s, cu);
        fx.notified.insert(fx.notified.end(), notified.begin(), notified.end());
        fx.changed = true;
        return view(repo, *repo.customer(cu.id));
    });
}

CustomerView Service::erase_customer(const Caller& caller, CustomerId id, Effects& fx) {
    require_everything(caller);
    const TimePoint now = clock_.now();
    return in_transaction([&](Repo& repo) {
        std::vector<UserId> notified;
        auto s = session(repo, caller, now, notified, options_);
        Customer cu = load_customer(repo, caller, id);
        const auto cancelled = detail::cancel_open_tasks(repo, cu.id);
        cu = *repo.customer(cu.id);
        if (cu.owner)
            repo.add_transfer(
                Transfer{{}, cu.id, cu.owner, std::nullopt, caller.actor.id, now, "erased via " + caller.label()});
        cu.name = "(erased)";
        cu.phone.clear();
        cu.email.clear();
        cu.im.clear();
        cu.external_id.clear();
        cu.owner.reset();
        cu.stage = Stage::lost;
        cu.next_followup.reset();
        repo.update_customer(cu);
        uc::audit(s, "customer.delete", cid(cu.id),
                  "personal data erased, " + std::to_string(cancelled.size()) + " follow-up(s) cancelled");
        fx.changed = true;
        return view(repo, cu);
    });
}

History Service::history(const Caller& caller, CustomerId id) {
    return in_transaction([&](Repo& repo) {
        History h;
        h.customer = view(repo, load_customer(repo, caller, id));
        h.interactions = repo.interactions_for_customer(id, 200);
        h.transfers = repo.transfers_for_customer(id);
        auto name = [&](std::optional<UserId> u) {
            if (u && !h.handles.contains(*u)) h.handles[*u] = handle_of(repo, u);
        };
        for (const auto& i : h.interactions) name(i.user);
        for (const auto& t : h.transfers) {
            name(t.from);
            name(t.to);
            name(t.by);
        }
        return h;
    });
}

TaskList Service::followups(const Caller& caller, const TaskFilter& f) {
    return in_transaction([&](Repo& repo) {
        Repo::TaskQuery q;
        q.team = caller.token.team;
        q.statuses = f.statuses;
        q.assignee = find_user(repo, f.assignee, "assignee");
        if (f.customer) q.customer = load_customer(repo, caller, *f.customer, "customer").id;
        q.after = f.after;
        q.limit = f.limit;
        TaskList out;
        for (const auto& t : repo.list_tasks(q)) out.items.push_back(task_view(repo, t));
        if (!out.items.empty() && out.items.size() == f.limit) out.next_after = out.items.back().task.id;
        return out;
    });
}

TaskView Service::followup(const Caller& caller, TaskId id) {
    return in_transaction([&](Repo& repo) { return task_view(repo, load_task(repo, caller, id)); });
}

TaskView Service::create_followup(const Caller& caller, const NewFollowup& n, Effects& fx) {
    const TimePoint now = clock_.now();
    return in_transaction([&](Repo& repo) {
        std::vector<UserId> notified;  // told only once the transaction commits
        auto s = session(repo, caller, now, notified, options_);
        const Customer cu = load_customer(repo, caller, n.customer, "customer");
        if (detail::is_closed(cu))
            conflict("customer " + std::to_string(cu.id.value) + " is closed (" + std::string(code(cu.stage)) +
                         "): set its stage first",
                     "customer");
        std::optional<User> assignee;
        if (n.assignee)
            assignee = load_member(repo, caller, *n.assignee, "assignee");
        else if (cu.owner)
            assignee = repo.user(*cu.owner);
        if (!assignee) invalid("assignee", "the customer is in the public pool: name an assignee");
        check_name(n.topic, "topic", options_.limits);
        const Task t = uc::plan_followup(s, cu, assignee->id, n.due, n.method, n.topic);
        fx.notified.insert(fx.notified.end(), notified.begin(), notified.end());
        fx.changed = true;
        return task_view(repo, *repo.task(t.id));
    });
}

FollowupResult Service::update_followup(const Caller& caller, TaskId id, const FollowupChange& ch, Effects& fx) {
    const TimePoint now = clock_.now();
    return in_transaction([&](Repo& repo) {
        std::vector<UserId> notified;  // told only once the transaction commits
        auto s = session(repo, caller, now, notified, options_);
        Task task = load_task(repo, caller, id);
        uc::require_open(task);
        FollowupResult out;
        if (ch.done) {
            for (const auto& r : ch.results) {
                const auto& codes = cmd::result_codes();
                if (std::none_of(codes.begin(), codes.end(), [&](const cmd::ResultName& n) { return n.code == r; }))
                    invalid("results", "unknown result code '" + r + "'");
            }
            if (ch.satisfaction && (*ch.satisfaction < 1 || *ch.satisfaction > 5))
                invalid("satisfaction", "satisfaction must be 1 to 5");
            // A note may be as long as a chat command could carry one.
            if (const auto n = char_count(ch.note); n > options_.limits.command_chars)
                invalid("note", "the note is " + std::to_string(n) + " characters long; it may have at most " +
                                    std::to_string(options_.limits.command_chars));
            // The rep who followed up is recorded, as the CRM says, not the token's admin.
            const std::string next_step = ch.next_due ? std::to_string(to_unix(*ch.next_due)) : std::string();
            task = uc::complete(
                       s, task,
                       uc::Completion{task.assignee, ch.results, ch.note, ch.satisfaction, ch.next_due, next_step})
                       .task;
            auto open = repo.open_tasks_for_customer(task.customer);
            std::sort(open.begin(), open.end(), [](const Task& a, const Task& b) { return a.due < b.due; });
            if (!open.empty()) out.next = task_view(repo, open.front());
        } else if (ch.due) {
            task = uc::reschedule(s, task, *ch.due);
        }
        out.task = task_view(repo, *repo.task(task.id));
        fx.notified.insert(fx.notified.end(), notified.begin(), notified.end());
        fx.changed = true;
        return out;
    });
}

reports::TeamStatus Service::team_status(const Caller& caller, const date::time_zone* zone) {
    const TimePoint now = clock_.now();
    return in_transaction(
        [&](Repo& repo) { return reports::team_status(repo, reports::Scope{caller.token.team}, zone, now); });
}

reports::Report Service::report(const Caller& caller, reports::PeriodKind kind, const date::time_zone* zone) {
    const TimePoint now = clock_.now();
    return in_transaction([&](Repo& repo) {
        const auto period = reports::period_of(kind, zone, now);
        return reports::report(repo, options_, reports::Scope{caller.token.team}, period, now);
    });
}

AuditList Service::audit(const Caller& caller, const AuditFilter& f) {
    require_everything(caller);
    return in_transaction([&](Repo& repo) {
        Repo::AuditQuery q;
        q.actor = find_user(repo, f.actor, "actor");
        q.before = f.before;
        q.limit = f.limit;
        AuditList out;
        out.items = repo.audit_search(q);
        for (const auto& a : out.items)
            if (a.actor && !out.handles.contains(*a.actor)) out.handles[*a.actor] = handle_of(repo, a.actor);
        return out;
    });
}

}  // namespace fu::api
