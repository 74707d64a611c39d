#pragma once
// A person's open follow-ups as their calendar feed (GET /calendar/<token>.ics,
// server/calendar_feed.hpp): one event per follow-up, in the person's language.
// The same tasks `today` and the digest read (TaskStore::open_tasks_for), so
// the calendar never disagrees with the chat: a follow-up done or cancelled
// leaves the feed, one rescheduled moves (its SEQUENCE grows), on the next
// fetch. Customers' contacts never appear in it.
#include <cstddef>
#include <string>

#include "core/clock.hpp"
#include "core/ical.hpp"
#include "core/model.hpp"
#include "core/store.hpp"

namespace fu {

struct FeedOptions {
    std::string web_url;             // the web chat, each event's link back ("" for none)
    std::string host = "followupd";  // the UID's domain: "task-42@<host>"
    Seconds horizon{90 * 86400};     // follow-ups due up to this far ahead, and every overdue one
    std::size_t max_events = 500;    // the earliest this many
    Seconds duration{1800};          // how long each event blocks the calendar
};

// The calendar of `me`'s open and snoozed follow-ups at `now`.
ical::Calendar calendar_of(Repo&, const User& me, TimePoint now, const FeedOptions&);

// The host of a URL ("https://crm.example.com:8443/x" -> "crm.example.com"), for UIDs.
std::string url_host(std::string_view url);

}  // namespace fu
