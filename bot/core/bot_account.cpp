// The commands about the asker themself: help, whoami, lang, login and calendar.
#include <cstdio>

#include "core/bot_internal.hpp"

namespace fu::detail {

namespace {

std::string minutes_text(int m) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", m / 60, m % 60);
    return buf;
}

}  // namespace

Reply run(Ctx& ctx, const cmd::WhoAmI&) {
    const User& me = ctx.me;
    std::string team = ctx.t("no team", "无团队");
    if (me.team)
        if (auto t = ctx.repo.team(*me.team)) team = t->name;
    const std::string hours = minutes_text(me.work_start_minute) + "–" + minutes_text(me.work_end_minute);
    if (ctx.lang == Lang::zh)
        return {"你是 " + me.display_name + "（" + me.handle + "），" + render::role(me.role, ctx.lang) + "，团队：" +
                    team + "\n时区：" + me.time_zone + " · 语言：" + std::string(code(me.lang)) + " · 工作时间：" +
                    hours,
                {}};
    return {"You are " + me.display_name + " (" + me.handle + "), " + render::role(me.role, ctx.lang) + " in " + team +
                "\nTime zone: " + me.time_zone + " · language: " + std::string(code(me.lang)) +
                " · working hours: " + hours,
            {}};
}

// A sign-in link is a key to the person's account: never into a group chat.
Reply run(Ctx& ctx, const cmd::Login&) {
    if (ctx.group)
        ctx.fail("Send login to me in a direct chat: a sign-in link must not go to a group.",
                 "请在私聊中发送“登录”：登录链接不能发到群里。");
    if (!ctx.opt.sign_in_link) ctx.fail("The web chat has no sign-in here.", "这里的网页聊天不需要登录。");
    const auto url = ctx.opt.sign_in_link(ctx.repo, ctx.me, ctx.now);
    return {ctx.t("Open this link to sign in to the web chat as " + ctx.me.handle +
                      " (it works once, for a few minutes; do not share it):\n" + url,
                  "打开此链接即以 " + ctx.me.handle + " 登录网页聊天（只能用一次，几分钟内有效；请勿转发）：\n" + url),
            {}};
}

// A calendar feed's address opens the person's follow-ups to whoever has it:
// like a sign-in link, never into a group chat. Only its hash is stored, so
// the address is shown once, when it is made; `calendar new` makes another.
Reply run(Ctx& ctx, const cmd::Calendar& c) {
    using Action = cmd::Calendar::Action;
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

Reply run(Ctx& ctx, const cmd::SetLang& c) {
    User me = ctx.me;
    me.lang = c.lang;
    ctx.repo.update_user(me);
    if (c.lang == Lang::zh) return {"好的，提醒将使用中文。", {}};
    return {"OK, reminders will be in English.", {}};
}

// The list shows only the commands the asker may use; help <command> explains any of them.
Reply run(Ctx& ctx, const cmd::Help& c) {
    const Lang lang = ctx.lang;
    auto text = cmd::help_text(c.topic, ctx.me.role);
    if (text.en.empty()) {
        text = cmd::help_text({}, ctx.me.role);
        return {(lang == Lang::zh ? "没有这个命令：" : "No such command: ") + c.topic + "\n\n" + text.in(lang), {}};
    }
    return {text.in(lang), {}};
}

}  // namespace fu::detail
