// calendar [new|off] (日历 [新|关闭]): your follow-ups as a feed for a calendar app.
// Everything of the command is here: its arguments, its entry (words, usage, help),
// its parser and its handler; table.cpp places it in the help list.
#include "core/commands/args.hpp"
#include "core/commands/define.hpp"
#include "core/lang_text.hpp"

namespace fu::cmd {
namespace {

using fu::detail::Ctx;
using sv = std::string_view;

struct Calendar {
    enum class Action { show, rotate, off };
    Action action = Action::show;
};

Result parse(sv args, sv) {
    const std::string a = lang::lower_ascii(lang::trim_gaps(args));
    if (a.empty()) return Calendar{};
    for (sv w : {"new", "rotate", "renew", "reset", "新", "新的", "新建", "更换", "换"})
        if (a == w) return Calendar{Calendar::Action::rotate};
    for (sv w : {"off", "stop", "revoke", "delete", "关闭", "关", "停用", "取消"})
        if (a == w) return Calendar{Calendar::Action::off};
    return detail::fail(
        "Unknown calendar option " + detail::quote_en(args) + ": type calendar, calendar new or calendar off.",
        "不认识的日历选项" + detail::quote_zh(args) + "：请发送 日历、日历 新 或 日历 关闭。");
}

// A calendar feed's address opens the person's follow-ups to whoever has it:
// like a sign-in link, never into a group chat. Only its hash is stored, so
// the address is shown once, when it is made; `calendar new` makes another.
Reply run(Ctx& ctx, const Calendar& c) {
    using Action = Calendar::Action;
    const auto subject = "user:" + std::to_string(ctx.me.id.value);
    if (c.action == Action::off) {
        if (!ctx.repo.end_calendar_feed(ctx.me.id))
            return {ctx.t("You have no calendar feed. Type calendar to make one.",
                          "你还没有日历订阅。发送“日历”即可创建。"),
                    {}};
        audit(ctx, "calendar.off", subject, "calendar feed ended");
        return {ctx.t("Your calendar feed is off: its address answers no more, and your calendar app will stop "
                      "showing your follow-ups. Type calendar for a new one.",
                      "日历订阅已关闭：原地址立即失效，日历应用将不再显示你的跟进。需要时发送“日历”重新创建。"),
                {}};
    }
    if (ctx.group)
        ctx.fail("Send calendar to me in a direct chat: a calendar address must not go to a group.",
                 "请在私聊中发送“日历”：日历订阅地址不能发到群里。");
    if (!ctx.opt.calendar_feed) ctx.fail("Calendar feeds are not available here.", "这里不提供日历订阅。");
    const auto existing = ctx.repo.calendar_feed_of(ctx.me.id);
    if (c.action == Action::show && existing) {
        const auto since = ctx.when(existing->created_at);
        return {
            ctx.t("Your calendar feed is on (since " + since +
                      "). Its address was shown once, when it was made; only a fingerprint of it is kept, so "
                      "it cannot be shown again.\nType calendar new for a new address (the old one stops at "
                      "once), or calendar off to end the feed.",
                  "你的日历订阅已开启（" + since +
                      "起）。订阅地址只在创建时显示一次，系统只保存它的指纹，无法再次显示。\n发送“日历 新”获取新地址"
                      "（旧地址立即失效），或发送“日历 关闭”停止订阅。"),
            {}};
    }
    const auto url = ctx.opt.calendar_feed(ctx.repo, ctx.me, ctx.now);
    audit(ctx, existing ? "calendar.new" : "calendar.on", subject,
          existing ? "calendar feed replaced" : "calendar feed made");
    const std::string old_en = existing ? "Your previous calendar address no longer works.\n" : "";
    const std::string old_zh = existing ? "之前的日历订阅地址已失效。\n" : "";
    return {
        ctx.t(
            old_en +
                "Your follow-ups as a calendar feed (keep this address private: anyone with it sees your "
                "follow-ups):\n" +
                url +
                "\nAdd it as a calendar subscription — Outlook: Add calendar › Subscribe from web; Google: "
                "Other calendars › From URL; Apple: File › New Calendar Subscription; other apps: their "
                "subscribe-by-address option, where they have one. Done or cancelled follow-ups leave it at the next "
                "refresh. The "
                "address is shown only now: calendar new replaces it, calendar off ends it.",
            old_zh + "你的跟进日历订阅地址（请勿转发：拿到地址的人都能看到你的跟进）：\n" + url +
                "\n在日历应用中添加订阅 —— Outlook：添加日历 › 从 Web 订阅；Google：其他日历 › 通过网址添加；"
                "Apple：文件 › 新建日历订阅；其他应用：使用其“通过网址订阅”功能（如有）。已完成或取消的跟进在下次刷新时"
                "消失。地址只显示这一次：“日历 新”换新地址，“日历 关闭”停止订阅。"),
        {}};
}

}  // namespace

CommandSpec calendar_command() {
    return {
        .en = {"calendar", "ical"},
        .zh = {"日历"},
        .usage = {"Usage: calendar [new|off] — your follow-ups as a feed for Outlook, Google, Apple or Feishu "
                  "calendars (new: a new address, the old one stops at once; off: no feed), e.g. calendar new",
                  "用法：日历 [新|关闭] —— 把你的跟进订阅到 Outlook、Google、Apple 或飞书日历（新：换新地址，旧地址"
                  "立即失效；关闭：停止订阅），例如：日历 新"},
        .summary = {"calendar — your follow-ups in your calendar app", "日历 —— 在日历应用里看到你的跟进"},
        .parse = parse,
        .handler = handler_of<Calendar, run>(),
    };
}

}  // namespace fu::cmd
