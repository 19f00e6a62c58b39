#include "callshare/sim/result_codec.h"

#include <bit>
#include <cstddef>
#include <iterator>
#include <string>

namespace callshare {
namespace {

class Writer {
 public:
  explicit Writer(std::vector<std::byte>* out) : out_(out) {}

  void Byte(std::uint8_t value) { out_->push_back(std::byte{value}); }

  void Varint(std::uint64_t value) {
    while (value >= 0x80) {
      Byte(std::uint8_t((value & 0x7f) | 0x80));
      value >>= 7;
    }
    Byte(std::uint8_t(value));
  }

  void Double(double value) {
    const auto bits = std::bit_cast<std::uint64_t>(value);
    for (int shift = 0; shift < 64; shift += 8) {
      Byte(std::uint8_t(bits >> shift));
    }
  }

  void Text(const std::string& text) {
    Varint(text.size());
    for (char c : text) Byte(std::uint8_t(c));
  }

  template <std::size_t N>
  void Counts(const std::array<std::uint64_t, N>& counts) {
    for (std::uint64_t count : counts) Varint(count);
  }

  // Most of the 6,002 time-to-answer bins are empty in a short run, so
  // only the non-zero ones are written, each after the gap from the last.
  template <typename Histogram>
  void Bins(const Histogram& histogram) {
    Varint(histogram.size());
    std::uint64_t non_zero = 0;
    for (double value : histogram) non_zero += value != 0;
    Varint(non_zero);
    std::uint64_t last = 0;
    for (auto it = histogram.begin(); it != histogram.end(); ++it) {
      if (*it == 0) continue;
      const auto index = std::uint64_t(std::distance(histogram.begin(), it));
      Varint(index - last);
      Double(*it);
      last = index;
    }
  }

 private:
  std::vector<std::byte>* out_;
};

// Reads what Writer wrote. Every read fails softly: after the first
// failure ok() is false and later reads return zeros.
class Reader {
 public:
  explicit Reader(std::span<const std::byte> bytes) : bytes_(bytes) {}

  bool ok() const { return ok_; }
  std::size_t consumed() const { return position_; }
  std::size_t remaining() const { return bytes_.size() - position_; }

  std::uint8_t Byte() {
    if (!ok_ || position_ >= bytes_.size()) {
      ok_ = false;
      return 0;
    }
    return std::to_integer<std::uint8_t>(bytes_[position_++]);
  }

  std::uint64_t Varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t byte = Byte();
      value |= std::uint64_t(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    ok_ = false;  // more than ten bytes: not a varint we wrote
    return 0;
  }

  double Double() {
    std::uint64_t bits = 0;
    for (int shift = 0; shift < 64; shift += 8) {
      bits |= std::uint64_t(Byte()) << shift;
    }
    return std::bit_cast<double>(bits);
  }

  std::string Text() {
    const std::uint64_t size = Count();
    std::string text;
    text.reserve(size);
    for (std::uint64_t i = 0; i < size && ok_; ++i) {
      text.push_back(char(Byte()));
    }
    return text;
  }

  // A length that must fit in what is left, so that a corrupt length
  // cannot make the decoder allocate without bound.
  std::uint64_t Count() {
    const std::uint64_t count = Varint();
    if (count > remaining()) ok_ = false;
    return ok_ ? count : 0;
  }

  template <std::size_t N>
  void Counts(std::array<std::uint64_t, N>* counts) {
    for (std::uint64_t& count : *counts) count = Varint();
  }

  template <typename Histogram>
  void Bins(Histogram* histogram) {
    if (Varint() != histogram->size()) ok_ = false;
    const std::uint64_t non_zero = Count();
    std::uint64_t index = 0;
    for (std::uint64_t i = 0; i < non_zero && ok_; ++i) {
      index += Varint();
      const double value = Double();
      if (index >= histogram->size()) {
        ok_ = false;
        return;
      }
      *(histogram->begin() + std::ptrdiff_t(index)) = value;
    }
  }

 private:
  std::span<const std::byte> bytes_;
  std::size_t position_ = 0;
  bool ok_ = true;
};

void EncodeTimeline(const std::vector<TimeSlice>& timeline, Writer* writer) {
  writer->Varint(timeline.size());
  for (const TimeSlice& slice : timeline) {
    writer->Double(slice.start_s);
    writer->Counts(slice.outcomes);
    writer->Varint(slice.stale_routed);
    writer->Varint(slice.blocked_by_policy);
  }
}

void DecodeTimeline(Reader* reader, std::vector<TimeSlice>* timeline) {
  timeline->resize(reader->Count());
  for (TimeSlice& slice : *timeline) {
    slice.start_s = reader->Double();
    reader->Counts(&slice.outcomes);
    slice.stale_routed = reader->Varint();
    slice.blocked_by_policy = reader->Varint();
  }
}

void EncodeAdminEvents(const std::vector<AppliedEvent>& events,
                       Writer* writer) {
  writer->Varint(events.size());
  for (const AppliedEvent& event : events) {
    writer->Double(event.at_s);
    writer->Text(event.description);
    writer->Byte(event.rejected ? 1 : 0);
  }
}

void DecodeAdminEvents(Reader* reader, std::vector<AppliedEvent>* events) {
  events->resize(reader->Count());
  for (AppliedEvent& event : *events) {
    event.at_s = reader->Double();
    event.description = reader->Text();
    event.rejected = reader->Byte() != 0;
  }
}

}  // namespace

void EncodeResult(const ReplicationResult& result,
                  std::vector<std::byte>* out) {
  Writer writer(out);
  writer.Byte(kResultCodecVersion);
  writer.Varint(result.replication);

  // Counts and flags.
  writer.Varint(result.offered);
  writer.Counts(result.outcomes);
  writer.Varint(result.stale_routed);
  writer.Varint(result.blocked_by_policy);
  writer.Varint(result.ineligible_legs);
  writer.Varint(result.limit_rejections);
  writer.Counts(result.pickups_by_notification);
  writer.Counts(result.notifications_by_kind);
  writer.Double(result.member_hours);

  // Distributions, then what happened over time, then the work done.
  writer.Bins(result.time_to_answer);
  writer.Bins(result.routing_latency_ns);
  writer.Double(result.routing_latency_max_ns);
  EncodeTimeline(result.timeline, &writer);
  EncodeAdminEvents(result.admin_events, &writer);
  writer.Varint(result.events);
  writer.Double(result.wall_s);
}

std::optional<ReplicationResult> DecodeResult(
    std::span<const std::byte>* bytes) {
  Reader reader(*bytes);
  if (reader.Byte() != kResultCodecVersion) return std::nullopt;
  ReplicationResult result;
  result.replication = std::uint32_t(reader.Varint());

  result.offered = reader.Varint();
  reader.Counts(&result.outcomes);
  result.stale_routed = reader.Varint();
  result.blocked_by_policy = reader.Varint();
  result.ineligible_legs = reader.Varint();
  result.limit_rejections = reader.Varint();
  reader.Counts(&result.pickups_by_notification);
  reader.Counts(&result.notifications_by_kind);
  result.member_hours = reader.Double();

  reader.Bins(&result.time_to_answer);
  reader.Bins(&result.routing_latency_ns);
  result.routing_latency_max_ns = reader.Double();
  DecodeTimeline(&reader, &result.timeline);
  DecodeAdminEvents(&reader, &result.admin_events);
  result.events = reader.Varint();
  result.wall_s = reader.Double();

  if (!reader.ok()) return std::nullopt;
  *bytes = bytes->subspan(reader.consumed());
  return result;
}

}  // namespace callshare
