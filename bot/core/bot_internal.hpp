#pragma once
// Shared by the Bot's command handlers; not part of the public interface.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/bot.hpp"
#include "core/command.hpp"
#include "core/render.hpp"
#include "core/reports.hpp"
#include "core/store.hpp"
#include "core/time_expr.hpp"
#include "core/usecases/customers.hpp"
#include "core/usecases/followups.hpp"

namespace fu::detail {

// A mistake the user can fix: becomes the reply; the transaction rolls back.
struct UserError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Ctx {
    Repo& repo;
    const User& me;
    Lang lang;
    TimePoint now;
    const date::time_zone* zone;
    std::vector<UserId>& notified;
    const BotOptions& opt;
    bool group = false;  // the reply goes to a group chat: everyone in it reads it

    std::string t(std::string_view en, std::string_view zh) const { return std::string(lang == Lang::zh ? zh : en); }
    std::string when(TimePoint at) const { return render::when(at, now, zone, lang); }
    [[noreturn]] void fail(std::string_view en, std::string_view zh) const { throw UserError(t(en, zh)); }
};

// A name-like field typed in chat, refused (UserError) when longer than limits.name_chars.
inline void check_name(const Ctx& ctx, std::string_view value, std::string_view en, std::string_view zh) {
    if (auto refusal = name_too_long(value, en, zh, ctx.opt.limits)) throw UserError(refusal->in(ctx.lang));
}

// The chat's session for a use case: the speaker acts.
inline uc::Session session(Ctx& ctx) {
    return uc::Session{ctx.repo, ctx.me, ctx.now, ctx.opt, ctx.notified, uc::Via::chat, {}};
}
// A use case's refusal as the reply says it (bot_tasks.cpp).
std::string refusal(const Ctx&, const uc::Refused&);

// Access rules: a rep acts on their own, a manager on their team's, an admin on all.
bool same_team(Repo&, const User& me, UserId other);
bool can_act_on_task(Ctx&, const Task&);
bool can_act_on_customer(Ctx&, const Customer&);
// Whether the speaker may see a customer's contacts at all: the owner, their manager, admins.
bool may_see_contacts(Ctx&, const Customer&);
// The same rules for any viewer (the web pages ask them outside a command).
bool can_act_on_task(Repo&, const User& me, const Task&);
bool can_act_on_customer(Repo&, const User& me, const Customer&);
bool may_see_contacts(Repo&, const User& me, const Customer&);

// A customer's contact fields as a reply may show them: in full to those who
// may see them, in a direct chat; masked otherwise (a group chat is read by all).
struct Contacts {
    std::string phone, email, im;
    bool masked = false;  // some field was masked
    bool any() const { return !phone.empty() || !email.empty() || !im.empty(); }
};
Contacts contacts(Ctx&, const Customer&, bool allowed);
// The line saying why contacts were masked, or "" when none were.
std::string contacts_note(const Ctx&, const Contacts&, bool allowed);

Task load_task(Ctx&, TaskId);                           // visible task or UserError
Customer load_customer(Ctx&, const cmd::CustomerRef&);  // resolved, visible customer or UserError
TimePoint resolve_when(Ctx&, std::string_view text);    // time expression or UserError
TimeContext time_context(const Ctx&);                   // the speaker's clock, zone and working day
std::string user_name(Repo&, UserId);
// A person a command names (bot_people.cpp): a handle (with or without '@'), a
// display name, or a part of either that only one of `among` has. UserError
// listing the candidates when several match, and who may be named when none
// does ("in your team", or any user for `everyone`).
enum class PersonScope { team, everyone };
User resolve_person(Ctx&, std::string_view who, const std::vector<User>& among, PersonScope = PersonScope::team);
// Whom the speaker may hand customers to: themselves; a manager, their team; an admin, anyone.
std::vector<User> people_in_reach(Ctx&);
void refresh_next_followup(Repo&, CustomerId);  // customer's next follow-up = earliest open task
void audit(Ctx&, std::string action, std::string subject, std::string detail);
void notify(Ctx&, const User& to, MessageKind, std::string text, std::vector<Button> = {}, std::vector<TaskId> = {});
// Puts a message in the user's outbox (the web chat reads it there) and, when
// they get reminders on a chat platform, a delivery to it.
MessageId deliver(Repo&, const User& to, OutboxMessage m);
// The platforms whose senders have new deliveries for these users: their
// notify platforms, each once (the web chat has no sender).
std::vector<std::string> platforms_of(Repo&, const std::vector<UserId>& users);

// ---- the SOP engine (bot_cadence.cpp; the ladder: ladder.cpp decides, reminders.cpp applies) ----

const SopRules& rules_for(const BotOptions&, std::optional<TeamId>);
WorkCalendar calendar_of(const BotOptions&, const User&);
// Complaints are urgent: their reminders ignore working hours.
bool urgent(const Task&);
// When the task's next ladder step is due, from its due time, snooze and
// step (nullopt: no step left). See core/ladder.hpp.
std::optional<TimePoint> next_step_at(Repo&, const BotOptions&, const Task&);
std::optional<TimePoint> escalation_at(const SopRules&, const WorkCalendar&, const Task&);
// When the task's customer goes back to the public pool if nobody follows up (nullopt: never).
std::optional<TimePoint> reclaim_at(Repo&, const BotOptions&, const Task&);
// Sets remind_at from next_step_at.
void arm(Repo&, const BotOptions&, Task&);
// "⚠️ Sat 02-14 is a make-up workday…" / holiday / weekend notes for a due
// time set by a user; empty on an ordinary working day.
std::string non_working_note(const Ctx&, TimePoint due);

// Cadence: the next follow-up a customer's tier and stage call for, as of now.
struct CadenceChoice {
    TimePoint due;
    std::string why_en, why_zh;  // "B: every 14 days" / "B类：每14天"
    std::string code;            // what the follow-up's topic stores: "auto:tier:B:14" (core/topics.hpp)
};
std::optional<CadenceChoice> cadence_next(Repo&, const BotOptions&, const Customer&, const User& assignee,
                                          TimePoint now, bool intake);
// uc::ensure_next_step for a chat command.
std::optional<Task> ensure_next_step(Ctx&, const Customer&, bool intake = false);
// The reply line about an automatically scheduled follow-up.
std::string cadence_line(const Ctx&, const Task&, const CadenceChoice&);
bool is_closed(const Customer&);
// Cancels every open follow-up of a customer (closing, release, reclaim).
std::vector<TaskId> cancel_open_tasks(Repo&, CustomerId);
// The managers of a user's team (never the user themself).
std::vector<User> managers_of(Repo&, const User&);

// The command handlers, one per command of the table (commands/table.cpp), which has
// already checked the asker's role.
Reply run(Ctx&, const cmd::Help&);  // bot_account.cpp
Reply run(Ctx&, const cmd::WhoAmI&);
Reply run(Ctx&, const cmd::Login&);
Reply run(Ctx&, const cmd::SetLang&);
Reply run(Ctx&, const cmd::Today&);
Reply run(Ctx&, const cmd::Done&);
Reply run(Ctx&, const cmd::Log&);
Reply run(Ctx&, const cmd::Snooze&);
Reply run(Ctx&, const cmd::Followup&);
Reply run(Ctx&, const cmd::CustomerAdd&);
Reply run(Ctx&, const cmd::History&);
Reply run(Ctx&, const cmd::Customers&);
Reply run(Ctx&, const cmd::Assign&);
Reply run(Ctx&, const cmd::Team&);
Reply run(Ctx&, const cmd::Overdue&);
Reply run(Ctx&, const cmd::Link&);
Reply run(Ctx&, const cmd::Unlink&);
Reply run(Ctx&, const cmd::Status&);
Reply run(Ctx&, const cmd::Reschedule&);
Reply run(Ctx&, const cmd::Complaint&);
Reply run(Ctx&, const cmd::Pool&);
Reply run(Ctx&, const cmd::Claim&);
Reply run(Ctx&, const cmd::Release&);
Reply run(Ctx&, const cmd::Handover&);
Reply run(Ctx&, const cmd::Close&);
Reply run(Ctx&, const cmd::Digest&);
Reply run(Ctx&, const cmd::Report&);
Reply run(Ctx&, const cmd::Who&);
Reply run(Ctx&, const cmd::Audit&);  // bot_audit.cpp
Reply run(Ctx&, const cmd::More&);   // bot_book.cpp
Reply run(Ctx&, const cmd::Find&);

// ---- long replies in pages (bot_book.cpp) -----------------------------------------

// A reply that fits `page_bytes` as it is; a longer one cut into pages: the
// first, with "N more — type more" (and a button), the rest kept for `more`.
Reply first_page(Ctx&, Reply, std::size_t page_bytes, bool list);
// The same for a message the bot sends on its own (a digest, a catch-up list):
// cut to the page budget of the platform `to` is reminded on, the rest kept
// as `to`'s list for `more`.
OutboxMessage fit_to_page(Repo&, const BotOptions&, const User& to, OutboxMessage);
// "c12 Acme (Acme Ltd) · A (VIP) · active · next Tue 10:00": one line of a customer list (bot_customers.cpp).
std::string customer_summary(Ctx&, const Customer&);

// ---- the managers' figures (bot_manager.cpp) --------------------------------------

// Whose figures a manager or admin sees: their team; an admin with no team, every
// team. UserError for a manager with no team. Only managers' commands call it (the
// command table keeps reps out).
reports::Scope manager_scope(Ctx&);
// A period's report as chat text, in `viewer`'s time zone: a title line, the
// period and zone, and compact fenced tables. `title_en` / `title_zh` start it
// ("📈 Weekly report").
std::string report_text(Repo&, const BotOptions&, const User& viewer, Lang, reports::Scope, reports::PeriodKind,
                        TimePoint now, std::string_view title_en, std::string_view title_zh);

}  // namespace fu::detail
