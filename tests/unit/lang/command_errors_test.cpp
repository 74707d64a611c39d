// The command parser's errors: what was wrong, in both languages, with the usage.
#include <gtest/gtest.h>

#include "command_test_util.hpp"

namespace fu {
namespace {

struct ErrorCase {
    const char* line;
    const char* en;     // fragment of message.en
    const char* zh;     // fragment of message.zh
    const char* usage;  // fragment of usage.en ("" : usage must be empty)
    Lang lang;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.line; }

class CommandError : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(CommandError, ExplainsWhatWasWrongInBothLanguages) {
    const auto& c = GetParam();
    auto p = cmd::parse(c.line);
    ASSERT_TRUE(std::holds_alternative<cmd::ParseError>(p.result)) << testing::describe(p);
    const auto& e = std::get<cmd::ParseError>(p.result);
    EXPECT_NE(e.message.en.find(c.en), std::string::npos) << e.message.en;
    EXPECT_NE(e.message.zh.find(c.zh), std::string::npos) << e.message.zh;
    if (*c.usage) {
        EXPECT_NE(e.usage.en.find(c.usage), std::string::npos) << e.usage.en;
        EXPECT_NE(e.usage.en.find("e.g."), std::string::npos) << e.usage.en;
        EXPECT_NE(e.usage.zh.find("例如"), std::string::npos) << e.usage.zh;
    } else {
        EXPECT_TRUE(e.usage.en.empty() && e.usage.zh.empty()) << e.usage.en;
    }
    EXPECT_EQ(p.lang, c.lang);
}

INSTANTIATE_TEST_SUITE_P(
    UnknownCommands, CommandError,
    ::testing::Values(ErrorCase{"tday", "Unknown command 'tday'. Did you mean 'today'? Send 'help' for the list.",
                                "today", "", Lang::en},
                      ErrorCase{"dnoe 42", "Did you mean 'done'?", "“done”", "", Lang::en},
                      ErrorCase{"snoze 4 2h", "Did you mean 'snooze'?", "snooze", "", Lang::en},
                      ErrorCase{"histroy acme", "Did you mean 'history'?", "history", "", Lang::en},
                      ErrorCase{"xyzzy", "Unknown command 'xyzzy'. Send 'help'", "不认识的命令“xyzzy”", "", Lang::en},
                      ErrorCase{"完层 42", "Did you mean '完成'?", "你是想输入“完成”吗", "", Lang::zh},
                      ErrorCase{"statu", "Did you mean 'status'?", "“status”", "", Lang::en},
                      ErrorCase{"statsu", "Did you mean 'status'?", "“status”", "", Lang::en},
                      ErrorCase{"lnik telegram 5 wang", "Did you mean 'link'?", "“link”", "", Lang::en},
                      ErrorCase{"unlnik telegram 5", "Did you mean 'unlink'?", "“unlink”", "", Lang::en},
                      ErrorCase{"状太", "Did you mean '状态'?", "你是想输入“状态”吗", "", Lang::zh},
                      ErrorCase{"关连 飞书 ou_1 wang", "Did you mean '关联'?", "你是想输入“关联”吗", "", Lang::zh},
                      ErrorCase{"你好", "Unknown command '你好'", "不认识的命令“你好”", "", Lang::zh},
                      ErrorCase{"42", "Unknown command '42'", "“42”", "", Lang::en},
                      ErrorCase{"", "Empty message", "消息是空的", "", Lang::en},
                      ErrorCase{"   \u3000 ", "Empty message", "消息是空的", "", Lang::en}));

INSTANTIATE_TEST_SUITE_P(
    BadIds, CommandError,
    ::testing::Values(ErrorCase{"done", "Missing the task id", "缺少任务编号", "done <task id>", Lang::en},
                      ErrorCase{"done abc", "must be a number like 42, not 'abc'", "而不是“abc”", "done <task id>",
                                Lang::en},
                      ErrorCase{"done 42abc reached", "not '42abc'", "“42abc”", "done <task id>", Lang::en},
                      ErrorCase{"done #", "not '#'", "“#”", "done <task id>", Lang::en},
                      ErrorCase{"done 0", "no task 0", "没有0号任务", "done <task id>", Lang::en},
                      ErrorCase{"完成", "Missing the task id", "缺少任务编号", "done <task id>", Lang::zh},
                      ErrorCase{"完成 一", "not '一'", "而不是“一”", "done <task id>", Lang::zh},
                      ErrorCase{"snooze", "Missing the task id", "缺少任务编号", "snooze <task id>", Lang::en},
                      ErrorCase{"snooze x 2h", "not 'x'", "“x”", "snooze <task id>", Lang::en},
                      ErrorCase{"推迟 明天", "not '明天'", "“明天”", "snooze <task id>", Lang::zh}));

INSTANTIATE_TEST_SUITE_P(
    BadTimes, CommandError,
    ::testing::Values(
        // A next-marker with no time after it is note text (see command_parse_test); these are errors
        // because a time does start after the marker.
        ErrorCase{"done 42 next", "Missing the time after 'next'", "后面缺少时间", "done <task id>", Lang::en},
        ErrorCase{"done 42 reached next 25:00",
                  "The time after 'next' was not understood. '25:00' is not a valid time of day: there is no hour 25",
                  "没有25点", "done <task id>", Lang::en},
        ErrorCase{"完成 7 下次2月30日", "month 2 has no day 30", "2月没有30日", "done <task id>", Lang::zh},
        ErrorCase{"完成 7 客户说下次再谈 下次 明天25点", "no hour 25", "“下次”后面的时间看不懂", "done <task id>",
                  Lang::zh},
        // A time after the marker with words left over: says which part was not understood.
        ErrorCase{"done 3 reached next fri blah",
                  "'blah' after the time 'fri' was not understood: write the note before 'next' and only the time",
                  "时间“fri”后面的“blah”看不懂：备注请写在“next”前面", "done <task id>", Lang::en},
        ErrorCase{"done 3 reached next fri 3pm call him", "'call him' after the time 'fri 3pm' was not understood",
                  "时间“fri 3pm”后面的“call him”看不懂", "done <task id>", Lang::en},
        ErrorCase{"done 3 said call next week maybe", "'maybe' after the time 'next week' was not understood",
                  "“maybe”看不懂", "done <task id>", Lang::en},
        ErrorCase{"完成 3 已接通 下次 明天 再说", "'再说' after the time '明天' was not understood",
                  "时间“明天”后面的“再说”看不懂：备注请写在“下次”前面，后面只写时间", "done <task id>", Lang::zh},
        ErrorCase{"完成 3 下一步 周五3点 带样品", "'带样品' after the time '周五3点'",
                  "时间“周五3点”后面的“带样品”看不懂：备注请写在“下一步”前面", "done <task id>", Lang::zh},
        ErrorCase{"log Acme call reached next 2h call him",
                  "'call him' after the time '2h' was not understood: write the note before 'next'", "“call him”看不懂",
                  "log <customer>", Lang::en},
        ErrorCase{"记录 华为 电话 已接通 下次跟进 明天下午3点 带合同", "'带合同' after the time '明天下午3点'",
                  "时间“明天下午3点”后面的“带合同”看不懂：备注请写在“下次跟进”前面", "log <customer>", Lang::zh},
        ErrorCase{"snooze 42", "Missing the time", "缺少推迟到的时间", "snooze <task id>", Lang::en},
        ErrorCase{"snooze 42 for", "Missing the time", "缺少推迟到的时间", "snooze <task id>", Lang::en},
        ErrorCase{"snooze 42 later", "I couldn't read the time 'later'", "看不懂时间“later”", "snooze <task id>",
                  Lang::en},
        ErrorCase{"snooze 42 13pm", "with am/pm the hour is 1–12", "1–12", "snooze <task id>", Lang::en},
        ErrorCase{"推迟 42 明天25点", "no hour 25", "没有25点", "snooze <task id>", Lang::zh},
        ErrorCase{"followup Acme", "Missing the time", "缺少时间", "followup <customer>", Lang::en},
        ErrorCase{"followup Acme call about pricing", "couldn't find a time", "没有找到时间", "followup <customer>",
                  Lang::en},
        ErrorCase{"followup", "Missing the customer and the time", "缺少客户和时间", "followup <customer>", Lang::en},
        ErrorCase{"跟进 华为 改天再说", "couldn't find a time", "没有找到时间", "followup <customer>", Lang::zh},
        // A time word is there but the time cannot be read: said so, with forms that work, never
        // read as a note or as part of the customer's name.
        ErrorCase{"done 3 reached next yesterday",
                  "The time after 'next' was not understood. I couldn't read the time 'yesterday'. Try: in 2h",
                  "“next”后面的时间看不懂。看不懂时间“yesterday”", "done <task id>", Lang::en},
        ErrorCase{"完成 3 已接通 下次 昨天下午", "I couldn't read the time '昨天下午'",
                  "“下次”后面的时间看不懂。看不懂时间“昨天下午”。可以这样写：2小时后", "done <task id>", Lang::zh},
        ErrorCase{"完成 3 已接通 下次 上个月1号", "'上个月1号'", "看不懂时间“上个月1号”", "done <task id>", Lang::zh},
        ErrorCase{"log Acme call reached next last friday", "I couldn't read the time 'last friday'",
                  "看不懂时间“last friday”", "log <customer>", Lang::en},
        ErrorCase{"跟进 宏达机械 上个月1号 打电话", "I couldn't read the time '上个月1号'",
                  "看不懂时间“上个月1号”。可以这样写：2小时后 · 明天上午10点", "followup <customer>", Lang::zh},
        ErrorCase{"跟进 宏达机械上个月1号 打电话", "'上个月1号'", "看不懂时间“上个月1号”", "followup <customer>",
                  Lang::zh},
        ErrorCase{"跟进 宏达机械 上个月 1号 打电话", "'上个月 1号'", "看不懂时间“上个月 1号”", "followup <customer>",
                  Lang::zh},
        ErrorCase{"followup Globex yesterday 3pm call", "I couldn't read the time 'yesterday 3pm'. Try:",
                  "看不懂时间“yesterday 3pm”", "followup <customer>", Lang::en}));

INSTANTIATE_TEST_SUITE_P(
    BadLogs, CommandError,
    ::testing::Values(
        ErrorCase{"log", "Missing the customer and the method", "缺少客户和跟进方式", "log <customer>", Lang::en},
        ErrorCase{"log Acme", "Missing the method", "缺少跟进方式", "log <customer>", Lang::en},
        ErrorCase{"log Acme fax", "Unknown method 'fax'", "不认识的跟进方式“fax”", "log <customer>", Lang::en},
        ErrorCase{"log call reached", "Missing the customer", "缺少客户名称", "log <customer>", Lang::en},
        ErrorCase{"记录 华为 传真", "Unknown method '传真'", "不认识的跟进方式“传真”", "log <customer>", Lang::zh},
        ErrorCase{"记录 电话 已接通", "Missing the customer", "缺少客户名称", "log <customer>", Lang::zh}));

INSTANTIATE_TEST_SUITE_P(
    BadCustomerFields, CommandError,
    ::testing::Values(
        ErrorCase{"customer add", "Missing the customer's name", "缺少客户名称", "customer add <name>", Lang::en},
        ErrorCase{"customer add company=Acme", "Missing the customer's name", "缺少客户名称", "customer add <name>",
                  Lang::en},
        ErrorCase{"customer add Bob color=red", "Unknown field 'color'. Fields: company, phone, email",
                  "不认识的字段“color”", "customer add <name>", Lang::en},
        ErrorCase{"customer add Bob tier=D", "Unknown tier 'D': use A, B, C or VIP", "不认识的等级“D”",
                  "customer add <name>", Lang::en},
        ErrorCase{"customer add Bob stage=hot",
                  "Unknown stage 'hot': use lead, new, active, silent, churn_risk, won or lost", "不认识的阶段“hot”",
                  "customer add <name>", Lang::en},
        ErrorCase{"customer add Bob value=lots", "The value 'lots' is not a whole number", "金额“lots”不是整数",
                  "customer add <name>", Lang::en},
        ErrorCase{"customer add Bob value=1.2345k", "'1.2345k' is not a whole number", "不是整数",
                  "customer add <name>", Lang::en},
        ErrorCase{"customer add Bob email=bob", "doesn't look like an email", "不像是邮箱地址", "customer add <name>",
                  Lang::en},
        ErrorCase{"customer add Bob phone=call me", "doesn't look like a phone number", "不像是电话号码",
                  "customer add <name>", Lang::en},
        ErrorCase{"customer add Bob company=", "The field 'company' has no value", "字段“company”没有填写内容",
                  "customer add <name>", Lang::en},
        ErrorCase{"新客户 张三 爱好=钓鱼", "Unknown field '爱好'", "不认识的字段“爱好”", "customer add <name>",
                  Lang::zh},
        ErrorCase{"新客户 张三 等级=S", "Unknown tier 'S'", "不认识的等级“S”", "customer add <name>", Lang::zh}));

INSTANTIATE_TEST_SUITE_P(
    OtherMissingArguments, CommandError,
    ::testing::Values(
        ErrorCase{"history", "Missing the customer", "缺少客户", "history <customer>", Lang::en},
        ErrorCase{"历史", "Missing the customer", "缺少客户", "history <customer>", Lang::zh},
        ErrorCase{"assign", "Missing the customer and the rep", "缺少客户和销售", "assign <customer> <rep>", Lang::en},
        ErrorCase{"assign Acme", "Missing the rep", "缺少要转给的销售", "assign <customer> <rep>", Lang::en},
        ErrorCase{"assign Acme @", "Missing the rep", "缺少要转给的销售", "assign <customer> <rep>", Lang::en},
        ErrorCase{"转给 华为", "Missing the rep", "缺少要转给的销售", "assign <customer> <rep>", Lang::zh},
        ErrorCase{"lang", "Missing the language", "缺少语言", "lang en|zh", Lang::en},
        ErrorCase{"lang fr", "Unknown language 'fr'", "不支持的语言“fr”", "lang en|zh", Lang::en},
        ErrorCase{"语言 法语", "Unknown language '法语'", "不支持的语言“法语”", "lang en|zh", Lang::zh}));

INSTANTIATE_TEST_SUITE_P(
    BadLinks, CommandError,
    ::testing::Values(
        ErrorCase{"link", "Missing the platform, the platform user id and the user", "缺少平台、平台用户ID和用户",
                  "link <telegram|slack|feishu|dingtalk|wecom> <platform user id> <user> [notify]", Lang::en},
        ErrorCase{"link icq 5 wang", "Unknown platform 'icq': use telegram, slack, feishu, dingtalk or wecom",
                  "不支持的平台“icq”：请用 telegram、slack、飞书、钉钉 或 企业微信", "link <telegram", Lang::en},
        ErrorCase{"link web 5 wang", "Unknown platform 'web'", "不支持的平台“web”", "link <telegram", Lang::en},
        ErrorCase{"link telegram", "Missing the platform user id and the user", "缺少平台用户ID和用户",
                  "link <telegram", Lang::en},
        ErrorCase{"link telegram 555", "Missing the user", "缺少要关联的用户", "link <telegram", Lang::en},
        ErrorCase{"link telegram 555 @", "Missing the user", "缺少要关联的用户", "link <telegram", Lang::en},
        ErrorCase{"link telegram 555 notify", "Missing the user", "缺少要关联的用户", "link <telegram", Lang::en},
        ErrorCase{"link telegram 555 wang please", "'please' after the user was not understood: only 'notify'",
                  "用户后面的“please”看不懂", "link <telegram", Lang::en},
        ErrorCase{"link telegram 555 wang notify now", "'notify now' after the user was not understood", "“notify now”",
                  "link <telegram", Lang::en},
        ErrorCase{"关联", "Missing the platform", "缺少平台、平台用户ID和用户", "link <telegram", Lang::zh},
        ErrorCase{"关联 微博 123 wang", "Unknown platform '微博'", "不支持的平台“微博”", "link <telegram", Lang::zh},
        ErrorCase{"关联 飞书", "Missing the platform user id", "缺少平台用户ID和用户", "link <telegram", Lang::zh},
        ErrorCase{"关联 飞书 ou_1", "Missing the user", "缺少要关联的用户", "link <telegram", Lang::zh},
        ErrorCase{"关联 飞书 ou_1 提醒", "Missing the user", "缺少要关联的用户", "link <telegram", Lang::zh},
        ErrorCase{"unlink", "Missing the platform and the platform user id", "缺少平台和平台用户ID",
                  "unlink <platform> <platform user id>", Lang::en},
        ErrorCase{"unlink irc 5", "Unknown platform 'irc'", "不支持的平台“irc”", "unlink <platform>", Lang::en},
        ErrorCase{"unlink telegram", "Missing the platform user id", "缺少平台用户ID", "unlink <platform>", Lang::en},
        ErrorCase{"unlink telegram 555 wang", "'wang' after the platform user id was not understood",
                  "平台用户ID后面的“wang”看不懂", "unlink <platform>", Lang::en},
        ErrorCase{"取消关联", "Missing the platform and the platform user id", "缺少平台和平台用户ID",
                  "unlink <platform>", Lang::zh},
        ErrorCase{"取消关联 钉钉", "Missing the platform user id", "缺少平台用户ID", "unlink <platform>", Lang::zh}));

INSTANTIATE_TEST_SUITE_P(
    BadSatisfaction, CommandError,
    ::testing::Values(
        ErrorCase{"done 42 sat 6", "Satisfaction must be 1 to 5, not 6.", "满意度应为1到5，而不是6",
                  "done <task id> [result…] [sat 1-5] [note]", Lang::en},
        ErrorCase{"done 42 reached sat=0 next fri", "must be 1 to 5, not 0", "而不是0", "[sat 1-5]", Lang::en},
        ErrorCase{"完成 42 已接通 满意度0分", "must be 1 to 5, not 0", "满意度应为1到5，而不是0", "[sat 1-5]",
                  Lang::zh},
        ErrorCase{"记录 华为 电话 满意度6", "must be 1 to 5, not 6", "而不是6", "log <customer>", Lang::zh},
        ErrorCase{"log Acme call satisfaction 10 great", "must be 1 to 5, not 10", "而不是10", "log <customer>",
                  Lang::en},
        // The score goes before the next-marker: after it, only the time.
        ErrorCase{"done 42 reached next fri sat 4", "'sat 4' after the time 'fri' was not understood", "“sat 4”看不懂",
                  "done <task id>", Lang::en}));

INSTANTIATE_TEST_SUITE_P(
    BadNewCommands, CommandError,
    ::testing::Values(
        ErrorCase{"reschedule", "Missing the task id", "缺少任务编号", "reschedule <task id> <time>", Lang::en},
        ErrorCase{"reschedule abc fri", "must be a number like 42, not 'abc'", "而不是“abc”",
                  "reschedule <task id> <time>", Lang::en},
        ErrorCase{"改期 0 明天", "no task 0", "没有0号任务", "reschedule <task id>", Lang::zh},
        ErrorCase{"reschedule 42", "Missing the new due time", "缺少新的到期时间", "reschedule <task id>", Lang::en},
        ErrorCase{"改期 42 到", "Missing the new due time", "缺少新的到期时间", "reschedule <task id>", Lang::zh},
        ErrorCase{"reschedule 42 someday", "I couldn't read the time 'someday'", "看不懂时间“someday”",
                  "reschedule <task id>", Lang::en},
        ErrorCase{"改期 42 明天25点", "no hour 25", "没有25点", "reschedule <task id>", Lang::zh},
        ErrorCase{"complaint", "Missing the customer and what they complain about", "缺少客户和投诉内容",
                  "complaint <customer> <what they complain about>", Lang::en},
        ErrorCase{"complaint Acme", "Missing what the customer complains about", "缺少投诉内容", "complaint <customer>",
                  Lang::en},
        ErrorCase{"投诉 华为发票开错了", "Missing what the customer complains about, after the customer and a space",
                  "缺少投诉内容（写在客户后面，用空格隔开）", "complaint <customer>", Lang::zh},
        ErrorCase{"complaint \"Acme Corp late delivery", "The quote around the customer's name is not closed",
                  "客户名称的引号没有闭合", "complaint \"Acme Corp\"", Lang::en},
        ErrorCase{"complaint \"\" late", "Missing the customer.", "缺少客户", "complaint <customer>", Lang::en},
        ErrorCase{"claim", "Missing the customer", "缺少客户", "claim <customer>", Lang::en},
        ErrorCase{"领取", "Missing the customer", "缺少客户", "claim <customer>", Lang::zh},
        ErrorCase{"release", "Missing the customer", "缺少客户", "release <customer> [reason]", Lang::en},
        ErrorCase{"释放 “华为 没预算", "quote around the customer's name is not closed", "客户名称的引号没有闭合",
                  "release <customer> [reason]", Lang::zh},
        ErrorCase{"handover", "Missing the rep to hand over from and the rep to hand over to",
                  "缺少交出的销售和接手的销售", "handover <from rep> <to rep>", Lang::en},
        ErrorCase{"handover @wang", "Missing the rep to hand over to", "缺少接手的销售", "handover <from rep>",
                  Lang::en},
        ErrorCase{"handover @wang @", "Missing the rep to hand over to", "缺少接手的销售", "handover <from rep>",
                  Lang::en},
        ErrorCase{"handover @ li", "Missing the rep to hand over from.", "缺少交出的销售。", "handover <from rep>",
                  Lang::en},
        ErrorCase{"交接 wang li zhang", "'zhang' after the rep to hand over to was not understood",
                  "接手的销售后面的“zhang”看不懂", "handover <from rep>", Lang::zh},
        ErrorCase{"close", "Missing the customer and the outcome: won or lost", "缺少客户和结果：成交或丢单",
                  "close <customer> won|lost [note]", Lang::en},
        ErrorCase{"close Acme", "Missing the outcome after the customer: won or lost", "客户后面缺少结果",
                  "close <customer> won|lost", Lang::en},
        ErrorCase{"close Acme maybe later", "Unknown outcome 'maybe': use won or lost", "不认识的结果“maybe”",
                  "close <customer> won|lost", Lang::en},
        ErrorCase{"结案 华为 搁置", "Unknown outcome '搁置'", "不认识的结果“搁置”：请用 成交 或 丢单",
                  "close <customer> won|lost", Lang::zh},
        ErrorCase{"close won", "Missing the customer before the outcome", "结果前面缺少客户",
                  "close <customer> won|lost", Lang::en},
        ErrorCase{"结案 成交 签了合同", "Missing the customer before the outcome", "结果前面缺少客户",
                  "close <customer> won|lost", Lang::zh},
        ErrorCase{"calendar please", "Unknown calendar option 'please'", "不认识的日历选项“please”",
                  "calendar [new|off]", Lang::en},
        ErrorCase{"日历 下载", "Unknown calendar option", "请发送 日历、日历 新 或 日历 关闭", "calendar [new|off]",
                  Lang::zh}));

TEST(CommandUsage, EveryUsageGivesTheFormAndAnExampleInBothLanguages) {
    for (const char* topic :
         {"help",      "today",      "done",      "log",     "snooze",  "customer add", "followup", "history",
          "customers", "whoami",     "team",      "overdue", "assign",  "lang",         "link",     "unlink",
          "status",    "reschedule", "complaint", "pool",    "claim",   "release",      "handover", "close",
          "digest",    "report",     "who",       "audit",   "calendar"}) {
        auto t = cmd::help_text(topic);
        EXPECT_NE(t.en.find("Usage: "), std::string::npos) << topic;
        EXPECT_NE(t.zh.find("用法："), std::string::npos) << topic;
    }
}

}  // namespace
}  // namespace fu
