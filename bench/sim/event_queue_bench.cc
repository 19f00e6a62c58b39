// The classic hold model on every event-queue implementation: with n events
// pending, pop the earliest and push one at its time plus an increment, so
// the pending count stays n. One iteration is one event processed.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <queue>
#include <random>
#include <vector>

#include "callshare/rng/distributions.h"
#include "callshare/rng/xoshiro.h"
#include "callshare/sim/event_queue.h"

namespace callshare {
namespace {

// std::priority_queue behind the event-queue interface, with the same
// (time, sequence) order so that it does the same work as ours.
class StdPriorityQueue {
 public:
  void Push(SimTime time, std::uint64_t payload) {
    queue_.push({time, sequence_++, payload});
  }
  Event Pop() {
    const Entry top = queue_.top();
    queue_.pop();
    return {top.time, top.payload};
  }
  void Reserve(std::size_t n) {
    std::vector<Entry> storage;
    storage.reserve(n);
    queue_ = Queue(std::greater<>(), std::move(storage));
  }

 private:
  struct Entry {
    SimTime time;
    std::uint64_t sequence;
    std::uint64_t payload;
    bool operator>(const Entry& other) const {
      return time != other.time ? time > other.time : sequence > other.sequence;
    }
  };
  using Queue = std::priority_queue<Entry, std::vector<Entry>, std::greater<>>;
  Queue queue_;
  std::uint64_t sequence_ = 0;
};

// Exponential increments of mean one second, from our generator.
struct ExponentialIncrement {
  Xoshiro256pp rng{7};
  SimTime operator()() {
    return static_cast<SimTime>(Exponential(rng, kMicrosPerSecond));
  }
};

// Exponential increments of mean one second the textbook way.
struct TextbookIncrement {
  std::mt19937_64 engine{7};
  std::exponential_distribution<double> exponential{1.0 / kMicrosPerSecond};
  SimTime operator()() { return static_cast<SimTime>(exponential(engine)); }
};

// Increments shaped like the simulator's: 40% answer delays (uniform 1-10
// s), 20% ring timeouts (uniform 20-30 s), 40% holding times (exponential,
// mean 180 s), the mix of one answered call's events.
struct CallIncrement {
  Xoshiro256pp rng{7};
  SimTime operator()() {
    const std::uint64_t kind = UniformBelow(rng, 10);
    if (kind < 4) return Seconds(1.0 + 9.0 * UniformDouble(rng));
    if (kind < 6) return Seconds(20.0 + 10.0 * UniformDouble(rng));
    return Seconds(Exponential(rng, 180.0));
  }
  static SimTime Seconds(double s) {
    return static_cast<SimTime>(s * kMicrosPerSecond);
  }
};

template <typename Queue, typename Increment>
void BM_Hold(benchmark::State& state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  Queue queue;
  queue.Reserve(pending + 1);
  Increment increment;
  for (std::size_t i = 0; i < pending; ++i) queue.Push(increment(), i);
  for (auto _ : state) {
    const Event event = queue.Pop();
    queue.Push(event.time + increment(), event.payload);
  }
  state.SetItemsProcessed(state.iterations());
}

// The pending sizes: a tiny queue, a small office, and the 100,000 and
// 300,000 events of large tenants under load.
void PendingSizes(benchmark::internal::Benchmark* benchmark) {
  for (const int64_t n : {16, 1'000, 100'000, 300'000}) benchmark->Arg(n);
}

#define CALLSHARE_HOLD(queue, increment) \
  BENCHMARK_TEMPLATE(BM_Hold, queue, increment)->Apply(PendingSizes)

CALLSHARE_HOLD(DaryHeap<2>, ExponentialIncrement);
CALLSHARE_HOLD(DaryHeap<4>, ExponentialIncrement);
CALLSHARE_HOLD(DaryHeap<8>, ExponentialIncrement);
CALLSHARE_HOLD(CalendarQueue, ExponentialIncrement);
CALLSHARE_HOLD(StdPriorityQueue, ExponentialIncrement);
CALLSHARE_HOLD(StdPriorityQueue, TextbookIncrement);

CALLSHARE_HOLD(DaryHeap<2>, CallIncrement);
CALLSHARE_HOLD(DaryHeap<4>, CallIncrement);
CALLSHARE_HOLD(DaryHeap<8>, CallIncrement);
CALLSHARE_HOLD(CalendarQueue, CallIncrement);
CALLSHARE_HOLD(StdPriorityQueue, CallIncrement);

}  // namespace
}  // namespace callshare

BENCHMARK_MAIN();
