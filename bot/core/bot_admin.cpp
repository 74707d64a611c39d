// Admins' commands: link, unlink, status.
#include <date/date.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "core/bot_internal.hpp"

namespace fu::detail {
namespace {

using namespace std::chrono_literals;

constexpr auto kStuckAfter = 15min;
constexpr std::size_t kStuckShown = 20;
constexpr std::size_t kPendingCounted = 1000;

std::string platform_name(std::string_view code, Lang lang) {
    const bool zh = lang == Lang::zh;
    if (code == "telegram") return "Telegram";
    if (code == "slack") return "Slack";
    if (code == "feishu") return zh ? "飞书" : "Feishu";
    if (code == "dingtalk") return zh ? "钉钉" : "DingTalk";
    if (code == "wecom") return zh ? "企业微信" : "WeCom";
    if (code == "web") return zh ? "网页聊天" : "web chat";
    return std::string(code);
}

// "Telegram account 123" / "Telegram 账号 123"
std::string account(Ctx& ctx, std::string_view platform, std::string_view external_id) {
    return platform_name(platform, ctx.lang) + ctx.t(" account ", " 账号 ") + std::string(external_id);
}

std::string kind_name(MessageKind k, Lang lang) {
    const bool zh = lang == Lang::zh;
    switch (k) {
        case MessageKind::reply: return zh ? "回复" : "reply";
        case MessageKind::reminder: return zh ? "提醒" : "reminder";
        case MessageKind::catch_up: return zh ? "汇总提醒" : "catch-up";
        case MessageKind::notice: return zh ? "通知" : "notice";
    }
    return "?";
}

// "<1m", "17m", "2h 5m", "3d 4h" / "不到1分钟", "17分钟", "2小时5分钟", "3天4小时"
std::string age(Seconds d, Lang lang) {
    const bool zh = lang == Lang::zh;
    const auto m = std::chrono::duration_cast<std::chrono::minutes>(d).count();
    if (m < 1) return zh ? "不到1分钟" : "<1m";
    if (m < 60) return std::to_string(m) + (zh ? "分钟" : "m");
    auto pair = [&](long long big, const char* big_en, const char* big_zh, long long small, const char* small_en,
                    const char* small_zh) {
        std::string s = std::to_string(big) + (zh ? big_zh : big_en);
        if (small > 0) s += (zh ? "" : " ") + std::to_string(small) + (zh ? small_zh : small_en);
        return s;
    };
    if (m < 48 * 60) return pair(m / 60, "h", "小时", m % 60, "m", "分钟");
    return pair(m / (24 * 60), "d", "天", (m / 60) % 24, "h", "小时");
}

// Whether `user` still has an account on `platform` for reminders to go to.
bool has_account_on(Repo& repo, UserId user, std::string_view platform) {
    for (const auto& i : repo.identities_of(user))
        if (i.platform == platform) return true;
    return false;
}

// A warning when a user's reminders were meant for `platform` and no account is left there.
std::string orphan_warning(Ctx& ctx, UserId user, std::string_view platform) {
    auto u = ctx.repo.user(user);
    if (!u || u->notify_platform != platform || has_account_on(ctx.repo, user, platform)) return {};
    const auto p = platform_name(platform, ctx.lang);
    return ctx.t(
        "\n⚠️ " + u->display_name + " has no " + p +
            " account linked now: their reminders stay in the web "
            "chat until one is linked.",
        "\n⚠️ " + u->display_name + " 现在没有关联的" + p + "账号：在关联新账号之前，提醒只会出现在网页聊天里。");
}

// What a platform's user ids look like (PLATFORMS.md; each platform's API
// reference): "" when `id` has that form, else the reason with an example.
// A link to an id the platform never sends would never match anyone.
bool all_of(std::string_view s, auto pred) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) { return pred(static_cast<unsigned char>(c)); });
}
std::string identity_form_error(Ctx& ctx, std::string_view platform, std::string_view id) {
    const auto p = platform_name(platform, ctx.lang);
    const std::string given(id);
    auto bad = [&](std::string_view en, std::string_view zh) {
        return ctx.t("'" + given + "' is not a " + p + " user id: " + std::string(en),
                     "「" + given + "」不是" + p + "用户ID：" + std::string(zh));
    };
    if (platform == "telegram") {
        // from.id: a positive integer (group chats are negative, and not people).
        if (!all_of(id, [](unsigned char c) { return std::isdigit(c); }) || id.size() > 19 || id == "0" ||
            id.front() == '0')
            return bad("Telegram user ids are numbers, e.g. 123456789 (from.id of a message they sent).",
                       "Telegram 用户ID是数字，例如 123456789（其消息里的 from.id）。");
    } else if (platform == "slack") {
        // U… or W… (Enterprise Grid), upper-case letters and digits.
        if (id.size() < 3 || (id.front() != 'U' && id.front() != 'W') ||
            !all_of(id, [](unsigned char c) { return std::isupper(c) || std::isdigit(c); }))
            return bad("Slack user ids start with U or W, e.g. U2CERLKJA (in their profile: Copy member ID).",
                       "Slack 用户ID以 U 或 W 开头，例如 U2CERLKJA（个人资料里“复制成员ID”）。");
    } else if (platform == "feishu") {
        // The open_id the bot is sent (sender_id.open_id): "ou_" and letters or digits.
        if (!id.starts_with("ou_") || !all_of(id.substr(3), [](unsigned char c) { return std::isalnum(c); }))
            return bad("Feishu ids here are open_ids, e.g. ou_7d8a6e6df7621556ce0d21922b676706.",
                       "飞书用户ID应为 open_id，例如 ou_7d8a6e6df7621556ce0d21922b676706。");
    } else if (platform == "dingtalk" || platform == "wecom") {
        // The organisation's userid (DingTalk senderStaffId, WeCom FromUserName):
        // 1-64 letters, digits and _ - . @, starting with a letter or a digit.
        const bool ok =
            id.size() <= 64 &&
            all_of(id,
                   [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c == '.' || c == '@'; }) &&
            std::isalnum(static_cast<unsigned char>(id.front()));
        if (!ok)
            return bad("use the organisation's userid: 1-64 letters, digits, _ - . @, e.g. zhangsan01.",
                       "应为企业内的 userid：1到64位字母、数字或 _ - . @，例如 zhangsan01。");
    }
    return {};
}

std::string identity_subject(std::string_view platform, std::string_view external_id) {
    return "identity:" + std::string(platform) + ":" + std::string(external_id);
}

}  // namespace

Reply run(Ctx& ctx, const cmd::Link& c) {
    if (const auto why = identity_form_error(ctx, c.platform, c.external_id); !why.empty()) throw UserError(why);
    User to = resolve_person(ctx, c.user, ctx.repo.users(), PersonScope::everyone);
    const auto acct = account(ctx, c.platform, c.external_id);
    const auto plat = platform_name(c.platform, ctx.lang);
    const auto before = ctx.repo.identity(c.platform, c.external_id);

    std::string text, detail;
    if (before && before->user == to.id) {
        text = ctx.t("🔗 " + acct + " is already linked to " + to.display_name + ".",
                     "🔗 " + acct + " 已经关联到 " + to.display_name + "。");
    } else {
        ctx.repo.link_identity(Identity{c.platform, c.external_id, to.id, before ? before->chat_id : std::string()});
        detail = "user:" + (before ? std::to_string(before->user.value) + "->" : std::string()) +
                 std::to_string(to.id.value);
        if (before) {
            const auto prev = user_name(ctx.repo, before->user);
            text = ctx.t("🔗 " + acct + " was linked to " + prev + "; it is now linked to " + to.display_name + ".",
                         "🔗 " + acct + " 原来关联的是 " + prev + "，现已改为关联到 " + to.display_name + "。");
            text += orphan_warning(ctx, before->user, c.platform);
        } else {
            text = ctx.t("🔗 " + acct + " is now linked to " + to.display_name + ".",
                         "🔗 " + acct + " 已关联到 " + to.display_name + "。");
        }
    }

    if (c.notify && to.notify_platform != c.platform) {
        to.notify_platform = c.platform;
        ctx.repo.update_user(to);
        detail += std::string(detail.empty() ? "" : " ") + "notify:" + c.platform;
        text += ctx.t("\n🔔 " + to.display_name + "'s reminders now go to " + plat + ".",
                      "\n🔔 " + to.display_name + " 的提醒今后发到" + plat + "。");
    } else if (c.notify) {
        text += ctx.t("\n🔔 " + to.display_name + "'s reminders already go to " + plat + ".",
                      "\n🔔 " + to.display_name + " 的提醒本来就发到" + plat + "。");
    } else if (to.notify_platform != c.platform) {
        const auto now_at = platform_name(to.notify_platform, ctx.lang);
        text += ctx.t("\n" + to.display_name + "'s reminders still go to " + now_at +
                          "; add 'notify' to send them to " + plat + ".",
                      "\n" + to.display_name + " 的提醒仍发到" + now_at + "；加上“提醒”可改发到" + plat + "。");
    }
    if (!detail.empty()) audit(ctx, "identity.link", identity_subject(c.platform, c.external_id), detail);
    return {text, {}};
}

Reply run(Ctx& ctx, const cmd::Unlink& c) {
    const auto acct = account(ctx, c.platform, c.external_id);
    const auto before = ctx.repo.identity(c.platform, c.external_id);
    if (!before) ctx.fail(acct + " is not linked to anyone.", acct + " 没有关联到任何人。");
    ctx.repo.unlink_identity(c.platform, c.external_id);
    audit(ctx, "identity.unlink", identity_subject(c.platform, c.external_id),
          "user:" + std::to_string(before->user.value));
    const auto who = user_name(ctx.repo, before->user);
    std::string text = ctx.t("✂️ " + acct + " is no longer linked to " + who + ".",
                             "✂️ 已取消 " + acct + " 与 " + who + " 的关联。");
    text += orphan_warning(ctx, before->user, c.platform);
    return {text, {}};
}

Reply run(Ctx& ctx, const cmd::Status&) {
    const bool zh = ctx.lang == Lang::zh;
    std::string text = ctx.t("🩺 Status — ", "🩺 运行状态 —— ") + ctx.when(ctx.now);

    // People and customers.
    const auto users = ctx.repo.users();
    int admins = 0, managers = 0, reps = 0;
    std::map<std::string, int> notify_on;
    std::vector<std::string> unlinked;  // reminders meant for a platform with no account of theirs left
    for (const auto& u : users) {
        (u.role == Role::admin ? admins : u.role == Role::manager ? managers : reps) += 1;
        // deliver() finds no account there: their reminders stay in the web chat.
        if (u.notify_platform != "web" && !has_account_on(ctx.repo, u.id, u.notify_platform)) {
            ++notify_on["web"];
            unlinked.push_back(u.display_name + " (" + platform_name(u.notify_platform, ctx.lang) + ")");
        } else {
            ++notify_on[u.notify_platform];
        }
    }
    const auto n = [](auto v) { return std::to_string(v); };
    text += zh ? "\n👥 用户 " + n(users.size()) + "（管理员 " + n(admins) + " · 主管 " + n(managers) + " · 销售 " +
                     n(reps) + "）· 团队 " + n(ctx.repo.teams().size()) + " · 客户 " + n(ctx.repo.customer_count())
               : "\n👥 Users " + n(users.size()) + " (admins " + n(admins) + " · managers " + n(managers) + " · reps " +
                     n(reps) + ") · teams " + n(ctx.repo.teams().size()) + " · customers " +
                     n(ctx.repo.customer_count());
    if (!notify_on.empty()) {
        text += ctx.t("\n🔔 Reminders go to: ", "\n🔔 提醒发往：");
        bool first = true;
        for (const auto& [platform, count] : notify_on) {
            text += (first ? "" : " · ") + platform_name(platform, ctx.lang) + " " + n(count);
            first = false;
        }
    }
    if (!unlinked.empty()) {
        std::string names;
        for (std::size_t i = 0; i < unlinked.size() && i < 10; ++i) names += (i ? " · " : "") + unlinked[i];
        if (unlinked.size() > 10) names += " · …";
        text +=
            ctx.t("\n⚠️ No account linked on their reminder platform (reminders stay in the web chat): " + names,
                  "\n⚠️ 提醒平台上没有关联账号（提醒只出现在网页聊天里）：" + names);
    }
    // The holiday calendar runs out: working hours would then ignore holidays and make-up workdays.
    if (const auto left = ctx.opt.holidays.covered_days(ctx.now)) {
        const auto until = date::format("%F", *ctx.opt.holidays.covered_until());
        if (*left < HolidayCalendar::kWarnDays)
            text += ctx.t("\n⚠️ The holiday calendar ends " + until + " (" + n(*left) +
                              " day(s) from today): add the next year's holidays and make-up workdays "
                              "(calendar.holidays) once they are published.",
                          "\n⚠️ 节假日日历只到 " + until + "（还剩 " + n(*left) +
                              " 天）：下一年的放假和调休安排公布后，请补充到日历（calendar.holidays）。");
        else
            text += ctx.t("\n📅 Holiday calendar until " + until + ".", "\n📅 节假日日历至 " + until + "。");
    }
    if (const auto next = ctx.repo.next_reminder_at())
        text += ctx.t("\n⏰ Next reminder: ", "\n⏰ 下一条提醒：") + ctx.when(*next);
    else
        text += ctx.t("\n⏰ No reminders scheduled.", "\n⏰ 没有待发的提醒。");

    // Deliveries waiting, per platform (oldest first, so the first seen is the oldest).
    const auto pending = ctx.repo.deliveries_pending_since(ctx.now + 1s, kPendingCounted);
    struct Backlog {
        std::size_t count = 0;
        TimePoint oldest{};
    };
    std::map<std::string, Backlog> per_platform;
    for (const auto& d : pending) {
        auto& b = per_platform[d.platform];
        if (b.count++ == 0) b.oldest = d.created_at;
    }
    if (per_platform.empty()) {
        text += ctx.t("\n📤 No deliveries pending.", "\n📤 没有待发送的消息。");
    } else {
        text += ctx.t("\n📤 Pending deliveries:", "\n📤 待发送的消息：");
        for (const auto& [platform, b] : per_platform)
            text += "\n  " + platform_name(platform, ctx.lang) +
                    ctx.t(": " + n(b.count) + " pending, oldest " + age(ctx.now - b.oldest, ctx.lang),
                          "：" + n(b.count) + " 条，最早的已等 " + age(ctx.now - b.oldest, ctx.lang));
        if (pending.size() == kPendingCounted)
            text += ctx.t("\n  (counted up to " + n(kPendingCounted) + ")",
                          "\n  （最多统计 " + n(kPendingCounted) + " 条）");
    }

    // Deliveries still undelivered after 15 minutes.
    const auto stuck = ctx.repo.deliveries_pending_since(ctx.now - kStuckAfter, kStuckShown);
    if (stuck.empty()) {
        text += ctx.t("\n✅ All clear: nothing is undelivered after 15 minutes.",
                      "\n✅ 一切正常：没有超过15分钟仍未送达的消息。");
        return {text, {}};
    }
    const auto count = n(stuck.size()) + (stuck.size() == kStuckShown ? "+" : "");
    text += ctx.t("\n⚠️ Undelivered after 15 minutes (" + count + "):",
                  "\n⚠️ 超过15分钟仍未送达（" + count + "）：");
    for (const auto& d : stuck) {
        const auto m = ctx.repo.message(d.message);
        // No user: a reply to someone not registered, known by their platform id.
        const auto who = m && m->to ? user_name(ctx.repo, m->to) : d.recipient;
        text += "\n  " + platform_name(d.platform, ctx.lang) + " · " + who + " · " +
                (m ? kind_name(m->kind, ctx.lang) : std::string("?")) + " · " + age(ctx.now - d.created_at, ctx.lang) +
                ctx.t(" · " + n(d.attempts) + " attempt(s) · last error: ",
                      " · 已尝试 " + n(d.attempts) + " 次 · 最近错误：") +
                (d.last_error.empty() ? ctx.t("none yet", "暂无") : d.last_error);
    }
    return {text, {}};
}

}  // namespace fu::detail
