// The use cases chat and the REST API share (bot/core/usecases): called
// directly, and through both channels, which must store the same result.
#include <gmock/gmock.h>

#include "core/api.hpp"
#include "core/usecases/customers.hpp"
#include "core/usecases/followups.hpp"
#include "fixture.hpp"

namespace fu::test {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr CustomerId kAcme{1};

// What a customer's follow-ups look like after a change.
struct Stored {
    int open_manual = 0, open_cadence = 0, cancelled_cadence = 0;
    std::size_t superseded = 0;  // "task.superseded" audit entries
    std::optional<TimePoint> next_followup;
};

Stored stored(World& w) {
    Stored s;
    w.store->transact([&](Repo& r) {
        Repo::TaskQuery q;
        q.customer = kAcme;
        q.limit = 100;
        for (const auto& t : r.list_tasks(q)) {
            const bool open = t.status == TaskStatus::open || t.status == TaskStatus::snoozed;
            if (open && t.origin == Origin::manual) ++s.open_manual;
            if (open && t.origin == Origin::cadence) ++s.open_cadence;
            if (t.status == TaskStatus::cancelled && t.origin == Origin::cadence) ++s.cancelled_cadence;
        }
        Repo::AuditQuery a;
        a.action_prefix = "task.superseded";
        a.limit = 100;
        s.superseded = r.audit_search(a).size();
        s.next_followup = r.customer(kAcme)->next_followup;
    });
    return s;
}

// Acme, Maria's active B customer: the cadence gave it an automatic follow-up.
void add_acme(World& w) {
    w.say("maria", "customer add Acme tier=B stage=active");
    EXPECT_EQ(stored(w).open_cadence, 1);
}

api::Caller east_token(World& w) {
    api::Caller c;
    c.token.id = TokenId{3};
    c.token.name = "crm";
    c.token.team = w.team;
    w.store->transact([&](Repo& r) { c.actor = *r.user(w.li); });
    return c;
}

// Runs a use case in one transaction as `who`, through the chat's wording.
template <class F>
auto as(World& w, UserId who, F&& f, std::vector<UserId>* notified = nullptr) {
    std::vector<UserId> told;
    std::optional<std::invoke_result_t<F&, uc::Session&>> out;
    w.store->transact([&](Repo& r) {
        const User me = *r.user(who);
        uc::Session s{r, me, w.clock.now(), w.options, told};
        out.emplace(f(s));
    });
    if (notified) *notified = told;
    return std::move(*out);
}

TEST(Usecases, SchedulingByHandSupersedesTheAutomaticFollowupOnce) {
    World w;
    add_acme(w);
    const TimePoint friday = w.clock.now() + 96h;
    as(w, w.maria, [&](uc::Session& s) {
        return uc::schedule_followup(s, *s.repo.customer(kAcme), w.maria, friday, Method::call, "demo");
    });
    as(w, w.maria, [&](uc::Session& s) {
        return uc::schedule_followup(s, *s.repo.customer(kAcme), w.maria, friday + 24h, Method::visit, "visit");
    });
    const auto s = stored(w);
    EXPECT_EQ(s.cancelled_cadence, 1);
    EXPECT_EQ(s.open_cadence, 0);
    EXPECT_EQ(s.open_manual, 2);  // a plan by hand never supersedes another one
    EXPECT_EQ(s.superseded, 1u);
    EXPECT_EQ(s.next_followup, friday);
}

TEST(Usecases, ChatAndTheApiStoreTheSameFollowupSetByHand) {
    World chat;
    add_acme(chat);
    chat.say("maria", "followup Acme in 1h call");

    World rest;
    add_acme(rest);
    api::Service service(*rest.store, rest.clock, rest.options);
    api::Effects fx;
    api::NewFollowup n;
    n.customer = kAcme;
    n.due = rest.clock.now() + 1h;
    service.create_followup(east_token(rest), n, fx);

    const auto a = stored(chat), b = stored(rest);
    EXPECT_EQ(a.open_manual, 1);
    EXPECT_EQ(a.cancelled_cadence, 1);
    EXPECT_EQ(a.superseded, 1u);
    EXPECT_EQ(b.open_manual, a.open_manual);
    EXPECT_EQ(b.open_cadence, a.open_cadence);
    EXPECT_EQ(b.cancelled_cadence, a.cancelled_cadence);
    EXPECT_EQ(b.superseded, a.superseded);
    EXPECT_EQ(b.next_followup, a.next_followup);
    // Only the API's audit entry names the token.
    std::vector<AuditEntry> entries;
    rest.store->transact([&](Repo& r) {
        Repo::AuditQuery q;
        q.action_prefix = "task.superseded";
        entries = r.audit_search(q);
    });
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].detail, "by a follow-up set by hand · via API token #3 crm");
}

TEST(Usecases, TheAssigneeIsToldInTheirLanguageWordedForWhereThePlanCameFrom) {
    World w;
    w.say("wang", "新客户 华为");
    std::vector<UserId> told;
    const Task t = as(
        w, w.li,
        [&](uc::Session& s) {
            return uc::plan_followup(s, *s.repo.customer(kAcme), w.wang, s.now + 2h, Method::call, "报价");
        },
        &told);
    EXPECT_EQ(told, std::vector<UserId>{w.wang});
    const auto inbox = w.messages(w.wang);
    ASSERT_FALSE(inbox.empty());
    EXPECT_THAT(inbox.back().text, HasSubstr("Li Na 给你安排了跟进："));
    EXPECT_EQ(inbox.back().tasks, std::vector<TaskId>{t.id});

    api::Service service(*w.store, w.clock, w.options);
    api::Effects fx;
    api::NewFollowup n;
    n.customer = kAcme;
    n.due = w.clock.now() + 3h;
    service.create_followup(east_token(w), n, fx);
    EXPECT_THAT(w.messages(w.wang).back().text, HasSubstr("CRM 给你安排了跟进："));
    EXPECT_EQ(fx.notified, std::vector<UserId>{w.wang});
}

TEST(Usecases, PlanningForOneselfTellsNobody) {
    World w;
    add_acme(w);
    std::vector<UserId> told;
    as(
        w, w.maria,
        [&](uc::Session& s) {
            return uc::plan_followup(s, *s.repo.customer(kAcme), w.maria, s.now + 1h, Method::call, "");
        },
        &told);
    EXPECT_TRUE(told.empty());
}

TEST(Usecases, CompletingWithANextTimeSchedulesItAndMovesTheNextFollowupDate) {
    World w;
    add_acme(w);
    const auto id = World::task_id_in(w.say("maria", "followup Acme in 1h call"));
    const TimePoint next_week = w.clock.now() + 7 * 24h;
    const auto done = as(w, w.maria, [&](uc::Session& s) {
        return uc::complete(s, *s.repo.task(TaskId{id}),
                            uc::Completion{w.maria, {"reached"}, "wants a demo", 4, next_week, "next week"});
    });
    EXPECT_EQ(done.task.status, TaskStatus::done);
    EXPECT_EQ(done.outcome.kind, uc::OutcomeEffect::none);
    ASSERT_TRUE(done.next);
    EXPECT_FALSE(done.cadence);
    EXPECT_EQ(done.next->topic, "wants a demo");
    EXPECT_EQ(stored(w).next_followup, next_week);
}

TEST(Usecases, CompletingWithoutANextTimeLeavesTheCadencesFollowup) {
    World w;
    add_acme(w);
    const auto id = World::task_id_in(w.say("maria", "followup Acme in 1h call"));
    const auto done = as(w, w.maria, [&](uc::Session& s) {
        return uc::complete(s, *s.repo.task(TaskId{id}), uc::Completion{w.maria, {"reached"}, "", {}, {}, ""});
    });
    ASSERT_TRUE(done.cadence);
    EXPECT_EQ(done.cadence->origin, Origin::cadence);
    EXPECT_EQ(done.cadence->due, monday_10am_shanghai() + 14 * 24h);  // B, active: every 14 days
}

TEST(Usecases, ALostOutcomeClosesTheCustomerAndSchedulesNothing) {
    World w;
    add_acme(w);
    const auto id = World::task_id_in(w.say("maria", "followup Acme in 1h call"));
    const auto done = as(w, w.maria, [&](uc::Session& s) {
        return uc::complete(s, *s.repo.task(TaskId{id}),
                            uc::Completion{w.maria, {"lost"}, "", {}, w.clock.now() + 24h, "tomorrow"});
    });
    EXPECT_EQ(done.outcome.kind, uc::OutcomeEffect::lost);
    EXPECT_FALSE(done.next);
    EXPECT_FALSE(done.cadence);
    const auto s = stored(w);
    EXPECT_EQ(s.open_manual + s.open_cadence, 0);
}

TEST(Usecases, ADoneFollowupIsRefusedAndEachChannelSaysSoItsWay) {
    World w;
    add_acme(w);
    const auto id = World::task_id_in(w.say("maria", "followup Acme in 1h call"));
    w.say("maria", "done " + std::to_string(id));
    try {
        as(w, w.maria, [&](uc::Session& s) { return uc::reschedule(s, *s.repo.task(TaskId{id}), s.now + 1h); });
        FAIL() << "rescheduled a done follow-up";
    } catch (const uc::Refused& e) {
        EXPECT_EQ(e.why, uc::Refused::Why::already_done);
        EXPECT_EQ(e.task, TaskId{id});
    }
    EXPECT_EQ(w.say("maria", "reschedule " + std::to_string(id) + " tomorrow 10am"),
              "#" + std::to_string(id) + " is already done.");
    w.say("maria", "lang zh");  // replies are in the user's language, not the command word's
    EXPECT_EQ(w.say("maria", "改期 " + std::to_string(id) + " 明天上午10点"),
              "#" + std::to_string(id) + " 已经完成了。");
    w.say("maria", "lang en");

    api::Service service(*w.store, w.clock, w.options);
    api::Effects fx;
    api::FollowupChange ch;
    ch.due = w.clock.now() + 2h;
    try {
        service.update_followup(east_token(w), TaskId{id}, ch, fx);
        FAIL() << "the API rescheduled a done follow-up";
    } catch (const api::Error& e) {
        EXPECT_EQ(e.kind, api::Error::Kind::conflict);
        EXPECT_STREQ(e.what(), ("follow-up " + std::to_string(id) + " is already done").c_str());
    }
}

TEST(Usecases, SnoozingToAPastTimeIsRefusedAndChangesNothing) {
    World w;
    add_acme(w);
    const auto id = World::task_id_in(w.say("maria", "followup Acme in 1h call"));
    EXPECT_THROW(as(w, w.maria, [&](uc::Session& s) { return uc::snooze(s, *s.repo.task(TaskId{id}), s.now - 1min); }),
                 uc::Refused);
    EXPECT_EQ(w.task(id)->snooze_count, 0);
    const auto later =
        as(w, w.maria, [&](uc::Session& s) { return uc::snooze(s, *s.repo.task(TaskId{id}), s.now + 2h); }).task;
    EXPECT_EQ(later.status, TaskStatus::snoozed);
    EXPECT_EQ(later.snooze_count, 1);
    EXPECT_EQ(w.task(id)->due, later.due);  // the due time stays
}

TEST(Usecases, SnoozingBeforeTheDueTimeIsNoSnoozeAndIsNotCounted) {
    World w;
    add_acme(w);
    const auto id = World::task_id_in(w.say("maria", "followup Acme in 1h call"));
    const auto due = w.task(id)->due;
    const auto r =
        as(w, w.maria, [&](uc::Session& s) { return uc::snooze(s, *s.repo.task(TaskId{id}), s.now + 30min); });
    EXPECT_FALSE(r.counted);
    EXPECT_EQ(r.reminder, due);  // the first reminder comes at due all the same
    EXPECT_EQ(w.task(id)->snooze_count, 0);
    EXPECT_EQ(w.task(id)->status, TaskStatus::open);
    EXPECT_EQ(w.task(id)->remind_at, due);
}

TEST(Usecases, AssigningMovesTheOpenFollowupsAndTellsBothOwners) {
    World w;
    add_acme(w);
    std::vector<UserId> told;
    const auto moved = as(
        w, w.li,
        [&](uc::Session& s) {
            Customer cu = *s.repo.customer(kAcme);
            return uc::assign_customer(s, cu, *s.repo.user(w.wang), "assigned by li").moved;
        },
        &told);
    ASSERT_EQ(moved.size(), 1u);
    EXPECT_EQ(w.task(moved[0].value)->assignee, w.wang);
    EXPECT_EQ(told, (std::vector<UserId>{w.wang, w.maria}));
    EXPECT_THAT(w.messages(w.wang).back().text, HasSubstr("Li Na 把客户 c1 Acme 转给了你，1 项待跟进一并转交"));
    EXPECT_THAT(w.messages(w.maria).back().text, HasSubstr("was moved to Wang Wei by Li Na"));
}

TEST(Usecases, ReleasingCancelsTheFollowupsAndKeepsTheReasonOnTheTransfer) {
    World w;
    add_acme(w);
    const auto before = w.messages(w.maria).size();
    const auto cancelled = as(w, w.maria, [&](uc::Session& s) {
        Customer cu = *s.repo.customer(kAcme);
        return uc::release_customer(s, cu, "not a fit");
    });
    EXPECT_EQ(cancelled.size(), 1u);
    w.store->transact([&](Repo& r) {
        const auto cu = *r.customer(kAcme);
        EXPECT_FALSE(cu.owner);
        EXPECT_EQ(cu.team, w.team);
        EXPECT_EQ(r.transfers_for_customer(kAcme).back().reason, "not a fit");
    });
    EXPECT_EQ(w.messages(w.maria).size(), before);  // not told of their own release
}

// What closing left on Acme: its interactions, open follow-ups and audit.
struct Closed {
    std::vector<Interaction> interactions;
    std::size_t open = 0, close_audits = 0;
    Stage stage = Stage::lead;
    std::optional<TimePoint> last_contact;
};

Closed closed(World& w) {
    Closed c;
    w.store->transact([&](Repo& r) {
        c.interactions = r.interactions_for_customer(kAcme, 10);
        c.open = r.open_tasks_for_customer(kAcme).size();
        Repo::AuditQuery a;
        a.action_prefix = "customer.close";
        c.close_audits = r.audit_search(a).size();
        const auto cu = *r.customer(kAcme);
        c.stage = cu.stage;
        c.last_contact = cu.last_contact;
    });
    return c;
}

TEST(Usecases, ChatAndTheApiCloseAWonCustomerTheSameWay) {
    World chat;
    add_acme(chat);
    EXPECT_THAT(chat.say("maria", "close Acme won signed"), HasSubstr("closed as won"));

    World rest;
    add_acme(rest);
    api::Service service(*rest.store, rest.clock, rest.options);
    api::Effects fx;
    api::CustomerFields f;
    f.stage = Stage::won;
    service.update_customer(east_token(rest), kAcme, f, fx);

    for (World* w : {&chat, &rest}) {
        const auto c = closed(*w);
        EXPECT_EQ(c.stage, Stage::won);
        EXPECT_EQ(c.open, 0u);  // the cadence's follow-up is cancelled
        EXPECT_EQ(c.close_audits, 1u);
        EXPECT_EQ(c.last_contact, w->clock.now());
        // One interaction that says "won" (the reports count deals from it),
        // by the rep who owns it: the CRM's token acts as Li, the deal is Maria's.
        ASSERT_EQ(c.interactions.size(), 1u);
        EXPECT_EQ(c.interactions[0].results, (std::vector<std::string>{"won"}));
        EXPECT_EQ(c.interactions[0].user, w->maria);
        EXPECT_EQ(c.interactions[0].stage, Stage::active);
    }
    // Closed already: the API's stage change is no second close.
    service.update_customer(east_token(rest), kAcme, f, fx);
    EXPECT_EQ(closed(rest).interactions.size(), 1u);
}

TEST(Usecases, AddingACustomerForSomeoneElseTellsThemInTheirLanguage) {
    World w;
    const auto before = w.messages(w.wang).size();
    EXPECT_THAT(w.say("li", "customer add Acme owner=wang"), HasSubstr("owner Wang Wei"));
    const auto got = w.messages(w.wang);
    ASSERT_EQ(got.size(), before + 1);
    EXPECT_THAT(got.back().text, HasSubstr("Li Na 为你添加了客户 c1 Acme；首次跟进 #1"));
    EXPECT_EQ(got.back().tasks, (std::vector<TaskId>{TaskId{1}}));
    // For oneself: the reply says it all.
    const auto li_before = w.messages(w.li).size();
    w.say("li", "customer add Beta");
    EXPECT_EQ(w.messages(w.li).size(), li_before);
}

TEST(Usecases, ClaimingBackBeforeTheCooldownIsRefusedWithBothTimes) {
    World w;
    add_acme(w);
    const TimePoint released = w.clock.now();
    as(w, w.maria, [&](uc::Session& s) {
        Customer cu = *s.repo.customer(kAcme);
        return uc::release_customer(s, cu, "not now");
    });
    w.clock.advance(24h);
    try {
        as(w, w.maria, [&](uc::Session& s) {
            Customer cu = *s.repo.customer(kAcme);
            return uc::claim_customer(s, cu).claims_left;
        });
        FAIL() << "claimed back a day after releasing it";
    } catch (const uc::ClaimRefused& e) {
        EXPECT_EQ(e.why, uc::ClaimRefused::Why::cooldown);
        EXPECT_EQ(e.released, released);
        EXPECT_EQ(e.allowed, released + std::chrono::days(w.options.sop.reclaim_cooldown_days));
    }
    // Someone else may: it is theirs, with a first follow-up, one claim of the quota used.
    const auto got = as(w, w.wang, [&](uc::Session& s) {
        Customer cu = *s.repo.customer(kAcme);
        return uc::claim_customer(s, cu);
    });
    ASSERT_TRUE(got.first);
    EXPECT_EQ(got.first->assignee, w.wang);
    EXPECT_EQ(got.claims_left, w.options.sop.claim_daily_quota - 1);
    w.store->transact([&](Repo& r) { EXPECT_EQ(r.customer(kAcme)->owner, w.wang); });
}

TEST(Usecases, HandoverMovesEverythingAndTellsBothButNotTheActingManager) {
    World w;
    add_acme(w);
    w.say("maria", "customer add Beta");
    std::vector<UserId> told;
    const auto done = as(
        w, w.li, [&](uc::Session& s) { return uc::handover(s, *s.repo.user(w.maria), *s.repo.user(w.wang)); }, &told);
    EXPECT_EQ(done.customers, 2u);
    EXPECT_EQ(done.moved.size(), 2u);
    for (const auto id : done.moved) EXPECT_EQ(w.task(id.value)->assignee, w.wang);
    EXPECT_EQ(told, (std::vector<UserId>{w.wang, w.maria}));  // Li, Maria's manager, did it
    EXPECT_THAT(w.messages(w.wang).back().text, HasSubstr("Maria 的 2 个客户、2 项待跟进 已交接给你（Li Na 操作）"));
    EXPECT_THAT(w.messages(w.maria).back().text, HasSubstr("were handed over to Wang Wei"));
}

}  // namespace
}  // namespace fu::test
