// callshare: simulate and benchmark Teams call sharing and group call
// pickup. This file only assembles the subcommands; each lives in its own
// *_command.cc.
#include <string>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "log.h"
#include "mpi_runner.h"

namespace {

constexpr const char* kDescription =
    "callshare simulates and benchmarks Microsoft Teams call sharing and\n"
    "group call pickup: call groups rung simultaneously or in order,\n"
    "delegates, forwarding, calling policies and the limits that shape\n"
    "where a call goes.\n\n"
    "Typical session:\n"
    "  callshare generate-tenant --users 10000 --groups 500 --out t/\n"
    "  callshare validate t/\n"
    "  callshare route t/ --callee jo.ekberg.22@contoso.com --pstn\n"
    "  callshare run scenarios/quickstart.toml\n"
    "  callshare sweep scenarios/ring_order.toml \\\n"
    "      --grid limits.in_order_members=3,5\n"
    "  callshare compare reports/baselines/quickstart/summary.json \\\n"
    "      out/quickstart/summary.json\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace callshare::cli;
  MpiSession mpi(&argc, &argv);

  CLI::App app(kDescription, "callshare");
  app.require_subcommand(1);
  app.fallthrough();

  std::string log_level = "warning";
  app.add_option("--log-level", log_level,
                 "Diagnostics on stderr: error, warning, info or debug")
      ->check(CLI::IsMember({"error", "warning", "info", "debug"}))
      ->capture_default_str();

  int exit_code = kExitOk;
  AddGenerateTenantCommand(app, &exit_code);
  AddValidateCommand(app, &exit_code);
  AddRouteCommand(app, &exit_code);
  AddRunCommand(app, &exit_code);
  AddSweepCommand(app, &exit_code);
  AddCompareCommand(app, &exit_code);
  AddKeysCommand(app, &exit_code);
  AddExplainCommand(app, &exit_code);

  // Ranks other than 0 keep errors only, so that a job logs once; at
  // debug level every rank logs, to show which ran what.
  app.parse_complete_callback([&] {
    const LogLevel level = *ParseLogLevel(log_level);
    const bool all_ranks = level == LogLevel::kDebug;
    SetLogLevel(IsLeadRank() || all_ranks ? level : LogLevel::kError);
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  return mpi.End(exit_code);
}
