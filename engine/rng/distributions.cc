#include "callshare/rng/distributions.h"

#include <array>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace callshare {
namespace {

using Kind = DurationDistribution::Kind;

// Every kind with its scenario name, in enumeration order.
constexpr std::array<std::pair<Kind, std::string_view>, 3> kKindNames = {{
    {Kind::kExponential, "exponential"},
    {Kind::kLognormal, "lognormal"},
    {Kind::kFixed, "fixed"},
}};

}  // namespace

std::string_view Name(Kind kind) {
  for (const auto& [known, name] : kKindNames) {
    if (known == kind) return name;
  }
  return "unknown";
}

std::optional<Kind> ParseDurationKind(std::string_view name) {
  for (const auto& [kind, known] : kKindNames) {
    if (known == name) return kind;
  }
  return std::nullopt;
}

// Algorithm (Vose): scale the weights so that they average 1. Buckets below
// 1 ("small") are each topped up by one bucket at or above 1 ("large"),
// which gives away exactly what the small one lacks and is then re-filed by
// what it has left. Each step settles one small bucket, so the loop is O(n).
// Rounding may leave a few buckets a hair away from 1 in either list at the
// end; they keep themselves with certainty.
AliasTable::AliasTable(std::span<const double> weights)
    : buckets_(weights.size()) {
  assert(!weights.empty());
  assert(weights.size() <= std::numeric_limits<std::uint32_t>::max());

  // Scale to mean 1 and split into the two work lists.
  double sum = 0.0;
  for (const double weight : weights) sum += weight;
  assert(sum > 0.0 && std::isfinite(sum));
  const double scale = static_cast<double>(weights.size()) / sum;
  std::vector<double> scaled(weights.size());
  std::vector<std::uint32_t> small;
  std::vector<std::uint32_t> large;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    scaled[i] = weights[i] * scale;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
  }

  // Pair each small bucket with a large donor.
  while (!small.empty() && !large.empty()) {
    const std::uint32_t poor = small.back();
    small.pop_back();
    const std::uint32_t rich = large.back();
    buckets_[poor] = {scaled[poor], rich};
    scaled[rich] = (scaled[rich] + scaled[poor]) - 1.0;
    if (scaled[rich] < 1.0) {
      large.pop_back();
      small.push_back(rich);
    }
  }

  // Whatever is left is full up to rounding.
  for (const std::uint32_t i : small) buckets_[i] = {1.0, i};
  for (const std::uint32_t i : large) buckets_[i] = {1.0, i};
}

std::vector<double> ZipfWeights(std::uint32_t n, double s) {
  assert(s >= 0.0);
  std::vector<double> weights(n);
  for (std::uint32_t k = 0; k < n; ++k) {
    weights[k] = std::pow(static_cast<double>(k) + 1.0, -s);
  }
  return weights;
}

}  // namespace callshare
