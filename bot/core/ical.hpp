#pragma once
// iCalendar (RFC 5545) text: a calendar of events, written as a subscribed
// calendar client reads it. Pure: no clock, no storage; the caller passes the
// time the feed is made (DTSTAMP).
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace fu::ical {

// A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, a
// line break written "\n"; other control characters become spaces (TEXT
// may not hold them).
std::string escape_text(std::string_view);

// One content line folded (3.1): no physical line longer than 75 octets, each
// continuation starting with a space, never inside a UTF-8 sequence; ends in CRLF.
std::string fold(std::string_view line);

// A UTC DATE-TIME: "20241125T093000Z". Unambiguous in every time zone: the
// client shows it in the reader's own.
std::string utc(TimePoint);

struct Event {
    std::string uid;  // stable across fetches: the same follow-up is the same event
    TimePoint start{};
    Seconds duration{1800};
    int sequence = 0;     // grows when the event is moved
    std::string summary;  // plain text: escaped here
    std::string description;
    std::string url;  // a URI, written as it is
};

struct Calendar {
    std::string prodid;    // "-//followupd//Follow-ups//EN"
    std::string name;      // X-WR-CALNAME: how the client names the subscription
    Seconds refresh{900};  // REFRESH-INTERVAL and X-PUBLISHED-TTL: how often to fetch again
    std::vector<Event> events;
};

// The whole calendar: VCALENDAR (VERSION 2.0, CALSCALE GREGORIAN) with one VEVENT per event.
std::string render(const Calendar&, TimePoint stamp);

}  // namespace fu::ical
