#pragma once
// The application service: one line of chat from a known sender -> a reply,
// with every change made in one transaction; and due reminders -> outbox
// messages. Runs on the storage executor, never on an I/O thread.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <functional>
#include <map>

#include "core/clock.hpp"
#include "core/inbound.hpp"
#include "core/model.hpp"
#include "core/sop.hpp"
#include "core/store.hpp"
#include "core/work_calendar.hpp"

namespace fu {

struct Reply {
    std::string text;
    std::vector<Button> buttons;
};

struct BotOptions {
    int catch_up_min = 2;  // this many reminders due at once for one rep -> one list message
    SopRules sop;                         // the SOP's numbers for everyone…
    std::map<TeamId, SopRules> team_sop;  // …and for the teams that changed them
    HolidayCalendar holidays;             // days off and make-up workdays for everyone's working time
    // The `login` command: issues a one-time sign-in link for the user and
    // returns its URL (the server's, server/sign_in.hpp). Unset: no web sign-in.
    std::function<std::string(Repo&, const User&, TimePoint)> sign_in_link;
};

struct Handled {
    Reply reply;
    std::vector<UserId> notified;        // users who got new outbox messages
    std::vector<std::string> platforms;  // platforms that got new deliveries
};

struct PlatformResult {
    bool duplicate = false;
    std::optional<std::string> stranger_reply;  // not registered: send this directly
    std::vector<UserId> notified;               // users with new outbox rows
    std::vector<std::string> platforms;         // platforms with new deliveries
};

class Bot {
public:
    Bot(Store& store, const Clock& clock, BotOptions options = {});

    // `handle` is the sender's login handle on the channel they wrote from.
    Handled handle(std::string_view handle, std::string_view text);

    // The same for a platform account; the reply becomes an outbox row with a
    // delivery to that chat, in the same transaction as the command's effects
    // and the event's deduplication record.
    PlatformResult handle_platform(const Inbound&);

    // Runs everything the SOP has due now, each step in the transaction that
    // records it, so a crash never loses or repeats one: digests and weekly
    // reports, then the overdue ladder of every task whose next step is due
    // (reminder, second reminder, the manager told, reclaim to the pool).
    // Reminders due at once for one rep become one list.
    std::vector<UserId> fire_due_reminders();

    // When fire_due_reminders next has something to do (indexed MINs).
    std::optional<TimePoint> next_reminder_at();

private:
    // group: the reply goes to a group chat (contacts are masked there).
    Handled execute(Repo&, const User&, std::string_view text, bool group = false);
    void ensure_schedules();
    std::vector<UserId> run_schedules(TimePoint now);
    std::vector<UserId> run_ladder(TimePoint now);
    bool schedules_checked_ = false;

    Store& store_;
    const Clock& clock_;
    BotOptions options_;
};

}  // namespace fu
