// The HTML report: scripts/report.py draws the charts with matplotlib and
// writes one self-contained report.html from the files of a run folder
// (summary.json and its CSVs, and sweep.csv / sweep.json for a sweep).
#ifndef CALLSHARE_REPORTS_REPORT_H_
#define CALLSHARE_REPORTS_REPORT_H_

#include <filesystem>

#include "callshare/tenant/diagnostic.h"

namespace callshare {

// The report script: $CALLSHARE_REPORT_SCRIPT when set, else the
// scripts/report.py of the source tree this library was built from.
std::filesystem::path ReportScriptPath();

// Runs /usr/bin/python3 on the report script for `out_dir`, which must
// already hold the run's files. Returns true when the script succeeded and
// report.html exists; false with a Diagnostic otherwise (the script's own
// messages go to stderr).
bool WriteReport(const std::filesystem::path& out_dir, Diagnostics* errors);

}  // namespace callshare

#endif  // CALLSHARE_REPORTS_REPORT_H_
