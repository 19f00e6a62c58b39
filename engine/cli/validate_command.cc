// callshare validate: checks a tenant directory and audits what it
// describes.
#include <filesystem>
#include <map>
#include <string>
#include <utility>

#include <fmt/core.h>

#include "callshare/tenant/directory_csv.h"
#include "commands.h"

namespace callshare::cli {
namespace {

struct ValidateArgs {
  std::filesystem::path folder;
  bool errors_only = false;
};

// Where in the directory files each user and relationship was written, so
// that audit warnings about tenant state point at a line a person can
// edit.
class RowLocator {
 public:
  explicit RowLocator(const Directory& directory) {
    for (const UserRow& row : directory.users) users_[row.upn] = row.line;
    for (const MemberRow& row : directory.members) {
      members_.try_emplace({row.owner_upn, row.member_upn}, row.line);
      members_.try_emplace({row.owner_upn, ""}, row.line);
    }
    for (const DelegateRow& row : directory.delegates) {
      delegates_.try_emplace({row.delegator_upn, row.delegate_upn}, row.line);
    }
  }

  std::string Locate(const Tenant& tenant, const AuditFinding& finding) const {
    const std::string user(UpnOr(tenant, finding.user));
    const std::string other(UpnOr(tenant, finding.other));
    switch (finding.kind) {
      case AuditFinding::Kind::kStaleDelegation:
        return At(kDelegatesFile, delegates_, {user, other});
      case AuditFinding::Kind::kIneligibleMember:
        if (auto it = delegates_.find({user, other}); it != delegates_.end()) {
          return fmt::format("{}:{}", kDelegatesFile, it->second);
        }
        return At(kMembersFile, members_, {user, other});
      case AuditFinding::Kind::kStaleCallGroup:
      case AuditFinding::Kind::kInOrderTooLarge:
      case AuditFinding::Kind::kIneligibleOwner:
        return At(kMembersFile, members_, {user, ""});
      default:
        if (auto it = users_.find(user); it != users_.end()) {
          return fmt::format("{}:{}", kUsersFile, it->second);
        }
        return "tenant";
    }
  }

 private:
  using Key = std::pair<std::string, std::string>;

  static std::string_view UpnOr(const Tenant& tenant, UserId user) {
    return user == kNoUser ? std::string_view() : tenant.upn(user);
  }

  static std::string At(const char* file,
                        const std::map<Key, std::uint32_t>& lines,
                        const Key& key) {
    auto it = lines.find(key);
    if (it == lines.end()) return file;
    return fmt::format("{}:{}", file, it->second);
  }

  std::map<std::string, std::uint32_t> users_;
  std::map<Key, std::uint32_t> members_;
  std::map<Key, std::uint32_t> delegates_;
};

// Reading and building both run whatever either finds, so that every error
// is printed at once; the audit needs tables, so it runs only when there
// is none.
int RunValidate(const ValidateArgs& args) {
  Diagnostics errors;
  RejectedRows rejected;
  const Directory directory = ReadParsedRows(args.folder, &rejected, &errors);
  const std::optional<Tenant> tenant =
      Tenant::Build(directory, LimitProfile::Teams(), &errors, rejected);
  for (const Diagnostic& error : errors) {
    fmt::print("{}/{}\n", args.folder.string(), error.ToString());
  }
  if (!tenant) return kExitFindings;

  const RowLocator locator(directory);
  const std::vector<AuditFinding> findings = tenant->Audit();
  for (const AuditFinding& finding : findings) {
    fmt::print("{}/{}: warning: {}\n", args.folder.string(),
               locator.Locate(*tenant, finding), finding.message);
  }
  if (findings.empty()) {
    fmt::print(stderr, "{}: valid: {} users, {} call groups, clean\n",
               args.folder.string(), tenant->user_count(),
               tenant->group_count());
    return kExitOk;
  }
  fmt::print(stderr, "{}: valid, with {} audit warnings\n",
             args.folder.string(), findings.size());
  return args.errors_only ? kExitOk : kExitFindings;
}

}  // namespace

void AddValidateCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ValidateArgs>();
  CLI::App* command =
      app.add_subcommand("validate", "Check a tenant directory and audit it");
  command->footer(
      "Check a tenant directory: every error at once as\n"
      "`file:line: field: message`, first the rows that do not parse, file\n"
      "by file, then unknown users and policies, duplicates and broken\n"
      "limits among the rows that do. A valid directory is then audited\n"
      "(stale call groups and delegations, ineligible owners and members,\n"
      "forward cycles, InOrder groups too large to ring in order), each\n"
      "finding a warning.\n"
      "Exit 0 when valid and clean, 1 when there is any finding.\n\n"
      "Example:\n"
      "  callshare validate big/ --errors-only");
  command->add_option("DIR", args->folder, "Tenant directory folder")
      ->required()
      ->check(CLI::ExistingDirectory);
  command->add_flag("--errors-only", args->errors_only,
                    "Exit 0 when the directory is valid, whatever the audit "
                    "finds");
  command->callback([args, exit_code] { *exit_code = RunValidate(*args); });
}

}  // namespace callshare::cli
