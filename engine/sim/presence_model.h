// Presence of every person over a replication, kept in the one-byte-a-user
// state array that the router reads (PresenceState: presence in the low
// bits, kOnCall on top).
//
// Fixed mode draws each person's presence once. Markov mode moves each
// person through the states of PresenceConfig, but lazily: a person's next
// change time is stored, and the chain is advanced only when a call needs
// that person. No event is ever scheduled for presence, so a million
// people cost two arrays and no queue traffic.
#ifndef CALLSHARE_SIM_PRESENCE_MODEL_H_
#define CALLSHARE_SIM_PRESENCE_MODEL_H_

#include <cstdint>
#include <span>
#include <vector>

#include "callshare/rng/xoshiro.h"
#include "callshare/sim/config.h"
#include "callshare/sim/event_queue.h"
#include "callshare/tenant/huge_page_allocator.h"

namespace callshare {

class PresenceModel {
 public:
  // Draws everyone's starting presence into `state` (one byte a person,
  // kOnCall clear). `state` must outlive the model.
  PresenceModel(const PresenceConfig& config, std::span<std::uint8_t> state,
                Xoshiro256pp& rng);

  // Brings `person`'s presence up to `now`. Cheap when nothing moves.
  void Advance(std::uint32_t person, SimTime now, Xoshiro256pp& rng) {
    if (!markov_) return;
    if (next_change_[person] > now) return;
    AdvanceSlow(person, now, rng);
  }

 private:
  // Draws a state index from a row of shares.
  static std::uint8_t DrawState(const PresenceTable& shares, Xoshiro256pp& rng);
  SimTime DrawSojourn(std::uint8_t presence, Xoshiro256pp& rng) const;
  void AdvanceSlow(std::uint32_t person, SimTime now, Xoshiro256pp& rng);

  const PresenceConfig& config_;
  std::span<std::uint8_t> state_;
  bool markov_;
  HugeVector<SimTime> next_change_;  // markov only
};

}  // namespace callshare

#endif  // CALLSHARE_SIM_PRESENCE_MODEL_H_
