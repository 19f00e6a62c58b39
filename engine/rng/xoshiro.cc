#include "callshare/rng/xoshiro.h"

#include <cstddef>

namespace callshare {
namespace {

// The jump polynomials of xoshiro256: x^(2^128) and x^(2^192) reduced modulo
// the generator's characteristic polynomial, one bit a coefficient.
constexpr Xoshiro256pp::State kJumpPolynomial = {
    0x180ec6d33cfd0abaULL, 0xd5a61266f0c9392cULL, 0xa9582618e03fc9aaULL,
    0x39abdc4529b1661cULL};
constexpr Xoshiro256pp::State kLongJumpPolynomial = {
    0x76e15d3efefdcbbfULL, 0xc5004e441c522fb3ULL, 0x77710069854ee241ULL,
    0x39109bb02acbe635ULL};

}  // namespace

void Xoshiro256pp::Jump() { ApplyJump(kJumpPolynomial); }

void Xoshiro256pp::LongJump() { ApplyJump(kLongJumpPolynomial); }

// Evaluates the polynomial at the generator's transition matrix: the state
// reached after k draws is xored into the sum for each set coefficient k.
void Xoshiro256pp::ApplyJump(const State& polynomial) {
  State sum = {0, 0, 0, 0};
  for (const std::uint64_t word : polynomial) {
    for (int bit = 0; bit < 64; ++bit) {
      if ((word >> bit) & 1U) {
        for (std::size_t i = 0; i < sum.size(); ++i) sum[i] ^= state_[i];
      }
      Next();
    }
  }
  state_ = sum;
}

}  // namespace callshare
