// Replication results built by hand for the reports tests: counts drawn
// around chosen shares with a seeded generator, so every test run sees the
// same numbers.
#ifndef CALLSHARE_TESTS_REPORTS_TEST_RESULTS_H_
#define CALLSHARE_TESTS_REPORTS_TEST_RESULTS_H_

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "callshare/reports/summary.h"
#include "callshare/sim/results.h"

namespace callshare::testing {

// A small, seeded generator (SplitMix64) for test data only.
class TestRng {
 public:
  explicit TestRng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform on [-1, 1).
  double Symmetric() { return double(Next() >> 11) * 0x1.0p-52 - 1.0; }

 private:
  std::uint64_t state_;
};

// The shares a test asks for: answered by owner, picked up by a member,
// voicemail; the rest of the calls abandon.
struct ShareTarget {
  double owner = 0.30;
  double member = 0.55;
  double voicemail = 0.10;
};

// One replication of `offered` calls whose shares are the targets plus
// uniform noise of +/- `noise`, with histograms and a timeline filled.
inline ReplicationResult MakeReplication(std::uint32_t replication,
                                         std::uint64_t seed,
                                         std::uint64_t offered,
                                         ShareTarget target, double noise) {
  TestRng rng(seed * 1000 + replication);
  ReplicationResult result;
  result.replication = replication;
  result.offered = offered;
  const auto count = [&](double share) {
    const double noisy = share + noise * rng.Symmetric();
    return std::uint64_t(std::max(0.0, noisy) * double(offered) + 0.5);
  };
  auto& outcomes = result.outcomes;
  outcomes[std::size_t(Outcome::kAnsweredByOwner)] = count(target.owner);
  outcomes[std::size_t(Outcome::kPickedUpByMember)] = count(target.member);
  outcomes[std::size_t(Outcome::kVoicemail)] = count(target.voicemail);
  std::uint64_t assigned = 0;
  for (std::uint64_t value : outcomes) assigned += value;
  outcomes[std::size_t(Outcome::kAbandoned)] =
      offered > assigned ? offered - assigned : 0;
  result.offered = assigned + outcomes[std::size_t(Outcome::kAbandoned)];

  for (int i = 0; i < 200; ++i) {
    result.time_to_answer(4.0 + 3.0 * rng.Symmetric());
    result.routing_latency_ns(300.0 + 100.0 * rng.Symmetric());
  }
  result.routing_latency_max_ns = 1000.0 + double(replication);
  result.stale_routed = 3;
  result.blocked_by_policy = 1;
  result.ineligible_legs = 7;
  result.notifications_by_kind = {100, 40, 10};
  result.pickups_by_notification = {30, 8, 1};
  result.member_hours = 50.0;
  result.events = 1'000'000;
  result.wall_s = 2.0;
  for (int slice = 0; slice < 4; ++slice) {
    TimeSlice time_slice;
    time_slice.start_s = 900.0 * slice;
    time_slice.outcomes[std::size_t(Outcome::kPickedUpByMember)] = 5;
    time_slice.stale_routed = slice == 2 ? 3 : 0;
    result.timeline.push_back(time_slice);
  }
  result.admin_events = {
      {1800.0, "set_policy NoGroups allow_call_groups=false", false},
      {2700.0, "cleanup stale call groups", false}};
  return result;
}

inline std::vector<ReplicationResult> MakeReplications(
    std::uint32_t count, std::uint64_t seed, ShareTarget target,
    double noise = 0.005, std::uint64_t offered = 2000) {
  std::vector<ReplicationResult> results;
  for (std::uint32_t r = 0; r < count; ++r) {
    results.push_back(MakeReplication(r, seed, offered, target, noise));
  }
  return results;
}

inline RunInfo MakeRunInfo(std::uint32_t replications) {
  RunInfo info;
  info.scenario = "pickup_small";
  info.seed = 42;
  info.replications = replications;
  info.parameters = {{"members", "10"}, {"arrival_rate_per_h", "120"}};
  info.router_mode = "as_deployed";
  info.wall_s = 4.0;
  info.peak_rss_bytes = 64 << 20;
  info.threads = 2;
  return info;
}

inline Summary MakeSummary(std::uint32_t replications, std::uint64_t seed,
                           ShareTarget target = {}, double noise = 0.005) {
  const std::vector<ReplicationResult> results =
      MakeReplications(replications, seed, target, noise);
  return Summarize(results, MakeRunInfo(replications));
}

// A fresh folder under the system's temporary directory, one per process
// so that test binaries running side by side do not share files.
inline std::filesystem::path FreshFolder(const std::string& name) {
  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() /
      ("callshare_reports_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

}  // namespace callshare::testing

#endif  // CALLSHARE_TESTS_REPORTS_TEST_RESULTS_H_
