// xoshiro256++ and SplitMix64: the random bit generators of callshare.
//
// xoshiro256++ is the simulator's generator: 256 bits of state, period
// 2^256 - 1, four shifts, rotations and xors a draw, and jump functions that
// split one seed into non-overlapping streams (one a replication or a
// process). SplitMix64 expands a 64-bit seed into the four state words, so
// that nearby seeds still give unrelated streams. Both are header-only so
// that a draw inlines into the simulator's loop.
//
// Thread safety: a generator is a plain value; give each thread its own.
#ifndef CALLSHARE_RNG_XOSHIRO_H_
#define CALLSHARE_RNG_XOSHIRO_H_

#include <array>
#include <bit>
#include <concepts>
#include <cstdint>
#include <limits>
#include <random>

namespace callshare {

// SplitMix64: a 64-bit counter passed through a bijective mixer. Used to seed
// Xoshiro256pp, never as the simulator's generator (its period is only 2^64).
class SplitMix64 {
 public:
  // Starts the counter at `seed`; every seed, zero included, is valid.
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  // Returns the next output and advances the counter by the golden-ratio
  // increment, an odd constant so that the counter visits all 2^64 values.
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

// xoshiro256++: a uniform random bit generator with 2^256 - 1 period.
class Xoshiro256pp {
 public:
  using result_type = std::uint64_t;
  using State = std::array<std::uint64_t, 4>;

  // Seeds the state with four successive SplitMix64(seed) outputs, which are
  // never all zero, the one state the generator must avoid.
  explicit Xoshiro256pp(std::uint64_t seed) {
    SplitMix64 mixer(seed);
    for (std::uint64_t& word : state_) word = mixer.Next();
  }

  // Starts from an explicit state. REQUIRES: not all four words are zero.
  explicit Xoshiro256pp(const State& state) : state_(state) {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() {
    return std::numeric_limits<result_type>::max();
  }

  // Returns the next 64 uniformly distributed bits.
  result_type Next() {
    const std::uint64_t result =
        std::rotl(state_[0] + state_[3], 23) + state_[0];
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = std::rotl(state_[3], 45);
    return result;
  }

  // Same as Next(), for the standard library's distributions.
  result_type operator()() { return Next(); }

  // Advances the state by 2^128 draws: gives 2^128 non-overlapping streams
  // of 2^128 draws each, one a replication.
  void Jump();

  // Advances the state by 2^192 draws: gives 2^64 starting points, one a
  // process, each of which Jump() splits further.
  void LongJump();

  // The four state words, to save a stream and resume it later.
  const State& state() const { return state_; }

 private:
  // Multiplies the state by a jump polynomial in the generator's linear
  // algebra. Out of line: jumps are rare and their tables are cold.
  void ApplyJump(const State& polynomial);

  State state_;
};

static_assert(std::uniform_random_bit_generator<Xoshiro256pp>,
              "the standard distributions must accept Xoshiro256pp");

}  // namespace callshare

#endif  // CALLSHARE_RNG_XOSHIRO_H_
