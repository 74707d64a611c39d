// The chat commands, in the order help lists them (see table.hpp). A new command is a file of
// its own, core/commands/<name>.cpp (its arguments, entry, parser and handler; see calendar.cpp),
// and its line here, where the help list shows it.
#include "core/commands/table.hpp"

#include <cassert>

#include "core/commands/define.hpp"
#include "core/commands/help.hpp"
#include "core/commands/parsers.hpp"

namespace fu::cmd {

// Commands in a file of their own.
CommandSpec calendar_command();  // calendar.cpp

namespace {

using namespace detail;

// The commands whose arguments are in command.hpp and handlers in core/bot_*.cpp
// (declared in bot_internal.hpp).
template <class T>
Handler handler() {
    return handler_of<T, fu::detail::run>();
}

LocalizedText details_done() { return contact_note(true); }

LocalizedText details_log() { return contact_note(false); }

LocalizedText details_link() {
    LocalizedText out = platforms_note();
    out.en +=
        "\nAn account already linked to someone else is moved. With 'notify' the user's reminders "
        "go to that platform from now on.";
    out.zh += "\n已关联到其他人的账号会被转过来。加上“提醒”后，该用户的提醒从此发到这个平台。";
    return out;
}

std::vector<CommandSpec> make_table() {
    return {
        {
            .en = {"today"},
            .zh = {"今天", "今日", "待办"},
            .usage = {"Usage: today — your follow-ups due today and overdue", "用法：今天 —— 今天到期和已逾期的跟进"},
            .summary = {"today — what is due today and overdue", "今天 —— 今天到期和逾期的跟进"},
            .parse = no_args<Today>,
            .handler = handler<Today>(),
            .list = true,
        },
        {
            .en = {"digest", "summary"},
            .zh = {"日报", "今日摘要", "摘要"},
            .usage = {"Usage: digest — today's due and overdue follow-ups in one message, now",
                      "用法：日报 —— 马上发送今天到期和逾期跟进的摘要"},
            .summary = {"digest — today's summary, now", "日报 —— 马上发送今日摘要"},
            .parse = no_args<Digest>,
            .handler = handler<Digest>(),
            .list = true,
        },
        {
            .en = {"done", "d"},
            .zh = {"完成"},
            .usage = {"Usage: done <task id> [result…] [sat 1-5] [note] [next <time>] — e.g. done 42 reached "
                      "interested sat 4 next fri 3pm",
                      "用法：完成 <任务编号> [结果…] [满意度1-5] [备注] [下次 <时间>] —— 例如：完成 42 已接通 有意向 "
                      "满意度4 下次 周五下午3点"},
            .summary = {"done 42 reached interested next fri 3pm", "完成 42 已接通 有意向 下次 周五下午3点"},
            .details = details_done,
            .parse = parse_done,
            .handler = handler<Done>(),
        },
        {
            .en = {"log"},
            .zh = {"记录"},
            .usage =
                {"Usage: log <customer> <call|email|visit|im|other> [result…] [sat 1-5] [note] [next <time>] — "
                 "e.g. log Acme call reached sent the brochure next tomorrow 10am",
                 "用法：记录 <客户> <电话|邮件|拜访|微信|其他> [结果…] [满意度1-5] [备注] [下次 <时间>] —— 例如：记录 "
                 "华为 电话 已接通 有意向 下次 明天上午10点"},
            .summary = {"log Acme call no answer next tomorrow 10am", "记录 华为 电话 未接通 下次 明天上午10点"},
            .details = details_log,
            .parse = parse_log,
            .handler = handler<Log>(),
        },
        {
            .en = {"snooze"},
            .zh = {"推迟", "稍后提醒", "延后"},
            .usage = {"Usage: snooze <task id> <time> — e.g. snooze 42 2h",
                      "用法：推迟 <任务编号> <时间> —— 例如：推迟 42 明天上午10点"},
            .summary = {"snooze 42 2h", "推迟 42 明天上午10点"},
            .details = times_note,
            .parse = parse_snooze,
            .handler = handler<Snooze>(),
        },
        {
            .en = {"reschedule", "resched", "postpone"},
            .zh = {"改期", "改时间", "延期"},
            .usage = {"Usage: reschedule <task id> <time> — moves the due time itself, e.g. reschedule 42 fri 3pm",
                      "用法：改期 <任务编号> <时间> —— 改的是到期时间本身，例如：改期 42 周五下午3点"},
            .summary = {"reschedule 42 fri 3pm — move the due time", "改期 42 周五下午3点 —— 改到期时间"},
            .details = times_note,
            .parse = parse_reschedule,
            .handler = handler<Reschedule>(),
        },
        {
            .en = {"followup", "follow-up", "follow up", "fu"},
            .zh = {"跟进"},
            .usage =
                {"Usage: followup <customer> <time> [method] <topic> — e.g. followup Acme tomorrow 10am call pricing",
                 "用法：跟进 <客户> <时间> [方式] <事项> —— 例如：跟进 华为 明天上午10点 打电话 问报价"},
            .summary = {"followup Acme tomorrow 10am call pricing", "跟进 华为 明天上午10点 打电话 问报价"},
            .details = times_note,
            .parse = parse_followup,
            .handler = handler<Followup>(),
        },
        {
            .en = {"customer add", "add customer"},
            .zh = {"新客户", "添加客户"},
            .usage =
                {"Usage: customer add <name> [company=… phone=… email=… im=… tier=A|B|C stage=… source=… value=… "
                 "tags=a,b owner=…] — e.g. customer add Alice Wang company=Acme tier=A value=50k",
                 "用法：新客户 <名称> [公司=… 电话=… 邮箱=… 微信=… 等级=A|B|C 阶段=… 来源=… 金额=… 标签=a,b 负责人=…] "
                 "—— 例如：新客户 张三 公司=华为 等级=A 金额=10万"},
            .summary = {"customer add Alice Wang company=Acme tier=A", "新客户 张三 公司=华为 等级=A"},
            .details = []() -> LocalizedText {
                return {"\nStages: lead, new, active, silent, churn_risk, won, lost · Tiers: A (VIP), B, C",
                        "\n阶段：潜在、新客户、活跃、沉默、流失风险、成交、流失 · 等级：A（VIP）、B、C"};
            },
            .parse = parse_customer_add,
            .handler = handler<CustomerAdd>(),
        },
        {
            .en = {"customers", "mine"},
            .zh = {"我的客户", "客户列表"},
            .usage = {"Usage: customers — your customers (a manager sees the team's)",
                      "用法：我的客户 —— 你的客户（主管看到团队的）"},
            .summary = {"customers — your customers", "我的客户 —— 你的客户"},
            .parse = no_args<Customers>,
            .handler = handler<Customers>(),
            .list = true,
        },
        {
            .en = {"find", "search"},
            .zh = {"查找", "搜索", "找客户"},
            .usage = {"Usage: find <words> — your customers by name, company, phone digits, tag, tier or stage, e.g. "
                      "find acme 8000 tier A",
                      "用法：查找 <关键词> —— 按名称、公司、电话号码、标签、等级或阶段查找你的客户，例如：查找 华为 "
                      "8000 A类"},
            .summary = {"find acme 8000 — search your customers", "查找 华为 8000 —— 查找客户"},
            .details = []() -> LocalizedText {
                return {
                    "\nEvery word must match. Digits (4 or more) match phone numbers; A, B, C or VIP a tier; lead, "
                    "active, silent … a stage; other words a name, company or tag.",
                    "\n每个词都要匹配。数字（至少4位）匹配电话号码；A类、B类、C类或VIP匹配等级；潜在、活跃、沉默……匹配"
                    "阶段；"
                    "其他词匹配名称、公司或标签。"};
            },
            .parse = parse_find,
            .handler = handler<Find>(),
            .list = true,
        },
        {
            .en = {"more", "next"},
            .zh = {"下一页", "更多", "继续"},
            .usage = {"Usage: more — the next page of your last long list", "用法：下一页 —— 上一个长列表的下一页"},
            .summary = {"more — the next page of a long list", "下一页 —— 长列表的下一页"},
            .parse = no_args<More>,
            .handler = handler<More>(),
        },
        {
            .en = {"history"},
            .zh = {"历史"},
            .usage = {"Usage: history <customer> — e.g. history Acme or history c12",
                      "用法：历史 <客户> —— 例如：历史 华为 或 历史 c12"},
            .summary = {"history Acme", "历史 华为"},
            .parse = parse_history,
            .handler = handler<History>(),
            .list = true,
        },
        {
            .en = {"complaint", "complain"},
            .zh = {"投诉", "客诉", "客户投诉"},
            .usage = {"Usage: complaint <customer> <what they complain about> — e.g. complaint Acme invoice was wrong; "
                      "the customer is the first word, so quote a name with spaces: complaint \"Acme Corp\" late",
                      "用法：投诉 <客户> <投诉内容> —— 例如：投诉 华为 发票开错了；客户是第一个词，名称有空格时加引号："
                      "投诉 “华为 深圳” 发货太慢"},
            .summary = {"complaint Acme invoice was wrong", "投诉 华为 发票开错了"},
            .details = []() -> LocalizedText {
                return {"\nWhen it is dealt with: done <task id> resolved <what was done> — only 'resolved' closes it.",
                        "\n处理完后：完成 <任务编号> 已解决 <处理结果> —— 只有“已解决”能关闭投诉。"};
            },
            .parse = parse_complaint,
            .handler = handler<Complaint>(),
        },
        {
            .en = {"close"},
            .zh = {"结案", "关闭客户"},
            .usage = {"Usage: close <customer> won|lost [note] — e.g. close Acme won signed the annual plan",
                      "用法：结案 <客户> 成交|丢单 [备注] —— 例如：结案 华为 成交 签了年度合同"},
            .summary = {"close Acme won signed the annual plan", "结案 华为 成交 签了年度合同"},
            .details = []() -> LocalizedText {
                return {"\nOutcomes: won (win), lost (lose).", "\n结果：成交（赢单、签单）、丢单（输单、流失）。"};
            },
            .parse = parse_close,
            .handler = handler<Close>(),
        },
        {
            .en = {"pool"},
            .zh = {"公海", "客户池"},
            .usage = {"Usage: pool — customers nobody owns (contacts hidden); take one with claim",
                      "用法：公海 —— 没有负责人的客户（联系方式已隐藏）；用“领取”认领"},
            .summary = {"pool — customers nobody owns", "公海 —— 没有负责人的客户"},
            .parse = no_args<Pool>,
            .handler = handler<Pool>(),
            .list = true,
        },
        {
            .en = {"claim"},
            .zh = {"领取", "认领"},
            .usage = {"Usage: claim <customer> — take a customer from the pool, e.g. claim Acme or claim c12",
                      "用法：领取 <客户> —— 从公海领取客户，例如：领取 华为 或 领取 c12"},
            .summary = {"claim Acme — take a customer from the pool", "领取 华为 —— 从公海领取客户"},
            .parse = parse_claim,
            .handler = handler<Claim>(),
        },
        {
            .en = {"release"},
            .zh = {"释放", "退回公海", "放回公海"},
            .usage = {"Usage: release <customer> [reason] — back to the pool, e.g. release Acme no budget this year; "
                      "the customer is the first word, so quote a name with spaces: release \"Acme Corp\" no budget",
                      "用法：释放 <客户> [原因] —— 退回公海，例如：释放 华为 今年没预算；客户是第一个词，名称有空格时"
                      "加引号：释放 “华为 深圳” 没预算"},
            .summary = {"release Acme no budget — back to the pool", "释放 华为 没预算 —— 退回公海"},
            .parse = parse_release,
            .handler = handler<Release>(),
        },
        {
            .en = {"team"},
            .zh = {"团队"},
            .usage = {"Usage: team — per rep: open, due today, overdue, done today and this week, snoozes this week, "
                      "oldest overdue (managers)",
                      "用法：团队 —— 每位销售的待办、今天到期、逾期、今天和本周完成、本周推迟、最久逾期（主管）"},
            .summary = {"team — per-rep figures (managers)", "团队 —— 每位销售的情况（主管）"},
            .parse = no_args<Team>,
            .roles = kManagers,
            .handler = handler<Team>(),
            .list = true,
        },
        {
            .en = {"overdue"},
            .zh = {"逾期"},
            .usage = {"Usage: overdue [rep] — the team's overdue follow-ups, or one rep's (managers), e.g. overdue "
                      "@wang",
                      "用法：逾期 [销售] —— 团队（或某位销售）的逾期跟进（主管），例如：逾期 @wang 或 逾期 王伟"},
            .summary = {"overdue · overdue @wang — overdue follow-ups (managers)",
                        "逾期 · 逾期 @wang —— 逾期跟进（主管）"},
            .parse = parse_overdue,
            .roles = kManagers,
            .handler = handler<Overdue>(),
            .list = true,
        },
        {
            .en = {"report", "reports", "timeliness"},
            .zh = {"报告", "报表", "周报", "月报", "及时率", "跟进及时率"},
            .usage = {"Usage: report [week|month|last week|last month] — timeliness, outcomes and conversion "
                      "(managers), e.g. report last week",
                      "用法：报告 [本周|本月|上周|上月] —— 跟进及时率、跟进结果和转化率（主管），例如：报告 上周"},
            .summary = {"report · report last month — timeliness and conversion (managers)",
                        "报告 · 报告 上月 · 本周跟进及时率 —— 及时率和转化率（主管）"},
            .details = []() -> LocalizedText {
                return {
                    "\nPeriods: week (this week, the default), month, last week, last month, in your time zone. "
                    "Also: weekly report, monthly report, timeliness, last month report.",
                    "\n时间段：本周（默认）、本月、上周、上月，按你的时区计算。也可以说：周报、月报、跟进及时率、"
                    "本周跟进及时率、本月报告、上周报告。"};
            },
            .parse = parse_report,
            .roles = kManagers,
            .handler = handler<Report>(),
            .list = true,
        },
        {
            .en = {"who", "owner"},
            .zh = {"谁负责", "负责人"},
            .usage = {"Usage: who <customer> — owner, team, tier, stage, last contact and next follow-up, e.g. who "
                      "Acme or who c12",
                      "用法：谁负责 <客户> —— 负责人、团队、等级、阶段、最近联系和下次跟进，例如：谁负责 华为 或 "
                      "谁负责 c12"},
            .summary = {"who Acme — owner, stage, next follow-up", "谁负责 华为 —— 负责人、阶段、下次跟进"},
            .details = []() -> LocalizedText {
                return {"\nContacts are shown to the owner, their manager and admins only.",
                        "\n联系方式只对负责人、其主管和管理员显示。"};
            },
            .parse = parse_who,
            .handler = handler<Who>(),
        },
        {
            .en = {"assign"},
            .zh = {"转给", "分配", "转移"},
            .usage =
                {"Usage: assign <customer> <rep> — the customer and its follow-ups to another rep (managers), e.g. "
                 "assign Acme @wang",
                 "用法：转给 <客户> <销售> —— 把客户和它的跟进转给另一位销售（主管），例如：转给 华为 @wang"},
            .summary = {"assign Acme @wang (managers)", "转给 华为 @wang（主管）"},
            .parse = parse_assign,
            .roles = kManagers,
            .handler = handler<Assign>(),
        },
        {
            .en = {"handover", "hand-over"},
            .zh = {"交接", "移交"},
            .usage = {"Usage: handover <from rep> <to rep> — one rep's customers and follow-ups to another (managers), "
                      "e.g. handover @wang @li",
                      "用法：交接 <交出的销售> <接手的销售> —— 把一位销售的客户和跟进交给另一位（主管），例如：交接 "
                      "@wang @li"},
            .summary = {"handover @wang @li (managers)", "交接 @wang @li（主管）"},
            .parse = parse_handover,
            .roles = kManagers,
            .handler = handler<Handover>(),
        },
        {
            .en = {"whoami"},
            .zh = {"我是谁"},
            .usage = {"Usage: whoami — your account, team and time zone", "用法：我是谁 —— 你的账号、团队和时区"},
            .summary = {"whoami", "我是谁"},
            .parse = no_args<WhoAmI>,
            .handler = handler<WhoAmI>(),
        },
        {
            .en = {"login", "signin"},
            .zh = {"登录"},
            .usage =
                {"Usage: login — a link that signs you in to the web chat (once, within minutes; in a direct chat)",
                 "用法：登录 —— 一个登录网页聊天的链接（几分钟内有效，只能用一次；请在私聊中使用）"},
            .summary = {"login — sign in to the web chat", "登录 —— 登录网页聊天"},
            .parse = no_args<Login>,
            .handler = handler<Login>(),
        },
        calendar_command(),
        {
            .en = {"lang", "language"},
            .zh = {"语言"},
            .usage = {"Usage: lang en|zh — e.g. lang zh", "用法：语言 en|zh —— 例如：语言 中文"},
            .summary = {"lang zh", "语言 英文"},
            .parse = parse_lang,
            .handler = handler<SetLang>(),
        },
        {
            .en = {"link"},
            .zh = {"关联", "绑定"},
            .usage = {"Usage: link <telegram|slack|feishu|dingtalk|wecom> <platform user id> <user> [notify] — e.g. "
                      "link telegram 123456789 wang notify (admins)",
                      "用法：关联 <telegram|slack|飞书|钉钉|企业微信> <平台用户ID> <用户> [提醒] —— 例如：关联 飞书 "
                      "ou_7d8a6e wang 提醒（管理员）"},
            .summary = {"link telegram 123456789 wang notify — link a chat account (admins)",
                        "关联 飞书 ou_7d8a6e wang 提醒 —— 关联聊天账号（管理员）"},
            .details = details_link,
            .parse = parse_link,
            .roles = kAdmins,
            .handler = handler<Link>(),
        },
        {
            .en = {"unlink"},
            .zh = {"取消关联", "解绑"},
            .usage = {"Usage: unlink <platform> <platform user id> — e.g. unlink telegram 123456789 (admins)",
                      "用法：取消关联 <平台> <平台用户ID> —— 例如：取消关联 飞书 ou_7d8a6e（管理员）"},
            .summary = {"unlink telegram 123456789 (admins)", "取消关联 飞书 ou_7d8a6e（管理员）"},
            .details = platforms_note,
            .parse = parse_unlink,
            .roles = kAdmins,
            .handler = handler<Unlink>(),
        },
        {
            .en = {"status"},
            .zh = {"状态"},
            .usage = {"Usage: status — deliveries waiting per platform, stuck ones, users and teams (admins)",
                      "用法：状态 —— 各平台待发送的消息、发送卡住的消息、用户和团队数（管理员）"},
            .summary = {"status — deliveries and counts (admins)", "状态 —— 消息发送情况和统计（管理员）"},
            .parse = no_args<Status>,
            .roles = kAdmins,
            .handler = handler<Status>(),
            .list = true,
        },
        {
            .en = {"audit"},
            .zh = {"审计", "审计日志", "操作日志"},
            .usage = {"Usage: audit [n] [@user|customer|task:N] — the newest audit entries (admins), e.g. audit 20 "
                      "@wang · audit Acme · audit task:42",
                      "用法：审计 [条数] [@用户|客户|task:编号] —— 最新的审计日志（管理员），例如：审计 20 @wang · "
                      "审计 华为 · 审计 task:42"},
            .summary = {"audit 20 @wang — the audit log (admins)", "审计 20 @wang —— 审计日志（管理员）"},
            .details = []() -> LocalizedText {
                return {
                    "\nFilters: @user (who did it), a customer (its entries and its follow-ups'), task:42 (or "
                    "#42). At most 100 entries.",
                    "\n筛选：@用户（操作人）、客户（客户及其跟进的记录）、task:42（或 任务:42、#42）。最多100条。"};
            },
            .parse = parse_audit,
            .roles = kAdmins,
            .handler = handler<Audit>(),
            .list = true,
        },
        {
            .en = {"help", "?", "h", "start"},
            .zh = {"帮助"},
            .usage = {"Usage: help [command] — e.g. help done", "用法：帮助 [命令] —— 例如：帮助 完成"},
            .summary = {"help done — more about one command", "帮助 完成 —— 查看某个命令的说明"},
            .parse = parse_help,
            .handler = handler<Help>(),
            .list = true,
        },
    };
}

}  // namespace

bool CommandSpec::allows(Role r) const {
    const unsigned bit = r == Role::admin ? kAdmin : r == Role::manager ? kManager : kRep;
    return (roles & bit) != 0;
}

const std::vector<CommandSpec>& commands() {
    static const std::vector<CommandSpec> kTable = make_table();
    return kTable;
}

const CommandSpec* find_command(std::string_view lower_word) {
    for (const auto& c : commands())
        for (const auto* words : {&c.en, &c.zh})
            for (std::string_view w : *words)
                if (w == lower_word) return &c;
    return nullptr;
}

const CommandSpec& spec_of(const Command& command) {
    for (const auto& c : commands())
        if (c.handler.type == command.type()) return c;
    assert(!"every kind of Command has an entry in the table");
    return commands().front();
}

LocalizedText role_refusal(const CommandSpec& spec) {
    const std::string en = " ('" + std::string(spec.name_in(Lang::en)) + "')";
    const std::string zh = "（“" + std::string(spec.name_in(Lang::zh)) + "”）";
    if (spec.allows(Role::manager))
        return {"Only managers can do that" + en + ". Try 'today' for your own tasks.",
                "只有主管可以使用这个命令" + zh + "。查看自己的任务请发送「今天」。"};
    return {"Sorry, only an admin can do that" + en + ". Please ask your admin if you need it.",
            "抱歉，只有管理员可以使用这个命令" + zh + "。如有需要，请联系管理员。"};
}

}  // namespace fu::cmd
