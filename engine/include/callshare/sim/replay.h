// Replayed traffic: a call log read into arrivals the simulator plays
// instead of drawing them (traffic.replay). Every replication replays the
// same arrivals; what people do with them is still drawn per replication.
//
// The log is a CSV file with a header row; the column names come from
// ReplayColumns, in any order, and other columns are ignored:
//   timestamp  seconds since the run's start, or an ISO 8601 date-time
//              (YYYY-MM-DDTHH:MM:SS[.fff][Z]); with ISO times the earliest
//              row is second 0. One file uses one form.
//   callee     the UPN of a user of the tenant
//   caller     the UPN of a user, or empty for a caller outside the tenant
//   pstn       true or false
//   duration   the holding time in seconds, used when the call is answered
#ifndef CALLSHARE_SIM_REPLAY_H_
#define CALLSHARE_SIM_REPLAY_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "callshare/sim/config.h"
#include "callshare/tenant/diagnostic.h"
#include "callshare/tenant/tenant.h"

namespace callshare {

// One row of the log, resolved against the tenant.
struct ReplayedCall {
  double at_s = 0;
  UserId callee = kNoUser;
  UserId caller = kNoUser;  // kNoUser for an outside caller
  bool pstn = false;
  double duration_s = 0;   // holding time once answered
  std::uint32_t line = 0;  // the row's line in the file (header is 1)
};

// The calls of a log, sorted by time (ties in file order).
struct CallLog {
  std::vector<ReplayedCall> calls;
};

// Reads the call log at `path` against `tenant`. Returns nullopt when any
// row is wrong, after appending every finding to `errors` as
// "file:line: field: message": an unknown UPN, a bad number or boolean, a
// negative duration, a missing column, an empty file. Rows out of time
// order are sorted, with one warning. REQUIRES: errors != nullptr.
std::optional<CallLog> ReadCallLog(const std::filesystem::path& path,
                                   const ReplayColumns& columns,
                                   const Tenant& tenant, Diagnostics* errors);

}  // namespace callshare

#endif  // CALLSHARE_SIM_REPLAY_H_
