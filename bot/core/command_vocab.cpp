// The command language's words: commands, methods, results, usage and help text.
#include <algorithm>
#include <iterator>

#include "core/lang_command.hpp"
#include "core/lang_text.hpp"

namespace fu::cmd {

namespace {

using sv = std::string_view;

struct ResultWord {
    sv word;
    sv code;
};

const std::vector<ResultWord>& result_words() {
    static const std::vector<ResultWord> kWords = {
        {"reached", "reached"},
        {"connected", "reached"},
        {"answered", "reached"},
        {"已接通", "reached"},
        {"接通", "reached"},
        {"联系上", "reached"},
        {"no answer", "no_answer"},
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
        {"fixed", "resolved"},
        {"已解决", "resolved"},
        {"解决", "resolved"},
        {"已处理", "resolved"},
        {"call back", "callback"},
        {"callback", "callback"},
        {"回电", "callback"},
        {"需回电", "callback"},
    };
    return kWords;
}

}  // namespace

const std::vector<ResultName>& result_codes() {
    static const std::vector<ResultName> kCodes = {
        {"reached", "reached", "已接通"},
        {"no_answer", "no answer", "未接通"},
        {"interested", "interested", "有意向"},
        {"not_interested", "not interested", "无意向"},
        {"quote_sent", "quote sent", "已报价"},
        {"meeting", "meeting booked", "已约见"},
        {"won", "won", "成交"},
        {"lost", "lost", "丢单"},
        {"complaint", "complaint", "投诉"},
        {"resolved", "resolved", "已解决"},  // the only result that closes a complaint task
        {"callback", "call back", "需回电"},
    };
    return kCodes;
}

std::optional<std::string_view> result_from_word(std::string_view word) {
    std::string w;
    for (char c : lang::lower_ascii(lang::trim_gaps(lang::normalized(word)))) {
        if (c == '-' || c == '_')
            c = ' ';
        if (c == ' ' && (w.empty() || w.back() == ' '))
            continue;
        w += c;
    }
    for (const auto& r : result_codes()) {
        std::string code(r.code);
        std::replace(code.begin(), code.end(), '_', ' ');
        if (w == code)
            return r.code;
    }
    for (const auto& r : result_words())
        if (w == r.word)
            return r.code;
    return std::nullopt;
}

std::optional<std::string> platform_from_word(std::string_view word) {
    static const std::pair<sv, sv> kPlatforms[] = {
        {"telegram", "telegram"}, {"slack", "slack"},     {"feishu", "feishu"}, {"飞书", "feishu"},
        {"dingtalk", "dingtalk"}, {"钉钉", "dingtalk"},   {"wecom", "wecom"},   {"企业微信", "wecom"},
        {"企微", "wecom"}};
    const std::string w = lang::lower_ascii(lang::trim_gaps(lang::normalized(word)));
    for (auto& [name, code] : kPlatforms)
        if (w == name)
            return std::string(code);
    return std::nullopt;
}

namespace detail {

const std::vector<CommandWord>& command_words() {
    static const std::vector<CommandWord> kWords = {
        {"help", Kind::help},
        {"帮助", Kind::help},
        {"?", Kind::help},
        {"h", Kind::help},
        {"start", Kind::help},
        {"today", Kind::today},
        {"今天", Kind::today},
        {"今日", Kind::today},
        {"待办", Kind::today},
        {"done", Kind::done},
        {"完成", Kind::done},
        {"d", Kind::done},
        {"log", Kind::log},
        {"记录", Kind::log},
        {"snooze", Kind::snooze},
        {"推迟", Kind::snooze},
        {"稍后提醒", Kind::snooze},
        {"延后", Kind::snooze},
        {"customer add", Kind::customer_add},
        {"add customer", Kind::customer_add},
        {"新客户", Kind::customer_add},
        {"添加客户", Kind::customer_add},
        {"followup", Kind::followup},
        {"follow-up", Kind::followup},
        {"follow up", Kind::followup},
        {"fu", Kind::followup},
        {"跟进", Kind::followup},
        {"history", Kind::history},
        {"历史", Kind::history},
        {"customers", Kind::customers},
        {"mine", Kind::customers},
        {"我的客户", Kind::customers},
        {"客户列表", Kind::customers},
        {"whoami", Kind::whoami},
        {"我是谁", Kind::whoami},
        {"team", Kind::team},
        {"团队", Kind::team},
        {"overdue", Kind::overdue},
        {"逾期", Kind::overdue},
        {"assign", Kind::assign},
        {"转给", Kind::assign},
        {"分配", Kind::assign},
        {"转移", Kind::assign},
        {"lang", Kind::lang},
        {"language", Kind::lang},
        {"语言", Kind::lang},
        {"link", Kind::link},
        {"关联", Kind::link},
        {"绑定", Kind::link},
        {"unlink", Kind::unlink},
        {"取消关联", Kind::unlink},
        {"解绑", Kind::unlink},
        {"status", Kind::status},
        {"状态", Kind::status},
        {"reschedule", Kind::reschedule},
        {"resched", Kind::reschedule},
        {"postpone", Kind::reschedule},
        {"改期", Kind::reschedule},
        {"改时间", Kind::reschedule},
        {"延期", Kind::reschedule},
        {"complaint", Kind::complaint},
        {"complain", Kind::complaint},
        {"投诉", Kind::complaint},
        {"客诉", Kind::complaint},
        {"客户投诉", Kind::complaint},
        {"pool", Kind::pool},
        {"公海", Kind::pool},
        {"客户池", Kind::pool},
        {"claim", Kind::claim},
        {"领取", Kind::claim},
        {"认领", Kind::claim},
        {"release", Kind::release},
        {"释放", Kind::release},
        {"退回公海", Kind::release},
        {"放回公海", Kind::release},
        {"handover", Kind::handover},
        {"hand-over", Kind::handover},
        {"交接", Kind::handover},
        {"移交", Kind::handover},
        {"close", Kind::close},
        {"结案", Kind::close},
        {"关闭客户", Kind::close},
        {"digest", Kind::digest},
        {"summary", Kind::digest},
        {"日报", Kind::digest},
        {"今日摘要", Kind::digest},
        {"摘要", Kind::digest},
        {"report", Kind::report},
        {"reports", Kind::report},
        {"timeliness", Kind::report},
        {"报告", Kind::report},
        {"报表", Kind::report},
        {"周报", Kind::report},
        {"月报", Kind::report},
        {"及时率", Kind::report},
        {"跟进及时率", Kind::report},
        {"who", Kind::who},
        {"owner", Kind::who},
        {"谁负责", Kind::who},
        {"负责人", Kind::who},
        {"audit", Kind::audit},
        {"审计", Kind::audit},
        {"审计日志", Kind::audit},
        {"操作日志", Kind::audit},
    };
    return kWords;
}

std::optional<Kind> kind_of(std::string_view lower_word) {
    for (const auto& w : command_words())
        if (w.word == lower_word)
            return w.kind;
    return std::nullopt;
}

std::string_view canonical(Kind k) {
    static constexpr sv kNames[] = {
        "help",      "today", "done",    "log",     "snooze",   "customer add", "followup", "history", "customers",
        "whoami",    "team",  "overdue", "assign",  "lang",     "link",         "unlink",   "status",  "reschedule",
        "complaint", "pool",  "claim",   "release", "handover", "close",        "digest",   "report",  "who",
        "audit"};
    static_assert(std::size(kNames) == static_cast<std::size_t>(Kind::audit) + 1);
    return kNames[static_cast<int>(k)];
}

LocalizedText usage(Kind k) {
    switch (k) {
        case Kind::help: return {"Usage: help [command] — e.g. help done", "用法：帮助 [命令] —— 例如：帮助 完成"};
        case Kind::today:
            return {"Usage: today — your follow-ups due today and overdue", "用法：今天 —— 今天到期和已逾期的跟进"};
        case Kind::done:
            return {"Usage: done <task id> [result…] [sat 1-5] [note] [next <time>] — e.g. done 42 reached "
                    "interested sat 4 next fri 3pm",
                    "用法：完成 <任务编号> [结果…] [满意度1-5] [备注] [下次 <时间>] —— 例如：完成 42 已接通 有意向 "
                    "满意度4 下次 周五下午3点"};
        case Kind::log:
            return {
                "Usage: log <customer> <call|email|visit|im|other> [result…] [sat 1-5] [note] [next <time>] — "
                "e.g. log Acme call reached sent the brochure next tomorrow 10am",
                "用法：记录 <客户> <电话|邮件|拜访|微信|其他> [结果…] [满意度1-5] [备注] [下次 <时间>] —— 例如：记录 "
                "华为 电话 已接通 有意向 下次 明天上午10点"};
        case Kind::snooze:
            return {"Usage: snooze <task id> <time> — e.g. snooze 42 2h",
                    "用法：推迟 <任务编号> <时间> —— 例如：推迟 42 明天上午10点"};
        case Kind::customer_add:
            return {
                "Usage: customer add <name> [company=… phone=… email=… im=… tier=A|B|C stage=… source=… value=… "
                "tags=a,b owner=…] — e.g. customer add Alice Wang company=Acme tier=A value=50k",
                "用法：新客户 <名称> [公司=… 电话=… 邮箱=… 微信=… 等级=A|B|C 阶段=… 来源=… 金额=… 标签=a,b 负责人=…] "
                "—— 例如：新客户 张三 公司=华为 等级=A 金额=10万"};
        case Kind::followup:
            return {
                "Usage: followup <customer> <time> [method] <topic> — e.g. followup Acme tomorrow 10am call pricing",
                "用法：跟进 <客户> <时间> [方式] <事项> —— 例如：跟进 华为 明天上午10点 打电话 问报价"};
        case Kind::history:
            return {"Usage: history <customer> — e.g. history Acme or history c12",
                    "用法：历史 <客户> —— 例如：历史 华为 或 历史 c12"};
        case Kind::customers:
            return {"Usage: customers — your customers (a manager sees the team's)",
                    "用法：我的客户 —— 你的客户（主管看到团队的）"};
        case Kind::whoami:
            return {"Usage: whoami — your account, team and time zone", "用法：我是谁 —— 你的账号、团队和时区"};
        case Kind::team:
            return {"Usage: team — per rep: open, due today, overdue, done today and this week, snoozes this week, "
                    "oldest overdue (managers)",
                    "用法：团队 —— 每位销售的待办、今天到期、逾期、今天和本周完成、本周推迟、最久逾期（主管）"};
        case Kind::overdue:
            return {"Usage: overdue [rep] — the team's overdue follow-ups, or one rep's (managers), e.g. overdue "
                    "@wang",
                    "用法：逾期 [销售] —— 团队（或某位销售）的逾期跟进（主管），例如：逾期 @wang 或 逾期 王伟"};
        case Kind::assign:
            return {"Usage: assign <customer> <rep> — e.g. assign Acme @wang",
                    "用法：转给 <客户> <销售> —— 例如：转给 华为 @wang"};
        case Kind::lang: return {"Usage: lang en|zh — e.g. lang zh", "用法：语言 en|zh —— 例如：语言 中文"};
        case Kind::link:
            return {"Usage: link <telegram|slack|feishu|dingtalk|wecom> <platform user id> <user> [notify] — e.g. "
                    "link telegram 123456789 wang notify (admins)",
                    "用法：关联 <telegram|slack|飞书|钉钉|企业微信> <平台用户ID> <用户> [提醒] —— 例如：关联 飞书 "
                    "ou_7d8a6e wang 提醒（管理员）"};
        case Kind::unlink:
            return {"Usage: unlink <platform> <platform user id> — e.g. unlink telegram 123456789 (admins)",
                    "用法：取消关联 <平台> <平台用户ID> —— 例如：取消关联 飞书 ou_7d8a6e（管理员）"};
        case Kind::status:
            return {"Usage: status — deliveries waiting per platform, stuck ones, users and teams (admins)",
                    "用法：状态 —— 各平台待发送的消息、发送卡住的消息、用户和团队数（管理员）"};
        case Kind::reschedule:
            return {"Usage: reschedule <task id> <time> — moves the due time itself, e.g. reschedule 42 fri 3pm",
                    "用法：改期 <任务编号> <时间> —— 改的是到期时间本身，例如：改期 42 周五下午3点"};
        case Kind::complaint:
            return {"Usage: complaint <customer> <what they complain about> — e.g. complaint Acme invoice was wrong; "
                    "the customer is the first word, so quote a name with spaces: complaint \"Acme Corp\" late",
                    "用法：投诉 <客户> <投诉内容> —— 例如：投诉 华为 发票开错了；客户是第一个词，名称有空格时加引号："
                    "投诉 “华为 深圳” 发货太慢"};
        case Kind::pool:
            return {"Usage: pool — customers nobody owns (contacts hidden); take one with claim",
                    "用法：公海 —— 没有负责人的客户（联系方式已隐藏）；用“领取”认领"};
        case Kind::claim:
            return {"Usage: claim <customer> — take a customer from the pool, e.g. claim Acme or claim c12",
                    "用法：领取 <客户> —— 从公海领取客户，例如：领取 华为 或 领取 c12"};
        case Kind::release:
            return {"Usage: release <customer> [reason] — back to the pool, e.g. release Acme no budget this year; "
                    "the customer is the first word, so quote a name with spaces: release \"Acme Corp\" no budget",
                    "用法：释放 <客户> [原因] —— 退回公海，例如：释放 华为 今年没预算；客户是第一个词，名称有空格时"
                    "加引号：释放 “华为 深圳” 没预算"};
        case Kind::handover:
            return {"Usage: handover <from rep> <to rep> — one rep's customers and follow-ups to another (managers), "
                    "e.g. handover @wang @li",
                    "用法：交接 <交出的销售> <接手的销售> —— 把一位销售的客户和跟进交给另一位（主管），例如：交接 "
                    "@wang @li"};
        case Kind::close:
            return {"Usage: close <customer> won|lost [note] — e.g. close Acme won signed the annual plan",
                    "用法：结案 <客户> 成交|丢单 [备注] —— 例如：结案 华为 成交 签了年度合同"};
        case Kind::digest:
            return {"Usage: digest — today's due and overdue follow-ups in one message, now",
                    "用法：日报 —— 马上发送今天到期和逾期跟进的摘要"};
        case Kind::report:
            return {"Usage: report [week|month|last week|last month] — timeliness, outcomes and conversion "
                    "(managers), e.g. report last week",
                    "用法：报告 [本周|本月|上周|上月] —— 跟进及时率、跟进结果和转化率（主管），例如：报告 上周"};
        case Kind::who:
            return {"Usage: who <customer> — owner, team, tier, stage, last contact and next follow-up, e.g. who "
                    "Acme or who c12",
                    "用法：谁负责 <客户> —— 负责人、团队、等级、阶段、最近联系和下次跟进，例如：谁负责 华为 或 "
                    "谁负责 c12"};
        case Kind::audit:
            return {"Usage: audit [n] [@user|customer|task:N] — the newest audit entries (admins), e.g. audit 20 "
                    "@wang · audit Acme · audit task:42",
                    "用法：审计 [条数] [@用户|客户|task:编号] —— 最新的审计日志（管理员），例如：审计 20 @wang · "
                    "审计 华为 · 审计 task:42"};
    }
    return {};
}

ParseError error(Kind k, std::string en, std::string zh) {
    return {{std::move(en), std::move(zh)}, usage(k)};
}

namespace {

std::size_t edit_distance(const std::vector<char32_t>& a, const std::vector<char32_t>& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

}  // namespace

std::optional<std::string_view> suggest(std::string_view word) {
    std::string lw = lang::lower_ascii(word);
    auto a = lang::code_points(lw);
    if (a.empty() || a.size() > 24)
        return std::nullopt;
    bool cjk = lang::contains_cjk(lw);
    std::optional<sv> best;
    std::size_t best_d = 99;
    for (const auto& w : command_words()) {
        auto b = lang::code_points(w.word);
        if (b.size() < 2 || lang::contains_cjk(w.word) != cjk)
            continue;
        std::size_t d = edit_distance(a, b);
        if (d < best_d)
            best_d = d, best = w.word;
    }
    std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(2, a.size() / 2));
    if (best && best_d <= limit)
        return best;
    return std::nullopt;
}

std::optional<Method> method_word(std::string_view lower) {
    static const std::pair<sv, Method> kWords[] = {
        {"call", Method::call},  {"phone", Method::call},  {"电话", Method::call},    {"打电话", Method::call},
        {"致电", Method::call},  {"email", Method::email}, {"e-mail", Method::email}, {"mail", Method::email},
        {"邮件", Method::email}, {"visit", Method::visit}, {"拜访", Method::visit},   {"上门", Method::visit},
        {"面谈", Method::visit}, {"im", Method::im},       {"wechat", Method::im},    {"chat", Method::im},
        {"微信", Method::im},    {"消息", Method::im},     {"other", Method::other},  {"其他", Method::other}};
    for (auto& [w, m] : kWords)
        if (w == lower)
            return m;
    return std::nullopt;
}

std::size_t method_prefix(std::string_view s, Method* m) {
    static const std::pair<sv, Method> kWords[] = {
        {"打电话", Method::call}, {"电话", Method::call},  {"致电", Method::call},  {"邮件", Method::email},
        {"拜访", Method::visit},  {"上门", Method::visit}, {"面谈", Method::visit}, {"微信", Method::im},
        {"消息", Method::im},     {"其他", Method::other}};
    for (auto& [w, mm] : kWords)
        if (s.starts_with(w))
            return *m = mm, w.size();
    return 0;
}

namespace {

constexpr std::pair<sv, Stage> kChineseOutcomes[] = {{"成交", Stage::won},  {"赢单", Stage::won},  {"签单", Stage::won},
                                                     {"丢单", Stage::lost}, {"输单", Stage::lost}, {"流失", Stage::lost}};

}  // namespace

std::optional<Stage> outcome_word(std::string_view lower) {
    if (lower == "won" || lower == "win")
        return Stage::won;
    if (lower == "lost" || lower == "lose")
        return Stage::lost;
    for (auto& [w, st] : kChineseOutcomes)
        if (w == lower)
            return st;
    return std::nullopt;
}

std::size_t outcome_suffix(std::string_view word, Stage* outcome) {
    for (auto& [w, st] : kChineseOutcomes)
        if (word.size() > w.size() && word.ends_with(w) && lang::cjk_before(word, word.size() - w.size()))
            return *outcome = st, w.size();
    return 0;
}

std::vector<std::string_view> split_results(std::string_view s) {
    // Longest match first with backtracking over a small DP: best[i] = code list for s[i..].
    const std::size_t n = s.size();
    std::vector<int> next(n + 1, -1);  // next[i]: end of the word starting at i on a full split
    std::vector<std::string_view> code_at(n + 1);
    std::vector<bool> ok(n + 1, false);
    ok[n] = true;
    for (std::size_t i = n; i-- > 0;) {
        std::size_t best = 0;
        for (const auto& r : result_words()) {
            if (!lang::contains_cjk(r.word) || !s.substr(i).starts_with(r.word))
                continue;
            std::size_t e = i + r.word.size();
            if (ok[e] && r.word.size() > best)
                best = r.word.size(), code_at[i] = r.code;
        }
        if (best)
            ok[i] = true, next[i] = static_cast<int>(i + best);
    }
    std::vector<std::string_view> out;
    if (n == 0 || !ok[0])
        return out;
    for (std::size_t i = 0; i < n; i = static_cast<std::size_t>(next[i])) out.push_back(code_at[i]);
    return out;
}

}  // namespace detail

namespace {

// The working-hours rule for clocks (see Parser::finish in time_expr_calendar.cpp).
struct BareHours {
    std::string_view en, zh;
};
constexpr BareHours kBareHours{
    "An hour 1–6 with no am/pm means the afternoon: 3:30 and 3点 are 15:30 and 15:00; for the morning write 3am, "
    "上午3点 or 凌晨3点.",
    "没写上午/下午时，1–6点指下午：3点、3:30 是 15:00、15:30；早上请写 上午3点、凌晨3点 或 3am。"};

}  // namespace

LocalizedText help_text(std::string_view topic) {
    using detail::Kind;
    std::string t = lang::lower_ascii(lang::trim_gaps(lang::normalized(topic)));
    if (!t.empty() && t[0] == '/')
        t.erase(0, 1);
    if (t.empty()) {
        LocalizedText out{"Commands (each line is one example):\n", "命令（每行一个例子）：\n"};
        static const std::pair<Kind, LocalizedText> kExamples[] = {
            {Kind::today, {"today — what is due today and overdue", "今天 —— 今天到期和逾期的跟进"}},
            {Kind::digest, {"digest — today's summary, now", "日报 —— 马上发送今日摘要"}},
            {Kind::done, {"done 42 reached interested next fri 3pm", "完成 42 已接通 有意向 下次 周五下午3点"}},
            {Kind::log, {"log Acme call no answer next tomorrow 10am", "记录 华为 电话 未接通 下次 明天上午10点"}},
            {Kind::snooze, {"snooze 42 2h", "推迟 42 明天上午10点"}},
            {Kind::reschedule, {"reschedule 42 fri 3pm — move the due time", "改期 42 周五下午3点 —— 改到期时间"}},
            {Kind::followup, {"followup Acme tomorrow 10am call pricing", "跟进 华为 明天上午10点 打电话 问报价"}},
            {Kind::customer_add, {"customer add Alice Wang company=Acme tier=A", "新客户 张三 公司=华为 等级=A"}},
            {Kind::customers, {"customers — your customers", "我的客户 —— 你的客户"}},
            {Kind::history, {"history Acme", "历史 华为"}},
            {Kind::complaint, {"complaint Acme invoice was wrong", "投诉 华为 发票开错了"}},
            {Kind::close, {"close Acme won signed the annual plan", "结案 华为 成交 签了年度合同"}},
            {Kind::pool,
             {"pool · claim Acme · release Acme no budget — customers nobody owns",
              "公海 · 领取 华为 · 释放 华为 没预算 —— 没有负责人的客户"}},
            {Kind::team, {"team — per-rep figures (managers)", "团队 —— 每位销售的情况（主管）"}},
            {Kind::overdue,
             {"overdue · overdue @wang — overdue follow-ups (managers)", "逾期 · 逾期 @wang —— 逾期跟进（主管）"}},
            {Kind::report,
             {"report · report last month — timeliness and conversion (managers)",
              "报告 · 报告 上月 · 本周跟进及时率 —— 及时率和转化率（主管）"}},
            {Kind::who, {"who Acme — owner, stage, next follow-up", "谁负责 华为 —— 负责人、阶段、下次跟进"}},
            {Kind::assign, {"assign Acme @wang", "转给 华为 @wang"}},
            {Kind::handover, {"handover @wang @li (managers)", "交接 @wang @li（主管）"}},
            {Kind::whoami, {"whoami", "我是谁"}},
            {Kind::lang, {"lang zh", "语言 英文"}},
            {Kind::link,
             {"link telegram 123456789 wang notify — link a chat account (admins)",
              "关联 飞书 ou_7d8a6e wang 提醒 —— 关联聊天账号（管理员）"}},
            {Kind::unlink, {"unlink telegram 123456789 (admins)", "取消关联 飞书 ou_7d8a6e（管理员）"}},
            {Kind::status, {"status — deliveries and counts (admins)", "状态 —— 消息发送情况和统计（管理员）"}},
            {Kind::audit, {"audit 20 @wang — the audit log (admins)", "审计 20 @wang —— 审计日志（管理员）"}},
            {Kind::help, {"help done — more about one command", "帮助 完成 —— 查看某个命令的说明"}},
        };
        for (const auto& [k, ex] : kExamples) {
            out.en += "· " + ex.en + "\n";
            out.zh += "· " + ex.zh + "\n";
        }
        out.en += "Times: in 2h · tomorrow 10am · fri 3pm · next mon · 2026-12-01 10:00\n";
        out.zh += "时间：2小时后 · 明天上午10点 · 周五下午3点 · 下周一9点 · 12月1日\n";
        out.en += kBareHours.en;
        out.zh += kBareHours.zh;
        return out;
    }
    auto kind = detail::kind_of(t);
    if (!kind && t == "customer")
        kind = Kind::customer_add;
    if (!kind)
        return {};
    LocalizedText out = detail::usage(*kind);
    switch (*kind) {
        case Kind::done:
        case Kind::log: {
            out.en += "\nResults: ";
            out.zh += "\n结果：";
            for (const auto& r : result_codes()) {
                bool last = &r == &result_codes().back();
                out.en += std::string(r.en) + (last ? "" : ", ");
                out.zh += std::string(r.zh) + (last ? "" : "、");
            }
            out.en += "\nSatisfaction: sat 4, sat=4 or satisfaction 4 (1 to 5), among the results or the note.";
            out.zh += "\n满意度：满意度4、满意度 4 或 满意度4分（1到5），写在结果或备注中。";
            out.en += "\nNext: the time after the last 'next' (next fri 3pm); a 'next' with no time after it is "
                      "part of the note (said to call next quarter).\n" + std::string(kBareHours.en);
            out.zh += "\n下次：最后一个“下次”后面的时间（下次 周五下午3点）；后面没有时间的“下次”算作备注"
                      "（客户说下次再谈）。\n" + std::string(kBareHours.zh);
            if (*kind == Kind::done) {
                out.en += "\nMore: done 7 · done #7 no answer next 2h · done 7 won signed the annual plan";
                out.zh += "\n更多：完成 7 · 完成7 未接通 下次2小时后 · 完成 7 成交 签了年度合同";
            } else {
                out.en += "\nMethods: call, email, visit, im, other";
                out.zh += "\n方式：电话、邮件、拜访、微信、其他";
            }
            break;
        }
        case Kind::snooze:
        case Kind::reschedule:
        case Kind::followup:
            out.en += "\nTimes: in 2h · 30m · tomorrow 10am · fri 3pm · next mon · 2026-12-01 10:00\n";
            out.zh += "\n时间：2小时后 · 半小时后 · 明天上午10点 · 周五下午3点 · 下周一9点 · 12月1日\n";
            out.en += kBareHours.en;
            out.zh += kBareHours.zh;
            break;
        case Kind::link:
        case Kind::unlink:
            out.en += "\nPlatforms: telegram, slack, feishu (飞书), dingtalk (钉钉), wecom (企业微信, 企微).";
            out.zh += "\n平台：telegram、slack、飞书（feishu）、钉钉（dingtalk）、企业微信/企微（wecom）。";
            if (*kind == Kind::link) {
                out.en += "\nAn account already linked to someone else is moved. With 'notify' the user's reminders "
                          "go to that platform from now on.";
                out.zh += "\n已关联到其他人的账号会被转过来。加上“提醒”后，该用户的提醒从此发到这个平台。";
            }
            break;
        case Kind::complaint:
            out.en += "\nWhen it is dealt with: done <task id> resolved <what was done> — only 'resolved' closes it.";
            out.zh += "\n处理完后：完成 <任务编号> 已解决 <处理结果> —— 只有“已解决”能关闭投诉。";
            break;
        case Kind::close:
            out.en += "\nOutcomes: won (win), lost (lose).";
            out.zh += "\n结果：成交（赢单、签单）、丢单（输单、流失）。";
            break;
        case Kind::report:
            out.en += "\nPeriods: week (this week, the default), month, last week, last month, in your time zone. "
                      "Also: weekly report, monthly report, timeliness, last month report.";
            out.zh += "\n时间段：本周（默认）、本月、上周、上月，按你的时区计算。也可以说：周报、月报、跟进及时率、"
                      "本周跟进及时率、本月报告、上周报告。";
            break;
        case Kind::who:
            out.en += "\nContacts are shown to the owner, their manager and admins only.";
            out.zh += "\n联系方式只对负责人、其主管和管理员显示。";
            break;
        case Kind::audit:
            out.en += "\nFilters: @user (who did it), a customer (its entries and its follow-ups'), task:42. At most "
                      "100 entries.";
            out.zh += "\n筛选：@用户（操作人）、客户（客户及其跟进的记录）、task:42。最多100条。";
            break;
        case Kind::customer_add:
            out.en += "\nStages: lead, new, active, silent, churn_risk, won, lost · Tiers: A (VIP), B, C";
            out.zh += "\n阶段：潜在、新客户、活跃、沉默、流失风险、成交、流失 · 等级：A（VIP）、B、C";
            break;
        default: break;
    }
    return out;
}

}  // namespace fu::cmd
