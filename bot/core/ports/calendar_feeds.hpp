#pragma once
// Storage port: each person's calendar feed (GET /calendar/<token>.ics). The
// token is a secret in the feed's address; only its hash is kept, so a copy
// of the database opens nobody's calendar, and the address is shown once,
// when it is made.
#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"

namespace fu {

struct CalendarFeed {
    std::string hash;  // lower-case hex SHA-256 of the token
    UserId user;
    TimePoint created_at{};
};

class CalendarFeedStore {
public:
    virtual ~CalendarFeedStore() = default;

    // The user's one feed becomes this one: a feed they had stops answering at once.
    virtual void set_calendar_feed(const CalendarFeed&) = 0;
    virtual std::optional<CalendarFeed> calendar_feed_of(UserId) = 0;
    // Whose feed has this hash, if anyone's.
    virtual std::optional<UserId> calendar_feed_user(std::string_view hash) = 0;
    // Ends the user's feed; false if they had none.
    virtual bool end_calendar_feed(UserId) = 0;
};

}  // namespace fu
