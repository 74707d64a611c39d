#pragma once
// The follow-up SOP's numbers: cadence by tier and stage, the overdue ladder,
// the public pool's rules and the digests. Every field is a shipped default
// (DOMAIN.md, "Rules the SOP asks for") that a team may change in config
// (`sop` for everyone, `teams[i].sop` for one team).
#include <vector>

namespace fu {

struct SopRules {
    // ---- cadence (跟进频率): days until the next follow-up after one is logged
    int lead_first_response_hours = 2;  // sop.lead_first_response_hours: working hours after intake
    int lead_days = 3;                  // sop.lead_days: a lead not yet won or lost
    std::vector<int> new_customer_revisit_days = {7, 14, 30, 90};  // sop.new_customer_revisit_days: after the deal
    int tier_a_days = 7;                                           // sop.tier_a_days: VIP/A, active
    int tier_b_days = 14;                                          // sop.tier_b_days
    int tier_c_days = 30;                                          // sop.tier_c_days
    int silent_days = 30;                                          // sop.silent_days: monthly wake-up
    int churn_risk_days = 7;                                       // sop.churn_risk_days: weekly until resolved
    int low_satisfaction = 2;  // sop.low_satisfaction: a score at or below this tightens the cadence
    int tighten_percent =
        50;  // sop.tighten_percent: the interval after a complaint or low score (% of normal, at least 1 day)

    // ---- overdue ladder (逾期升级)
    int second_reminder_working_hours = 4;  // sop.second_reminder_working_hours: after due, still open
    int escalate_working_days = 1;          // sop.escalate_working_days: after due, tell the manager
    int reclaim_days = 7;                   // sop.reclaim_days: after due without any follow-up, back to the pool
    int complaint_window_hours = 24;        // sop.complaint_window_hours: a complaint resolved within it is on time

    // ---- public pool (公海)
    int claim_daily_quota = 5;      // sop.claim_daily_quota: claims per rep per local day
    int reclaim_cooldown_days = 7;  // sop.reclaim_cooldown_days: before a rep may claim back what they released

    // ---- digests
    bool daily_digest = true;   // sop.daily_digest: each rep, at the start of the working day
    bool weekly_report = true;  // sop.weekly_report: each manager, first working morning of the week

    bool operator==(const SopRules&) const = default;
};

}  // namespace fu
