// Admin events: the changes an administrator (or a user, for groups) makes
// while a replication runs, applied to the replication's own tenant.
#ifndef CALLSHARE_SIM_ADMIN_EVENTS_H_
#define CALLSHARE_SIM_ADMIN_EVENTS_H_

#include <cstdint>

#include "callshare/rng/xoshiro.h"
#include "callshare/sim/config.h"
#include "callshare/sim/results.h"
#include "callshare/tenant/tenant.h"

namespace callshare {

// Applies `event` to `tenant` through its change methods and describes
// what happened. Every change the tenant refuses for a limit adds one to
// `*limit_rejections` (CreateGroups counts each refused creation). Random
// choices (assign_policy by share, create_groups owners and members) come
// from `rng`, so they are part of the replication's stream.
AppliedEvent ApplyAdminEvent(const AdminEvent& event, Tenant* tenant,
                             Xoshiro256pp& rng,
                             std::uint64_t* limit_rejections);

}  // namespace callshare

#endif  // CALLSHARE_SIM_ADMIN_EVENTS_H_
