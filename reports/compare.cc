#include "callshare/reports/compare.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>
#include <boost/math/distributions/students_t.hpp>

#include "callshare/reports/summary_json.h"

namespace callshare {
namespace {

// Outcomes that callers would rather not get: more of them is worse. For
// the others (answered one way or another), fewer is worse.
bool MoreIsWorse(Outcome outcome) {
  return outcome == Outcome::kVoicemail || outcome == Outcome::kBusySignal ||
         outcome == Outcome::kAbandoned || outcome == Outcome::kDisconnected;
}

double MeanOf(std::span<const double> values) {
  return std::accumulate(values.begin(), values.end(), 0.0) /
         double(values.size());
}

double VarianceOf(std::span<const double> values) {
  const double mean = MeanOf(values);
  double squares = 0;
  for (double value : values) squares += (value - mean) * (value - mean);
  return squares / double(values.size() - 1);
}

std::string Percent(const ShareEstimate& share) {
  if (!share.ci95) return fmt::format("{:.1f}%", share.mean * 100);
  if (share.clamped()) {
    return fmt::format("{:.1f}% ({:.1f} to {:.1f})", share.mean * 100,
                       *share.low() * 100, *share.high() * 100);
  }
  return fmt::format("{:.1f}% ± {:.1f}", share.mean * 100, *share.ci95 * 100);
}

std::vector<double> SharesOf(const Summary& summary, std::size_t outcome) {
  std::vector<double> shares;
  for (const ReplicationShares& row : summary.replication_shares) {
    shares.push_back(row.shares[outcome]);
  }
  return shares;
}

// Welch's test on the replications when both sides have two or more; the
// z-test on pooled counts otherwise, which treats calls as independent
// and so is the less cautious of the two.
double SharePValue(const Summary& baseline, const Summary& current,
                   std::size_t outcome) {
  const std::vector<double> a = SharesOf(baseline, outcome);
  const std::vector<double> b = SharesOf(current, outcome);
  if (a.size() >= 2 && b.size() >= 2) return WelchPValue(a, b);
  return TwoProportionPValue(baseline.outcomes[outcome], baseline.offered,
                             current.outcomes[outcome], current.offered);
}

CompareRow ShareRow(const Summary& baseline, const Summary& current,
                    std::size_t outcome, const CompareOptions& options) {
  const ShareEstimate& before = baseline.shares[outcome];
  const ShareEstimate& after = current.shares[outcome];
  const double difference = after.mean - before.mean;
  const double p_value = SharePValue(baseline, current, outcome);

  CompareRow row{
      fmt::format("share {}", Name(Outcome(outcome))), Percent(before),
      Percent(after),
      fmt::format("{:+.1f} pt (p={:.2g})", difference * 100, p_value),
      Verdict::kOk};
  const bool significant = p_value < options.alpha;
  const bool practical = std::abs(difference) > options.share_tolerance;
  if (significant && practical) {
    const bool worse =
        MoreIsWorse(Outcome(outcome)) ? difference > 0 : difference < 0;
    row.verdict = worse ? Verdict::kRegressed : Verdict::kImproved;
  }
  return row;
}

// A ratio test: `higher_is_better` says which way is a regression. A move
// of exactly the tolerance is outside the band: "may fall to half" means
// half is already the first failing figure, so an exactly halved
// throughput regresses.
CompareRow RatioRow(std::string metric, double before, double after,
                    double tolerance, bool higher_is_better) {
  CompareRow row{std::move(metric), fmt::format("{:.4g}", before),
                 fmt::format("{:.4g}", after), "n/a", Verdict::kOk};
  if (before <= 0) return row;
  const double ratio = after / before;
  row.change = fmt::format("{:+.1f}%", (ratio - 1) * 100);
  const bool fell = ratio <= 1 - tolerance;
  const bool rose = ratio >= 1 + tolerance;
  if (fell)
    row.verdict = higher_is_better ? Verdict::kRegressed : Verdict::kImproved;
  if (rose)
    row.verdict = higher_is_better ? Verdict::kImproved : Verdict::kRegressed;
  return row;
}

std::string PointLabel(const SweepResult& sweep, const SweepPoint& point) {
  std::string label;
  for (std::size_t i = 0; i < sweep.parameters.size(); ++i) {
    if (!label.empty()) label += " ";
    label += sweep.parameters[i] + "=" + point.values[i];
  }
  return label;
}

const SweepPoint* FindPoint(const SweepResult& sweep,
                            const std::vector<std::string>& values) {
  for (const SweepPoint& point : sweep.points) {
    if (point.values == values) return &point;
  }
  return nullptr;
}

// Columns on a terminal: UTF-8 continuation bytes take no column.
std::size_t DisplayWidth(std::string_view text) {
  return std::size_t(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string Pad(const std::string& text, std::size_t width) {
  return text + std::string(width - DisplayWidth(text), ' ');
}

// Which file kind a document is, by its schema: the gate compares like
// with like.
std::string SchemaOf(const std::filesystem::path& file, Diagnostics* errors) {
  const std::optional<nlohmann::ordered_json> json = ReadJsonFile(file, errors);
  if (!json) return "";
  const auto schema = json->find("schema");
  if (schema == json->end() || !schema->is_string()) {
    errors->push_back(
        {Diagnostic::Severity::kError, file.string(), 0, "schema", "missing"});
    return "";
  }
  return schema->get<std::string>();
}

std::optional<CompareReport> CompareFiles(const std::filesystem::path& base,
                                          const std::filesystem::path& cur,
                                          const CompareOptions& options,
                                          Diagnostics* errors) {
  const std::string schema = SchemaOf(base, errors);
  if (schema.empty()) return std::nullopt;
  if (schema == kSweepSchema) {
    const std::optional<SweepResult> before = ReadSweep(base, errors);
    const std::optional<SweepResult> after = ReadSweep(cur, errors);
    if (!before || !after) return std::nullopt;
    return Compare(*before, *after, options, errors);
  }
  const std::optional<Summary> before = ReadSummary(base, errors);
  const std::optional<Summary> after = ReadSummary(cur, errors);
  if (!before || !after) return std::nullopt;
  if (before->scenario != after->scenario) {
    errors->push_back({Diagnostic::Severity::kWarning, cur.string(), 0,
                       "scenario",
                       fmt::format("\"{}\" differs from the baseline's \"{}\"",
                                   after->scenario, before->scenario)});
  }
  return Compare(*before, *after, options);
}

// "file: field: message". The tenant room's Diagnostic::ToString says the
// same, but the gate should not need the tenant library to link.
std::string Describe(const Diagnostic& diagnostic) {
  std::string text;
  if (!diagnostic.file.empty()) text += diagnostic.file + ": ";
  if (!diagnostic.field.empty()) text += diagnostic.field + ": ";
  return text + diagnostic.message;
}

}  // namespace

std::string_view Name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kOk:
      return "ok";
    case Verdict::kImproved:
      return "improved";
    case Verdict::kRegressed:
      return "REGRESSED";
  }
  return "ok";
}

bool CompareReport::Regressed() const {
  return std::any_of(rows.begin(), rows.end(), [](const CompareRow& row) {
    return row.verdict == Verdict::kRegressed;
  });
}

double WelchPValue(std::span<const double> a, std::span<const double> b) {
  const double na = double(a.size());
  const double nb = double(b.size());
  const double va = VarianceOf(a) / na;
  const double vb = VarianceOf(b) / nb;
  const double difference = MeanOf(b) - MeanOf(a);
  if (va + vb <= 0) return difference == 0 ? 1.0 : 0.0;

  const double t = difference / std::sqrt(va + vb);
  const double degrees =
      (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1));
  const boost::math::students_t distribution(degrees);
  return 2 *
         boost::math::cdf(boost::math::complement(distribution, std::abs(t)));
}

double TwoProportionPValue(std::uint64_t successes_a, std::uint64_t trials_a,
                           std::uint64_t successes_b, std::uint64_t trials_b) {
  if (trials_a == 0 || trials_b == 0) return 1.0;
  const double na = double(trials_a);
  const double nb = double(trials_b);
  const double difference = double(successes_b) / nb - double(successes_a) / na;
  const double pooled = double(successes_a + successes_b) / (na + nb);
  const double variance = pooled * (1 - pooled) * (1 / na + 1 / nb);
  if (variance <= 0) return difference == 0 ? 1.0 : 0.0;
  const double z = difference / std::sqrt(variance);
  return std::erfc(std::abs(z) / std::sqrt(2.0));
}

CompareReport Compare(const Summary& baseline, const Summary& current,
                      const CompareOptions& options) {
  CompareReport report;
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    report.rows.push_back(ShareRow(baseline, current, i, options));
  }
  report.rows.push_back(RatioRow(
      "events_per_second", baseline.performance.events_per_second,
      current.performance.events_per_second, options.perf_tolerance, true));
  report.rows.push_back(RatioRow(
      "routing_latency_ns p99", baseline.routing_latency_ns.p99,
      current.routing_latency_ns.p99, options.latency_tolerance, false));
  return report;
}

std::optional<CompareReport> Compare(const SweepResult& baseline,
                                     const SweepResult& current,
                                     const CompareOptions& options,
                                     Diagnostics* errors) {
  if (baseline.parameters != current.parameters) {
    errors->push_back({Diagnostic::Severity::kError, "", 0, "parameters",
                       "the sweeps vary different parameters"});
    return std::nullopt;
  }
  CompareReport report;
  for (const SweepPoint& point : baseline.points) {
    const std::string label = PointLabel(baseline, point);
    const SweepPoint* match = FindPoint(current, point.values);
    if (match == nullptr) {
      errors->push_back({Diagnostic::Severity::kError, "", 0, "points",
                         "no point " + label + " in the current sweep"});
      return std::nullopt;
    }
    for (CompareRow& row :
         Compare(point.summary, match->summary, options).rows) {
      row.metric = label + ": " + row.metric;
      report.rows.push_back(std::move(row));
    }
  }
  return report;
}

std::string FormatCompareTable(const CompareReport& report) {
  const std::array<std::string, 5> header = {"metric", "baseline", "current",
                                             "change", "verdict"};
  std::array<std::size_t, 5> widths{};
  const auto cells = [](const CompareRow& row) {
    return std::array<std::string, 5>{row.metric, row.baseline, row.current,
                                      row.change,
                                      std::string(Name(row.verdict))};
  };
  for (std::size_t c = 0; c < 5; ++c) widths[c] = DisplayWidth(header[c]);
  for (const CompareRow& row : report.rows) {
    const auto line = cells(row);
    for (std::size_t c = 0; c < 5; ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(line[c]));
    }
  }

  std::string text;
  const auto append = [&](const std::array<std::string, 5>& line) {
    for (std::size_t c = 0; c < 4; ++c) text += Pad(line[c], widths[c]) + "  ";
    text += line[4] + "\n";
  };
  append(header);
  for (const CompareRow& row : report.rows) append(cells(row));
  const auto regressed = std::count_if(
      report.rows.begin(), report.rows.end(),
      [](const CompareRow& row) { return row.verdict == Verdict::kRegressed; });
  text += fmt::format("{} of {} metrics regressed\n", regressed,
                      report.rows.size());
  return text;
}

int RunCompare(const std::filesystem::path& baseline,
               const std::filesystem::path& current,
               const CompareOptions& options, std::ostream& out,
               std::ostream& err) {
  Diagnostics errors;
  const std::optional<CompareReport> report =
      CompareFiles(baseline, current, options, &errors);
  for (const Diagnostic& diagnostic : errors) {
    err << "compare: " << Describe(diagnostic) << "\n";
  }
  if (!report) return 2;
  out << FormatCompareTable(*report);
  return report->Regressed() ? 1 : 0;
}

}  // namespace callshare
