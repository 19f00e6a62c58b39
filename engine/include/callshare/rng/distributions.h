// The distributions the simulator draws from, each a small value that a
// scenario names, and the sampling functions over Xoshiro256pp.
//
// Every sampler here is inline, allocation-free and deterministic: the same
// generator state gives the same value on every platform that has IEEE 754
// doubles and a correctly rounded std::log, std::sqrt and std::cos. Only
// AliasTable allocates, once, at construction.
#ifndef CALLSHARE_RNG_DISTRIBUTIONS_H_
#define CALLSHARE_RNG_DISTRIBUTIONS_H_

#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

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

// The scenario name of a kind: "exponential", "lognormal" or "fixed".
std::string_view Name(DurationDistribution::Kind kind);

// The kind a scenario names, the inverse of Name(); nullopt for any other
// text (the match is exact and case-sensitive).
std::optional<DurationDistribution::Kind> ParseDurationKind(
    std::string_view name);

// A double uniform on [0, 1): the top 53 bits of one draw, so that every
// value is a multiple of 2^-53 and all are equally likely.
inline double UniformDouble(Xoshiro256pp& rng) {
  constexpr int kMantissaBits = 53;
  static_assert(kMantissaBits == std::numeric_limits<double>::digits,
                "one draw fills exactly a double's significand");
  constexpr double kScale = 1.0 / static_cast<double>(1ULL << kMantissaBits);
  return static_cast<double>(rng.Next() >> (64 - kMantissaBits)) * kScale;
}

// An integer uniform on [0, n), without modulo bias: the high word of a
// 64x64-bit product, redrawing the rare draws that land in the uneven part
// (Lemire's method; at most one division, and only when a redraw is
// possible). REQUIRES: n > 0.
inline std::uint64_t UniformBelow(Xoshiro256pp& rng, std::uint64_t n) {
  assert(n > 0);
  __extension__ using Product = unsigned __int128;
  Product product = static_cast<Product>(rng.Next()) * n;
  auto low = static_cast<std::uint64_t>(product);
  if (low < n) {
    // 2^64 mod n: the number of low words that would over-represent some
    // results; draws whose low word falls below it are rejected.
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      product = static_cast<Product>(rng.Next()) * n;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return static_cast<std::uint64_t>(product >> 64);
}

// True with probability p; p <= 0 never, p >= 1 always.
inline bool Bernoulli(Xoshiro256pp& rng, double p) {
  return UniformDouble(rng) < p;
}

// An exponential variate with the given mean, by inversion. 1 - U lies in
// (0, 1], so the logarithm is finite. REQUIRES: mean >= 0.
inline double Exponential(Xoshiro256pp& rng, double mean) {
  return -mean * std::log1p(-UniformDouble(rng));
}

// A standard normal variate by the Box-Muller transform, keeping one of the
// pair so that the sampler stays stateless (one extra draw is cheaper than
// carrying a cached value through every caller).
inline double StandardNormal(Xoshiro256pp& rng) {
  const double radius = std::sqrt(-2.0 * std::log1p(-UniformDouble(rng)));
  return radius * std::cos(2.0 * std::numbers::pi * UniformDouble(rng));
}

// A lognormal variate whose mean is `mean` and whose logarithm has standard
// deviation `sigma`: mu = ln(mean) - sigma^2 / 2. REQUIRES: mean > 0.
inline double Lognormal(Xoshiro256pp& rng, double mean, double sigma) {
  const double mu = std::log(mean) - 0.5 * sigma * sigma;
  return std::exp(mu + sigma * StandardNormal(rng));
}

// A duration in seconds drawn from `distribution`.
inline double Sample(const DurationDistribution& distribution,
                     Xoshiro256pp& rng) {
  switch (distribution.kind) {
    case DurationDistribution::Kind::kExponential:
      return Exponential(rng, distribution.mean_s);
    case DurationDistribution::Kind::kLognormal:
      return Lognormal(rng, distribution.mean_s, distribution.sigma);
    case DurationDistribution::Kind::kFixed:
      return distribution.mean_s;
  }
  return distribution.mean_s;
}

// A discrete distribution over [0, n) in proportion to given weights,
// sampled in O(1) with one bucket draw and one coin (Walker's alias method,
// built by Vose's method). Immutable after construction, so it may be shared
// between threads that each bring their own generator.
class AliasTable {
 public:
  // Builds the table in O(n). REQUIRES: 0 < weights.size() < 2^32, every
  // weight finite and >= 0, and a positive sum.
  explicit AliasTable(std::span<const double> weights);

  // An index i drawn with probability weights[i] / sum(weights).
  std::uint32_t Sample(Xoshiro256pp& rng) const {
    const auto bucket =
        static_cast<std::uint32_t>(UniformBelow(rng, buckets_.size()));
    const Bucket& chosen = buckets_[bucket];
    return UniformDouble(rng) < chosen.keep ? bucket : chosen.alias;
  }

  // The number of outcomes, the size of the weights given.
  std::uint32_t size() const {
    return static_cast<std::uint32_t>(buckets_.size());
  }

 private:
  // A bucket keeps its own index with probability `keep` and gives way to
  // `alias` otherwise; both sit in one 16-byte slot, one cache access.
  struct Bucket {
    double keep;
    std::uint32_t alias;
  };

  std::vector<Bucket> buckets_;
};

// Zipf weights over n items: item k (from 0) weighs 1 / (k + 1)^s, so item 0
// is the most popular. s = 0 gives equal weights. REQUIRES: s >= 0.
std::vector<double> ZipfWeights(std::uint32_t n, double s);

}  // namespace callshare

#endif  // CALLSHARE_RNG_DISTRIBUTIONS_H_
