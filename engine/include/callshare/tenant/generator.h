// Synthetic tenants: a realistic directory from a handful of parameters,
// the same for the same seed.
#ifndef CALLSHARE_TENANT_GENERATOR_H_
#define CALLSHARE_TENANT_GENERATOR_H_

#include <cstdint>
#include <string>

#include "callshare/tenant/directory.h"
#include "callshare/tenant/limits.h"

namespace callshare {

struct GeneratorOptions {
  std::uint32_t users = 1'000;
  std::uint32_t groups = 100;  // call groups, at most the profile allows
  std::uint64_t seed = 1;
  std::string domain = "contoso.com";
  // Shares of the population; each is a probability in [0, 1].
  double ineligible_share = 0.02;  // not Teams Only or not voice-enabled
  double delegator_share = 0.01;   // users with delegates
  double in_order_share = 0.3;     // groups ringing InOrder
  double forwarding_share = 0.05;  // users forwarding to a single target
  // Group sizes are drawn between these, inclusive.
  std::uint32_t min_group_size = 2;
  std::uint32_t max_group_size = 25;
  // When true every group has max_group_size members (capacity tests).
  bool full_groups = false;
};

// A directory satisfying `limits`: a mix of group sizes, both ring orders,
// all three notifications, delegates, a few policies (one forbidding call
// groups and delegation, so that stale relationships exist) and some
// ineligible users.
Directory GenerateDirectory(const GeneratorOptions& options,
                            const LimitProfile& limits);

}  // namespace callshare

#endif  // CALLSHARE_TENANT_GENERATOR_H_
