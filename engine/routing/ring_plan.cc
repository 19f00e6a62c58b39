#include "callshare/routing/ring_plan.h"

#include <algorithm>

namespace callshare {

bool operator==(const RingLeg& a, const RingLeg& b) {
  return a.target == b.target && a.start_ms == b.start_ms &&
         a.ring_ms == b.ring_ms && a.role == b.role &&
         a.notification == b.notification && a.flags == b.flags;
}

bool operator==(const RingPlan& a, const RingPlan& b) {
  return a.ending == b.ending && a.ending_ms == b.ending_ms &&
         a.disconnect_reason == b.disconnect_reason && a.flags == b.flags &&
         std::equal(a.legs.begin(), a.legs.end(), b.legs.begin(), b.legs.end());
}

std::string_view Name(LegRole role) {
  switch (role) {
    case LegRole::kOwner:
      return "owner";
    case LegRole::kMember:
      return "member";
    case LegRole::kDelegate:
      return "delegate";
    case LegRole::kForwardTarget:
      return "forward_target";
    case LegRole::kUnansweredTarget:
      return "unanswered_target";
  }
  return "?";
}

std::string_view Name(Ending ending) {
  switch (ending) {
    case Ending::kVoicemail:
      return "voicemail";
    case Ending::kBusySignal:
      return "busy_signal";
    case Ending::kDisconnected:
      return "disconnected";
    case Ending::kRingOut:
      return "ring_out";
  }
  return "?";
}

std::string_view Name(DisconnectReason reason) {
  switch (reason) {
    case DisconnectReason::kNone:
      return "none";
    case DisconnectReason::kRejectedByPolicy:
      return "rejected_by_policy";
    case DisconnectReason::kNoTargetConfigured:
      return "no_target_configured";
  }
  return "?";
}

std::string_view Name(PlanFlag flag) {
  switch (flag) {
    case kStaleRouted:
      return "stale_routed";
    case kBlockedByPolicy:
      return "blocked_by_policy";
    case kIneligibleLegSkipped:
      return "ineligible_leg_skipped";
    case kUnavailableLegSkipped:
      return "unavailable_leg_skipped";
    case kForwardCycle:
      return "forward_cycle";
    case kPstnTreatment:
      return "pstn_treatment";
    case kBusyOnBusy:
      return "busy_on_busy";
  }
  return "?";
}

}  // namespace callshare
