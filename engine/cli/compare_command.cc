// callshare compare: the regression gate CI pipelines call.
#include <filesystem>
#include <iostream>

#include "callshare/reports/compare.h"
#include "commands.h"

namespace callshare::cli {
namespace {

struct CompareArgs {
  std::filesystem::path baseline;
  std::filesystem::path current;
  CompareOptions options;
};

}  // namespace

void AddCompareCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* command = app.add_subcommand(
      "compare", "Fail when a run regressed against a baseline");
  command->footer(
      "Compare two summary.json files (or two sweep.json files, point by\n"
      "point). A share regresses only when it moved the worse way by more\n"
      "than --tolerance AND a significance test on the replications says\n"
      "the move is real.\n\n"
      "Performance bands: events per second regresses when it falls to\n"
      "baseline x (1 - --perf-tolerance) or below (by default: halved or\n"
      "worse), routing latency p99 when it rises to baseline x\n"
      "(1 + --latency-tolerance) or above (by default: up by half). One\n"
      "short run on a shared machine is that noisy, so these bands catch\n"
      "only gross slowdowns; scripts/bench-gate, with repeated benchmarks\n"
      "and a U test, is the fine speed check.\n\n"
      "Prints metric, baseline, current, change and verdict, and exits 0\n"
      "when nothing regressed, 1 when something did, 2 on unreadable or\n"
      "mismatched input.\n\n"
      "Example (CI):\n"
      "  callshare compare reports/baselines/quickstart/summary.json \\\n"
      "      out/quickstart/summary.json --tolerance 0.01");
  command->add_option("BASELINE", args->baseline, "Baseline summary/sweep")
      ->required();
  command->add_option("CURRENT", args->current, "Current summary/sweep")
      ->required();
  command
      ->add_option("--tolerance", args->options.share_tolerance,
                   "Smallest share change that matters (0.01 = one point)")
      ->capture_default_str();
  command
      ->add_option("--alpha", args->options.alpha,
                   "Significance level of the share tests")
      ->capture_default_str();
  command
      ->add_option("--perf-tolerance", args->options.perf_tolerance,
                   "Events/s regresses at baseline x (1 - this) or below")
      ->capture_default_str();
  command
      ->add_option("--latency-tolerance", args->options.latency_tolerance,
                   "Latency p99 regresses at baseline x (1 + this) or above")
      ->capture_default_str();
  command->callback([args, exit_code] {
    *exit_code = RunCompare(args->baseline, args->current, args->options,
                            std::cout, std::cerr);
  });
}

}  // namespace callshare::cli
