#include "callshare/routing/router.h"

#include <algorithm>
#include <cassert>

namespace callshare {
namespace {

constexpr std::uint32_t kForever = RingLeg::kUntilCallerGivesUp;

// What busy-on-busy does with a call to a callee who is on a call.
enum class BusyAction : std::uint8_t { kRing, kBusySignal, kRedirect };

BusyAction BusyActionOf(const Policy& policy, const UserRecord& callee) {
  switch (policy.busy_on_busy) {
    case BusyOnBusyPolicy::kEnabled:
      return BusyAction::kBusySignal;
    case BusyOnBusyPolicy::kUnanswered:
      return BusyAction::kRedirect;
    case BusyOnBusyPolicy::kDisabled:
      return BusyAction::kRing;
    case BusyOnBusyPolicy::kUserOverride:
      break;
  }
  switch (callee.busy_on_busy_option) {
    case BusyOnBusyOption::kPlayBusySignal:
      return BusyAction::kBusySignal;
    case BusyOnBusyOption::kRedirectAsUnansweredCall:
      return BusyAction::kRedirect;
    case BusyOnBusyOption::kRingUser:
      break;
  }
  return BusyAction::kRing;
}

// One route: the plan being written, the callee's record and policy, and
// the stage being rung. Lives on the stack and allocates nothing; the
// people already rung are the plan's own legs (at most kMaxRingLegs, so a
// linear scan beats any set).
class RouteBuilder {
 public:
  RouteBuilder(const Tenant& tenant, const RouterOptions& options,
               std::span<const std::uint8_t> presence, const CallRequest& call,
               RingPlan* plan)
      : tenant_(tenant),
        options_(options),
        presence_(presence),
        call_(call),
        plan_(*plan),
        callee_(tenant.user(call.callee)),
        policy_(tenant.policy(callee_.policy)),
        eligible_(callee_.eligible()),
        voicemail_(policy_.allow_voicemail !=
                   VoicemailPolicy::kAlwaysDisabled) {}

  void Run();

 private:
  // Steps of the route, in the order of docs/rules.md.
  bool RingFirstStage();
  void HandleUnanswered(std::uint32_t stage_start);
  bool RingTarget(TargetType type, TargetRef target, LegRole role);
  bool RingSingleTarget(TargetRef target, LegRole role);
  TargetRef FollowChain(TargetRef first);
  void RingGroup(std::uint8_t stale);
  void RingDelegates(std::uint8_t stale);
  void RingOwner();

  // Gates and checks.
  bool PassGate(TargetRef target, const Policy& policy);
  bool PassStaleGate(bool allowed, std::uint8_t* stale);
  bool Admit(UserId person, std::size_t earlier);
  bool Available(UserId person) const;
  bool IsRung(TargetRef target, std::size_t earlier) const;
  bool IsRung(TargetRef target) const;
  bool CalleeOnCall() const;
  TargetType UnansweredType() const;
  bool UnansweredInEffect() const;

  // Writing the plan.
  bool AddLeg(TargetRef target, std::uint32_t start, std::uint32_t end,
              LegRole role, Notification notification, std::uint8_t flags);
  void End(Ending ending, std::uint32_t at_ms);
  void EndAfterRinging(std::uint32_t voicemail_ms);
  void Disconnect(DisconnectReason reason);

  const Tenant& tenant_;
  const RouterOptions& options_;
  std::span<const std::uint8_t> presence_;
  const CallRequest& call_;
  RingPlan& plan_;
  const UserRecord& callee_;
  const Policy& policy_;
  const bool eligible_;
  const bool voicemail_;
  // The targets of the plan's legs, packed, so that the duplicate check is
  // a branch-free loop the compiler vectorizes rather than a walk over
  // 16-byte legs. A full-group route (two stages of 25 members) still
  // costs about 2,600 instructions, nearly all in the member loop.
  TargetRef rung_[kMaxRingLegs];
  // The stage being rung: when it starts and ends, and the flags its legs
  // carry (kLegUnanswered in the unanswered stage).
  std::uint32_t stage_start_ = 0;
  std::uint32_t stage_end_ = kForever;
  std::uint8_t stage_flags_ = 0;
};

void RouteBuilder::Run() {
  // Step 0: an ineligible callee gets no call sharing.
  if (!eligible_) plan_.flags |= kIneligibleLegSkipped;

  // Step 1: a PSTN treatment may decide the route on its own.
  if (call_.pstn) {
    const PstnTreatment treatment = policy_.inbound_pstn_treatment;
    if (treatment == PstnTreatment::kVoicemail) {
      plan_.flags |= kPstnTreatment;
      if (voicemail_) return End(Ending::kVoicemail, 0);
      return Disconnect(DisconnectReason::kRejectedByPolicy);
    }
    if (treatment == PstnTreatment::kUnanswered) {
      plan_.flags |= kPstnTreatment;
      return HandleUnanswered(0);
    }
  }

  // Step 2: busy-on-busy, reading presence only when it could act.
  const BusyAction busy = BusyActionOf(policy_, callee_);
  if (busy != BusyAction::kRing && CalleeOnCall()) {
    plan_.flags |= kBusyOnBusy;
    if (busy == BusyAction::kBusySignal) return End(Ending::kBusySignal, 0);
    return HandleUnanswered(0);
  }

  // Steps 3 to 5: the owner, forwarding, groups and delegates.
  stage_end_ = UnansweredInEffect()
                   ? std::uint32_t{callee_.unanswered_delay_s} * 1000u
                   : (voicemail_ ? options_.voicemail_timeout_ms : kForever);
  if (!RingFirstStage()) return;

  // Step 6: unanswered handling, at once when nothing rang.
  HandleUnanswered(plan_.legs.empty() ? 0 : stage_end_);
}

// Rings the owner and the forwarding target. Returns false when the call
// went to voicemail outright.
bool RouteBuilder::RingFirstStage() {
  const TargetType type = callee_.forwarding_target_type;
  const bool forwarding = eligible_ &&
                          (callee_.flags & UserRecord::kForwarding) != 0 &&
                          type != TargetType::kNone;
  const bool immediate = callee_.forwarding_type == ForwardingType::kImmediate;
  if (forwarding && type == TargetType::kVoicemail) {
    if (immediate && voicemail_) {
      End(Ending::kVoicemail, 0);
      return false;
    }
    if (immediate) plan_.flags |= kBlockedByPolicy;
    RingOwner();
    return true;
  }
  if (!forwarding || !immediate) RingOwner();
  if (forwarding &&
      !RingTarget(type, callee_.forwarding_target, LegRole::kForwardTarget) &&
      immediate) {
    RingOwner();
  }
  return true;
}

// Step 6 from `stage_start`, the end of the first stage.
void RouteBuilder::HandleUnanswered(std::uint32_t stage_start) {
  if (!UnansweredInEffect()) return EndAfterRinging(stage_start);
  const TargetType type = UnansweredType();
  if (type == TargetType::kVoicemail) {
    return End(Ending::kVoicemail, stage_start);
  }
  stage_start_ = stage_start;
  stage_end_ =
      voicemail_ ? stage_start + options_.voicemail_timeout_ms : kForever;
  stage_flags_ = RingLeg::kLegUnanswered;
  const std::size_t before = plan_.legs.size();
  RingTarget(type, callee_.unanswered_target, LegRole::kUnansweredTarget);
  EndAfterRinging(plan_.legs.size() > before ? stage_end_ : stage_start);
}

// Rings a forwarding or unanswered target. Returns false when a policy
// gate blocked it or there was no target.
bool RouteBuilder::RingTarget(TargetType type, TargetRef target, LegRole role) {
  std::uint8_t stale = 0;
  switch (type) {
    case TargetType::kSingleTarget:
      return RingSingleTarget(target, role);
    case TargetType::kGroup:
      if (!PassStaleGate(policy_.allow_call_groups, &stale)) return false;
      RingGroup(stale);
      return true;
    case TargetType::kMyDelegates:
      if (!PassStaleGate(policy_.allow_delegation, &stale)) return false;
      RingDelegates(stale);
      return true;
    case TargetType::kNone:
    case TargetType::kVoicemail:
      break;
  }
  return false;
}

bool RouteBuilder::RingSingleTarget(TargetRef target, LegRole role) {
  if (target == kNoTarget || !PassGate(target, policy_)) return false;
  if (role == LegRole::kForwardTarget) target = FollowChain(target);
  if (!IsRung(target)) {
    AddLeg(target, stage_start_, kForever, role, Notification::kRing,
           stage_flags_);
  }
  return true;
}

// Follows Immediate single-target forwarding from `first` for at most
// forward_hops hops; returns the target that rings.
TargetRef RouteBuilder::FollowChain(TargetRef first) {
  const std::uint32_t hops = std::min(options_.forward_hops, kMaxForwardHops);
  UserId chain[kMaxForwardHops + 1];
  std::uint32_t length = 0;
  chain[length++] = call_.callee;
  TargetRef current = first;
  for (std::uint32_t hop = 1; hop < hops && !IsPhone(current); ++hop) {
    chain[length++] = current;
    const UserRecord& record = tenant_.user(current);
    const bool forwards =
        record.eligible() && (record.flags & UserRecord::kForwarding) &&
        record.forwarding_type == ForwardingType::kImmediate &&
        record.forwarding_target_type == TargetType::kSingleTarget &&
        record.forwarding_target != kNoTarget;
    if (!forwards) break;
    const TargetRef next = record.forwarding_target;
    if (!PassGate(next, tenant_.policy(record.policy))) break;
    if (std::find(chain, chain + length, next) != chain + length) {
      plan_.flags |= kForwardCycle;
      break;
    }
    current = next;
  }
  return current;
}

void RouteBuilder::RingGroup(std::uint8_t stale) {
  if (callee_.group == kNoGroup) return;
  const std::span<const UserId> members = tenant_.members(callee_.group);
  const std::span<const Notification> notifications =
      tenant_.member_notifications(callee_.group);
  const bool in_order = callee_.call_group_order == RingOrder::kInOrder &&
                        members.size() <= tenant_.limits().in_order_members;
  const std::uint32_t turn_ms = in_order ? options_.in_order_ring_ms : 0;
  const std::size_t earlier = plan_.legs.size();
  std::uint32_t turn = 0;
  for (std::size_t k = 0; k < members.size(); ++k) {
    const UserId member = members[k];
    if (!Admit(member, earlier)) continue;
    const Notification notification =
        Traits::Override(tenant_.traits(member)) == NotificationOverride::kMute
            ? Notification::kMute
            : notifications[k];
    const std::uint32_t start = stage_start_ + turn * turn_ms;
    const std::uint32_t end = in_order ? start + turn_ms : kForever;
    turn += AddLeg(member, start, end, LegRole::kMember, notification,
                   stage_flags_ | stale);
  }
}

void RouteBuilder::RingDelegates(std::uint8_t stale) {
  const std::span<const UserId> delegates = tenant_.delegates(call_.callee);
  const std::span<const Permissions> permissions =
      tenant_.delegate_permissions(call_.callee);
  const std::size_t earlier = plan_.legs.size();
  for (std::size_t k = 0; k < delegates.size(); ++k) {
    if ((permissions[k] & kReceiveCalls) == 0) continue;
    if (!Admit(delegates[k], earlier)) continue;
    AddLeg(delegates[k], stage_start_, kForever, LegRole::kDelegate,
           Notification::kRing, stage_flags_ | stale);
  }
}

void RouteBuilder::RingOwner() {
  if (IsRung(call_.callee)) return;
  AddLeg(call_.callee, 0, kForever, LegRole::kOwner, Notification::kRing, 0);
}

bool RouteBuilder::PassGate(TargetRef target, const Policy& policy) {
  const bool allowed = IsPhone(target) ? policy.allow_call_forwarding_to_phone
                                       : policy.allow_call_forwarding_to_user;
  if (!allowed) plan_.flags |= kBlockedByPolicy;
  return allowed;
}

// A gate over a relationship that may be stale: followed and flagged as
// deployed, dropped when enforced.
bool RouteBuilder::PassStaleGate(bool allowed, std::uint8_t* stale) {
  if (allowed) return true;
  if (options_.mode == RouterMode::kEnforced) {
    plan_.flags |= kBlockedByPolicy;
    return false;
  }
  plan_.flags |= kStaleRouted;
  *stale = RingLeg::kLegStaleRouted;
  return true;
}

// Whether a member or delegate may ring, flagging why not. Only the legs
// before `earlier` (those rung before this list began) can already hold
// the person: the tenant keeps a group's members and a delegator's
// delegates distinct, and an owner is never their own member or delegate.
// Scanning only those legs makes a 25-member group route about twice as
// fast, the scan being most of its work.
bool RouteBuilder::Admit(UserId person, std::size_t earlier) {
  if (IsRung(person, earlier)) return false;
  if (!Traits::Eligible(tenant_.traits(person))) {
    plan_.flags |= kIneligibleLegSkipped;
    return false;
  }
  if (!Available(person)) {
    plan_.flags |= kUnavailableLegSkipped;
    return false;
  }
  return true;
}

bool RouteBuilder::Available(UserId person) const {
  if (presence_.empty()) return true;
  return UnavailabilityOf(presence_[person], options_) == Unavailability::kNone;
}

// Whether `target` is the caller or rings in one of the first `earlier`
// legs.
bool RouteBuilder::IsRung(TargetRef target, std::size_t earlier) const {
  // No early exit, so that the loop vectorizes.
  unsigned hits = target == call_.caller;
  for (std::size_t i = 0; i < earlier; ++i) hits |= rung_[i] == target;
  return hits != 0;
}

bool RouteBuilder::IsRung(TargetRef target) const {
  return IsRung(target, plan_.legs.size());
}

bool RouteBuilder::CalleeOnCall() const {
  return !presence_.empty() && PresenceState::OnCall(presence_[call_.callee]);
}

TargetType RouteBuilder::UnansweredType() const {
  return eligible_ ? callee_.unanswered_target_type : TargetType::kVoicemail;
}

bool RouteBuilder::UnansweredInEffect() const {
  if ((callee_.flags & UserRecord::kUnanswered) == 0) return false;
  const TargetType type = UnansweredType();
  if (type == TargetType::kNone) return false;
  return type != TargetType::kVoicemail || voicemail_;
}

// Adds a leg ringing from `start` to `end`, cut at the stage end. Returns
// false when the cut leaves it nothing to ring.
bool RouteBuilder::AddLeg(TargetRef target, std::uint32_t start,
                          std::uint32_t end, LegRole role,
                          Notification notification, std::uint8_t flags) {
  end = std::min(end, stage_end_);
  if (start >= end) return false;
  assert(plan_.legs.size() < kMaxRingLegs);
  rung_[plan_.legs.size()] = target;
  RingLeg& leg = plan_.legs.emplace_back();
  leg.target = target;
  leg.start_ms = start;
  leg.ring_ms = end == kForever ? kForever : end - start;
  leg.role = role;
  leg.notification = notification;
  leg.flags = flags;
  return true;
}

void RouteBuilder::End(Ending ending, std::uint32_t at_ms) {
  plan_.ending = ending;
  plan_.ending_ms = at_ms;
}

// The ending once the legs are rung: voicemail at `voicemail_ms` when the
// callee has voicemail, else ring out, or a disconnect when nothing rings.
void RouteBuilder::EndAfterRinging(std::uint32_t voicemail_ms) {
  if (voicemail_) return End(Ending::kVoicemail, voicemail_ms);
  if (!plan_.legs.empty()) return End(Ending::kRingOut, 0);
  Disconnect((plan_.flags & kBlockedByPolicy) != 0
                 ? DisconnectReason::kRejectedByPolicy
                 : DisconnectReason::kNoTargetConfigured);
}

void RouteBuilder::Disconnect(DisconnectReason reason) {
  End(Ending::kDisconnected, 0);
  plan_.disconnect_reason = reason;
}

void ResetPlan(RingPlan* plan) {
  plan->legs.clear();
  plan->ending = Ending::kVoicemail;
  plan->ending_ms = 0;
  plan->disconnect_reason = DisconnectReason::kNone;
  plan->flags = 0;
}

// Whether a route of `record` will read its call group or its delegates:
// what RouteBatch prefetches once the record is in.
bool UsesGroup(const UserRecord& record) {
  return record.group != kNoGroup &&
         (record.forwarding_target_type == TargetType::kGroup ||
          record.unanswered_target_type == TargetType::kGroup);
}

bool UsesDelegates(const UserRecord& record) {
  return record.delegate_count != 0 &&
         (record.forwarding_target_type == TargetType::kMyDelegates ||
          record.unanswered_target_type == TargetType::kMyDelegates);
}

}  // namespace

std::string_view Name(RouterMode mode) {
  return mode == RouterMode::kEnforced ? "enforced" : "as_deployed";
}

Router::Router(const Tenant& tenant, RouterOptions options,
               std::span<const std::uint8_t> presence)
    : tenant_(&tenant), options_(options), presence_(presence) {}

void Router::Route(const CallRequest& call, RingPlan* plan) const {
  ResetPlan(plan);
  RouteBuilder(*tenant_, options_, presence_, call, plan).Run();
}

void Router::RouteBatch(std::span<const CallRequest> calls,
                        std::span<RingPlan> plans) const {
  // Three prefetch waves, each reading only lines the wave before brought
  // in: the record (and presence byte) of call i + kRecordAhead, the
  // member or delegate arrays of call i + kArraysAhead, then the traits
  // and presence bytes of those people for call i + kPeopleAhead.
  // Measured at 1M users (ns per route, best of 5, shared machine): 16/8
  // gave 67-86, 8/4 94-96, 32/16 80-93; Route one call at a time 230-360.
  // The third wave, with the tables on huge pages: 11.2-12.2 M routes/s
  // without, 12.1-13.1 M/s with (1.06x, three interleaved rounds), though
  // only the 3% of callees who own a group use it.
  constexpr std::size_t kRecordAhead = 16;
  constexpr std::size_t kArraysAhead = 8;
  constexpr std::size_t kPeopleAhead = 4;
  static_assert(kRecordAhead > kArraysAhead && kArraysAhead > kPeopleAhead,
                "each wave reads what the wave before fetched");
  const std::size_t n = std::min(calls.size(), plans.size());
  for (std::size_t i = 0; i < std::min(n, kRecordAhead); ++i) {
    PrefetchRecord(calls[i].callee);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kRecordAhead < n) PrefetchRecord(calls[i + kRecordAhead].callee);
    if (i + kArraysAhead < n) PrefetchArrays(calls[i + kArraysAhead].callee);
    if (i + kPeopleAhead < n) PrefetchPeople(calls[i + kPeopleAhead].callee);
    Route(calls[i], &plans[i]);
  }
}

void Router::PrefetchRecord(UserId callee) const {
  __builtin_prefetch(&tenant_->user(callee));
  // Busy-on-busy may read the callee's presence.
  if (!presence_.empty()) __builtin_prefetch(&presence_[callee]);
}

void Router::PrefetchArrays(UserId callee) const {
  const UserRecord& record = tenant_->user(callee);
  if (UsesGroup(record)) {
    __builtin_prefetch(tenant_->members(record.group).data());
    __builtin_prefetch(tenant_->member_notifications(record.group).data());
  }
  if (UsesDelegates(record)) {
    __builtin_prefetch(tenant_->delegates(callee).data());
  }
}

// The bytes Admit reads for every member or delegate: traits, and
// presence when the router has it.
void Router::PrefetchPeople(UserId callee) const {
  const UserRecord& record = tenant_->user(callee);
  const std::uint8_t* traits = tenant_->all_traits().data();
  auto prefetch = [&](std::span<const UserId> people) {
    for (UserId person : people) {
      __builtin_prefetch(traits + person);
      if (!presence_.empty()) __builtin_prefetch(&presence_[person]);
    }
  };
  if (UsesGroup(record)) prefetch(tenant_->members(record.group));
  if (UsesDelegates(record)) prefetch(tenant_->delegates(callee));
}

}  // namespace callshare
