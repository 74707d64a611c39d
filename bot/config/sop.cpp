// The sop section: the follow-up SOP's numbers (core/sop.hpp). teams[i].sop
// may override any of them for one team, read with the same sop_key.
#include <stdexcept>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "config/sections.hpp"

namespace fu::config {

using nlohmann::json;

namespace {

constexpr std::string_view kExpDays = "an integer 1..3650 (days)";
constexpr std::string_view kExpHours = "an integer 1..240 (working hours)";
constexpr std::string_view kExpRevisits =
    "a list of up to 12 strictly increasing integers 1..3650 (days after the deal), such as [7, 14, 30, 90]";
constexpr std::size_t kMaxRevisits = 12;

}  // namespace

SectionSpec sop_section() {
    return {
        "sop",
        {{"lead_first_response_hours", Kind::integer, 1, 240, kExpHours},
         {"lead_days", Kind::integer, 1, 3650, kExpDays},
         {"new_customer_revisit_days", Kind::day_list, 1, 3650, kExpRevisits},
         {"tier_a_days", Kind::integer, 1, 3650, kExpDays},
         {"tier_b_days", Kind::integer, 1, 3650, kExpDays},
         {"tier_c_days", Kind::integer, 1, 3650, kExpDays},
         {"silent_days", Kind::integer, 1, 3650, kExpDays},
         {"churn_risk_days", Kind::integer, 1, 3650, kExpDays},
         {"low_satisfaction", Kind::integer, 0, 5, "an integer 0..5 (a satisfaction score; 0: no score tightens)"},
         {"tighten_percent", Kind::integer, 1, 100, "an integer 1..100 (percent of the normal interval)"},
         {"second_reminder_working_hours", Kind::integer, 1, 240, kExpHours},
         {"escalate_working_days", Kind::integer, 1, 60, "an integer 1..60 (working days)"},
         {"reclaim_days", Kind::integer, 1, 365, "an integer 1..365 (days)"},
         {"claim_daily_quota", Kind::integer, 0, 1000, "an integer 0..1000 (claims per rep per day; 0: none)"},
         {"complaint_window_hours", Kind::integer, 1, 720, "an integer 1..720 (hours to resolve a complaint on time)"},
         {"reclaim_cooldown_days", Kind::integer, 1, 3650, kExpDays},
         {"daily_digest", Kind::boolean, 0, 0, kExpBool},
         {"weekly_report", Kind::boolean, 0, 0, kExpBool}}};
}

// sop.* and teams[i].sop.*: one SOP rule, validated against the sop section's spec.
void sop_key(SopRules& r, const Checker& ck, std::string_view k, const json& v, const std::string& path,
             const KeySpec& ks) {
    const auto exp = ks.expected;
    if (ks.kind == Kind::day_list) {
        r.new_customer_revisit_days = ck.day_list(v, path, ks.lo, ks.hi, kMaxRevisits, exp);
        return;
    }
    if (ks.kind == Kind::boolean) {
        const bool b = ck.boolean(v, path, exp);
        if (k == "daily_digest")
            r.daily_digest = b;
        else if (k == "weekly_report")
            r.weekly_report = b;
        else
            throw std::logic_error("config: unhandled key " + path);
        return;
    }
    static constexpr std::pair<std::string_view, int SopRules::*> kInts[] = {
        {"lead_first_response_hours", &SopRules::lead_first_response_hours},
        {"lead_days", &SopRules::lead_days},
        {"tier_a_days", &SopRules::tier_a_days},
        {"tier_b_days", &SopRules::tier_b_days},
        {"tier_c_days", &SopRules::tier_c_days},
        {"silent_days", &SopRules::silent_days},
        {"churn_risk_days", &SopRules::churn_risk_days},
        {"low_satisfaction", &SopRules::low_satisfaction},
        {"tighten_percent", &SopRules::tighten_percent},
        {"second_reminder_working_hours", &SopRules::second_reminder_working_hours},
        {"escalate_working_days", &SopRules::escalate_working_days},
        {"reclaim_days", &SopRules::reclaim_days},
        {"claim_daily_quota", &SopRules::claim_daily_quota},
        {"complaint_window_hours", &SopRules::complaint_window_hours},
        {"reclaim_cooldown_days", &SopRules::reclaim_cooldown_days},
    };
    for (const auto& [key, field] : kInts) {
        if (key == k) {
            r.*field = static_cast<int>(ck.integer(v, path, ks.lo, ks.hi, exp));
            return;
        }
    }
    throw std::logic_error("config: unhandled key " + path);
}

}  // namespace fu::config
