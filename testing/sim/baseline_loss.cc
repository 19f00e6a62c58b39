#include "testing/sim/baseline_loss.h"

#include <cstdint>
#include <functional>
#include <queue>
#include <random>
#include <utility>
#include <vector>

namespace callshare {
namespace {

// The textbook event: a time and what happens, a departure from a group or
// an arrival (kArrival). Ordered by time only, as the textbook does.
using BaselineEvent = std::pair<double, std::int64_t>;
constexpr std::int64_t kArrival = -1;

// Mean holding time in seconds; any value gives the same loss, since only
// the offered load in erlangs matters (Erlang's formula is insensitive).
constexpr double kMeanHoldingSeconds = 180.0;

}  // namespace

BaselineLossResult RunBaselineLoss(std::uint32_t groups, std::uint32_t servers,
                                   double offered_erlangs_per_group,
                                   std::uint64_t calls, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  const double arrival_rate =
      groups * offered_erlangs_per_group / kMeanHoldingSeconds;
  std::exponential_distribution<double> interarrival(arrival_rate);
  std::exponential_distribution<double> holding(1.0 / kMeanHoldingSeconds);
  std::uniform_int_distribution<std::int64_t> pick_group(0, groups - 1);
  std::vector<std::uint32_t> busy(groups, 0);
  std::priority_queue<BaselineEvent, std::vector<BaselineEvent>, std::greater<>>
      events;
  BaselineLossResult result;

  events.emplace(interarrival(engine), kArrival);
  while (!events.empty()) {
    const auto [time, what] = events.top();
    events.pop();
    ++result.events;

    // A departure frees one server of its group.
    if (what != kArrival) {
      --busy[static_cast<std::size_t>(what)];
      continue;
    }

    // An arrival takes a server or is lost, then schedules the next one.
    ++result.offered;
    const std::int64_t group = pick_group(engine);
    std::uint32_t& group_busy = busy[static_cast<std::size_t>(group)];
    if (group_busy < servers) {
      ++group_busy;
      events.emplace(time + holding(engine), group);
    } else {
      ++result.lost;
    }
    if (result.offered < calls) {
      events.emplace(time + interarrival(engine), kArrival);
    } else {
      break;
    }
  }
  return result;
}

}  // namespace callshare
