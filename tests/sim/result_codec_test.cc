#include "callshare/sim/result_codec.h"

#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "callshare/sim/simulator.h"
#include "testing/sim/sim_fixtures.h"

namespace callshare {
namespace {

std::vector<std::byte> Encode(const ReplicationResult& result) {
  std::vector<std::byte> bytes;
  EncodeResult(result, &bytes);
  return bytes;
}

// A result with every field away from its default, odd doubles included.
ReplicationResult FilledResult() {
  ReplicationResult result;
  result.replication = 41;
  result.offered = 1'000'003;
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    result.outcomes[i] = 1000 * i + 7;
  }
  result.stale_routed = 12;
  result.blocked_by_policy = 300;
  result.ineligible_legs = std::numeric_limits<std::uint64_t>::max();
  result.limit_rejections = 1;
  result.pickups_by_notification = {5, 6, 7};
  result.notifications_by_kind = {50, 60, 70};
  result.member_hours = 123.456789;
  result.time_to_answer(-1.0);  // underflow
  result.time_to_answer(0.05);  // first bin
  result.time_to_answer(12.34, boost::histogram::weight(2.5));
  result.time_to_answer(1e9);      // overflow
  result.routing_latency_ns(0.5);  // underflow
  result.routing_latency_ns(250.0);
  result.routing_latency_ns(250.0);
  result.routing_latency_ns(1e7);  // overflow
  result.routing_latency_max_ns = 1e7;
  result.timeline.push_back({0.0, {1, 2, 3, 4, 5, 6, 7, 8}, 9, 10});
  result.timeline.push_back({60.0, {}, 0, 11});
  result.admin_events.push_back({30.5, "set_policy NoGroups x=false", true});
  result.admin_events.push_back({0, "", false});
  result.events = 987'654'321;
  result.wall_s = 0.1 + 0.2;
  return result;
}

template <typename Histogram>
void ExpectSameBins(const Histogram& actual, const Histogram& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (auto a = actual.begin(), e = expected.begin(); a != actual.end();
       ++a, ++e) {
    EXPECT_EQ(*a, *e) << "bin " << std::distance(actual.begin(), a);
  }
}

void ExpectSameResult(const ReplicationResult& actual,
                      const ReplicationResult& expected) {
  EXPECT_EQ(actual.replication, expected.replication);
  EXPECT_EQ(actual.offered, expected.offered);
  EXPECT_EQ(actual.outcomes, expected.outcomes);
  EXPECT_EQ(actual.stale_routed, expected.stale_routed);
  EXPECT_EQ(actual.blocked_by_policy, expected.blocked_by_policy);
  EXPECT_EQ(actual.ineligible_legs, expected.ineligible_legs);
  EXPECT_EQ(actual.limit_rejections, expected.limit_rejections);
  EXPECT_EQ(actual.pickups_by_notification, expected.pickups_by_notification);
  EXPECT_EQ(actual.notifications_by_kind, expected.notifications_by_kind);
  EXPECT_EQ(actual.member_hours, expected.member_hours);
  ExpectSameBins(actual.time_to_answer, expected.time_to_answer);
  ExpectSameBins(actual.routing_latency_ns, expected.routing_latency_ns);
  EXPECT_EQ(actual.routing_latency_max_ns, expected.routing_latency_max_ns);
  ASSERT_EQ(actual.timeline.size(), expected.timeline.size());
  for (std::size_t i = 0; i < actual.timeline.size(); ++i) {
    EXPECT_EQ(actual.timeline[i].start_s, expected.timeline[i].start_s);
    EXPECT_EQ(actual.timeline[i].outcomes, expected.timeline[i].outcomes);
    EXPECT_EQ(actual.timeline[i].stale_routed,
              expected.timeline[i].stale_routed);
    EXPECT_EQ(actual.timeline[i].blocked_by_policy,
              expected.timeline[i].blocked_by_policy);
  }
  ASSERT_EQ(actual.admin_events.size(), expected.admin_events.size());
  for (std::size_t i = 0; i < actual.admin_events.size(); ++i) {
    EXPECT_EQ(actual.admin_events[i].at_s, expected.admin_events[i].at_s);
    EXPECT_EQ(actual.admin_events[i].description,
              expected.admin_events[i].description);
    EXPECT_EQ(actual.admin_events[i].rejected,
              expected.admin_events[i].rejected);
  }
  EXPECT_EQ(actual.events, expected.events);
  EXPECT_EQ(actual.wall_s, expected.wall_s);
}

TEST(ResultCodecTest, RoundTripKeepsEveryFieldAndBin) {
  const ReplicationResult original = FilledResult();
  const std::vector<std::byte> bytes = Encode(original);
  std::span<const std::byte> rest(bytes);
  const std::optional<ReplicationResult> decoded = DecodeResult(&rest);
  ASSERT_TRUE(decoded.has_value());
  ExpectSameResult(*decoded, original);
  EXPECT_TRUE(rest.empty());
}

TEST(ResultCodecTest, RoundTripKeepsASimulatedReplication) {
  const Tenant tenant = MakeGroupTenant(4, 5, RingOrder::kSimultaneous);
  SimConfig config = MakeGroupConfig(400, 120, 1800, 0.6, 8);
  const ReplicationResult original = RunReplication(config, tenant, 3);
  ASSERT_GT(original.offered, 0u);
  const std::vector<std::byte> bytes = Encode(original);
  std::span<const std::byte> rest(bytes);
  const std::optional<ReplicationResult> decoded = DecodeResult(&rest);
  ASSERT_TRUE(decoded.has_value());
  ExpectSameResult(*decoded, original);
}

TEST(ResultCodecTest, DecodesConsecutiveResultsInOrder) {
  ReplicationResult first = FilledResult();
  ReplicationResult second;
  second.replication = 42;
  second.offered = 9;
  std::vector<std::byte> bytes;
  EncodeResult(first, &bytes);
  EncodeResult(second, &bytes);

  std::span<const std::byte> rest(bytes);
  const auto a = DecodeResult(&rest);
  const auto b = DecodeResult(&rest);
  ASSERT_TRUE(a.has_value() && b.has_value());
  ExpectSameResult(*a, first);
  ExpectSameResult(*b, second);
  EXPECT_TRUE(rest.empty());
}

// The sparse histograms keep an empty result to a few dozen bytes instead
// of the 50 kB its dense bins would take.
TEST(ResultCodecTest, EmptyResultIsCompact) {
  EXPECT_LT(Encode(ReplicationResult()).size(), 100u);
}

TEST(ResultCodecTest, RejectsAnotherVersion) {
  std::vector<std::byte> bytes = Encode(FilledResult());
  bytes[0] = std::byte{kResultCodecVersion + 1};
  std::span<const std::byte> rest(bytes);
  EXPECT_FALSE(DecodeResult(&rest).has_value());
  EXPECT_EQ(rest.size(), bytes.size());
}

TEST(ResultCodecTest, RejectsEveryTruncation) {
  const std::vector<std::byte> bytes = Encode(FilledResult());
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    std::span<const std::byte> rest(bytes.data(), size);
    EXPECT_FALSE(DecodeResult(&rest).has_value()) << "size " << size;
  }
}

}  // namespace
}  // namespace callshare
