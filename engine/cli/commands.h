// The subcommands of `callshare`. Each Add*Command registers one with its
// options and help; when the command line selects it, its callback runs
// and stores the process exit code in *exit_code:
//   0 success, 1 findings (invalid directory, regression), 2 bad input.
#ifndef CALLSHARE_CLI_COMMANDS_H_
#define CALLSHARE_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

namespace callshare::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitBadInput = 2;

void AddGenerateTenantCommand(CLI::App& app, int* exit_code);
void AddValidateCommand(CLI::App& app, int* exit_code);
void AddRouteCommand(CLI::App& app, int* exit_code);
void AddRunCommand(CLI::App& app, int* exit_code);
void AddSweepCommand(CLI::App& app, int* exit_code);
void AddCompareCommand(CLI::App& app, int* exit_code);
void AddKeysCommand(CLI::App& app, int* exit_code);
void AddExplainCommand(CLI::App& app, int* exit_code);

}  // namespace callshare::cli

#endif  // CALLSHARE_CLI_COMMANDS_H_
