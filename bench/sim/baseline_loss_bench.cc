// The textbook Erlang loss simulator's speed: the figure the callshare
// simulator has to beat.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "testing/sim/baseline_loss.h"

namespace callshare {
namespace {

// Arguments: groups, calls. Ten servers a group offered 8 erlangs, where
// Erlang B gives a 12% loss, a busy but not saturated system.
void BM_BaselineLoss(benchmark::State& state) {
  const auto groups = static_cast<std::uint32_t>(state.range(0));
  const auto calls = static_cast<std::uint64_t>(state.range(1));
  std::uint64_t events = 0;
  for (auto _ : state) {
    const BaselineLossResult result =
        RunBaselineLoss(groups, 10, 8.0, calls, 1);
    benchmark::DoNotOptimize(result);
    events += result.events;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}
BENCHMARK(BM_BaselineLoss)
    ->Args({1, 1'000'000})
    ->Args({32'768, 4'000'000})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace callshare
