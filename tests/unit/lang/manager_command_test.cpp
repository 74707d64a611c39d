// The managers' commands: overdue [rep], report [period] and its natural phrases, who,
// audit — every form in both languages, and their errors.
#include <gtest/gtest.h>

#include "command_test_util.hpp"

namespace fu {
namespace {

struct Case {
    const char* line;
    const char* want;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.line; }

class ManagerCommandParse : public ::testing::TestWithParam<Case> {};

TEST_P(ManagerCommandParse, ProducesTheExpectedCommandAndLanguage) {
    EXPECT_EQ(testing::describe(cmd::parse(GetParam().line)), GetParam().want) << GetParam().line;
}

INSTANTIATE_TEST_SUITE_P(Overdue, ManagerCommandParse,
                         ::testing::Values(Case{"overdue", "en: overdue"}, Case{"overdue wang", "en: overdue 'wang'"},
                                           Case{"overdue @wang", "en: overdue 'wang'"},
                                           Case{"Overdue @@Maria", "en: overdue 'Maria'"},
                                           Case{"overdue Wang Wei", "en: overdue 'Wang Wei'"},
                                           Case{"逾期", "zh: overdue"}, Case{"逾期 @wang", "zh: overdue 'wang'"},
                                           Case{"逾期 王伟", "zh: overdue '王伟'"},
                                           Case{"逾期王伟", "zh: overdue '王伟'"},
                                           Case{"/overdue@followup_bot wang", "en: overdue 'wang'"}));

INSTANTIATE_TEST_SUITE_P(
    Report, ManagerCommandParse,
    ::testing::Values(
        Case{"report", "en: report week"}, Case{"report week", "en: report week"},
        Case{"report this week", "en: report week"}, Case{"report month", "en: report month"},
        Case{"report this month", "en: report month"}, Case{"report last week", "en: report last_week"},
        Case{"REPORT Last Month", "en: report last_month"}, Case{"report for last month", "en: report last_month"},
        Case{"report weekly", "en: report week"}, Case{"/report monthly", "en: report month"},
        Case{"timeliness", "en: report week"}, Case{"timeliness rate", "en: report week"},
        Case{"timeliness rate last week", "en: report last_week"}, Case{"weekly report", "en: report week"},
        Case{"monthly report", "en: report month"}, Case{"last week report", "en: report last_week"},
        Case{"last month timeliness", "en: report last_month"}, Case{"报告", "zh: report week"},
        Case{"报告 本周", "zh: report week"}, Case{"报告 本月", "zh: report month"},
        Case{"报告 上周", "zh: report last_week"}, Case{"报告 上月", "zh: report last_month"},
        Case{"报告 上个月", "zh: report last_month"}, Case{"报告上周", "zh: report last_week"},
        Case{"报表 这个月", "zh: report month"}, Case{"周报", "zh: report week"}, Case{"月报", "zh: report month"},
        Case{"周报 上周", "zh: report last_week"}, Case{"月报 上月", "zh: report last_month"},
        Case{"及时率", "zh: report week"}, Case{"跟进及时率", "zh: report week"},
        Case{"跟进及时率 上月", "zh: report last_month"}, Case{"本周跟进及时率", "zh: report week"},
        Case{"上周跟进及时率", "zh: report last_week"}, Case{"本月的跟进及时率", "zh: report month"},
        Case{"本月报告", "zh: report month"}, Case{"上周报告", "zh: report last_week"},
        Case{"上个月报告", "zh: report last_month"}, Case{"本周 及时率", "zh: report week"},
        Case{"上周周报", "zh: report last_week"}, Case{"report 上周", "en: report last_week"},
        Case{"报告 last month", "zh: report last_month"}, Case{"报告 上周的", "zh: report last_week"}));

INSTANTIATE_TEST_SUITE_P(Who, ManagerCommandParse,
                         ::testing::Values(Case{"who Acme", "en: who 'Acme'"}, Case{"who c12", "en: who #12"},
                                           Case{"who \"Acme Corp\"", "en: who 'Acme Corp'"},
                                           Case{"owner Acme Corp", "en: who 'Acme Corp'"},
                                           Case{"谁负责 华为", "zh: who '华为'"}, Case{"谁负责华为", "zh: who '华为'"},
                                           Case{"负责人 c3", "zh: who #3"}, Case{"whoami", "en: whoami"}));

INSTANTIATE_TEST_SUITE_P(
    Audit, ManagerCommandParse,
    ::testing::Values(Case{"audit", "en: audit 10"}, Case{"audit 20", "en: audit 20"},
                      Case{"audit @wang", "en: audit 10 @wang"}, Case{"audit 5 @wang", "en: audit 5 @wang"},
                      Case{"audit Acme", "en: audit 10 customer='Acme'"},
                      Case{"audit 3 Acme Corp", "en: audit 3 customer='Acme Corp'"},
                      Case{"audit c7", "en: audit 10 customer=#7"}, Case{"audit task:42", "en: audit 10 task=42"},
                      Case{"audit 50 task:#42", "en: audit 50 task=42"}, Case{"audit task 42", "en: audit 10 task=42"},
                      Case{"audit #42", "en: audit 10 task=42"},
                      Case{"audit Taskforce", "en: audit 10 customer='Taskforce'"}, Case{"审计", "zh: audit 10"},
                      Case{"审计 20 @wang", "zh: audit 20 @wang"}, Case{"审计 华为", "zh: audit 10 customer='华为'"},
                      Case{"审计 任务42", "zh: audit 10 task=42"}, Case{"审计 任务:42", "zh: audit 10 task=42"},
                      Case{"审计日志 100", "zh: audit 100"}, Case{"操作日志 @li", "zh: audit 10 @li"}));

struct ErrorCase {
    const char* line;
    const char* en;     // fragment of message.en
    const char* zh;     // fragment of message.zh
    const char* usage;  // fragment of usage.en
    Lang lang;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.line; }

class ManagerCommandError : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ManagerCommandError, ExplainsWhatWasWrongAndShowsTheForm) {
    const auto& c = GetParam();
    auto p = cmd::parse(c.line);
    ASSERT_TRUE(std::holds_alternative<cmd::ParseError>(p.result)) << testing::describe(p);
    const auto& e = std::get<cmd::ParseError>(p.result);
    EXPECT_NE(e.message.en.find(c.en), std::string::npos) << e.message.en;
    EXPECT_NE(e.message.zh.find(c.zh), std::string::npos) << e.message.zh;
    EXPECT_NE(e.usage.en.find(c.usage), std::string::npos) << e.usage.en;
    EXPECT_NE(e.usage.en.find("e.g."), std::string::npos) << e.usage.en;
    EXPECT_NE(e.usage.zh.find("例如"), std::string::npos) << e.usage.zh;
    EXPECT_EQ(p.lang, c.lang);
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ManagerCommandError,
    ::testing::Values(
        ErrorCase{"overdue @", "Missing the rep after '@'", "“@”后面缺少销售", "overdue [rep]", Lang::en},
        ErrorCase{"逾期 @wang 王伟", "'王伟' after the rep was not understood", "销售后面的“王伟”看不懂",
                  "overdue [rep]", Lang::zh},
        ErrorCase{"report yesterday", "Unknown period 'yesterday': use week, month, last week or last month",
                  "不认识的时间段“yesterday”", "report [week|month|last week|last month]", Lang::en},
        ErrorCase{"报告 去年", "Unknown period '去年'", "不认识的时间段“去年”：请用 本周、本月、上周 或 上月",
                  "report [week|month", Lang::zh},
        ErrorCase{"上周报告 本月 上月", "Unknown period", "不认识的时间段", "report [week", Lang::zh},
        ErrorCase{"who", "Missing the customer", "缺少客户", "who <customer>", Lang::en},
        ErrorCase{"谁负责", "Missing the customer", "缺少客户", "who <customer>", Lang::zh},
        ErrorCase{"audit 0", "must be 1 to 100, not 0", "条数应为1到100，而不是0", "audit [n]", Lang::en},
        ErrorCase{"审计 500 @wang", "not 500", "而不是500", "audit [n] [@user|customer|task:N]", Lang::zh},
        ErrorCase{"audit @", "Missing the user after '@'", "“@”后面缺少用户", "audit [n]", Lang::en},
        ErrorCase{"audit @wang 20", "'20' after the user was not understood: write the number first", "先写条数",
                  "audit [n]", Lang::en},
        ErrorCase{"audit task:abc", "must be a number like 42, not 'abc'", "而不是“abc”", "audit [n]", Lang::en},
        ErrorCase{"audit task:0", "no task 0", "没有0号任务", "audit [n]", Lang::en},
        ErrorCase{"audit task:42 Acme", "'Acme' after the task id was not understood", "任务编号后面的“Acme”",
                  "audit [n]", Lang::en}));

TEST(ManagerCommandWords, EachWordNamesItsCommand) {
    const std::pair<const char*, const char*> kWords[] = {
        {"report", "report"},     {"reports", "report"}, {"timeliness", "report"}, {"报告", "report"},
        {"报表", "report"},       {"周报", "report"},    {"月报", "report"},       {"及时率", "report"},
        {"跟进及时率", "report"}, {"who", "who"},        {"owner", "who"},         {"谁负责", "who"},
        {"负责人", "who"},        {"audit", "audit"},    {"审计", "audit"},        {"审计日志", "audit"},
        {"操作日志", "audit"}};
    for (auto [word, canonical] : kWords) {
        EXPECT_EQ(testing::describe(cmd::parse(std::string("help ") + word)),
                  std::string("en: help topic='") + canonical + "'")
            << word;
        EXPECT_FALSE(cmd::help_text(word).en.empty()) << word;
    }
}

TEST(ManagerHelp, ListsTheNewCommandsAndTheirFormsInBothLanguages) {
    const auto all = cmd::help_text();
    for (const char* w : {"overdue @wang", "report last month", "who Acme", "audit 20 @wang"})
        EXPECT_NE(all.en.find(w), std::string::npos) << w;
    for (const char* w : {"逾期 @wang", "报告 上月", "本周跟进及时率", "谁负责 华为", "审计 20 @wang"})
        EXPECT_NE(all.zh.find(w), std::string::npos) << w;
    const auto report = cmd::help_text("周报");
    EXPECT_NE(report.en.find("report [week|month|last week|last month]"), std::string::npos);
    EXPECT_NE(report.en.find("weekly report, monthly report, timeliness"), std::string::npos);
    EXPECT_NE(report.zh.find("报告 [本周|本月|上周|上月]"), std::string::npos);
    EXPECT_NE(report.zh.find("本周跟进及时率"), std::string::npos);
    EXPECT_NE(cmd::help_text("谁负责").zh.find("联系方式只对负责人、其主管和管理员显示"), std::string::npos);
    EXPECT_NE(cmd::help_text("audit").en.find("@user (who did it), a customer"), std::string::npos);
    EXPECT_NE(cmd::help_text("审计").zh.find("审计 [条数] [@用户|客户|task:编号]"), std::string::npos);
    EXPECT_NE(cmd::help_text("overdue").en.find("overdue [rep]"), std::string::npos);
    EXPECT_NE(cmd::help_text("团队").zh.find("本周推迟"), std::string::npos);
}

// Lines that look close to a report phrase but are not one stay what they were.
TEST(ManagerCommandParser, PeriodWordsAloneAreNotCommands) {
    for (const char* line : {"本周", "this week", "weekly", "上周 你好"}) {
        auto p = cmd::parse(line);
        ASSERT_TRUE(std::holds_alternative<cmd::ParseError>(p.result)) << line;
        EXPECT_NE(std::get<cmd::ParseError>(p.result).message.en.find("Unknown command"), std::string::npos) << line;
    }
    EXPECT_EQ(testing::describe(cmd::parse("跟进 华为 明天上午10点 问及时率")),
              "zh: followup '华为' '明天上午10点' - '问及时率'");
}

}  // namespace
}  // namespace fu
