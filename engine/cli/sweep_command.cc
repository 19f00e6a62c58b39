// callshare sweep: one scenario over a grid of parameter values.
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "call_trace.h"
#include "callshare/reports/report.h"
#include "callshare/reports/summary_json.h"
#include "callshare/reports/sweep.h"
#include "commands.h"
#include "mpi_runner.h"
#include "scenario_runner.h"

namespace callshare::cli {
namespace {

struct SweepArgs {
  ScenarioArgs scenario;
  std::vector<std::string> grid;  // "key.path=v1,v2,..."
};

struct GridAxis {
  std::string key;
  std::vector<std::string> values;
};

std::optional<GridAxis> ParseGridAxis(const std::string& text) {
  const std::size_t equals = text.find('=');
  if (equals == std::string::npos || equals == 0) return std::nullopt;
  GridAxis axis{text.substr(0, equals), {}};
  std::size_t start = equals + 1;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    axis.values.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  for (const std::string& value : axis.values) {
    if (value.empty()) return std::nullopt;
  }
  return axis;
}

// Every point of the grid, the last axis varying fastest.
std::vector<std::vector<std::string>> GridPoints(
    const std::vector<GridAxis>& axes) {
  std::vector<std::vector<std::string>> points = {{}};
  for (const GridAxis& axis : axes) {
    std::vector<std::vector<std::string>> next;
    for (const auto& point : points) {
      for (const std::string& value : axis.values) {
        next.push_back(point);
        next.back().push_back(value);
      }
    }
    points = std::move(next);
  }
  return points;
}

std::vector<std::string> PointOverrides(const std::vector<GridAxis>& axes,
                                        const std::vector<std::string>& point) {
  std::vector<std::string> overrides;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    overrides.push_back(axes[i].key + "=" + point[i]);
  }
  return overrides;
}

// Runs one point and writes its own summary files under points/.
// `first_pair` is where the point's replications start in the sweep's
// list of (point, replication) pairs; it is advanced past them, so that
// MPI ranks share out the whole sweep rather than each point alone.
std::optional<Summary> RunPoint(const SweepArgs& args,
                                const std::vector<std::string>& overrides,
                                const std::string& label,
                                const std::filesystem::path& folder,
                                std::uint64_t* first_pair,
                                ProgressLine* progress) {
  std::optional<SimConfig> config =
      LoadScenarioWithOverrides(args.scenario, overrides);
  if (!config) return std::nullopt;
  std::optional<Tenant> tenant = PrepareTenant(*config);
  if (!tenant || !CheckEventNames(args.scenario, *config, *tenant) ||
      !AttachReplayLog(&*config, *tenant)) {
    return std::nullopt;
  }
  Summary summary =
      RunAndSummarize(*config, *tenant, label, *first_pair, progress);
  *first_pair += config->run.replications;
  if (!IsLeadRank()) return summary;  // rank 0 holds the results

  Diagnostics errors;
  if (!WriteSummaryFiles(summary, folder, &errors)) {
    for (const Diagnostic& error : errors) {
      fmt::print(stderr, "{}\n", error.ToString());
    }
    return std::nullopt;
  }
  return summary;
}

int RunSweep(const SweepArgs& args) {
  std::vector<GridAxis> axes;
  for (const std::string& text : args.grid) {
    std::optional<GridAxis> axis = ParseGridAxis(text);
    if (!axis) {
      fmt::print(stderr,
                 "callshare sweep: --grid '{}': expected key.path=v1,v2,...\n",
                 text);
      return kExitBadInput;
    }
    axes.push_back(std::move(*axis));
  }

  // The first point also names the output folder and checks the grid's
  // keys before any long run starts.
  const auto points = GridPoints(axes);
  std::optional<SimConfig> first =
      LoadScenarioWithOverrides(args.scenario, PointOverrides(axes, points[0]));
  if (!first) return kExitBadInput;
  const std::filesystem::path out = OutputFolder(args.scenario, *first);

  SweepResult sweep;
  sweep.scenario = first->run.name;
  for (const GridAxis& axis : axes) sweep.parameters.push_back(axis.key);
  ProgressLine progress(args.scenario.quiet);
  std::uint64_t first_pair = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::string label =
        fmt::format("point {}/{}  ", i + 1, points.size());
    const auto folder = out / "points" / fmt::format("{:03}", i + 1);
    std::optional<Summary> summary =
        RunPoint(args, PointOverrides(axes, points[i]), label, folder,
                 &first_pair, &progress);
    if (!summary) return kExitBadInput;
    fmt::print("{}: {}\n", fmt::join(PointOverrides(axes, points[i]), " "),
               fmt::format("voicemail {:.2f}%, picked up {:.2f}%",
                           100 * summary->shares[4].mean,
                           100 * summary->shares[1].mean));
    sweep.points.push_back({points[i], std::move(*summary)});
  }

  if (!IsLeadRank()) return kExitOk;
  Diagnostics errors;
  bool ok = WriteSweepFiles(sweep, out, &errors);
  if (ok && !args.scenario.no_report) ok = WriteReport(out, &errors);
  for (const Diagnostic& error : errors) {
    fmt::print(stderr, "{}\n", error.ToString());
  }
  if (!ok) return kExitBadInput;
  fmt::print("\n{} points; results in {}/ (sweep.csv, sweep.json{})\n",
             points.size(), out.string(),
             args.scenario.no_report ? "" : ", report.html");
  return kExitOk;
}

}  // namespace

void AddSweepCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<SweepArgs>();
  CLI::App* command = app.add_subcommand(
      "sweep", "Run a scenario over a grid of parameter values");
  command->footer(
      "Run the scenario at every point of the cartesian product of the\n"
      "--grid values (each point with all its replications) and write\n"
      "sweep.csv (one row a point: the parameters, each share's mean and\n"
      "CI bounds, time-to-answer and latency percentiles), sweep.json,\n"
      "each point's own summary under points/, and report.html.\n\n"
      "Example:\n"
      "  callshare sweep scenarios/validation/erlang_c10_a5.toml \\\n"
      "      --grid traffic.calls_per_hour=240,300,420 \\\n"
      "      --grid run.router_mode=as_deployed,enforced");
  AddScenarioOptions(command, &args->scenario);
  command
      ->add_option("--grid", args->grid,
                   "key.path=v1,v2,... : a swept parameter (repeatable)")
      ->required();
  command->callback([args, exit_code] { *exit_code = RunSweep(*args); });
}

}  // namespace callshare::cli
