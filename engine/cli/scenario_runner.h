// What `run` and `sweep` share: loading a scenario with its overrides,
// building or loading its tenant, running the replications with a
// progress line, and pooling them into a summary.
#ifndef CALLSHARE_CLI_SCENARIO_RUNNER_H_
#define CALLSHARE_CLI_SCENARIO_RUNNER_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "callshare/reports/summary.h"
#include "callshare/sim/config.h"
#include "callshare/sim/results.h"
#include "callshare/tenant/tenant.h"
#include "progress.h"

namespace callshare::cli {

// The command-line options common to run and sweep.
struct ScenarioArgs {
  std::filesystem::path scenario;
  std::filesystem::path out;  // default out/<scenario name>/
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> replications;
  std::optional<std::uint32_t> threads;
  std::vector<std::string> overrides;  // --set key.path=value
  bool quiet = false;
  bool no_report = false;
  std::string progress_log;  // run --progress-log: CSV of progress reports
};

// Adds the common options to `command`.
void AddScenarioOptions(CLI::App* command, ScenarioArgs* args);

// The scenario with --seed, --replications, --threads and `extra`
// overrides applied after --set; nullopt after printing every error.
std::optional<SimConfig> LoadScenarioWithOverrides(
    const ScenarioArgs& args, const std::vector<std::string>& extra);

// The tenant the scenario names: its CSV directory, or a generated one.
// nullopt after printing every error.
std::optional<Tenant> PrepareTenant(const SimConfig& config);

// Whether every UPN and policy the scenario's events name is in `tenant`;
// false after printing each unknown one against the scenario file.
bool CheckEventNames(const ScenarioArgs& args, const SimConfig& config,
                     const Tenant& tenant);

// Runs every replication of `config` and pools them. `label` prefixes the
// progress line (a sweep names its point). `first_pair` places the
// replications in the job's list of (point, replication) pairs, which MPI
// ranks share out: 0 for a run, the replications of the points before it
// for a sweep's point.
Summary RunAndSummarize(const SimConfig& config, const Tenant& tenant,
                        const std::string& label, std::uint64_t first_pair,
                        ProgressLine* progress);

// The folder results go to: --out, or out/<scenario name>/.
std::filesystem::path OutputFolder(const ScenarioArgs& args,
                                   const SimConfig& config);

// Peak resident set size of this process so far, in bytes.
std::uint64_t PeakRssBytes();

}  // namespace callshare::cli

#endif  // CALLSHARE_CLI_SCENARIO_RUNNER_H_
