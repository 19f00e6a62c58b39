#include "callshare/sim/simulator.h"

#include <cmath>
#include <functional>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include "callshare/reports/sweep.h"
#include "callshare/sim/trace.h"
#include "callshare/tenant/generator.h"
#include "testing/sim/sim_fixtures.h"

namespace callshare {
namespace {

double Voicemail(const ReplicationResult& r) {
  return r.Share(Outcome::kVoicemail);
}

std::uint64_t Ended(const ReplicationResult& r) {
  return std::accumulate(r.outcomes.begin(), r.outcomes.end(),
                         std::uint64_t{0});
}

struct ErlangCase {
  std::uint32_t servers;
  double erlangs;
  double expected;
};

class ErlangLossTest : public testing::TestWithParam<ErlangCase> {};

// A Simultaneous group whose free members answer at once is an Erlang loss
// system: the voicemail share is Erlang B.
TEST_P(ErlangLossTest, VoicemailShareIsErlangB) {
  const ErlangCase c = GetParam();
  ASSERT_NEAR(ErlangB(c.servers, c.erlangs), c.expected, 5e-5);
  const Tenant tenant = MakeGroupTenant(1, c.servers, RingOrder::kSimultaneous);
  // About 40,000 calls a replication.
  const double holding_s = 60;
  const double duration_s = 40'000 * holding_s / c.erlangs;
  const SimConfig config =
      MakeErlangConfig(1, c.erlangs, holding_s, duration_s);
  const auto results = RunReplications(config, tenant, 2);
  const Interval share = OverReplications(results, Voicemail);
  EXPECT_TRUE(share.Contains(c.expected))
      << share.mean << " +- " << share.half_width;
  EXPECT_LT(share.half_width, 0.15 * c.expected + 0.002);
  for (const ReplicationResult& r : results) {
    EXPECT_EQ(r.outcomes[size_t(Outcome::kPickedUpByMember)] +
                  r.outcomes[size_t(Outcome::kVoicemail)],
              r.offered);
  }
}

INSTANTIATE_TEST_SUITE_P(ClosedForms, ErlangLossTest,
                         testing::Values(ErlangCase{10, 5, 0.01838},
                                         ErlangCase{10, 7, 0.07874},
                                         ErlangCase{20, 15, 0.04559},
                                         ErlangCase{1, 1, 0.5},
                                         ErlangCase{30, 20, 0.00846}));

// n idle members each answering with probability p inside the ring time:
// nobody answers with probability (1 - p)^n. A tiny load keeps them idle.
TEST(SimulatorTest, UnansweredShareOfIdleMembers) {
  const Tenant tenant = MakeGroupTenant(1, 4, RingOrder::kSimultaneous);
  SimConfig config = MakeGroupConfig(60, 0.1, 20'000 * 60.0, 0.3, 5.0);
  const auto results = RunReplications(config, tenant, 2);
  const Interval share = OverReplications(results, Voicemail);
  EXPECT_TRUE(share.Contains(std::pow(0.7, 4)))
      << share.mean << " +- " << share.half_width;
  EXPECT_LT(share.half_width, 0.01);
}

// InOrder, n members, each answering with probability p after d < T of
// its turn T: the mean time to answer has a closed form (derived beside
// InOrderExpectedBinnedMean).
TEST(SimulatorTest, InOrderMeanTimeToAnswerMatchesClosedForm) {
  constexpr std::uint32_t kMembers = 3;
  constexpr double kP = 0.5, kDelay = 4.0, kTurn = 20.0;
  const Tenant tenant = MakeGroupTenant(1, kMembers, RingOrder::kInOrder, 60);
  const SimConfig config = MakeGroupConfig(60, 0.1, 20'000 * 60.0, kP, kDelay);
  const auto results = RunReplications(config, tenant, 2);

  const double expected =
      InOrderExpectedBinnedMean(kMembers, kP, kDelay, kTurn);
  // Without binning: 4 + 20 * 0.5 / 0.875.
  EXPECT_NEAR(expected, kDelay + kTurn * 0.5 / 0.875, 0.06);
  const Interval mean = OverReplications(results, MeanTimeToAnswer);
  EXPECT_TRUE(mean.Contains(expected))
      << mean.mean << " +- " << mean.half_width;
  EXPECT_LT(mean.half_width, 0.3);
}

// The answer delay scales with the answerer's presence. One idle member
// who always answers after a lognormal delay of mean 4 s, with 60 s of
// ring time (the tail cut off is under 1e-4 even at 2.5 x 4 s): the mean
// time to answer is the delay's mean times the presence's factor.
TEST(SimulatorTest, PresenceDelayFactorScalesTheMeanTimeToAnswer) {
  constexpr double kDelay = 4.0, kFactor = 2.5;
  const Tenant tenant = MakeGroupTenant(1, 1, RingOrder::kSimultaneous, 60);
  SimConfig config = MakeGroupConfig(60, 0.1, 2'000 * 60.0, 1.0, 0.0);
  BehaviourConfig& behaviour = config.behaviour;
  behaviour.answer[size_t(Notification::kRing)].delay = {
      DurationDistribution::Kind::kLognormal, kDelay, 0.5};
  const auto away = size_t(Presence::kAway);
  behaviour.presence_factor[away] = 1.0;
  behaviour.presence_delay_factor[away] = kFactor;

  // Everyone available: the delay as drawn.
  const Interval available =
      OverReplications(RunReplications(config, tenant, 2), MeanTimeToAnswer);
  EXPECT_TRUE(available.Contains(kDelay))
      << available.mean << " +- " << available.half_width;

  // Everyone away: the factor's longer delay.
  behaviour.presence.share = {0.0, 0.0, 1.0, 0.0, 0.0};
  const Interval slower =
      OverReplications(RunReplications(config, tenant, 2), MeanTimeToAnswer);
  EXPECT_TRUE(slower.Contains(kFactor * kDelay))
      << slower.mean << " +- " << slower.half_width;
  EXPECT_LT(slower.half_width, 0.2);
}

// Two users who call each other, the Global policy's busy-on-busy set to
// `busy_on_busy`, both answering their own calls at once. With callers
// outside the model each user is an M/M/1/1 server of load A/2 for the
// calls to them, so a call finds its callee talking with probability
// B(1, A/2); with callers as people both are on every answered call, one
// server of load A, and the probability is B(1, A).
Tenant PairTenant(BusyOnBusyPolicy busy_on_busy) {
  Directory directory = MakePeopleDirectory(2);
  directory.policies[0].busy_on_busy = busy_on_busy;
  return BuildFixtureTenant(directory);
}

// A = 60 calls an hour x 60 s = 1 erlang; 1,000 calls a replication.
SimConfig PairConfig() {
  SimConfig config = MakeOwnerConfig(60, 60, 60'000);
  config.run.warmup_s = 600;
  return config;
}

// The share of `outcome` over the 20 replications of `config`.
Interval ShareOver(const SimConfig& config, const Tenant& tenant,
                   Outcome outcome) {
  const auto results = RunReplications(config, tenant, 2);
  return OverReplications(results, [outcome](const ReplicationResult& r) {
    return r.Share(outcome);
  });
}

// A delay scaled far past any clock (1 s times 1e300) is a delay past the
// ring time: nobody answers, and no call is answered before it rang.
TEST(SimulatorTest, DelayPastTheClockNeverAnswers) {
  const Tenant tenant = PairTenant(BusyOnBusyPolicy::kDisabled);
  SimConfig config = PairConfig();
  config.behaviour.owner_answer_delay = {DurationDistribution::Kind::kFixed,
                                         1.0, 1.0};
  config.behaviour.presence_delay_factor[size_t(Presence::kAvailable)] = 1e300;

  const ReplicationResult r = RunReplication(config, tenant, 0);
  EXPECT_GT(r.offered, 0u);
  EXPECT_EQ(r.outcomes[size_t(Outcome::kAnsweredByOwner)], 0u);
  std::uint64_t ended = 0;
  for (const std::uint64_t count : r.outcomes) ended += count;
  EXPECT_EQ(ended, r.offered);
}

TEST(SimulatorTest, InternalCallerBusyPutsTheCallerOnTheCall) {
  const Tenant tenant = PairTenant(BusyOnBusyPolicy::kEnabled);
  SimConfig config = PairConfig();
  config.behaviour.internal_caller_busy = true;
  const Interval busy = ShareOver(config, tenant, Outcome::kBusySignal);
  EXPECT_TRUE(busy.Contains(ErlangB(1, 1.0)))
      << busy.mean << " +- " << busy.half_width;
  EXPECT_LT(busy.half_width, 0.02);
}

SimConfig BusyHourConfig() {
  SimConfig config;
  config.run.duration_s = 1'800;
  config.run.replications = 3;
  config.traffic.calls_per_hour = 20'000;
  return config;
}

Tenant GeneratedTenant(std::uint32_t users, std::uint32_t groups) {
  GeneratorOptions options;
  options.users = users;
  options.groups = groups;
  Diagnostics errors;
  return *Tenant::Build(GenerateDirectory(options, LimitProfile::Teams()),
                        LimitProfile::Teams(), &errors);
}

// Same seed, any number of threads: the same counts and histograms.
TEST(SimulatorTest, ResultsDoNotDependOnThreads) {
  const Tenant tenant = GeneratedTenant(2'000, 200);
  SimConfig config = BusyHourConfig();
  config.behaviour.presence.mode = PresenceMode::kMarkov;
  const auto one = RunReplications(config, tenant, 1);
  const auto two = RunReplications(config, tenant, 2);
  ASSERT_EQ(one.size(), 3u);
  for (std::size_t r = 0; r < one.size(); ++r) {
    EXPECT_EQ(one[r].replication, r);
    EXPECT_EQ(one[r].offered, two[r].offered);
    EXPECT_EQ(one[r].outcomes, two[r].outcomes);
    EXPECT_EQ(one[r].events, two[r].events);
    EXPECT_EQ(one[r].notifications_by_kind, two[r].notifications_by_kind);
    EXPECT_TRUE(one[r].time_to_answer == two[r].time_to_answer);
  }
  EXPECT_NE(one[0].outcomes, one[1].outcomes);  // separate streams
}

// The default behaviour on a generated tenant: every call ends once, and
// every kind of measure moves.
TEST(SimulatorTest, BusyHourAccountsForEveryCall) {
  const Tenant tenant = GeneratedTenant(5'000, 500);
  const ReplicationResult r = RunReplication(BusyHourConfig(), tenant, 0);
  EXPECT_GT(r.offered, 8'000u);
  EXPECT_EQ(Ended(r), r.offered);
  EXPECT_GT(r.outcomes[size_t(Outcome::kAnsweredByOwner)], 0u);
  EXPECT_GT(r.outcomes[size_t(Outcome::kPickedUpByMember)], 0u);
  EXPECT_GT(r.outcomes[size_t(Outcome::kVoicemail)], 0u);
  EXPECT_GT(r.outcomes[size_t(Outcome::kAbandoned)], 0u);
  EXPECT_GT(r.notifications_by_kind[0], 0u);
  EXPECT_GT(r.member_hours, 0.0);
  // A timed route takes some time and far less than a second.
  EXPECT_GT(r.routing_latency_max_ns, 0.0);
  EXPECT_LT(r.routing_latency_max_ns, 1e9);
  // One route in four is timed by default, counting from the first.
  EXPECT_EQ(boost::histogram::algorithm::sum(r.routing_latency_ns),
            std::ceil(double(r.offered) / 4));
  std::uint64_t sliced = 0;
  for (const TimeSlice& slice : r.timeline) {
    sliced =
        std::accumulate(slice.outcomes.begin(), slice.outcomes.end(), sliced);
  }
  EXPECT_EQ(r.timeline.size(), 60u);
  EXPECT_EQ(sliced, r.offered);
}

TEST(SimulatorTest, LatencyMeasurementCanBeSwitchedOff) {
  const Tenant tenant = GeneratedTenant(2'000, 200);
  SimulatorOptions options;
  options.measure_routing_latency = false;
  const ReplicationResult off =
      RunReplication(BusyHourConfig(), tenant, 0, options, nullptr);
  const ReplicationResult on = RunReplication(BusyHourConfig(), tenant, 0);
  EXPECT_EQ(boost::histogram::algorithm::sum(off.routing_latency_ns), 0.0);
  EXPECT_EQ(off.outcomes, on.outcomes);  // timing draws no random numbers
}

// A sample period of one times every route, 0 none, 8 one in eight; the
// period changes no result.
TEST(SimulatorTest, LatencySamplePeriodChoosesTheTimedRoutes) {
  const Tenant tenant = GeneratedTenant(2'000, 200);
  SimConfig config = BusyHourConfig();
  config.run.latency_sample_period = 1;
  const ReplicationResult every = RunReplication(config, tenant, 0);
  EXPECT_EQ(boost::histogram::algorithm::sum(every.routing_latency_ns),
            double(every.offered));
  config.run.latency_sample_period = 8;
  const ReplicationResult eighth = RunReplication(config, tenant, 0);
  EXPECT_EQ(boost::histogram::algorithm::sum(eighth.routing_latency_ns),
            std::ceil(double(eighth.offered) / 8));
  config.run.latency_sample_period = 0;
  const ReplicationResult none = RunReplication(config, tenant, 0);
  EXPECT_EQ(boost::histogram::algorithm::sum(none.routing_latency_ns), 0.0);
  EXPECT_EQ(none.routing_latency_max_ns, 0.0);
  EXPECT_EQ(every.outcomes, none.outcomes);
  EXPECT_EQ(eighth.outcomes, none.outcomes);
}

// Warm-up calls are played but not counted.
TEST(SimulatorTest, WarmupCallsAreNotMeasured) {
  const Tenant tenant = GeneratedTenant(2'000, 200);
  SimConfig config = BusyHourConfig();
  const ReplicationResult all = RunReplication(config, tenant, 0);
  config.run.warmup_s = 900;
  const ReplicationResult late = RunReplication(config, tenant, 0);
  EXPECT_EQ(all.events, late.events);
  EXPECT_LT(double(late.offered), double(all.offered) * 0.6);
  EXPECT_GT(double(late.offered), double(all.offered) * 0.4);
  EXPECT_EQ(Ended(late), late.offered);
}

// Turning call groups off mid-run in enforced mode blocks group calls from
// then on; creating groups past the tenant limit is refused and counted.
TEST(SimulatorTest, AdminEventsChangeRoutingAndCountRejections) {
  const Tenant tenant = MakeGroupTenant(50, 3, RingOrder::kSimultaneous);
  SimConfig config = MakeGroupConfig(2'000, 30, 3'600, 0.9, 2.0);
  config.run.router_mode = RouterMode::kEnforced;
  config.events.push_back({100, SetLimitChange{Limit::kGroupsPerTenant, 52}});
  config.events.push_back({200, CreateGroupsChange{5, 2}});
  config.events.push_back(
      {1'800, SetPolicyChange{"Global", "allow_call_groups", "false"}});
  const ReplicationResult r = RunReplication(config, tenant, 0);
  ASSERT_EQ(r.admin_events.size(), 3u);
  EXPECT_EQ(r.admin_events[0].description, "set_limit groups_per_tenant=52");
  EXPECT_FALSE(r.admin_events[0].rejected);
  EXPECT_TRUE(r.admin_events[1].rejected);
  EXPECT_EQ(r.limit_rejections, 3u);
  EXPECT_GT(r.blocked_by_policy, 0u);
  std::uint64_t early_blocked = 0, late_blocked = 0;
  for (std::size_t k = 0; k < r.timeline.size(); ++k) {
    (k < 30 ? early_blocked : late_blocked) += r.timeline[k].blocked_by_policy;
  }
  EXPECT_EQ(early_blocked, 0u);
  EXPECT_GT(late_blocked, 0u);
  EXPECT_EQ(Ended(r), r.offered);
}

// A piecewise-constant profile: no call in the silent first half, the
// second half's rate in the second.
TEST(SimulatorTest, RateProfileShapesArrivals) {
  const Tenant tenant = GeneratedTenant(2'000, 200);
  SimConfig config = BusyHourConfig();
  config.traffic.profile = {{0, 0}, {900, 40'000}};
  config.traffic.callee_choice = CalleeChoice::kZipf;
  const ReplicationResult r = RunReplication(config, tenant, 0);
  std::uint64_t first_half = 0;
  for (std::size_t k = 0; k < 30; ++k) {
    first_half = std::accumulate(r.timeline[k].outcomes.begin(),
                                 r.timeline[k].outcomes.end(), first_half);
  }
  EXPECT_EQ(first_half, 0u);
  // 40,000 an hour for 900 s: 10,000 expected, sd 100.
  EXPECT_NEAR(double(r.offered), 10'000, 500);
}

// The callback is told where the replication stands, last at its end.
TEST(SimulatorTest, ProgressReportsTheEnd) {
  const Tenant tenant = GeneratedTenant(2'000, 200);
  std::vector<Progress> seen;
  ProgressFn progress = [&](const Progress& p) { seen.push_back(p); };
  const ReplicationResult r =
      RunReplication(BusyHourConfig(), tenant, 0, &progress);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().events, r.events);
  EXPECT_EQ(seen.back().calls, r.offered);
}

// ---- Routing rules, each against a closed form ----

TEST(SimulatorTest, BusyOnBusyEnabledGivesABusySignalToCallsToTalkers) {
  const Tenant tenant = PairTenant(BusyOnBusyPolicy::kEnabled);
  const SimConfig config = PairConfig();
  const Interval busy = ShareOver(config, tenant, Outcome::kBusySignal);
  EXPECT_TRUE(busy.Contains(ErlangB(1, 0.5)))
      << busy.mean << " +- " << busy.half_width;
  EXPECT_LT(busy.half_width, 0.02);
  const ReplicationResult r = RunReplication(config, tenant, 0);
  EXPECT_EQ(r.outcomes[size_t(Outcome::kBusySignal)] +
                r.outcomes[size_t(Outcome::kAnsweredByOwner)],
            r.offered);
}

// Unanswered treats a talking callee's call as unanswered: it goes to the
// unanswered target (voicemail here) at once, and nobody hears busy.
TEST(SimulatorTest, BusyOnBusyUnansweredSendsTheCallToTheUnansweredTarget) {
  const Tenant tenant = PairTenant(BusyOnBusyPolicy::kUnanswered);
  const SimConfig config = PairConfig();
  const Interval voicemail = ShareOver(config, tenant, Outcome::kVoicemail);
  EXPECT_TRUE(voicemail.Contains(ErlangB(1, 0.5)))
      << voicemail.mean << " +- " << voicemail.half_width;
  EXPECT_LT(voicemail.half_width, 0.02);
  const ReplicationResult r = RunReplication(config, tenant, 0);
  EXPECT_EQ(r.outcomes[size_t(Outcome::kBusySignal)], 0u);
}

// Disabled rings the talking callee as usual, who cannot answer: the
// call rings until the unanswered delay and goes to voicemail, at the
// same share, and nobody hears busy either.
TEST(SimulatorTest, BusyOnBusyDisabledRingsTheTalkingCallee) {
  const Tenant tenant = PairTenant(BusyOnBusyPolicy::kDisabled);
  const SimConfig config = PairConfig();
  const auto results = RunReplications(config, tenant, 2);
  for (const ReplicationResult& r : results) {
    EXPECT_EQ(r.outcomes[size_t(Outcome::kBusySignal)], 0u);
  }
  const Interval voicemail = OverReplications(results, Voicemail);
  EXPECT_TRUE(voicemail.Contains(ErlangB(1, 0.5)))
      << voicemail.mean << " +- " << voicemail.half_width;
}

// Inbound PSTN treatment Voicemail sends every PSTN call to voicemail
// before anyone rings; internal calls ring the callee as before. Holding
// is short enough that a callee is almost never on a call.
TEST(SimulatorTest, PstnTreatmentVoicemailTakesOnlyPstnCalls) {
  Directory directory = MakePeopleDirectory(20);
  directory.policies[0].inbound_pstn_treatment = PstnTreatment::kVoicemail;
  const Tenant tenant = BuildFixtureTenant(directory);
  SimConfig config = MakeOwnerConfig(3'600, 0.01, 2'000);
  config.traffic.pstn_share = 0.5;
  CallTrace trace;
  SimulatorOptions options;
  options.trace = &trace;
  RunReplication(config, tenant, 0, options, nullptr);

  std::uint64_t pstn = 0, internal = 0, internal_answered = 0;
  for (const TracedCall& call : trace.calls) {
    if (call.pstn) {
      ++pstn;
      EXPECT_EQ(call.outcome, Outcome::kVoicemail);
      EXPECT_TRUE(call.legs.empty());
    } else {
      ++internal;
      internal_answered += call.outcome == Outcome::kAnsweredByOwner;
    }
  }
  // About 1,000 of each; a callee is on a call 0.05% of the time.
  EXPECT_GT(pstn, 800u);
  EXPECT_GT(internal, 800u);
  EXPECT_GE(double(internal_answered), 0.99 * double(internal));
}

// One user who never answers, unanswered off: with AllowVoicemail
// AlwaysEnabled the call goes to voicemail after the 30 s timeout, so a
// caller of exponential patience (mean 60 s) is still there with
// probability exp(-30 / 60); with AlwaysDisabled it rings until the
// caller hangs up.
TEST(SimulatorTest, VoicemailTimeoutEndsUnansweredCallsAtThirtySeconds) {
  Directory directory = MakePeopleDirectory(1);
  SettingsRow settings;
  settings.upn = directory.users[0].upn;
  settings.unanswered = false;
  directory.settings.push_back(settings);
  directory.policies[0].allow_voicemail = VoicemailPolicy::kAlwaysEnabled;
  SimConfig config = MakeOwnerConfig(360, 1, 20'000);
  config.traffic.pstn_share = 1.0;
  config.traffic.patience = {DurationDistribution::Kind::kExponential, 60.0,
                             1.0};
  config.behaviour.owner_answers = false;
  const Interval voicemail =
      ShareOver(config, BuildFixtureTenant(directory), Outcome::kVoicemail);
  EXPECT_TRUE(voicemail.Contains(std::exp(-0.5)))
      << voicemail.mean << " +- " << voicemail.half_width;
  EXPECT_LT(voicemail.half_width, 0.01);

  directory.policies[0].allow_voicemail = VoicemailPolicy::kAlwaysDisabled;
  const ReplicationResult r =
      RunReplication(config, BuildFixtureTenant(directory), 0);
  EXPECT_EQ(r.outcomes[size_t(Outcome::kAbandoned)], r.offered);
}

// Exponential patience of mean 60 s against the fixed 20 s unanswered
// delay: the caller gives up first with probability 1 - exp(-20 / 60).
TEST(SimulatorTest, CallerPatienceEndsInAbandoned) {
  const Tenant tenant = BuildFixtureTenant(MakePeopleDirectory(1));
  SimConfig config = MakeOwnerConfig(360, 1, 20'000);
  config.traffic.pstn_share = 1.0;
  config.traffic.patience = {DurationDistribution::Kind::kExponential, 60.0,
                             1.0};
  config.behaviour.owner_answers = false;
  const auto results = RunReplications(config, tenant, 2);
  const Interval abandoned = OverReplications(
      results,
      [](const ReplicationResult& r) { return r.Share(Outcome::kAbandoned); });
  EXPECT_TRUE(abandoned.Contains(1 - std::exp(-20.0 / 60.0)))
      << abandoned.mean << " +- " << abandoned.half_width;
  EXPECT_LT(abandoned.half_width, 0.01);
  for (const ReplicationResult& r : results) {
    EXPECT_EQ(r.outcomes[size_t(Outcome::kAbandoned)] +
                  r.outcomes[size_t(Outcome::kVoicemail)],
              r.offered);
  }
}

// Two users, each the other's unanswered target after 10 s, who never
// answer their own calls: a call is answered by its target unless the
// target is talking, an M/M/1/1 server of load A/2, so the share is
// 1 - B(1, A/2), counted as answered by a forward target.
TEST(SimulatorTest, UnansweredTargetAnswerCountsAsForwardTarget) {
  Directory directory = MakePeopleDirectory(2);
  for (std::size_t i = 0; i < 2; ++i) {
    SettingsRow settings;
    settings.upn = directory.users[i].upn;
    settings.unanswered_target_type = TargetType::kSingleTarget;
    settings.unanswered_target = directory.users[1 - i].upn;
    settings.unanswered_delay_s = 10;
    directory.settings.push_back(settings);
  }
  const Tenant tenant = BuildFixtureTenant(directory);
  SimConfig config = PairConfig();
  config.traffic.pstn_share = 1.0;
  config.behaviour.owner_answers = false;
  config.behaviour.answer[size_t(Notification::kRing)] = {
      1.0, {DurationDistribution::Kind::kFixed, 0.0, 1.0}};
  const Interval answered =
      ShareOver(config, tenant, Outcome::kAnsweredByForwardTarget);
  EXPECT_TRUE(answered.Contains(1 - ErlangB(1, 0.5)))
      << answered.mean << " +- " << answered.half_width;
  EXPECT_LT(answered.half_width, 0.02);
}

// ---- Admin events change the calls after them ----

// Sums `f` over the timeline slices [first, last).
std::uint64_t OverSlices(
    const ReplicationResult& r, std::size_t first, std::size_t last,
    const std::function<std::uint64_t(const TimeSlice&)>& f) {
  std::uint64_t sum = 0;
  for (std::size_t k = first; k < last; ++k) sum += f(r.timeline[k]);
  return sum;
}

std::uint64_t PickedUp(const TimeSlice& slice) {
  return slice.outcomes[size_t(Outcome::kPickedUpByMember)];
}

std::uint64_t Calls(const TimeSlice& slice) {
  return std::accumulate(slice.outcomes.begin(), slice.outcomes.end(),
                         std::uint64_t{0});
}

// The share of the calls arriving in slices [first, last) that a member
// picked up.
double PickedUpShare(const ReplicationResult& r, std::size_t first,
                     std::size_t last) {
  return double(OverSlices(r, first, last, PickedUp)) /
         double(std::max<std::uint64_t>(1, OverSlices(r, first, last, Calls)));
}

// One owner whose single member picks up at once; calls are far apart
// so the member is free. 3,600 s in 60 slices: events at slice bounds.
SimConfig OneMemberConfig() {
  return MakeGroupConfig(720, 0.1, 3'600, 1.0, 0.0);
}

// A group keeps a second member who is muted and never answers, since a
// group whose last member leaves is gone and cannot be added to.
TEST(SimulatorTest, RemoveAndAddMemberChangeWhoPicksUp) {
  Directory directory = MakeGroupDirectory(1, 2, RingOrder::kSimultaneous);
  directory.members[1].notification = Notification::kMute;
  const Tenant tenant = BuildFixtureTenant(directory);
  SimConfig config = OneMemberConfig();
  config.behaviour.answer[size_t(Notification::kMute)].probability = 0.0;
  config.events.push_back({1'200, RemoveMemberChange{"owner0_0@example.com",
                                                     "member0_0@example.com"}});
  config.events.push_back(
      {2'400, AddMemberChange{"owner0_0@example.com", "member0_0@example.com",
                              Notification::kRing}});
  const ReplicationResult r = RunReplication(config, tenant, 0);
  ASSERT_EQ(r.admin_events.size(), 2u);
  EXPECT_FALSE(r.admin_events[0].rejected);
  EXPECT_FALSE(r.admin_events[1].rejected);
  // About 240 calls in each third; a member is talking 2% of the time.
  for (auto [first, last] : {std::pair{0, 20}, std::pair{40, 60}}) {
    const std::uint64_t calls = OverSlices(r, first, last, Calls);
    EXPECT_GT(calls, 150u);
    EXPECT_GT(PickedUpShare(r, first, last), 0.9);
  }
  EXPECT_GT(OverSlices(r, 20, 40, Calls), 150u);
  EXPECT_EQ(OverSlices(r, 20, 40, PickedUp), 0u);
}

// Assigning a policy without call groups to the owner, in enforced mode,
// blocks the group leg of every call after it and of none before.
TEST(SimulatorTest, AssignPolicyChangesLaterCalls) {
  Directory directory = MakeGroupDirectory(1, 1, RingOrder::kSimultaneous);
  directory.policies.push_back({.name = "Global"});
  directory.policies.push_back(
      {.name = "NoGroups", .allow_call_groups = false});
  const Tenant tenant = BuildFixtureTenant(directory);
  SimConfig config = OneMemberConfig();
  config.run.router_mode = RouterMode::kEnforced;
  AssignPolicyChange assign;
  assign.policy = "NoGroups";
  assign.users = {"owner0_0@example.com"};
  config.events.push_back({1'800, assign});
  const ReplicationResult r = RunReplication(config, tenant, 0);
  const auto blocked = [](const TimeSlice& s) { return s.blocked_by_policy; };
  EXPECT_EQ(OverSlices(r, 0, 30, blocked), 0u);
  EXPECT_GT(PickedUpShare(r, 0, 30), 0.9);
  EXPECT_EQ(OverSlices(r, 30, 60, blocked), OverSlices(r, 30, 60, Calls));
  EXPECT_GT(OverSlices(r, 30, 60, Calls), 250u);
  EXPECT_EQ(OverSlices(r, 30, 60, PickedUp), 0u);
}

// As deployed, turning call groups off leaves the group in place and its
// calls stale-routed (still picked up); a cleanup then removes it.
TEST(SimulatorTest, CleanupEndsStaleRouting) {
  const Tenant tenant = MakeGroupTenant(1, 1, RingOrder::kSimultaneous);
  SimConfig config = OneMemberConfig();
  config.events.push_back(
      {1'200, SetPolicyChange{"Global", "allow_call_groups", "false"}});
  config.events.push_back({2'400, CleanupChange{}});
  const ReplicationResult r = RunReplication(config, tenant, 0);
  const auto stale = [](const TimeSlice& s) { return s.stale_routed; };
  EXPECT_EQ(OverSlices(r, 0, 20, stale), 0u);
  EXPECT_EQ(OverSlices(r, 20, 40, stale), OverSlices(r, 20, 40, Calls));
  EXPECT_GT(PickedUpShare(r, 20, 40), 0.9);
  EXPECT_GT(OverSlices(r, 40, 60, Calls), 150u);
  EXPECT_EQ(OverSlices(r, 40, 60, stale), 0u);
  EXPECT_EQ(OverSlices(r, 40, 60, PickedUp), 0u);
}

}  // namespace
}  // namespace callshare
