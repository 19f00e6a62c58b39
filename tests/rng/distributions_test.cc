#include "callshare/rng/distributions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace callshare {
namespace {

// Every statistical test draws this many values from a fixed seed, so it is
// deterministic; its bounds are five standard errors of the estimate, which
// a correct sampler exceeds with probability below 1e-6.
constexpr int kDraws = 1'000'000;
constexpr double kSigmas = 5.0;

// The sample mean and the sample variance.
struct Moments {
  double mean = 0.0;
  double variance = 0.0;
};

template <typename Draw>
Moments Measure(Draw draw) {
  // Welford's update keeps the variance accurate over a million draws.
  Moments moments;
  double sum_squares = 0.0;
  for (int i = 1; i <= kDraws; ++i) {
    const double x = draw();
    const double delta = x - moments.mean;
    moments.mean += delta / i;
    sum_squares += delta * (x - moments.mean);
  }
  moments.variance = sum_squares / (kDraws - 1);
  return moments;
}

// Checks the sample mean and variance against the distribution's mean,
// variance and fourth central moment (the variance of the sample variance
// is (mu4 - variance^2) / n).
void ExpectMoments(const Moments& got, double mean, double variance,
                   double fourth_central) {
  const double mean_error = std::sqrt(variance / kDraws);
  const double variance_error =
      std::sqrt((fourth_central - variance * variance) / kDraws);
  EXPECT_NEAR(got.mean, mean, kSigmas * mean_error);
  EXPECT_NEAR(got.variance, variance, kSigmas * variance_error);
}

TEST(DistributionsTest, UniformDoubleHasUniformMoments) {
  Xoshiro256pp rng(11);
  double low = 1.0;
  double high = 0.0;
  const Moments got = Measure([&] {
    const double x = UniformDouble(rng);
    low = std::min(low, x);
    high = std::max(high, x);
    return x;
  });
  EXPECT_GE(low, 0.0);
  EXPECT_LT(high, 1.0);
  ExpectMoments(got, 0.5, 1.0 / 12.0, 1.0 / 80.0);
}

TEST(DistributionsTest, ExponentialHasExponentialMoments) {
  Xoshiro256pp rng(12);
  const double mean = 180.0;
  const Moments got = Measure([&] { return Exponential(rng, mean); });
  ExpectMoments(got, mean, mean * mean, 9.0 * std::pow(mean, 4));
}

TEST(DistributionsTest, StandardNormalHasNormalMoments) {
  Xoshiro256pp rng(13);
  const Moments got = Measure([&] { return StandardNormal(rng); });
  ExpectMoments(got, 0.0, 1.0, 3.0);
}

// The k-th raw moment of a lognormal: exp(k mu + k^2 sigma^2 / 2).
double LognormalRaw(double mu, double sigma, int k) {
  return std::exp(k * mu + 0.5 * k * k * sigma * sigma);
}

TEST(DistributionsTest, LognormalKeepsTheMeanAndHasLognormalMoments) {
  Xoshiro256pp rng(14);
  const DurationDistribution holding{DurationDistribution::Kind::kLognormal,
                                     120.0, 0.5};
  const Moments got = Measure([&] { return Sample(holding, rng); });

  const double mu = std::log(120.0) - 0.5 * 0.25;
  const double m = LognormalRaw(mu, 0.5, 1);
  const double variance = LognormalRaw(mu, 0.5, 2) - m * m;
  const double fourth =
      LognormalRaw(mu, 0.5, 4) - 4 * m * LognormalRaw(mu, 0.5, 3) +
      6 * m * m * LognormalRaw(mu, 0.5, 2) - 3 * std::pow(m, 4);
  ASSERT_NEAR(m, 120.0, 1e-9);
  ExpectMoments(got, 120.0, variance, fourth);
}

TEST(DistributionsTest, SampleDispatchesOnKind) {
  Xoshiro256pp rng(15);
  const DurationDistribution fixed{DurationDistribution::Kind::kFixed, 20.0,
                                   1.0};
  EXPECT_EQ(Sample(fixed, rng), 20.0);
  const DurationDistribution exponential{
      DurationDistribution::Kind::kExponential, 5.0, 1.0};
  const Moments got = Measure([&] { return Sample(exponential, rng); });
  ExpectMoments(got, 5.0, 25.0, 9.0 * 625.0);
}

TEST(DistributionsTest, BernoulliHitsWithProbabilityP) {
  Xoshiro256pp rng(16);
  const double p = 0.3;
  const Moments got = Measure([&] { return Bernoulli(rng, p) ? 1.0 : 0.0; });
  const double variance = p * (1 - p);
  EXPECT_NEAR(got.mean, p, kSigmas * std::sqrt(variance / kDraws));
  EXPECT_FALSE(Bernoulli(rng, 0.0));
  EXPECT_TRUE(Bernoulli(rng, 1.0));
}

TEST(DistributionsTest, UniformBelowNeverReachesN) {
  Xoshiro256pp rng(17);
  const std::vector<std::uint64_t> bounds = {
      1, 2, 3, 7, 1000, (1ULL << 32) + 1, (1ULL << 63) + 1, ~0ULL};
  for (const std::uint64_t n : bounds) {
    for (int i = 0; i < 10'000; ++i) ASSERT_LT(UniformBelow(rng, n), n) << n;
  }
}

// Pearson's statistic of observed counts against expected probabilities.
double ChiSquare(const std::vector<int>& counts,
                 const std::vector<double>& probabilities, int draws) {
  double statistic = 0.0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const double expected = probabilities[i] * draws;
    statistic += (counts[i] - expected) * (counts[i] - expected) / expected;
  }
  return statistic;
}

// A bound that a chi-square statistic with `df` degrees of freedom exceeds
// with probability far below 1e-6: the mean plus eight standard deviations
// of the distribution (its right tail is close to normal for df >= 6).
double ChiSquareBound(int df) { return df + 8.0 * std::sqrt(2.0 * df); }

TEST(DistributionsTest, UniformBelowIsUniformOverSevenValues) {
  Xoshiro256pp rng(18);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < kDraws; ++i) ++counts[UniformBelow(rng, 7)];
  const std::vector<double> probabilities(7, 1.0 / 7.0);
  EXPECT_LT(ChiSquare(counts, probabilities, kDraws), ChiSquareBound(6));
}

TEST(DistributionsTest, AliasTableFrequenciesMatchZipfWeights) {
  const std::vector<double> weights = ZipfWeights(50, 1.0);
  ASSERT_EQ(weights.size(), 50U);
  EXPECT_DOUBLE_EQ(weights[0], 1.0);
  EXPECT_DOUBLE_EQ(weights[9], 0.1);

  const AliasTable table(weights);
  Xoshiro256pp rng(19);
  std::vector<int> counts(weights.size(), 0);
  for (int i = 0; i < kDraws; ++i) ++counts[table.Sample(rng)];

  double sum = 0.0;
  for (const double weight : weights) sum += weight;
  std::vector<double> probabilities;
  for (const double weight : weights) probabilities.push_back(weight / sum);
  EXPECT_LT(ChiSquare(counts, probabilities, kDraws), ChiSquareBound(49));
}

TEST(DistributionsTest, AliasTableNeverDrawsZeroWeights) {
  const std::vector<double> weights = {0.0, 3.0, 0.0, 1.0, 0.0};
  const AliasTable table(weights);
  EXPECT_EQ(table.size(), 5U);
  Xoshiro256pp rng(20);
  std::vector<int> counts(weights.size(), 0);
  for (int i = 0; i < 100'000; ++i) ++counts[table.Sample(rng)];
  EXPECT_EQ(counts[0] + counts[2] + counts[4], 0);
  // Item 1 is three times as likely as item 3: p = 0.75 over 100,000 draws.
  EXPECT_NEAR(counts[1] / 100'000.0, 0.75,
              kSigmas * std::sqrt(0.75 * 0.25 / 100'000.0));
}

TEST(DistributionsTest, AliasTableOfOneItemAlwaysDrawsIt) {
  const std::vector<double> weights = {2.5};
  const AliasTable table(weights);
  Xoshiro256pp rng(21);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(table.Sample(rng), 0U);
}

TEST(DistributionsTest, SamplersAreDeterministicForASeed) {
  Xoshiro256pp first(22);
  Xoshiro256pp second(22);
  const DurationDistribution holding{DurationDistribution::Kind::kLognormal,
                                     60.0, 1.0};
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(Sample(holding, first), Sample(holding, second));
    EXPECT_EQ(UniformBelow(first, 1000), UniformBelow(second, 1000));
  }
}

TEST(DistributionsTest, KindNamesRoundTrip) {
  using Kind = DurationDistribution::Kind;
  for (const Kind kind : {Kind::kExponential, Kind::kLognormal, Kind::kFixed}) {
    EXPECT_EQ(ParseDurationKind(Name(kind)), kind);
  }
  EXPECT_EQ(Name(Kind::kLognormal), "lognormal");
  EXPECT_EQ(ParseDurationKind("Exponential"), std::nullopt);
  EXPECT_EQ(ParseDurationKind(""), std::nullopt);
}

}  // namespace
}  // namespace callshare
