#include "callshare/sim/event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <vector>

#include "callshare/rng/distributions.h"
#include "callshare/rng/xoshiro.h"

namespace callshare {
namespace {

template <typename Queue>
class EventQueueTest : public ::testing::Test {};

using Implementations =
    ::testing::Types<DaryHeap<2>, DaryHeap<4>, DaryHeap<8>, CalendarQueue>;
TYPED_TEST_SUITE(EventQueueTest, Implementations);

// The reference: every pushed event with its push number; the next due is
// the least (time, push number), found by a linear scan.
struct Reference {
  std::vector<std::tuple<SimTime, std::uint64_t, std::uint64_t>> pending;
  std::uint64_t pushes = 0;

  void Push(SimTime time, std::uint64_t payload) {
    pending.emplace_back(time, pushes++, payload);
  }
  Event Pop() {
    const auto least = std::min_element(pending.begin(), pending.end());
    const Event event{std::get<0>(*least), std::get<2>(*least)};
    pending.erase(least);
    return event;
  }
};

// Random pushes and pops as a simulator makes them: each push lands at the
// current time plus a random increment, often zero, so ties are common.
template <typename Queue>
void CheckAgainstReference(std::uint64_t seed, SimTime spread, int steps) {
  Queue queue;
  Reference reference;
  Xoshiro256pp rng(seed);
  SimTime now = 0;
  for (int step = 0; step < steps; ++step) {
    const bool push = queue.empty() || UniformBelow(rng, 100) < 55;
    if (push) {
      const auto increment = static_cast<SimTime>(
          Bernoulli(rng, 0.2) ? 0 : UniformBelow(rng, spread));
      queue.Push(now + increment, static_cast<std::uint64_t>(step));
      reference.Push(now + increment, static_cast<std::uint64_t>(step));
    } else {
      ASSERT_EQ(queue.TopTime(),
                std::get<0>(*std::min_element(reference.pending.begin(),
                                              reference.pending.end())));
      const Event got = queue.Pop();
      const Event want = reference.Pop();
      ASSERT_EQ(got.time, want.time) << "step " << step;
      ASSERT_EQ(got.payload, want.payload) << "step " << step;
      now = got.time;
    }
    ASSERT_EQ(queue.size(), reference.pending.size());
  }
}

TYPED_TEST(EventQueueTest, PopsInTimeThenPushOrderWithNarrowSpread) {
  CheckAgainstReference<TypeParam>(1, 10, 20'000);
}

TYPED_TEST(EventQueueTest, PopsInTimeThenPushOrderWithWideSpread) {
  CheckAgainstReference<TypeParam>(2, 180 * kMicrosPerSecond, 20'000);
}

TYPED_TEST(EventQueueTest, PopsInOrderWhenPushesGoBackInTime) {
  // Unlike a simulator, push times here ignore the last popped time.
  TypeParam queue;
  Reference reference;
  Xoshiro256pp rng(3);
  for (int round = 0; round < 2'000; ++round) {
    for (int i = 0; i < 3; ++i) {
      const auto time = static_cast<SimTime>(UniformBelow(rng, 1'000)) - 500;
      queue.Push(time, static_cast<std::uint64_t>(round * 3 + i));
      reference.Push(time, static_cast<std::uint64_t>(round * 3 + i));
    }
    for (int i = 0; i < 2; ++i) {
      const Event got = queue.Pop();
      const Event want = reference.Pop();
      ASSERT_EQ(got.time, want.time);
      ASSERT_EQ(got.payload, want.payload);
    }
  }
}

TYPED_TEST(EventQueueTest, EqualTimesPopInPushOrder) {
  TypeParam queue;
  for (std::uint64_t i = 0; i < 1'000; ++i) queue.Push(42, i);
  for (std::uint64_t i = 0; i < 1'000; ++i) {
    const Event event = queue.Pop();
    EXPECT_EQ(event.time, 42);
    EXPECT_EQ(event.payload, i);
  }
}

TYPED_TEST(EventQueueTest, EmptyAndSizeFollowPushesAndPops) {
  TypeParam queue;
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.size(), 0U);
  queue.Push(5, 1);
  queue.Push(3, 2);
  EXPECT_FALSE(queue.empty());
  EXPECT_EQ(queue.size(), 2U);
  EXPECT_EQ(queue.Top().payload, 2U);
  EXPECT_EQ(queue.size(), 2U);
  EXPECT_EQ(queue.Pop().time, 3);
  EXPECT_EQ(queue.Pop().time, 5);
  EXPECT_TRUE(queue.empty());
}

TYPED_TEST(EventQueueTest, ClearEmptiesAndRestartsSequence) {
  TypeParam queue;
  queue.Reserve(100);
  for (std::uint64_t i = 0; i < 100; ++i) queue.Push(7, i);
  queue.Clear();
  EXPECT_TRUE(queue.empty());
  queue.Push(9, 1);
  queue.Push(8, 2);
  EXPECT_EQ(queue.Pop().payload, 2U);
  EXPECT_EQ(queue.Pop().payload, 1U);
}

TYPED_TEST(EventQueueTest, HoldsThreeHundredThousandPendingEvents) {
  // Fill, run a hold phase, then drain; every pop must be in key order.
  constexpr int kPending = 300'000;
  TypeParam queue;
  queue.Reserve(kPending);
  Xoshiro256pp rng(4);
  for (int i = 0; i < kPending; ++i) {
    queue.Push(static_cast<SimTime>(Exponential(rng, 1e6)),
               static_cast<std::uint64_t>(i));
  }
  SimTime last = 0;
  for (int i = 0; i < kPending; ++i) {
    const Event event = queue.Pop();
    ASSERT_GE(event.time, last);
    last = event.time;
    queue.Push(last + static_cast<SimTime>(Exponential(rng, 1e6)), 0);
  }
  EXPECT_EQ(queue.size(), static_cast<std::size_t>(kPending));
  for (int i = 0; i < kPending; ++i) {
    const Event event = queue.Pop();
    ASSERT_GE(event.time, last);
    last = event.time;
  }
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueueKeyTest, NegativeTimesOrderBeforePositive) {
  DaryHeap<4> queue;
  queue.Push(1, 1);
  queue.Push(-1, 2);
  queue.Push(0, 3);
  EXPECT_EQ(queue.Pop().time, -1);
  EXPECT_EQ(queue.Pop().time, 0);
  EXPECT_EQ(queue.Pop().time, 1);
}

}  // namespace
}  // namespace callshare
