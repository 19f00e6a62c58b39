#include "testing/sim/sim_fixtures.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

namespace callshare {
namespace {

std::string Upn(const char* kind, std::uint32_t group, std::uint32_t k) {
  return std::string(kind) + std::to_string(group) + "_" + std::to_string(k) +
         "@example.com";
}

}  // namespace

Tenant BuildFixtureTenant(const Directory& directory) {
  // Larger groups than Teams allows are fine for a closed form.
  LimitProfile limits = LimitProfile::Teams();
  std::map<std::string, std::uint32_t> sizes;
  for (const MemberRow& row : directory.members) ++sizes[row.owner_upn];
  for (const auto& [owner, size] : sizes) {
    limits.members_per_group = std::max(limits.members_per_group, size);
  }
  Diagnostics errors;
  std::optional<Tenant> tenant = Tenant::Build(directory, limits, &errors);
  if (!tenant) {
    std::fprintf(stderr, "fixture tenant refused\n");
    std::abort();
  }
  return std::move(*tenant);
}

Directory MakeGroupDirectory(std::uint32_t groups, std::uint32_t members,
                             RingOrder order,
                             std::uint32_t unanswered_delay_s) {
  Directory directory;
  for (std::uint32_t g = 0; g < groups; ++g) {
    const std::string owner = Upn("owner", g, 0);
    directory.users.push_back({.upn = owner});
    SettingsRow settings;
    settings.upn = owner;
    settings.forwarding = true;
    settings.forwarding_type = ForwardingType::kImmediate;
    settings.forwarding_target_type = TargetType::kGroup;
    settings.unanswered_delay_s = unanswered_delay_s;
    settings.call_group_order = order;
    directory.settings.push_back(settings);
    for (std::uint32_t k = 0; k < members; ++k) {
      directory.users.push_back({.upn = Upn("member", g, k)});
      directory.members.push_back({.owner_upn = owner,
                                   .position = k + 1,
                                   .member_upn = Upn("member", g, k)});
    }
  }
  return directory;
}

Tenant MakeGroupTenant(std::uint32_t groups, std::uint32_t members,
                       RingOrder order, std::uint32_t unanswered_delay_s) {
  return BuildFixtureTenant(
      MakeGroupDirectory(groups, members, order, unanswered_delay_s));
}

Directory MakePeopleDirectory(std::uint32_t users) {
  Directory directory;
  for (std::uint32_t i = 0; i < users; ++i) {
    directory.users.push_back(
        {.upn = "user" + std::to_string(i) + "@example.com"});
  }
  directory.policies.push_back({.name = "Global"});
  return directory;
}

SimConfig MakeOwnerConfig(double calls_per_hour, double holding_s,
                          double duration_s) {
  SimConfig config;
  config.run.duration_s = duration_s;
  config.run.replications = 20;
  config.traffic.calls_per_hour = calls_per_hour;
  config.traffic.pstn_share = 0.0;
  config.traffic.holding = {DurationDistribution::Kind::kExponential, holding_s,
                            1.0};
  config.traffic.patience = {DurationDistribution::Kind::kFixed, 3600.0, 1.0};
  BehaviourConfig& behaviour = config.behaviour;
  behaviour.presence.share = {1.0, 0.0, 0.0, 0.0, 0.0};
  behaviour.owner_answer_probability = 1.0;
  behaviour.owner_answer_delay = {DurationDistribution::Kind::kFixed, 0.0, 1.0};
  return config;
}

SimConfig MakeGroupConfig(double calls_per_hour, double holding_s,
                          double duration_s, double probability,
                          double delay_s) {
  SimConfig config;
  config.run.duration_s = duration_s;
  config.run.replications = 20;
  config.traffic.calls_per_hour = calls_per_hour;
  config.traffic.callees = CalleeSet::kGroupOwners;
  config.traffic.pstn_share = 1.0;
  config.traffic.holding = {DurationDistribution::Kind::kExponential, holding_s,
                            1.0};
  config.traffic.patience = {DurationDistribution::Kind::kFixed, 3600.0, 1.0};
  BehaviourConfig& behaviour = config.behaviour;
  behaviour.presence.share = {1.0, 0.0, 0.0, 0.0, 0.0};
  behaviour.owner_answers = false;
  behaviour.answer[std::size_t(Notification::kRing)] = {
      probability, {DurationDistribution::Kind::kFixed, delay_s, 1.0}};
  return config;
}

SimConfig MakeErlangConfig(std::uint32_t groups, double erlangs,
                           double holding_s, double duration_s) {
  const double calls_per_hour = groups * erlangs * 3600.0 / holding_s;
  SimConfig config =
      MakeGroupConfig(calls_per_hour, holding_s, duration_s, 1.0, 0.0);
  // Ten holding times bring the empty start close to equilibrium.
  config.run.warmup_s = 10 * holding_s;
  return config;
}

Interval OverReplications(
    const std::vector<ReplicationResult>& results,
    const std::function<double(const ReplicationResult&)>& f) {
  const double n = double(results.size());
  double sum = 0, sum_sq = 0;
  for (const ReplicationResult& r : results) {
    const double x = f(r);
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / n;
  const double variance = (sum_sq - n * mean * mean) / (n - 1);
  constexpr double kT19 = 2.093;
  return {mean, kT19 * std::sqrt(std::max(variance, 0.0) / n)};
}

double MeanTimeToAnswer(const ReplicationResult& result) {
  double sum = 0, count = 0;
  for (auto&& bin : boost::histogram::indexed(result.time_to_answer)) {
    sum += *bin * bin.bin().center();
    count += *bin;
  }
  return count == 0 ? 0.0 : sum / count;
}

// Member k (from 0) starts at k T and is the one who answers with
// probability p (1 - p)^k, at k T + d; given an answer (probability
// 1 - (1 - p)^n) the time to answer is k T + d with probability
// p (1 - p)^k / (1 - (1 - p)^n), so
//   E[TTA] = d + T sum_{k<n} k p (1 - p)^k / (1 - (1 - p)^n).
// The histogram keeps 0.1 s bins, so the expectation is taken of the bin
// centre of each exact time, which is what its mean measures.
double InOrderExpectedBinnedMean(std::uint32_t members, double p,
                                 double delay_s, double turn_s) {
  const TimeToAnswerHistogram histogram = MakeTimeToAnswerHistogram();
  const auto& axis = histogram.axis(0);
  double weighted = 0, answered = 0;
  for (std::uint32_t k = 0; k < members; ++k) {
    const double weight = p * std::pow(1 - p, k);
    weighted += weight * axis.value(axis.index(k * turn_s + delay_s) + 0.5);
    answered += weight;
  }
  return weighted / answered;
}

}  // namespace callshare
