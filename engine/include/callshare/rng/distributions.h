// The distributions the simulator draws from, each a small value that a
// scenario names, and the sampling functions over Xoshiro256pp.
#ifndef CALLSHARE_RNG_DISTRIBUTIONS_H_
#define CALLSHARE_RNG_DISTRIBUTIONS_H_

#include <cstdint>
#include <string_view>

#include "callshare/rng/xoshiro.h"

namespace callshare {

// A positive duration in seconds: holding times, patience, answer delays.
struct DurationDistribution {
  enum class Kind : std::uint8_t { kExponential, kLognormal, kFixed };

  Kind kind = Kind::kExponential;
  double mean_s = 1.0;
  // Lognormal only: the standard deviation of the duration's logarithm.
  // The location is chosen so that the mean is mean_s.
  double sigma = 1.0;
};

std::string_view Name(DurationDistribution::Kind kind);

}  // namespace callshare

#endif  // CALLSHARE_RNG_DISTRIBUTIONS_H_
