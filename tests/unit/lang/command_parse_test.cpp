// The command parser, table-driven: each line and the command it must become, with
// every field (rendered canonically by describe()) and the language it was written in.
#include <gtest/gtest.h>

#include "command_test_util.hpp"

namespace fu {
namespace {

struct Case {
    const char* line;
    const char* want;  // "en: done 42 [reached] note='' next=-"
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.line; }

class CommandParse : public ::testing::TestWithParam<Case> {};

TEST_P(CommandParse, ProducesTheExpectedCommandAndLanguage) {
    EXPECT_EQ(testing::describe(cmd::parse(GetParam().line)), GetParam().want) << GetParam().line;
}

INSTANTIATE_TEST_SUITE_P(
    HelpAndListings, CommandParse,
    ::testing::Values(
        Case{"help", "en: help topic=''"}, Case{"HELP", "en: help topic=''"}, Case{"/help", "en: help topic=''"},
        Case{"?", "en: help topic=''"}, Case{"h done", "en: help topic='done'"},
        Case{"help 完成", "en: help topic='done'"}, Case{"帮助", "zh: help topic=''"},
        Case{"帮助 推迟", "zh: help topic='snooze'"}, Case{"help foo", "en: help topic='foo'"},
        Case{"today", "en: today"}, Case{"/today@followup_bot", "en: today"}, Case{"今天", "zh: today"},
        Case{"今日", "zh: today"}, Case{"待办", "zh: today"}, Case{"customers", "en: customers"},
        Case{"mine", "en: customers"}, Case{"我的客户", "zh: customers"}, Case{"客户列表", "zh: customers"},
        Case{"whoami", "en: whoami"}, Case{"我是谁", "zh: whoami"}, Case{"team", "en: team"}, Case{"团队", "zh: team"},
        Case{"overdue", "en: overdue"}, Case{"逾期", "zh: overdue"}, Case{"lang zh", "en: lang zh"},
        Case{"lang English", "en: lang en"}, Case{"language 中文", "en: lang zh"}, Case{"语言 英文", "zh: lang en"},
        Case{"语言 zh", "zh: lang zh"}, Case{"calendar", "en: calendar"}, Case{"calendar new", "en: calendar"},
        // calendar's arguments are its own (core/commands/calendar.cpp): what each does is
        // in calendar_command_test.cpp.
        Case{"calendar OFF", "en: calendar"}, Case{"日历", "zh: calendar"}, Case{"日历 新", "zh: calendar"},
        Case{"日历 关闭", "zh: calendar"}));

INSTANTIATE_TEST_SUITE_P(
    Done, CommandParse,
    ::testing::Values(
        Case{"done 42", "en: done 42 [] note='' next=-"}, Case{"done #42", "en: done 42 [] note='' next=-"},
        Case{"d 42", "en: done 42 [] note='' next=-"}, Case{"Done 42 reached", "en: done 42 [reached] note='' next=-"},
        Case{"/done@followup_bot 42", "en: done 42 [] note='' next=-"},
        Case{"done 42 reached, interested, next fri 3pm", "en: done 42 [reached,interested] note='' next='fri 3pm'"},
        Case{"done 1 reached interested next tomorrow 10am",
             "en: done 1 [reached,interested] note='' next='tomorrow 10am'"},
        Case{"done 7 no answer", "en: done 7 [no_answer] note='' next=-"},
        Case{"done 7 No-Answer next 2h", "en: done 7 [no_answer] note='' next='2h'"},
        Case{"done 7 not interested too expensive", "en: done 7 [not_interested] note='too expensive' next=-"},
        Case{"done 7 quote sent, meeting booked", "en: done 7 [quote_sent,meeting] note='' next=-"},
        Case{"done 7 won signed the annual plan", "en: done 7 [won] note='signed the annual plan' next=-"},
        Case{"done 7 call back after lunch next: 2pm", "en: done 7 [callback] note='after lunch' next='2pm'"},
        Case{"done 7 complaint, invoice wrong; next in 30m",
             "en: done 7 [complaint] note='invoice wrong' next='in 30m'"},
        Case{"done 7 asked for a demo next week", "en: done 7 [] note='asked for a demo' next='next week'"},
        Case{"done 7 reached next next fri", "en: done 7 [reached] note='' next='next fri'"},
        Case{"done 42 reached. next fri", "en: done 42 [reached] note='' next='fri'"},
        Case{"Done 42 Reached Interested Next Fri 3PM", "en: done 42 [reached,interested] note='' next='Fri 3PM'"},
        Case{"done 7 reached reached", "en: done 7 [reached] note='' next=-"},
        Case{"done 7 quote_sent", "en: done 7 [quote_sent] note='' next=-"},
        Case{"完成 1 已接通 有意向 下次 明天上午10点", "zh: done 1 [reached,interested] note='' next='明天上午10点'"},
        Case{"完成 7 未接通 下次2小时后", "zh: done 7 [no_answer] note='' next='2小时后'"},
        Case{"完成42 已接通", "zh: done 42 [reached] note='' next=-"},
        Case{"完成 42 已接通有意向", "zh: done 42 [reached,interested] note='' next=-"},
        Case{"完成 42 已接通，有意向，客户要样品，下次跟进：周五下午3点",
             "zh: done 42 [reached,interested] note='客户要样品' next='周五下午3点'"},
        Case{"完成 42 报价单已发 下一步 下周一", "zh: done 42 [] note='报价单已发' next='下周一'"},
        Case{"完成 ＃４２ 成交", "zh: done 42 [won] note='' next=-"},
        Case{"完成\u300042\u3000投诉", "zh: done 42 [complaint] note='' next=-"},
        Case{"完成 9 无人接听、需回电", "zh: done 9 [no_answer,callback] note='' next=-"},
        Case{"完成 9 丢单 价格太高", "zh: done 9 [lost] note='价格太高' next=-"},
        // An hour alone after a day word, and deadline words, as the next follow-up.
        Case{"done 3 reached next monday 9", "en: done 3 [reached] note='' next='monday 9'"},
        Case{"done 3 quote sent next end of month", "en: done 3 [quote_sent] note='' next='end of month'"},
        Case{"done 3 reached next fri eod", "en: done 3 [reached] note='' next='fri eod'"},
        Case{"完成 3 已报价 下次 下个月1号", "zh: done 3 [quote_sent] note='' next='下个月1号'"},
        Case{"完成 3 已接通 下次 月底", "zh: done 3 [reached] note='' next='月底'"},
        Case{"完成 3 已接通 下次 周五下班前", "zh: done 3 [reached] note='' next='周五下班前'"}));

// A next-marker that no time expression follows is note text; with several, the last one
// followed by a time to the end of the line is the marker and the others are note text.
INSTANTIATE_TEST_SUITE_P(
    NextMarkerAsNoteText, CommandParse,
    ::testing::Values(
        Case{"完成 3 已接通 客户说下次再谈", "zh: done 3 [reached] note='客户说下次再谈' next=-"},
        Case{"完成 7 未接通 下次 改天", "zh: done 7 [no_answer] note='下次 改天' next=-"},
        Case{"完成 3 已接通 下一步待定", "zh: done 3 [reached] note='下一步待定' next=-"},
        Case{"完成 3 下次跟进时再报价", "zh: done 3 [] note='下次跟进时再报价' next=-"},
        Case{"done 3 reached said call next quarter maybe",
             "en: done 3 [reached] note='said call next quarter maybe' next=-"},
        Case{"done 42 reached next blah", "en: done 42 [reached] note='next blah' next=-"},
        Case{"done 3 interested next time bring samples",
             "en: done 3 [interested] note='next time bring samples' next=-"},
        Case{"done 3 reached, wants a call next month", "en: done 3 [reached] note='wants a call next month' next=-"},
        Case{"完成 3 已接通 客户说下次再谈 下次 明天下午3点",
             "zh: done 3 [reached] note='客户说下次再谈' next='明天下午3点'"},
        Case{"完成 3 下次再谈价格，下次跟进：周五", "zh: done 3 [] note='下次再谈价格' next='周五'"},
        Case{"done 3 reached next time bring samples next fri 3pm",
             "en: done 3 [reached] note='next time bring samples' next='fri 3pm'"},
        Case{"done 3 reached next step demo next: tomorrow 10am",
             "en: done 3 [reached] note='next step demo' next='tomorrow 10am'"},
        Case{"done 3 reached next quarter budget next week",
             "en: done 3 [reached] note='next quarter budget' next='next week'"},
        Case{"log Acme call reached next someday", "en: log 'Acme' call [reached] note='next someday' next=-"},
        Case{"log Acme call next time we talk price", "en: log 'Acme' call [] note='next time we talk price' next=-"},
        Case{"记录 华为 电话 已接通 下次再谈", "zh: log '华为' call [reached] note='下次再谈' next=-"},
        Case{"记录 华为 电话 下次跟进再说 下次跟进 周五", "zh: log '华为' call [] note='下次跟进再说' next='周五'"},
        Case{"记录 华为 拜访 下一步看预算 下一步 3天后", "zh: log '华为' visit [] note='下一步看预算' next='3天后'"}));

INSTANTIATE_TEST_SUITE_P(
    Log, CommandParse,
    ::testing::Values(Case{"log Acme call", "en: log 'Acme' call [] note='' next=-"},
                      Case{"log Acme Corp phone reached", "en: log 'Acme Corp' call [reached] note='' next=-"},
                      Case{"log c12 email quote sent next mon", "en: log #12 email [quote_sent] note='' next='mon'"},
                      Case{"log #C7 visit met the CFO", "en: log #7 visit [] note='met the CFO' next=-"},
                      Case{"log Acme wechat interested wants pricing next tomorrow 10am",
                           "en: log 'Acme' im [interested] note='wants pricing' next='tomorrow 10am'"},
                      Case{"log Acme other", "en: log 'Acme' other [] note='' next=-"},
                      Case{"log Acme mail no answer", "en: log 'Acme' email [no_answer] note='' next=-"},
                      Case{"log Acme chat", "en: log 'Acme' im [] note='' next=-"},
                      Case{"记录 华为 电话 已接通 有意向 下次 明天上午10点",
                           "zh: log '华为' call [reached,interested] note='' next='明天上午10点'"},
                      Case{"记录 华为 打电话 未接通", "zh: log '华为' call [no_answer] note='' next=-"},
                      Case{"记录华为 拜访 约见 带了样品", "zh: log '华为' visit [meeting] note='带了样品' next=-"},
                      Case{"记录 华为 微信 发了资料", "zh: log '华为' im [] note='发了资料' next=-"},
                      Case{"记录 华为 邮件 已报价 下次3天后", "zh: log '华为' email [quote_sent] note='' next='3天后'"},
                      Case{"记录 华为 电话已接通", "zh: log '华为' call [reached] note='' next=-"},
                      Case{"记录 华为 上门", "zh: log '华为' visit [] note='' next=-"},
                      Case{"记录 华为 面谈 成交", "zh: log '华为' visit [won] note='' next=-"},
                      Case{"记录 华为 致电 投诉", "zh: log '华为' call [complaint] note='' next=-"},
                      Case{"记录 华为 消息", "zh: log '华为' im [] note='' next=-"},
                      Case{"记录 华为 其他 展会上见过", "zh: log '华为' other [] note='展会上见过' next=-"}));

INSTANTIATE_TEST_SUITE_P(Snooze, CommandParse,
                         ::testing::Values(Case{"snooze 42 2h", "en: snooze 42 '2h'"},
                                           Case{"snooze #42 in 30 minutes", "en: snooze 42 'in 30 minutes'"},
                                           Case{"snooze 42 for 1h", "en: snooze 42 '1h'"},
                                           Case{"snooze 42 until tomorrow 10am", "en: snooze 42 'tomorrow 10am'"},
                                           Case{"snooze 42 next mon", "en: snooze 42 'next mon'"},
                                           Case{"推迟 42 明天上午10点", "zh: snooze 42 '明天上午10点'"},
                                           Case{"推迟3 明天", "zh: snooze 3 '明天'"},
                                           Case{"推迟 3 到明天下午3点", "zh: snooze 3 '明天下午3点'"},
                                           Case{"稍后提醒 5 半小时后", "zh: snooze 5 '半小时后'"},
                                           Case{"延后 5 至 周五", "zh: snooze 5 '周五'"},
                                           Case{"推迟 5 2小时后", "zh: snooze 5 '2小时后'"}));

INSTANTIATE_TEST_SUITE_P(
    Followup, CommandParse,
    ::testing::Values(
        Case{"followup Acme tomorrow 10am call pricing", "en: followup 'Acme' 'tomorrow 10am' call 'pricing'"},
        Case{"followup Acme Corp fri 3pm about the renewal",
             "en: followup 'Acme Corp' 'fri 3pm' - 'about the renewal'"},
        Case{"follow-up c12 in 2h email send the quote", "en: followup #12 'in 2h' email 'send the quote'"},
        Case{"follow up Acme next mon visit", "en: followup 'Acme' 'next mon' visit ''"},
        Case{"fu Acme 2026-12-01 10:00 renewal", "en: followup 'Acme' '2026-12-01 10:00' - 'renewal'"},
        Case{"跟进 华为 明天上午10点打电话问报价", "zh: followup '华为' '明天上午10点' call '问报价'"},
        Case{"跟进 华为 明天上午10点 打电话 问报价", "zh: followup '华为' '明天上午10点' call '问报价'"},
        Case{"跟进 华为 周五 下午3点 拜访", "zh: followup '华为' '周五 下午3点' visit ''"},
        Case{"跟进 周一科技 下周一9点 微信 确认合同", "zh: followup '周一科技' '下周一9点' im '确认合同'"},
        Case{"跟进华为 3天后 回访", "zh: followup '华为' '3天后' - '回访'"},
        Case{"跟进 华为明天上午10点打电话", "zh: followup '华为' '明天上午10点' call ''"},
        Case{"跟进 深圳 华为 2小时后 邮件 发合同", "zh: followup '深圳 华为' '2小时后' email '发合同'"},
        // An hour alone after a day word is its clock, not the start of the topic.
        Case{"followup Globex next tuesday at 2 call", "en: followup 'Globex' 'next tuesday at 2' call ''"},
        Case{"followup Globex monday 9 call", "en: followup 'Globex' 'monday 9' call ''"},
        Case{"跟进 华为 周一 9 打电话", "zh: followup '华为' '周一 9' call ''"},
        Case{"跟进 华为 明天 3个样品", "zh: followup '华为' '明天' - '3个样品'"},
        // Deadline words.
        Case{"跟进 宏达机械 下个月1号 打电话", "zh: followup '宏达机械' '下个月1号' call ''"},
        Case{"跟进 宏达机械 月底 报价", "zh: followup '宏达机械' '月底' - '报价'"},
        Case{"跟进 宏达机械 下班前 回电", "zh: followup '宏达机械' '下班前' - '回电'"},
        Case{"followup Acme eod send the quote", "en: followup 'Acme' 'eod' - 'send the quote'"},
        Case{"followup Acme end of month renewal", "en: followup 'Acme' 'end of month' - 'renewal'"},
        Case{"followup Acme 12/24 call", "en: followup 'Acme' '12/24' call ''"}));

INSTANTIATE_TEST_SUITE_P(
    CustomerAdd, CommandParse,
    ::testing::Values(
        Case{"customer add Alice Wang", "en: customer_add 'Alice Wang'"},
        Case{"customer add Alice Wang company=Acme Corp tier=vip value=50k",
             "en: customer_add 'Alice Wang' company=Acme Corp tier=A value=50000"},
        Case{"add customer Bob phone=+1 555 0100 email=bob@acme.com stage=churn-risk",
             "en: customer_add 'Bob' email=bob@acme.com phone=+1 555 0100 stage=churn_risk"},
        Case{"customer add Bob tier:b stage:lead source:expo owner=@wang tags=hot,expo",
             "en: customer_add 'Bob' owner=wang source=expo stage=lead tags=hot,expo tier=B"},
        Case{"customer add Bob im=bob_wx value=1,200,000", "en: customer_add 'Bob' im=bob_wx value=1200000"},
        Case{"新客户 张三 公司=华为 等级=A 金额=10万", "zh: customer_add '张三' company=华为 tier=A value=100000"},
        Case{"新客户张三 电话：13800138000 微信：zs888", "zh: customer_add '张三' im=zs888 phone=13800138000"},
        Case{"添加客户 李四，公司=腾讯，阶段=潜在，标签=大客户、制造业",
             "zh: customer_add '李四' company=腾讯 stage=lead tags=大客户,制造业"},
        Case{"添加客户 王五 阶段=流失风险 级别=C 来源=转介绍 负责人=@li 价值=1.5万",
             "zh: customer_add '王五' owner=li source=转介绍 stage=churn_risk tier=C value=15000"},
        Case{"新客户 赵六 阶段=新客户 手机=138-0013-8000 邮箱=zl@qq.com",
             "zh: customer_add '赵六' email=zl@qq.com phone=138-0013-8000 stage=new"}));

INSTANTIATE_TEST_SUITE_P(
    HistoryAndAssign, CommandParse,
    ::testing::Values(Case{"history Acme", "en: history 'Acme'"}, Case{"history c12", "en: history #12"},
                      Case{"history #c12", "en: history #12"}, Case{"history Acme   Corp", "en: history 'Acme Corp'"},
                      Case{"history c12x", "en: history 'c12x'"}, Case{"历史 华为", "zh: history '华为'"},
                      Case{"历史华为", "zh: history '华为'"}, Case{"assign Acme @wang", "en: assign 'Acme' @wang"},
                      Case{"assign Acme Corp to wang", "en: assign 'Acme Corp' @wang"},
                      Case{"assign c3 li", "en: assign #3 @li"}, Case{"转给 华为 @wang", "zh: assign '华为' @wang"},
                      Case{"分配 华为 给 @li", "zh: assign '华为' @li"},
                      Case{"转移 C9 zhang", "zh: assign #9 @zhang"}));

// Admins' commands: platform names are canonical codes; ids keep their case.
INSTANTIATE_TEST_SUITE_P(
    Admin, CommandParse,
    ::testing::Values(Case{"link telegram 123456789 wang", "en: link telegram '123456789' @wang"},
                      Case{"link Telegram 123456789 @wang notify", "en: link telegram '123456789' @wang notify"},
                      Case{"/link slack U012AB3CD maria NOTIFY", "en: link slack 'U012AB3CD' @maria notify"},
                      Case{"link feishu ou_7d8a6e li", "en: link feishu 'ou_7d8a6e' @li"},
                      Case{"link 钉钉 manager4521 li 提醒", "en: link dingtalk 'manager4521' @li notify"},
                      Case{"link WeCom ZhangSan wang", "en: link wecom 'ZhangSan' @wang"},
                      Case{"关联 飞书 ou_7d8a6e wang 提醒", "zh: link feishu 'ou_7d8a6e' @wang notify"},
                      Case{"关联飞书 ou_7d8a6e wang", "zh: link feishu 'ou_7d8a6e' @wang"},
                      Case{"关联 钉钉 0231 @li", "zh: link dingtalk '0231' @li"},
                      Case{"关联 企业微信 ZhangSan wang", "zh: link wecom 'ZhangSan' @wang"},
                      Case{"关联 企微 ZhangSan wang notify", "zh: link wecom 'ZhangSan' @wang notify"},
                      Case{"关联 telegram 555 maria", "zh: link telegram '555' @maria"},
                      Case{"绑定 slack U1 maria", "zh: link slack 'U1' @maria"},
                      Case{"unlink telegram 123456789", "en: unlink telegram '123456789'"},
                      Case{"unlink Slack U012AB3CD", "en: unlink slack 'U012AB3CD'"},
                      Case{"取消关联 飞书 ou_7d8a6e", "zh: unlink feishu 'ou_7d8a6e'"},
                      Case{"取消关联 企微 ZhangSan", "zh: unlink wecom 'ZhangSan'"},
                      Case{"解绑 telegram 555", "zh: unlink telegram '555'"}, Case{"status", "en: status"},
                      Case{"/status", "en: status"}, Case{"STATUS", "en: status"}, Case{"状态", "zh: status"},
                      Case{"help link", "en: help topic='link'"}, Case{"帮助 取消关联", "zh: help topic='unlink'"},
                      Case{"帮助 状态", "zh: help topic='status'"}));

// Satisfaction (1..5) may stand among the results or in the note, before the next-marker;
// it is taken out of the note. A "sat" that no score follows, or that reads as a Saturday
// clock, is note text.
INSTANTIATE_TEST_SUITE_P(
    Satisfaction, CommandParse,
    ::testing::Values(
        Case{"done 42 reached sat 4", "en: done 42 [reached] sat=4 note='' next=-"},
        Case{"done 42 sat=5", "en: done 42 [] sat=5 note='' next=-"},
        Case{"done 42 reached satisfaction 4 happy with the fix next fri",
             "en: done 42 [reached] sat=4 note='happy with the fix' next='fri'"},
        Case{"done 42 reached, interested, sat: 3, wants a discount",
             "en: done 42 [reached,interested] sat=3 note='wants a discount' next=-"},
        Case{"done 42 reached sat4 interested", "en: done 42 [reached,interested] sat=4 note='' next=-"},
        Case{"done 42 reached sat 4/5", "en: done 42 [reached] sat=4 note='' next=-"},
        Case{"done 42 SAT 2 slow reply", "en: done 42 [] sat=2 note='slow reply' next=-"},
        Case{"done 42 resolved new unit sent, sat 5, very happy",
             "en: done 42 [resolved] sat=5 note='new unit sent very happy' next=-"},
        Case{"done 42 reached we sat down with the CFO",
             "en: done 42 [reached] note='we sat down with the CFO' next=-"},
        Case{"done 42 reached demo moved to sat 3pm", "en: done 42 [reached] note='demo moved to sat 3pm' next=-"},
        Case{"done 42 reached demo moved to sat 4:30", "en: done 42 [reached] note='demo moved to sat 4:30' next=-"},
        Case{"done 42 reached demo on sat 4 pm", "en: done 42 [reached] note='demo on sat 4 pm' next=-"},
        Case{"done 42 reached sat 1000 units", "en: done 42 [reached] note='sat 1000 units' next=-"},
        Case{"完成 42 已接通 满意度4", "zh: done 42 [reached] sat=4 note='' next=-"},
        Case{"完成 42 已接通 满意度 4 客户很满意", "zh: done 42 [reached] sat=4 note='客户很满意' next=-"},
        Case{"完成 42 已解决 满意度：5 已退款", "zh: done 42 [resolved] sat=5 note='已退款' next=-"},
        Case{"完成 42 满意度4分", "zh: done 42 [] sat=4 note='' next=-"},
        Case{"完成 42 满意度 3 分。", "zh: done 42 [] sat=3 note='' next=-"},
        Case{"完成 42 已接通满意度4分客户很满意", "zh: done 42 [reached] sat=4 note='客户很满意' next=-"},
        Case{"完成 42 客户说服务好，满意度=5，下次 周五", "zh: done 42 [] sat=5 note='客户说服务好' next='周五'"},
        Case{"完成 42 已接通 客户满意度很高", "zh: done 42 [reached] note='客户满意度很高' next=-"},
        Case{"完成 42 满意度五分", "zh: done 42 [] sat=5 note='' next=-"},
        Case{"完成 42 已接通 满意度：三分，客户还行", "zh: done 42 [reached] sat=3 note='客户还行' next=-"},
        // A Chinese numeral needs 分: "一般" (average) and "十分" (very) are words, not scores.
        Case{"完成 42 满意度一般", "zh: done 42 [] note='满意度一般' next=-"},
        Case{"完成 42 满意度十分高", "zh: done 42 [] note='满意度十分高' next=-"},
        Case{"log Acme call reached sat=4 sent the brochure next tomorrow 10am",
             "en: log 'Acme' call [reached] sat=4 note='sent the brochure' next='tomorrow 10am'"},
        Case{"log Acme visit sat 3", "en: log 'Acme' visit [] sat=3 note='' next=-"},
        Case{"记录 华为 电话 已接通 满意度5分 下次 明天上午10点",
             "zh: log '华为' call [reached] sat=5 note='' next='明天上午10点'"},
        Case{"记录 华为 拜访 满意度 4 分 带了样品", "zh: log '华为' visit [] sat=4 note='带了样品' next=-"},
        Case{"记录 华为 电话已接通 满意度2", "zh: log '华为' call [reached] sat=2 note='' next=-"}));

INSTANTIATE_TEST_SUITE_P(
    Resolved, CommandParse,
    ::testing::Values(Case{"done 42 resolved refund issued", "en: done 42 [resolved] note='refund issued' next=-"},
                      Case{"done 42 Fixed", "en: done 42 [resolved] note='' next=-"},
                      Case{"完成 42 已解决 已退款", "zh: done 42 [resolved] note='已退款' next=-"},
                      Case{"完成 42 已处理", "zh: done 42 [resolved] note='' next=-"},
                      Case{"完成 42 已接通已解决", "zh: done 42 [reached,resolved] note='' next=-"},
                      Case{"记录 华为 电话 解决 换了新货", "zh: log '华为' call [resolved] note='换了新货' next=-"}));

// reschedule takes the same time forms as snooze.
INSTANTIATE_TEST_SUITE_P(Reschedule, CommandParse,
                         ::testing::Values(Case{"reschedule 42 fri 3pm", "en: reschedule 42 'fri 3pm'"},
                                           Case{"reschedule #42 to tomorrow 10am", "en: reschedule 42 'tomorrow 10am'"},
                                           Case{"/reschedule@followup_bot 42 in 2h", "en: reschedule 42 'in 2h'"},
                                           Case{"resched 7 next mon", "en: reschedule 7 'next mon'"},
                                           Case{"Postpone 7 2026-12-01 10:00", "en: reschedule 7 '2026-12-01 10:00'"},
                                           Case{"改期 42 周五下午3点", "zh: reschedule 42 '周五下午3点'"},
                                           Case{"改期42 到 明天上午10点", "zh: reschedule 42 '明天上午10点'"},
                                           Case{"改时间 5 下周一9点", "zh: reschedule 5 '下周一9点'"},
                                           Case{"延期 5 至 3天后", "zh: reschedule 5 '3天后'"},
                                           Case{"延后 5 3天后", "zh: snooze 5 '3天后'"}));

// complaint and release: the customer is the first word (up to a space, separator or colon)
// unless the name is quoted; the text after it is the complaint / the reason.
INSTANTIATE_TEST_SUITE_P(
    ComplaintAndPool, CommandParse,
    ::testing::Values(Case{"complaint Acme invoice was wrong", "en: complaint 'Acme' 'invoice was wrong'"},
                      Case{"complaint c12 late delivery, twice", "en: complaint #12 'late delivery, twice'"},
                      Case{"complain \"Acme Corp\" rude on the phone", "en: complaint 'Acme Corp' 'rude on the phone'"},
                      Case{"complaint Acme: the invoice was wrong", "en: complaint 'Acme' 'the invoice was wrong'"},
                      Case{"complaint 'Acme Corp':late again", "en: complaint 'Acme Corp' 'late again'"},
                      Case{"投诉 华为 发票开错了", "zh: complaint '华为' '发票开错了'"},
                      Case{"客诉 华为，发货太慢", "zh: complaint '华为' '发货太慢'"},
                      Case{"投诉华为 发货太慢 包装也破了", "zh: complaint '华为' '发货太慢 包装也破了'"},
                      Case{"投诉 “华为 深圳” 发货太慢", "zh: complaint '华为 深圳' '发货太慢'"},
                      Case{"投诉 华为：发票开错了", "zh: complaint '华为' '发票开错了'"},
                      Case{"客户投诉 #c3 服务态度差", "zh: complaint #3 '服务态度差'"}, Case{"pool", "en: pool"},
                      Case{"/pool", "en: pool"}, Case{"公海", "zh: pool"}, Case{"客户池", "zh: pool"},
                      Case{"claim Acme", "en: claim 'Acme'"}, Case{"claim Acme Corp", "en: claim 'Acme Corp'"},
                      Case{"claim c12", "en: claim #12"}, Case{"claim \"Acme Corp\"", "en: claim 'Acme Corp'"},
                      Case{"领取 华为", "zh: claim '华为'"}, Case{"认领华为", "zh: claim '华为'"},
                      Case{"领取 #C5", "zh: claim #5"}, Case{"release Acme", "en: release 'Acme' reason=''"},
                      Case{"release Acme no budget this year", "en: release 'Acme' reason='no budget this year'"},
                      Case{"release \"Acme Corp\" no budget", "en: release 'Acme Corp' reason='no budget'"},
                      Case{"release 'Acme Corp'", "en: release 'Acme Corp' reason=''"},
                      Case{"release c12", "en: release #12 reason=''"},
                      Case{"释放 华为 今年没预算", "zh: release '华为' reason='今年没预算'"},
                      Case{"退回公海 华为", "zh: release '华为' reason=''"},
                      Case{"释放 「华为 深圳」 联系不上", "zh: release '华为 深圳' reason='联系不上'"},
                      Case{"放回公海 华为，客户转向竞品", "zh: release '华为' reason='客户转向竞品'"},
                      // Quotes group a name in every command, not only where the first word is the customer.
                      Case{"history \"Acme Corp\"", "en: history 'Acme Corp'"}, Case{"历史 “c12”", "zh: history #12"}));

INSTANTIATE_TEST_SUITE_P(
    HandoverCloseDigest, CommandParse,
    ::testing::Values(
        Case{"handover @wang @li", "en: handover @wang @li"}, Case{"handover wang li", "en: handover @wang @li"},
        Case{"handover wang to @li", "en: handover @wang @li"}, Case{"hand-over @wang -> li", "en: handover @wang @li"},
        Case{"交接 @wang @li", "zh: handover @wang @li"}, Case{"移交 wang 给 li", "zh: handover @wang @li"},
        Case{"close Acme won", "en: close 'Acme' won note=''"},
        Case{"close Acme won signed the annual plan", "en: close 'Acme' won note='signed the annual plan'"},
        Case{"close Acme Corp lost went with a competitor", "en: close 'Acme Corp' lost note='went with a competitor'"},
        Case{"close Lost Horizons WON", "en: close 'Lost Horizons' won note=''"},
        Case{"close c12 lose", "en: close #12 lost note=''"}, Case{"close Acme win", "en: close 'Acme' won note=''"},
        Case{"close Acme won lost the rival bid", "en: close 'Acme' won note='lost the rival bid'"},
        Case{"结案 华为 成交 签了年度合同", "zh: close '华为' won note='签了年度合同'"},
        Case{"结案 华为 赢单", "zh: close '华为' won note=''"}, Case{"结案华为 签单", "zh: close '华为' won note=''"},
        Case{"关闭客户 华为 丢单 价格太高", "zh: close '华为' lost note='价格太高'"},
        Case{"结案 华为 输单", "zh: close '华为' lost note=''"},
        Case{"结案 华为 流失，客户倒闭了", "zh: close '华为' lost note='客户倒闭了'"},
        Case{"close Acme won.", "en: close 'Acme' won note=''"}, Case{"结案 华为成交", "zh: close '华为' won note=''"},
        Case{"结案华为成交 签了合同", "zh: close '华为' won note='签了合同'"},
        Case{"结案 深圳 华为流失。", "zh: close '深圳 华为' lost note=''"}, Case{"digest", "en: digest"},
        Case{"Summary", "en: digest"}, Case{"日报", "zh: digest"}, Case{"今日摘要", "zh: digest"},
        Case{"摘要", "zh: digest"}, Case{"今日", "zh: today"}, Case{"help reschedule", "en: help topic='reschedule'"},
        Case{"帮助 公海", "zh: help topic='pool'"}, Case{"帮助 退回公海", "zh: help topic='release'"},
        Case{"help summary", "en: help topic='digest'"}, Case{"帮助 结案", "zh: help topic='close'"},
        Case{"help 交接", "en: help topic='handover'"}));

}  // namespace
}  // namespace fu

namespace fu {
namespace {

INSTANTIATE_TEST_SUITE_P(FindAndMore, CommandParse,
                         ::testing::Values(Case{"more", "en: more"}, Case{"next", "en: more"},
                                           Case{"下一页", "zh: more"}, Case{"更多", "zh: more"},
                                           Case{"find acme", "en: find [acme] digits=[]"},
                                           Case{"find Alice Wang", "en: find [Alice,Wang] digits=[]"},
                                           Case{"find 138-0013-8000", "en: find [] digits=[13800138000]"},
                                           Case{"find +86 8000", "en: find [+86] digits=[8000]"},
                                           Case{"find tier A active", "en: find [] digits=[] tier=A stage=active"},
                                           Case{"find VIP", "en: find [] digits=[] tier=A"},
                                           Case{"find stage=lead tier=c", "en: find [] digits=[] tier=C stage=lead"},
                                           Case{"find 12 steel", "en: find [12,steel] digits=[]"},
                                           Case{"查找 华为 B类 沉默", "zh: find [华为] digits=[] tier=B stage=silent"},
                                           Case{"搜索 9999", "zh: find [] digits=[9999]"},
                                           Case{"find", "en: error: Missing what to look for."}));

}  // namespace
}  // namespace fu
