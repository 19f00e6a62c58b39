// The simulator and the textbook baseline on the systems the benchmarks
// time: their loss shares must agree with each other and with Erlang B,
// so that the speed comparison compares equal work.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "callshare/reports/sweep.h"
#include "callshare/sim/simulator.h"
#include "testing/sim/baseline_loss.h"
#include "testing/sim/sim_fixtures.h"

namespace callshare {
namespace {

constexpr double kErlangs = 8.0;
constexpr double kHoldingS = 180.0;  // the baseline's holding time

// The baseline's lost share over 20 seeds.
Interval BaselineShare(std::uint32_t groups, std::uint64_t calls) {
  std::vector<ReplicationResult> runs(20);
  for (std::uint32_t seed = 0; seed < runs.size(); ++seed) {
    const BaselineLossResult r =
        RunBaselineLoss(groups, 10, kErlangs, calls, seed + 1);
    runs[seed].offered = r.offered;
    runs[seed].outcomes[std::size_t(Outcome::kVoicemail)] = r.lost;
  }
  return OverReplications(runs, [](const ReplicationResult& r) {
    return r.Share(Outcome::kVoicemail);
  });
}

// The simulator's voicemail share over 20 replications, started empty
// and offered about `calls` calls as the baseline is.
Interval SimulatorShare(std::uint32_t groups, std::uint64_t calls) {
  const Tenant tenant = MakeGroupTenant(groups, 10, RingOrder::kSimultaneous);
  SimConfig config = MakeErlangConfig(groups, kErlangs, kHoldingS, 1);
  config.run.warmup_s = 0;
  config.run.duration_s =
      double(calls) / (config.traffic.calls_per_hour / 3600.0);
  return OverReplications(
      RunReplications(config, tenant, 2),
      [](const ReplicationResult& r) { return r.Share(Outcome::kVoicemail); });
}

bool Agree(const Interval& a, const Interval& b) {
  return std::abs(a.mean - b.mean) <= std::hypot(a.half_width, b.half_width);
}

TEST(SimVsBaselineTest, OneGroupLosesErlangBInBoth) {
  const Interval baseline = BaselineShare(1, 100'000);
  const Interval simulator = SimulatorShare(1, 100'000);
  const double b = ErlangB(10, kErlangs);
  EXPECT_TRUE(baseline.Contains(b)) << baseline.mean;
  EXPECT_TRUE(simulator.Contains(b)) << simulator.mean;
  EXPECT_TRUE(Agree(baseline, simulator))
      << baseline.mean << " vs " << simulator.mean;
}

// Many groups started empty: both see the same warm-up transient, so they
// agree with each other (and lose less than Erlang B).
TEST(SimVsBaselineTest, ManyGroupsAgree) {
  const Interval baseline = BaselineShare(1'024, 150'000);
  const Interval simulator = SimulatorShare(1'024, 150'000);
  EXPECT_TRUE(Agree(baseline, simulator))
      << baseline.mean << " +- " << baseline.half_width << " vs "
      << simulator.mean << " +- " << simulator.half_width;
  EXPECT_LT(simulator.mean, ErlangB(10, kErlangs));
}

}  // namespace
}  // namespace callshare
