#include "callshare/reports/summary_csv.h"

#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
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

// A share near 0 or 1 over three replications: its t interval reaches
// past the range a share can take.
Summary SummaryWithIntervalsPastTheRange() {
  Summary summary = MakeSummary(3, 11);
  summary.shares[std::size_t(Outcome::kDisconnected)] = {0.0033, 0.0143};
  summary.shares[std::size_t(Outcome::kAnsweredByOwner)] = {0.995, 0.02};
  return summary;
}

TEST(SummaryCsvTest, IntervalBoundsStayWithinZeroAndOne) {
  const ShareEstimate rare{0.0033, 0.0143};
  EXPECT_EQ(rare.low(), 0.0);
  EXPECT_DOUBLE_EQ(*rare.high(), 0.0033 + 0.0143);
  const ShareEstimate common{0.995, 0.02};
  EXPECT_DOUBLE_EQ(*common.low(), 0.995 - 0.02);
  EXPECT_EQ(common.high(), 1.0);
  const ShareEstimate single{0.5, std::nullopt};
  EXPECT_FALSE(single.low().has_value());
}

TEST(SummaryCsvTest, WrittenIntervalsAreClampedToZeroAndOne) {
  const auto folder = FreshFolder("csv_clamped");
  const Summary summary = SummaryWithIntervalsPastTheRange();
  Diagnostics errors;
  ASSERT_TRUE(WriteSummaryFiles(summary, folder, &errors));

  const auto outcomes = Lines(folder / "outcomes.csv");
  ASSERT_EQ(outcomes.size(), 1 + kOutcomeCount);
  const std::size_t owner = 1 + std::size_t(Outcome::kAnsweredByOwner);
  const std::size_t disconnected = 1 + std::size_t(Outcome::kDisconnected);
  EXPECT_EQ(outcomes[disconnected],
            fmt::format("disconnected,{},0.0033,0,{}",
                        summary.outcomes[disconnected - 1],
                        CsvNumber(0.0033 + 0.0143)));
  EXPECT_EQ(outcomes[owner],
            fmt::format("answered_by_owner,{},0.995,{},1",
                        summary.outcomes[owner - 1], CsvNumber(0.995 - 0.02)));

  const nlohmann::ordered_json json = SummaryToJson(summary);
  const auto& rare = json["shares"]["disconnected"];
  EXPECT_EQ(rare["ci_low"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(rare["ci_high"].get<double>(), 0.0033 + 0.0143);
  EXPECT_DOUBLE_EQ(rare["ci95"].get<double>(), 0.0143);  // the t half-width
  EXPECT_EQ(json["shares"]["answered_by_owner"]["ci_high"].get<double>(), 1.0);
}

TEST(SummaryCsvTest, CellsAreQuotedOnlyWhenNeeded) {
  EXPECT_EQ(CsvCell("plain text"), "plain text");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
}

}  // namespace
}  // namespace callshare
