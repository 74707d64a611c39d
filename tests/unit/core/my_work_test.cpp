// The reps' page's reads (core/my_work.hpp) and its actions (Bot::act): the
// buckets of `today`, chat's visibility rules, and the chat command's rules
// and reply for a command given as fields.
#include <gmock/gmock.h>

#include "core/my_work.hpp"
#include "fixture.hpp"

namespace fu::test {
namespace {

using ::testing::HasSubstr;

std::vector<std::int64_t> ids(const std::vector<mywork::Item>& items) {
    std::vector<std::int64_t> out;
    for (const auto& i : items) out.push_back(i.task.id.value);
    return out;
}

std::int64_t customer_in(const std::string& reply) {
    const auto at = reply.find(" c");
    EXPECT_NE(at, std::string::npos) << reply;
    return at == std::string::npos ? 0 : std::stoll(reply.substr(at + 2));
}

TEST(MyWork, TheAgendaHasTodaysBucketsInTheViewersZoneAndOnlyTheirOwn) {
    World w;  // Monday 10:00 in Shanghai
    const auto acme = customer_in(w.say("maria", "customer add Acme"));
    const auto late = World::task_id_in(w.say("maria", "followup c" + std::to_string(acme) + " in 1h call quote"));
    const auto tonight = World::task_id_in(w.say("maria", "followup c" + std::to_string(acme) + " today 23:30 call b"));
    const auto tomorrow =
        World::task_id_in(w.say("maria", "followup c" + std::to_string(acme) + " tomorrow 00:30 call c"));
    w.say("olaf", "customer add Initech");
    w.say("olaf", "followup Initech in 2h call theirs");
    w.clock.advance(std::chrono::hours(2));  // 12:00: the first is an hour late

    std::optional<mywork::Agenda> a;
    w.store->transact([&](Repo& r) { a = mywork::agenda(r, *r.user(w.maria), w.clock.now()); });
    EXPECT_EQ(ids(a->overdue), std::vector<std::int64_t>{late});
    EXPECT_EQ(ids(a->today), std::vector<std::int64_t>{tonight});      // before local midnight
    EXPECT_EQ(ids(a->upcoming), std::vector<std::int64_t>{tomorrow});  // 00:30 is tomorrow
    EXPECT_EQ(a->overdue[0].customer.name, "Acme");

    // Only the first `max_upcoming` coming up are listed; the rest are counted.
    w.store->transact([&](Repo& r) { a = mywork::agenda(r, *r.user(w.maria), w.clock.now(), 0); });
    EXPECT_TRUE(a->upcoming.empty());
    EXPECT_EQ(a->more_upcoming, 1u);
}

TEST(MyWork, SearchAndACustomersPageFollowChatsVisibility) {
    World w;
    const auto acme = CustomerId{customer_in(w.say("maria", "customer add Acme Corp phone=13800138000"))};
    w.say("maria", "customer add Globex company=Acme Holdings");
    const auto initech = CustomerId{customer_in(w.say("olaf", "customer add Initech"))};

    std::optional<mywork::Found> found;
    auto search = [&](UserId who, std::string text) {
        w.store->transact([&](Repo& r) { found = mywork::search(r, *r.user(who), text); });
        std::vector<std::string> names;
        for (const auto& c : found->customers) names.push_back(c.name);
        return names;
    };
    // The name first (a prefix), then the company's match; case-insensitive.
    EXPECT_EQ(search(w.maria, "acme"), (std::vector<std::string>{"Acme Corp", "Globex"}));
    EXPECT_TRUE(search(w.wang, "acme").empty());   // another rep's
    EXPECT_EQ(search(w.li, "ACME").size(), 2u);    // the manager's team
    EXPECT_TRUE(search(w.li, "initech").empty());  // another team's
    EXPECT_EQ(found->owners.size(), 0u);

    std::optional<mywork::CustomerPage> page;
    auto open = [&](UserId who, CustomerId id) {
        w.store->transact([&](Repo& r) { page = mywork::customer_page(r, *r.user(who), id); });
        return page.has_value();
    };
    ASSERT_TRUE(open(w.maria, acme));
    EXPECT_TRUE(page->contacts);
    EXPECT_EQ(page->customer.phone, "13800138000");
    EXPECT_EQ(page->names.at(w.maria), "Maria");
    EXPECT_FALSE(open(w.wang, acme));
    EXPECT_FALSE(open(w.li, initech));
    ASSERT_TRUE(open(w.li, acme));
    EXPECT_EQ(page->customer.phone, "13800138000");  // the owner's manager sees contacts
}

TEST(MyWork, ACommandGivenAsFieldsHasChatsRulesAndReply) {
    World w;
    w.say("maria", "customer add Acme");
    const auto task = TaskId{World::task_id_in(w.say("maria", "followup Acme in 1h call quote"))};

    // Another rep's follow-up: refused, in the asker's language.
    auto refused = w.bot->act(w.wang, cmd::Snooze{task, "2小时后"});
    EXPECT_TRUE(refused.refused);
    EXPECT_THAT(refused.handled.reply.text, HasSubstr("没有找到你的任务"));
    // A time that cannot be read: refused, nothing changed.
    auto unreadable = w.bot->act(w.maria, cmd::Reschedule{task, "next yesterday"});
    EXPECT_TRUE(unreadable.refused);
    EXPECT_EQ(w.task(task.value)->reschedule_count, 0);

    cmd::Done done;
    done.task = task;
    done.results = {"reached", "interested"};
    done.note = "wants a quote";
    done.next = "in 3 days";
    auto ok = w.bot->act(w.maria, done);
    EXPECT_FALSE(ok.refused) << ok.handled.reply.text;
    EXPECT_EQ(w.task(task.value)->status, TaskStatus::done);
    EXPECT_THAT(w.say("maria", "history Acme"), HasSubstr("wants a quote"));
    // Done twice: refused as in chat.
    EXPECT_TRUE(w.bot->act(w.maria, cmd::Done{task, {}, {}, {}, {}}).refused);
    // A command the role may not run is answered, not done.
    EXPECT_TRUE(w.bot->act(w.maria, cmd::Team{}).refused);
}

}  // namespace
}  // namespace fu::test
