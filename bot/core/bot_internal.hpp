#pragma once
// Shared by the Bot's command handlers; not part of the public interface.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/bot.hpp"
#include "core/command.hpp"
#include "core/render.hpp"
#include "core/store.hpp"

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

    std::string t(std::string_view en, std::string_view zh) const { return std::string(lang == Lang::zh ? zh : en); }
    std::string when(TimePoint at) const { return render::when(at, now, zone, lang); }
    [[noreturn]] void fail(std::string_view en, std::string_view zh) const { throw UserError(t(en, zh)); }
};

// Access rules: a rep acts on their own, a manager on their team's, an admin on all.
bool same_team(Repo&, const User& me, UserId other);
bool can_act_on_task(Ctx&, const Task&);
bool can_act_on_customer(Ctx&, const Customer&);
void require_manager(Ctx&);
void require_admin(Ctx&);

Task load_task(Ctx&, TaskId);           // visible task or UserError
Customer load_customer(Ctx&, const cmd::CustomerRef&);  // resolved, visible customer or UserError
TimePoint resolve_when(Ctx&, std::string_view text);    // time expression or UserError
std::string user_name(Repo&, UserId);
void refresh_next_followup(Repo&, CustomerId);          // customer's next follow-up = earliest open task
void audit(Ctx&, std::string action, std::string subject, std::string detail);
void notify(Ctx&, const User& to, MessageKind, std::string text, std::vector<Button> = {}, std::vector<TaskId> = {});
// Puts a message in the user's outbox (the web chat reads it there) and, when
// they get reminders on a chat platform, a delivery to it.
MessageId deliver(Repo&, const User& to, OutboxMessage m);

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

}  // namespace fu::detail
