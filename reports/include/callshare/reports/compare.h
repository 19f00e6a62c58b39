// The compare gate: tests whether a run regressed against a baseline, for
// CI. A share regresses only when the change is both statistically
// significant and larger than a practical tolerance, in the direction that
// is worse for callers; performance regresses when it falls outside a
// ratio band, wide by default because CI machines are noisy.
#ifndef CALLSHARE_REPORTS_COMPARE_H_
#define CALLSHARE_REPORTS_COMPARE_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "callshare/reports/summary.h"
#include "callshare/reports/sweep.h"
#include "callshare/tenant/diagnostic.h"

namespace callshare {

struct CompareOptions {
  // Two-sided significance level of the share tests.
  double alpha = 0.01;
  // Smallest absolute share difference that matters: 0.01 is one point.
  double share_tolerance = 0.01;
  // events_per_second regresses when it falls to baseline *
  // (1 - perf_tolerance) or below: the default fails a halved throughput.
  double perf_tolerance = 0.5;
  // routing latency p99 regresses when it rises to baseline *
  // (1 + latency_tolerance) or above.
  double latency_tolerance = 0.5;
};

enum class Verdict : std::uint8_t { kOk, kImproved, kRegressed };

// "ok", "improved" or "REGRESSED", as the table prints it.
std::string_view Name(Verdict verdict);

// One line of the gate's table; the figures are already formatted.
struct CompareRow {
  std::string metric;
  std::string baseline;
  std::string current;
  std::string change;
  Verdict verdict = Verdict::kOk;
};

struct CompareReport {
  std::vector<CompareRow> rows;

  // True when any row regressed: the gate fails.
  bool Regressed() const;
};

// Compares two runs of one scenario.
CompareReport Compare(const Summary& baseline, const Summary& current,
                      const CompareOptions& options);

// Compares two sweeps point by point, matched by their parameter values.
// Returns nullopt, with a Diagnostic, when the sweeps vary different
// parameters or a baseline point is missing from `current`.
std::optional<CompareReport> Compare(const SweepResult& baseline,
                                     const SweepResult& current,
                                     const CompareOptions& options,
                                     Diagnostics* errors);

// The two-sided p-value of Welch's t-test for equal means; 1 when both
// samples are constant and equal, 0 when constant and different.
// REQUIRES: two values or more on each side.
double WelchPValue(std::span<const double> a, std::span<const double> b);

// The two-sided p-value of the pooled two-proportion z-test of
// successes_a / trials_a against successes_b / trials_b; 1 when either
// side has no trials.
double TwoProportionPValue(std::uint64_t successes_a, std::uint64_t trials_a,
                           std::uint64_t successes_b, std::uint64_t trials_b);

// The report as an aligned table for a terminal, with a closing line that
// counts the regressions.
std::string FormatCompareTable(const CompareReport& report);

// The gate end to end: reads two summary.json (or two sweep.json) files,
// prints the table to `out` and problems to `err`. Returns 0 when nothing
// regressed, 1 when something did, 2 when an input is unreadable, of the
// wrong schema, or the two cannot be matched.
int RunCompare(const std::filesystem::path& baseline,
               const std::filesystem::path& current,
               const CompareOptions& options, std::ostream& out,
               std::ostream& err);

}  // namespace callshare

#endif  // CALLSHARE_REPORTS_COMPARE_H_
