// Ring plans: what the router decides for one incoming call. Who rings,
// when and for how long, how each is notified, and what ends the call if
// nobody answers. The simulator plays a ring plan out; `callshare route`
// prints one.
#ifndef CALLSHARE_ROUTING_RING_PLAN_H_
#define CALLSHARE_ROUTING_RING_PLAN_H_

#include <cstdint>
#include <string_view>

#include <boost/container/static_vector.hpp>

#include "callshare/tenant/tenant.h"
#include "callshare/tenant/types.h"

namespace callshare {

// Why a leg rings.
enum class LegRole : std::uint8_t {
  kOwner,             // the callee
  kMember,            // a member of the callee's call group
  kDelegate,          // a delegate holding ReceiveCalls
  kForwardTarget,     // a single user or number targeted by forwarding
  kUnansweredTarget,  // a single user or number targeted when unanswered
};

// One person or number that rings. Times are milliseconds from arrival.
struct RingLeg {
  TargetRef target = kNoTarget;  // a user, or a phone (IsPhone)
  std::uint32_t start_ms = 0;
  // How long the leg rings if not answered, or kUntilCallerGivesUp.
  std::uint32_t ring_ms = 0;
  LegRole role = LegRole::kOwner;
  Notification notification = Notification::kRing;
  std::uint8_t flags = 0;  // kLegStaleRouted

  // ring_ms of a leg in a plan that rings out: no timeout stops it.
  static constexpr std::uint32_t kUntilCallerGivesUp = 0xFFFF'FFFFu;

  static constexpr std::uint8_t kLegStaleRouted = 1 << 0;
  // Rung after the unanswered delay, as the unanswered target.
  static constexpr std::uint8_t kLegUnanswered = 1 << 1;
};

// What happens when no leg is answered.
enum class Ending : std::uint8_t {
  kVoicemail,     // to voicemail at ending_ms
  kBusySignal,    // busy signal at once (busy-on-busy)
  kDisconnected,  // nothing rings: see disconnect reason
  kRingOut,       // rings until the caller gives up; no timeout
};

// Why a plan rings nobody and ends the call. An ineligible callee is no
// reason: the rules ring such a callee alone (docs/rules.md, step 0).
enum class DisconnectReason : std::uint8_t {
  kNone,
  kRejectedByPolicy,    // every leg was blocked by a policy
  kNoTargetConfigured,  // a target type with nothing to ring
};

// Flags on the whole call.
enum PlanFlag : std::uint8_t {
  kStaleRouted = 1 << 0,            // a leg followed a stale relationship
  kBlockedByPolicy = 1 << 1,        // a leg was dropped by a policy gate
  kIneligibleLegSkipped = 1 << 2,   // a member or delegate was not eligible
  kUnavailableLegSkipped = 1 << 3,  // busy, offline or DND: not notified
  kForwardCycle = 1 << 4,           // a forward chain led back on itself
  kPstnTreatment = 1 << 5,          // the PSTN treatment decided the route
  kBusyOnBusy = 1 << 6,             // busy-on-busy decided the route
};

// Room for the owner, a full group, the delegates and the targets. The
// limit profile refuses limits that could overflow it.
inline constexpr std::size_t kMaxRingLegs = 64;
static_assert(kMaxRingLegs == kMaxRingPlanPeople,
              "LimitProfile::Validate refuses a profile whose people exceed "
              "kMaxRingPlanPeople; a plan must hold every one of them as a "
              "leg, and a larger capacity would only grow each plan");

struct RingPlan {
  boost::container::static_vector<RingLeg, kMaxRingLegs> legs;
  Ending ending = Ending::kVoicemail;
  std::uint32_t ending_ms = 0;  // when the ending applies, from arrival
  DisconnectReason disconnect_reason = DisconnectReason::kNone;
  std::uint8_t flags = 0;  // PlanFlag bits

  bool has(PlanFlag flag) const { return (flags & flag) != 0; }
};

bool operator==(const RingLeg& a, const RingLeg& b);
bool operator==(const RingPlan& a, const RingPlan& b);

std::string_view Name(LegRole role);
std::string_view Name(Ending ending);
std::string_view Name(DisconnectReason reason);
std::string_view Name(PlanFlag flag);

}  // namespace callshare

#endif  // CALLSHARE_ROUTING_RING_PLAN_H_
