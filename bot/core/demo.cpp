#include "core/demo.hpp"

#include <date/tz.h>

#include "core/render.hpp"

namespace fu {
namespace {

struct DemoCustomer {
    const char* name;
    const char* company;
    const char* phone;
    Tier tier;
    Stage stage;
    std::int64_t value;
    const char* tags;
    int owner;         // index into the reps
    long due_seconds;  // follow-up due relative to now; 0: none
    bool remind;       // false: its reminder went out before (overdue)
    int ladder_step;   // overdue ladder steps already taken
    Method method;
    const char* topic;
};

constexpr long kHour = 3600, kDay = 86400;

const DemoCustomer kCustomers[] = {
    {"华为终端", "华为终端有限公司", "13800138001", Tier::a, Stage::active, 1200000, "制造,VIP", 0, 20, true, 0,
     Method::call, "确认年度框架报价"},
    {"Acme Robotics", "Acme Robotics Inc.", "+1 415 555 0101", Tier::a, Stage::new_customer, 300000, "robotics", 1, 35,
     true, 0, Method::call, "first revisit after the deal"},
    {"星辰科技", "星辰科技股份", "13900139002", Tier::b, Stage::lead, 80000, "SaaS", 0, 50, true, 0, Method::im,
     "发送产品资料，约演示"},
    {"Blue Ocean Foods", "Blue Ocean Foods Ltd", "+44 20 7946 0102", Tier::b, Stage::churn_risk, 150000, "food", 1,
     -3 * kHour, false, 1, Method::visit, "renewal at risk: meet the buyer"},
    {"远航物流", "远航物流集团", "13700137003", Tier::c, Stage::silent, 20000, "物流", 0, -kDay + 45, false, 2,
     Method::call, "沉默客户唤醒"},
    {"Nordic Design", "Nordic Design AB", "+46 8 555 0104", Tier::c, Stage::lead, 15000, "design", 1, 3 * kHour, true,
     0, Method::email, "send the price list"},
    {"金石制药", "金石制药有限公司", "13600136004", Tier::a, Stage::new_customer, 900000, "医药,VIP", 0,
     kDay + 2 * kHour, true, 0, Method::visit, "成交后一周回访"},
    {"Sunrise Hotels", "Sunrise Hotels Group", "+65 6555 0105", Tier::b, Stage::active, 220000, "hospitality", 1,
     3 * kDay, true, 0, Method::call, "quarterly check-in"},
    {"青木教育", "青木教育科技", "13500135005", Tier::c, Stage::active, 40000, "教育", 0, 6 * kDay, true, 0, Method::im,
     "月度回访"},
    {"Greenfield Energy", "Greenfield Energy", "+49 30 555 0106", Tier::b, Stage::lost, 0, "energy", 1, 0, false, 0,
     Method::other, ""},
};

// Last week's follow-ups, done, so a manager's `report last week` has figures
// to show: on time, late, and one snoozed but done before its escalation point.
struct DemoDone {
    int customer;      // index into kCustomers
    int day;           // 0 = last week's Monday
    int due_hour;      // local time
    int done_minutes;  // done this long after due (negative: before)
    bool snoozed;
    const char* results;  // result codes, comma-separated
    int satisfaction;     // 0: none given
    const char* note;
};

const DemoDone kLastWeek[] = {
    {0, 0, 10, -20, false, "reached,interested", 5, "确认了采购流程"},
    {2, 1, 15, 150, false, "no_answer", 0, "未接通，明天再打"},
    {6, 2, 10, 23 * 60 + 30, true, "reached,quote_sent", 4, "已发报价单"},
    {1, 0, 14, -60, false, "reached,won", 5, "signed the order"},
    {7, 2, 11, 0, false, "reached,interested", 4, "wants a demo for the new site"},
    {3, 3, 15, 25 * 60, false, "reached,not_interested", 2, "budget cut, unhappy with delivery times"},
    {5, 4, 10, -60, false, "quote_sent", 0, "price list sent"},
};

// Customers in the public pool (公海), so `pool` and `claim` can be tried: one
// a rep released last week, one the overdue ladder reclaimed.
struct DemoPooled {
    const char* name;
    const char* company;
    const char* phone;
    Tier tier;
    Stage stage;
    int former_owner;  // index into the reps
    bool released;     // true: released by the owner; false: reclaimed as overdue
};

const DemoPooled kPooled[] = {
    {"东方纺织", "东方纺织有限公司", "13300133007", Tier::b, Stage::lead, 0, false},
    {"Pacific Metals", "Pacific Metals Corp", "+61 2 5550 0108", Tier::c, Stage::silent, 1, true},
};

// "a,b,c" -> {"a", "b", "c"}; "" -> {}.
std::vector<std::string> split_list(const char* list) {
    std::vector<std::string> out;
    std::string all = list;
    for (std::size_t start = 0; start < all.size();) {
        auto end = all.find(',', start);
        out.push_back(all.substr(start, end == std::string::npos ? std::string::npos : end - start));
        start = end == std::string::npos ? all.size() : end + 1;
    }
    return out;
}

// A demo customer with no owner yet; the caller adds the rest.
Customer demo_customer(const char* name, const char* company, const char* phone, Tier tier, Stage stage) {
    Customer c;
    c.name = name;
    c.company = company;
    c.phone = phone;
    c.tier = tier;
    c.stage = stage;
    c.source = "demo";
    return c;
}

void audit_seeded(Repo& repo, TimePoint now, const Customer& c) {
    repo.append_audit(AuditEntry{{}, now, std::nullopt, "demo.seed", "customer:" + std::to_string(c.id.value), c.name});
}

// Last week's Monday at 00:00 in `zone`.
TimePoint last_monday(const date::time_zone* zone, TimePoint now) {
    const auto today = date::floor<date::days>(date::zoned_seconds{zone, now}.get_local_time());
    const auto monday = today - (date::weekday{today} - date::Monday) - date::days{7};
    return date::zoned_seconds{zone, date::local_seconds{monday}, date::choose::earliest}.get_sys_time();
}

void seed_last_week(Repo& repo, TimePoint now, const std::vector<User>& reps, const std::vector<CustomerId>& ids) {
    const TimePoint monday = last_monday(render::zone_of(reps.front()), now);
    for (const auto& d : kLastWeek) {
        const DemoCustomer& dc = kCustomers[d.customer];
        const User& rep = reps[std::size_t(dc.owner) % reps.size()];
        auto c = repo.customer(ids[std::size_t(d.customer)]);
        if (!c) continue;
        Task t;
        t.customer = c->id;
        t.assignee = rep.id;
        t.due = monday + std::chrono::hours(24 * d.day + d.due_hour);
        t.method = dc.method;
        t.topic = dc.topic;
        t.origin = Origin::demo;
        t.created_at = t.due - std::chrono::hours(48);
        t.status = TaskStatus::done;
        t.done_at = t.due + std::chrono::minutes(d.done_minutes);
        t.snooze_count = d.snoozed ? 1 : 0;
        t.id = repo.add_task(t);
        if (d.snoozed) {
            const TimePoint at = t.due + std::chrono::minutes(5);
            repo.append_audit(AuditEntry{{},
                                         at,
                                         rep.id,
                                         "task.snooze",
                                         "task:" + std::to_string(t.id.value),
                                         std::to_string(to_unix(at + std::chrono::hours(18)))});
        }
        Interaction in;
        in.customer = c->id;
        in.task = t.id;
        in.user = rep.id;
        in.at = *t.done_at;
        in.method = dc.method;
        in.results = split_list(d.results);
        in.note = d.note;
        if (d.satisfaction > 0) in.satisfaction = d.satisfaction;
        repo.add_interaction(in);
        if (!c->last_contact || *c->last_contact < in.at) {
            c->last_contact = in.at;
            repo.update_customer(*c);
        }
    }
    for (const auto& p : kPooled) {
        const User& former = reps[std::size_t(p.former_owner) % reps.size()];
        Customer c = demo_customer(p.name, p.company, p.phone, p.tier, p.stage);
        c.team = former.team;
        c.created_at = now - std::chrono::hours(24 * 60);
        c.last_contact = now - std::chrono::hours(24 * 20);
        c.id = repo.add_customer(c);
        repo.add_transfer(Transfer{{}, c.id, std::nullopt, former.id, std::nullopt, c.created_at, "created"});
        const TimePoint moved = monday + std::chrono::hours(24 * 3 + 16);
        repo.add_transfer(Transfer{{},
                                   c.id,
                                   former.id,
                                   std::nullopt,
                                   p.released ? std::optional<UserId>(former.id) : std::nullopt,
                                   moved,
                                   p.released ? "no budget this year" : "overdue"});
        audit_seeded(repo, now, c);
    }
}

}  // namespace

int seed_demo(Repo& repo, TimePoint now) {
    if (repo.customer_count() > 0) return 0;
    std::vector<User> reps;
    for (const auto& u : repo.users())
        if (u.role == Role::rep) reps.push_back(u);
    if (reps.empty()) return 0;

    int added = 0;
    std::vector<CustomerId> ids;
    for (const auto& d : kCustomers) {
        const User& owner = reps[std::size_t(d.owner) % reps.size()];
        Customer c = demo_customer(d.name, d.company, d.phone, d.tier, d.stage);
        c.value = d.value;
        c.owner = owner.id;
        c.team = owner.team;
        c.tags = split_list(d.tags);
        c.created_at = now - std::chrono::seconds(30 * kDay);
        c.last_contact = now - std::chrono::seconds(8 * kDay + added * kHour);
        c.id = repo.add_customer(c);
        repo.add_transfer(Transfer{{}, c.id, std::nullopt, owner.id, std::nullopt, c.created_at, "created"});

        Interaction past;
        past.customer = c.id;
        past.user = owner.id;
        past.at = *c.last_contact;
        past.method = Method::call;
        past.results = {"reached"};
        past.note = d.stage == Stage::lost ? "chose a competitor" : "intro call";
        repo.add_interaction(past);

        if (d.due_seconds != 0) {
            Task t;
            t.customer = c.id;
            t.assignee = owner.id;
            t.due = now + std::chrono::seconds(d.due_seconds);
            t.method = d.method;
            t.topic = d.topic;
            t.origin = Origin::demo;
            t.created_at = now - std::chrono::seconds(kDay);
            t.ladder_step = d.ladder_step;
            // Past steps are re-armed by the first tick from the SOP's rules
            // (with the demo's round-the-clock hours, 远航物流's escalation
            // reaches the manager about 45 s after start).
            t.remind_at = d.remind ? t.due : now;
            if (d.stage == Stage::churn_risk) t.priority = Priority::high;
            t.id = repo.add_task(t);
            c.next_followup = t.due;
        }
        repo.update_customer(c);
        audit_seeded(repo, now, c);
        ids.push_back(c.id);
        ++added;
    }
    // After the follow-ups above, so those keep the task ids #1 and #2 the README names.
    seed_last_week(repo, now, reps, ids);
    added += static_cast<int>(std::size(kPooled));
    // The first rep's morning digest, shown ~25 s after start rather than at
    // the next working day's start; later ones follow the usual schedule.
    repo.set_schedule(Schedule{reps.front().id, "digest", now + std::chrono::seconds(25)});
    return added;
}

}  // namespace fu
