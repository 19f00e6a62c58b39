// Reading and writing a tenant directory: the five CSV files of a folder.
#ifndef CALLSHARE_TENANT_DIRECTORY_CSV_H_
#define CALLSHARE_TENANT_DIRECTORY_CSV_H_

#include <filesystem>
#include <optional>

#include "callshare/tenant/diagnostic.h"
#include "callshare/tenant/directory.h"
#include "callshare/tenant/limits.h"
#include "callshare/tenant/tenant.h"

namespace callshare {

// Reads the CSV files of `folder` as far as they parse: returns the rows
// whose every field parsed and puts what was left out in `rejected`.
// Every malformed row and file is reported (file, line, field, message),
// file by file in the order users, policies, calling settings, call group
// members, delegates, and each file in line order.
Directory ReadParsedRows(const std::filesystem::path& folder,
                         RejectedRows* rejected, Diagnostics* errors);

// Reads the CSV files of `folder` into rows, reporting as ReadParsedRows
// does; on any error returns nullopt.
std::optional<Directory> ReadDirectory(const std::filesystem::path& folder,
                                       Diagnostics* errors);

// Reads and builds in one step: all of the folder or nothing. Reports
// every error at once, those of reading (as ReadParsedRows) and then those
// of the build, which checks the rows that parsed (see Tenant::Build).
std::optional<Tenant> LoadTenant(const std::filesystem::path& folder,
                                 const LimitProfile& limits,
                                 Diagnostics* errors);

// Writes the five files into `folder` (created if missing). Returns false
// and appends a Diagnostic when a file cannot be written.
bool WriteDirectory(const Directory& directory,
                    const std::filesystem::path& folder, Diagnostics* errors);

}  // namespace callshare

#endif  // CALLSHARE_TENANT_DIRECTORY_CSV_H_
