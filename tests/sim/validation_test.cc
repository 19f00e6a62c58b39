// The validation scenarios of scenarios/validation, loaded from their TOML
// files and checked against the closed forms they state.
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "callshare/reports/sweep.h"
#include "callshare/scenario/scenario.h"
#include "callshare/sim/simulator.h"
#include "callshare/tenant/directory_csv.h"
#include "testing/sim/sim_fixtures.h"

namespace callshare {
namespace {

const std::filesystem::path kFolder =
    std::filesystem::path(CALLSHARE_SOURCE_DIR) / "scenarios" / "validation";

// Loads a scenario and its tenant and runs every replication.
std::vector<ReplicationResult> RunScenario(const std::string& file) {
  Diagnostics errors;
  const std::optional<SimConfig> config =
      LoadScenario(kFolder / file, {}, &errors);
  EXPECT_TRUE(config.has_value()) << file;
  if (!config) return {};
  const auto& folder = std::get<std::filesystem::path>(config->tenant.source);
  const std::optional<Tenant> tenant =
      LoadTenant(folder, config->tenant.limits, &errors);
  EXPECT_TRUE(tenant.has_value()) << folder;
  if (!tenant) return {};
  return RunReplications(*config, *tenant, 2);
}

double VoicemailShare(const ReplicationResult& r) {
  return r.Share(Outcome::kVoicemail);
}

struct ErlangScenario {
  std::string file;
  std::uint32_t servers;
  double erlangs;
  double expected;
};

class ErlangScenarioTest : public testing::TestWithParam<ErlangScenario> {};

TEST_P(ErlangScenarioTest, VoicemailShareIsErlangB) {
  const ErlangScenario& s = GetParam();
  ASSERT_NEAR(ErlangB(s.servers, s.erlangs), s.expected, 5e-5);
  const auto results = RunScenario(s.file);
  ASSERT_EQ(results.size(), 20u);
  const Interval share = OverReplications(results, VoicemailShare);
  EXPECT_TRUE(share.Contains(s.expected))
      << share.mean << " +- " << share.half_width;
  EXPECT_LT(share.half_width, 0.15 * s.expected + 0.002);
}

INSTANTIATE_TEST_SUITE_P(
    Scenarios, ErlangScenarioTest,
    testing::Values(ErlangScenario{"erlang_c10_a5.toml", 10, 5, 0.01838},
                    ErlangScenario{"erlang_c10_a7.toml", 10, 7, 0.07874},
                    ErlangScenario{"erlang_c20_a15.toml", 20, 15, 0.04559},
                    ErlangScenario{"erlang_c1_a1.toml", 1, 1, 0.5},
                    ErlangScenario{"erlang_c30_a20.toml", 30, 20, 0.00846}));

TEST(ValidationScenarioTest, IdleMembersLeaveOneMinusPToTheN) {
  const auto results = RunScenario("idle_members.toml");
  ASSERT_EQ(results.size(), 20u);
  const Interval share = OverReplications(results, VoicemailShare);
  EXPECT_TRUE(share.Contains(0.2401))
      << share.mean << " +- " << share.half_width;
  EXPECT_LT(share.half_width, 0.01);
}

TEST(ValidationScenarioTest, InOrderMeanTimeToAnswer) {
  const auto results = RunScenario("in_order.toml");
  ASSERT_EQ(results.size(), 20u);
  const Interval mean = OverReplications(results, MeanTimeToAnswer);
  const double expected = InOrderExpectedBinnedMean(3, 0.5, 4.0, 20.0);
  EXPECT_TRUE(mean.Contains(expected))
      << mean.mean << " +- " << mean.half_width;
  EXPECT_LT(mean.half_width, 0.3);
}

}  // namespace
}  // namespace callshare
