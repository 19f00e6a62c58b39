// Levelled messages for people, on stderr. Results never go here: they are
// written as files by the reports room. Nothing on a hot path logs.
#ifndef CALLSHARE_CLI_LOG_H_
#define CALLSHARE_CLI_LOG_H_

#include <optional>
#include <string_view>

#include <fmt/core.h>

namespace callshare::cli {

enum class LogLevel { kError, kWarning, kInfo, kDebug };

// Parses "error", "warning", "info" or "debug".
std::optional<LogLevel> ParseLogLevel(std::string_view name);

void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);
void LogLine(LogLevel level, std::string_view message);

template <typename... Args>
void Log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) {
  if (LogEnabled(level)) {
    LogLine(level, fmt::format(format, std::forward<Args>(args)...));
  }
}

}  // namespace callshare::cli

#endif  // CALLSHARE_CLI_LOG_H_
