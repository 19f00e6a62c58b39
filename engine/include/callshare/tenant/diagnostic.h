// Findings about input files and tenant state, in the one form every
// loader and the audit report them: "file:line: field: message".
#ifndef CALLSHARE_TENANT_DIAGNOSTIC_H_
#define CALLSHARE_TENANT_DIAGNOSTIC_H_

#include <cstdint>
#include <string>
#include <vector>

namespace callshare {

struct Diagnostic {
  enum class Severity : std::uint8_t { kError, kWarning };

  Severity severity = Severity::kError;
  std::string file;        // e.g. "users.csv"; empty for tenant state
  std::uint32_t line = 0;  // 1-based; 0 when not tied to a line
  std::string field;       // column or key; empty when the whole row
  std::string message;

  // "file:line: field: message", leaving out the parts that are empty.
  std::string ToString() const;
};

using Diagnostics = std::vector<Diagnostic>;

bool HasErrors(const Diagnostics& diagnostics);

}  // namespace callshare

#endif  // CALLSHARE_TENANT_DIAGNOSTIC_H_
