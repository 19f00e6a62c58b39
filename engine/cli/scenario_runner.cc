#include "scenario_runner.h"

#include <sys/resource.h>

#include <chrono>

#include <fmt/core.h>

#include "callshare/reports/sweep.h"
#include "callshare/scenario/scenario.h"
#include "callshare/sim/admin_events.h"
#include "callshare/sim/simulator.h"
#include "callshare/tenant/directory_csv.h"
#include "callshare/tenant/generator.h"
#include "log.h"
#include "mpi_runner.h"

namespace callshare::cli {
namespace {

void PrintDiagnostics(const Diagnostics& diagnostics) {
  for (const Diagnostic& diagnostic : diagnostics) {
    // Every rank reads the same inputs: warnings come from rank 0 alone,
    // errors from any rank, since a path one node cannot see fails there.
    if (!IsLeadRank() && diagnostic.severity != Diagnostic::Severity::kError) {
      continue;
    }
    fmt::print(stderr, "{}\n", diagnostic.ToString());
  }
}

std::string ProgressText(const std::string& label, const Progress& progress,
                         double wall_s) {
  const double events_per_s =
      wall_s > 0 ? double(progress.events) / wall_s : 0.0;
  return fmt::format(
      "{}replication {}  t={:.0f}/{:.0f}s  calls {}  "
      "{:.1f} M events/s",
      label, progress.replication + 1, progress.simulated_s,
      progress.duration_s, progress.calls, events_per_s / 1e6);
}

// The size of every call group when all are alike and ring
// simultaneously; nullopt otherwise.
std::optional<std::size_t> UniformSimultaneousGroupSize(const Tenant& tenant) {
  std::optional<std::size_t> size;
  for (GroupId group = 0; group < tenant.group_count(); ++group) {
    const UserRecord& owner = tenant.user(tenant.group_owner(group));
    const std::size_t members = tenant.members(group).size();
    if (owner.call_group_order != RingOrder::kSimultaneous) return std::nullopt;
    if (size && *size != members) return std::nullopt;
    size = members;
  }
  return size;
}

// A scenario is an Erlang loss system when calls go only to owners who
// never answer, members answer at once when free, traffic is Poisson at a
// constant rate and every group is alike: the voicemail share is then
// Erlang B. The hint lets reports draw that curve beside the results.
void AddErlangLossHint(const SimConfig& config, const Tenant& tenant,
                       ParameterList* parameters) {
  const AnswerModel& ring =
      config.behaviour.answer[std::size_t(Notification::kRing)];
  const bool instant_answer =
      ring.probability == 1.0 && ring.delay.mean_s <= 1e-3;
  const bool poisson =
      config.traffic.profile.empty() && config.traffic.replay.empty() &&
      config.traffic.holding.kind == DurationDistribution::Kind::kExponential;
  if (config.traffic.callees != CalleeSet::kGroupOwners ||
      config.behaviour.owner_answers || !instant_answer || !poisson) {
    return;
  }
  const std::optional<std::size_t> servers =
      UniformSimultaneousGroupSize(tenant);
  if (!servers || tenant.group_count() == 0) return;

  const double erlangs = config.traffic.calls_per_hour / 3600.0 *
                         config.traffic.holding.mean_s /
                         double(tenant.group_count());
  parameters->emplace_back(std::string(kErlangServersKey),
                           std::to_string(*servers));
  parameters->emplace_back(std::string(kErlangOfferedKey),
                           fmt::format("{}", erlangs));
}

// What a debug log opens a run with: every effective key, as the run's
// scenario.toml will hold it, and the tenant's size.
void LogResolvedRun(const SimConfig& config, const Tenant& tenant,
                    const std::string& label) {
  if (!IsLeadRank() || !LogEnabled(LogLevel::kDebug)) return;
  Log(LogLevel::kDebug, "{}resolved scenario {}:\n{}", label, config.run.name,
      ScenarioToToml(config));
  Log(LogLevel::kDebug, "{}tenant: {} users, {} call groups", label,
      tenant.user_count(), tenant.group_count());
}

// "rank 2: " when MPI runs several ranks, else nothing.
std::string RankPrefix() {
  return MpiSize() > 1 ? fmt::format("rank {}: ", MpiRank()) : "";
}

ParameterList ParametersOf(const SimConfig& config) {
  ParameterList parameters;
  for (const ScenarioEntry& entry : DescribeScenario(config)) {
    parameters.emplace_back(entry.key, entry.value);
  }
  return parameters;
}

}  // namespace

void AddScenarioOptions(CLI::App* command, ScenarioArgs* args) {
  command->add_option("SCENARIO", args->scenario, "Scenario file (TOML)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--out", args->out,
                      "Folder for results (default out/<scenario name>/)");
  command->add_option("--seed", args->seed, "Override run.seed");
  command->add_option("--replications", args->replications,
                      "Override run.replications");
  command->add_option("--threads", args->threads,
                      "Worker threads (default: run.threads, 0 = one per "
                      "core); results do not depend on it");
  command->add_option("--set", args->overrides,
                      "Override any scenario key by its dotted path, e.g. "
                      "--set traffic.calls_per_hour=500 (repeatable; "
                      "`callshare keys` lists them)");
  command->add_flag("--quiet", args->quiet, "No progress line");
  command->add_flag("--no-report", args->no_report,
                    "Skip report.html (the JSON and CSV files are still "
                    "written)");
}

std::optional<SimConfig> LoadScenarioWithOverrides(
    const ScenarioArgs& args, const std::vector<std::string>& extra) {
  std::vector<std::string> overrides = args.overrides;
  if (args.seed) overrides.push_back(fmt::format("run.seed={}", *args.seed));
  if (args.replications) {
    overrides.push_back(fmt::format("run.replications={}", *args.replications));
  }
  if (args.threads) {
    overrides.push_back(fmt::format("run.threads={}", *args.threads));
  }
  overrides.insert(overrides.end(), extra.begin(), extra.end());

  Diagnostics errors;
  std::optional<SimConfig> config =
      LoadScenario(args.scenario, overrides, &errors);
  PrintDiagnostics(errors);
  return config;
}

std::optional<Tenant> PrepareTenant(const SimConfig& config) {
  Diagnostics errors;
  std::optional<Tenant> tenant;
  if (config.tenant.generated()) {
    const auto& options = std::get<GeneratorOptions>(config.tenant.source);
    Log(LogLevel::kInfo, "generating a tenant of {} users, {} call groups",
        options.users, options.groups);
    tenant = Tenant::Build(GenerateDirectory(options, config.tenant.limits),
                           config.tenant.limits, &errors);
  } else {
    const auto& folder = std::get<std::filesystem::path>(config.tenant.source);
    Log(LogLevel::kInfo, "loading the tenant directory {}", folder.string());
    tenant = LoadTenant(folder, config.tenant.limits, &errors);
    // The loader names a file within the directory, as validate does
    // after the folder; a run must say which directory it read.
    for (Diagnostic& diagnostic : errors) {
      if (!diagnostic.file.empty()) {
        diagnostic.file = (folder / diagnostic.file).string();
      }
    }
  }
  PrintDiagnostics(errors);
  return tenant;
}

bool CheckEventNames(const ScenarioArgs& args, const SimConfig& config,
                     const Tenant& tenant) {
  Diagnostics errors;
  const bool ok = CheckAdminEventNames(config.events, tenant,
                                       args.scenario.string(), &errors);
  PrintDiagnostics(errors);
  return ok;
}

Summary RunAndSummarize(const SimConfig& config, const Tenant& tenant,
                        const std::string& label, std::uint64_t first_pair,
                        ProgressLine* progress) {
  // The clock's 5 ms calibration is set-up, not simulation: the
  // quickstart's whole run takes 10 ms.
  CalibrateRoutingClock();
  const auto started = std::chrono::steady_clock::now();
  const auto elapsed_s = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         started)
        .count();
  };

  // Each replication reports its own simulated time; the share done is
  // the mean over the replications this rank runs, whichever worker runs
  // them.
  std::vector<double> done(std::max(1u, config.run.replications), 0.0);
  const std::uint32_t own_replications =
      ReplicationsOnThisRank(config.run.replications, first_pair);
  const double own = std::max(1u, own_replications);
  double done_total = 0;
  ProgressFn on_progress = [&](const Progress& p) {
    const double within =
        p.duration_s > 0 ? std::min(1.0, p.simulated_s / p.duration_s) : 1.0;
    done_total += within - done[p.replication];
    done[p.replication] = within;
    const double wall_s = elapsed_s();
    progress->Update(done_total / own, ProgressText(label, p, wall_s));
    progress->Record(p, wall_s);
  };
  const bool draw = progress->enabled() && IsLeadRank();

  // At debug level each rank says when each of its replications ends: the
  // last progress report of a replication reaches its duration. Only then
  // does the simulator take the time to report progress without a line
  // to draw.
  const bool debug = LogEnabled(LogLevel::kDebug);
  const std::string rank = RankPrefix();
  ProgressFn report;
  if (draw || debug) {
    report = [&](const Progress& p) {
      if (draw) on_progress(p);
      if (debug && p.simulated_s >= p.duration_s) {
        Log(LogLevel::kDebug,
            "{}{}replication {} finished: {} calls, {} events, {:.2f} s "
            "into the run",
            rank, label, p.replication + 1, p.calls, p.events, elapsed_s());
      }
    };
  }
  LogResolvedRun(config, tenant, label);
  std::vector<ReplicationResult> results =
      RunReplicationsOnRanks(config, tenant, first_pair, report);
  progress->Finish();

  RunInfo info;
  info.scenario = config.run.name;
  info.seed = config.run.seed;
  info.replications = config.run.replications;
  info.parameters = ParametersOf(config);
  AddErlangLossHint(config, tenant, &info.parameters);
  info.router_mode = std::string(Name(config.run.router_mode));
  info.wall_s = elapsed_s();
  info.peak_rss_bytes = MaxOverRanks(PeakRssBytes());
  // The workers this rank started, not the request: 0 asks for one per
  // core, a run never starts more workers than it has replications, and a
  // rank with no replication of this point starts none.
  info.threads = own_replications == 0
                     ? 0
                     : WorkerThreads(config.run.threads, own_replications);
  return Summarize(results, info);
}

std::filesystem::path OutputFolder(const ScenarioArgs& args,
                                   const SimConfig& config) {
  if (!args.out.empty()) return args.out;
  return std::filesystem::path("out") / config.run.name;
}

std::uint64_t PeakRssBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return std::uint64_t(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

}  // namespace callshare::cli
