#include "callshare/reports/sweep.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "callshare/reports/summary_csv.h"
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

std::size_t Cells(const std::string& line) {
  return 1 + std::size_t(std::count(line.begin(), line.end(), ','));
}

// Members 5, 10, 15 offered 7 erlangs: an Erlang loss sweep.
SweepResult ErlangSweep() {
  SweepResult sweep;
  sweep.scenario = "erlang_loss";
  sweep.parameters = {"members"};
  for (int members : {5, 10, 15}) {
    Summary summary = MakeSummary(3, std::uint64_t(members));
    summary.parameters = {{"members", std::to_string(members)},
                          {"erlang_loss.servers", std::to_string(members)},
                          {"erlang_loss.offered_erlangs", "7"}};
    sweep.points.push_back({{std::to_string(members)}, std::move(summary)});
  }
  return sweep;
}

TEST(ErlangBTest, MatchesTheReferenceValues) {
  EXPECT_NEAR(ErlangB(10, 5), 0.01838, 5e-6);
  EXPECT_NEAR(ErlangB(10, 7), 0.07874, 5e-6);
  EXPECT_NEAR(ErlangB(20, 15), 0.04559, 5e-6);
  EXPECT_NEAR(ErlangB(30, 20), 0.00846, 5e-6);
  EXPECT_DOUBLE_EQ(ErlangB(1, 1), 0.5);
  EXPECT_DOUBLE_EQ(ErlangB(0, 3), 1.0);
}

TEST(SweepTest, CsvHasAHeaderAndOneRowPerPoint) {
  const std::string text = SweepCsvText(ErlangSweep());
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  ASSERT_EQ(lines.size(), 4u);
  // One swept parameter, three cells per outcome, six closing columns.
  const std::size_t columns = 1 + 3 * kOutcomeCount + 6;
  EXPECT_EQ(lines[0].rfind("members,answered_by_owner_mean,", 0), 0u);
  for (const std::string& line : lines) EXPECT_EQ(Cells(line), columns);
  EXPECT_EQ(lines[2].rfind("10,", 0), 0u);
  EXPECT_EQ(lines[2].substr(lines[2].rfind(',') + 1).substr(0, 6), "0.0787");
}

// A 3-replication point whose rare outcome's t interval dips below 0:
// sweep.csv and sweep.json write the bounds kept within [0, 1].
TEST(SweepTest, IntervalBoundsAreClampedToZeroAndOne) {
  SweepResult sweep = ErlangSweep();
  const std::size_t delegate = std::size_t(Outcome::kAnsweredByDelegate);
  sweep.points[0].summary.shares[delegate] = {0.0011, 0.0055};
  const auto folder = FreshFolder("sweep_clamped");
  Diagnostics errors;
  ASSERT_TRUE(WriteSweepFiles(sweep, folder, &errors));

  const auto lines = Lines(folder / "sweep.csv");
  ASSERT_EQ(lines.size(), 4u);
  // members, then mean, ci_low, ci_high for each outcome in order.
  const std::size_t first = 1 + 3 * delegate;
  std::vector<std::string> cells;
  std::stringstream row(lines[1]);
  for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
  ASSERT_GT(cells.size(), first + 2);
  EXPECT_EQ(cells[first], "0.0011");
  EXPECT_EQ(cells[first + 1], "0");
  EXPECT_EQ(cells[first + 2], CsvNumber(0.0011 + 0.0055));
  for (const std::string& line : lines) {
    EXPECT_EQ(line.find(",-"), std::string::npos) << line;
  }

  const std::optional<SweepResult> read =
      ReadSweep(folder / "sweep.json", &errors);
  ASSERT_TRUE(read.has_value());
  std::ifstream in(folder / "sweep.json");
  const auto json = nlohmann::ordered_json::parse(in);
  EXPECT_EQ(
      json["points"][0]["summary"]["shares"]["answered_by_delegate"]["ci_low"]
          .get<double>(),
      0.0);
}

TEST(SweepTest, ErlangCellIsEmptyWithoutTheHint) {
  SweepResult sweep = ErlangSweep();
  sweep.points[0].summary.parameters.pop_back();
  const std::string text = SweepCsvText(sweep);
  const std::string row = text.substr(text.find("\n5,"));
  EXPECT_EQ(row.substr(0, row.find('\n', 1)).back(), ',');
}

TEST(SweepTest, FilesRoundTrip) {
  const auto folder = FreshFolder("sweep_round_trip");
  Diagnostics errors;
  ASSERT_TRUE(WriteSweepFiles(ErlangSweep(), folder, &errors));
  EXPECT_EQ(Lines(folder / "sweep.csv").size(), 4u);
  const std::optional<SweepResult> read =
      ReadSweep(folder / "sweep.json", &errors);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->parameters, std::vector<std::string>{"members"});
  ASSERT_EQ(read->points.size(), 3u);
  EXPECT_EQ(read->points[2].values, std::vector<std::string>{"15"});
  EXPECT_EQ(read->points[2].summary.offered,
            ErlangSweep().points[2].summary.offered);
}

TEST(SweepTest, BrokenPointIsNamedByPath) {
  nlohmann::ordered_json json = SweepToJson(ErlangSweep());
  json["points"][1]["summary"]["shares"]["voicemail"].erase("mean");
  const auto folder = FreshFolder("sweep_broken");
  {
    std::ofstream out(folder / "sweep.json");
    out << json.dump();
  }
  Diagnostics errors;
  EXPECT_FALSE(ReadSweep(folder / "sweep.json", &errors));
  bool named = false;
  for (const Diagnostic& error : errors) {
    named |= error.field == "points[1].summary.shares.voicemail.mean";
  }
  EXPECT_TRUE(named);
}

}  // namespace
}  // namespace callshare
