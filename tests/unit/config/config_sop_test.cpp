// The follow-up SOP's keys, globally and per team, and the holiday calendar.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_kit.hpp"

// ---- sop -------------------------------------------------------------------------------

namespace {

// Every field of the rules, for comparisons with a readable difference.
std::string describe(const fu::SopRules& r) {
    std::ostringstream out;
    out << "lead_first_response_hours=" << r.lead_first_response_hours << " lead_days=" << r.lead_days
        << " new_customer_revisit_days=[";
    for (int d : r.new_customer_revisit_days) out << d << ",";
    out << "] tier_a_days=" << r.tier_a_days << " tier_b_days=" << r.tier_b_days << " tier_c_days=" << r.tier_c_days
        << " silent_days=" << r.silent_days << " churn_risk_days=" << r.churn_risk_days
        << " low_satisfaction=" << r.low_satisfaction << " tighten_percent=" << r.tighten_percent
        << " second_reminder_working_hours=" << r.second_reminder_working_hours
        << " escalate_working_days=" << r.escalate_working_days << " reclaim_days=" << r.reclaim_days
        << " claim_daily_quota=" << r.claim_daily_quota << " reclaim_cooldown_days=" << r.reclaim_cooldown_days
        << " daily_digest=" << r.daily_digest << " weekly_report=" << r.weekly_report;
    return out.str();
}

const char* kAllSopKeys = R"({"lead_first_response_hours": 3, "lead_days": 4, "new_customer_revisit_days": [5, 15, 45],
    "tier_a_days": 6, "tier_b_days": 12, "tier_c_days": 40, "silent_days": 60, "churn_risk_days": 3,
    "low_satisfaction": 3, "tighten_percent": 25, "second_reminder_working_hours": 8, "escalate_working_days": 2,
    "reclaim_days": 10, "claim_daily_quota": 0, "reclaim_cooldown_days": 14, "daily_digest": false,
    "weekly_report": false})";

void expect_all_sop_keys(const fu::SopRules& r) {
    EXPECT_EQ(r.lead_first_response_hours, 3);
    EXPECT_EQ(r.lead_days, 4);
    EXPECT_EQ(r.new_customer_revisit_days, (std::vector<int>{5, 15, 45}));
    EXPECT_EQ(r.tier_a_days, 6);
    EXPECT_EQ(r.tier_b_days, 12);
    EXPECT_EQ(r.tier_c_days, 40);
    EXPECT_EQ(r.silent_days, 60);
    EXPECT_EQ(r.churn_risk_days, 3);
    EXPECT_EQ(r.low_satisfaction, 3);
    EXPECT_EQ(r.tighten_percent, 25);
    EXPECT_EQ(r.second_reminder_working_hours, 8);
    EXPECT_EQ(r.escalate_working_days, 2);
    EXPECT_EQ(r.reclaim_days, 10);
    EXPECT_EQ(r.claim_daily_quota, 0);
    EXPECT_EQ(r.reclaim_cooldown_days, 14);
    EXPECT_FALSE(r.daily_digest);
    EXPECT_FALSE(r.weekly_report);
}

std::string sop(const std::string& key, const std::string& value) {
    return R"({"sop": {")" + key + "\": " + value + "}}";
}

}  // namespace

TEST(ConfigSop, DefaultsAreTheShippedRules) {
    const fu::SopRules shipped;
    EXPECT_EQ(describe(load("{}").sop), describe(shipped));
    EXPECT_EQ(describe(load(R"({"sop": {}})").sop), describe(shipped));
    EXPECT_TRUE(load("{}").team_sop.empty());
}

TEST(ConfigSop, EveryKeyIsRead) {
    const Config c = load(std::string(R"({"sop": )") + kAllSopKeys + "}");
    expect_all_sop_keys(c.sop);
    EXPECT_NE(describe(c.sop), describe(fu::SopRules{}));
}

TEST(ConfigSop, BoundsAreAccepted) {
    struct Edge {
        const char* key;
        int lo, hi;
        int fu::SopRules::*field;
    };
    const Edge edges[] = {
        {"lead_first_response_hours", 1, 240, &fu::SopRules::lead_first_response_hours},
        {"lead_days", 1, 3650, &fu::SopRules::lead_days},
        {"tier_a_days", 1, 3650, &fu::SopRules::tier_a_days},
        {"tier_b_days", 1, 3650, &fu::SopRules::tier_b_days},
        {"tier_c_days", 1, 3650, &fu::SopRules::tier_c_days},
        {"silent_days", 1, 3650, &fu::SopRules::silent_days},
        {"churn_risk_days", 1, 3650, &fu::SopRules::churn_risk_days},
        {"low_satisfaction", 0, 5, &fu::SopRules::low_satisfaction},
        {"tighten_percent", 1, 100, &fu::SopRules::tighten_percent},
        {"second_reminder_working_hours", 1, 240, &fu::SopRules::second_reminder_working_hours},
        {"escalate_working_days", 1, 60, &fu::SopRules::escalate_working_days},
        {"reclaim_days", 1, 365, &fu::SopRules::reclaim_days},
        {"claim_daily_quota", 0, 1000, &fu::SopRules::claim_daily_quota},
        {"reclaim_cooldown_days", 1, 3650, &fu::SopRules::reclaim_cooldown_days},
    };
    for (const auto& e : edges) {
        EXPECT_EQ(load(sop(e.key, std::to_string(e.lo))).sop.*e.field, e.lo) << e.key;
        EXPECT_EQ(load(sop(e.key, std::to_string(e.hi))).sop.*e.field, e.hi) << e.key;
        const std::string range = std::to_string(e.lo) + ".." + std::to_string(e.hi);
        for (int bad : {e.lo - 1, e.hi + 1}) {
            auto err = error_of(sop(e.key, std::to_string(bad)));
            EXPECT_EQ(err.key(), std::string("sop.") + e.key) << bad;
            EXPECT_EQ(err.value(), std::to_string(bad)) << e.key;
            EXPECT_THAT(err.expected(), HasSubstr(range)) << e.key;
        }
        EXPECT_CONFIG_ERROR(sop(e.key, "\"7\""), std::string("sop.") + e.key, range);
        EXPECT_CONFIG_ERROR(sop(e.key, "2.5"), std::string("sop.") + e.key, range);
        EXPECT_CONFIG_ERROR(sop(e.key, "true"), std::string("sop.") + e.key, range);
    }
}

TEST(ConfigSop, Booleans) {
    EXPECT_FALSE(load(sop("daily_digest", "false")).sop.daily_digest);
    EXPECT_TRUE(load(sop("daily_digest", "false")).sop.weekly_report);
    EXPECT_FALSE(load(sop("weekly_report", "false")).sop.weekly_report);
    EXPECT_TRUE(load(sop("weekly_report", "false")).sop.daily_digest);
    EXPECT_CONFIG_ERROR(sop("daily_digest", "1"), "sop.daily_digest", "true or false");
    EXPECT_CONFIG_ERROR(sop("weekly_report", "\"no\""), "sop.weekly_report", "true or false");
}

TEST(ConfigSop, RevisitDays) {
    EXPECT_TRUE(load(sop("new_customer_revisit_days", "[]")).sop.new_customer_revisit_days.empty());
    EXPECT_EQ(load(sop("new_customer_revisit_days", "[1, 3650]")).sop.new_customer_revisit_days,
              (std::vector<int>{1, 3650}));
    EXPECT_EQ(
        load(sop("new_customer_revisit_days", "[1,2,3,4,5,6,7,8,9,10,11,12]")).sop.new_customer_revisit_days.size(),
        12u);
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "7"), "sop.new_customer_revisit_days", "a list of up to 12");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "{}"), "sop.new_customer_revisit_days", "a list");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "[7, 14, 14]"), "sop.new_customer_revisit_days[2]",
                        "14 is not greater than the item before it, 14");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "[7, 30, 14]"), "sop.new_customer_revisit_days[2]",
                        "strictly increasing");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "[0, 7]"), "sop.new_customer_revisit_days[0]", "1..3650");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "[7, 3651]"), "sop.new_customer_revisit_days[1]", "1..3650");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "[7, \"14\"]"), "sop.new_customer_revisit_days[1]", "1..3650");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "[7, 14.5]"), "sop.new_customer_revisit_days[1]", "1..3650");
    EXPECT_CONFIG_ERROR(sop("new_customer_revisit_days", "[1,2,3,4,5,6,7,8,9,10,11,12,13]"),
                        "sop.new_customer_revisit_days[12]", "at most 12");
    auto e = error_of(sop("new_customer_revisit_days", "[7, 14, 14]"));
    EXPECT_EQ(e.value(), "14");
}

TEST(ConfigSop, UnknownKeysAndShape) {
    auto e = error_of(sop("tier_d_days", "7"));
    EXPECT_EQ(e.key(), "sop.tier_d_days");
    EXPECT_THAT(e.expected(),
                HasSubstr("lead_first_response_hours, lead_days, new_customer_revisit_days, tier_a_days"));
    EXPECT_THAT(e.expected(), HasSubstr("daily_digest, weekly_report"));
    EXPECT_CONFIG_ERROR(R"({"sop": 7})", "sop", "an object with the keys lead_first_response_hours");
    EXPECT_CONFIG_ERROR(R"({"sop": {"tier_a_days": 1, "tier_a_days": 2}})", "(file)",
                        "\"sop.tier_a_days\" appears twice");
}

TEST(ConfigSop, EnvOverrides) {
    const Config c = load(R"({"sop": {"tier_a_days": 5, "tier_b_days": 9}})",
                          {{"FOLLOWUPD_SOP_TIER_A_DAYS", "10"},
                           {"FOLLOWUPD_SOP_DAILY_DIGEST", "off"},
                           {"FOLLOWUPD_SOP_SECOND_REMINDER_WORKING_HOURS", "6"}});
    EXPECT_EQ(c.sop.tier_a_days, 10);
    EXPECT_EQ(c.sop.tier_b_days, 9);  // the file's, not overridden
    EXPECT_FALSE(c.sop.daily_digest);
    EXPECT_EQ(c.sop.second_reminder_working_hours, 6);
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_SOP_TIER_A_DAYS", "0"}}), "FOLLOWUPD_SOP_TIER_A_DAYS", "1..3650");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_SOP_RECLAIM_DAYS", "ten"}}), "FOLLOWUPD_SOP_RECLAIM_DAYS", "1..365");
    EXPECT_ENV_ERROR("{}", (Env{{"FOLLOWUPD_SOP_WEEKLY_REPORT", "2"}}), "FOLLOWUPD_SOP_WEEKLY_REPORT", "true or false");
    // The list is set in the file only: its variable is refused by adapters::validate_all
    // (tests/unit/adapters/platform_config_test.cpp).
}

// ---- teams: per-team sop ----------------------------------------------------------------

TEST(ConfigTeamSop, StringsAndObjectsMix) {
    const Config c =
        load(R"({"teams": ["East Sales", {"name": "West Sales"}, {"name": "KA", "sop": {"tier_a_days": 3}}],
        "users": [{"handle": "a", "team": "West Sales"}, {"handle": "b", "team": "KA"}]})");
    EXPECT_EQ(c.teams, (std::vector<std::string>{"East Sales", "West Sales", "KA"}));
    ASSERT_EQ(c.team_sop.size(), 3u);
    EXPECT_EQ(describe(c.team_sop.at("East Sales")), describe(fu::SopRules{}));
    EXPECT_EQ(describe(c.team_sop.at("West Sales")), describe(fu::SopRules{}));
    EXPECT_EQ(c.team_sop.at("KA").tier_a_days, 3);
    EXPECT_EQ(c.sop.tier_a_days, 7);  // the global rules are untouched
    EXPECT_EQ(c.users[1].team, "KA");
}

TEST(ConfigTeamSop, TeamKeysApplyOverTheGlobalSection) {
    const Config c = load(R"({"sop": {"tier_a_days": 10, "tier_b_days": 20, "new_customer_revisit_days": [3, 9],
                                      "weekly_report": false},
        "teams": [{"name": "KA", "sop": {"tier_b_days": 5, "new_customer_revisit_days": [1], "daily_digest": false}},
                  "East Sales"]})");
    const auto& ka = c.team_sop.at("KA");
    EXPECT_EQ(ka.tier_b_days, 5);                                  // the team's
    EXPECT_EQ(ka.tier_a_days, 10);                                 // the global section's, not the built-in 7
    EXPECT_EQ(ka.new_customer_revisit_days, std::vector<int>{1});  // a list is replaced whole
    EXPECT_FALSE(ka.daily_digest);
    EXPECT_FALSE(ka.weekly_report);  // global
    EXPECT_EQ(ka.tier_c_days, 30);   // built-in: set nowhere
    EXPECT_EQ(describe(c.team_sop.at("East Sales")), describe(c.sop));
    EXPECT_EQ(c.sop.tier_b_days, 20);
    EXPECT_TRUE(c.sop.daily_digest);
}

TEST(ConfigTeamSop, EveryKeyInATeam) {
    const Config c = load(std::string(R"({"teams": [{"name": "KA", "sop": )") + kAllSopKeys + "}]}");
    expect_all_sop_keys(c.team_sop.at("KA"));
    EXPECT_EQ(describe(c.sop), describe(fu::SopRules{}));
}

TEST(ConfigTeamSop, EnvOverrideReachesTeams) {
    const Config c = load(R"({"sop": {"tier_a_days": 5},
        "teams": [{"name": "KA", "sop": {"tier_b_days": 4}}, {"name": "Own", "sop": {"tier_a_days": 2}}]})",
                          {{"FOLLOWUPD_SOP_TIER_A_DAYS", "12"}});
    EXPECT_EQ(c.team_sop.at("KA").tier_a_days, 12);
    EXPECT_EQ(c.team_sop.at("KA").tier_b_days, 4);
    EXPECT_EQ(c.team_sop.at("Own").tier_a_days, 2);  // a team's own key wins
}

TEST(ConfigTeamSop, Errors) {
    EXPECT_CONFIG_ERROR(R"({"teams": ["East Sales", {"name": "KA", "sop": {"tier_b_days": 0}}]})",
                        "teams[1].sop.tier_b_days", "1..3650");
    EXPECT_CONFIG_ERROR(R"({"teams": ["East Sales", {"name": "KA", "sop": {"reclaim_days": 366}}]})",
                        "teams[1].sop.reclaim_days", "1..365");
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": "KA", "sop": {"weekly_report": "yes"}}]})", "teams[0].sop.weekly_report",
                        "true or false");
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": "KA", "sop": {"new_customer_revisit_days": [7, 14, 14]}}]})",
                        "teams[0].sop.new_customer_revisit_days[2]", "strictly increasing");
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": "KA", "sop": {"tier_d_days": 1}}]})", "teams[0].sop.tier_d_days",
                        "lead_first_response_hours, lead_days");
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": "KA", "sop": [1]}]})", "teams[0].sop",
                        "an object with some of the keys");
    EXPECT_CONFIG_ERROR(R"({"teams": ["A", {"name": "KA", "color": "red"}]})", "teams[1].color",
                        "one of the keys name, sop");
    auto e = error_of(R"({"teams": [{"sop": {}}]})");
    EXPECT_EQ(e.key(), "teams[0].name");
    EXPECT_EQ(e.value(), "(missing)");
    EXPECT_THAT(e.expected(), HasSubstr("non-empty team name"));
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": ""}]})", "teams[0].name", "non-empty team name");
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": 7}]})", "teams[0].name", "non-empty team name");
    EXPECT_CONFIG_ERROR(R"({"teams": [true]})", "teams[0]", "or an object such as");
    EXPECT_CONFIG_ERROR(R"({"teams": [["KA"]]})", "teams[0]", "or an object such as");
    // Names stay unique across both forms.
    EXPECT_CONFIG_ERROR(R"({"teams": ["KA", {"name": "ka"}]})", "teams[1].name", "teams[0] is the same");
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": "KA"}, "KA"]})", "teams[1]", "teams[0] is the same");
    EXPECT_CONFIG_ERROR(R"({"teams": [{"name": "KA", "sop": {"tier_a_days": 1}, "sop": {}}]})", "(file)",
                        "\"teams[0].sop\" appears twice");
}

// ---- calendar ----------------------------------------------------------------------------

namespace {

// A holiday file in a fresh temporary directory, removed with the object.
struct TempHolidays {
    std::filesystem::path dir;
    std::string path;
    explicit TempHolidays(const std::string& text) {
        dir = std::filesystem::temp_directory_path() / "fu_config_holidays";
        std::filesystem::create_directories(dir);
        path = (dir / "holidays.txt").string();
        std::ofstream(path) << text;
    }
    ~TempHolidays() { std::filesystem::remove_all(dir); }
};

std::string calendar(const std::string& holidays) {
    return std::string(R"({"calendar": {"holidays": )") + holidays + "}}";
}

std::string json_string(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

TEST(ConfigCalendar, DefaultIsTheBuiltInCalendar) {
    EXPECT_EQ(load("{}").holidays, "cn");
    EXPECT_EQ(load(R"({"calendar": {}})").holidays, "cn");
    EXPECT_EQ(load(calendar("\"cn\"")).holidays, "cn");
    EXPECT_EQ(load(calendar("\"none\"")).holidays, "none");
}

TEST(ConfigCalendar, AFile) {
    TempHolidays file("# test\n2026-01-01..2026-01-03 off 元旦\n\n2026-01-04 work 元旦调休\n");
    EXPECT_EQ(load(calendar(json_string(file.path))).holidays, file.path);
    EXPECT_EQ(load("{}", {{"FOLLOWUPD_CALENDAR_HOLIDAYS", file.path}}).holidays, file.path);
    EXPECT_EQ(load(calendar(json_string(file.path)), {{"FOLLOWUPD_CALENDAR_HOLIDAYS", "none"}}).holidays, "none");
}

TEST(ConfigCalendar, ABrokenFileNamesTheLine) {
    TempHolidays file("# test\n2026-01-01 off 元旦\n2026-02-30 off 不存在\n");
    auto e = error_of(calendar(json_string(file.path)));
    EXPECT_EQ(e.key(), "calendar.holidays");
    EXPECT_EQ(e.value(), file.path);
    EXPECT_THAT(e.expected(), HasSubstr("line 3"));
    EXPECT_THAT(e.what(), HasSubstr("line 3"));
    // From the environment, the error names the variable.
    auto v = error_of("{}", {{"FOLLOWUPD_CALENDAR_HOLIDAYS", file.path}});
    EXPECT_EQ(v.key(), "FOLLOWUPD_CALENDAR_HOLIDAYS");
    EXPECT_THAT(v.expected(), HasSubstr("line 3"));
    // "none" never reads a file, so a bad file given in the config does not matter.
    EXPECT_EQ(load(calendar(json_string(file.path)), {{"FOLLOWUPD_CALENDAR_HOLIDAYS", "none"}}).holidays, "none");
}

TEST(ConfigCalendar, OtherProblems) {
    TempHolidays file("2026-01-01 off\n2026-01-01 work\n");
    EXPECT_CONFIG_ERROR(calendar(json_string(file.path)), "calendar.holidays", "line 2");
    EXPECT_CONFIG_ERROR(calendar(json_string(file.path + ".missing")), "calendar.holidays",
                        "a readable, valid holiday file");
    EXPECT_CONFIG_ERROR(calendar("\"\""), "calendar.holidays", "\"cn\"");
    EXPECT_CONFIG_ERROR(calendar("false"), "calendar.holidays", "\"none\"");
    EXPECT_CONFIG_ERROR(calendar("\"CN\""), "calendar.holidays", "a readable, valid holiday file");
    EXPECT_CONFIG_ERROR(R"({"calendar": {"holiday": "cn"}})", "calendar.holiday", "holidays");
    EXPECT_CONFIG_ERROR(R"({"calendar": "cn"})", "calendar", "an object with the keys holidays");
}
