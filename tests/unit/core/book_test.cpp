// The customer book: every reply fits the platform it goes to (long lists in
// pages, `more` for the next), and `find` searches what the user may see.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "core/paging.hpp"
#include "fixture.hpp"

namespace fu::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// WeCom's 2,048 bytes: the smallest text limit of the platforms
// (adapters/wecom/wecom.hpp kMaxTextBytes; Telegram 4,096, Slack 3,000, DingTalk 4,000).
constexpr std::size_t kSmallestLimit = 2048;

BotOptions paged() {
    BotOptions o = World::quiet();
    o.page_bytes = kSmallestLimit;
    return o;
}

// `n` customers owned by `owner`, added straight to the store (no cadence): a
// rep's whole book in one transaction.
void seed_book(World& w, UserId owner, int n) {
    w.store->transact([&](Repo& r) {
        for (int i = 1; i <= n; ++i) {
            Customer c;
            c.name = "Client " + std::to_string(i);
            c.company = "Company " + std::to_string(i % 97);
            c.owner = owner;
            c.tier = i % 3 == 0 ? Tier::a : i % 3 == 1 ? Tier::b : Tier::c;
            c.stage = i % 2 ? Stage::active : Stage::lead;
            c.team = w.team;
            r.add_customer(c);
        }
    });
}

std::vector<std::int64_t> customer_ids(const std::string& page) {
    static const std::regex kId(R"((?:^|\n)  c(\d+) )");
    std::vector<std::int64_t> out;
    for (auto it = std::sregex_iterator(page.begin(), page.end(), kId); it != std::sregex_iterator(); ++it)
        out.push_back(std::stoll((*it)[1]));
    return out;
}

// Asks for the list, then `more` until the list ends: every page within the
// limit, every customer exactly once.
void walk_book(World& w, const std::string& who, const std::string& list, const std::string& more,
               const std::string& more_hint, const std::string& end_hint, int expected) {
    std::set<std::int64_t> seen;
    std::string page = w.say(who, list);
    int pages = 1;
    while (true) {
        ASSERT_LE(page.size(), kSmallestLimit) << "page " << pages;
        for (const auto id : customer_ids(page)) EXPECT_TRUE(seen.insert(id).second) << "c" << id << " shown twice";
        if (page.find(more_hint) == std::string::npos) break;
        page = w.say(who, more);
        ++pages;
        ASSERT_LT(pages, 2000) << "more never ends";
    }
    EXPECT_THAT(page, HasSubstr(end_hint));
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(expected)) << "after " << pages << " pages";
    EXPECT_GT(pages, 100);
}

TEST(CustomerBook, TenThousandCustomersArePagesThatFitAndMoreWalksToTheEnd) {
    World w(":memory:", paged());
    seed_book(w, w.maria, 10000);
    const auto first = w.say("maria", "customers");
    EXPECT_THAT(first, HasSubstr("Customers (10000)"));
    EXPECT_THAT(first, HasSubstr("more — type 'more'"));
    walk_book(w, "maria", "customers", "more", "more — type 'more'", "end of the list", 10000);
    EXPECT_THAT(w.say("maria", "more"), HasSubstr("Nothing more"));
}

TEST(CustomerBook, InChineseTooPagesFitAndNextPageWalksToTheEnd) {
    World w(":memory:", paged());
    seed_book(w, w.wang, 10000);
    const auto first = w.say("wang", "我的客户");
    EXPECT_THAT(first, HasSubstr("客户（10000）"));
    EXPECT_THAT(first, HasSubstr("发送「下一页」"));
    walk_book(w, "wang", "我的客户", "下一页", "发送「下一页」", "列表结束", 10000);
    EXPECT_THAT(w.say("wang", "下一页"), HasSubstr("没有更多了"));
}

TEST(CustomerBook, TheFirstPageSaysHowManyAreLeftAndOffersAButton) {
    World w(":memory:", paged());
    seed_book(w, w.maria, 200);
    const auto r = w.bot->handle("maria", "customers").reply;
    const auto shown = customer_ids(r.text).size();
    EXPECT_THAT(r.text, HasSubstr(std::to_string(200 - shown) + " more — type 'more'"));
    ASSERT_FALSE(r.buttons.empty());
    EXPECT_EQ(r.buttons.back().command, "more");
}

TEST(CustomerBook, AShortListEndsTheLastOne) {
    World w(":memory:", paged());
    seed_book(w, w.maria, 300);
    EXPECT_THAT(w.say("maria", "customers"), HasSubstr("more — type 'more'"));
    w.say("maria", "find Client 150");  // a list of its own, short
    EXPECT_THAT(w.say("maria", "more"), HasSubstr("Nothing more"));
}

TEST(CustomerBook, AnotherCommandBetweenPagesKeepsTheList) {
    World w(":memory:", paged());
    seed_book(w, w.maria, 300);
    const auto first = w.say("maria", "customers");
    w.say("maria", "whoami");
    const auto second = w.say("maria", "more");
    ASSERT_FALSE(customer_ids(second).empty());
    EXPECT_EQ(customer_ids(second).front(), customer_ids(first).back() + 1);
}

TEST(CustomerBook, EachUserHasTheirOwnPages) {
    World w(":memory:", paged());
    seed_book(w, w.maria, 300);
    w.say("maria", "customers");
    EXPECT_THAT(w.say("wang", "more"), HasSubstr("没有更多了"));
    EXPECT_THAT(w.say("maria", "more"), HasSubstr("more — type 'more'"));
}

TEST(CustomerBook, ThePublicPoolIsListedWholeInPagesNotCutAtThirty) {
    World w(":memory:", paged());
    w.store->transact([&](Repo& r) {
        for (int i = 1; i <= 120; ++i) {
            Customer c;
            c.name = "Pooled " + std::to_string(i);
            c.team = w.team;
            r.add_customer(c);
        }
    });
    std::string page = w.say("maria", "pool");
    EXPECT_THAT(page, HasSubstr("Public pool (120) · claims left today"));
    std::set<std::int64_t> seen;
    for (int pages = 1;; ++pages) {
        ASSERT_LE(page.size(), kSmallestLimit) << "page " << pages;
        for (const auto id : customer_ids(page)) EXPECT_TRUE(seen.insert(id).second) << "c" << id << " shown twice";
        if (page.find("more — type 'more'") == std::string::npos) break;
        page = w.say("maria", "more");
        ASSERT_LT(pages, 50) << "more never ends";
    }
    EXPECT_EQ(seen.size(), 120u);
}

TEST(CustomerBook, APlatformReplyFitsThatPlatformsLimit) {
    BotOptions o = World::quiet();
    o.platform_page_bytes["wecom"] = kSmallestLimit;
    World w(":memory:", o);
    seed_book(w, w.maria, 500);
    w.store->transact([&](Repo& r) { r.link_identity(Identity{"wecom", "maria-wx", w.maria, "chat-1"}); });
    Inbound in;
    in.platform = "wecom";
    in.event_id = "e1";
    in.user_id = "maria-wx";
    in.chat_id = "chat-1";
    in.direct = true;
    in.text = "customers";
    w.bot->handle_platform(in);
    const auto sent = w.messages(w.maria);
    ASSERT_FALSE(sent.empty());
    EXPECT_LE(sent.back().text.size(), kSmallestLimit);
    EXPECT_THAT(sent.back().text, HasSubstr("more — type 'more'"));
    // The button's next page is a message of its own: the first page stays readable.
    in.event_id = "e2";
    in.text = "more";
    in.button = true;
    in.message_ref = "wx-msg-1";
    w.bot->handle_platform(in);
    std::vector<Delivery> due;
    w.store->transact([&](Repo& r) { due = r.deliveries_due("wecom", w.clock.now(), 10); });
    ASSERT_EQ(due.size(), 2u);
    EXPECT_EQ(due.back().replace_ref, "");
    EXPECT_LE(w.messages(w.maria).back().text.size(), kSmallestLimit);
    // The web chat's budget is its own (4,000 bytes by default): a longer first page.
    EXPECT_GT(w.say("maria", "customers").size(), kSmallestLimit);
}

TEST(CustomerBook, ACatchUpListTheBotSendsFitsThePlatformAndMoreGivesTheRest) {
    BotOptions o = World::quiet();
    o.platform_page_bytes["wecom"] = kSmallestLimit;
    World w(":memory:", o);
    w.store->transact([&](Repo& r) {
        r.link_identity(Identity{"wecom", "maria-wx", w.maria, "chat-1"});
        auto u = *r.user(w.maria);
        u.notify_platform = "wecom";
        r.update_user(u);
    });
    w.say("maria", "customer add Acme");
    for (int i = 0; i < 80; ++i) w.say("maria", "followup Acme in 1m call topic number " + std::to_string(i));
    w.clock.advance(std::chrono::minutes(2));
    w.bot->fire_due_reminders();
    const auto sent = w.messages(w.maria);
    ASSERT_FALSE(sent.empty());
    const auto& list = sent.back();
    EXPECT_EQ(list.kind, MessageKind::catch_up);
    EXPECT_LE(list.text.size(), kSmallestLimit);
    EXPECT_THAT(list.text, HasSubstr("80 follow-ups are due"));
    EXPECT_THAT(list.text, HasSubstr("more — type 'more'"));
    // The rest, page by page: every follow-up once.
    std::set<std::string> seen;
    auto note = [&](const std::string& page) {
        for (std::size_t at = page.find("topic number "); at != std::string::npos;
             at = page.find("topic number ", at + 1))
            EXPECT_TRUE(
                seen.insert(page.substr(at + 13, page.find_first_not_of("0123456789", at + 13) - at - 13)).second);
    };
    note(list.text);
    std::string page = w.say("maria", "more");
    for (int pages = 0; pages < 20; ++pages) {
        note(page);
        if (page.find("more — type 'more'") == std::string::npos) break;
        page = w.say("maria", "more");
    }
    EXPECT_EQ(seen.size(), 80u);
}

// ---- find --------------------------------------------------------------------------

struct Book : World {
    Book() : World(":memory:", paged()) {
        say("maria",
            "customer add Alice Wang company=Acme phone=+86 138-0013-8000 tier=A stage=active tags=steel,export");
        say("maria", "customer add Bob Li company=Globex phone=139 1111 2222 tier=B stage=lead tags=retail");
        say("wang", "新客户 张三 公司=华为 电话=13700009999 等级=C 阶段=沉默 标签=老客户");
        say("olaf", "customer add Fjord company=Nordic phone=+47 9988 7766 tier=A stage=active");
    }
};

TEST(Find, ByNameCompanyPhoneDigitsTagTierAndStage) {
    Book w;
    EXPECT_THAT(w.say("maria", "find alice"), HasSubstr("Alice Wang"));
    EXPECT_THAT(w.say("maria", "find globex"), HasSubstr("Bob Li"));
    // Phones are sealed at rest; the digits are matched however the number was written.
    EXPECT_THAT(w.say("maria", "find 8000"), HasSubstr("Alice Wang"));
    EXPECT_THAT(w.say("maria", "find 13800138000"), HasSubstr("Alice Wang"));
    EXPECT_THAT(w.say("maria", "find 1111-2222"), HasSubstr("Bob Li"));
    EXPECT_THAT(w.say("maria", "find retail"), HasSubstr("Bob Li"));
    EXPECT_THAT(w.say("maria", "find VIP"), HasSubstr("Alice Wang"));
    EXPECT_THAT(w.say("maria", "find VIP"), Not(HasSubstr("Bob Li")));
    EXPECT_THAT(w.say("maria", "find stage lead"), HasSubstr("Bob Li"));
    EXPECT_THAT(w.say("maria", "find stage lead"), Not(HasSubstr("Alice")));
    // Every word must match.
    EXPECT_THAT(w.say("maria", "find acme tier=B"), HasSubstr("No customer of yours matches"));
    EXPECT_THAT(w.say("maria", "find nobody"), HasSubstr("No customer of yours matches 'nobody'"));
}

TEST(Find, InChineseWords) {
    Book w;
    EXPECT_THAT(w.say("wang", "查找 华为"), HasSubstr("张三"));
    EXPECT_THAT(w.say("wang", "查找 9999"), HasSubstr("张三"));
    EXPECT_THAT(w.say("wang", "查找 C类 沉默"), HasSubstr("张三"));
    EXPECT_THAT(w.say("wang", "查找 老客户"), HasSubstr("匹配「老客户」的客户（1）"));
    EXPECT_THAT(w.say("wang", "查找 活跃"), HasSubstr("你的客户中没有匹配"));
}

TEST(Find, OnlyWhatTheUserMaySee) {
    Book w;
    // A rep: their own.
    EXPECT_THAT(w.say("maria", "find 9999"), HasSubstr("No customer of yours"));
    EXPECT_THAT(w.say("maria", "find fjord"), HasSubstr("No customer of yours"));
    EXPECT_THAT(w.say("wang", "查找 alice"), HasSubstr("你的客户中没有匹配"));
    // A manager: the team's, not another team's.
    const auto team = w.say("li", "find active");
    EXPECT_THAT(team, HasSubstr("Alice Wang"));
    EXPECT_THAT(team, Not(HasSubstr("Fjord")));
    EXPECT_THAT(w.say("li", "find 9999"), HasSubstr("张三"));
    EXPECT_THAT(w.say("li", "find 7766"), HasSubstr("No customer of yours"));
    // An admin: everyone's.
    w.store->transact([&](Repo& r) { World::add(r, "root", "Root", Role::admin, w.team, Lang::en); });
    EXPECT_THAT(w.say("root", "find 7766"), HasSubstr("Fjord"));
    EXPECT_THAT(w.say("root", "find tier A"), HasSubstr("Fjord"));
    EXPECT_THAT(w.say("root", "find tier A"), HasSubstr("Alice Wang"));
}

TEST(Find, ManyMatchesArePagedLikeAnyList) {
    World w(":memory:", paged());
    seed_book(w, w.maria, 3000);
    std::set<std::int64_t> seen;
    std::string page = w.say("maria", "find client");
    while (true) {
        ASSERT_LE(page.size(), kSmallestLimit);
        for (const auto id : customer_ids(page)) EXPECT_TRUE(seen.insert(id).second);
        if (page.find("more — type 'more'") == std::string::npos) break;
        page = w.say("maria", "more");
    }
    EXPECT_EQ(seen.size(), 3000u);
}

// ---- pages -----------------------------------------------------------------------

TEST(Paging, AReplyThatFitsIsOnePageUnchanged) {
    const auto pages = paging::paginate("one\ntwo", 100);
    ASSERT_EQ(pages.size(), 1u);
    EXPECT_EQ(pages[0].text, "one\ntwo");
}

TEST(Paging, PagesEndAtLineEndsAndLeaveRoomForTheFooter) {
    std::string text = "head";
    for (int i = 0; i < 200; ++i) text += "\n  line " + std::to_string(i);
    const auto pages = paging::paginate(text, 600);
    ASSERT_GT(pages.size(), 3u);
    std::string joined;
    int lines = 0;
    for (const auto& p : pages) {
        EXPECT_LE(p.text.size() + paging::kFooterBytes, 600u);
        joined += (joined.empty() ? "" : "\n") + p.text;
        lines += p.lines;
    }
    EXPECT_EQ(joined, text);
    EXPECT_EQ(lines, 201);
}

TEST(Paging, ATableCutByAPageIsClosedAndReopenedWithItsHeads) {
    std::string text = "📊 Team\n```\nrep   open  overdue";
    for (int i = 0; i < 100; ++i) text += "\nrep" + std::to_string(i) + "   3     1";
    text += "\n```\nafter";
    const auto pages = paging::paginate(text, 700);
    ASSERT_GT(pages.size(), 2u);
    for (std::size_t i = 1; i < pages.size(); ++i) {
        if (pages[i].text.find("rep9") == std::string::npos && pages[i].text.find("rep1") == std::string::npos)
            continue;
        EXPECT_EQ(pages[i].text.rfind("```\nrep   open  overdue\n", 0), 0u) << pages[i].text;
    }
    for (const auto& p : pages) {
        std::size_t fences = 0;
        for (std::size_t at = p.text.find("```"); at != std::string::npos; at = p.text.find("```", at + 3)) ++fences;
        EXPECT_EQ(fences % 2, 0u) << p.text;
    }
}

TEST(Paging, ALineLongerThanAPageIsCutAtACharacterBoundary) {
    std::string text = "head\n";
    for (int i = 0; i < 1000; ++i) text += "长";
    const auto pages = paging::paginate(text, 600);
    ASSERT_GT(pages.size(), 2u);
    std::string joined;
    for (const auto& p : pages) {
        EXPECT_LE(p.text.size(), 600u);
        joined += p.text;
    }
    std::string expected = text;
    expected.erase(std::remove(expected.begin(), expected.end(), '\n'), expected.end());
    joined.erase(std::remove(joined.begin(), joined.end(), '\n'), joined.end());
    EXPECT_EQ(joined, expected);
}

}  // namespace
}  // namespace fu::test
