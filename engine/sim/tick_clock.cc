#include "tick_clock.h"

#include <cmath>

namespace callshare {
namespace {

// Ticks against steady_clock over a few milliseconds of spinning.
double Calibrate() {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point wall_start = Clock::now();
  const std::uint64_t tick_start = ReadTicks();
  while (Clock::now() - wall_start < std::chrono::milliseconds(5)) {
  }
  const std::uint64_t ticks = ReadTicks() - tick_start;
  const double nanos =
      std::chrono::duration<double, std::nano>(Clock::now() - wall_start)
          .count();
  return ticks == 0 ? 1.0 : nanos / static_cast<double>(ticks);
}

}  // namespace

double NanosPerTick() {
  static const double nanos_per_tick = Calibrate();
  return nanos_per_tick;
}

double LatencyRecorder::AddTo(LatencyHistogram* histogram) const {
  const double scale = NanosPerTick();
  for (std::uint64_t bin = 0; bin < kBins; ++bin) {
    if (counts_[bin] == 0) continue;
    // The geometric middle of the sub-bin stands for all its durations.
    const auto low =
        std::bit_cast<double>((bin + kFirstBinKey) << kMantissaDropped);
    const auto high =
        std::bit_cast<double>((bin + 1 + kFirstBinKey) << kMantissaDropped);
    const double middle_ns = std::sqrt(low * high) * scale;
    (*histogram)(middle_ns,
                 boost::histogram::weight(static_cast<double>(counts_[bin])));
  }
  return static_cast<double>(max_ticks_) * scale;
}

}  // namespace callshare
