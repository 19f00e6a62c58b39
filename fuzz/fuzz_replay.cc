// Fuzzes the call-log reader behind traffic.replay.
//
// Input: the log's bytes, read against the small test directory's tenant
// with the default column names.
//
// Beyond not crashing: a refused log names an error with a message; an
// accepted one holds calls in time order, every time and duration finite
// and not negative, every callee and caller a user of the tenant (or no
// one, for an outside caller), every line past the header.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "callshare/sim/replay.h"
#include "callshare/tenant/directory_csv.h"
#include "fuzz_util.h"

namespace callshare::fuzz {
namespace {

const Tenant& SmallTenant() {
  static const Tenant kTenant = [] {
    Diagnostics errors;
    std::optional<Tenant> tenant =
        LoadTenant(std::filesystem::path(CALLSHARE_SOURCE_DIR) /
                       "tests/data/directories/small",
                   LimitProfile::Teams(), &errors);
    Require(tenant.has_value(), "the small test directory does not load",
            errors);
    return std::move(*tenant);
  }();
  return kTenant;
}

bool KnownOrOutside(UserId user, const Tenant& tenant) {
  return user == kNoUser || user < tenant.user_count();
}

void CheckCalls(const CallLog& log, const Tenant& tenant) {
  double previous = 0;
  for (const ReplayedCall& call : log.calls) {
    Require(std::isfinite(call.at_s) && call.at_s >= 0,
            "a call at a time that is not finite and not negative");
    Require(call.at_s >= previous, "calls out of time order");
    Require(std::isfinite(call.duration_s) && call.duration_s >= 0,
            "a duration that is not finite and not negative");
    Require(call.callee != kNoUser && KnownOrOutside(call.callee, tenant),
            "a callee that is not a user of the tenant");
    Require(KnownOrOutside(call.caller, tenant),
            "a caller that is not a user of the tenant");
    Require(call.line >= 2, "a call on the header line");
    previous = call.at_s;
  }
}

}  // namespace
}  // namespace callshare::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using namespace callshare;
  using namespace callshare::fuzz;
  static const std::filesystem::path kFile = ScratchFolder() / "calls.csv";
  const Tenant& tenant = SmallTenant();
  WriteBytes(kFile,
             std::string_view(reinterpret_cast<const char*>(data), size));

  Diagnostics errors;
  const std::optional<CallLog> log =
      ReadCallLog(kFile, ReplayColumns{}, tenant, &errors);
  RequireExplained(log.has_value(), errors);
  if (log) CheckCalls(*log, tenant);
  return 0;
}
