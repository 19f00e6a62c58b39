// The simulator's pending-event set: a priority queue of (time, payload).
//
// Design notes
// ============
// Order. Events pop in strictly increasing (time, sequence) order, where the
// sequence number is a counter the queue assigns at Push. Equal times pop in
// push order, so a run is a pure function of its seed: no pointer values, no
// hash order, no unstable sort ever decides which event goes first.
//
// Key. Both implementations compare one 128-bit unsigned key:
//
//   bits 127..64  time with its sign bit flipped (so that unsigned order is
//                 signed order and negative times work too)
//   bits  63..0   sequence number (2^64 pushes never wrap in a run)
//
// One compare-and-borrow pair of instructions orders two events, with no
// branch on the tie. The 64-bit payload rides beside the key, never inside
// the compare.
//
// No cancellation. Neither queue can remove an event before it is due. The
// simulator encodes a generation counter in the payload and drops an event
// whose generation is stale when it pops (lazy cancellation): cheaper than
// an indexed heap, whose position map costs a write on every move.
//
// DaryHeap<D>. An implicit D-ary min-heap on two flat arrays:
//
//   keys_:     [pad x (D-1)][root][c1 .. cD][grandchildren ...]  16 B each
//   payloads_: same indices, 8 B each, touched only when an event moves
//
// The D-1 pad slots shift the root so that every sibling group starts at a
// physical index that is a multiple of D; with 64-byte-aligned keys and
// D = 4 one sibling group is exactly one cache line, so a level of the
// sift-down costs one line fill. Invariant: every key is >= its parent's.
// Push sifts up (O(log_D n) compares), Pop moves a hole down choosing the
// least child (O(D log_D n) compares).
//
// CalendarQueue. Brown's calendar queue: a ring of `buckets` days of `width`
// microseconds each; an event lives in day (time / width) mod buckets, in
// a singly linked list sorted by key. Nodes live in one flat pool indexed by
// 32-bit links, with a free list, so steady-state Push and Pop allocate
// nothing. Invariant: no pending event is earlier than the start of the day
// the scan stands on (a Push earlier than that moves the scan back). Pop
// walks the ring from that day and takes the first list head that falls
// within the current year's window; after a full empty year it searches all
// heads directly. The ring doubles when events exceed twice the days and
// halves below half, re-estimating the width from the spacing of the
// earliest events (three times their mean gap, Brown's rule).
//
// Measured. Release, g++ 12, a 2-core machine shared with other builds, so
// figures move by about 15% between runs. Hold model, millions of events/s,
// median of 3 repetitions of 0.3 s:
//
//   sim_bench --benchmark_filter=Hold --benchmark_min_time=0.3
//       --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
//
//   exponential increments, mean 1 s   16     1,000  100,000  300,000
//   DaryHeap<2>                        17.0   10.0   5.2      3.8
//   DaryHeap<4>                        20.6   10.6   6.0      2.9
//   DaryHeap<8>                        21.9   11.1   6.4      3.2
//   CalendarQueue                      15.7   16.0   8.6      3.2
//   std::priority_queue, our rng       18.8   11.3   6.0      3.7
//   std::priority_queue, mt19937_64    18.1   10.1   6.1      3.2
//   call mix (1-10 s, 20-30 s, 180 s)
//   DaryHeap<2>                        20.1   11.1   5.5      3.4
//   DaryHeap<4>                        22.7   12.0   5.1      3.2
//   DaryHeap<8>                        21.0   9.8    5.6      3.6
//   CalendarQueue                      19.9   18.5   3.4      0.78
//   std::priority_queue, our rng       23.3   10.5   6.8      4.9
//
// In the simulator. The hold model is not the simulator's load: hang-ups
// are lazy (see simulator.cc), so the queue holds only ringing calls'
// wake-ups, none at all when members answer at once (the Erlang loss
// benchmarks) and a few thousand in a tenant-scale busy hour. With
// CalendarQueue put in place of DaryHeap<4>, binaries alternated twice,
// CPU medians of 3 (sim_bench, latency timing on):
//
//                                  DaryHeap<4>     CalendarQueue
//   (a) 1 group, 1 M calls        151, 151 ms     151, 152 ms
//   (b) 32,768 groups, 4 M calls  756, 775 ms     743, 770 ms
//   (c) tenant busy hour, 1 M     478, 484 ms     467, 442 ms
//
// Choice. EventQueue is DaryHeap<4>. In the simulator the two are within
// the noise of each other (the 5% on (c) is the size of the run-to-run
// spread), so the simpler structure with no cliff wins: the calendar
// queue falls to 0.78 M/s at 300,000 pending with the call mix, because
// its width, estimated from the earliest events (answer delays, seconds
// apart), is far too narrow for 180 s holding times and Pop walks long
// runs of empty days; a scenario that schedules many admin events or long
// timers would hit it. std::priority_queue beat DaryHeap<4> on the call
// mix at 100,000 and 300,000 pending (6.8 vs 5.1 and 4.9 vs 3.2), sizes
// the simulator never reaches; 4 was kept because one sibling group is
// one cache line and it led at the small sizes the simulator has.
//
#ifndef CALLSHARE_SIM_EVENT_QUEUE_H_
#define CALLSHARE_SIM_EVENT_QUEUE_H_

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <vector>

namespace callshare {

// Simulated time in microseconds since the start of a run.
using SimTime = std::int64_t;

// One simulated second, the unit scenarios speak in.
constexpr SimTime kMicrosPerSecond = 1'000'000;

// A due event: when it happens and what the simulator encoded about it.
struct Event {
  SimTime time;
  std::uint64_t payload;
};

namespace event_queue_internal {

__extension__ using Key = unsigned __int128;

// The 128-bit order key of an event: flipped-sign time above, sequence
// below. Flipping the sign bit maps int64 order onto uint64 order.
inline Key MakeKey(SimTime time, std::uint64_t sequence) {
  const std::uint64_t high = static_cast<std::uint64_t>(time) ^ (1ULL << 63);
  return (static_cast<Key>(high) << 64) | sequence;
}

// The time a key was made from.
inline SimTime KeyTime(Key key) {
  return static_cast<SimTime>(static_cast<std::uint64_t>(key >> 64) ^
                              (1ULL << 63));
}

// A minimal allocator that aligns storage to a cache line, so that the
// heap's sibling groups do not straddle two lines.
template <typename T>
struct CacheAlignedAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlignment{64};
  CacheAlignedAllocator() = default;
  template <typename U>
  explicit CacheAlignedAllocator(const CacheAlignedAllocator<U>&) {}
  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), kAlignment));
  }
  void deallocate(T* p, std::size_t) { ::operator delete(p, kAlignment); }
  bool operator==(const CacheAlignedAllocator&) const = default;
};

}  // namespace event_queue_internal

// An implicit D-ary min-heap of events on flat arrays (see the notes above).
// Not thread-safe; one queue a simulation.
template <int D>
class DaryHeap {
  static_assert(D >= 2 && (D & (D - 1)) == 0,
                "a power-of-two arity keeps sibling groups line-aligned");

 public:
  DaryHeap() { Clear(); }

  // Adds an event due at `time`; equal times pop in push order.
  void Push(SimTime time, std::uint64_t payload) {
    const Key key = event_queue_internal::MakeKey(time, sequence_++);
    keys_.push_back(key);
    payloads_.push_back(payload);
    SiftUp(size() - 1, key, payload);
  }

  // Removes and returns the earliest event. REQUIRES: !empty().
  Event Pop() {
    assert(!empty());
    const Event top{TopTime(), payloads_[kPad]};
    const Key last_key = keys_.back();
    const std::uint64_t last_payload = payloads_.back();
    keys_.pop_back();
    payloads_.pop_back();
    if (!empty()) SiftDown(last_key, last_payload);
    return top;
  }

  // The earliest event, without removing it. REQUIRES: !empty().
  Event Top() const { return {TopTime(), payloads_[kPad]}; }

  // The time of the earliest event. REQUIRES: !empty().
  SimTime TopTime() const {
    assert(!empty());
    return event_queue_internal::KeyTime(keys_[kPad]);
  }

  // True when no event is pending.
  bool empty() const { return keys_.size() == kPad; }

  // The number of pending events.
  std::size_t size() const { return keys_.size() - kPad; }

  // Makes room for `n` pending events, so that pushes up to n allocate
  // nothing.
  void Reserve(std::size_t n) {
    keys_.reserve(n + kPad);
    payloads_.reserve(n + kPad);
  }

  // Drops every pending event and restarts the sequence numbers.
  void Clear() {
    keys_.assign(kPad, 0);
    payloads_.assign(kPad, 0);
    sequence_ = 0;
  }

 private:
  using Key = event_queue_internal::Key;

  // Pad slots before the root; see the layout in the notes.
  static constexpr std::size_t kPad = D - 1;
  static constexpr std::size_t kArity = D;

  // Physical index of the first child of logical node i: D * (i + 1), a
  // multiple of D, hence the start of an aligned sibling group.
  static std::size_t FirstChild(std::size_t i) { return kArity * (i + 1); }

  // Moves the new event at logical `i` up past every later parent.
  void SiftUp(std::size_t i, Key key, std::uint64_t payload) {
    while (i > 0) {
      const std::size_t parent = (i - 1) / kArity;
      if (!(key < keys_[parent + kPad])) break;
      keys_[i + kPad] = keys_[parent + kPad];
      payloads_[i + kPad] = payloads_[parent + kPad];
      i = parent;
    }
    keys_[i + kPad] = key;
    payloads_[i + kPad] = payload;
  }

  // Refills the root's hole with (key, payload), moving least children up.
  void SiftDown(Key key, std::uint64_t payload) {
    const std::size_t end = keys_.size();
    std::size_t hole = kPad;  // physical index
    for (;;) {
      const std::size_t first = FirstChild(hole - kPad);
      if (first >= end) break;
      const std::size_t least = LeastChild(first, end);
      if (!(keys_[least] < key)) break;
      keys_[hole] = keys_[least];
      payloads_[hole] = payloads_[least];
      hole = least;
    }
    keys_[hole] = key;
    payloads_[hole] = payload;
  }

  // The physical index of the least key in [first, min(first + D, end)).
  std::size_t LeastChild(std::size_t first, std::size_t end) const {
    const std::size_t last = first + kArity < end ? first + kArity : end;
    std::size_t least = first;
    for (std::size_t child = first + 1; child < last; ++child) {
      if (keys_[child] < keys_[least]) least = child;
    }
    return least;
  }

  std::vector<Key, event_queue_internal::CacheAlignedAllocator<Key>> keys_;
  std::vector<std::uint64_t> payloads_;
  std::uint64_t sequence_ = 0;
};

// Brown's calendar queue on a flat node pool (see the notes above).
// Not thread-safe; one queue a simulation.
class CalendarQueue {
 public:
  CalendarQueue() { Clear(); }

  // Adds an event due at `time`; equal times pop in push order.
  void Push(SimTime time, std::uint64_t payload);

  // Removes and returns the earliest event. REQUIRES: !empty().
  Event Pop();

  // The earliest event, without removing it. REQUIRES: !empty().
  Event Top();

  // The time of the earliest event. REQUIRES: !empty().
  SimTime TopTime() { return Top().time; }

  // True when no event is pending.
  bool empty() const { return size_ == 0; }

  // The number of pending events.
  std::size_t size() const { return size_; }

  // Makes room for `n` pending events in the node pool.
  void Reserve(std::size_t n) { nodes_.reserve(n); }

  // Drops every pending event and restarts the sequence numbers.
  void Clear();

 private:
  using Key = event_queue_internal::Key;
  using Link = std::uint32_t;
  static constexpr Link kNil = std::numeric_limits<Link>::max();

  // One pending event, or a free slot chained through `next`.
  struct Node {
    Key key;
    std::uint64_t payload;
    Link next;
  };

  // The unsigned day number of a key: the order-preserving time over width.
  std::uint64_t Day(Key key) const {
    return static_cast<std::uint64_t>(key >> 64) / width_;
  }
  std::size_t Bucket(std::uint64_t day) const {
    return static_cast<std::size_t>(day & (buckets_.size() - 1));
  }

  Link NewNode(Key key, std::uint64_t payload);
  void Insert(Link node);
  Link FindEarliest();
  Link DirectSearch();
  void Resize(std::size_t buckets);
  std::uint64_t EstimateWidth(const Link* samples, std::size_t count) const;

  std::vector<Node> nodes_;
  std::vector<Link> buckets_;  // list heads, a power-of-two count
  Link free_ = kNil;
  std::size_t size_ = 0;
  std::uint64_t width_ = 1;     // microseconds a day
  std::uint64_t scan_day_ = 0;  // the day Pop resumes from
  std::uint64_t sequence_ = 0;
};

// The simulator's queue; the choice is explained in the notes above.
using EventQueue = DaryHeap<4>;

}  // namespace callshare

#endif  // CALLSHARE_SIM_EVENT_QUEUE_H_
