#include "progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <fmt/core.h>

#include "log.h"

namespace callshare::cli {
namespace {

// Four redraws a second keep the line alive without costing the run.
constexpr auto kRedrawInterval = std::chrono::milliseconds(250);

}  // namespace

std::string FormatSeconds(double seconds) {
  // Rounded to whole seconds before it is split into minutes, so that
  // 119.6 s reads 2m00s rather than 1m60s.
  const long long whole = std::llround(std::max(0.0, seconds));
  if (whole < 60) return fmt::format("{}s", whole);
  if (whole < 3600) return fmt::format("{}m{:02}s", whole / 60, whole % 60);
  return fmt::format("{:.1f}h", seconds / 3600);
}

ProgressLine::ProgressLine(bool quiet, const std::string& log_path)
    : enabled_(!quiet && isatty(STDERR_FILENO) == 1),
      started_(std::chrono::steady_clock::now()),
      last_draw_(started_ - kRedrawInterval) {
  if (log_path.empty()) return;
  log_ = std::fopen(log_path.c_str(), "w");
  if (log_ == nullptr) {
    Log(LogLevel::kWarning, "cannot write the progress log {}", log_path);
    return;
  }
  fmt::print(log_, "unix_s,wall_s,replication,simulated_s,calls,events\n");
}

ProgressLine::~ProgressLine() {
  Finish();
  if (log_ != nullptr) std::fclose(log_);
}

void ProgressLine::Record(const Progress& progress, double wall_s) {
  if (log_ == nullptr) return;
  std::lock_guard lock(mutex_);
  const double unix_s = std::chrono::duration<double>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  fmt::print(log_, "{:.3f},{:.3f},{},{:.3f},{},{}\n", unix_s, wall_s,
             progress.replication, progress.simulated_s, progress.calls,
             progress.events);
  std::fflush(log_);
}

void ProgressLine::Update(double fraction_done, const std::string& text) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;

  const double elapsed = std::chrono::duration<double>(now - started_).count();
  std::string left = "?";
  if (fraction_done > 0.001) {
    left = FormatSeconds(elapsed * (1 - fraction_done) / fraction_done);
  }
  std::fprintf(stderr, "\r\033[K%5.1f%%  %s  %s left", 100 * fraction_done,
               text.c_str(), left.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::Finish() {
  std::lock_guard lock(mutex_);
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

}  // namespace callshare::cli
