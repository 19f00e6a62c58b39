#include "log.h"

#include <array>
#include <atomic>
#include <cstdio>

namespace callshare::cli {
namespace {

std::atomic<LogLevel> current_level{LogLevel::kWarning};

constexpr std::array<std::string_view, 4> kLevelNames = {"error", "warning",
                                                         "info", "debug"};

}  // namespace

std::optional<LogLevel> ParseLogLevel(std::string_view name) {
  for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == name) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

void SetLogLevel(LogLevel level) { current_level = level; }

bool LogEnabled(LogLevel level) { return level <= current_level.load(); }

void LogLine(LogLevel level, std::string_view message) {
  std::fprintf(stderr, "callshare: %s: %.*s\n",
               kLevelNames[std::size_t(level)].data(), int(message.size()),
               message.data());
}

}  // namespace callshare::cli
