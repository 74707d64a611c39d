#include <gtest/gtest.h>

#include <stdexcept>

#include "engines.hpp"

namespace fu::contract {
namespace {

class RoundTrip : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        store->transact([&](Repo& r) {
            team = r.add_team(Team{{}, "East"});
            User u;
            u.handle = "wang";
            u.display_name = "王伟";
            u.team = team;
            rep = r.add_user(u);
            u.handle = "li";
            u.display_name = "李娜";
            u.role = Role::manager;
            manager = r.add_user(u);
            Customer c;
            c.name = "Acme";
            c.created_at = monday();
            customer = r.add_customer(c);
        });
    }

    TeamId team;
    UserId rep, manager;
    CustomerId customer;
};

TEST_P(RoundTrip, TeamsComeBackByIdAndInIdOrder) {
    store->transact([&](Repo& r) {
        auto west = r.add_team(Team{{}, "华西销售"});
        EXPECT_EQ(r.team(west)->name, "华西销售");
        EXPECT_FALSE(r.team(TeamId{999}));
        auto all = r.teams();
        ASSERT_EQ(all.size(), 2u);
        EXPECT_EQ(all[0].id, team);
        EXPECT_EQ(all[1].id, west);
    });
}

TEST_P(RoundTrip, AUserKeepsEveryFieldAndIsFoundByHandleInAnyCase) {
    User u;
    u.handle = "Zhang.San";
    u.display_name = "张三";
    u.role = Role::admin;
    u.team = std::nullopt;
    u.time_zone = "America/New_York";
    u.lang = Lang::en;
    u.work_start_minute = 8 * 60 + 30;
    u.work_end_minute = 17 * 60;
    u.work_days = 0b1111111;
    store->transact([&](Repo& r) {
        u.id = r.add_user(u);
        auto back = r.user(u.id);
        ASSERT_TRUE(back);
        EXPECT_EQ(back->id, u.id);
        EXPECT_EQ(back->handle, "Zhang.San");
        EXPECT_EQ(back->display_name, "张三");
        EXPECT_EQ(back->role, Role::admin);
        EXPECT_FALSE(back->team);
        EXPECT_EQ(back->time_zone, "America/New_York");
        EXPECT_EQ(back->lang, Lang::en);
        EXPECT_EQ(back->work_start_minute, 510);
        EXPECT_EQ(back->work_end_minute, 1020);
        EXPECT_EQ(back->work_days, 0b1111111);

        auto by_handle = r.user_by_handle("zhang.SAN");
        ASSERT_TRUE(by_handle);
        EXPECT_EQ(by_handle->id, u.id);
        EXPECT_FALSE(r.user_by_handle("zhang"));

        u.team = team;
        u.role = Role::rep;
        u.lang = Lang::zh;
        r.update_user(u);
        EXPECT_EQ(r.user(u.id)->team, team);
        EXPECT_EQ(r.user(u.id)->role, Role::rep);
        EXPECT_EQ(r.team_members(team).size(), 3u);
        EXPECT_EQ(r.users().size(), 3u);
    });
}

TEST_P(RoundTrip, HandlesAreUniqueIgnoringCase) {
    User u;
    u.handle = "WANG";
    EXPECT_THROW(store->transact([&](Repo& r) { r.add_user(u); }), std::runtime_error);
}

TEST_P(RoundTrip, UpdatingSomethingThatDoesNotExistFails) {
    User u;
    u.id = UserId{999};
    u.handle = "ghost";
    Customer c;
    c.id = CustomerId{999};
    Task t;
    t.id = TaskId{999};
    t.customer = customer;
    t.assignee = rep;
    EXPECT_THROW(store->transact([&](Repo& r) { r.update_user(u); }), std::runtime_error);
    EXPECT_THROW(store->transact([&](Repo& r) { r.update_customer(c); }), std::runtime_error);
    EXPECT_THROW(store->transact([&](Repo& r) { r.update_task(t); }), std::runtime_error);
}

TEST_P(RoundTrip, ACustomerKeepsEveryFieldIncludingChineseTags) {
    Customer c;
    c.name = "华联超市";
    c.company = "上海华联集团";
    c.phone = "+86 138 0000 0000";
    c.email = "buyer@hualian.cn";
    c.im = "wx:hualian";
    c.owner = rep;
    c.tier = Tier::a;
    c.stage = Stage::churn_risk;
    c.source = "展会";
    c.value = 250000;
    c.tags = {"重点客户", "华东", "needs-quote"};
    c.last_contact = monday() - kDay;
    c.next_followup = monday() + 2 * kDay;
    c.created_at = monday() - 30 * kDay;
    store->transact([&](Repo& r) {
        c.id = r.add_customer(c);
        auto back = r.customer(c.id);
        ASSERT_TRUE(back);
        EXPECT_EQ(back->id, c.id);
        EXPECT_EQ(back->name, c.name);
        EXPECT_EQ(back->company, c.company);
        EXPECT_EQ(back->phone, c.phone);
        EXPECT_EQ(back->email, c.email);
        EXPECT_EQ(back->im, c.im);
        EXPECT_EQ(back->owner, rep);
        EXPECT_EQ(back->tier, Tier::a);
        EXPECT_EQ(back->stage, Stage::churn_risk);
        EXPECT_EQ(back->source, "展会");
        EXPECT_EQ(back->value, 250000);
        EXPECT_EQ(back->tags, c.tags);
        EXPECT_EQ(back->last_contact, c.last_contact);
        EXPECT_EQ(back->next_followup, c.next_followup);
        EXPECT_EQ(back->created_at, c.created_at);

        // Back to the pool, no tags, no times.
        c.owner.reset();
        c.tags.clear();
        c.last_contact.reset();
        c.next_followup.reset();
        c.stage = Stage::lost;
        r.update_customer(c);
        back = r.customer(c.id);
        EXPECT_FALSE(back->owner);
        EXPECT_TRUE(back->tags.empty());
        EXPECT_FALSE(back->last_contact);
        EXPECT_FALSE(back->next_followup);
        EXPECT_EQ(back->stage, Stage::lost);
        EXPECT_FALSE(r.customer(CustomerId{999}));
    });
}

TEST_P(RoundTrip, ATaskKeepsEveryFieldIncludingOptionalTimes) {
    Task t;
    t.customer = customer;
    t.assignee = rep;
    t.due = monday() + 10 * kHour;
    t.method = Method::visit;
    t.topic = "报价跟进 quote";
    t.priority = Priority::high;
    t.status = TaskStatus::snoozed;
    t.snooze_count = 2;
    t.origin = Origin::escalation;
    t.created_by = manager;
    t.created_at = monday() - kDay;
    t.remind_at = monday() + 9 * kHour;
    t.done_at = std::nullopt;
    store->transact([&](Repo& r) {
        t.id = r.add_task(t);
        auto back = r.task(t.id);
        ASSERT_TRUE(back);
        EXPECT_EQ(back->id, t.id);
        EXPECT_EQ(back->customer, customer);
        EXPECT_EQ(back->assignee, rep);
        EXPECT_EQ(back->due, t.due);
        EXPECT_EQ(back->method, Method::visit);
        EXPECT_EQ(back->topic, t.topic);
        EXPECT_EQ(back->priority, Priority::high);
        EXPECT_EQ(back->status, TaskStatus::snoozed);
        EXPECT_EQ(back->snooze_count, 2);
        EXPECT_EQ(back->origin, Origin::escalation);
        EXPECT_EQ(back->created_by, manager);
        EXPECT_EQ(back->created_at, t.created_at);
        EXPECT_EQ(back->remind_at, t.remind_at);
        EXPECT_FALSE(back->done_at);

        t.status = TaskStatus::done;
        t.remind_at.reset();
        t.done_at = monday() + 11 * kHour;
        t.created_by.reset();
        r.update_task(t);
        back = r.task(t.id);
        EXPECT_EQ(back->status, TaskStatus::done);
        EXPECT_FALSE(back->remind_at);
        EXPECT_EQ(back->done_at, t.done_at);
        EXPECT_FALSE(back->created_by);
        EXPECT_FALSE(r.task(TaskId{999}));

        // Only the next reminder and the ladder step move (the ladder's own
        // update, which an engine may make cheaper): read back the same.
        t.remind_at = monday() + 30 * kHour;
        t.ladder_step = 2;
        r.update_task(t);
        EXPECT_EQ(*r.task(t.id), t);
        t.remind_at.reset();
        t.ladder_step = 3;
        r.update_task(t);
        EXPECT_EQ(*r.task(t.id), t);
        r.update_task(t);  // unchanged
        EXPECT_EQ(*r.task(t.id), t);
        EXPECT_EQ(r.next_reminder_at(), std::nullopt);
    });
}

TEST_P(RoundTrip, InteractionsKeepChineseResultsAndOptionalFieldsNewestFirst) {
    Interaction a;
    a.customer = customer;
    a.task = std::nullopt;
    a.user = rep;
    a.at = monday() + kHour;
    a.method = Method::im;
    a.results = {"reached", "interested", "要报价"};
    a.note = "客户想要下周报价";
    a.next_step = "周五发报价";
    a.satisfaction = 4;
    Interaction b = a;
    b.at = monday() + 2 * kHour;
    b.results = {"no_answer"};
    b.note.clear();
    b.next_step.clear();
    b.satisfaction.reset();
    store->transact([&](Repo& r) {
        Task t;
        t.customer = customer;
        t.assignee = rep;
        b.task = r.add_task(t);
        a.id = r.add_interaction(a);
        b.id = r.add_interaction(b);
        auto list = r.interactions_for_customer(customer, 10);
        ASSERT_EQ(list.size(), 2u);
        EXPECT_EQ(list[0].id, b.id);
        EXPECT_EQ(list[0].task, b.task);
        EXPECT_EQ(list[0].results, std::vector<std::string>{"no_answer"});
        EXPECT_FALSE(list[0].satisfaction);
        EXPECT_EQ(list[1].id, a.id);
        EXPECT_EQ(list[1].customer, customer);
        EXPECT_FALSE(list[1].task);
        EXPECT_EQ(list[1].user, rep);
        EXPECT_EQ(list[1].at, a.at);
        EXPECT_EQ(list[1].method, Method::im);
        EXPECT_EQ(list[1].results, a.results);
        EXPECT_EQ(list[1].note, a.note);
        EXPECT_EQ(list[1].next_step, a.next_step);
        EXPECT_EQ(list[1].satisfaction, 4);
        EXPECT_EQ(r.interactions_for_customer(customer, 1).size(), 1u);
    });
}

TEST_P(RoundTrip, TransfersComeBackOldestFirstWithPoolEndsAsNone) {
    Transfer in{{}, customer, std::nullopt, rep, manager, monday(), "分配 assigned from pool"};
    Transfer out{{}, customer, rep, std::nullopt, std::nullopt, monday() + 7 * kDay, "reclaimed: 7 days silent"};
    store->transact([&](Repo& r) {
        out.id = r.add_transfer(out);  // written first, happened later
        in.id = r.add_transfer(in);
        auto list = r.transfers_for_customer(customer);
        ASSERT_EQ(list.size(), 2u);
        EXPECT_EQ(list[0].id, in.id);
        EXPECT_FALSE(list[0].from);
        EXPECT_EQ(list[0].to, rep);
        EXPECT_EQ(list[0].by, manager);
        EXPECT_EQ(list[0].at, monday());
        EXPECT_EQ(list[0].reason, in.reason);
        EXPECT_EQ(list[1].id, out.id);
        EXPECT_EQ(list[1].from, rep);
        EXPECT_FALSE(list[1].to);
        EXPECT_FALSE(list[1].by);
        EXPECT_TRUE(r.transfers_for_customer(CustomerId{999}).empty());
    });
}

TEST_P(RoundTrip, AuditTailIsNewestFirst) {
    store->transact([&](Repo& r) {
        auto a = r.append_audit(AuditEntry{{}, monday(), rep, "task.done", "task:1", "完成"});
        auto b = r.append_audit(AuditEntry{{}, monday() + kHour, std::nullopt, "customer.reclaim", "customer:1", ""});
        auto tail = r.audit_tail(10);
        ASSERT_EQ(tail.size(), 2u);
        EXPECT_EQ(tail[0].id, b);
        EXPECT_FALSE(tail[0].actor);
        EXPECT_EQ(tail[0].action, "customer.reclaim");
        EXPECT_EQ(tail[1].id, a);
        EXPECT_EQ(tail[1].actor, rep);
        EXPECT_EQ(tail[1].at, monday());
        EXPECT_EQ(tail[1].subject, "task:1");
        EXPECT_EQ(tail[1].detail, "完成");
        EXPECT_EQ(r.audit_tail(1).size(), 1u);
    });
}

TEST_P(RoundTrip, AnOutboxMessageKeepsItsButtonsInOrderAndItsTasks) {
    OutboxMessage m;
    m.to = rep;
    m.created_at = monday() + 9 * kHour;
    m.kind = MessageKind::reminder;
    m.text = "提醒：给 Acme 打电话";
    m.buttons = {{"完成", "done 3"}, {"稍后", "snooze 3 1h"}, {"Log", "log 3"}};
    m.tasks = {TaskId{3}, TaskId{12}};
    OutboxMessage bare;
    bare.to = rep;
    bare.text = "hi";
    store->transact([&](Repo& r) {
        m.id = r.enqueue(m);
        bare.id = r.enqueue(bare);
        auto list = r.messages_after(rep, MessageId{}, 10);
        ASSERT_EQ(list.size(), 2u);
        const auto& back = list[0];
        EXPECT_EQ(back.id, m.id);
        EXPECT_EQ(back.to, rep);
        EXPECT_EQ(back.created_at, m.created_at);
        EXPECT_EQ(back.kind, MessageKind::reminder);
        EXPECT_EQ(back.text, m.text);
        ASSERT_EQ(back.buttons.size(), 3u);
        for (std::size_t i = 0; i < 3; ++i) {
            EXPECT_EQ(back.buttons[i].label, m.buttons[i].label);
            EXPECT_EQ(back.buttons[i].command, m.buttons[i].command);
        }
        EXPECT_EQ(back.tasks, m.tasks);
        EXPECT_TRUE(list[1].buttons.empty());
        EXPECT_TRUE(list[1].tasks.empty());
        EXPECT_EQ(list[1].kind, MessageKind::notice);
    });
}

TEST_P(RoundTrip, ExternalIdsAreUniqueAndFindTheirCustomer) {
    store->transact([&](Repo& r) {
        auto c = *r.customer(customer);
        EXPECT_EQ(c.external_id, "");
        EXPECT_FALSE(r.customer_by_external_id(""));
        c.external_id = "CRM-001";
        r.update_customer(c);
        EXPECT_EQ(r.customer_by_external_id("CRM-001")->id, customer);
        EXPECT_FALSE(r.customer_by_external_id("crm-001"));
        Customer other;
        other.name = "Beta";  // no external id: many customers may have none
        other.created_at = monday();
        r.add_customer(other);
        r.add_customer(other);
    });
    EXPECT_THROW(store->transact([&](Repo& r) {
        Customer dup;
        dup.name = "Dup";
        dup.external_id = "CRM-001";
        dup.created_at = monday();
        r.add_customer(dup);
    }),
                 std::exception);
    store->transact([&](Repo& r) { EXPECT_EQ(r.customer_count(), 3u); });
}

TEST_P(RoundTrip, AnInteractionRecordsTheCustomersStageUnlessGivenOne) {
    store->transact([&](Repo& r) {
        Interaction in;
        in.customer = customer;
        in.user = rep;
        in.at = monday();
        r.add_interaction(in);  // the customer is a tier C lead
        auto c = *r.customer(customer);
        c.stage = Stage::active;
        c.tier = Tier::a;
        r.update_customer(c);
        in.at = monday() + kHour;
        r.add_interaction(in);
        in.at = monday() + 2 * kHour;
        in.stage = Stage::churn_risk;
        in.tier = Tier::b;
        r.add_interaction(in);
        auto back = r.interactions_for_customer(customer, 10);  // newest first
        ASSERT_EQ(back.size(), 3u);
        EXPECT_EQ(back[0].stage, Stage::churn_risk);
        EXPECT_EQ(back[1].stage, Stage::active);
        EXPECT_EQ(back[2].stage, Stage::lead);
        EXPECT_EQ(back[0].tier, Tier::b);
        EXPECT_EQ(back[1].tier, Tier::a);
        EXPECT_EQ(back[2].tier, Tier::c);
        // Every read of interactions carries both.
        auto all = r.list_interactions(std::nullopt, std::nullopt, 10);  // id order
        ASSERT_EQ(all.size(), 3u);
        EXPECT_EQ(all[0].tier, Tier::c);
        EXPECT_EQ(all[2].tier, Tier::b);
        auto week = r.team_interactions_between(team, monday(), monday() + 3 * kHour);
        ASSERT_EQ(week.size(), 3u);
        EXPECT_EQ(week[1].tier, Tier::a);
        EXPECT_EQ(week[1].stage, Stage::active);
    });
}

TEST_P(RoundTrip, ApiTokensKeepEveryFieldAndAreFoundByHash) {
    store->transact([&](Repo& r) {
        ApiToken t;
        t.name = "crm";
        t.hash = std::string(64, 'a');
        t.team = team;
        t.created_by = manager;
        t.created_at = monday();
        const auto id = r.add_api_token(t);
        t.name = "all";
        t.hash = std::string(64, 'b');
        t.team.reset();
        const auto id2 = r.add_api_token(t);
        auto back = r.api_token_by_hash(std::string(64, 'a'));
        ASSERT_TRUE(back);
        EXPECT_EQ(back->id, id);
        EXPECT_EQ(back->team, team);
        EXPECT_EQ(back->created_by, manager);
        EXPECT_FALSE(back->revoked_at);
        back->revoked_at = monday() + kDay;
        back->last_used_at = monday() + kHour;
        r.update_api_token(*back);
        EXPECT_EQ(r.api_token(id)->revoked_at, monday() + kDay);
        EXPECT_EQ(r.api_token(id)->last_used_at, monday() + kHour);
        EXPECT_FALSE(r.api_token(id2)->team);
        EXPECT_EQ(r.api_tokens().size(), 2u);
        EXPECT_FALSE(r.api_token_by_hash("nope"));
    });
}

TEST_P(RoundTrip, TheAuditLogIsSearchedByActorSubjectActionAndPagedNewestFirst) {
    store->transact([&](Repo& r) {
        r.append_audit(AuditEntry{{}, monday(), rep, "customer.assign", "customer:1", ""});
        r.append_audit(AuditEntry{{}, monday(), manager, "customer.assign", "customer:2", ""});
        r.append_audit(AuditEntry{{}, monday(), rep, "task.done", "task:5", "reached"});
        r.append_audit(AuditEntry{{}, monday(), std::nullopt, "customer.release", "customer:1", ""});
        auto all = r.audit_search({});
        ASSERT_EQ(all.size(), 4u);
        EXPECT_EQ(all[0].action, "customer.release");
        Repo::AuditQuery q;
        q.actor = rep;
        auto by_rep = r.audit_search(q);
        ASSERT_EQ(by_rep.size(), 2u);
        EXPECT_EQ(by_rep[0].action, "task.done");
        q = {};
        q.action_prefix = "customer.";
        EXPECT_EQ(r.audit_search(q).size(), 3u);
        q.subject = "customer:1";
        EXPECT_EQ(r.audit_search(q).size(), 2u);
        q = {};
        q.before = all[1].id;
        q.limit = 1;
        auto page = r.audit_search(q);
        ASSERT_EQ(page.size(), 1u);
        EXPECT_EQ(page[0].id, all[2].id);
        q = {};
        q.action_prefix = "customer.%";  // no wildcards: matched literally
        EXPECT_TRUE(r.audit_search(q).empty());
    });
}

FU_CONTRACT_SUITE(RoundTrip);

}  // namespace
}  // namespace fu::contract
