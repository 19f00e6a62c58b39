// Tenants and configurations for the simulator's tests and benchmarks:
// owners whose calls go straight to a call group, so that group pickup
// can be checked against closed forms.
#ifndef CALLSHARE_TESTING_SIM_SIM_FIXTURES_H_
#define CALLSHARE_TESTING_SIM_SIM_FIXTURES_H_

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "callshare/sim/config.h"
#include "callshare/sim/results.h"
#include "callshare/tenant/directory.h"
#include "callshare/tenant/tenant.h"

namespace callshare {

// The tenant of `directory` under the Teams limits raised to fit it;
// aborts when the directory is refused.
Tenant BuildFixtureTenant(const Directory& directory);

// The directory MakeGroupTenant builds, for tests that add to it.
Directory MakeGroupDirectory(std::uint32_t groups, std::uint32_t members,
                             RingOrder order,
                             std::uint32_t unanswered_delay_s = 20);

// `users` users user0@example.com, ... with default calling settings
// (no forwarding, unanswered to voicemail after 20 s) under a Global
// policy of defaults.
Directory MakePeopleDirectory(std::uint32_t users);

// Calls to any user of the tenant, all internal (the caller is another
// user), everyone available, owners answering at once with certainty,
// exponential holding of `holding_s`, callers patient for an hour, 20
// replications.
SimConfig MakeOwnerConfig(double calls_per_hour, double holding_s,
                          double duration_s);

// `groups` owners, each followed in id order by its `members` members;
// every owner forwards Immediate to their Group (the owner never rings),
// unanswered calls go to voicemail after `unanswered_delay_s`.
Tenant MakeGroupTenant(std::uint32_t groups, std::uint32_t members,
                       RingOrder order, std::uint32_t unanswered_delay_s = 20);

// Calls to the group owners only, all from the PSTN, everyone available,
// members answering kRing legs with `probability` after a fixed
// `delay_s`, the owner never answering, callers patient for an hour.
SimConfig MakeGroupConfig(double calls_per_hour, double holding_s,
                          double duration_s, double probability,
                          double delay_s);

// An Erlang loss system of offered load `erlangs` per group: members
// answer at once when free, exponential holding of `holding_s`.
SimConfig MakeErlangConfig(std::uint32_t groups, double erlangs,
                           double holding_s, double duration_s);

// A mean over replications and its 95% half-width (Student t).
struct Interval {
  double mean = 0;
  double half_width = 0;
  bool Contains(double x) const { return std::abs(x - mean) <= half_width; }
};

// The interval of f over `results`. REQUIRES: 20 results, the fixtures'
// replication count (the t quantile is that of 19 degrees of freedom).
Interval OverReplications(
    const std::vector<ReplicationResult>& results,
    const std::function<double(const ReplicationResult&)>& f);

// The mean of a replication's time-to-answer histogram, by bin centres.
double MeanTimeToAnswer(const ReplicationResult& result);

// The mean that MeanTimeToAnswer should find for an InOrder group of
// `members` who each answer with probability p after `delay_s` of their
// `turn_s` turn (see the derivation in the .cc file).
double InOrderExpectedBinnedMean(std::uint32_t members, double p,
                                 double delay_s, double turn_s);

}  // namespace callshare

#endif  // CALLSHARE_TESTING_SIM_SIM_FIXTURES_H_
