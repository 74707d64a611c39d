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
