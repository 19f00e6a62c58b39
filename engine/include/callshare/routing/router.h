// The router: turns an incoming call into a ring plan by Teams' call
// sharing rules (docs/rules.md). It is a pure function of the tenant
// tables, the call and the presence of the people involved; it allocates
// nothing and may run on many threads over one const Tenant.
#ifndef CALLSHARE_ROUTING_ROUTER_H_
#define CALLSHARE_ROUTING_ROUTER_H_

#include <cstdint>
#include <span>

#include "callshare/routing/ring_plan.h"
#include "callshare/tenant/tenant.h"

namespace callshare {

// What to do with a relationship that a policy now forbids but that was
// never cleaned up.
enum class RouterMode : std::uint8_t {
  kAsDeployed,  // follow it, as Teams does, and flag the call stale-routed
  kEnforced,    // drop the leg and flag the call blocked by policy
};

std::string_view Name(RouterMode mode);

// Forward chains are never followed further than this, whatever the
// options say: it bounds the chain the router keeps on its stack.
inline constexpr std::uint32_t kMaxForwardHops = 8;

// The modelling choices the sources leave open. Defaults as documented in
// docs/rules.md.
struct RouterOptions {
  RouterMode mode = RouterMode::kAsDeployed;
  std::uint32_t in_order_ring_ms = 20'000;      // each InOrder member's turn
  std::uint32_t voicemail_timeout_ms = 30'000;  // unanswered off, voicemail on
  // Forward chains followed this far, at most kMaxForwardHops.
  std::uint32_t forward_hops = 1;
  bool notify_members_on_call = false;
  bool notify_offline = false;
  bool notify_do_not_disturb = false;
};

// One byte a user, kept by the simulator: presence in the low bits and
// whether the person is on a call.
struct PresenceState {
  static constexpr std::uint8_t kPresenceMask = 0b0111;
  static constexpr std::uint8_t kOnCall = 1 << 7;

  static Presence Of(std::uint8_t state) {
    return static_cast<Presence>(state & kPresenceMask);
  }
  static bool OnCall(std::uint8_t state) { return (state & kOnCall) != 0; }
};

// Why a person in `state` is not notified under `options`, or kNone when
// they are. The router skips on it and `callshare route` words it.
enum class Unavailability : std::uint8_t {
  kNone,
  kOnCall,
  kOffline,
  kDoNotDisturb
};

inline Unavailability UnavailabilityOf(std::uint8_t state,
                                       const RouterOptions& options) {
  if (PresenceState::OnCall(state) && !options.notify_members_on_call) {
    return Unavailability::kOnCall;
  }
  const Presence presence = PresenceState::Of(state);
  if (presence == Presence::kOffline && !options.notify_offline) {
    return Unavailability::kOffline;
  }
  if (presence == Presence::kDoNotDisturb && !options.notify_do_not_disturb) {
    return Unavailability::kDoNotDisturb;
  }
  return Unavailability::kNone;
}

struct CallRequest {
  UserId callee = kNoUser;
  UserId caller = kNoUser;  // kNoUser for an outside caller
  bool pstn = false;
};

class Router {
 public:
  // `presence` has one PresenceState byte per user of `tenant`; an empty
  // span means everyone is available and free. Both must outlive the
  // router.
  Router(const Tenant& tenant, RouterOptions options,
         std::span<const std::uint8_t> presence = {});

  // Fills `plan` for `call`. REQUIRES: call.callee < user_count().
  void Route(const CallRequest& call, RingPlan* plan) const;

  // Routes calls[i] into plans[i], overlapping the memory latency of
  // successive calls by prefetching their records ahead.
  void RouteBatch(std::span<const CallRequest> calls,
                  std::span<RingPlan> plans) const;

  const RouterOptions& options() const { return options_; }
  void set_presence(std::span<const std::uint8_t> presence) {
    presence_ = presence;
  }

 private:
  // RouteBatch's prefetch waves for a call `callee` routed soon.
  void PrefetchRecord(UserId callee) const;
  void PrefetchArrays(UserId callee) const;
  void PrefetchPeople(UserId callee) const;

  const Tenant* tenant_;
  RouterOptions options_;
  std::span<const std::uint8_t> presence_;
};

}  // namespace callshare

#endif  // CALLSHARE_ROUTING_ROUTER_H_
