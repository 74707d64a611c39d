// What managers ask, as figures. The store counts (GROUP BY in SQL); this
// file only adds up per-rep rows, splits result combinations and decides the
// few snoozed follow-ups whose lateness depends on the working calendar.
#include "core/reports.hpp"

#include <date/date.h>

#include <algorithm>
#include <unordered_map>

#include "core/bot_internal.hpp"
#include "core/command.hpp"

namespace fu::reports {
namespace {

TimePoint local_midnight(const date::time_zone* zone, date::local_days day) {
    return date::zoned_seconds{zone, date::local_seconds{day}, date::choose::earliest}.get_sys_time();
}

date::local_days local_day(const date::time_zone* zone, TimePoint t) {
    return date::floor<date::days>(date::zoned_seconds{zone, t}.get_local_time());
}

date::local_days monday_of(date::local_days day) { return day - (date::weekday{day} - date::Monday); }

date::local_days first_of_month(date::local_days day) {
    const date::year_month_day ymd{day};
    return date::local_days{ymd.year() / ymd.month() / 1};
}

date::local_days add_months(date::local_days first, int n) {
    const date::year_month_day ymd{first};
    return date::local_days{(ymd.year() / ymd.month() + date::months{n}) / 1};
}

// The people a scope covers: one team's members, or everyone.
std::vector<User> people(Repo& repo, Scope scope) { return scope.team ? repo.team_members(*scope.team) : repo.users(); }

std::string name_of(const User& u) { return u.display_name.empty() ? u.handle : u.display_name; }

struct People {
    std::unordered_map<std::int64_t, User> by_id;

    explicit People(Repo& repo, Scope scope) {
        for (auto& u : people(repo, scope)) by_id.emplace(u.id.value, std::move(u));
    }
    // A user outside the scope list (an assignee who changed teams): looked up once.
    const User* find(Repo& repo, UserId id) {
        if (auto it = by_id.find(id.value); it != by_id.end()) return &it->second;
        if (auto u = repo.user(id)) return &by_id.emplace(id.value, std::move(*u)).first->second;
        return nullptr;
    }
};

template <class Row>
void sort_by_name(std::vector<Row>& rows) {
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        if (a.name != b.name) return a.name < b.name;
        return a.rep.value < b.rep.value;
    });
}

Timeliness& operator+=(Timeliness& a, const Timeliness& b) {
    a.due += b.due;
    a.on_time += b.on_time;
    a.late += b.late;
    a.pending += b.pending;
    return a;
}

// Timeliness of the follow-ups due in [from, to) up to now, handed to
// add(rep, figures) piece by piece. The store decides every follow-up but the
// snoozed ones and complaints done after due or still open past due; a
// snoozed one is late only past the escalation point, which is in the
// assignee's working time, a complaint only past the complaint window.
template <class Add>
void for_timeliness(Repo& repo, const BotOptions& opt, Scope scope, TimePoint from, TimePoint to, TimePoint now,
                    People& who, int& escalated, Add add) {
    for (const auto& d : repo.report_due(scope.team, from, to, now)) {
        escalated += d.escalated;
        Timeliness t;
        t.due = d.due;
        t.on_time = d.on_time;
        t.late = d.late;
        t.pending = d.pending;
        add(d.rep, t);
    }
    std::unordered_map<std::int64_t, WorkCalendar> calendars;
    for (const auto& s : repo.report_snoozed_late(scope.team, from, to, now)) {
        const User* u = who.find(repo, s.rep);
        std::optional<TimePoint> deadline;
        if (s.complaint) {
            // A complaint is due at once; resolved within the SOP's window
            // (clock hours: complaints ignore working hours) it is on time.
            const auto& rules = detail::rules_for(opt, u ? u->team : std::nullopt);
            deadline = s.due + std::chrono::hours(rules.complaint_window_hours);
        } else if (u) {
            auto it = calendars.find(u->id.value);
            if (it == calendars.end()) it = calendars.emplace(u->id.value, detail::calendar_of(opt, *u)).first;
            Task task;
            task.id = s.id;
            task.assignee = s.rep;
            task.due = s.due;
            deadline = detail::escalation_at(detail::rules_for(opt, u->team), it->second, task);
        }
        // No escalation point (no working time ahead, or no assignee): a
        // snoozed follow-up is never late.
        Timeliness t;
        if (s.done_at)
            (deadline && *s.done_at > *deadline ? t.late : t.on_time) = 1;
        else if (deadline && *deadline <= now)
            t.late = 1;
        else
            t.pending = 1;
        add(s.rep, t);
    }
}

}  // namespace

Period period_of(PeriodKind kind, const date::time_zone* zone, TimePoint now) {
    const auto today = local_day(zone, now);
    date::local_days first{}, end{};  // [first, end)
    switch (kind) {
        case PeriodKind::week:
            first = monday_of(today);
            end = first + date::days{7};
            break;
        case PeriodKind::last_week:
            end = monday_of(today);
            first = end - date::days{7};
            break;
        case PeriodKind::month:
            first = first_of_month(today);
            end = add_months(first, 1);
            break;
        case PeriodKind::last_month:
            end = first_of_month(today);
            first = add_months(end, -1);
            break;
    }
    Period p;
    p.kind = kind;
    p.first_day = first;
    p.last_day = end - date::days{1};
    p.from = local_midnight(zone, first);
    p.to = local_midnight(zone, end);
    p.zone = std::string(zone->name());
    return p;
}

Period period_between(date::local_days first, date::local_days last, const date::time_zone* zone) {
    Period p;
    p.kind = PeriodKind::custom;
    p.first_day = first;
    p.last_day = last;
    p.from = local_midnight(zone, first);
    p.to = local_midnight(zone, last + date::days{1});
    p.zone = std::string(zone->name());
    return p;
}

TeamStatus team_status(Repo& repo, Scope scope, const date::time_zone* zone, TimePoint now) {
    TeamStatus out;
    out.now = now;
    out.zone = std::string(zone->name());
    const auto today = local_day(zone, now);
    out.day_start = local_midnight(zone, today);
    const TimePoint day_end = local_midnight(zone, today + date::days{1});
    out.week_start = local_midnight(zone, monday_of(today));

    People who(repo, scope);
    std::unordered_map<std::int64_t, std::size_t> row;  // user id -> position in out.reps
    auto add_row = [&](const User& u) -> RepStatus& {
        auto [it, fresh] = row.emplace(u.id.value, out.reps.size());
        if (fresh) {
            RepStatus r;
            r.rep = u.id;
            r.name = name_of(u);
            out.reps.push_back(std::move(r));
        }
        return out.reps[it->second];
    };
    for (const auto& [id, u] : who.by_id)
        if (u.role == Role::rep) add_row(u);
    for (const auto& s : repo.report_rep_stats(scope.team, out.day_start, day_end, out.week_start, now)) {
        const User* u = who.find(repo, s.rep);
        if (!u) continue;
        RepStatus& r = add_row(*u);
        r.open = s.open;
        r.due_today = s.due_today;
        r.overdue = s.overdue;
        r.done_today = s.done_today;
        r.done_week = s.done_week;
        r.snoozes_week = s.snoozes_week;
        r.oldest_overdue = s.oldest_overdue;
    }
    sort_by_name(out.reps);

    RepStatus& t = out.total;
    for (const auto& r : out.reps) {
        t.open += r.open;
        t.due_today += r.due_today;
        t.overdue += r.overdue;
        t.done_today += r.done_today;
        t.done_week += r.done_week;
        t.snoozes_week += r.snoozes_week;
        if (r.oldest_overdue && (!t.oldest_overdue || *r.oldest_overdue < *t.oldest_overdue))
            t.oldest_overdue = r.oldest_overdue;
    }
    return out;
}

Report report(Repo& repo, const BotOptions& opt, Scope scope, const Period& period, TimePoint now) {
    Report out;
    out.period = period;
    People who(repo, scope);

    std::unordered_map<std::int64_t, std::size_t> row;  // user id -> position in out.reps
    auto rep_row = [&](UserId id) -> RepReport* {
        if (auto it = row.find(id.value); it != row.end()) return &out.reps[it->second];
        const User* u = who.find(repo, id);
        if (!u) return nullptr;
        row.emplace(id.value, out.reps.size());
        out.reps.push_back(RepReport{id, name_of(*u), {}, 0});
        return &out.reps.back();
    };
    for (const auto& [id, u] : who.by_id)
        if (u.role == Role::rep) rep_row(u.id);

    for_timeliness(repo, opt, scope, period.from, period.to, now, who, out.escalated,
                   [&](UserId rep, const Timeliness& add) {
                       out.total += add;
                       if (RepReport* r = rep_row(rep)) r->timeliness += add;
                   });

    for (const auto& [rep, n] : repo.report_interactions_per_rep(scope.team, period.from, period.to))
        if (RepReport* r = rep_row(rep)) r->interactions = n;
    for (const auto& c : repo.report_changes(scope.team, period.from, period.to))
        if (RepReport* r = rep_row(c.rep)) {
            r->snoozes = c.snoozes;
            r->reschedules = c.reschedules;
        }
    sort_by_name(out.reps);

    // Outcomes: each combination of result codes counts once for each code in it.
    std::int64_t sat_sum = 0;
    for (const auto& g : repo.report_results(scope.team, period.from, period.to)) {
        for (const auto& code : g.results) out.outcomes[code] += g.interactions;
        sat_sum += g.satisfaction_sum;
        out.satisfaction_count += g.satisfaction_count;
    }
    if (out.satisfaction_count > 0) out.satisfaction_avg = static_cast<double>(sat_sum) / out.satisfaction_count;

    // Conversion: each customer counts once per tier and once per stage its
    // interactions recorded, as won in all of them when won in the period.
    std::map<std::string, Conversion> tiers, stages;
    const auto rows = repo.report_conversion(scope.team, period.from, period.to);
    std::vector<const std::string*> seen;
    for (std::size_t b = 0, e = 0; b < rows.size(); b = e) {
        bool won = false;
        for (e = b; e < rows.size() && rows[e].customer == rows[b].customer; ++e) won = won || rows[e].won;
        const auto count = [&](std::map<std::string, Conversion>& by, const std::string Repo::ReportConversion::*key) {
            seen.clear();
            for (std::size_t n = b; n < e; ++n) {
                const std::string& k = rows[n].*key;
                if (std::find_if(seen.begin(), seen.end(), [&](const std::string* s) { return *s == k; }) != seen.end())
                    continue;
                seen.push_back(&k);
                Conversion& c = by[k];
                c.key = k;
                c.contacted += 1;
                c.won += won ? 1 : 0;
            }
        };
        count(tiers, &Repo::ReportConversion::tier);
        count(stages, &Repo::ReportConversion::stage);
    }
    for (Tier tier : {Tier::a, Tier::b, Tier::c}) {
        const std::string key(code(tier));
        auto it = tiers.find(key);
        out.by_tier.push_back(it != tiers.end() ? it->second : Conversion{key, 0, 0});
    }
    for (Stage stage :
         {Stage::lead, Stage::new_customer, Stage::active, Stage::silent, Stage::churn_risk, Stage::won, Stage::lost})
        if (auto it = stages.find(std::string(code(stage))); it != stages.end()) out.by_stage.push_back(it->second);

    const auto open_now = repo.report_open_now(scope.team, now);
    out.overdue_now = open_now.overdue;
    out.complaints_open = open_now.complaints;

    const auto pool = repo.report_pool(scope.team, period.from, period.to);
    out.pool = PoolMoves{pool.reclaimed, pool.released, pool.claimed, pool.assigned};
    return out;
}

Dashboard dashboard(Repo& repo, const BotOptions& opt, Scope scope, const Period& period, const date::time_zone* zone,
                    TimePoint now, int weeks) {
    Dashboard out;
    out.report = report(repo, opt, scope, period, now);
    out.status = team_status(repo, scope, zone, now);

    People who(repo, scope);
    std::unordered_map<std::int64_t, std::size_t> row;  // user id -> position in out.reps
    auto rep_row = [&](UserId id) -> DashboardRep* {
        if (auto it = row.find(id.value); it != row.end()) return &out.reps[it->second];
        const User* u = who.find(repo, id);
        if (!u) return nullptr;
        row.emplace(id.value, out.reps.size());
        DashboardRep r;
        r.rep = id;
        r.name = name_of(*u);
        r.handle = u->handle;
        r.role = u->role;
        r.now.rep = r.period.rep = id;
        r.now.name = r.period.name = r.name;
        r.weeks.resize(static_cast<std::size_t>(std::max(weeks, 0)));
        out.reps.push_back(std::move(r));
        return &out.reps.back();
    };
    for (const auto& s : out.status.reps)
        if (auto* r = rep_row(s.rep)) r->now = s;
    for (const auto& p : out.report.reps)
        if (auto* r = rep_row(p.rep)) r->period = p;

    // Each week as report(week) would count it then: Monday 00:00 to the next
    // Monday, what was due up to now.
    const auto this_monday = monday_of(local_day(zone, now));
    int escalated = 0;  // not shown per week
    for (int n = weeks - 1; n >= 0; --n) {
        const auto monday = this_monday - date::days{7 * n};
        const auto slot = out.weeks.size();
        out.weeks.push_back(monday);
        out.week_totals.emplace_back();
        for_timeliness(repo, opt, scope, local_midnight(zone, monday), local_midnight(zone, monday + date::days{7}),
                       now, who, escalated, [&](UserId rep, const Timeliness& add) {
                           out.week_totals[slot] += add;
                           if (auto* r = rep_row(rep)) r->weeks[slot] += add;
                       });
    }
    sort_by_name(out.reps);
    return out;
}

std::vector<OverdueItem> overdue(Repo& repo, Scope scope, std::optional<UserId> rep, TimePoint now) {
    std::vector<TeamId> teams;
    if (scope.team)
        teams.push_back(*scope.team);
    else
        for (const auto& team : repo.teams()) teams.push_back(team.id);
    std::vector<OverdueItem> out;
    People who(repo, scope);
    std::unordered_map<std::int64_t, std::string> customers;
    for (const TeamId team : teams)
        for (auto& task : repo.open_tasks_for_team(team, now)) {
            if (rep && task.assignee != *rep) continue;
            OverdueItem item;
            auto [it, fresh] = customers.try_emplace(task.customer.value);
            if (fresh) {
                const auto cu = repo.customer(task.customer);
                it->second = cu ? cu->name : "?";
            }
            item.customer = it->second;
            const User* u = who.find(repo, task.assignee);
            item.rep = u ? name_of(*u) : "?";
            item.task = std::move(task);
            out.push_back(std::move(item));
        }
    std::stable_sort(out.begin(), out.end(),
                     [](const OverdueItem& a, const OverdueItem& b) { return a.task.due < b.task.due; });
    return out;
}

}  // namespace fu::reports
