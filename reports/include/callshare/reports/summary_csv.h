// The CSV tables the charts are drawn from, written beside summary.json:
//   outcomes.csv           outcome,count,share_mean,ci_low,ci_high
//   time_to_answer_cdf.csv seconds,cumulative_share
//   routing_latency.csv    lower_ns,upper_ns,count
//   notifications.csv      kind,notifications,per_member_hour,pickups
//   timeline.csv           start_s,<each outcome>,stale_routed,
//                          blocked_by_policy
//   admin_events.csv       at_s,description,rejected
// UTF-8, a header row, RFC 4180 quoting; an interval bound is empty when
// the run had a single replication.
#ifndef CALLSHARE_REPORTS_SUMMARY_CSV_H_
#define CALLSHARE_REPORTS_SUMMARY_CSV_H_

#include <filesystem>
#include <string>
#include <string_view>

#include "callshare/reports/summary.h"
#include "callshare/tenant/diagnostic.h"

namespace callshare {

// Writes the six tables into `out_dir`, which must exist. Returns false
// and appends a Diagnostic for a file that cannot be written.
bool WriteSummaryCsvs(const Summary& summary,
                      const std::filesystem::path& out_dir,
                      Diagnostics* errors);

// A CSV cell: the text as is, or quoted with doubled quotes when it holds
// a comma, a quote or a line break.
std::string CsvCell(std::string_view text);

// A number as CSV and JSON write it: the shortest text that reads back to
// the same double, so files are identical for identical results.
std::string CsvNumber(double value);

}  // namespace callshare

#endif  // CALLSHARE_REPORTS_SUMMARY_CSV_H_
