// A use case that writes several rows either makes all of them or none: the
// store fails its Nth write, for every N the use case reaches, and what can be
// read through the ports afterwards is exactly what it was before. The same
// call without the failure then succeeds, and leaves what a clean run leaves.
#include <gmock/gmock.h>

#include <functional>
#include <memory>
#include <sstream>
#include <string>

#include "core/bot.hpp"
#include "failing_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace fu::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// Monday 2026-11-23 10:00 in Asia/Shanghai.
TimePoint monday_10am_shanghai() { return from_unix(1795399200); }

// A Bot whose store fails on demand, over an in-memory SQLite database.
struct FaultWorld {
    FaultWorld() : real(storage::SqliteStore::open(":memory:")), store(*real), clock(monday_10am_shanghai()) {
        BotOptions o;
        o.sop.daily_digest = false;
        o.sop.weekly_report = false;
        bot = std::make_unique<Bot>(store, clock, o);
        real->transact([&](Repo& r) {
            team = r.add_team(Team{{}, "East Sales"});
            li = add(r, "li", Role::manager);
            wang = add(r, "wang", Role::rep);
            maria = add(r, "maria", Role::rep);
        });
    }

    UserId add(Repo& r, std::string handle, Role role) {
        User u;
        u.display_name = handle;
        u.handle = std::move(handle);
        u.role = role;
        u.team = team;
        u.lang = Lang::en;
        return r.add_user(u);
    }

    std::string say(const std::string& who, const std::string& text) { return bot->handle(who, text).reply.text; }

    std::unique_ptr<storage::SqliteStore> real;
    FailingStore store;
    FakeClock clock;
    std::unique_ptr<Bot> bot;
    TeamId team;
    UserId li, wang, maria;
};

std::string when(std::optional<TimePoint> t) { return t ? std::to_string(to_unix(*t)) : "-"; }
std::string who(std::optional<UserId> u) { return u ? std::to_string(u->value) : "-"; }

// Everything a use case may have touched, read through the ports, as text
// (a difference then shows as a diff in the failure message).
std::string snapshot(Store& store) {
    std::ostringstream o;
    store.transact([&](Repo& r) {
        for (const auto& u : r.users()) {
            o << "user " << u.id.value << " " << u.handle << " " << int(u.role) << " " << int(u.lang) << " "
              << u.notify_platform << "\n";
            for (const auto& i : r.identities_of(u.id))
                o << "  identity " << i.platform << ":" << i.external_id << " chat " << i.chat_id << "\n";
            for (const char* kind : {"digest", "weekly"})
                if (auto s = r.schedule(u.id, kind)) o << "  schedule " << kind << " " << when(s->next_at) << "\n";
            for (const auto& m : r.messages_after(u.id, MessageId{0}, 1000)) {
                o << "  message " << m.id.value << " " << int(m.kind) << " " << when(m.created_at) << " " << m.text
                  << " |";
                for (const auto& b : m.buttons) o << " [" << b.label << "=" << b.command << "]";
                for (const auto& t : m.tasks) o << " #" << t.value;
                o << "\n";
            }
        }
        CustomerStore::CustomerQuery customers;
        customers.limit = 1000;
        for (const auto& c : r.list_customers(customers)) {
            o << "customer " << c.id.value << " " << c.name << " owner " << who(c.owner) << " team "
              << (c.team ? std::to_string(c.team->value) : "-") << " " << int(c.tier) << " " << int(c.stage) << " last "
              << when(c.last_contact) << " next " << when(c.next_followup) << "\n";
            for (const auto& t : r.transfers_for_customer(c.id))
                o << "  transfer " << t.id.value << " " << who(t.from) << "->" << who(t.to) << " by " << who(t.by)
                  << " " << when(t.at) << " " << t.reason << "\n";
        }
        TaskStore::TaskQuery tasks;
        tasks.limit = 1000;
        for (const auto& t : r.list_tasks(tasks))
            o << "task " << t.id.value << " c" << t.customer.value << " u" << t.assignee.value << " due " << when(t.due)
              << " " << int(t.status) << " snoozed " << t.snooze_count << " remind " << when(t.remind_at) << " done "
              << when(t.done_at) << " until " << when(t.snoozed_until) << " step " << t.ladder_step << " " << t.topic
              << "\n";
        for (const auto& i : r.list_interactions(std::nullopt, std::nullopt, 1000)) {
            o << "interaction " << i.id.value << " c" << i.customer.value << " u" << i.user.value << " " << when(i.at)
              << " " << i.note << " |";
            for (const auto& res : i.results) o << " " << res;
            o << "\n";
        }
        for (const auto& a : r.audit_tail(1000))
            o << "audit " << a.id.value << " " << when(a.at) << " " << who(a.actor) << " " << a.action << " "
              << a.subject << " " << a.detail << "\n";
        // Deliveries have no listing of every status; ids are dense.
        for (std::int64_t id = 1;; ++id) {
            const auto d = r.delivery(DeliveryId{id});
            if (!d) break;
            o << "delivery " << d->id.value << " m" << d->message.value << " " << d->platform << " " << d->recipient
              << " " << d->chat_id << " " << int(d->status) << " " << when(d->next_attempt) << "\n";
        }
    });
    return o.str();
}

// Runs `use_case` once cleanly to count its writes, then, for every N up to
// that count, on a fresh world: fails the Nth write, checks nothing changed,
// and retries without the failure. Returns the number of writes.
int expect_all_or_nothing(const std::function<void(FaultWorld&)>& setup,
                          const std::function<void(FaultWorld&)>& use_case) {
    FaultWorld clean;
    setup(clean);
    clean.store.fail_at(0);
    use_case(clean);
    const int writes = clean.store.writes();
    const std::string done = snapshot(*clean.real);

    for (int n = 1; n <= writes; ++n) {
        SCOPED_TRACE("write " + std::to_string(n) + " of " + std::to_string(writes) + " fails");
        FaultWorld w;
        setup(w);
        const std::string before = snapshot(*w.real);
        w.store.fail_at(n);
        try {
            use_case(w);
            ADD_FAILURE() << "the use case went on past a failed write";
        } catch (const std::runtime_error& e) {
            EXPECT_THAT(e.what(), HasSubstr("injected write failure"));
        }
        EXPECT_EQ(w.store.writes(), n) << "writes went on after the failure";
        EXPECT_EQ(snapshot(*w.real), before);

        w.store.fail_at(0);
        use_case(w);
        EXPECT_EQ(w.store.writes(), writes);
        EXPECT_EQ(snapshot(*w.real), done);
    }
    ::testing::Test::RecordProperty("writes", writes);
    return writes;
}

TEST(AllOrNothing, AChatMessageFromAPlatform) {
    auto setup = [](FaultWorld& w) {
        w.real->transact([&](Repo& r) {
            r.link_identity(Identity{"telegram", "555", w.maria, ""});  // the direct chat not yet known
            auto m = *r.user(w.maria);
            m.notify_platform = "telegram";
            r.update_user(m);
        });
    };
    // dedupe row, identity's chat, customer, first follow-up, audit, reply, delivery
    const int writes = expect_all_or_nothing(setup, [](FaultWorld& w) {
        const auto r =
            w.bot->handle_platform(Inbound{"telegram", "u1", "555", "555", true, "customer add Acme", false, ""});
        EXPECT_FALSE(r.duplicate);
    });
    EXPECT_GE(writes, 6);
}

// Group commit: the same message between two others in one group (one
// transaction, each use case a savepoint of it). When its Nth write fails it
// is undone alone: what the group leaves is what the two others leave alone.
TEST(AllOrNothing, AChatMessageFromAPlatformInsideAGroupIsUndoneAloneAndItsNeighboursStay) {
    auto setup = [](FaultWorld& w) {
        w.real->transact([&](Repo& r) {
            r.link_identity(Identity{"telegram", "555", w.maria, ""});
            auto m = *r.user(w.maria);
            m.notify_platform = "telegram";
            r.update_user(m);
        });
    };
    const Inbound message{"telegram", "u1", "555", "555", true, "customer add Acme", false, ""};
    FaultWorld neighbours;
    setup(neighbours);
    neighbours.say("wang", "customer add Before");
    neighbours.say("li", "customer add After");
    const std::string expected = snapshot(*neighbours.real);

    FaultWorld clean;
    setup(clean);
    clean.store.fail_at(0);
    clean.bot->handle_platform(message);
    const int writes = clean.store.writes();
    ASSERT_GE(writes, 6);
    for (int n = 1; n <= writes; ++n) {
        SCOPED_TRACE("write " + std::to_string(n) + " of " + std::to_string(writes) + " fails");
        FaultWorld w;
        setup(w);
        w.store.group([&] {
            EXPECT_THAT(w.say("wang", "customer add Before"), HasSubstr("Before"));
            w.store.fail_at(n);
            EXPECT_THROW(w.bot->handle_platform(message), std::runtime_error);
            w.store.fail_at(0);
            EXPECT_THAT(w.say("li", "customer add After"), HasSubstr("After"));
        });
        EXPECT_EQ(snapshot(*w.real), expected);
    }
}

TEST(AllOrNothing, AddingACustomerWithItsFirstFollowUp) {
    const int writes = expect_all_or_nothing(
        [](FaultWorld&) {},
        [](FaultWorld& w) {
            EXPECT_THAT(w.say("maria", "customer add Acme Corp tier=A stage=lead"), HasSubstr("Acme Corp"));
            w.real->transact([&](Repo& r) { EXPECT_EQ(r.open_tasks_for_customer(CustomerId{1}).size(), 1u); });
        });
    EXPECT_GE(writes, 3);  // customer, follow-up, audit
}

TEST(AllOrNothing, DoneWithTheNextFollowUp) {
    auto setup = [](FaultWorld& w) { w.say("maria", "customer add Acme"); };
    const int writes = expect_all_or_nothing(setup, [](FaultWorld& w) {
        EXPECT_THAT(w.say("maria", "done 1 reached, interested, next tomorrow 10am"), HasSubstr("reached, interested"));
        w.real->transact([&](Repo& r) { EXPECT_EQ(r.task(TaskId{1})->status, TaskStatus::done); });
    });
    EXPECT_GE(writes, 5);  // task done, interaction, customer, next task, audit
}

TEST(AllOrNothing, AClaimFromThePublicPool) {
    auto setup = [](FaultWorld& w) {
        w.say("wang", "customer add 华为");
        EXPECT_THAT(w.say("li", "release 华为 duplicate"), HasSubstr("public pool"));
    };
    const int writes = expect_all_or_nothing(setup, [](FaultWorld& w) {
        EXPECT_THAT(w.say("maria", "claim 华为"), HasSubstr("华为"));
        w.real->transact([&](Repo& r) { EXPECT_EQ(r.find_customers("华为", 1).at(0).owner, w.maria); });
    });
    EXPECT_GE(writes, 3);  // owner, transfer, follow-up, audit
}

TEST(AllOrNothing, FiringDueReminders) {
    auto setup = [](FaultWorld& w) {
        w.say("maria", "customer add Acme");
        w.say("maria", "customer add Beta");
        w.say("wang", "customer add 华为");
        w.clock.advance(std::chrono::hours(30));  // every first follow-up due
    };
    const int writes = expect_all_or_nothing(setup, [](FaultWorld& w) {
        EXPECT_FALSE(w.bot->fire_due_reminders().empty());
        w.real->transact([&](Repo& r) { EXPECT_TRUE(r.reminders_due(w.clock.now(), 10, {}).empty()); });
    });
    EXPECT_GE(writes, 6);  // per task: its ladder step and an audit line; per rep: a message
}

}  // namespace
}  // namespace fu::test
