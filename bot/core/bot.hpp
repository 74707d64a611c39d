#pragma once
// The application service: one line of chat from a known sender -> a reply,
// with every change made in one transaction; and due reminders -> outbox
// messages. Runs on the storage executor, never on an I/O thread.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/model.hpp"
#include "core/store.hpp"

namespace fu {

struct Reply {
    std::string text;
    std::vector<Button> buttons;
};

struct BotOptions {
    int catch_up_min = 2;  // this many reminders due at once for one rep -> one list message
};

struct Handled {
    Reply reply;
    std::vector<UserId> notified;  // users who got new outbox messages
};

// A message from a chat platform, already authenticated by its adapter.
struct PlatformMessage {
    std::string platform;
    std::string event_id;     // deduplicated persistently: a retried webhook is processed once
    std::string user_id;      // the platform's user id
    std::string chat_id;      // where the reply goes
    bool direct = true;
    std::string text;
    std::string message_ref;  // a pressed button's message: the reply edits it
};

struct PlatformResult {
    bool duplicate = false;
    std::optional<std::string> stranger_reply;  // not registered: send this directly
    std::vector<UserId> notified;               // users with new outbox rows
};

class Bot {
public:
    Bot(Store& store, const Clock& clock, BotOptions options = {});

    // `handle` is the sender's login handle on the channel they wrote from.
    Handled handle(std::string_view handle, std::string_view text);

    // The same for a platform account; the reply becomes an outbox row with a
    // delivery to that chat, in the same transaction as the command's effects
    // and the event's deduplication record.
    PlatformResult handle_platform(const PlatformMessage&);

    // Turns every reminder due now into outbox messages (one per task, or one
    // list per rep when several are due at once) and marks them delivered in
    // the same transaction, so a crash never loses or repeats one.
    std::vector<UserId> fire_due_reminders();

    std::optional<TimePoint> next_reminder_at();

private:
    Handled execute(Repo&, const User&, std::string_view text);

    Store& store_;
    const Clock& clock_;
    BotOptions options_;
};

}  // namespace fu
