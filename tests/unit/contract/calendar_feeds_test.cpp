// CalendarFeedStore: one feed per person, found by its hash; a new one
// replaces the old at once; an ended one answers no more.
#include <gtest/gtest.h>

#include "engines.hpp"

namespace fu::contract {
namespace {

using CalendarFeeds = StoreTest;

UserId add_person(Repo& r, const std::string& handle) {
    User u;
    u.handle = handle;
    return r.add_user(u);
}

TEST_P(CalendarFeeds, AFeedIsFoundByItsHashAndByItsPerson) {
    const auto t0 = monday();
    UserId wang, li;
    store->transact([&](Repo& r) {
        wang = add_person(r, "wang");
        li = add_person(r, "li");
        r.set_calendar_feed(CalendarFeed{"h-wang", wang, t0});
    });
    EXPECT_EQ(in_tx([&](Repo& r) { return r.calendar_feed_user("h-wang"); }), wang);
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.calendar_feed_user("H-WANG"); }));  // hashes compare exactly
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.calendar_feed_user("nothing"); }));
    const auto f = in_tx([&](Repo& r) { return r.calendar_feed_of(wang); });
    ASSERT_TRUE(f);
    EXPECT_EQ(f->hash, "h-wang");
    EXPECT_EQ(f->user, wang);
    EXPECT_EQ(f->created_at, t0);
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.calendar_feed_of(li); }));
}

TEST_P(CalendarFeeds, ANewFeedReplacesThePersonsOldOneAtOnce) {
    const auto t0 = monday();
    UserId wang, li;
    store->transact([&](Repo& r) {
        wang = add_person(r, "wang");
        li = add_person(r, "li");
        r.set_calendar_feed(CalendarFeed{"old", wang, t0});
        r.set_calendar_feed(CalendarFeed{"li", li, t0});
    });
    store->transact([&](Repo& r) { r.set_calendar_feed(CalendarFeed{"new", wang, t0 + kDay}); });
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.calendar_feed_user("old"); }));
    EXPECT_EQ(in_tx([&](Repo& r) { return r.calendar_feed_user("new"); }), wang);
    EXPECT_EQ(in_tx([&](Repo& r) { return r.calendar_feed_of(wang); })->created_at, t0 + kDay);
    EXPECT_EQ(in_tx([&](Repo& r) { return r.calendar_feed_user("li"); }), li);  // others keep theirs
}

TEST_P(CalendarFeeds, AnEndedFeedAnswersNoMore) {
    const auto t0 = monday();
    UserId wang, li;
    store->transact([&](Repo& r) {
        wang = add_person(r, "wang");
        li = add_person(r, "li");
        r.set_calendar_feed(CalendarFeed{"h-wang", wang, t0});
        r.set_calendar_feed(CalendarFeed{"h-li", li, t0});
    });
    EXPECT_TRUE(in_tx([&](Repo& r) { return r.end_calendar_feed(wang); }));
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.end_calendar_feed(wang); }));  // none left to end
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.calendar_feed_user("h-wang"); }));
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.calendar_feed_of(wang); }));
    EXPECT_EQ(in_tx([&](Repo& r) { return r.calendar_feed_user("h-li"); }), li);
}

FU_CONTRACT_SUITE(CalendarFeeds);

}  // namespace
}  // namespace fu::contract
