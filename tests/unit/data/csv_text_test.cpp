// The pieces: decoding, cell values, date-time forms.
#include <gtest/gtest.h>

#include <date/tz.h>

#include "data/csv_columns.hpp"
#include "data/csv_text.hpp"
#include "data_fixture.hpp"

namespace fu::test {
namespace {

using namespace fu::data;

TEST(CsvText, DecodesUtf8BomAndGbk) {
    EXPECT_EQ(csv::decode("a,b").encoding, "utf-8");
    EXPECT_EQ(csv::decode("\xEF\xBB\xBF"
                          "a")
                  .text,
              "a");
    const auto gbk = csv::decode("\xC4\xE3\xBA\xC3");  // 你好 in GBK
    EXPECT_EQ(gbk.encoding, "gbk");
    EXPECT_EQ(gbk.text, "你好");
    EXPECT_FALSE(csv::valid_utf8("\xC0\xAF"));  // overlong
}

TEST(CsvText, CellValues) {
    EXPECT_EQ(columns::parse_tier("A类"), Tier::a);
    EXPECT_EQ(columns::parse_tier("vip"), Tier::a);
    EXPECT_EQ(columns::parse_tier("B级客户"), Tier::b);
    EXPECT_FALSE(columns::parse_tier("D"));
    EXPECT_EQ(columns::parse_stage("丢单"), Stage::lost);
    EXPECT_EQ(columns::parse_stage("Churn Risk"), Stage::churn_risk);
    EXPECT_EQ(columns::parse_stage("已成交"), Stage::won);
    EXPECT_EQ(columns::parse_value("¥1,000"), 1000);
    EXPECT_EQ(columns::parse_value("12,345.50"), 12346);
    EXPECT_EQ(columns::parse_value("1.5万"), 15000);
    EXPECT_FALSE(columns::parse_value("-5"));
    EXPECT_FALSE(columns::parse_value("ten"));
    EXPECT_EQ(columns::split_tags("a，b;c、 d ,,"), (std::vector<std::string>{"a", "b", "c", "d"}));
    EXPECT_EQ(columns::find(" Next Follow-up "), columns::Col::next_followup);
    EXPECT_EQ(columns::find("金额（元）"), columns::Col::value);
    EXPECT_EQ(columns::find("ID"), columns::Col::external_id);
    EXPECT_FALSE(columns::find("nmae"));
}

TEST(CsvText, DateTimeForms) {
    const auto* sh = date::locate_zone("Asia/Shanghai");
    const auto at = utc(2026, 11, 25, 7, 0);
    EXPECT_EQ(csv::parse_time("2026-11-25 15:00", sh, 0), at);
    EXPECT_EQ(csv::parse_time("2026/11/25 15:00:00", sh, 0), at);
    EXPECT_EQ(csv::parse_time("2026-11-25T15:00", sh, 0), at);
    EXPECT_EQ(csv::parse_time("2026年11月25日 15:00", sh, 0), at);
    EXPECT_EQ(csv::parse_time("2026-11-25T07:00:00Z", sh, 0), at);
    EXPECT_EQ(csv::parse_time("2026-11-25T15:00:00+08:00", nullptr, 0), at);
    EXPECT_EQ(csv::parse_time("2026.11.25", sh, 15 * 60), at);
    EXPECT_FALSE(csv::parse_time("2026-02-30", sh, 0));
    EXPECT_FALSE(csv::parse_time("25/11/2026", sh, 0));
    EXPECT_FALSE(csv::parse_time("2026-11-25 25:00", sh, 0));
    EXPECT_EQ(csv::iso_time(at, sh), "2026-11-25T15:00:00+08:00");
    EXPECT_EQ(csv::iso_time(at, date::locate_zone("UTC")), "2026-11-25T07:00:00Z");
}

}  // namespace
}  // namespace fu::test
