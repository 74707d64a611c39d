#pragma once
// The use cases chat and the REST API share: who acts, when, under which SOP,
// and who was told. No reply text and no chat language here: a use case either
// changes the store or throws Refused, and each channel words the outcome.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/bot.hpp"
#include "core/model.hpp"
#include "core/store.hpp"

namespace fu::uc {

// Where a change came from; the people told about it read who did it. An
// import tells no one: its summary is the message.
enum class Via { chat, crm, import };

struct Session {
    Repo& repo;
    const User& actor;
    TimePoint now;
    const BotOptions& opt;
    std::vector<UserId>& notified;  // users who got new outbox messages
    Via via = Via::chat;
    std::string audit_note;  // appended to every audit detail made here ("via API token #3 crm")
};

// A rule of the SOP says no; nothing was changed that the caller's
// transaction should keep.
struct Refused : std::runtime_error {
    enum class Why {
        already_done,          // the follow-up is done
        cancelled,             // the follow-up was cancelled
        not_in_future,         // a snooze to a time already past
        complaint_unresolved,  // a complaint completed without "resolved"
        past_reclaim,          // a snooze past the time the customer goes back to the pool (`at`)
    };
    Refused(Why why, TaskId task, std::optional<TimePoint> at = std::nullopt)
        : std::runtime_error(describe(why)), why(why), task(task), at(at) {}
    Why why;
    TaskId task;
    std::optional<TimePoint> at;  // the time the refusal is about, when there is one

private:
    static const char* describe(Why);
};

// An audit entry by the session's actor, with its note appended.
void audit(Session&, std::string action, std::string subject, std::string detail);
// A notice to someone other than the actor (the actor is never told of their
// own change); nothing for an import.
void tell(Session&, const User& to, std::string text, std::vector<TaskId> tasks = {});

}  // namespace fu::uc
