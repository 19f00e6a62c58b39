#include "callshare/reports/summary.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "test_results.h"

namespace callshare {
namespace {

using testing::MakeReplications;
using testing::MakeRunInfo;

constexpr std::size_t kVoicemail = std::size_t(Outcome::kVoicemail);

// Three replications with voicemail shares 0.10, 0.12 and 0.14.
std::vector<ReplicationResult> KnownVoicemailShares() {
  std::vector<ReplicationResult> results(3);
  for (std::uint32_t r = 0; r < 3; ++r) {
    results[r].replication = r;
    results[r].offered = 100;
    results[r].outcomes[kVoicemail] = 10 + 2 * r;
    results[r].outcomes[std::size_t(Outcome::kPickedUpByMember)] = 90 - 2 * r;
  }
  return results;
}

TEST(SummaryTest, ConfidenceIntervalMatchesHandComputation) {
  const Summary summary = Summarize(KnownVoicemailShares(), MakeRunInfo(3));
  // Mean 0.12, sample standard deviation 0.02, t(0.975, 2) = 4.302653.
  EXPECT_NEAR(summary.shares[kVoicemail].mean, 0.12, 1e-12);
  ASSERT_TRUE(summary.shares[kVoicemail].ci95.has_value());
  EXPECT_NEAR(*summary.shares[kVoicemail].ci95,
              4.302653 * 0.02 / std::sqrt(3.0), 1e-6);
}

TEST(SummaryTest, OneReplicationHasNoInterval) {
  const auto results = MakeReplications(1, 7, {});
  const Summary summary = Summarize(results, MakeRunInfo(1));
  for (const ShareEstimate& share : summary.shares) {
    EXPECT_FALSE(share.ci95.has_value());
  }
}

TEST(SummaryTest, CountsAndFlagsAreSummed) {
  const auto results = MakeReplications(4, 3, {});
  const Summary summary = Summarize(results, MakeRunInfo(4));
  std::uint64_t offered = 0;
  std::uint64_t voicemail = 0;
  for (const ReplicationResult& result : results) {
    offered += result.offered;
    voicemail += result.outcomes[kVoicemail];
  }
  EXPECT_EQ(summary.offered, offered);
  EXPECT_EQ(summary.outcomes[kVoicemail], voicemail);
  EXPECT_EQ(summary.flags.stale_routed, 12u);
  EXPECT_EQ(summary.flags.ineligible_legs, 28u);
  EXPECT_EQ(summary.replication_shares.size(), 4u);
}

TEST(SummaryTest, NotificationsArePerMemberHour) {
  const auto results = MakeReplications(2, 3, {});
  const Summary summary = Summarize(results, MakeRunInfo(2));
  // 2 x 100 ring notifications over 2 x 50 member-hours.
  EXPECT_EQ(summary.notifications[0].count, 200u);
  EXPECT_DOUBLE_EQ(summary.notifications[0].per_member_hour, 2.0);
  EXPECT_EQ(summary.notifications[1].pickups, 16u);
}

TEST(SummaryTest, ThroughputUsesTheRunWallTime) {
  const auto results = MakeReplications(2, 3, {});
  const Summary summary = Summarize(results, MakeRunInfo(2));
  EXPECT_EQ(summary.performance.events, 2'000'000u);
  EXPECT_DOUBLE_EQ(summary.performance.events_per_second, 500'000.0);
  EXPECT_EQ(summary.performance.peak_rss_bytes, 64u << 20);
}

TEST(SummaryTest, HistogramsArePooledBeforeQuantiles) {
  std::vector<ReplicationResult> results(2);
  for (int i = 0; i < 50; ++i) results[0].time_to_answer(2.05);
  for (int i = 0; i < 50; ++i) results[1].time_to_answer(4.05);
  results[0].routing_latency_max_ns = 900;
  results[1].routing_latency_max_ns = 1200;
  const Summary summary = Summarize(results, MakeRunInfo(2));
  EXPECT_NEAR(summary.time_to_answer_s.mean, 3.05, 1e-9);
  EXPECT_NEAR(summary.time_to_answer_s.p50, 2.1, 1e-9);
  EXPECT_GT(summary.time_to_answer_s.p90, 4.0);
  EXPECT_DOUBLE_EQ(summary.routing_latency_ns.max, 1200);
  ASSERT_EQ(summary.time_to_answer_cdf.size(), 2u);
  EXPECT_DOUBLE_EQ(summary.time_to_answer_cdf[0].cumulative_share, 0.5);
  EXPECT_DOUBLE_EQ(summary.time_to_answer_cdf[1].cumulative_share, 1.0);
}

TEST(SummaryTest, TimelineIsPooledBySliceAndAdminEventsComeFromFirst) {
  auto results = MakeReplications(3, 5, {});
  results[2].timeline.push_back({3600.0, {}, 9, 0});
  std::swap(results[0], results[2]);
  results[0].admin_events.clear();  // replication 2, now first in the span
  const Summary summary = Summarize(results, MakeRunInfo(3));
  ASSERT_EQ(summary.timeline.size(), 5u);
  EXPECT_EQ(summary.timeline[1].outcomes[1], 15u);
  EXPECT_EQ(summary.timeline[2].stale_routed, 9u);
  EXPECT_EQ(summary.timeline[4].stale_routed, 9u);
  EXPECT_EQ(summary.admin_events.size(), 2u);
}

TEST(SummaryTest, EmptyRunHasZeroesAndNoIntervals) {
  const Summary summary = Summarize({}, MakeRunInfo(0));
  EXPECT_EQ(summary.offered, 0u);
  EXPECT_EQ(summary.replications, 0u);
  EXPECT_FALSE(summary.shares[kVoicemail].ci95.has_value());
}

TEST(SummaryTest, OutcomeNamesReadBack) {
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    EXPECT_EQ(ParseOutcome(Name(Outcome(i))), Outcome(i));
  }
  EXPECT_FALSE(ParseOutcome("answered").has_value());
  EXPECT_STREQ(PlainName(Outcome::kPickedUpByMember),
               "Picked up by a group member");
}

}  // namespace
}  // namespace callshare
