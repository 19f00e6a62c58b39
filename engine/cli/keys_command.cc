// callshare keys: every scenario key, for --set and for writing scenarios.
#include <fmt/core.h>

#include "callshare/scenario/scenario.h"
#include "commands.h"

namespace callshare::cli {

void AddKeysCommand(CLI::App& app, int* exit_code) {
  CLI::App* command =
      app.add_subcommand("keys", "List every scenario key with its default");
  command->footer(
      "Each key can be written in a scenario file or overridden with\n"
      "--set key.path=value on run and sweep, and swept with --grid.");
  command->callback([exit_code] {
    for (const ScenarioKeyHelp& key : ScenarioKeys()) {
      fmt::print("{:<44} {}{}\n", key.key, key.description,
                 key.default_value.empty()
                     ? ""
                     : fmt::format(" (default {})", key.default_value));
    }
    *exit_code = kExitOk;
  });
}

}  // namespace callshare::cli
