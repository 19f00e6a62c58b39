// Admin events: the changes an administrator (or a user, for groups) makes
// while a replication runs, applied to the replication's own tenant, and
// the check that the names they use exist before the run starts.
#ifndef CALLSHARE_SIM_ADMIN_EVENTS_H_
#define CALLSHARE_SIM_ADMIN_EVENTS_H_

#include <cstdint>
#include <span>
#include <string>

#include "callshare/rng/xoshiro.h"
#include "callshare/sim/config.h"
#include "callshare/sim/results.h"
#include "callshare/tenant/diagnostic.h"
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

// Checks that every UPN and policy name of `events` is in `tenant`, the
// tenant the run starts from; returns false after appending one error per
// unknown name to `errors` as "file:line: events[N].key: message", where
// `file` names the scenario and line and N come from each event. Only
// names are checked: whether a change fits the limits or the tenant's
// state at its time is modelled behaviour, decided when it applies.
// REQUIRES: errors != nullptr.
bool CheckAdminEventNames(std::span<const AdminEvent> events,
                          const Tenant& tenant, const std::string& file,
                          Diagnostics* errors);

}  // namespace callshare

#endif  // CALLSHARE_SIM_ADMIN_EVENTS_H_
