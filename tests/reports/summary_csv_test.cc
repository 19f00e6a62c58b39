#include "callshare/reports/summary_csv.h"

#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "callshare/reports/summary_json.h"
#include "test_results.h"

namespace callshare {
namespace {

using testing::FreshFolder;
using testing::MakeSummary;

std::vector<std::string> Lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(SummaryCsvTest, WritesEveryTableWithHeader) {
  const auto folder = FreshFolder("csv_tables");
  Diagnostics errors;
  ASSERT_TRUE(WriteSummaryFiles(MakeSummary(3, 11), folder, &errors));
  const auto outcomes = Lines(folder / "outcomes.csv");
  ASSERT_EQ(outcomes.size(), 1 + kOutcomeCount);
  EXPECT_EQ(outcomes[0], "outcome,count,share_mean,ci_low,ci_high");
  EXPECT_EQ(outcomes[5].rfind("voicemail,", 0), 0u);
  EXPECT_EQ(Lines(folder / "notifications.csv")[1].rfind("ring,300,2,", 0), 0u);
  const auto timeline = Lines(folder / "timeline.csv");
  ASSERT_EQ(timeline.size(), 5u);
  EXPECT_EQ(timeline[3], "1800,0,15,0,0,0,0,0,0,9,0");
  EXPECT_EQ(Lines(folder / "admin_events.csv")[1],
            "1800,set_policy NoGroups allow_call_groups=false,false");
  EXPECT_GT(Lines(folder / "time_to_answer_cdf.csv").size(), 2u);
  EXPECT_GT(Lines(folder / "routing_latency.csv").size(), 2u);
}

TEST(SummaryCsvTest, SingleReplicationLeavesIntervalEmpty) {
  const auto folder = FreshFolder("csv_single");
  Diagnostics errors;
  ASSERT_TRUE(WriteSummaryFiles(MakeSummary(1, 11), folder, &errors));
  const std::string row = Lines(folder / "outcomes.csv")[5];
  EXPECT_EQ(row.substr(row.size() - 2), ",,");
}

TEST(SummaryCsvTest, CellsAreQuotedOnlyWhenNeeded) {
  EXPECT_EQ(CsvCell("plain text"), "plain text");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
}

}  // namespace
}  // namespace callshare
