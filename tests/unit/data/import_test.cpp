// CSV import: encodings, validation with row numbers, nothing half-imported,
// dry run, idempotency, team rules, next follow-ups in the owner's zone.
#include <gmock/gmock.h>

#include "data/csv_text.hpp"
#include "data_fixture.hpp"

namespace fu::test {
namespace {

using ::testing::ElementsAre;

std::string problems_text(const data::ImportResult& r) {
    std::string s;
    for (const auto& p : r.problems) s += "row " + std::to_string(p.row) + " [" + p.column + "] " + p.message_en + "\n";
    return s;
}

TEST(CsvImport, Utf8FileCreatesCustomersWithTheirNextFollowups) {
    DataWorld w;
    const auto r = w.import(fixture("customers_utf8.csv"), w.li);
    ASSERT_TRUE(r.problems.empty()) << problems_text(r);
    EXPECT_TRUE(r.applied);
    EXPECT_EQ(r.encoding, "utf-8");
    EXPECT_EQ(r.rows, 4u);
    EXPECT_EQ(r.created, 4u);
    EXPECT_EQ(r.followups, 3u);  // CRM-001 and -002 from the file, -003 from the cadence; -004 has no owner
    EXPECT_EQ(w.customer_count(), 4u);

    const auto hw = w.by_external_id("CRM-001");
    EXPECT_EQ(hw.name, "华为采购部");
    EXPECT_EQ(hw.company, "华为");
    EXPECT_EQ(hw.phone, "13800000001");
    EXPECT_EQ(hw.owner, w.wang);
    EXPECT_EQ(hw.team, w.team);
    EXPECT_EQ(hw.tier, Tier::a);
    EXPECT_EQ(hw.stage, Stage::active);
    EXPECT_EQ(hw.value, 1000);
    EXPECT_THAT(hw.tags, ElementsAre("重点", "华南"));
    const auto tasks = w.open_tasks(hw.id);
    ASSERT_EQ(tasks.size(), 1u);
    EXPECT_EQ(tasks[0].origin, Origin::import);
    EXPECT_EQ(tasks[0].topic, "报价跟进");
    EXPECT_EQ(tasks[0].due, utc(2026, 11, 25, 7, 0));  // 15:00 in Shanghai
    EXPECT_EQ(tasks[0].assignee, w.wang);
    EXPECT_TRUE(tasks[0].remind_at);
    EXPECT_EQ(w.by_external_id("CRM-001").next_followup, tasks[0].due);

    const auto acme = w.by_external_id("CRM-002");
    EXPECT_EQ(acme.name, "Acme, Inc.");
    EXPECT_EQ(acme.tier, Tier::a);  // VIP
    EXPECT_EQ(acme.stage, Stage::lead);
    EXPECT_THAT(acme.tags, ElementsAre("big", "us"));
    const auto acme_tasks = w.open_tasks(acme.id);
    ASSERT_EQ(acme_tasks.size(), 1u);
    EXPECT_EQ(acme_tasks[0].due, utc(2026, 11, 26, 1, 0));  // a date alone: 09:00, the owner's working day start

    const auto xiaomi = w.by_external_id("CRM-003");
    EXPECT_EQ(xiaomi.company, "小米\n（北京）");  // the line break inside quotes is kept
    EXPECT_EQ(xiaomi.owner, w.wang);              // by display name "Wang Wei"
    EXPECT_EQ(xiaomi.value, 50000);               // 5万
    EXPECT_EQ(xiaomi.stage, Stage::silent);
    const auto cadence = w.open_tasks(xiaomi.id);
    ASSERT_EQ(cadence.size(), 1u);
    EXPECT_EQ(cadence[0].origin, Origin::cadence);

    const auto pool = w.by_external_id("CRM-004");
    EXPECT_FALSE(pool.owner);
    EXPECT_EQ(pool.team, w.team);  // the importer's team pool
    EXPECT_TRUE(w.open_tasks(pool.id).empty());

    const auto audit = w.audit("data.import");
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].actor, w.li);
    EXPECT_NE(audit[0].detail.find("created 4"), std::string::npos) << audit[0].detail;
}

TEST(CsvImport, Utf8WithBomAndEnglishHeaders) {
    DataWorld w;
    const auto r = w.import(fixture("customers_bom.csv"), w.li);
    ASSERT_TRUE(r.problems.empty()) << problems_text(r);
    EXPECT_EQ(r.encoding, "utf-8-bom");
    EXPECT_EQ(r.created, 2u);
    const auto globex = w.by_external_id("B-1");  // the BOM is not part of the first header
    EXPECT_EQ(globex.value, 1200);
    EXPECT_EQ(globex.stage, Stage::active);
    EXPECT_THAT(globex.tags, ElementsAre("x", "y"));
    const auto t = w.open_tasks(globex.id);
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0].due, utc(2026, 11, 25, 7, 0));
    EXPECT_EQ(w.by_external_id("B-2").name, "Initech \"Labs\"");
    EXPECT_EQ(w.by_external_id("B-2").stage, Stage::churn_risk);
}

TEST(CsvImport, GbkFileIsDecoded) {
    DataWorld w;
    const auto bytes = fixture("customers_gbk.csv");
    const auto r = w.import(bytes, w.li);
    ASSERT_TRUE(r.problems.empty()) << problems_text(r);
    EXPECT_EQ(r.encoding, "gbk");
    EXPECT_EQ(r.created, 2u);
    const auto bj = w.by_external_id("G-1");
    EXPECT_EQ(bj.name, "北京科技有限公司");
    EXPECT_EQ(bj.source, "展会");
    EXPECT_EQ(bj.stage, Stage::new_customer);
    const auto t = w.open_tasks(bj.id);
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0].due, utc(2026, 11, 27, 2, 30));
    EXPECT_EQ(w.by_external_id("G-2").name, "上海贸易");
}

TEST(CsvImport, BrokenRowsAreAllReportedAndNothingIsWritten) {
    DataWorld w;
    const auto r = w.import(fixture("broken_rows.csv"), w.li);
    EXPECT_FALSE(r.applied);
    EXPECT_EQ(w.customer_count(), 0u);  // not even the good first row
    EXPECT_TRUE(w.audit("data.import").empty());
    std::vector<std::pair<std::size_t, std::string>> where;
    for (const auto& p : r.problems) {
        where.emplace_back(p.row, p.column);
        EXPECT_FALSE(p.message_en.empty());
        EXPECT_FALSE(p.message_zh.empty());
    }
    EXPECT_THAT(
        where,
        ElementsAre(
            std::pair<std::size_t, std::string>{3, "客户名称"}, std::pair<std::size_t, std::string>{4, "负责人"},
            std::pair<std::size_t, std::string>{5, "客户分级"}, std::pair<std::size_t, std::string>{6, "客户类型"},
            std::pair<std::size_t, std::string>{7, "金额"}, std::pair<std::size_t, std::string>{8, "下次跟进"},
            std::pair<std::size_t, std::string>{9, "外部编号"}, std::pair<std::size_t, std::string>{10, "负责人"}))
        << problems_text(r);
    EXPECT_NE(r.problems[1].message_en.find("nobody"), std::string::npos);
    EXPECT_NE(r.problems[2].message_en.find("A, B, C"), std::string::npos);  // the accepted forms
    EXPECT_NE(r.problems[6].message_en.find("row 2"), std::string::npos);    // the first X-1
    EXPECT_NE(r.problems[7].message_zh.find("不在你的团队"), std::string::npos);
}

TEST(CsvImport, UnterminatedQuoteIsReportedWithItsRow) {
    DataWorld w;
    const auto r = w.import(fixture("unterminated.csv"), w.li);
    ASSERT_EQ(r.problems.size(), 1u) << problems_text(r);
    EXPECT_EQ(r.problems[0].row, 3u);
    EXPECT_NE(r.problems[0].message_en.find("never closed"), std::string::npos);
    EXPECT_EQ(w.customer_count(), 0u);
}

TEST(CsvImport, StrayQuoteIsBrokenCsv) {
    DataWorld w;
    const auto r = w.import("name,owner\nFine,wang\nBad\"Quote,wang\n", w.li);
    ASSERT_EQ(r.problems.size(), 1u) << problems_text(r);
    EXPECT_EQ(r.problems[0].row, 3u);
    EXPECT_EQ(w.customer_count(), 0u);
}

TEST(CsvImport, LineBreaksInsideQuotesKeepRowNumbers) {
    DataWorld w;
    const std::string csv =
        "external_id,name,company,tier\r\n"
        "M-1,\"Two\r\nLines\",\"three\nline\ncell\",A\r\n"
        "M-2,Fine,,B\r\n"
        "M-3,Wrong,,Q\r\n";
    const auto r = w.import(csv, w.li);
    ASSERT_EQ(r.problems.size(), 1u) << problems_text(r);
    EXPECT_EQ(r.problems[0].row, 4u);  // the spreadsheet's row, not the file's line (7)
    EXPECT_EQ(r.problems[0].column, "tier");
}

TEST(CsvImport, MissingNameColumnAndUnknownColumns) {
    DataWorld w;
    const auto r = w.import("公司,电话,Ownr\nAcme,1,wang\n", w.li);
    ASSERT_EQ(r.problems.size(), 2u) << problems_text(r);
    EXPECT_EQ(r.problems[0].row, 1u);
    EXPECT_EQ(r.problems[0].column, "Ownr");  // a typo is noticed
    EXPECT_EQ(r.problems[1].row, 1u);
    EXPECT_NE(r.problems[1].message_en.find("客户名称/name"), std::string::npos);
}

TEST(CsvImport, DryRunCountsAndWritesNothing) {
    DataWorld w;
    const auto r = w.import(fixture("customers_utf8.csv"), w.li, /*dry_run=*/true);
    ASSERT_TRUE(r.problems.empty()) << problems_text(r);
    EXPECT_FALSE(r.applied);
    EXPECT_EQ(r.created, 4u);
    EXPECT_EQ(r.followups, 3u);
    EXPECT_EQ(w.customer_count(), 0u);
    EXPECT_TRUE(w.audit("").empty());  // not even the audit log
}

TEST(CsvImport, ReimportIsIdempotentAndCountsUpdates) {
    DataWorld w;
    const auto bytes = fixture("customers_utf8.csv");
    ASSERT_EQ(w.import(bytes, w.li).created, 4u);
    const auto again = w.import(bytes, w.li);
    ASSERT_TRUE(again.problems.empty()) << problems_text(again);
    EXPECT_EQ(again.created, 0u);
    EXPECT_EQ(again.updated, 0u);
    EXPECT_EQ(again.unchanged, 4u);
    EXPECT_EQ(again.followups, 0u);
    EXPECT_EQ(w.customer_count(), 4u);
    EXPECT_EQ(w.open_tasks(w.by_external_id("CRM-001").id).size(), 1u);

    // One changed cell: one update, only that field.
    std::string changed = bytes;
    changed.replace(changed.find("13800000001"), 11, "13900000009");
    const auto third = w.import(changed, w.li);
    EXPECT_EQ(third.updated, 1u);
    EXPECT_EQ(third.unchanged, 3u);
    EXPECT_EQ(w.by_external_id("CRM-001").phone, "13900000009");
    EXPECT_EQ(w.by_external_id("CRM-001").tier, Tier::a);
}

TEST(CsvImport, WithoutExternalIdsADerivedKeyKeepsReimportsIdempotent) {
    DataWorld w;
    const std::string csv = "客户名称,公司,电话,负责人\n甲公司,甲,138-0000-0001,wang\n乙公司,乙,,maria\n";
    const auto first = w.import(csv, w.li);
    ASSERT_TRUE(first.problems.empty()) << problems_text(first);
    EXPECT_EQ(first.created, 2u);
    const auto second = w.import(csv, w.li);
    EXPECT_EQ(second.created, 0u);
    EXPECT_EQ(second.unchanged, 2u);
    EXPECT_EQ(w.customer_count(), 2u);

    // The same customer twice in one file is a problem, not two customers.
    const auto dup = w.import("name,phone\nSame,1\nSame,1\n", w.li);
    ASSERT_EQ(dup.problems.size(), 1u);
    EXPECT_EQ(dup.problems[0].row, 3u);
}

// With contacts encrypted, the id derived from name, phone and company is
// keyed: an unkeyed hash of a phone number would give the number away to
// anyone trying every number. Customers imported before the key keep matching
// and take the keyed id.
TEST(CsvImport, WithAContactsKeyTheDerivedKeyIsKeyedAndEarlierImportsStillMatch) {
    DataWorld w;
    const std::string csv = "客户名称,公司,电话,负责人\n甲公司,甲,138-0000-0001,wang\n乙公司,乙,,maria\n";
    ASSERT_EQ(w.import(csv, w.li).created, 2u);
    const std::string unkeyed =
        w.by_external_id("csv:" + data::csv::fnv1a_hex(std::string("甲公司\x1f") + "13800000001" + "\x1f甲"))
            .external_id;

    w.store.reset();
    w.store = storage::SqliteStore::open(w.db.path, std::string(32, '\x42'));
    const auto again = w.import(csv, w.li);
    ASSERT_TRUE(again.problems.empty()) << problems_text(again);
    EXPECT_EQ(again.created, 0u);
    EXPECT_EQ(again.updated, 2u);  // the external ids changed, nothing else
    EXPECT_EQ(w.customer_count(), 2u);
    std::vector<std::string> ids;
    w.store->transact([&](Repo& r) {
        for (const auto& c : r.customers_owned_by(w.wang)) ids.push_back(c.external_id);
    });
    ASSERT_EQ(ids.size(), 1u);
    EXPECT_TRUE(ids[0].starts_with("csv:k")) << ids[0];
    EXPECT_NE(ids[0], unkeyed);
    const auto third = w.import(csv, w.li);
    EXPECT_EQ(third.unchanged, 2u);
    EXPECT_EQ(third.created, 0u);
}

TEST(CsvImport, ManagerCannotImportOwnersOfAnotherTeamButAnAdminCan) {
    DataWorld w;
    const std::string csv = "external_id,name,owner\nT-1,Nordic,olaf\n";
    const auto refused = w.import(csv, w.li);
    ASSERT_EQ(refused.problems.size(), 1u);
    EXPECT_EQ(refused.problems[0].column, "owner");
    EXPECT_EQ(w.customer_count(), 0u);

    const auto admin = w.import(csv, w.boss);
    ASSERT_TRUE(admin.problems.empty()) << problems_text(admin);
    EXPECT_EQ(w.by_external_id("T-1").team, w.other_team);

    // …nor update that customer from another team.
    const auto update = w.import("external_id,name,tier\nT-1,Nordic,A\n", w.li);
    ASSERT_EQ(update.problems.size(), 1u) << problems_text(update);
    EXPECT_EQ(w.by_external_id("T-1").tier, Tier::c);
}

TEST(CsvImport, RepsCannotImport) {
    DataWorld w;
    const auto r = w.import("name\nA\n", w.wang);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].row, 0u);
    EXPECT_EQ(w.customer_count(), 0u);
}

TEST(CsvImport, NextFollowupIsInTheOwnersTimeZone) {
    DataWorld w;
    w.store->transact([&](Repo& r) {
        auto u = *r.user(w.maria);
        u.time_zone = "America/New_York";
        r.update_user(u);
    });
    const auto r = w.import(
        "external_id,name,owner,next_followup\n"
        "Z-1,New York Co,maria,2026-11-25 15:00\n"
        "Z-2,Shanghai Co,wang,2026-11-25 15:00\n"
        "Z-3,Offset Co,maria,2026-11-25T15:00+08:00\n",
        w.li);
    ASSERT_TRUE(r.problems.empty()) << problems_text(r);
    EXPECT_EQ(w.open_tasks(w.by_external_id("Z-1").id).at(0).due, utc(2026, 11, 25, 20, 0));  // EST = UTC-5
    EXPECT_EQ(w.open_tasks(w.by_external_id("Z-2").id).at(0).due, utc(2026, 11, 25, 7, 0));
    EXPECT_EQ(w.open_tasks(w.by_external_id("Z-3").id).at(0).due, utc(2026, 11, 25, 7, 0));
}

TEST(CsvImport, ADateAloneIsNineOClockForAnOwnerWhoWorksRoundTheClock) {
    DataWorld w;
    w.store->transact([&](Repo& r) {
        auto u = *r.user(w.maria);
        u.work_start_minute = 0;
        u.work_end_minute = 24 * 60;
        r.update_user(u);
    });
    const auto r = w.import(
        "external_id,name,owner,next_followup\n"
        "R-1,Night Co,maria,2026-11-26\n"
        "R-2,Day Co,wang,2026-11-26\n",
        w.li);
    ASSERT_TRUE(r.problems.empty()) << problems_text(r);
    // 09:00 in Shanghai for both, as `followup … 2026-11-26` says in chat; not midnight.
    EXPECT_EQ(w.open_tasks(w.by_external_id("R-1").id).at(0).due, utc(2026, 11, 26, 1, 0));
    EXPECT_EQ(w.open_tasks(w.by_external_id("R-2").id).at(0).due, utc(2026, 11, 26, 1, 0));
}

TEST(CsvImport, PastNextFollowupIsAProblem) {
    DataWorld w;
    const auto r = w.import("name,owner,下次跟进\nOld,wang,2026-01-05\n", w.li);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].column, "下次跟进");
    EXPECT_NE(r.problems[0].message_en.find("past"), std::string::npos);
}

TEST(CsvImport, OwnerChangeIsATransferWithItsFollowups) {
    DataWorld w;
    ASSERT_TRUE(
        w.import("external_id,name,owner,next_followup\nO-1,Moving,wang,2026-11-25 15:00\n", w.li).problems.empty());
    const auto r = w.import("external_id,name,owner\nO-1,Moving,maria\n", w.li);
    ASSERT_TRUE(r.problems.empty()) << problems_text(r);
    EXPECT_EQ(r.updated, 1u);
    const auto c = w.by_external_id("O-1");
    EXPECT_EQ(c.owner, w.maria);
    const auto tasks = w.open_tasks(c.id);
    ASSERT_EQ(tasks.size(), 1u);
    EXPECT_EQ(tasks[0].assignee, w.maria);  // the follow-up moved with the customer
    std::vector<Transfer> moves;
    w.store->transact([&](Repo& repo) { moves = repo.transfers_for_customer(c.id); });
    ASSERT_EQ(moves.size(), 2u);
    EXPECT_EQ(moves[1].from, w.wang);
    EXPECT_EQ(moves[1].to, w.maria);
    const auto assign = w.audit("customer.assign");
    ASSERT_EQ(assign.size(), 1u);
    EXPECT_EQ(assign[0].actor, w.li);
    EXPECT_EQ(assign[0].subject, "customer:" + std::to_string(c.id.value));
}

TEST(CsvImport, AnOwnerMovedOrReleasedByImportIsToldNothing) {
    DataWorld w;
    ASSERT_TRUE(w.import("external_id,name,owner\nQ-1,Quiet,wang\nQ-2,Pooled,wang\n", w.li).problems.empty());
    const auto r = w.import("external_id,name,owner\nQ-1,Quiet,maria\nQ-2,Pooled,公海\n", w.li);
    ASSERT_TRUE(r.problems.empty()) << problems_text(r);
    EXPECT_EQ(r.updated, 2u);
    const auto pooled = w.by_external_id("Q-2");
    EXPECT_FALSE(pooled.owner);
    EXPECT_TRUE(w.open_tasks(pooled.id).empty());  // its follow-up cancelled, as a release cancels it
    const auto release = w.audit("customer.release");
    ASSERT_EQ(release.size(), 1u);
    EXPECT_EQ(release[0].detail, std::to_string(w.wang.value) + "->pool · import");
    // The summary is the message: nobody's outbox has anything.
    w.store->transact([&](Repo& repo) {
        for (const auto u : {w.wang, w.maria, w.li}) EXPECT_TRUE(repo.messages_after(u, MessageId{0}, 10).empty());
    });
}

TEST(CsvImport, BatchesAreTransactionsWithOneAuditEntryEach) {
    DataWorld w;
    std::vector<std::pair<std::size_t, std::size_t>> progress;
    data::ImportOptions o;
    o.actor = w.li;
    o.batch = 3;
    o.progress = [&](std::size_t done, std::size_t total) { progress.emplace_back(done, total); };
    std::string csv = "external_id,name,owner\n";
    for (int i = 1; i <= 7; ++i) csv += "K-" + std::to_string(i) + ",Customer " + std::to_string(i) + ",wang\n";
    const auto r = data::import_customers(*w.store, w.options, w.now, csv, o);
    ASSERT_TRUE(r.problems.empty()) << problems_text(r);
    EXPECT_EQ(r.created, 7u);
    EXPECT_EQ(w.audit("data.import").size(), 3u);
    using P = std::pair<std::size_t, std::size_t>;
    EXPECT_THAT(progress, ElementsAre(P{3, 7}, P{6, 7}, P{7, 7}));
}

TEST(CsvImport, UndecodableBytesAreAFileProblem) {
    DataWorld w;
    const auto r = w.import(std::string("name\n\xff\xff\xff\n", 9), w.li);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].row, 0u);
}

}  // namespace
}  // namespace fu::test
