// What one replication of a simulation measured. The simulator fills a
// ReplicationResult; the reports room pools several into a summary. Every
// figure here is additive across replications (counts and histograms), so
// results from threads or processes merge by adding.
#ifndef CALLSHARE_SIM_RESULTS_H_
#define CALLSHARE_SIM_RESULTS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <boost/histogram.hpp>

namespace callshare {

// How an offered call ended: exactly one per call.
enum class Outcome : std::uint8_t {
  kAnsweredByOwner,
  kPickedUpByMember,
  kAnsweredByDelegate,
  kAnsweredByForwardTarget,
  kVoicemail,
  kBusySignal,
  kAbandoned,
  kDisconnected,
};
inline constexpr std::size_t kOutcomeCount = 8;

// "answered_by_owner", "picked_up_by_member", ... as in summary.json.
std::string_view Name(Outcome outcome);

// Time to answer in simulated seconds: 0.1 s bins up to 10 minutes, which
// covers every ring time Teams allows; later answers land in overflow.
using TimeToAnswerAxis = boost::histogram::axis::regular<double>;
inline constexpr double kTimeToAnswerMaxS = 600.0;
inline constexpr unsigned kTimeToAnswerBins = 6000;

// Routing latency in wall-clock nanoseconds on a log axis from 1 ns to
// 1 ms, 40 bins a decade (under 6% relative width per bin).
using LatencyAxis =
    boost::histogram::axis::regular<double,
                                    boost::histogram::axis::transform::log>;
inline constexpr double kLatencyMinNs = 1.0;
inline constexpr double kLatencyMaxNs = 1e6;
inline constexpr unsigned kLatencyBins = 240;

using TimeToAnswerHistogram =
    boost::histogram::histogram<std::tuple<TimeToAnswerAxis>,
                                boost::histogram::dense_storage<double>>;
using LatencyHistogram =
    boost::histogram::histogram<std::tuple<LatencyAxis>,
                                boost::histogram::dense_storage<double>>;

TimeToAnswerHistogram MakeTimeToAnswerHistogram();
LatencyHistogram MakeLatencyHistogram();

// The q-quantile (0 < q < 1) of a histogram, interpolated within the bin;
// 0 when the histogram is empty.
double Quantile(const TimeToAnswerHistogram& histogram, double q);
double Quantile(const LatencyHistogram& histogram, double q);

// Notification kinds as counted in results: Ring, Banner, Mute.
inline constexpr std::size_t kNotificationKinds = 3;

// Outcome counts of the calls that arrived in one slice of simulated time.
struct TimeSlice {
  double start_s = 0;
  std::array<std::uint64_t, kOutcomeCount> outcomes{};
  std::uint64_t stale_routed = 0;
  std::uint64_t blocked_by_policy = 0;
};

// An admin event as it was applied, for marking charts.
struct AppliedEvent {
  double at_s = 0;
  std::string description;  // "set_policy NoGroups allow_call_groups=false"
  bool rejected = false;    // refused by a limit or a check
};

struct ReplicationResult {
  std::uint32_t replication = 0;

  // Calls that arrived after the warm-up, and how each ended.
  std::uint64_t offered = 0;
  std::array<std::uint64_t, kOutcomeCount> outcomes{};

  // Flags, counted per call (a call counts once per flag).
  std::uint64_t stale_routed = 0;
  std::uint64_t blocked_by_policy = 0;
  std::uint64_t ineligible_legs = 0;   // legs skipped, summed over calls
  std::uint64_t limit_rejections = 0;  // admin changes refused by a limit

  // Who picked up, by the notification they got; and how often members
  // were notified, by kind, over how many member-hours of exposure.
  std::array<std::uint64_t, kNotificationKinds> pickups_by_notification{};
  std::array<std::uint64_t, kNotificationKinds> notifications_by_kind{};
  double member_hours = 0;

  TimeToAnswerHistogram time_to_answer = MakeTimeToAnswerHistogram();
  LatencyHistogram routing_latency_ns = MakeLatencyHistogram();
  double routing_latency_max_ns = 0;

  std::vector<TimeSlice> timeline;
  std::vector<AppliedEvent> admin_events;

  // Work done.
  std::uint64_t events = 0;
  double wall_s = 0;

  double Share(Outcome outcome) const {
    return offered == 0
               ? 0.0
               : double(outcomes[std::size_t(outcome)]) / double(offered);
  }
};

}  // namespace callshare

#endif  // CALLSHARE_SIM_RESULTS_H_
