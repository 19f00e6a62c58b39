// callshare generate-tenant: writes a synthetic tenant directory.
#include <cstdint>
#include <filesystem>
#include <string>

#include <fmt/core.h>

#include "callshare/tenant/directory_csv.h"
#include "callshare/tenant/generator.h"
#include "commands.h"
#include "log.h"

namespace callshare::cli {
namespace {

struct GenerateArgs {
  GeneratorOptions generator;
  std::filesystem::path out;
};

int RunGenerate(const GenerateArgs& args) {
  const LimitProfile limits = LimitProfile::Teams();
  if (args.generator.groups > limits.groups_per_tenant) {
    fmt::print(stderr,
               "callshare generate-tenant: --groups {} exceeds the tenant "
               "limit of {} call groups\n",
               args.generator.groups, limits.groups_per_tenant);
    return kExitBadInput;
  }
  Log(LogLevel::kInfo, "generating {} users and {} call groups (seed {})",
      args.generator.users, args.generator.groups, args.generator.seed);
  const Directory directory = GenerateDirectory(args.generator, limits);

  Diagnostics errors;
  if (!WriteDirectory(directory, args.out, &errors)) {
    for (const Diagnostic& error : errors) {
      fmt::print(stderr, "{}\n", error.ToString());
    }
    return kExitBadInput;
  }
  fmt::print(
      "wrote {} users, {} policies, {} call group memberships and "
      "{} delegations to {}\n",
      directory.users.size(), directory.policies.size(),
      directory.members.size(), directory.delegates.size(), args.out.string());
  return kExitOk;
}

}  // namespace

void AddGenerateTenantCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* command = app.add_subcommand("generate-tenant",
                                         "Write a synthetic tenant directory");
  command->footer(
      "Write a synthetic tenant directory: users, policies, calling\n"
      "settings, call groups and delegates as the five CSV files that\n"
      "`validate`, `route` and scenarios read. The same seed always\n"
      "writes the same files.\n\n"
      "Example:\n"
      "  callshare generate-tenant --users 100000 --groups 32768 --out big/");
  command->add_option("--users", args->generator.users, "Number of users")
      ->check(CLI::Range(1u, 10'000'000u))
      ->capture_default_str();
  command
      ->add_option("--groups", args->generator.groups,
                   "Number of call groups (at most 32768, the tenant limit)")
      ->capture_default_str();
  command->add_option("--seed", args->generator.seed, "Random seed")
      ->capture_default_str();
  command->add_option("--domain", args->generator.domain, "UPN domain")
      ->capture_default_str();
  command->add_flag("--full-groups", args->generator.full_groups,
                    "Give every group the maximum of 25 members");
  command->add_option("--out", args->out, "Folder to write (created)")
      ->required();
  command->callback([args, exit_code] { *exit_code = RunGenerate(*args); });
}

}  // namespace callshare::cli
