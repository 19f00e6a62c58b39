#include "callshare/reports/summary.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include <boost/math/distributions/students_t.hpp>

namespace callshare {
namespace {

constexpr std::array<const char*, kOutcomeCount> kPlainNames = {
    "Answered by the owner",  "Picked up by a group member",
    "Answered by a delegate", "Answered by a forward target",
    "Went to voicemail",      "Busy signal",
    "Caller abandoned",       "Disconnected",
};

double Mean(std::span<const double> values) {
  if (values.empty()) return 0.0;
  return std::accumulate(values.begin(), values.end(), 0.0) /
         double(values.size());
}

// Sample variance, n - 1 in the denominator. REQUIRES: two values or more.
double Variance(std::span<const double> values) {
  const double mean = Mean(values);
  double squares = 0;
  for (double value : values) squares += (value - mean) * (value - mean);
  return squares / double(values.size() - 1);
}

void PoolCounts(const ReplicationResult& result, Summary& summary) {
  summary.offered += result.offered;
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    summary.outcomes[i] += result.outcomes[i];
  }
  summary.flags.stale_routed += result.stale_routed;
  summary.flags.blocked_by_policy += result.blocked_by_policy;
  summary.flags.ineligible_legs += result.ineligible_legs;
  summary.flags.limit_rejections += result.limit_rejections;
  for (std::size_t kind = 0; kind < kNotificationKinds; ++kind) {
    summary.notifications[kind].count += result.notifications_by_kind[kind];
    summary.notifications[kind].pickups += result.pickups_by_notification[kind];
  }
  summary.member_hours += result.member_hours;
  summary.performance.events += result.events;
}

void PoolShares(std::span<const ReplicationResult> results, Summary& summary) {
  for (const ReplicationResult& result : results) {
    ReplicationShares row{result.replication, result.offered, {}};
    for (std::size_t i = 0; i < kOutcomeCount; ++i) {
      row.shares[i] = result.Share(Outcome(i));
    }
    summary.replication_shares.push_back(row);
  }
  std::vector<double> values(results.size());
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    for (std::size_t r = 0; r < results.size(); ++r) {
      values[r] = summary.replication_shares[r].shares[i];
    }
    summary.shares[i] = {Mean(values), ConfidenceHalfWidth95(values)};
  }
}

// Slices are matched by their start, so replications whose timelines end
// at different times still pool.
std::vector<TimeSlice> PoolTimeline(
    std::span<const ReplicationResult> results) {
  std::map<double, TimeSlice> by_start;
  for (const ReplicationResult& result : results) {
    for (const TimeSlice& slice : result.timeline) {
      TimeSlice& pooled = by_start[slice.start_s];
      pooled.start_s = slice.start_s;
      for (std::size_t i = 0; i < kOutcomeCount; ++i) {
        pooled.outcomes[i] += slice.outcomes[i];
      }
      pooled.stale_routed += slice.stale_routed;
      pooled.blocked_by_policy += slice.blocked_by_policy;
    }
  }
  std::vector<TimeSlice> timeline;
  for (auto& [start, slice] : by_start) timeline.push_back(slice);
  return timeline;
}

// The mean of the histogram, with overflow counted at the axis end: a
// lower bound when calls waited past ten minutes, which none do in Teams.
double HistogramMean(const TimeToAnswerHistogram& histogram) {
  double total = 0;
  double weighted = 0;
  for (auto&& cell :
       boost::histogram::indexed(histogram, boost::histogram::coverage::all)) {
    const int index = cell.index();
    if (*cell <= 0 || index < 0) continue;
    const double at = index >= histogram.axis().size() ? kTimeToAnswerMaxS
                                                       : cell.bin().center();
    total += *cell;
    weighted += *cell * at;
  }
  return total > 0 ? weighted / total : 0.0;
}

std::vector<CdfPoint> CdfOf(const TimeToAnswerHistogram& histogram) {
  double total = 0;
  for (auto&& cell :
       boost::histogram::indexed(histogram, boost::histogram::coverage::all)) {
    total += *cell;
  }
  std::vector<CdfPoint> points;
  if (total <= 0) return points;
  double below = 0;
  for (auto&& cell : boost::histogram::indexed(histogram)) {
    if (*cell <= 0) continue;
    below += *cell;
    points.push_back({cell.bin().upper(), below / total});
  }
  return points;
}

std::vector<LatencyBin> BinsOf(const LatencyHistogram& histogram) {
  std::vector<LatencyBin> bins;
  for (auto&& cell : boost::histogram::indexed(histogram)) {
    if (*cell <= 0) continue;
    bins.push_back({cell.bin().lower(), cell.bin().upper(), *cell});
  }
  return bins;
}

void PoolHistograms(std::span<const ReplicationResult> results,
                    Summary& summary) {
  TimeToAnswerHistogram time_to_answer = MakeTimeToAnswerHistogram();
  LatencyHistogram latency = MakeLatencyHistogram();
  double latency_max = 0;
  for (const ReplicationResult& result : results) {
    time_to_answer += result.time_to_answer;
    latency += result.routing_latency_ns;
    latency_max = std::max(latency_max, result.routing_latency_max_ns);
  }
  summary.time_to_answer_s = {
      Quantile(time_to_answer, 0.5), Quantile(time_to_answer, 0.9),
      Quantile(time_to_answer, 0.99), HistogramMean(time_to_answer)};
  summary.routing_latency_ns = {Quantile(latency, 0.5), Quantile(latency, 0.9),
                                Quantile(latency, 0.99),
                                Quantile(latency, 0.999), latency_max};
  summary.time_to_answer_cdf = CdfOf(time_to_answer);
  summary.routing_latency_bins = BinsOf(latency);
}

// Throughput is measured against the run's wall time, since threads run
// replications side by side; without one, the replications' own times.
void FinishPerformance(std::span<const ReplicationResult> results,
                       const RunInfo& info, Summary& summary) {
  double wall_s = info.wall_s;
  if (wall_s <= 0) {
    for (const ReplicationResult& result : results) wall_s += result.wall_s;
  }
  PerformanceSummary& performance = summary.performance;
  performance.wall_s = wall_s;
  performance.peak_rss_bytes = info.peak_rss_bytes;
  performance.events_per_second =
      wall_s > 0 ? double(performance.events) / wall_s : 0.0;
  for (NotificationSummary& kind : summary.notifications) {
    kind.per_member_hour = summary.member_hours > 0
                               ? double(kind.count) / summary.member_hours
                               : 0.0;
  }
}

// Admin events are the same script in every replication, so one copy is
// enough: replication 0's, wherever it sits in the span.
std::vector<AppliedEvent> AdminEventsOfFirst(
    std::span<const ReplicationResult> results) {
  const auto first = std::find_if(
      results.begin(), results.end(),
      [](const ReplicationResult& result) { return result.replication == 0; });
  if (first != results.end()) return first->admin_events;
  return results.empty() ? std::vector<AppliedEvent>{}
                         : results[0].admin_events;
}

}  // namespace

std::optional<double> ConfidenceHalfWidth95(std::span<const double> values) {
  if (values.size() < 2) return std::nullopt;
  const double n = double(values.size());
  const boost::math::students_t distribution(n - 1);
  const double t =
      boost::math::quantile(boost::math::complement(distribution, 0.025));
  return t * std::sqrt(Variance(values) / n);
}

Summary Summarize(std::span<const ReplicationResult> results,
                  const RunInfo& info) {
  Summary summary;
  summary.scenario = info.scenario;
  summary.seed = info.seed;
  summary.replications = std::uint32_t(results.size());
  summary.parameters = info.parameters;
  summary.router_mode = info.router_mode;
  summary.threads = info.threads;

  for (const ReplicationResult& result : results) PoolCounts(result, summary);
  PoolShares(results, summary);
  PoolHistograms(results, summary);
  FinishPerformance(results, info, summary);
  summary.timeline = PoolTimeline(results);
  summary.admin_events = AdminEventsOfFirst(results);
  return summary;
}

const char* PlainName(Outcome outcome) {
  return kPlainNames[std::size_t(outcome)];
}

std::optional<Outcome> ParseOutcome(std::string_view name) {
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    if (Name(Outcome(i)) == name) return Outcome(i);
  }
  return std::nullopt;
}

}  // namespace callshare
