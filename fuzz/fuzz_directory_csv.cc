// Fuzzes the tenant directory reader and the tenant build behind it.
//
// Input: the five CSV files joined by the byte 0x1E (ASCII record
// separator), in the order users, policies, calling settings, call group
// members, delegates. Files past the last separator are absent, which is
// how a directory without its optional files looks.
//
// Beyond not crashing: a refused directory names an error with a message,
// and the build that still checks the rows that parsed builds no tenant;
// an accepted one writes out and reads back to the same rows, and a built
// tenant exports a directory that builds and loads again.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "callshare/tenant/directory_csv.h"
#include "fuzz_util.h"

namespace callshare::fuzz {
namespace {
namespace fs = std::filesystem;

constexpr char kFileSeparator = '\x1e';
constexpr std::array<const char*, 5> kFiles = {
    kUsersFile, kPoliciesFile, kSettingsFile, kMembersFile, kDelegatesFile};

// The folders an input is written to and round-tripped through, made
// once per process.
const fs::path& Folder(const char* name) {
  static const fs::path kInput = ScratchSubfolder("input");
  static const fs::path kFirst = ScratchSubfolder("first");
  static const fs::path kSecond = ScratchSubfolder("second");
  const std::string_view wanted(name);
  return wanted == "input" ? kInput : wanted == "first" ? kFirst : kSecond;
}

void WriteInput(std::string_view bytes, const fs::path& folder) {
  const auto parts = Split(bytes, kFileSeparator, kFiles.size());
  for (std::size_t i = 0; i < kFiles.size(); ++i) {
    if (i < parts.size()) {
      WriteBytes(folder / kFiles[i], parts[i]);
    } else {
      fs::remove(folder / kFiles[i]);
    }
  }
}

std::string FilesOf(const fs::path& folder) {
  std::string bytes;
  for (const char* file : kFiles) bytes += ReadBytes(folder / file) + '\x1e';
  return bytes;
}

// The writer's output reads back without a finding, and writing what was
// read gives the same bytes: the reader and writer agree on quoting.
void CheckRoundTrip(const Directory& directory) {
  Diagnostics errors;
  Require(WriteDirectory(directory, Folder("first"), &errors),
          "WriteDirectory failed", errors);
  const std::optional<Directory> again =
      ReadDirectory(Folder("first"), &errors);
  Require(again.has_value() && errors.empty(),
          "the writer's directory does not read back", errors);
  Require(WriteDirectory(*again, Folder("second"), &errors),
          "WriteDirectory failed", errors);
  Require(FilesOf(Folder("first")) == FilesOf(Folder("second")),
          "directory changed on a write-read-write round trip");
}

// Rows that did not all parse build no tenant, whatever the build makes
// of those that did.
void CheckRefusedBuild(const Directory& directory,
                       const RejectedRows& rejected) {
  Diagnostics errors;
  Require(!Tenant::Build(directory, LimitProfile::Teams(), &errors, rejected)
               .has_value(),
          "a directory with rejected rows builds a tenant", errors);
}

// A built tenant's export builds again, and loads again from its files.
void CheckExport(const Tenant& tenant) {
  Diagnostics errors;
  const Directory exported = tenant.ToDirectory();
  Require(Tenant::Build(exported, LimitProfile::Teams(), &errors).has_value(),
          "the export of a tenant does not build", errors);
  Require(WriteDirectory(exported, Folder("first"), &errors),
          "WriteDirectory failed", errors);
  const std::optional<Tenant> loaded =
      LoadTenant(Folder("first"), LimitProfile::Teams(), &errors);
  Require(loaded.has_value(), "the export of a tenant does not load", errors);
  Require(loaded->user_count() == tenant.user_count() &&
              loaded->group_count() == tenant.group_count(),
          "the export of a tenant loads with other counts");
}

}  // namespace
}  // namespace callshare::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using namespace callshare;
  using namespace callshare::fuzz;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  WriteInput(bytes, Folder("input"));

  Diagnostics errors;
  RejectedRows rejected;
  const Directory directory =
      ReadParsedRows(Folder("input"), &rejected, &errors);
  RequireExplained(!rejected.any, errors);
  if (rejected.any) {
    CheckRefusedBuild(directory, rejected);
    return 0;
  }
  CheckRoundTrip(directory);

  const std::optional<Tenant> tenant =
      Tenant::Build(directory, LimitProfile::Teams(), &errors);
  RequireExplained(tenant.has_value(), errors);
  if (tenant) CheckExport(*tenant);
  return 0;
}
