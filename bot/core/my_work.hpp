#pragma once
// What the reps' web page (/my) shows a signed-in person: their follow-ups
// (overdue, due today, coming up), the customers they may open, and one
// customer's page with its history. Read only: the page's actions (done,
// snooze, reschedule) are chat commands given as fields (Bot::act), so they
// follow the same rules and use cases as in chat. The same visibility rules as
// chat: a rep sees their own, a manager their team's and the public pool, an
// admin everything; contacts only for the owner, their manager and admins.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/store.hpp"

namespace fu::mywork {

struct Item {
    Task task;
    Customer customer;
};

// The viewer's own open follow-ups, in the buckets `today` uses: overdue (due
// by now), due later today (before local midnight in the viewer's zone), and
// coming up after today (the first `max_upcoming`, earliest first).
struct Agenda {
    std::vector<Item> overdue, today, upcoming;
    std::size_t more_upcoming = 0;  // coming up, beyond the ones listed
    TimePoint day_end{};
};
Agenda agenda(Repo&, const User& viewer, TimePoint now, std::size_t max_upcoming = 50);

// Customers the viewer may open whose name, company or external id contains
// `text` (case-insensitive; empty: all), open ones first then by name; at most
// `limit`. `more` is set when there were more.
struct Found {
    std::vector<Customer> customers;
    std::map<UserId, std::string> owners;  // owner id -> display name
    bool more = false;
};
Found search(Repo&, const User& viewer, std::string_view text, std::size_t limit = 50);

// One customer as the viewer may see it; nullopt when there is none they may
// open (the same answer for "none" and "not yours": ids are not probed).
struct CustomerPage {
    Customer customer;
    bool contacts = false;                  // whether the contact fields are the viewer's to see
    std::vector<Task> open;                 // open or snoozed follow-ups, earliest first
    std::vector<Task> recent;               // recent follow-ups in any status, newest due first
    std::vector<Interaction> interactions;  // newest first
    std::vector<Transfer> transfers;        // oldest first
    std::map<UserId, std::string> names;    // every user named above -> display name
};
std::optional<CustomerPage> customer_page(Repo&, const User& viewer, CustomerId, std::size_t history = 50);

}  // namespace fu::mywork
