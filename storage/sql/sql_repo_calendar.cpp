// SqlRepo: calendar feeds — one per person, found by the hash of its token.
#include "storage/sql/queries.hpp"
#include "storage/sql/rows.hpp"
#include "storage/sql/sql_repo.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {

void SqlRepo::set_calendar_feed(const CalendarFeed& f) {
    auto& s = statement(sql::kSetCalendarFeed);
    auto scope = s.use();
    s.bind(1, f.user.value).bind(2, f.hash).bind(3, to_unix(f.created_at));
    s.run();
}

std::optional<CalendarFeed> SqlRepo::calendar_feed_of(UserId user) {
    auto& s = statement(sql::kSelectCalendarFeedOf);
    auto scope = s.use();
    s.bind(1, user.value);
    if (!s.step()) return std::nullopt;
    return CalendarFeed{s.column_text(0), UserId{s.column_int64(1)}, from_unix(s.column_int64(2))};
}

std::optional<UserId> SqlRepo::calendar_feed_user(std::string_view hash) {
    auto& s = statement(sql::kSelectCalendarFeedUser);
    auto scope = s.use();
    s.bind(1, hash);
    if (s.step()) return UserId{s.column_int64(0)};
    return std::nullopt;
}

bool SqlRepo::end_calendar_feed(UserId user) {
    auto& s = statement(sql::kDeleteCalendarFeed);
    auto scope = s.use();
    s.bind(1, user.value);
    return s.step();
}

}  // namespace fu::storage
