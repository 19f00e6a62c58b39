#include "call_trace.h"

#include <memory>

#include <fmt/core.h>

#include "callshare/reports/trace_csv.h"
#include "callshare/sim/replay.h"
#include "callshare/sim/simulator.h"
#include "log.h"

namespace callshare::cli {
namespace {

void PrintAll(const Diagnostics& diagnostics) {
  for (const Diagnostic& diagnostic : diagnostics) {
    fmt::print(stderr, "{}\n", diagnostic.ToString());
  }
}

}  // namespace

bool AttachReplayLog(SimConfig* config, const Tenant& tenant) {
  TrafficConfig& traffic = config->traffic;
  if (traffic.replay.empty()) return true;
  Diagnostics findings;
  std::optional<CallLog> log =
      ReadCallLog(traffic.replay, traffic.replay_columns, tenant, &findings);
  // The reader names the log by its file name; a run names the path, so
  // that a planner with several logs of one name knows which is wrong.
  for (Diagnostic& finding : findings) {
    if (!finding.file.empty()) finding.file = traffic.replay.string();
  }
  PrintAll(findings);
  if (!log) return false;
  Log(LogLevel::kInfo, "replaying {} calls from {}", log->calls.size(),
      traffic.replay.string());
  traffic.replay_log = std::make_shared<const CallLog>(std::move(*log));
  return true;
}

bool WriteCallTrace(const SimConfig& config, const Tenant& tenant,
                    const std::filesystem::path& out) {
  Log(LogLevel::kInfo, "tracing replication 0 of {}", config.run.name);
  CallTrace trace;
  SimulatorOptions options;
  options.trace = &trace;
  RunReplication(config, tenant, 0, options, nullptr);
  Diagnostics errors;
  const bool ok = WriteTraceCsvs(trace, tenant, out, &errors);
  PrintAll(errors);
  return ok;
}

}  // namespace callshare::cli
