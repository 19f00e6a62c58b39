// A cheap wall clock for timing single route calls, and a recorder that
// bins the timings without touching a histogram on the hot path.
//
// steady_clock::now() costs about 20 ns through the vDSO, two of them a
// route would add more than the 10% the simulator allows itself for the
// measurement; the time-stamp counter costs a few nanoseconds and is
// calibrated against steady_clock once per process.
#ifndef CALLSHARE_SIM_TICK_CLOCK_H_
#define CALLSHARE_SIM_TICK_CLOCK_H_

#include <array>
#include <bit>
#include <chrono>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "callshare/sim/results.h"

namespace callshare {

// Raw ticks of the cheapest monotonic counter the machine has.
inline std::uint64_t ReadTicks() {
#if defined(__x86_64__) || defined(__i386__)
  return __rdtsc();
#else
  return static_cast<std::uint64_t>(
      std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

// Nanoseconds per tick, measured once (about 5 ms) on first use; callers
// that time themselves call it before their clock starts.
double NanosPerTick();

// Counts durations in ticks on a log scale of 16 sub-bins per octave (the
// exponent and top 4 mantissa bits of the tick count as a double, under
// 4.4% wide) and converts them into a LatencyHistogram at the end. One
// Record is a conversion, a shift and an increment.
class LatencyRecorder {
 public:
  // Counts one duration of `ticks`.
  void Record(std::uint64_t ticks) {
    const auto bits = std::bit_cast<std::uint64_t>(static_cast<double>(ticks));
    std::uint64_t bin = (bits >> kMantissaDropped) - kFirstBinKey;
    if (bits < (kFirstBinKey << kMantissaDropped)) bin = 0;
    if (bin >= kBins) bin = kBins - 1;
    ++counts_[bin];
    if (ticks > max_ticks_) max_ticks_ = ticks;
  }

  // Adds every counted duration, in nanoseconds, to `histogram`; returns
  // the largest in nanoseconds.
  double AddTo(LatencyHistogram* histogram) const;

 private:
  static constexpr int kSubBinBits = 4;
  static constexpr int kMantissaDropped = 52 - kSubBinBits;
  // The key of 1.0 (biased exponent 1023, mantissa 0).
  static constexpr std::uint64_t kFirstBinKey = 1023ULL << kSubBinBits;
  // 48 octaves of ticks: past 2^48 ticks (a day) nothing is a route.
  static constexpr std::uint64_t kBins = 48ULL << kSubBinBits;
  static_assert(kBins * sizeof(std::uint64_t) <= 8 * 1024,
                "the bins stay a small corner of L1");

  std::array<std::uint64_t, kBins> counts_{};
  std::uint64_t max_ticks_ = 0;
};

}  // namespace callshare

#endif  // CALLSHARE_SIM_TICK_CLOCK_H_
