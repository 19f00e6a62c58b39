// The call trace as two CSV tables, written beside summary.json by
// `callshare run --trace` and read back by `callshare explain`:
//   calls.csv  id,arrival_s,callee,caller_kind,caller,legs_rung,outcome,
//              answered_by,time_to_answer_s,flags
//   legs.csv   call_id,leg,target,role,notification,start_s,ring_s,fate
// UTF-8, a header row, RFC 4180 quoting. docs/summary-schema.md describes
// every column.
#ifndef CALLSHARE_REPORTS_TRACE_CSV_H_
#define CALLSHARE_REPORTS_TRACE_CSV_H_

#include <filesystem>
#include <string>

#include "callshare/sim/trace.h"
#include "callshare/tenant/diagnostic.h"
#include "callshare/tenant/tenant.h"

namespace callshare {

// calls.csv of `trace`; UPNs and numbers are named through `tenant`.
std::string TraceCallsCsv(const CallTrace& trace, const Tenant& tenant);

// legs.csv of `trace`.
std::string TraceLegsCsv(const CallTrace& trace, const Tenant& tenant);

// A ring leg's target as text: the user's UPN or the number.
std::string TargetName(TargetRef target, const Tenant& tenant);

// "pstn", "internal" (a caller of the tenant) or "external" (a replayed
// call from outside the tenant that is not PSTN).
std::string_view CallerKind(const TracedCall& call);

// The plan flags joined by '|', e.g. "stale_routed|blocked_by_policy".
std::string PlanFlagNames(std::uint8_t flags);

// Writes calls.csv and legs.csv into `out_dir`, which must exist. Returns
// false and appends a Diagnostic for a file that cannot be written.
bool WriteTraceCsvs(const CallTrace& trace, const Tenant& tenant,
                    const std::filesystem::path& out_dir, Diagnostics* errors);

}  // namespace callshare

#endif  // CALLSHARE_REPORTS_TRACE_CSV_H_
