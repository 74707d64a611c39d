// iCalendar text (core/ical.hpp) and a person's feed (core/calendar_feed.hpp):
// RFC 5545 folding that never splits a UTF-8 character, TEXT escaping, CRLF
// lines, and the feed's events matching the person's open follow-ups.
#include <gmock/gmock.h>

#include "core/calendar_feed.hpp"
#include "core/ical.hpp"
#include "core/topics.hpp"
#include "core/utf8.hpp"
#include "fixture.hpp"

namespace fu::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The physical lines of folded text, without their CRLF.
std::vector<std::string> physical_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto end = text.find("\r\n", at);
        EXPECT_NE(end, std::string::npos) << "a line without CRLF";
        if (end == std::string::npos) break;
        out.push_back(text.substr(at, end - at));
        at = end + 2;
    }
    return out;
}

// RFC 5545 3.1 unfolding: CRLF followed by one space goes.
std::string unfold(std::string text) {
    for (std::size_t p; (p = text.find("\r\n ")) != std::string::npos;) text.erase(p, 3);
    return text;
}

TEST(Ical, TextIsEscaped) {
    EXPECT_EQ(ical::escape_text("a\\b;c,d\ne"), "a\\\\b\\;c\\,d\\ne");
    EXPECT_EQ(ical::escape_text("two\r\nlines"), "two\\nlines");  // CRLF is one break
    EXPECT_EQ(ical::escape_text("bell\a tab\t"), "bell  tab\t");  // controls TEXT may not hold
    EXPECT_EQ(ical::escape_text("华为：报价"), "华为：报价");
}

TEST(Ical, ShortLinesAreNotFolded) {
    EXPECT_EQ(ical::fold("SUMMARY:Acme"), "SUMMARY:Acme\r\n");
    const std::string exactly75 = "X:" + std::string(73, 'a');
    EXPECT_EQ(ical::fold(exactly75), exactly75 + "\r\n");
}

TEST(Ical, LongAsciiLinesFoldAt75Octets) {
    const std::string line = "DESCRIPTION:" + std::string(200, 'x');
    const auto folded = ical::fold(line);
    const auto lines = physical_lines(folded);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].size(), 75u);
    EXPECT_EQ(lines[1].size(), 75u);  // the leading space counts
    EXPECT_EQ(lines[1][0], ' ');
    EXPECT_EQ(lines[2][0], ' ');
    EXPECT_EQ(unfold(folded), line + "\r\n");
}

TEST(Ical, ChineseIsNeverSplitInsideACharacter) {
    // "SUMMARY:" (8 octets) then 3-octet characters: 75 is never reached exactly.
    const std::string chars = "客户跟进";
    std::string line = "SUMMARY:";
    for (int i = 0; i < 60; ++i) line += chars.substr((i % 4) * 3, 3);
    const auto folded = ical::fold(line);
    const auto lines = physical_lines(folded);
    ASSERT_GE(lines.size(), 3u);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        EXPECT_LE(lines[i].size(), 75u) << i;
        const std::string_view content = i == 0 ? std::string_view(lines[i]) : std::string_view(lines[i]).substr(1);
        EXPECT_TRUE(valid_utf8(content)) << "line " << i << " starts or ends inside a character";
    }
    EXPECT_EQ(lines[0].size(), 8u + 22 * 3);  // 74: a 23rd character would make 77
    EXPECT_EQ(unfold(folded), line + "\r\n");
}

TEST(Ical, FourOctetCharactersStayWhole) {
    std::string line = "SUMMARY:a";  // 9 octets, then 4-octet emoji: 9 + 16*4 = 73, a 17th makes 77
    for (int i = 0; i < 40; ++i) line += "\xF0\x9F\x93\x85";  // 📅
    const auto lines = physical_lines(ical::fold(line));
    EXPECT_EQ(lines[0].size(), 73u);
    for (std::size_t i = 1; i < lines.size(); ++i) EXPECT_TRUE(valid_utf8(std::string_view(lines[i]).substr(1)));
}

TEST(Ical, ACalendarIsWrittenInFullWithCrlfLines) {
    ical::Calendar cal;
    cal.prodid = "-//followupd//Follow-ups//EN";
    cal.name = "Follow-ups · Maria";
    ical::Event e;
    e.uid = "task-7@crm.example.com";
    e.start = from_unix(1795399200);  // 2026-11-23 02:00 UTC
    e.duration = Seconds{1800};
    e.sequence = 2;
    e.summary = "Acme, Inc · call: quote; v2";
    e.description = "Customer: Acme\nStage: lead";
    e.url = "https://crm.example.com/";
    cal.events.push_back(e);
    const auto text = ical::render(cal, from_unix(1795395600));  // 01:00 UTC
    EXPECT_EQ(text,
              "BEGIN:VCALENDAR\r\n"
              "VERSION:2.0\r\n"
              "PRODID:-//followupd//Follow-ups//EN\r\n"
              "CALSCALE:GREGORIAN\r\n"
              "METHOD:PUBLISH\r\n"
              "X-WR-CALNAME:Follow-ups · Maria\r\n"
              "REFRESH-INTERVAL;VALUE=DURATION:PT15M\r\n"
              "X-PUBLISHED-TTL:PT15M\r\n"
              "BEGIN:VEVENT\r\n"
              "UID:task-7@crm.example.com\r\n"
              "DTSTAMP:20261123T010000Z\r\n"
              "DTSTART:20261123T020000Z\r\n"
              "DURATION:PT30M\r\n"
              "SEQUENCE:2\r\n"
              "SUMMARY:Acme\\, Inc · call: quote\\; v2\r\n"
              "DESCRIPTION:Customer: Acme\\nStage: lead\r\n"
              "URL:https://crm.example.com/\r\n"
              "END:VEVENT\r\n"
              "END:VCALENDAR\r\n");
    // No bare LF anywhere.
    for (std::size_t p = 0; (p = text.find('\n', p)) != std::string::npos; ++p) EXPECT_EQ(text[p - 1], '\r');
}

TEST(Ical, UrlHostIsTheUidDomain) {
    EXPECT_EQ(url_host("https://crm.example.com:8443/x?y"), "crm.example.com");
    EXPECT_EQ(url_host("http://127.0.0.1:8080"), "127.0.0.1");
    EXPECT_EQ(url_host("http://[::1]:8080/"), "::1");
    EXPECT_EQ(url_host("http://user@host/"), "host");
}

// The feed of a person: their open follow-ups within the horizon and the
// overdue ones, worded in their language, without customers' contacts.
struct FeedWorld : World {
    CustomerId add_customer(std::string name, UserId owner) {
        CustomerId id;
        store->transact([&](Repo& r) {
            Customer c;
            c.name = std::move(name);
            c.company = "Huawei Technologies";
            c.phone = "13800138000";
            c.email = "boss@huawei.example";
            c.im = "wx_boss";
            c.owner = owner;
            c.tier = Tier::b;
            c.stage = Stage::active;
            c.created_at = clock.now();
            id = r.add_customer(c);
        });
        return id;
    }
    TaskId add_task(CustomerId c, UserId who, TimePoint due, std::string topic, TaskStatus status = TaskStatus::open) {
        TaskId id;
        store->transact([&](Repo& r) {
            Task t;
            t.customer = c;
            t.assignee = who;
            t.due = due;
            t.topic = std::move(topic);
            t.status = status;
            t.created_at = clock.now();
            id = r.add_task(t);
        });
        return id;
    }
    ical::Calendar feed(UserId who) {
        ical::Calendar cal;
        store->transact([&](Repo& r) {
            FeedOptions o;
            o.web_url = "https://crm.example.com/";
            o.host = "crm.example.com";
            cal = calendar_of(r, *r.user(who), clock.now(), o);
        });
        return cal;
    }
};

TEST(CalendarFeed, HoldsThePersonsOpenFollowUpsInTheirLanguage) {
    FeedWorld w;
    const auto now = w.clock.now();
    const auto hw = w.add_customer("华为", w.wang);
    const auto overdue = w.add_task(hw, w.wang, now - Seconds{3600}, "报价, 第二轮");
    const auto coded = w.add_task(hw, w.wang, now + Seconds{86400}, topics::tier(Tier::b, 14));
    w.add_task(hw, w.wang, now + Seconds{100 * 86400}, "too far ahead");
    w.add_task(hw, w.wang, now + Seconds{7200}, "done already", TaskStatus::done);
    w.add_task(hw, w.wang, now + Seconds{7200}, "cancelled", TaskStatus::cancelled);
    w.add_task(hw, w.maria, now + Seconds{7200}, "someone else's");

    const auto cal = w.feed(w.wang);
    EXPECT_THAT(cal.name, HasSubstr("Wang Wei"));
    ASSERT_EQ(cal.events.size(), 2u);
    EXPECT_EQ(cal.events[0].uid, "task-" + std::to_string(overdue.value) + "@crm.example.com");
    EXPECT_EQ(cal.events[0].start, now - Seconds{3600});
    EXPECT_EQ(cal.events[0].summary, "华为 · 电话：报价, 第二轮");
    EXPECT_EQ(cal.events[1].uid, "task-" + std::to_string(coded.value) + "@crm.example.com");
    EXPECT_EQ(cal.events[1].summary, "华为 · 电话：" + topics::text(topics::tier(Tier::b, 14), Lang::zh));
    EXPECT_THAT(cal.events[1].description, HasSubstr("活跃客户"));
    EXPECT_THAT(cal.events[1].description, HasSubstr("完成 " + std::to_string(coded.value)));
    EXPECT_EQ(cal.events[1].url, "https://crm.example.com/");

    // Maria reads English; a topic code is worded for her.
    w.add_task(hw, w.maria, now + Seconds{3600}, topics::tier(Tier::b, 14));
    const auto maria = w.feed(w.maria);
    ASSERT_EQ(maria.events.size(), 2u);
    EXPECT_EQ(maria.events[0].summary, "华为 · call: " + topics::text(topics::tier(Tier::b, 14), Lang::en));
    EXPECT_THAT(maria.events[0].description, HasSubstr("done "));
}

TEST(CalendarFeed, NeverHoldsCustomersContacts) {
    FeedWorld w;
    const auto hw = w.add_customer("华为", w.wang);
    w.add_task(hw, w.wang, w.clock.now() + Seconds{3600}, "报价");
    const auto text = ical::render(w.feed(w.wang), w.clock.now());
    EXPECT_THAT(text, HasSubstr("华为"));
    for (const char* secret : {"13800138000", "boss@huawei.example", "wx_boss"})
        EXPECT_THAT(text, Not(HasSubstr(secret))) << secret;
}

TEST(CalendarFeed, ARescheduledFollowUpMovesWithAHigherSequence) {
    FeedWorld w;
    const auto hw = w.add_customer("华为", w.wang);
    const auto id = w.add_task(hw, w.wang, w.clock.now() + Seconds{3600}, "报价");
    ASSERT_EQ(w.feed(w.wang).events.at(0).sequence, 0);
    w.say("wang", "改期 " + std::to_string(id.value) + " 明天下午3点");
    const auto after = w.feed(w.wang);
    ASSERT_EQ(after.events.size(), 1u);
    EXPECT_EQ(after.events[0].sequence, 1);
    EXPECT_EQ(after.events[0].start, w.task(id.value)->due);
    EXPECT_NE(after.events[0].start, w.clock.now() + Seconds{3600});
    // Done: gone from the next fetch (the cadence's next follow-up, if any, is another event).
    w.say("wang", "完成 " + std::to_string(id.value));
    for (const auto& e : w.feed(w.wang).events) EXPECT_NE(e.uid, after.events[0].uid);
}

TEST(CalendarFeed, IsCappedAtTheEarliestFollowUps) {
    FeedWorld w;
    const auto hw = w.add_customer("华为", w.wang);
    for (int i = 0; i < 5; ++i)
        w.add_task(hw, w.wang, w.clock.now() + Seconds{3600 * (5 - i)}, "t" + std::to_string(i));
    ical::Calendar cal;
    w.store->transact([&](Repo& r) {
        FeedOptions o;
        o.max_events = 3;
        cal = calendar_of(r, *r.user(w.wang), w.clock.now(), o);
    });
    ASSERT_EQ(cal.events.size(), 3u);
    EXPECT_EQ(cal.events[0].start, w.clock.now() + Seconds{3600});
    EXPECT_EQ(cal.events[2].start, w.clock.now() + Seconds{3 * 3600});
}

}  // namespace
}  // namespace fu::test
