// A compact byte encoding of ReplicationResult, for carrying results
// between processes (MPI ranks) that run replications of the same run.
//
// Layout: a format version byte, then every field in declaration order.
// Unsigned integers are LEB128 varints (counts are small next to 2^64),
// doubles are their 8 IEEE-754 bytes little-endian, strings a varint
// length then their bytes. Both histograms have fixed axes, so only their
// bin count (as a check) and their non-zero bins go over the wire, as
// (index gap, value) pairs over all bins including under- and overflow.
// The encoding is independent of the host's byte order.
#ifndef CALLSHARE_SIM_RESULT_CODEC_H_
#define CALLSHARE_SIM_RESULT_CODEC_H_

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "callshare/sim/results.h"

namespace callshare {

// The format version EncodeResult writes and DecodeResult accepts. Bump it
// whenever ReplicationResult or the layout above changes.
inline constexpr std::uint8_t kResultCodecVersion = 1;

// Appends the encoding of `result` to `*out`.
void EncodeResult(const ReplicationResult& result, std::vector<std::byte>* out);

// Decodes one result from the front of `*bytes` and advances it past the
// encoding; nullopt when the bytes are truncated, of another version or
// describe histograms of other axes.
std::optional<ReplicationResult> DecodeResult(
    std::span<const std::byte>* bytes);

}  // namespace callshare

#endif  // CALLSHARE_SIM_RESULT_CODEC_H_
