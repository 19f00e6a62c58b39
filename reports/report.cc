#include "callshare/reports/report.h"

#include <spawn.h>
#include <sys/wait.h>

#include <cstdlib>
#include <string>

extern char** environ;

namespace callshare {
namespace {

// Debian's interpreter, which has matplotlib; a python3 found on PATH may
// belong to a virtual environment without it.
constexpr const char* kPython = "/usr/bin/python3";

void Fail(Diagnostics* errors, const std::filesystem::path& where,
          std::string message) {
  errors->push_back({Diagnostic::Severity::kError, where.string(), 0, "",
                     std::move(message)});
}

// Runs the interpreter without a shell, so no path needs quoting. Returns
// the exit status, or -1 when the process could not start or died.
int RunScript(const std::filesystem::path& script,
              const std::filesystem::path& out_dir) {
  std::string python = kPython;
  std::string script_text = script.string();
  std::string out_text = out_dir.string();
  char* argv[] = {python.data(), script_text.data(), out_text.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, kPython, nullptr, nullptr, argv, environ) != 0) {
    return -1;
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

}  // namespace

std::filesystem::path ReportScriptPath() {
  const char* overridden = std::getenv("CALLSHARE_REPORT_SCRIPT");
  if (overridden != nullptr && *overridden != '\0') return overridden;
  return CALLSHARE_REPORT_SCRIPT_PATH;
}

bool WriteReport(const std::filesystem::path& out_dir, Diagnostics* errors) {
  const std::filesystem::path script = ReportScriptPath();
  if (!std::filesystem::exists(script)) {
    Fail(errors, script,
         "report script not found; set "
         "CALLSHARE_REPORT_SCRIPT to scripts/report.py");
    return false;
  }
  const int status = RunScript(script, out_dir);
  if (status != 0) {
    Fail(errors, script, "failed with status " + std::to_string(status));
    return false;
  }
  if (!std::filesystem::exists(out_dir / "report.html")) {
    Fail(errors, out_dir / "report.html", "was not written");
    return false;
  }
  return true;
}

}  // namespace callshare
