#include <algorithm>
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "callshare/sim/event_queue.h"

namespace callshare {
namespace {

// The ring never shrinks below this many days; a power of two like every
// ring size, so that the day-to-bucket map stays a mask.
constexpr std::size_t kMinBuckets = 4;
static_assert((kMinBuckets & (kMinBuckets - 1)) == 0, "ring sizes are masks");

// Brown's width estimate looks at this many of the earliest events: enough
// to average out one odd gap, few enough to be cheap at every resize.
constexpr std::size_t kWidthSamples = 25;

}  // namespace

void CalendarQueue::Clear() {
  nodes_.clear();
  buckets_.assign(kMinBuckets, kNil);
  free_ = kNil;
  size_ = 0;
  width_ = 1;
  scan_day_ = 0;
  sequence_ = 0;
}

void CalendarQueue::Push(SimTime time, std::uint64_t payload) {
  const Link node =
      NewNode(event_queue_internal::MakeKey(time, sequence_++), payload);
  const std::uint64_t day = Day(nodes_[node].key);
  if (day < scan_day_) scan_day_ = day;  // keeps the scan invariant
  Insert(node);
  ++size_;
  if (size_ > 2 * buckets_.size()) Resize(2 * buckets_.size());
}

Event CalendarQueue::Pop() {
  assert(!empty());
  const Link node = FindEarliest();
  const Node& earliest = nodes_[node];
  const Event event{event_queue_internal::KeyTime(earliest.key),
                    earliest.payload};
  buckets_[Bucket(scan_day_)] = earliest.next;
  nodes_[node].next = free_;
  free_ = node;
  --size_;
  if (buckets_.size() > kMinBuckets && size_ < buckets_.size() / 2) {
    Resize(buckets_.size() / 2);
  }
  return event;
}

Event CalendarQueue::Top() {
  assert(!empty());
  const Node& earliest = nodes_[FindEarliest()];
  return {event_queue_internal::KeyTime(earliest.key), earliest.payload};
}

CalendarQueue::Link CalendarQueue::NewNode(Key key, std::uint64_t payload) {
  if (free_ == kNil) {
    nodes_.push_back({key, payload, kNil});
    return static_cast<Link>(nodes_.size() - 1);
  }
  const Link node = free_;
  free_ = nodes_[node].next;
  nodes_[node] = {key, payload, kNil};
  return node;
}

// Links `node` into its day's list, after every smaller key. Lists hold
// about two events on average, so the walk is short.
void CalendarQueue::Insert(Link node) {
  const Key key = nodes_[node].key;
  Link* link = &buckets_[Bucket(Day(key))];
  while (*link != kNil && nodes_[*link].key < key) link = &nodes_[*link].next;
  nodes_[node].next = *link;
  *link = node;
}

// Walks the ring one day at a time from the scan day; the first list whose
// head falls on the day being walked holds the earliest event, because no
// event is earlier than the scan day (the invariant). A year without a hit
// means the next event is far away: look at every head instead.
CalendarQueue::Link CalendarQueue::FindEarliest() {
  for (std::size_t walked = 0; walked < buckets_.size(); ++walked) {
    const Link head = buckets_[Bucket(scan_day_)];
    if (head != kNil && Day(nodes_[head].key) == scan_day_) return head;
    ++scan_day_;
  }
  return DirectSearch();
}

CalendarQueue::Link CalendarQueue::DirectSearch() {
  Link earliest = kNil;
  for (const Link head : buckets_) {
    if (head != kNil &&
        (earliest == kNil || nodes_[head].key < nodes_[earliest].key)) {
      earliest = head;
    }
  }
  scan_day_ = Day(nodes_[earliest].key);
  return earliest;
}

// Algorithm: take the earliest events out to estimate the new day width,
// then relink every event into a fresh ring of `buckets` days and restart
// the scan on the earliest event's day.
void CalendarQueue::Resize(std::size_t buckets) {
  if (size_ == 0) {
    buckets_.assign(buckets, kNil);
    return;
  }

  // Unlink up to kWidthSamples earliest events, in order.
  std::array<Link, kWidthSamples> samples{};
  std::size_t sampled = 0;
  while (sampled < samples.size() && sampled < size_) {
    const Link node = FindEarliest();
    buckets_[Bucket(scan_day_)] = nodes_[node].next;
    samples[sampled++] = node;
  }
  const Key earliest = nodes_[samples[0]].key;
  width_ = EstimateWidth(samples.data(), sampled);

  // Relink the remaining events, then the sampled ones, into the new ring.
  std::vector<Link> old_buckets(buckets, kNil);
  old_buckets.swap(buckets_);
  for (Link head : old_buckets) {
    while (head != kNil) {
      const Link next = nodes_[head].next;
      Insert(head);
      head = next;
    }
  }
  for (std::size_t i = 0; i < sampled; ++i) Insert(samples[i]);
  scan_day_ = Day(earliest);
}

// Brown's rule: three times the mean gap between the sampled events,
// ignoring gaps over twice the first mean so that one lull does not stretch
// every day. Keeps the old width when there is nothing to measure.
std::uint64_t CalendarQueue::EstimateWidth(const Link* samples,
                                           std::size_t count) const {
  if (count < 2) return width_;
  auto gap = [&](std::size_t i) {
    return static_cast<double>(
        static_cast<std::uint64_t>(nodes_[samples[i]].key >> 64) -
        static_cast<std::uint64_t>(nodes_[samples[i - 1]].key >> 64));
  };
  double total = 0.0;
  for (std::size_t i = 1; i < count; ++i) total += gap(i);
  const double mean = total / static_cast<double>(count - 1);
  double kept_total = 0.0;
  std::size_t kept = 0;
  for (std::size_t i = 1; i < count; ++i) {
    if (gap(i) <= 2.0 * mean) {
      kept_total += gap(i);
      ++kept;
    }
  }
  const double width = 3.0 * kept_total / static_cast<double>(kept);
  return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(width));
}

}  // namespace callshare
