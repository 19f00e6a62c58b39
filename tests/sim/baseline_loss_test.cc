#include "testing/sim/baseline_loss.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "callshare/reports/sweep.h"

namespace callshare {
namespace {

// Losses within one run are correlated, so the bound comes from the spread
// between independent replications: their mean must lie within five
// standard errors of Erlang B (Student's t with 19 degrees of freedom
// exceeds 5 with probability below 1e-4; the seeds are fixed).
void ExpectErlangBLoss(std::uint32_t groups, std::uint64_t calls) {
  constexpr int kReplications = 20;
  double sum = 0.0;
  double sum_squares = 0.0;
  for (int r = 0; r < kReplications; ++r) {
    const BaselineLossResult result = RunBaselineLoss(
        groups, 10, 8.0, calls, static_cast<std::uint64_t>(r) + 1);
    ASSERT_EQ(result.offered, calls);
    EXPECT_GT(result.events, result.offered);
    const double share =
        static_cast<double>(result.lost) / static_cast<double>(result.offered);
    sum += share;
    sum_squares += share * share;
  }
  const double mean = sum / kReplications;
  const double variance =
      (sum_squares - kReplications * mean * mean) / (kReplications - 1);
  const double standard_error = std::sqrt(variance / kReplications);
  EXPECT_GT(standard_error, 0.0);
  EXPECT_NEAR(mean, ErlangB(10, 8.0), 5.0 * standard_error);
}

TEST(BaselineLossTest, OneGroupLosesTheErlangBShare) {
  ExpectErlangBLoss(1, 100'000);
}

TEST(BaselineLossTest, ManyGroupsEachLoseTheErlangBShare) {
  ExpectErlangBLoss(64, 200'000);
}

}  // namespace
}  // namespace callshare
