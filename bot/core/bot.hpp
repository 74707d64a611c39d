#pragma once
// The application service: one line of chat from a known sender -> a reply,
// with every change made in one transaction; and due reminders -> outbox
// messages. Runs on the storage executor, never on an I/O thread.
#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <functional>
#include <map>

#include "core/clock.hpp"
#include "core/command.hpp"
#include "core/inbound.hpp"
#include "core/limits.hpp"
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
    int catch_up_min = 2;                 // this many reminders due at once for one rep -> one list message
    SopRules sop;                         // the SOP's numbers for everyone…
    std::map<TeamId, SopRules> team_sop;  // …and for the teams that changed them
    HolidayCalendar holidays;             // days off and make-up workdays for everyone's working time
    InputLimits limits;                   // how long a command and a name may be (chat, REST, CSV import)
    // How long one reply may be, in UTF-8 bytes: per platform (its adapter's
    // limit, set by the server), else page_bytes (the web chat). A longer reply
    // is cut into pages: the first, then "N more — type more" (core/paging.hpp).
    std::map<std::string, std::size_t> platform_page_bytes;
    std::size_t page_bytes = 4000;
    std::size_t page_bytes_for(std::string_view platform) const {
        const auto it = platform_page_bytes.find(std::string(platform));
        return it != platform_page_bytes.end() ? it->second : page_bytes;
    }
    // The `login` command: issues a one-time sign-in link for the user and
    // returns its URL (the server's, server/sign_in.hpp). Unset: no web sign-in.
    std::function<std::string(Repo&, const User&, TimePoint)> sign_in_link;
    // Told of each chat command run: its name ("unknown" for a word that is no
    // command) and result: "ok", "usage", "forbidden", "refused", "error" or
    // "too_long" (a command over limits.command_chars, not even parsed).
    // For the metrics; called on the storage thread, before the commit.
    std::function<void(std::string_view command, std::string_view result)> on_command;
    // The `calendar` command: makes the user a new calendar feed (any old one
    // stops) and returns its URL (server/calendar_feed.hpp). Unset: no feeds.
    std::function<std::string(Repo&, const User&, TimePoint)> calendar_feed;
};

struct Handled {
    Reply reply;
    std::vector<UserId> notified;        // users who got new outbox messages
    std::vector<std::string> platforms;  // platforms that got new deliveries
    bool schedule = false;               // follow-ups or schedules were written: re-arm the scheduler
};

struct PlatformResult {
    bool duplicate = false;
    // Not registered, and the adapter answers in its response (Inbound::answered_inline):
    // this is the answer. Otherwise the reply is in the outbox.
    std::optional<std::string> stranger_reply;
    std::vector<UserId> notified;        // users with new outbox rows
    std::vector<std::string> platforms;  // platforms with new deliveries
    bool schedule = false;               // follow-ups or schedules were written: re-arm the scheduler
};

class Bot {
public:
    Bot(Store& store, const Clock& clock, BotOptions options = {});

    // A reloaded config's SOP numbers, catch-up size and calendar; call it where
    // the bot runs (the storage thread), between two pieces of work.
    // A reload's options; what the server set on the running bot (the
    // platforms' page sizes, the sign-in link maker) stays.
    void set_options(BotOptions options) {
        options.platform_page_bytes = std::move(options_.platform_page_bytes);
        options.sign_in_link = std::move(options_.sign_in_link);
        options.on_command = std::move(options_.on_command);
        options.calendar_feed = std::move(options_.calendar_feed);
        options_ = std::move(options);
    }

    // The options in force; read where the bot runs (the storage thread).
    const BotOptions& options() const { return options_; }

    // `handle` is the sender's login handle on the channel they wrote from.
    Handled handle(std::string_view handle, std::string_view text);
    // A command given as fields rather than a line (the reps' web page): the
    // same roles, rules, use cases and reply as the chat line that says it.
    // `refused`: the reply says why nothing was done (the change rolled back).
    struct Acted {
        Handled handled;
        bool refused = false;
    };
    Acted act(UserId user, const cmd::Command& command);

    // The same for a platform account; the reply becomes an outbox row with a
    // delivery to that chat, in the same transaction as the command's effects
    // and the event's deduplication record.
    PlatformResult handle_platform(const Inbound&);

    // Runs everything the SOP has due now, each step in the transaction that
    // records it, so a crash never loses or repeats one: digests and weekly
    // reports, then the overdue ladder of every task whose next step is due
    // (reminder, second reminder, the manager told, reclaim to the pool).
    // Reminders due at once for one rep become one list. With a `part` of
    // the assignees, only their ladder (the digests and reports with part
    // 0): the parts may run side by side, each in its own transaction.
    std::vector<UserId> fire_due_reminders(AssigneePart part = {});

    // A platform's page budget (its adapter's Limits::text_bytes), before the first message.
    void set_page_bytes(std::string platform, std::size_t bytes) {
        options_.platform_page_bytes[std::move(platform)] = bytes;
    }

    // When fire_due_reminders next has something to do (indexed MINs).
    std::optional<TimePoint> next_reminder_at();

private:
    // group: the reply goes to a group chat (contacts are masked there).
    // page_bytes: the reply's budget on the platform it goes to.
    Handled execute(Repo&, const User&, std::string_view text, std::size_t page_bytes, bool group = false);
    Handled run_command(Repo&, const User&, const cmd::Command&, std::size_t page_bytes, bool group);
    void ensure_schedules();
    std::vector<UserId> run_schedules(TimePoint now);
    std::vector<UserId> run_ladder(TimePoint now, AssigneePart part);
    std::atomic<bool> schedules_checked_{false};  // read by every storage lane

    Store& store_;
    const Clock& clock_;
    BotOptions options_;
};

}  // namespace fu
