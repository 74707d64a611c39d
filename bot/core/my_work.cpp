#include "core/my_work.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cctype>

#include "core/bot_internal.hpp"
#include "core/render.hpp"

namespace fu::mywork {
namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

// 0: the name is the text, 1: it starts with it, 2: name, company or external
// id contains it; -1: no match. Case-insensitive for Latin letters; Chinese
// matches byte for byte.
int match_rank(const Customer& c, const std::string& text) {
    if (text.empty()) return 2;
    const auto name = lower_ascii(c.name);
    if (name == text) return 0;
    if (name.starts_with(text)) return 1;
    if (name.find(text) != std::string::npos || lower_ascii(c.company).find(text) != std::string::npos ||
        lower_ascii(c.external_id).find(text) != std::string::npos)
        return 2;
    return -1;
}

void name(Repo& repo, std::map<UserId, std::string>& names, std::optional<UserId> id) {
    if (!id || names.contains(*id)) return;
    const auto u = repo.user(*id);
    names[*id] = u ? u->display_name : "#" + std::to_string(id->value);
}

}  // namespace

Agenda agenda(Repo& repo, const User& viewer, TimePoint now, std::size_t max_upcoming) {
    const auto* zone = render::zone_of(viewer);
    const auto today =
        date::floor<date::days>(date::zoned_seconds{zone, date::floor<std::chrono::seconds>(now)}.get_local_time());
    Agenda a;
    a.day_end =
        date::zoned_seconds{zone, date::local_seconds{today + date::days{1}}, date::choose::earliest}.get_sys_time();
    std::map<CustomerId, Customer> customers;
    for (auto& task : repo.open_tasks_for(viewer.id, TimePoint::max())) {
        auto& bucket = task.due <= now ? a.overdue : task.due < a.day_end ? a.today : a.upcoming;
        if (&bucket == &a.upcoming && a.upcoming.size() >= max_upcoming) {
            ++a.more_upcoming;
            continue;
        }
        auto it = customers.find(task.customer);
        if (it == customers.end()) {
            auto c = repo.customer(task.customer);
            if (!c) continue;  // a task always has its customer; a torn read is not shown
            it = customers.emplace(task.customer, std::move(*c)).first;
        }
        bucket.push_back(Item{std::move(task), it->second});
    }
    return a;
}

Found search(Repo& repo, const User& viewer, std::string_view text_in, std::size_t limit) {
    const auto text = lower_ascii(text_in);
    std::vector<Customer> candidates;
    if (viewer.role == Role::rep) {
        candidates = repo.customers_owned_by(viewer.id);  // a rep's book: hundreds at most
    } else if (!text.empty()) {
        // The store ranks matches; the viewer's scope is applied after. A
        // manager's few among many matches elsewhere may be cut: they narrow the text.
        candidates = repo.find_customers(text, std::max<std::size_t>(limit * 20, 500));
    } else {
        Repo::CustomerQuery q;
        if (viewer.role == Role::manager) q.team = viewer.team;
        q.limit = limit + 1;
        candidates = repo.list_customers(q);
    }
    struct Ranked {
        int rank;
        Customer c;
    };
    std::vector<Ranked> ranked;
    for (auto& c : candidates) {
        const int r = match_rank(c, text);
        if (r < 0 || !detail::can_act_on_customer(repo, viewer, c)) continue;
        ranked.push_back({r, std::move(c)});
    }
    // Best match first; then the ones with a follow-up coming, soonest first; then by name.
    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& x, const Ranked& y) {
        if (x.rank != y.rank) return x.rank < y.rank;
        if (x.c.next_followup.has_value() != y.c.next_followup.has_value()) return x.c.next_followup.has_value();
        if (x.c.next_followup && *x.c.next_followup != *y.c.next_followup)
            return *x.c.next_followup < *y.c.next_followup;
        return x.c.name < y.c.name;
    });
    Found out;
    out.more = ranked.size() > limit;
    if (out.more) ranked.resize(limit);
    for (auto& r : ranked) {
        name(repo, out.owners, r.c.owner);
        out.customers.push_back(std::move(r.c));
    }
    return out;
}

std::optional<CustomerPage> customer_page(Repo& repo, const User& viewer, CustomerId id, std::size_t history) {
    auto c = repo.customer(id);
    if (!c || !detail::can_act_on_customer(repo, viewer, *c)) return std::nullopt;
    CustomerPage p;
    p.contacts = detail::may_see_contacts(repo, viewer, *c);
    if (!p.contacts) {
        // Not the viewer's to read: masked as chat masks them.
        if (!c->phone.empty()) c->phone = render::mask_phone(c->phone);
        if (!c->email.empty()) c->email = render::mask_email(c->email);
        if (!c->im.empty()) c->im = render::mask_text(c->im);
    }
    p.customer = std::move(*c);
    p.open = repo.open_tasks_for_customer(id);
    std::sort(p.open.begin(), p.open.end(), [](const Task& x, const Task& y) { return x.due < y.due; });
    p.recent = repo.tasks_for_customer(id, history);
    p.interactions = repo.interactions_for_customer(id, history);
    p.transfers = repo.transfers_for_customer(id);
    name(repo, p.names, p.customer.owner);
    for (const auto& t : p.open) name(repo, p.names, t.assignee);
    for (const auto& t : p.recent) name(repo, p.names, t.assignee);
    for (const auto& i : p.interactions) name(repo, p.names, i.user);
    for (const auto& t : p.transfers) {
        name(repo, p.names, t.from);
        name(repo, p.names, t.to);
        name(repo, p.names, t.by);
    }
    return p;
}

}  // namespace fu::mywork
