// The full simulator's speed beside the textbook baseline on the same
// Erlang loss systems, and a tenant-scale busy hour.
//
//   build/h6/bench/sim/sim_bench --benchmark_filter='SimErlang|Baseline'
//       --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
//   build/h6/bench/sim/sim_bench --benchmark_filter=SimTenantBusyHour
//
// Measured (Release, g++ 12, one core of a 2-core AMD EPYC VM that other
// builds kept at load 5 to 11, so CPU times are quoted, medians of 3, and
// move by up to 20% between runs):
//
//                            events/s   calls/s   CPU      baseline ev/s
//   (a) 1 group, 1 M calls    9.4 M     5.0 M    199 ms   17.7 M (106 ms)
//       latency off          10.2 M     5.4 M    185 ms
//   (b) 32,768 groups, 4 M   4.3-5.2 M  2.3-2.8 M 1.45-1.76 s
//                                                     3.7-4.6 M (1.6-2.0 s)
//       latency off          5.0-5.3 M  2.7-2.8 M 1.43-1.50 s
//   (c) 1 M users, 32,768 groups, 1 M calls: 1.07 s CPU (3.3 s wall at
//       load 10), 2.4 M events/s, peak RSS 306 MiB with the generator.
//
// (a) falls short of the baseline: the baseline's call is one heap push
// and pop and two exponentials (~115 ns); ours adds a full route (~70 ns
// of the router, callgrind: ~720 of ~1,760 instructions a call), the
// answer decision, presence refresh and every measure. (b) is memory
// bound: ~10 cache lines a call from the tenant tables, the presence
// bytes and hang-up times, hidden in part by the prefetch pipeline.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdint>

#include "callshare/sim/simulator.h"
#include "callshare/tenant/generator.h"
#include "tests/sim/sim_fixtures.h"

namespace callshare {
namespace {

constexpr double kErlangsPerGroup = 8.0;
constexpr double kHoldingS = 180.0;  // as the baseline

// Reports events/s as items and calls/s as a rate counter.
void Report(benchmark::State& state, std::uint64_t events,
            std::uint64_t calls) {
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["calls_per_s"] =
      benchmark::Counter(double(calls), benchmark::Counter::kIsRate);
}

// Arguments: groups, calls, whether routing latency is measured. Ten
// members a group, 8 erlangs a group, as BM_BaselineLoss; the run starts
// empty and its duration is chosen to offer `calls` calls.
void BM_SimErlangLoss(benchmark::State& state) {
  const auto groups = static_cast<std::uint32_t>(state.range(0));
  const auto calls = static_cast<double>(state.range(1));
  SimulatorOptions options;
  options.measure_routing_latency = state.range(2) != 0;
  const Tenant tenant = MakeGroupTenant(groups, 10, RingOrder::kSimultaneous);
  SimConfig config = MakeErlangConfig(groups, kErlangsPerGroup, kHoldingS, 1);
  config.run.warmup_s = 0;
  config.run.duration_s = calls / (config.traffic.calls_per_hour / 3600.0);
  std::uint64_t events = 0, offered = 0;
  double lost = 0;
  for (auto _ : state) {
    const ReplicationResult r =
        RunReplication(config, tenant, 0, options, nullptr);
    events += r.events;
    offered += r.offered;
    lost = r.Share(Outcome::kVoicemail);
  }
  Report(state, events, offered);
  state.counters["lost_share"] = lost;
}
BENCHMARK(BM_SimErlangLoss)
    ->Args({1, 1'000'000, 1})
    ->Args({1, 1'000'000, 0})
    ->Args({32'768, 4'000'000, 1})
    ->Args({32'768, 4'000'000, 0})
    ->Unit(benchmark::kMillisecond);

// A busy hour at tenant scale: a generated tenant of a million users and
// 32,768 call groups, a million calls in the hour, default behaviour.
void BM_SimTenantBusyHour(benchmark::State& state) {
  GeneratorOptions generator;
  generator.users = 1'000'000;
  generator.groups = 32'768;
  Diagnostics errors;
  const Tenant tenant =
      *Tenant::Build(GenerateDirectory(generator, LimitProfile::Teams()),
                     LimitProfile::Teams(), &errors);
  SimConfig config;
  config.run.duration_s = 3'600;
  config.traffic.calls_per_hour = 1'000'000;
  SimulatorOptions options;
  options.measure_routing_latency = state.range(0) != 0;
  std::uint64_t events = 0, offered = 0;
  for (auto _ : state) {
    const ReplicationResult r =
        RunReplication(config, tenant, 0, options, nullptr);
    events += r.events;
    offered += r.offered;
  }
  Report(state, events, offered);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["max_rss_mib"] = double(usage.ru_maxrss) / 1024.0;
}
BENCHMARK(BM_SimTenantBusyHour)
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace callshare
