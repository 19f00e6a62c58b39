// A one-line progress display for long runs. It draws only when stderr is
// a terminal and the user did not ask for quiet, and never more often
// than a few times a second.
#ifndef CALLSHARE_CLI_PROGRESS_H_
#define CALLSHARE_CLI_PROGRESS_H_

#include <chrono>
#include <mutex>
#include <string>

namespace callshare::cli {

class ProgressLine {
 public:
  explicit ProgressLine(bool quiet);
  ~ProgressLine();

  bool enabled() const { return enabled_; }

  // Redraws the line with `text` and the share done, if the last redraw
  // was long enough ago. Thread-safe.
  void Update(double fraction_done, const std::string& text);

  // Clears the line so that what follows starts on a clean line.
  void Finish();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace callshare::cli

#endif  // CALLSHARE_CLI_PROGRESS_H_
