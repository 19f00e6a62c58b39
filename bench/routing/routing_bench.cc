// Routes per second of the flat router, one call at a time and batched,
// against the reference router, over generated tenants of 1,000 to
// 1,000,000 users with every call group full.
//
// Each tenant has min(32,768, users) groups of 25 members: a user owns at
// most one group and is a member of at most 25, so 1,000 users carry at
// most 1,000 full groups. Callees are drawn uniformly with a fixed seed;
// presence is drawn once (a tenth of the people on a call).
//
//   build/release/bench/routing/routing_bench
//       --benchmark_filter='BM_RouteFlat(Batch)?/1000000'
//       --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
//
// Measured at 1M users (CPU time, medians of 3 repetitions, old and new
// binaries interleaved three times on a 2-core VM at load 14):
//
//                          4 KiB pages    huge pages    + third wave
//   BM_RouteFlat           3.2-3.9 M/s    4.2-5.2 M/s   4.4-5.1 M/s
//   BM_RouteFlatBatch      7.3-8.1 M/s   11.2-16.2 M/s 12.1-13.1 M/s
//
// The tenant tables on 2 MiB pages (HugeVector) are the big step: a
// random record read no longer adds a page walk to its cache miss.
//
// On an idle machine (load 0.1, medians of 3, one run): BM_RouteFlat
// 8.5 M/s, BM_RouteFlatBatch 25.9 M/s, BM_RouteReference 0.95 M/s (27x
// below the batch), 49.0 bytes a user.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

#include "callshare/rng/distributions.h"
#include "callshare/rng/xoshiro.h"
#include "callshare/routing/reference_router.h"
#include "callshare/routing/router.h"
#include "callshare/tenant/generator.h"

namespace callshare {
namespace {

// Calls drawn per tenant; a power of two so the loop wraps with a mask.
constexpr std::size_t kCalls = 1 << 20;
constexpr std::size_t kBatch = 256;

// One generated tenant with its calls and presence, built once per size.
struct Fixture {
  Directory directory;
  Tenant tenant;
  std::vector<CallRequest> calls;
  // The same calls without those to callees who own a call group or have
  // delegates: what a route costs when it reads only the callee's record.
  std::vector<CallRequest> plain_calls;
  std::vector<std::uint8_t> presence;
  std::unique_ptr<ReferenceRouter> reference;  // built on first use
};

Fixture& FixtureFor(std::uint32_t users) {
  static std::map<std::uint32_t, std::unique_ptr<Fixture>> cache;
  std::unique_ptr<Fixture>& slot = cache[users];
  if (slot) return *slot;
  slot = std::make_unique<Fixture>();
  GeneratorOptions options;
  options.users = users;
  options.groups = std::min<std::uint32_t>(32'768, users);
  options.full_groups = true;
  options.seed = 42;
  slot->directory = GenerateDirectory(options, LimitProfile::Teams());
  Diagnostics errors;
  slot->tenant =
      *Tenant::Build(slot->directory, LimitProfile::Teams(), &errors);
  Xoshiro256pp rng(7);
  slot->calls.resize(kCalls);
  for (CallRequest& call : slot->calls) {
    call.callee = static_cast<UserId>(UniformBelow(rng, users));
    call.caller = UniformBelow(rng, 2) == 0
                      ? kNoUser
                      : static_cast<UserId>(UniformBelow(rng, users));
    call.pstn = UniformBelow(rng, 5) == 0;
  }
  for (const CallRequest& call : slot->calls) {
    const UserRecord& record = slot->tenant.user(call.callee);
    if (record.group == kNoGroup && record.delegate_count == 0) {
      slot->plain_calls.push_back(call);
    }
  }
  // Pad by repeating; a tenant where everyone owns a group has none.
  while (!slot->plain_calls.empty() && slot->plain_calls.size() < kCalls) {
    slot->plain_calls.push_back(
        slot->plain_calls[slot->plain_calls.size() % 1024]);
  }
  slot->presence.resize(users);
  for (std::uint8_t& state : slot->presence) {
    state = UniformBelow(rng, 10) == 0 ? PresenceState::kOnCall : 0;
  }
  return *slot;
}

void SetCounters(benchmark::State& state, const Fixture& fixture,
                 std::int64_t routes) {
  state.SetItemsProcessed(routes);
  state.counters["bytes_per_user"] =
      static_cast<double>(fixture.tenant.routing_bytes()) /
      fixture.tenant.user_count();
  state.counters["groups"] = fixture.tenant.group_count();
}

void BM_RouteFlat(benchmark::State& state) {
  Fixture& fixture = FixtureFor(static_cast<std::uint32_t>(state.range(0)));
  const Router router(fixture.tenant, RouterOptions{}, fixture.presence);
  RingPlan plan;
  std::size_t i = 0;
  for (auto _ : state) {
    router.Route(fixture.calls[i++ & (kCalls - 1)], &plan);
    benchmark::DoNotOptimize(plan);
  }
  SetCounters(state, fixture, state.iterations());
}

void BM_RouteFlatBatch(benchmark::State& state) {
  Fixture& fixture = FixtureFor(static_cast<std::uint32_t>(state.range(0)));
  const Router router(fixture.tenant, RouterOptions{}, fixture.presence);
  std::vector<RingPlan> plans(kBatch);
  std::size_t begin = 0;
  for (auto _ : state) {
    router.RouteBatch(std::span(fixture.calls).subspan(begin, kBatch), plans);
    benchmark::DoNotOptimize(plans.data());
    benchmark::ClobberMemory();
    begin = (begin + kBatch) & (kCalls - 1);
  }
  SetCounters(state, fixture,
              state.iterations() * static_cast<std::int64_t>(kBatch));
}

// As BM_RouteFlatBatch, over callees without a group or delegates.
void BM_RouteFlatBatchPlain(benchmark::State& state) {
  Fixture& fixture = FixtureFor(static_cast<std::uint32_t>(state.range(0)));
  const Router router(fixture.tenant, RouterOptions{}, fixture.presence);
  std::vector<RingPlan> plans(kBatch);
  std::size_t begin = 0;
  for (auto _ : state) {
    router.RouteBatch(std::span(fixture.plain_calls).subspan(begin, kBatch),
                      plans);
    benchmark::DoNotOptimize(plans.data());
    benchmark::ClobberMemory();
    begin = (begin + kBatch) & (kCalls - 1);
  }
  SetCounters(state, fixture,
              state.iterations() * static_cast<std::int64_t>(kBatch));
}

void BM_RouteReference(benchmark::State& state) {
  Fixture& fixture = FixtureFor(static_cast<std::uint32_t>(state.range(0)));
  if (!fixture.reference) {
    fixture.reference = std::make_unique<ReferenceRouter>(
        fixture.directory, LimitProfile::Teams(), RouterOptions{});
  }
  std::size_t i = 0;
  for (auto _ : state) {
    RingPlan plan = fixture.reference->Route(fixture.calls[i++ & (kCalls - 1)],
                                             fixture.presence);
    benchmark::DoNotOptimize(plan);
  }
  SetCounters(state, fixture, state.iterations());
}

BENCHMARK(BM_RouteFlat)->Arg(1'000)->Arg(100'000)->Arg(1'000'000);
BENCHMARK(BM_RouteFlatBatch)->Arg(1'000)->Arg(100'000)->Arg(1'000'000);
BENCHMARK(BM_RouteFlatBatchPlain)->Arg(100'000)->Arg(1'000'000);
BENCHMARK(BM_RouteReference)->Arg(1'000)->Arg(100'000)->Arg(1'000'000);

}  // namespace
}  // namespace callshare

BENCHMARK_MAIN();
