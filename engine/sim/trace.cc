#include "callshare/sim/trace.h"

namespace callshare {

std::string_view Name(LegFate fate) {
  switch (fate) {
    case LegFate::kPending:
      return "pending";
    case LegFate::kAnswered:
      return "answered";
    case LegFate::kDeclined:
      return "declined";
    case LegFate::kSkippedBusy:
      return "skipped_busy";
    case LegFate::kNotReached:
      return "not_reached";
    case LegFate::kStopped:
      return "stopped";
  }
  return "?";
}

std::uint32_t TracedCall::legs_rung() const {
  std::uint32_t rung = 0;
  for (const TracedLeg& leg : legs) rung += leg.fate != LegFate::kNotReached;
  return rung;
}

}  // namespace callshare
