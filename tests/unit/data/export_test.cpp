// CSV export: scoping by role, the audit entry, RFC 4180 quoting, and the
// round trip back through the importer.
#include <gmock/gmock.h>

#include <algorithm>

#include "data/csv_columns.hpp"
#include "data/csv_text.hpp"
#include "data_fixture.hpp"

namespace fu::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::vector<data::csv::Record> records(const std::string& text) {
    EXPECT_TRUE(text.starts_with("\xEF\xBB\xBF"));
    auto parsed = data::csv::parse(text.substr(3));
    EXPECT_FALSE(parsed.error_row);
    return parsed.records;
}

// Both teams with a customer each, a task done with an interaction.
void seed(DataWorld& w) {
    const auto r = w.import(
        "external_id,name,company,owner,tier,stage,value,tags,next_followup,topic\n"
        "E-1,\"Acme, \"\"East\"\"\",Acme,wang,A,active,1000,\"a,b\",2026-11-25 15:00,quote\n"
        "E-2,华为,华为,maria,B,潜在,0,,,\n"
        "E-3,Pool Co,,,C,lead,,,,\n",
        w.li);  // the pool customer goes to the importer's team
    ASSERT_TRUE(r.problems.empty()) << r.problems.front().message_en;
    const auto n = w.import(
        "external_id,name,company,owner,tier,stage,value,next_followup\n"
        "N-1,Nordic,Nordic AB,olaf,C,silent,5,2026-11-26 09:00\n",
        w.boss);
    ASSERT_TRUE(n.problems.empty()) << n.problems.front().message_en;
    w.store->transact([&](Repo& repo) {
        const auto c = repo.customer_by_external_id("E-1");
        Interaction in;
        in.customer = c->id;
        in.user = w.wang;
        in.at = w.now;
        in.method = Method::call;
        in.results = {"reached", "interested"};
        in.note = "asked for a quote, \"soon\"";
        in.satisfaction = 4;
        repo.add_interaction(in);
        const auto n = repo.customer_by_external_id("N-1");
        in.customer = n->id;
        in.user = w.olaf;
        repo.add_interaction(in);
    });
}

TEST(CsvExport, ManagerExportsOwnTeamOnlyAndIsAudited) {
    DataWorld w;
    seed(w);
    const auto text = data::export_csv(*w.store, data::ExportKind::customers, w.team, w.li, w.now);
    const auto rows = records(text);
    ASSERT_EQ(rows.size(), 4u);  // header + E-1, E-2, E-3 (the team's pool)
    EXPECT_EQ(rows[0].cells.at(0), "customer_id");
    EXPECT_EQ(rows[0].cells.at(1), "external_id");
    EXPECT_EQ(rows[1].cells.at(1), "E-1");
    EXPECT_EQ(rows[1].cells.at(2), "Acme, \"East\"");  // quoted and read back
    EXPECT_THAT(text, HasSubstr("\"Acme, \"\"East\"\"\""));
    EXPECT_THAT(text, HasSubstr("2026-11-25T15:00:00+08:00"));  // the exporter's zone, with its offset
    EXPECT_THAT(text, Not(HasSubstr("Nordic")));

    const auto audit = w.audit("data.export");
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].actor, w.li);
    EXPECT_EQ(audit[0].subject, "export:customers");
    EXPECT_THAT(audit[0].detail, HasSubstr("team:" + std::to_string(w.team.value)));
    EXPECT_THAT(audit[0].detail, HasSubstr("rows 3"));
}

TEST(CsvExport, RepIsRefusedAndManagerCannotExportEverything) {
    DataWorld w;
    seed(w);
    EXPECT_THROW(data::export_csv(*w.store, data::ExportKind::customers, w.team, w.wang, w.now), data::ExportRefused);
    EXPECT_THROW(data::export_csv(*w.store, data::ExportKind::tasks, std::nullopt, w.li, w.now), data::ExportRefused);
    EXPECT_THROW(data::export_csv(*w.store, data::ExportKind::tasks, w.other_team, w.li, w.now), data::ExportRefused);
    EXPECT_TRUE(w.audit("data.export").empty());
}

TEST(CsvExport, AdminExportsEverything) {
    DataWorld w;
    seed(w);
    const auto rows = records(data::export_csv(*w.store, data::ExportKind::customers, std::nullopt, w.boss, w.now));
    EXPECT_EQ(rows.size(), 5u);
    EXPECT_THAT(w.audit("data.export").at(0).detail, HasSubstr("everything"));
}

TEST(CsvExport, TasksAndInteractions) {
    DataWorld w;
    seed(w);
    const auto tasks = records(data::export_csv(*w.store, data::ExportKind::tasks, w.team, w.li, w.now));
    ASSERT_GE(tasks.size(), 3u);  // E-1 from the file, E-2 from the cadence
    EXPECT_THAT(tasks[0].cells,
                ::testing::ElementsAre("id", "customer_id", "customer", "external_id", "assignee", "due", "status",
                                       "method", "topic", "priority", "origin", "snoozes", "done_at"));
    EXPECT_EQ(tasks[1].cells.at(3), "E-1");
    EXPECT_EQ(tasks[1].cells.at(4), "wang");
    EXPECT_EQ(tasks[1].cells.at(5), "2026-11-25T15:00:00+08:00");
    EXPECT_EQ(tasks[1].cells.at(6), "open");
    EXPECT_EQ(tasks[1].cells.at(8), "quote");
    EXPECT_EQ(tasks[1].cells.at(10), "import");
    for (const auto& t : tasks) EXPECT_NE(t.cells.at(4), "olaf");

    const auto log = records(data::export_csv(*w.store, data::ExportKind::interactions, w.team, w.li, w.now));
    ASSERT_EQ(log.size(), 2u);  // only East's interaction
    EXPECT_EQ(log[1].cells.at(4), "wang");
    EXPECT_EQ(log[1].cells.at(7), "reached,interested");
    EXPECT_EQ(log[1].cells.at(8), "asked for a quote, \"soon\"");
    EXPECT_EQ(log[1].cells.at(10), "4");
    EXPECT_EQ(records(data::export_csv(*w.store, data::ExportKind::interactions, std::nullopt, w.boss, w.now)).size(),
              3u);
}

// An automatic follow-up's topic is worded in the export's language, whoever's
// action made it: no English in a Chinese export, no Chinese in an English one.
TEST(CsvExport, AutomaticTopicsInTheExportsLanguage) {
    DataWorld w;
    seed(w);  // E-2 has no follow-up in the file: the cadence makes one
    auto topic_of_e2 = [&](Lang lang) {
        const auto rows = records(
            data::export_csv(*w.store, data::ExportKind::tasks, w.team, w.li, w.now, data::ExportOptions{lang}));
        for (const auto& r : rows)
            if (r.cells.at(3) == "E-2") return r.cells.at(8);
        ADD_FAILURE() << "no follow-up of E-2";
        return std::string();
    };
    const auto en = topic_of_e2(Lang::en);
    const auto zh = topic_of_e2(Lang::zh);
    EXPECT_THAT(en, HasSubstr("lead"));
    EXPECT_TRUE(std::none_of(en.begin(), en.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xE3; })) << en;
    EXPECT_TRUE(std::any_of(zh.begin(), zh.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xE3; })) << zh;
    EXPECT_TRUE(std::none_of(zh.begin(), zh.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
        << zh;
}

TEST(CsvExport, ExportImportRoundTripChangesNothing) {
    DataWorld w;
    seed(w);
    for (const auto lang : {Lang::en, Lang::zh}) {
        const auto text =
            data::export_csv(*w.store, data::ExportKind::customers, w.team, w.li, w.now, data::ExportOptions{lang});
        const auto r = w.import(text, w.li);
        ASSERT_TRUE(r.problems.empty()) << r.problems.front().column << ": " << r.problems.front().message_en;
        EXPECT_EQ(r.encoding, "utf-8-bom");
        EXPECT_EQ(r.rows, 3u);
        EXPECT_EQ(r.created, 0u);
        EXPECT_EQ(r.unchanged, 3u);
    }
    EXPECT_EQ(w.customer_count(), 4u);
}

// OWASP "CSV injection": a cell a spreadsheet would run as a formula is
// exported with a ' before it (shown as text), and imported back without it.
TEST(CsvExport, FormulasAreExportedAsTextAndReadBackAsTheyWere) {
    DataWorld from;
    const auto r = from.import(
        "external_id,name,company,phone,owner,tier,stage\n"
        "F-1,\"=HYPERLINK(\"\"http://x.example\"\",\"\"open\"\")\",@SUM(1+1),+8613800000000,wang,A,active\n"
        "F-2,-2+3,Plain Co,,wang,B,lead\n",
        from.boss);
    ASSERT_TRUE(r.problems.empty()) << r.problems.front().message_en;
    const auto text = data::export_csv(*from.store, data::ExportKind::customers, std::nullopt, from.boss, from.now,
                                       data::ExportOptions{Lang::en});
    const auto rows = records(text);
    const auto col = [&](std::string_view name) {
        const auto& h = rows.at(0).cells;
        return static_cast<std::size_t>(std::find(h.begin(), h.end(), name) - h.begin());
    };
    bool f1 = false, f2 = false;
    for (const auto& row : rows) {
        if (row.cells.at(col("external_id")) == "F-1") {
            f1 = true;
            EXPECT_EQ(row.cells.at(col("name")), "'=HYPERLINK(\"http://x.example\",\"open\")");
            EXPECT_EQ(row.cells.at(col("company")), "'@SUM(1+1)");
            EXPECT_EQ(row.cells.at(col("phone")), "'+8613800000000");
        }
        if (row.cells.at(col("external_id")) == "F-2") {
            f2 = true;
            EXPECT_EQ(row.cells.at(col("name")), "'-2+3");
            EXPECT_EQ(row.cells.at(col("company")), "Plain Co");
        }
    }
    EXPECT_TRUE(f1 && f2);
    EXPECT_THAT(text, Not(HasSubstr(",=HYPERLINK")));
    DataWorld to("-copy");
    const auto back = to.import(text, to.boss);
    ASSERT_TRUE(back.problems.empty()) << back.problems.front().column << ": " << back.problems.front().message_en;
    EXPECT_EQ(to.by_external_id("F-1").name, "=HYPERLINK(\"http://x.example\",\"open\")");
    EXPECT_EQ(to.by_external_id("F-1").company, "@SUM(1+1)");
    EXPECT_EQ(to.by_external_id("F-1").phone, "+8613800000000");
    EXPECT_EQ(to.by_external_id("F-2").name, "-2+3");
}

TEST(CsvExport, RoundTripIntoAnotherDatabase) {
    DataWorld from;
    seed(from);
    const auto text = data::export_csv(*from.store, data::ExportKind::customers, std::nullopt, from.boss, from.now,
                                       data::ExportOptions{Lang::zh});
    DataWorld to("-copy");
    const auto r = to.import(text, to.boss);
    ASSERT_TRUE(r.problems.empty()) << r.problems.front().column << ": " << r.problems.front().message_en;
    EXPECT_EQ(r.created, 4u);
    for (const char* ext : {"E-1", "E-2", "E-3", "N-1"}) {
        const auto a = from.by_external_id(ext);
        const auto b = to.by_external_id(ext);
        EXPECT_EQ(a.name, b.name) << ext;
        EXPECT_EQ(a.company, b.company) << ext;
        EXPECT_EQ(a.tier, b.tier) << ext;
        EXPECT_EQ(a.stage, b.stage) << ext;
        EXPECT_EQ(a.value, b.value) << ext;
        EXPECT_EQ(a.tags, b.tags) << ext;
        EXPECT_EQ(a.owner.has_value(), b.owner.has_value()) << ext;
        EXPECT_EQ(a.next_followup, b.next_followup) << ext;
    }
    // Exported again, the data columns are the same.
    const auto again = data::export_csv(*to.store, data::ExportKind::customers, std::nullopt, to.boss, to.now,
                                        data::ExportOptions{Lang::zh});
    const auto x = records(text), y = records(again);
    ASSERT_EQ(x.size(), y.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        for (std::size_t k = 1; k < x[i].cells.size(); ++k)  // the importable columns (not ids, team, times)
            if (data::columns::find(x[0].cells[k]) != data::columns::Col::read_only)
                EXPECT_EQ(x[i].cells[k], y[i].cells[k]) << "row " << i << " column " << x[0].cells[k];
}

}  // namespace
}  // namespace fu::test
