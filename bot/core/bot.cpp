#include "core/bot.hpp"

#include <date/tz.h>

#include <algorithm>

#include "core/bot_internal.hpp"
#include "core/commands/table.hpp"
#include "core/time_expr.hpp"

namespace fu {
using namespace detail;

namespace {

bool has_cjk(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xE3; });
}

Reply not_registered(std::string_view handle, std::string_view text) {
    const std::string id(handle);
    if (has_cjk(text))
        return {"你还没有注册 followupd。请联系主管或管理员把你加入团队（你的 ID：" + id +
                    "）。\nYou are not registered with followupd yet.",
                {}};
    return {"You are not registered with followupd. Ask your manager or an admin to add you (your id: " + id +
                ").\n你还没有注册 followupd，请联系主管或管理员添加。",
            {}};
}

bool asks_for_more(std::string_view text) {
    const auto parsed = cmd::parse(text);
    const auto* command = std::get_if<cmd::Command>(&parsed.result);
    return command && command->is<cmd::More>();
}

}  // namespace

namespace detail {

bool same_team(Repo& repo, const User& me, UserId other) {
    if (!me.team) return false;
    auto u = repo.user(other);
    return u && u->team == me.team;
}

bool can_act_on_task(Repo& repo, const User& me, const Task& t) {
    if (me.role == Role::admin || t.assignee == me.id) return true;
    return me.role == Role::manager && same_team(repo, me, t.assignee);
}

bool can_act_on_customer(Repo& repo, const User& me, const Customer& c) {
    if (me.role == Role::admin) return true;
    if (c.owner && *c.owner == me.id) return true;
    if (me.role != Role::manager) return false;
    return !c.owner || same_team(repo, me, *c.owner);  // managers also see the public pool
}

// Contacts are personal data: the owner, the owner's manager and admins see them.
bool may_see_contacts(Repo& repo, const User& me, const Customer& c) {
    if (me.role == Role::admin) return true;
    if (!c.owner) return false;
    if (*c.owner == me.id) return true;
    return me.role == Role::manager && same_team(repo, me, *c.owner);
}

bool can_act_on_task(Ctx& ctx, const Task& t) { return can_act_on_task(ctx.repo, ctx.me, t); }
bool can_act_on_customer(Ctx& ctx, const Customer& c) { return can_act_on_customer(ctx.repo, ctx.me, c); }
bool may_see_contacts(Ctx& ctx, const Customer& c) { return may_see_contacts(ctx.repo, ctx.me, c); }

Contacts contacts(Ctx& ctx, const Customer& c, bool allowed) {
    Contacts out;
    if (allowed && !ctx.group) {
        out.phone = c.phone;
        out.email = c.email;
        out.im = c.im;
        return out;
    }
    out.phone = c.phone.empty() ? std::string() : render::mask_phone(c.phone);
    out.email = c.email.empty() ? std::string() : render::mask_email(c.email);
    out.im = c.im.empty() ? std::string() : render::mask_text(c.im);
    out.masked = out.any();
    return out;
}

std::string contacts_note(const Ctx& ctx, const Contacts& shown, bool allowed) {
    if (!shown.masked) return {};
    if (!allowed)
        return ctx.t("\nContacts are hidden: only the owner, their manager and admins see them.",
                     "\n联系方式已隐藏：只有负责人、其主管和管理员可以查看。");
    return ctx.t("\nContacts are masked in a group chat: ask me in a direct chat to see them.",
                 "\n群聊中不显示完整联系方式：请私聊我查看。");
}

Task load_task(Ctx& ctx, TaskId id) {
    auto t = ctx.repo.task(id);
    if (!t || !can_act_on_task(ctx, *t)) {
        const auto n = std::to_string(id.value);
        ctx.fail("There is no task #" + n + " of yours. Send 'today' to see your tasks.",
                 "没有找到你的任务 #" + n + "。发送「今天」查看你的任务。");
    }
    return *t;
}

Customer load_customer(Ctx& ctx, const cmd::CustomerRef& ref) {
    if (ref.id) {
        auto c = ctx.repo.customer(*ref.id);
        if (!c || !can_act_on_customer(ctx, *c)) {
            const auto n = "c" + std::to_string(ref.id->value);
            ctx.fail("There is no customer " + n + " of yours. Send 'customers' to list them.",
                     "没有找到你的客户 " + n + "。发送「我的客户」查看列表。");
        }
        return *c;
    }
    auto found = ctx.repo.find_customers(ref.name, 50);
    std::erase_if(found, [&](const Customer& c) { return !can_act_on_customer(ctx, c); });
    auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::tolower(ch); });
        return s;
    };
    const auto wanted = lower(ref.name);
    std::vector<Customer> exact;
    for (const auto& c : found)
        if (lower(c.name) == wanted) exact.push_back(c);
    if (exact.size() == 1) return exact.front();
    if (found.size() == 1) return found.front();
    if (found.empty())
        ctx.fail("No customer of yours matches '" + ref.name +
                     "'. Send 'customers' to list them, or add one: customer add " + ref.name,
                 "你的客户中没有匹配「" + ref.name + "」的。发送「我的客户」查看列表，或新建：新客户 " + ref.name);
    std::string list;
    for (std::size_t i = 0; i < found.size() && i < 5; ++i)
        list += "\n  c" + std::to_string(found[i].id.value) + " " + found[i].name;
    ctx.fail("'" + ref.name + "' matches several customers; use the id (e.g. c" + std::to_string(found[0].id.value) +
                 "):" + list,
             "「" + ref.name + "」匹配到多个客户，请用编号（如 c" + std::to_string(found[0].id.value) + "）：" + list);
}

TimeContext time_context(const Ctx& ctx) {
    TimeContext tc{ctx.now, ctx.zone, ctx.me.day_start_minute(), ctx.me.day_end_minute(), {}};
    tc.working_day = [cal = calendar_of(ctx.opt, ctx.me)](date::local_days d) {
        return cal.is_working_day(std::chrono::sys_days{d.time_since_epoch()});
    };
    return tc;
}

TimePoint resolve_when(Ctx& ctx, std::string_view text) {
    auto r = resolve_time(text, time_context(ctx));
    if (auto* err = std::get_if<TimeError>(&r)) throw UserError(err->message.in(ctx.lang));
    return std::get<TimePoint>(r);
}

std::string user_name(Repo& repo, UserId id) {
    auto u = repo.user(id);
    return u ? u->display_name : "#" + std::to_string(id.value);
}

void refresh_next_followup(Repo& repo, CustomerId id) {
    auto c = repo.customer(id);
    if (!c) return;
    auto open = repo.open_tasks_for_customer(id);
    std::optional<TimePoint> next;
    for (const auto& t : open)
        if (!next || t.due < *next) next = t.due;
    if (c->next_followup != next) {
        c->next_followup = next;
        repo.update_customer(*c);
    }
}

void audit(Ctx& ctx, std::string action, std::string subject, std::string detail) {
    ctx.repo.append_audit(AuditEntry{{}, ctx.now, ctx.me.id, std::move(action), std::move(subject), std::move(detail)});
}

void notify(Ctx& ctx, const User& to, MessageKind kind, std::string text, std::vector<Button> buttons,
            std::vector<TaskId> tasks) {
    deliver(ctx.repo, to,
            OutboxMessage{{}, to.id, ctx.now, kind, std::move(text), std::move(buttons), std::move(tasks)});
    ctx.notified.push_back(to.id);
}

MessageId deliver(Repo& repo, const User& to, OutboxMessage m) {
    const TimePoint now = m.created_at;
    m.to = to.id;
    const MessageId id = repo.enqueue(m);
    if (to.notify_platform == "web") return id;
    for (const auto& who : repo.identities_of(to.id)) {
        if (who.platform != to.notify_platform) continue;
        repo.add_delivery(pending_delivery(id, who.platform, who.external_id, who.chat_id, now));
        break;
    }
    return id;
}

std::vector<std::string> platforms_of(Repo& repo, const std::vector<UserId>& users) {
    std::vector<std::string> out;
    for (const UserId id : users) {
        const auto u = repo.user(id);
        if (!u || u->notify_platform == "web") continue;  // the web chat reads the outbox itself
        if (std::find(out.begin(), out.end(), u->notify_platform) == out.end()) out.push_back(u->notify_platform);
    }
    return out;
}

}  // namespace detail

Bot::Bot(Store& store, const Clock& clock, BotOptions options) : store_(store), clock_(clock), options_(options) {}

Handled Bot::execute(Repo& repo, const User& me, std::string_view text, std::size_t page_bytes, bool group) {
    // Every channel's commands come through here, so one check bounds them all.
    if (const auto refusal = command_too_long(text, options_.limits)) {
        if (options_.on_command) options_.on_command("unknown", "too_long");
        Handled out;
        out.reply.text = refusal->in(me.lang);
        return out;
    }
    const auto parsed = cmd::parse(text);
    // Replies are in the user's language, whichever language the command word
    // was in: an English user who types 今天 reads English.
    if (const auto* err = std::get_if<cmd::ParseError>(&parsed.result)) {
        if (options_.on_command)
            options_.on_command(err->command.empty() ? std::string_view("unknown") : err->command, "usage");
        Handled out;
        out.reply.text = err->message.in(me.lang);
        if (!err->usage.in(me.lang).empty()) out.reply.text += "\n" + err->usage.in(me.lang);
        return out;
    }
    return run_command(repo, me, std::get<cmd::Command>(parsed.result), page_bytes, group);
}

Handled Bot::run_command(Repo& repo, const User& me, const cmd::Command& command, std::size_t page_bytes, bool group) {
    Handled out;
    const auto schedule_writes = repo.schedule_writes();
    const auto observe = [this](std::string_view name, std::string_view result) {
        if (options_.on_command) options_.on_command(name, result);
    };
    Ctx ctx{repo, me, me.lang, clock_.now(), render::zone_of(me), out.notified, options_, group};
    const auto& spec = cmd::spec_of(command);
    if (!spec.allows(me.role)) {
        observe(spec.name(), "forbidden");
        out.reply.text = cmd::role_refusal(spec).in(ctx.lang);
        return out;
    }
    try {
        out.reply = spec.handler.run(ctx, command);
        // `more` gives a page already cut; any other long reply is cut here.
        if (!command.is<cmd::More>()) out.reply = first_page(ctx, std::move(out.reply), page_bytes, spec.list);
    } catch (const uc::Refused& e) {
        observe(spec.name(), "refused");
        throw UserError(refusal(ctx, e));  // the reply, and the transaction rolls back
    } catch (const UserError&) {
        observe(spec.name(), "refused");
        throw;
    } catch (...) {
        observe(spec.name(), "error");
        throw;
    }
    observe(spec.name(), "ok");
    out.schedule = repo.schedule_writes() != schedule_writes;
    return out;
}

Handled Bot::handle(std::string_view handle, std::string_view text) {
    Handled out;
    try {
        store_.transact([&](Repo& repo) {
            auto me = repo.user_by_handle(handle);
            if (!me) {
                out = Handled{not_registered(handle, text), {}};
                return;
            }
            out = execute(repo, *me, text, options_.page_bytes);
            out.platforms = platforms_of(repo, out.notified);
        });
    } catch (const UserError& e) {
        out = Handled{Reply{e.what(), {}}, {}};  // rolled back: nobody was notified
    }
    return out;
}

Bot::Acted Bot::act(UserId user, const cmd::Command& command) {
    Acted out;
    try {
        store_.transact([&](Repo& repo) {
            const auto me = repo.user(user);
            if (!me) throw UserError("no such user #" + std::to_string(user.value));
            out.handled = run_command(repo, *me, command, options_.page_bytes, false);
            out.handled.platforms = platforms_of(repo, out.handled.notified);
            // A role the command is not for is answered, not done.
            out.refused = !cmd::spec_of(command).allows(me->role);
        });
    } catch (const UserError& e) {
        out = Acted{Handled{Reply{e.what(), {}}, {}, {}}, true};  // rolled back: nobody was notified
    }
    return out;
}

PlatformResult Bot::handle_platform(const Inbound& in) {
    PlatformResult result;
    const TimePoint now = clock_.now();
    // A pressed button's reply edits the message the button was on; but the
    // next page of a list comes as a message of its own, below the one before.
    const std::string edit_ref = in.button && !asks_for_more(in.text) ? in.message_ref : std::string();
    auto reply_to = [&](Repo& repo, const User& me, const Reply& reply) {
        OutboxMessage m{{}, me.id, now, MessageKind::reply, reply.text, reply.buttons, {}};
        m.id = repo.enqueue(m);
        Delivery d = pending_delivery(m.id, in.platform, in.user_id, in.chat_id, now);
        d.replace_ref = edit_ref;
        repo.add_delivery(d);
    };
    // Whether the reply goes to a direct chat. A button press may not say
    // (a Feishu card callback names the chat, not its kind): one pressed in
    // the chat known as the user's direct chat with the bot was pressed there.
    bool direct = in.direct;
    auto find_user = [&](Repo& repo) -> std::optional<User> {
        auto who = repo.identity(in.platform, in.user_id);
        if (!who) return std::nullopt;
        if (in.button && !in.direct && !in.chat_id.empty() && who->chat_id == in.chat_id) direct = true;
        if (in.direct && who->chat_id != in.chat_id) {
            who->chat_id = in.chat_id;  // remember the direct chat for reminders
            repo.link_identity(*who);
        }
        return repo.user(who->user);
    };
    try {
        store_.transact([&](Repo& repo) {
            if (!repo.first_sighting(in.platform, in.event_id, now)) {
                result.duplicate = true;
                return;
            }
            auto me = find_user(repo);
            if (!me) {
                auto text = not_registered(in.platform + ":" + in.user_id, in.text).text;
                if (in.answered_inline) {
                    result.stranger_reply = std::move(text);
                    return;
                }
                // Paced, retried and recorded like every reply; no user's.
                const OutboxMessage m{{}, UserId{0}, now, MessageKind::reply, std::move(text), {}, {}};
                repo.add_delivery(pending_delivery(repo.enqueue(m), in.platform, in.user_id, in.chat_id, now));
                result.platforms = {in.platform};
                return;
            }
            // Most refusals come before the command wrote anything (no such
            // task, a time that cannot be read): then the refusal is the reply
            // in this same transaction. One that comes after a write undoes the
            // whole transaction, and the event is recorded again below.
            const auto written = repo.writes();
            Handled handled;
            try {
                handled = execute(repo, *me, in.text, options_.page_bytes_for(in.platform), !direct);
            } catch (const UserError& e) {
                if (repo.writes() != written) throw;
                reply_to(repo, *me, Reply{e.what(), {}});
                result.notified = {me->id};
                result.platforms = {in.platform};
                return;
            }
            if (!edit_ref.empty()) handled.reply.text += "\n— " + me->display_name;
            reply_to(repo, *me, handled.reply);
            result.notified = std::move(handled.notified);
            result.schedule = handled.schedule;
            result.platforms = platforms_of(repo, result.notified);
            result.notified.push_back(me->id);
            if (std::find(result.platforms.begin(), result.platforms.end(), in.platform) == result.platforms.end())
                result.platforms.push_back(in.platform);  // the reply
        });
    } catch (const UserError& e) {
        // The command was rolled back; record the event and the explanation alone.
        store_.transact([&](Repo& repo) {
            if (!repo.first_sighting(in.platform, in.event_id, now)) {
                result.duplicate = true;
                return;
            }
            auto me = find_user(repo);
            reply_to(repo, *me, Reply{e.what(), {}});
            result.notified = {me->id};
            result.platforms = {in.platform};
        });
    }
    return result;
}

}  // namespace fu
