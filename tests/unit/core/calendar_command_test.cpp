// `calendar` (日历): a calendar feed's address, shown once when made; `new`
// replaces it (the old one stops at once), `off` ends it; never into a group chat.
#include <gmock/gmock.h>

#include "fixture.hpp"

namespace fu::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct CalendarWorld : World {
    // As the server's does: the feed stored in the command's transaction, its URL returned.
    static BotOptions with_feeds(int* issued) {
        BotOptions o = quiet();
        o.calendar_feed = [issued](Repo& repo, const User& u, TimePoint now) {
            const auto token = "T" + std::to_string(++*issued);
            repo.set_calendar_feed(CalendarFeed{"hash-" + token, u.id, now});
            return "https://fu.example.com/calendar/" + token + ".ics";
        };
        return o;
    }
    CalendarWorld() : World(":memory:", with_feeds(&issued)) {}
    std::optional<UserId> owner_of(const std::string& hash) {
        std::optional<UserId> u;
        store->transact([&](Repo& r) { u = r.calendar_feed_user(hash); });
        return u;
    }
    int issued = 0;
};

TEST(CalendarCommand, MakesAFeedAndShowsItsAddressOnce) {
    CalendarWorld w;
    const auto first = w.say("maria", "calendar");
    EXPECT_THAT(first, HasSubstr("https://fu.example.com/calendar/T1.ics"));
    EXPECT_THAT(first, HasSubstr("Outlook"));
    EXPECT_THAT(first, HasSubstr("Google"));
    EXPECT_THAT(first, HasSubstr("Apple"));
    EXPECT_THAT(first, HasSubstr("Subscribe from web"));
    EXPECT_EQ(w.owner_of("hash-T1"), w.maria);
    // Asked again: the feed stays; its address cannot be shown again (only its hash is kept).
    const auto again = w.say("maria", "calendar");
    EXPECT_THAT(again, Not(HasSubstr(".ics")));
    EXPECT_THAT(again, HasSubstr("calendar new"));
    EXPECT_EQ(w.issued, 1);
    EXPECT_EQ(w.owner_of("hash-T1"), w.maria);
}

TEST(CalendarCommand, NewReplacesTheAddressAndOffEndsIt) {
    CalendarWorld w;
    w.say("maria", "calendar");
    const auto rotated = w.say("maria", "calendar new");
    EXPECT_THAT(rotated, HasSubstr("/calendar/T2.ics"));
    EXPECT_THAT(rotated, HasSubstr("no longer works"));
    EXPECT_FALSE(w.owner_of("hash-T1"));
    EXPECT_EQ(w.owner_of("hash-T2"), w.maria);
    EXPECT_THAT(w.say("maria", "calendar off"), HasSubstr("is off"));
    EXPECT_FALSE(w.owner_of("hash-T2"));
    EXPECT_THAT(w.say("maria", "calendar off"), HasSubstr("no calendar feed"));
    // The option in any case, and its other words.
    EXPECT_THAT(w.say("maria", "calendar RENEW"), HasSubstr("/calendar/T3.ics"));
    EXPECT_THAT(w.say("maria", "ical Stop"), HasSubstr("is off"));
}

TEST(CalendarCommand, InChinese) {
    CalendarWorld w;
    const auto made = w.say("wang", "日历");
    EXPECT_THAT(made, HasSubstr("/calendar/T1.ics"));
    EXPECT_THAT(made, HasSubstr("从 Web 订阅"));
    EXPECT_THAT(w.say("wang", "日历"), HasSubstr("已开启"));
    EXPECT_THAT(w.say("wang", "日历 新"), HasSubstr("之前的日历订阅地址已失效"));
    EXPECT_THAT(w.say("wang", "日历 关闭"), HasSubstr("日历订阅已关闭"));
    EXPECT_FALSE(w.owner_of("hash-T2"));
}

TEST(CalendarCommand, AWrongOptionShowsTheRightForm) {
    CalendarWorld w;
    const auto en = w.say("maria", "calendar download");
    EXPECT_THAT(en, HasSubstr("calendar new"));
    EXPECT_THAT(en, HasSubstr("Usage: calendar [new|off]"));
    EXPECT_THAT(w.say("wang", "日历 下载"), HasSubstr("用法：日历 [新|关闭]"));
    EXPECT_EQ(w.issued, 0);
}

TEST(CalendarCommand, NeverIntoAGroupChat) {
    CalendarWorld w;
    w.store->transact([&](Repo& r) { r.link_identity(Identity{"telegram", "555", w.maria, ""}); });
    w.bot->handle_platform(Inbound{"telegram", "g1", "555", "-100200", false, "calendar", false, ""});
    EXPECT_EQ(w.issued, 0);
    std::vector<Delivery> due;
    w.store->transact([&](Repo& r) { due = r.deliveries_due("telegram", w.clock.now(), 10); });
    ASSERT_EQ(due.size(), 1u);
    std::string text;
    w.store->transact([&](Repo& r) { text = r.message(due[0].message)->text; });
    EXPECT_THAT(text, HasSubstr("direct chat"));
    EXPECT_THAT(text, Not(HasSubstr(".ics")));
}

TEST(CalendarCommand, AReloadKeepsTheFeedMaker) {
    CalendarWorld w;
    w.bot->set_options(World::quiet());  // a SIGHUP's options: the server's feed maker stays
    EXPECT_THAT(w.say("maria", "calendar"), HasSubstr("/calendar/T1.ics"));
}

TEST(CalendarCommand, WithoutFeedsSaysSo) {
    World w;  // no calendar_feed maker
    EXPECT_THAT(w.say("maria", "calendar"), HasSubstr("not available"));
}

}  // namespace
}  // namespace fu::test
