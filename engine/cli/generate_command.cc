// callshare generate-tenant: writes a synthetic tenant directory.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>
#include <fmt/ranges.h>

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

// The owners of the directory's call groups, in the order they appear
// (owners by user id): every owner has at least one member row.
std::vector<std::string_view> GroupOwners(const Directory& directory) {
  std::vector<std::string_view> owners;
  for (const MemberRow& row : directory.members) {
    if (owners.empty() || owners.back() != row.owner_upn) {
      owners.push_back(row.owner_upn);
    }
  }
  return owners;
}

// The generator gives each owner one group and never makes a user their
// own member, so it writes at most one group per user and none at all
// in a tenant of one user: say so rather than write fewer in silence.
void WarnIfFewerGroups(const GenerateArgs& args, std::size_t written) {
  if (written >= args.generator.groups) return;
  const std::string_view why =
      args.generator.users < 2
          ? "a call group needs a member other than its owner"
          : "call groups are capped at one per user";
  Log(LogLevel::kWarning,
      "--groups {}: {}, so {} call groups were written for {} users",
      args.generator.groups, why, written, args.generator.users);
}

// What was written, and a few owners to try `callshare route` on.
void PrintWritten(const GenerateArgs& args, const Directory& directory,
                  const std::vector<std::string_view>& owners) {
  fmt::print(
      "wrote {} users, {} policies, {} call groups ({} memberships) and "
      "{} delegations to {}\n",
      directory.users.size(), directory.policies.size(), owners.size(),
      directory.members.size(), directory.delegates.size(), args.out.string());
  if (owners.empty()) return;
  const std::size_t shown = std::min<std::size_t>(owners.size(), 2);
  fmt::print("call group owners, to route a call to: {}\n",
             fmt::join(owners.begin(), owners.begin() + shown, ", "));
  fmt::print("  callshare route {} --callee {}\n", args.out.string(),
             owners[0]);
}

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
  const std::vector<std::string_view> owners = GroupOwners(directory);
  WarnIfFewerGroups(args, owners.size());

  Diagnostics errors;
  if (!WriteDirectory(directory, args.out, &errors)) {
    for (const Diagnostic& error : errors) {
      fmt::print(stderr, "{}\n", error.ToString());
    }
    return kExitBadInput;
  }
  PrintWritten(args, directory, owners);
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
                   "Number of call groups (at most 32768, the tenant limit, "
                   "and at most one per user)")
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
