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

class Bot {
public:
    Bot(Store& store, const Clock& clock, BotOptions options = {});

    // `handle` is the sender's login handle on the channel they wrote from.
    Handled handle(std::string_view handle, std::string_view text);

    // Turns every reminder due now into outbox messages (one per task, or one
    // list per rep when several are due at once) and marks them delivered in
    // the same transaction, so a crash never loses or repeats one.
    std::vector<UserId> fire_due_reminders();

    std::optional<TimePoint> next_reminder_at();

private:
    Store& store_;
    const Clock& clock_;
    BotOptions options_;
};

}  // namespace fu
