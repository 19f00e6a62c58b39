#include "callshare/sim/trace.h"

#include <gtest/gtest.h>

#include "callshare/reports/trace_csv.h"
#include "callshare/sim/simulator.h"
#include "callshare/tenant/generator.h"
#include "testing/sim/sim_fixtures.h"

namespace callshare {
namespace {

Tenant GeneratedTenant() {
  GeneratorOptions options;
  options.users = 1'000;
  options.groups = 100;
  Diagnostics errors;
  return *Tenant::Build(GenerateDirectory(options, LimitProfile::Teams()),
                        LimitProfile::Teams(), &errors);
}

SimConfig TracedConfig() {
  SimConfig config;
  config.run.duration_s = 900;
  config.run.warmup_s = 60;
  config.traffic.calls_per_hour = 4'000;
  config.behaviour.presence.mode = PresenceMode::kMarkov;
  return config;
}

CallTrace Trace(const SimConfig& config, const Tenant& tenant,
                ReplicationResult* result = nullptr) {
  CallTrace trace;
  SimulatorOptions options;
  options.trace = &trace;
  ReplicationResult r = RunReplication(config, tenant, 0, options, nullptr);
  if (result != nullptr) *result = std::move(r);
  return trace;
}

TEST(TraceTest, SameSeedWritesTheSameBytes) {
  const Tenant tenant = GeneratedTenant();
  const CallTrace first = Trace(TracedConfig(), tenant);
  const CallTrace second = Trace(TracedConfig(), tenant);
  ASSERT_GT(first.calls.size(), 500u);
  EXPECT_EQ(TraceCallsCsv(first, tenant), TraceCallsCsv(second, tenant));
  EXPECT_EQ(TraceLegsCsv(first, tenant), TraceLegsCsv(second, tenant));
}

// Tracing observes only: the results are those of an untraced run.
TEST(TraceTest, TracingChangesNoResult) {
  const Tenant tenant = GeneratedTenant();
  ReplicationResult traced;
  Trace(TracedConfig(), tenant, &traced);
  const ReplicationResult plain = RunReplication(TracedConfig(), tenant, 0);
  EXPECT_EQ(traced.offered, plain.offered);
  EXPECT_EQ(traced.outcomes, plain.outcomes);
  EXPECT_EQ(traced.events, plain.events);
}

// Every measured call is traced with the outcome the results counted,
// and every leg has a final fate that fits the outcome.
TEST(TraceTest, TraceAgreesWithTheCounts) {
  const Tenant tenant = GeneratedTenant();
  ReplicationResult result;
  const CallTrace trace = Trace(TracedConfig(), tenant, &result);
  std::array<std::uint64_t, kOutcomeCount> outcomes{};
  for (const TracedCall& call : trace.calls) {
    if (call.arrival_s >= 60) ++outcomes[std::size_t(call.outcome)];
    std::uint32_t answered = 0;
    for (const TracedLeg& leg : call.legs) {
      EXPECT_NE(leg.fate, LegFate::kPending);
      answered += leg.fate == LegFate::kAnswered;
    }
    EXPECT_EQ(answered, call.answered_leg >= 0 ? 1u : 0u);
    EXPECT_LE(call.legs_rung(), call.legs.size());
  }
  EXPECT_EQ(outcomes, result.outcomes);
}

// An InOrder group whose members answer surely: the first member answers
// and the later turns are never reached. The unanswered delay leaves room
// for a second 20 s turn.
TEST(TraceTest, LaterTurnsOfAnAnsweredInOrderCallAreNotReached) {
  const Tenant tenant = MakeGroupTenant(5, 3, RingOrder::kInOrder, 60);
  SimConfig config = MakeGroupConfig(100, 1, 3'600, 1.0, 2.0);
  // Calls end at once, so that no member is still talking at a call.
  config.traffic.holding = {DurationDistribution::Kind::kFixed, 0.001, 1.0};
  const CallTrace trace = Trace(config, tenant);
  ASSERT_FALSE(trace.calls.empty());
  for (const TracedCall& call : trace.calls) {
    ASSERT_GE(call.legs.size(), 2u);
    EXPECT_EQ(call.outcome, Outcome::kPickedUpByMember);
    EXPECT_EQ(call.legs[0].fate, LegFate::kAnswered);
    EXPECT_EQ(call.legs[1].fate, LegFate::kNotReached);
    EXPECT_EQ(call.legs[1].leg.start_ms, 20'000u);
    EXPECT_EQ(call.legs_rung(), 1u);
    EXPECT_DOUBLE_EQ(call.time_to_answer_s, 2.0);
    EXPECT_EQ(CallerKind(call), "pstn");
  }
}

TEST(TraceTest, FlagsAreJoinedByBars) {
  EXPECT_EQ(PlanFlagNames(0), "");
  EXPECT_EQ(PlanFlagNames(kStaleRouted | kBlockedByPolicy),
            "stale_routed|blocked_by_policy");
}

}  // namespace
}  // namespace callshare
