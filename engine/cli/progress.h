// A one-line progress display for long runs. It draws only when stderr is
// a terminal and the user did not ask for quiet, and never more often
// than a few times a second. It can also log every progress report as a
// CSV line, for soak runs that chart a run's speed over time.
#ifndef CALLSHARE_CLI_PROGRESS_H_
#define CALLSHARE_CLI_PROGRESS_H_

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "callshare/sim/simulator.h"

namespace callshare::cli {

// A time left for the progress line: "42s", "2m05s" under an hour,
// "1.5h" beyond. Rounded to whole seconds first; negative reads as 0s.
std::string FormatSeconds(double seconds);

class ProgressLine {
 public:
  // `log_path`, when not empty, names a CSV file that Record writes to:
  // unix_s,wall_s,replication,simulated_s,calls,events.
  explicit ProgressLine(bool quiet, const std::string& log_path = "");
  ~ProgressLine();

  // Whether progress reports are wanted: a line to draw or a log to write.
  bool enabled() const { return enabled_ || log_ != nullptr; }

  // Appends `progress`, reached after `wall_s` seconds of the run, to the
  // log, if there is one. Thread-safe.
  void Record(const Progress& progress, double wall_s);

  // Redraws the line with `text` and the share done, if the last redraw
  // was long enough ago. Thread-safe.
  void Update(double fraction_done, const std::string& text);

  // Clears the line so that what follows starts on a clean line.
  void Finish();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::FILE* log_ = nullptr;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace callshare::cli

#endif  // CALLSHARE_CLI_PROGRESS_H_
