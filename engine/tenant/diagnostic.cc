#include "callshare/tenant/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace callshare {

std::string Diagnostic::ToString() const {
  // Written through fmt: g++ 12 at -O3 warns falsely on chained
  // std::string concatenation here.
  fmt::memory_buffer text;
  auto out = std::back_inserter(text);
  if (!file.empty()) {
    fmt::format_to(out, "{}", file);
    if (line != 0) fmt::format_to(out, ":{}", line);
    fmt::format_to(out, ": ");
  }
  if (!field.empty()) fmt::format_to(out, "{}: ", field);
  fmt::format_to(out, "{}", message);
  return fmt::to_string(text);
}

bool HasErrors(const Diagnostics& diagnostics) {
  return std::any_of(
      diagnostics.begin(), diagnostics.end(), [](const Diagnostic& diagnostic) {
        return diagnostic.severity == Diagnostic::Severity::kError;
      });
}

}  // namespace callshare
