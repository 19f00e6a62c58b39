// A run's summary: the replications of one scenario pooled into the
// figures a capacity planner reads and the compare gate tests. Counts and
// histograms are pooled by adding; shares are averaged over replications so
// that their spread gives a confidence interval.
#ifndef CALLSHARE_REPORTS_SUMMARY_H_
#define CALLSHARE_REPORTS_SUMMARY_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "callshare/sim/results.h"

namespace callshare {

// The effective parameters of a scenario, in the order the scenario gives
// them, as text: "members" -> "10".
using ParameterList = std::vector<std::pair<std::string, std::string>>;

// What the runner knows about a run beyond the replications themselves.
struct RunInfo {
  std::string scenario;
  std::uint64_t seed = 0;
  std::uint32_t replications = 0;  // as asked for; the summary counts spans
  ParameterList parameters;
  std::string router_mode;  // "as_deployed" or "enforced"
  double wall_s = 0;        // the whole run, all threads, in seconds
  std::uint64_t peak_rss_bytes = 0;
  std::uint32_t threads = 1;
};

// A share pooled over replications: the mean of the per-replication shares
// and the half-width of its 95% Student t interval; no interval with fewer
// than two replications.
struct ShareEstimate {
  double mean = 0;
  std::optional<double> ci95;

  // The interval's bounds, mean -/+ ci95 kept within [0, 1]: a share
  // cannot leave that range, though the t interval of a share near 0 or
  // 1 over few replications does. nullopt without an interval.
  std::optional<double> low() const {
    if (!ci95) return std::nullopt;
    return std::clamp(mean - *ci95, 0.0, 1.0);
  }
  std::optional<double> high() const {
    if (!ci95) return std::nullopt;
    return std::clamp(mean + *ci95, 0.0, 1.0);
  }

  // Whether [0, 1] cut the interval, so that it no longer reads as
  // mean +/- ci95 and is shown by its bounds.
  bool clamped() const {
    return ci95 && (*low() != mean - *ci95 || *high() != mean + *ci95);
  }
};

// Seconds from offer to answer, over answered calls.
struct TimeToAnswerSummary {
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double mean = 0;
};

// Wall-clock nanoseconds the router took per call.
struct LatencySummary {
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double p999 = 0;
  double max = 0;
};

// Calls flagged, summed over replications.
struct FlagTotals {
  std::uint64_t stale_routed = 0;
  std::uint64_t blocked_by_policy = 0;
  std::uint64_t ineligible_legs = 0;
  std::uint64_t limit_rejections = 0;
};

// Member notifications of one kind (Ring, Banner or Mute) and the pickups
// that followed them.
struct NotificationSummary {
  std::uint64_t count = 0;
  double per_member_hour = 0;
  std::uint64_t pickups = 0;
};

// How fast the simulator ran.
struct PerformanceSummary {
  std::uint64_t events = 0;
  double events_per_second = 0;  // events / wall_s of the run
  double wall_s = 0;
  std::uint64_t peak_rss_bytes = 0;
};

// The shares one replication measured, kept for the gate's t-test.
struct ReplicationShares {
  std::uint32_t replication = 0;
  std::uint64_t offered = 0;
  std::array<double, kOutcomeCount> shares{};
};

// One point of the time-to-answer CDF: the share of answered calls that
// were answered within `seconds`.
struct CdfPoint {
  double seconds = 0;
  double cumulative_share = 0;
};

// One non-empty bin of the pooled routing-latency histogram.
struct LatencyBin {
  double lower_ns = 0;
  double upper_ns = 0;
  double count = 0;
};

// Notification kinds in the order results count them.
inline constexpr std::array<const char*, kNotificationKinds>
    kNotificationKindNames = {"ring", "banner", "mute"};

struct Summary {
  std::string scenario;
  std::uint64_t seed = 0;
  std::uint32_t replications = 0;
  ParameterList parameters;
  std::string router_mode;
  std::uint32_t threads = 1;

  std::uint64_t offered = 0;
  std::array<std::uint64_t, kOutcomeCount> outcomes{};
  std::array<ShareEstimate, kOutcomeCount> shares{};

  TimeToAnswerSummary time_to_answer_s;
  LatencySummary routing_latency_ns;
  FlagTotals flags;
  double member_hours = 0;
  std::array<NotificationSummary, kNotificationKinds> notifications{};
  PerformanceSummary performance;

  std::vector<TimeSlice> timeline;         // pooled by slice start
  std::vector<AppliedEvent> admin_events;  // of replication 0
  std::vector<ReplicationShares> replication_shares;

  // Chart tables drawn from the pooled histograms. They go to CSV files
  // only, so a summary read back from JSON has them empty.
  std::vector<CdfPoint> time_to_answer_cdf;
  std::vector<LatencyBin> routing_latency_bins;
};

// Pools the replications of one run. An empty span gives a summary with
// zero counts and no intervals.
Summary Summarize(std::span<const ReplicationResult> results,
                  const RunInfo& info);

// The half-width of the 95% Student t interval of the mean of `values`;
// nullopt for fewer than two values.
std::optional<double> ConfidenceHalfWidth95(std::span<const double> values);

// "Picked up by a group member", the name a planner reads for an outcome.
const char* PlainName(Outcome outcome);

// The outcome summary.json names `name`; nullopt for any other text.
std::optional<Outcome> ParseOutcome(std::string_view name);

}  // namespace callshare

#endif  // CALLSHARE_REPORTS_SUMMARY_H_
