// xoshiro256++ and SplitMix64 (placeholder: being written).
#ifndef CALLSHARE_RNG_XOSHIRO_H_
#define CALLSHARE_RNG_XOSHIRO_H_
#endif  // CALLSHARE_RNG_XOSHIRO_H_
