// What `run` and `sweep` add to a scenario for tracing and replay: the
// call log read against the tenant, and the trace of replication 0.
#ifndef CALLSHARE_CLI_CALL_TRACE_H_
#define CALLSHARE_CLI_CALL_TRACE_H_

#include <filesystem>

#include "callshare/sim/config.h"
#include "callshare/tenant/tenant.h"

namespace callshare::cli {

// Reads config->traffic.replay, when set, against `tenant` into
// config->traffic.replay_log. false after printing every finding of the
// log; warnings (rows sorted) are printed too.
bool AttachReplayLog(SimConfig* config, const Tenant& tenant);

// Runs replication 0 of `config` again with a trace sink and writes
// calls.csv and legs.csv into `out`. Replication 0 is a pure function of
// the scenario and seed, so the files match the run's first replication
// whatever the threads or ranks. false after printing why it failed.
bool WriteCallTrace(const SimConfig& config, const Tenant& tenant,
                    const std::filesystem::path& out);

}  // namespace callshare::cli

#endif  // CALLSHARE_CLI_CALL_TRACE_H_
