// A plain Erlang loss simulator written the textbook way, as the yardstick
// the callshare simulator is compared with: std::priority_queue of events,
// std::mt19937_64 and std::exponential_distribution, no tuning at all.
#ifndef CALLSHARE_TESTING_SIM_BASELINE_LOSS_H_
#define CALLSHARE_TESTING_SIM_BASELINE_LOSS_H_

#include <cstdint>

namespace callshare {

// What one run saw.
struct BaselineLossResult {
  std::uint64_t offered = 0;  // arrivals, one a call
  std::uint64_t lost = 0;     // arrivals that found their group full
  std::uint64_t events = 0;   // events popped: arrivals and departures
};

// Simulates `calls` Poisson arrivals spread uniformly over `groups`
// independent groups of `servers` servers each, with exponential holding
// times, each group offered `offered_erlangs_per_group` erlangs; an arrival
// that finds all servers of its group busy is lost. Starts empty and stops
// at the last arrival. REQUIRES: groups > 0, servers > 0, offered > 0.
BaselineLossResult RunBaselineLoss(std::uint32_t groups, std::uint32_t servers,
                                   double offered_erlangs_per_group,
                                   std::uint64_t calls, std::uint64_t seed);

}  // namespace callshare

#endif  // CALLSHARE_TESTING_SIM_BASELINE_LOSS_H_
