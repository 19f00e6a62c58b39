#include "callshare/reports/compare.h"

#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "callshare/reports/summary_json.h"
#include "test_results.h"

namespace callshare {
namespace {

using testing::FreshFolder;
using testing::MakeSummary;
using testing::ShareTarget;

constexpr std::size_t kVoicemailRow = std::size_t(Outcome::kVoicemail);
constexpr std::size_t kPickupRow = std::size_t(Outcome::kPickedUpByMember);

// Writes both summaries and runs the gate, keeping what it printed.
struct GateRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

GateRun RunGate(const Summary& baseline, const Summary& current,
                const std::string& name) {
  const auto folder = FreshFolder(name);
  Diagnostics errors;
  EXPECT_TRUE(WriteTextFile(folder / "baseline.json", SummaryJsonText(baseline),
                            &errors));
  EXPECT_TRUE(WriteTextFile(folder / "current.json", SummaryJsonText(current),
                            &errors));
  std::ostringstream out;
  std::ostringstream err;
  GateRun run;
  run.exit_code = RunCompare(folder / "baseline.json", folder / "current.json",
                             {}, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

TEST(CompareTest, UnchangedRunPasses) {
  const Summary summary = MakeSummary(5, 1);
  const GateRun run = RunGate(summary, summary, "unchanged");
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.out.find("REGRESSED"), std::string::npos);
  EXPECT_NE(run.out.find("0 of 10 metrics regressed"), std::string::npos);
}

TEST(CompareTest, FreshSeedOfTheSameScenarioPasses) {
  const GateRun run = RunGate(MakeSummary(5, 1), MakeSummary(5, 2), "reseed");
  EXPECT_EQ(run.exit_code, 0) << run.out;
}

TEST(CompareTest, VoicemailUpFivePointsRegresses) {
  const Summary baseline = MakeSummary(5, 1);
  const Summary current = MakeSummary(5, 2, {0.30, 0.50, 0.15});
  const CompareReport report = Compare(baseline, current, {});
  EXPECT_EQ(report.rows[kVoicemailRow].verdict, Verdict::kRegressed);
  EXPECT_EQ(report.rows[kPickupRow].verdict, Verdict::kRegressed);
  const GateRun run = RunGate(baseline, current, "shifted");
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("share voicemail"), std::string::npos);
}

TEST(CompareTest, VoicemailDownFivePointsIsAnImprovement) {
  const Summary baseline = MakeSummary(5, 1, {0.30, 0.50, 0.15});
  const Summary current = MakeSummary(5, 2);
  const CompareReport report = Compare(baseline, current, {});
  EXPECT_EQ(report.rows[kVoicemailRow].verdict, Verdict::kImproved);
  EXPECT_FALSE(report.Regressed());
}

TEST(CompareTest, SignificantButSmallerThanTolerancePasses) {
  // Half a point more voicemail, measured very precisely.
  const Summary baseline = MakeSummary(10, 1, {}, 0.0005);
  const Summary current = MakeSummary(10, 2, {0.30, 0.545, 0.105}, 0.0005);
  const CompareReport report = Compare(baseline, current, {});
  EXPECT_EQ(report.rows[kVoicemailRow].verdict, Verdict::kOk);
  EXPECT_FALSE(report.Regressed());
}

TEST(CompareTest, LargeButNoisyChangePasses) {
  // Three points more voicemail, but replications spread by +/- 10 points.
  const Summary baseline = MakeSummary(3, 1, {}, 0.10);
  const Summary current = MakeSummary(3, 2, {0.30, 0.52, 0.13}, 0.10);
  const CompareReport report = Compare(baseline, current, {});
  EXPECT_EQ(report.rows[kVoicemailRow].verdict, Verdict::kOk)
      << FormatCompareTable(report);
}

TEST(CompareTest, SingleReplicationsUseTheProportionTest) {
  const Summary baseline = MakeSummary(1, 1);
  const Summary current = MakeSummary(1, 2, {0.30, 0.50, 0.15});
  const CompareReport report = Compare(baseline, current, {});
  EXPECT_EQ(report.rows[kVoicemailRow].verdict, Verdict::kRegressed);
  EXPECT_EQ(Compare(baseline, baseline, {}).Regressed(), false);
}

TEST(CompareTest, HalvedThroughputRegresses) {
  const Summary baseline = MakeSummary(5, 1);
  Summary current = baseline;
  current.performance.events_per_second =
      baseline.performance.events_per_second * 0.5;
  const GateRun run = RunGate(baseline, current, "slow");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("events_per_second"), std::string::npos);
  current.performance.events_per_second =
      baseline.performance.events_per_second * 0.7;
  EXPECT_FALSE(Compare(baseline, current, {}).Regressed());
}

TEST(CompareTest, ThroughputJustInsideTheBandPasses) {
  const Summary baseline = MakeSummary(5, 1);
  Summary current = baseline;
  current.performance.events_per_second =
      baseline.performance.events_per_second * 0.51;
  EXPECT_FALSE(Compare(baseline, current, {}).Regressed());
}

TEST(CompareTest, LatencyRisenByExactlyTheToleranceRegresses) {
  Summary baseline = MakeSummary(5, 1);
  baseline.routing_latency_ns.p99 = 1000;
  Summary current = baseline;
  current.routing_latency_ns.p99 = 1500;
  EXPECT_TRUE(Compare(baseline, current, {}).Regressed());
  current.routing_latency_ns.p99 = 1490;
  EXPECT_FALSE(Compare(baseline, current, {}).Regressed());
}

TEST(CompareTest, SlowerRoutingRegresses) {
  const Summary baseline = MakeSummary(5, 1);
  Summary current = baseline;
  current.routing_latency_ns.p99 = baseline.routing_latency_ns.p99 * 2;
  EXPECT_TRUE(Compare(baseline, current, {}).Regressed());
}

TEST(CompareTest, MalformedFileExitsTwoNamingTheField) {
  const auto folder = FreshFolder("malformed");
  nlohmann::ordered_json json = SummaryToJson(MakeSummary(3, 1));
  Diagnostics errors;
  ASSERT_TRUE(WriteTextFile(folder / "baseline.json", json.dump(2), &errors));
  json["shares"]["voicemail"].erase("mean");
  ASSERT_TRUE(WriteTextFile(folder / "current.json", json.dump(2), &errors));
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(RunCompare(folder / "baseline.json", folder / "current.json", {},
                       out, err),
            2);
  EXPECT_NE(err.str().find("shares.voicemail.mean: missing"), std::string::npos)
      << err.str();
}

TEST(CompareTest, UnreadableOrMismatchedInputExitsTwo) {
  const auto folder = FreshFolder("unreadable");
  Diagnostics errors;
  ASSERT_TRUE(WriteTextFile(folder / "summary.json",
                            SummaryJsonText(MakeSummary(2, 1)), &errors));
  SweepResult sweep;
  sweep.parameters = {"members"};
  ASSERT_TRUE(WriteSweepFiles(sweep, folder, &errors));
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(
      RunCompare(folder / "absent.json", folder / "summary.json", {}, out, err),
      2);
  EXPECT_EQ(
      RunCompare(folder / "summary.json", folder / "sweep.json", {}, out, err),
      2);
  EXPECT_NE(err.str().find("cannot be read"), std::string::npos);
}

SweepResult TwoPointSweep(ShareTarget at_ten) {
  SweepResult sweep;
  sweep.parameters = {"members"};
  sweep.points.push_back({{"5"}, MakeSummary(5, 1)});
  sweep.points.push_back({{"10"}, MakeSummary(5, 2, at_ten)});
  return sweep;
}

TEST(CompareTest, SweepsAreComparedPointByPoint) {
  const SweepResult baseline = TwoPointSweep({});
  SweepResult current = TwoPointSweep({0.30, 0.50, 0.15});
  std::swap(current.points[0], current.points[1]);
  Diagnostics errors;
  const auto report = Compare(baseline, current, {}, &errors);
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->Regressed());
  EXPECT_EQ(report->rows[kVoicemailRow].verdict, Verdict::kOk);
  EXPECT_EQ(report->rows[10 + kVoicemailRow].verdict, Verdict::kRegressed);
  EXPECT_EQ(report->rows[10 + kVoicemailRow].metric,
            "members=10: share voicemail");
}

TEST(CompareTest, SweepWithMissingPointExitsTwo) {
  const auto base_folder = FreshFolder("sweep_base");
  const auto current_folder = FreshFolder("sweep_current");
  SweepResult current = TwoPointSweep({});
  current.points.pop_back();
  Diagnostics errors;
  ASSERT_TRUE(WriteSweepFiles(TwoPointSweep({}), base_folder, &errors));
  ASSERT_TRUE(WriteSweepFiles(current, current_folder, &errors));
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(RunCompare(base_folder / "sweep.json",
                       current_folder / "sweep.json", {}, out, err),
            2);
  EXPECT_NE(err.str().find("members=10"), std::string::npos);
}

TEST(CompareTest, WelchAgreesWithAHandComputedCase) {
  // Means 2 and 4, variances 1 and 1, n = 3 each: t = -2.449, df = 4,
  // two-sided p = 0.0704.
  const std::vector<double> a = {1, 2, 3};
  const std::vector<double> b = {3, 4, 5};
  EXPECT_NEAR(WelchPValue(a, b), 0.0704, 5e-4);
  EXPECT_DOUBLE_EQ(WelchPValue(a, a), 1.0);
}

TEST(CompareTest, ProportionTestAgreesWithAHandComputedCase) {
  // 100/1000 against 150/1000: pooled 0.125, z = 3.381, p = 0.00072.
  EXPECT_NEAR(TwoProportionPValue(100, 1000, 150, 1000), 0.00072, 2e-5);
  EXPECT_DOUBLE_EQ(TwoProportionPValue(0, 0, 10, 100), 1.0);
}

}  // namespace
}  // namespace callshare
