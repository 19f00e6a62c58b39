// callshare run: one scenario, its replications, its summary and report.
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/core.h>

#include "call_trace.h"
#include "callshare/reports/report.h"
#include "callshare/reports/summary_json.h"
#include "callshare/scenario/scenario.h"
#include "commands.h"
#include "log.h"
#include "mpi_runner.h"
#include "scenario_runner.h"

namespace callshare::cli {
namespace {

std::string Percent(const ShareEstimate& share) {
  if (!share.ci95) return fmt::format("{:6.2f}%", 100 * share.mean);
  if (share.clamped()) {
    return fmt::format("{:6.2f}% ({:.2f} to {:.2f})", 100 * share.mean,
                       100 * *share.low(), 100 * *share.high());
  }
  return fmt::format("{:6.2f}% ± {:.2f}", 100 * share.mean, 100 * *share.ci95);
}

void PrintOutcomes(const Summary& summary) {
  fmt::print("{:<34} {:>10}  {}\n", "Outcome", "Calls", "Share (95% CI)");
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    const auto outcome = static_cast<Outcome>(i);
    fmt::print("{:<34} {:>10}  {}\n", PlainName(outcome), summary.outcomes[i],
               Percent(summary.shares[i]));
  }
  fmt::print("{:<34} {:>10}\n\n", "Offered", summary.offered);
}

void PrintTimings(const Summary& summary) {
  const TimeToAnswerSummary& answer = summary.time_to_answer_s;
  fmt::print(
      "Time to answer   p50 {:.1f} s, p90 {:.1f} s, p99 {:.1f} s, "
      "mean {:.1f} s\n",
      answer.p50, answer.p90, answer.p99, answer.mean);
  const LatencySummary& latency = summary.routing_latency_ns;
  fmt::print(
      "Routing latency  p50 {:.0f} ns, p90 {:.0f} ns, p99 {:.0f} ns, "
      "p99.9 {:.0f} ns, max {:.0f} ns\n",
      latency.p50, latency.p90, latency.p99, latency.p999, latency.max);
}

void PrintNotifications(const Summary& summary) {
  fmt::print("Notifications per member-hour");
  for (std::size_t kind = 0; kind < kNotificationKinds; ++kind) {
    fmt::print("  {} {:.3f}", kNotificationKindNames[kind],
               summary.notifications[kind].per_member_hour);
  }
  fmt::print("\n");
}

void PrintFlags(const Summary& summary) {
  const FlagTotals& flags = summary.flags;
  fmt::print(
      "Flags            stale-routed {}, blocked by policy {}, "
      "ineligible legs {}, limit rejections {}\n",
      flags.stale_routed, flags.blocked_by_policy, flags.ineligible_legs,
      flags.limit_rejections);
}

void PrintPerformance(const Summary& summary) {
  const PerformanceSummary& performance = summary.performance;
  fmt::print(
      "Performance      {} events in {:.2f} s wall, {:.1f} M "
      "events/s, peak RSS {:.0f} MiB\n",
      performance.events, performance.wall_s,
      performance.events_per_second / 1e6,
      double(performance.peak_rss_bytes) / (1 << 20));
}

void PrintSummary(const Summary& summary) {
  fmt::print("\n{}: {} replications, seed {}, router {}\n\n", summary.scenario,
             summary.replications, summary.seed, summary.router_mode);
  PrintOutcomes(summary);
  PrintTimings(summary);
  PrintNotifications(summary);
  PrintFlags(summary);
  PrintPerformance(summary);
}

// Writes summary.json, its CSVs, the effective scenario and the report.
bool WriteRunFiles(const Summary& summary, const SimConfig& config,
                   const std::filesystem::path& out, bool with_report) {
  Diagnostics errors;
  bool ok =
      WriteSummaryFiles(summary, out, &errors) &&
      WriteTextFile(out / "scenario.toml", ScenarioToToml(config), &errors);
  if (ok && with_report) ok = WriteReport(out, &errors);
  for (const Diagnostic& error : errors) {
    fmt::print(stderr, "{}\n", error.ToString());
  }
  return ok;
}

int RunScenario(const ScenarioArgs& args) {
  std::optional<SimConfig> config = LoadScenarioWithOverrides(args, {});
  if (!config) return kExitBadInput;
  std::optional<Tenant> tenant = PrepareTenant(*config);
  if (!tenant || !CheckEventNames(args, *config, *tenant)) {
    return kExitBadInput;
  }
  if (!AttachReplayLog(&*config, *tenant)) return kExitBadInput;

  Log(LogLevel::kInfo, "running {}: {} replications of {:.0f} s",
      config->run.name, config->run.replications, config->run.duration_s);
  ProgressLine progress(args.quiet, args.progress_log);
  const Summary summary = RunAndSummarize(*config, *tenant, "", 0, &progress);
  if (!IsLeadRank()) return kExitOk;  // rank 0 holds the results
  PrintSummary(summary);

  const std::filesystem::path out = OutputFolder(args, *config);
  if (!WriteRunFiles(summary, *config, out, !args.no_report)) {
    return kExitBadInput;
  }
  if (config->run.trace && !WriteCallTrace(*config, *tenant, out)) {
    return kExitBadInput;
  }
  fmt::print("\nResults in {}/ (summary.json{})\n", out.string(),
             args.no_report ? "" : ", report.html");
  return kExitOk;
}

}  // namespace

void AddRunCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ScenarioArgs>();
  CLI::App* command =
      app.add_subcommand("run", "Simulate a scenario and report on it");
  command->footer(
      "Simulate the calls a scenario describes against its tenant, for\n"
      "every replication, and write summary.json, the CSV tables behind\n"
      "the charts, the effective scenario.toml and report.html into the\n"
      "output folder. Same scenario and seed, same results, whatever the\n"
      "number of threads.\n\n"
      "Examples:\n"
      "  callshare run scenarios/quickstart.toml\n"
      "  callshare run scenarios/busy_hour.toml --replications 20 \\\n"
      "      --set traffic.calls_per_hour=3000 --out out/busier\n"
      "  callshare run scenarios/quickstart.toml --trace   # then explain");
  AddScenarioOptions(command, args.get());
  command->add_flag_callback(
      "--trace", [args] { args->overrides.push_back("run.trace=true"); },
      "Also write calls.csv and legs.csv: every call of replication 0, "
      "leg by leg (runs replication 0 once more; see `callshare explain`)");
  command->add_option("--progress-log", args->progress_log,
                      "Also write every progress report (about four a "
                      "second) to this CSV file");
  command->callback([args, exit_code] { *exit_code = RunScenario(*args); });
}

}  // namespace callshare::cli
