// Cadence (跟进频率): every open customer always has a next follow-up, at the
// interval its tier and stage call for, tightened after a complaint or a low
// satisfaction score; and the working-time questions the SOP asks.
#include <date/tz.h>

#include <algorithm>

#include "core/bot_internal.hpp"
#include "core/topics.hpp"

namespace fu::detail {
namespace {

constexpr std::chrono::hours kDay{24};

bool has_result(const Interaction& in, std::string_view code) {
    return std::find(in.results.begin(), in.results.end(), code) != in.results.end();
}

// When the customer was won: the newest interaction with "won", else when it
// became a customer in our records.
TimePoint deal_time(Repo& repo, const Customer& c) {
    for (const auto& in : repo.interactions_for_customer(c.id, 200))
        if (has_result(in, "won")) return in.at;
    return c.created_at;
}

// A complaint still open, or the latest outcome was a complaint or a low score.
bool needs_tightening(Repo& repo, const SopRules& rules, const Customer& c) {
    for (const auto& t : repo.open_tasks_for_customer(c.id))
        if (t.origin == Origin::complaint) return true;
    const auto last = repo.interactions_for_customer(c.id, 1);
    if (last.empty()) return false;
    const auto& in = last.front();
    return has_result(in, "complaint") || (in.satisfaction && *in.satisfaction <= rules.low_satisfaction);
}

}  // namespace

const SopRules& rules_for(const BotOptions& opt, std::optional<TeamId> team) {
    if (team)
        if (auto it = opt.team_sop.find(*team); it != opt.team_sop.end()) return it->second;
    return opt.sop;
}

WorkCalendar calendar_of(const BotOptions& opt, const User& u) {
    return WorkCalendar(
        WorkSchedule{render::zone_of(u), u.work_start_minute, u.work_end_minute, u.work_days, &opt.holidays});
}

bool urgent(const Task& t) { return t.origin == Origin::complaint; }

bool is_closed(const Customer& c) { return c.stage == Stage::won || c.stage == Stage::lost; }

std::optional<CadenceChoice> cadence_next(Repo& repo, const BotOptions& opt, const Customer& c, const User& assignee,
                                          TimePoint now, bool intake) {
    if (is_closed(c)) return std::nullopt;
    const SopRules& rules = rules_for(opt, assignee.team);
    const WorkCalendar cal = calendar_of(opt, assignee);
    // The reason is stored as a code and worded for whoever reads it (core/topics.hpp).
    auto choice = [](TimePoint due, std::string code) {
        return CadenceChoice{due, topics::text(code, Lang::en), topics::text(code, Lang::zh), code};
    };

    if (intake && c.stage == Stage::lead) {
        const auto hours = rules.lead_first_response_hours;
        return choice(cal.add_working(now, std::chrono::hours(hours)), topics::first_response(hours));
    }

    int days = 0;
    std::string code;
    switch (c.stage) {
        case Stage::lead:
            days = rules.lead_days;
            code = topics::lead(days);
            break;
        case Stage::new_customer: {
            // Revisits after the deal (成交后回访): the first offset still ahead.
            const TimePoint deal = deal_time(repo, c);
            for (const int offset : rules.new_customer_revisit_days) {
                const TimePoint at = deal + offset * kDay;
                if (at > now) return choice(cal.next_working_moment(at), topics::revisit(offset));
            }
            [[fallthrough]];  // revisits over: an active customer of its tier
        }
        case Stage::active:
            days = c.tier == Tier::a ? rules.tier_a_days : c.tier == Tier::b ? rules.tier_b_days : rules.tier_c_days;
            code = topics::tier(c.tier, days);
            break;
        case Stage::silent:
            days = rules.silent_days;
            code = topics::silent(days);
            break;
        case Stage::churn_risk:
            days = rules.churn_risk_days;
            code = topics::churn_risk(days);
            break;
        case Stage::won:
        case Stage::lost: return std::nullopt;
    }
    if (needs_tightening(repo, rules, c)) {
        days = std::max(1, days * rules.tighten_percent / 100);
        code = topics::tightened(code, days);
    }
    return choice(cal.next_working_moment(now + days * kDay), code);
}

std::optional<Task> ensure_next_step(Ctx& ctx, const Customer& c, bool intake) {
    auto s = session(ctx);
    return uc::ensure_next_step(s, c, intake);
}

std::string cadence_line(const Ctx& ctx, const Task& t, const CadenceChoice& why) {
    return ctx.t(
        "\n➡️ Next follow-up #" + std::to_string(t.id.value) + ": " + ctx.when(t.due) + " (" + why.why_en + ")",
        "\n➡️ 下次跟进 #" + std::to_string(t.id.value) + "：" + ctx.when(t.due) + "（" + why.why_zh + "）");
}

std::vector<TaskId> cancel_open_tasks(Repo& repo, CustomerId id) {
    std::vector<TaskId> out;
    for (auto t : repo.open_tasks_for_customer(id)) {
        t.status = TaskStatus::cancelled;
        t.remind_at.reset();
        repo.update_task(t);
        out.push_back(t.id);
    }
    refresh_next_followup(repo, id);
    return out;
}

std::vector<User> managers_of(Repo& repo, const User& u) {
    std::vector<User> out;
    if (!u.team) return out;
    for (auto& m : repo.team_members(*u.team))
        if (m.role == Role::manager && m.id != u.id) out.push_back(std::move(m));
    return out;
}

std::string non_working_note(const Ctx& ctx, TimePoint due) {
    const WorkCalendar cal = calendar_of(ctx.opt, ctx.me);
    const auto day = cal.local_date(due);
    if (cal.is_working_day(day)) {
        if (const auto* h = cal.holiday(due); h && h->kind == HolidayCalendar::Kind::work)
            return ctx.t("\n📅 Note: that day is a make-up workday (" + h->name + ").",
                         "\n📅 注意：当天是调休上班日（" + h->name + "）。");
        return {};
    }
    if (const auto* h = cal.holiday(due); h && h->kind == HolidayCalendar::Kind::off)
        return ctx.t("\n⚠️ That day is a public holiday (" + h->name + "), not a working day for you.",
                     "\n⚠️ 当天是法定节假日（" + h->name + "），不是你的工作日。");
    return ctx.t("\n⚠️ That day is not one of your working days.", "\n⚠️ 当天不是你的工作日。");
}

}  // namespace fu::detail
