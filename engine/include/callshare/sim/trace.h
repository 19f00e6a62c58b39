// Per-call tracing: what one replication did with every call, leg by leg,
// for `callshare run --trace` and `callshare explain`. The simulator fills
// a CallTrace only when SimulatorOptions::trace points at one; otherwise
// it pays one predictable branch at each hook. Tracing allocates a record
// a call, so a traced replication runs slower and holds every call in
// memory.
#ifndef CALLSHARE_SIM_TRACE_H_
#define CALLSHARE_SIM_TRACE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "callshare/routing/ring_plan.h"
#include "callshare/sim/results.h"
#include "callshare/tenant/types.h"

namespace callshare {

// How a leg of a ring plan ended.
enum class LegFate : std::uint8_t {
  kPending,      // still ringing; never left in a finished trace
  kAnswered,     // this leg's person took the call
  kDeclined,     // rang, but its person would not answer in its ring time
  kSkippedBusy,  // its person was, or went, on another call
  kNotReached,   // the call ended before the leg was due to start
  kStopped,      // rang, and another leg answered or the call ended first
};

// "answered", "declined", "skipped_busy", "not_reached", "stopped".
std::string_view Name(LegFate fate);

// One leg as the router planned it, and its fate.
struct TracedLeg {
  RingLeg leg;
  LegFate fate = LegFate::kPending;
};

// One call of the traced replication, warm-up included.
struct TracedCall {
  double arrival_s = 0;
  UserId callee = kNoUser;
  UserId caller = kNoUser;  // kNoUser for an outside caller
  bool pstn = false;
  std::uint8_t plan_flags = 0;  // PlanFlag bits
  Outcome outcome = Outcome::kDisconnected;
  std::int32_t answered_leg = -1;  // index into legs, -1 when unanswered
  double time_to_answer_s = 0;     // meaningful when answered_leg >= 0
  std::vector<TracedLeg> legs;

  // Legs that started ringing (every fate but not_reached).
  std::uint32_t legs_rung() const;
};

// The calls of one replication, indexed by arrival order.
struct CallTrace {
  std::vector<TracedCall> calls;
};

}  // namespace callshare

#endif  // CALLSHARE_SIM_TRACE_H_
