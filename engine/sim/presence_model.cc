#include "presence_model.h"

#include "callshare/rng/distributions.h"
#include "callshare/routing/router.h"

namespace callshare {

PresenceModel::PresenceModel(const PresenceConfig& config,
                             std::span<std::uint8_t> state, Xoshiro256pp& rng)
    : config_(config),
      state_(state),
      markov_(config.mode == PresenceMode::kMarkov) {
  if (markov_) next_change_.resize(state.size());
  for (std::size_t person = 0; person < state.size(); ++person) {
    const std::uint8_t presence = DrawState(config.share, rng);
    state_[person] = presence;
    // Sojourns are exponential, so the residual time of a person met at
    // time 0 has the same law as a fresh sojourn.
    if (markov_) next_change_[person] = DrawSojourn(presence, rng);
  }
}

std::uint8_t PresenceModel::DrawState(const PresenceTable& shares,
                                      Xoshiro256pp& rng) {
  double u = UniformDouble(rng);
  for (std::size_t s = 0; s + 1 < kPresenceCount; ++s) {
    if (u < shares[s]) return static_cast<std::uint8_t>(s);
    u -= shares[s];
  }
  return static_cast<std::uint8_t>(kPresenceCount - 1);
}

SimTime PresenceModel::DrawSojourn(std::uint8_t presence,
                                   Xoshiro256pp& rng) const {
  const double seconds = Exponential(rng, config_.mean_sojourn_s[presence]);
  return static_cast<SimTime>(seconds * double(kMicrosPerSecond)) + 1;
}

void PresenceModel::AdvanceSlow(std::uint32_t person, SimTime now,
                                Xoshiro256pp& rng) {
  std::uint8_t state = state_[person];
  std::uint8_t presence = state & PresenceState::kPresenceMask;
  SimTime next = next_change_[person];
  while (next <= now) {
    presence = DrawState(config_.next[presence], rng);
    next += DrawSojourn(presence, rng);
  }
  next_change_[person] = next;
  state_[person] = static_cast<std::uint8_t>(
      (state & ~PresenceState::kPresenceMask) | presence);
}

}  // namespace callshare
