// Result vocabulary, help text, and the parser's robustness on odd input.
#include <date/tz.h>
#include <gtest/gtest.h>

#include <set>

#include "command_test_util.hpp"
#include "core/time_expr.hpp"

namespace fu {
namespace {

TEST(ResultVocabulary, HasElevenCodesEachWithEnglishAndChineseNames) {
    const auto& codes = cmd::result_codes();
    ASSERT_EQ(codes.size(), 11u);
    std::set<std::string_view> seen;
    for (const auto& r : codes) {
        EXPECT_FALSE(r.en.empty()) << r.code;
        EXPECT_FALSE(r.zh.empty()) << r.code;
        EXPECT_TRUE(seen.insert(r.code).second) << r.code;
        EXPECT_EQ(cmd::result_from_word(r.code), r.code);
        EXPECT_EQ(cmd::result_from_word(r.en), r.code);
        EXPECT_EQ(cmd::result_from_word(r.zh), r.code);
    }
}

TEST(ResultVocabulary, AcceptsEverySynonymInBothLanguages) {
    const std::pair<const char*, const char*> kSynonyms[] = {{"reached", "reached"},
                                                             {"Connected", "reached"},
                                                             {"answered", "reached"},
                                                             {"已接通", "reached"},
                                                             {"接通", "reached"},
                                                             {"联系上", "reached"},
                                                             {"no answer", "no_answer"},
                                                             {"no-answer", "no_answer"},
                                                             {"noanswer", "no_answer"},
                                                             {"missed", "no_answer"},
                                                             {"未接通", "no_answer"},
                                                             {"未接", "no_answer"},
                                                             {"没接", "no_answer"},
                                                             {"无人接听", "no_answer"},
                                                             {"interested", "interested"},
                                                             {"有意向", "interested"},
                                                             {"感兴趣", "interested"},
                                                             {"not interested", "not_interested"},
                                                             {"无意向", "not_interested"},
                                                             {"没兴趣", "not_interested"},
                                                             {"不感兴趣", "not_interested"},
                                                             {"quote sent", "quote_sent"},
                                                             {"quoted", "quote_sent"},
                                                             {"已报价", "quote_sent"},
                                                             {"报价", "quote_sent"},
                                                             {"meeting", "meeting"},
                                                             {"meeting booked", "meeting"},
                                                             {"已约见", "meeting"},
                                                             {"约见", "meeting"},
                                                             {"won", "won"},
                                                             {"deal", "won"},
                                                             {"成交", "won"},
                                                             {"已成交", "won"},
                                                             {"签单", "won"},
                                                             {"lost", "lost"},
                                                             {"丢单", "lost"},
                                                             {"complaint", "complaint"},
                                                             {"投诉", "complaint"},
                                                             {"resolved", "resolved"},
                                                             {"Fixed", "resolved"},
                                                             {"已解决", "resolved"},
                                                             {"解决", "resolved"},
                                                             {"已处理", "resolved"},
                                                             {"call back", "callback"},
                                                             {"callback", "callback"},
                                                             {"回电", "callback"},
                                                             {"需回电", "callback"}};
    for (auto [word, code] : kSynonyms) EXPECT_EQ(cmd::result_from_word(word), std::string_view(code)) << word;
}

TEST(ResultVocabulary, RejectsWordsThatAreNotResults) {
    for (const char* w : {"", "maybe", "interest", "no", "报价单", "call", "resolve", "处理", "解决方案"})
        EXPECT_FALSE(cmd::result_from_word(w).has_value()) << w;
}

TEST(HelpText, ListsEveryCommandWithAnExampleInBothLanguages) {
    auto t = cmd::help_text();
    for (const char* w : {"today",         "done 42",       "log Acme",           "snooze 42",
                          "followup Acme", "customer add",  "customers",          "history Acme",
                          "team",          "overdue",       "assign Acme",        "whoami",
                          "lang zh",       "help done",     "link telegram",      "unlink telegram",
                          "status",        "reschedule 42", "complaint Acme",     "pool",
                          "claim Acme",    "release Acme",  "handover @wang @li", "close Acme won",
                          "digest",        "calendar"})
        EXPECT_NE(t.en.find(w), std::string::npos) << w;
    for (const char* w :
         {"今天",      "完成 42",        "记录 华为",      "推迟 42",   "跟进 华为", "新客户", "我的客户",
          "历史 华为", "团队",           "逾期",           "转给 华为", "我是谁",    "语言",   "帮助 完成",
          "关联 飞书", "取消关联 飞书",  "状态",           "改期 42",   "投诉 华为", "公海",   "领取 华为",
          "释放 华为", "交接 @wang @li", "结案 华为 成交", "日报",      "日历"})
        EXPECT_NE(t.zh.find(w), std::string::npos) << w;
}

TEST(HelpText, OneCommandInEitherLanguageGivesItsUsageAndExamples) {
    auto en = cmd::help_text("done");
    auto zh = cmd::help_text("完成");
    EXPECT_EQ(en.en, zh.en);
    EXPECT_EQ(en.zh, zh.zh);
    EXPECT_NE(en.en.find("done <task id> [result…] [sat 1-5] [note] [next <time>]"), std::string::npos);
    EXPECT_NE(en.en.find("no answer"), std::string::npos);
    EXPECT_NE(en.en.find("resolved"), std::string::npos);
    EXPECT_NE(en.zh.find("完成 <任务编号> [结果…] [满意度1-5]"), std::string::npos);
    EXPECT_NE(en.zh.find("已解决"), std::string::npos);
    EXPECT_NE(cmd::help_text("/snooze").en.find("snooze 42 2h"), std::string::npos);
    EXPECT_NE(cmd::help_text("新客户").zh.find("等级=A"), std::string::npos);
    EXPECT_NE(cmd::help_text("Customer Add").en.find("tier=A"), std::string::npos);
}

TEST(HelpText, ExplainsBareHoursAndNextMarkersInBothLanguages) {
    for (const char* topic : {"", "snooze", "followup", "done", "log"}) {
        auto t = cmd::help_text(topic);
        EXPECT_NE(t.en.find("An hour 1–6 with no am/pm means the afternoon"), std::string::npos) << topic;
        EXPECT_NE(t.zh.find("1–6点指下午"), std::string::npos) << topic;
    }
    for (const char* topic : {"done", "log"}) {
        auto t = cmd::help_text(topic);
        EXPECT_NE(t.en.find("a 'next' with no time after it is part of the note"), std::string::npos) << topic;
        EXPECT_NE(t.zh.find("后面没有时间的“下次”算作备注"), std::string::npos) << topic;
    }
}

TEST(HelpText, LinkNamesEveryPlatformInBothLanguages) {
    for (const char* topic : {"link", "关联", "unlink", "取消关联"}) {
        auto t = cmd::help_text(topic);
        for (const char* p : {"telegram", "slack", "feishu", "dingtalk", "wecom"})
            EXPECT_NE(t.en.find(p), std::string::npos) << topic << " " << p;
        for (const char* p : {"飞书", "钉钉", "企业微信", "企微"})
            EXPECT_NE(t.zh.find(p), std::string::npos) << topic << " " << p;
    }
    EXPECT_NE(cmd::help_text("link").en.find("'notify'"), std::string::npos);
    EXPECT_NE(cmd::help_text("关联").zh.find("“提醒”"), std::string::npos);
}

TEST(Platforms, NamesInEitherLanguageGiveTheCanonicalCode) {
    const std::pair<const char*, const char*> kNames[] = {
        {"telegram", "telegram"}, {"Telegram", "telegram"}, {"SLACK", "slack"},   {"feishu", "feishu"},
        {"飞书", "feishu"},       {"dingtalk", "dingtalk"}, {"钉钉", "dingtalk"}, {"wecom", "wecom"},
        {"企业微信", "wecom"},    {"企微", "wecom"}};
    for (auto [word, code] : kNames) EXPECT_EQ(cmd::platform_from_word(word), std::string(code)) << word;
    for (const char* w : {"", "web", "icq", "微信", "lark", "tele gram"})
        EXPECT_FALSE(cmd::platform_from_word(w).has_value()) << w;
}

TEST(HelpText, DoneAndLogShowHowToWriteSatisfaction) {
    for (const char* topic : {"done", "记录"}) {
        auto t = cmd::help_text(topic);
        EXPECT_NE(t.en.find("sat 4, sat=4 or satisfaction 4 (1 to 5)"), std::string::npos) << topic;
        EXPECT_NE(t.zh.find("满意度4、满意度 4 或 满意度4分（1到5）"), std::string::npos) << topic;
    }
    // The result list is joined without a dangling separator, whatever code comes last.
    auto done = cmd::help_text("done");
    EXPECT_NE(done.en.find("Results: reached, no answer,"), std::string::npos);
    EXPECT_EQ(done.en.find(", \n"), std::string::npos);
    EXPECT_EQ(done.zh.find("、\n"), std::string::npos);
}

TEST(HelpText, NewCommandsExplainTheirSpecialRules) {
    auto reschedule = cmd::help_text("改期");
    EXPECT_NE(reschedule.en.find("reschedule <task id> <time> — moves the due time itself"), std::string::npos);
    EXPECT_NE(reschedule.en.find("An hour 1–6 with no am/pm means the afternoon"), std::string::npos);
    EXPECT_NE(reschedule.zh.find("改期 42 周五下午3点"), std::string::npos);
    auto complaint = cmd::help_text("客诉");
    EXPECT_NE(complaint.en.find("done <task id> resolved"), std::string::npos);
    EXPECT_NE(complaint.zh.find("完成 <任务编号> 已解决"), std::string::npos);
    for (const char* topic : {"complaint", "release"}) {
        auto t = cmd::help_text(topic);
        EXPECT_NE(t.en.find("the customer is the first word, so quote a name with spaces"), std::string::npos) << topic;
        EXPECT_NE(t.zh.find("客户是第一个词，名称有空格时加引号"), std::string::npos) << topic;
    }
    auto close = cmd::help_text("close");
    EXPECT_NE(close.en.find("close <customer> won|lost [note]"), std::string::npos);
    EXPECT_NE(close.zh.find("成交（赢单、签单）、丢单（输单、流失）"), std::string::npos);
    EXPECT_NE(cmd::help_text("公海").zh.find("领取"), std::string::npos);
    EXPECT_NE(cmd::help_text("移交").en.find("handover <from rep> <to rep>"), std::string::npos);
    EXPECT_NE(cmd::help_text("今日摘要").en.find("Usage: digest"), std::string::npos);
    EXPECT_NE(cmd::help_text("认领").en.find("Usage: claim <customer>"), std::string::npos);
}

// Every command word, in either language, names its command (as "help <word>" shows).
TEST(CommandWords, EachWordNamesItsCommand) {
    const std::pair<const char*, const char*> kWords[] = {{"help", "help"},
                                                          {"帮助", "help"},
                                                          {"today", "today"},
                                                          {"今天", "today"},
                                                          {"今日", "today"},
                                                          {"待办", "today"},
                                                          {"done", "done"},
                                                          {"完成", "done"},
                                                          {"log", "log"},
                                                          {"记录", "log"},
                                                          {"snooze", "snooze"},
                                                          {"推迟", "snooze"},
                                                          {"稍后提醒", "snooze"},
                                                          {"延后", "snooze"},
                                                          {"新客户", "customer add"},
                                                          {"添加客户", "customer add"},
                                                          {"followup", "followup"},
                                                          {"跟进", "followup"},
                                                          {"history", "history"},
                                                          {"历史", "history"},
                                                          {"customers", "customers"},
                                                          {"我的客户", "customers"},
                                                          {"客户列表", "customers"},
                                                          {"whoami", "whoami"},
                                                          {"我是谁", "whoami"},
                                                          {"team", "team"},
                                                          {"团队", "team"},
                                                          {"overdue", "overdue"},
                                                          {"逾期", "overdue"},
                                                          {"assign", "assign"},
                                                          {"转给", "assign"},
                                                          {"分配", "assign"},
                                                          {"转移", "assign"},
                                                          {"lang", "lang"},
                                                          {"语言", "lang"},
                                                          {"link", "link"},
                                                          {"关联", "link"},
                                                          {"绑定", "link"},
                                                          {"unlink", "unlink"},
                                                          {"取消关联", "unlink"},
                                                          {"解绑", "unlink"},
                                                          {"status", "status"},
                                                          {"状态", "status"},
                                                          {"reschedule", "reschedule"},
                                                          {"resched", "reschedule"},
                                                          {"postpone", "reschedule"},
                                                          {"改期", "reschedule"},
                                                          {"改时间", "reschedule"},
                                                          {"延期", "reschedule"},
                                                          {"complaint", "complaint"},
                                                          {"complain", "complaint"},
                                                          {"投诉", "complaint"},
                                                          {"客诉", "complaint"},
                                                          {"客户投诉", "complaint"},
                                                          {"pool", "pool"},
                                                          {"公海", "pool"},
                                                          {"客户池", "pool"},
                                                          {"claim", "claim"},
                                                          {"领取", "claim"},
                                                          {"认领", "claim"},
                                                          {"release", "release"},
                                                          {"释放", "release"},
                                                          {"退回公海", "release"},
                                                          {"放回公海", "release"},
                                                          {"handover", "handover"},
                                                          {"hand-over", "handover"},
                                                          {"交接", "handover"},
                                                          {"移交", "handover"},
                                                          {"close", "close"},
                                                          {"结案", "close"},
                                                          {"关闭客户", "close"},
                                                          {"digest", "digest"},
                                                          {"summary", "digest"},
                                                          {"日报", "digest"},
                                                          {"今日摘要", "digest"},
                                                          {"摘要", "digest"}};
    for (auto [word, canonical] : kWords) {
        auto p = cmd::parse(std::string("help ") + word);
        EXPECT_EQ(testing::describe(p), std::string("en: help topic='") + canonical + "'") << word;
        EXPECT_FALSE(cmd::help_text(word).en.empty()) << word;
    }
}

TEST(HelpText, UnknownTopicIsEmpty) {
    auto t = cmd::help_text("frobnicate");
    EXPECT_TRUE(t.en.empty());
    EXPECT_TRUE(t.zh.empty());
}

TEST(CommandLanguage, FollowsTheCommandWordNotTheArguments) {
    EXPECT_EQ(cmd::parse("done 42 已接通").lang, Lang::en);
    EXPECT_EQ(cmd::parse("完成 42 reached").lang, Lang::zh);
    EXPECT_EQ(cmd::parse("? 帮我").lang, Lang::zh);
    EXPECT_EQ(cmd::parse("？").lang, Lang::en);
}

TEST(CommandLanguage, UnknownCommandsAreChineseWhenTheLineHasChinese) {
    EXPECT_EQ(cmd::parse("hello 你好").lang, Lang::zh);
    EXPECT_EQ(cmd::parse("hello there").lang, Lang::en);
}

TEST(CommandParser, DoneResultsAreResultCodesFromTheVocabulary) {
    auto p = cmd::parse("done 5 已接通 not interested 报价 call back");
    const auto& d = std::get<cmd::Command>(p.result).get<cmd::Done>();
    EXPECT_EQ(d.task, TaskId{5});
    EXPECT_EQ(d.results, (std::vector<std::string>{"reached", "not_interested", "quote_sent", "callback"}));
    EXPECT_TRUE(d.note.empty());
    EXPECT_FALSE(d.next.has_value());
}

TEST(CommandParser, NextTimeTextIsAcceptedByResolveTime) {
    auto p = cmd::parse("完成 1 已接通 下次 明天上午10点");
    const auto& d = std::get<cmd::Command>(p.result).get<cmd::Done>();
    ASSERT_TRUE(d.next.has_value());
    TimeContext ctx{from_unix(1772589600), date::locate_zone("Asia/Shanghai")};  // 2026-03-04 02:00 UTC
    auto r = resolve_time(*d.next, ctx);
    ASSERT_TRUE(std::holds_alternative<TimePoint>(r));
    EXPECT_EQ(to_unix(std::get<TimePoint>(r)), 1772676000);  // 2026-03-05 02:00 UTC
}

TEST(CommandParser, SurvivesGarbageAndVeryLongLines) {
    std::string junk = "done 1 ";
    for (int i = 0; i < 2000; ++i) junk += "\xff\xfe 下次 next \xe4\xb8 ";
    auto p = cmd::parse(junk);
    ASSERT_TRUE(std::holds_alternative<cmd::Command>(p.result));  // no time after any marker: all note text
    EXPECT_FALSE(std::get<cmd::Command>(p.result).get<cmd::Done>().next.has_value());
    auto p2 = cmd::parse(junk + " 下次 25:00");
    EXPECT_TRUE(std::holds_alternative<cmd::ParseError>(p2.result));
    std::string long_note = "done 1 reached " + std::string(20000, 'x') + " next tomorrow";
    auto q = cmd::parse(long_note);
    ASSERT_TRUE(std::holds_alternative<cmd::Command>(q.result));
    EXPECT_EQ(std::get<cmd::Command>(q.result).get<cmd::Done>().next, "tomorrow");
    EXPECT_EQ(time_prefix_length(std::string(5000, '9')), 0u);
    EXPECT_EQ(time_prefix_length("\xe6\x98"), 0u);  // truncated UTF-8
    for (const char* s : {"\xff", "/", "@", "/@bot", "#", "新客户 =", "customer add a=b=c", "跟进 c1 明天"})
        (void)cmd::parse(s);
}

}  // namespace
}  // namespace fu
