#include "callshare/routing/reference_router.h"

#include <algorithm>
#include <optional>
#include <set>

namespace callshare {
namespace {

// A time from arrival; nullopt is "until the caller gives up".
using Moment = std::optional<std::int64_t>;

Moment Earlier(Moment a, Moment b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

// '+' and one to fifteen digits: an E.164 number rather than a UPN.
bool IsPhoneNumber(const std::string& text) {
  if (text.size() < 2 || text.size() > 16 || text[0] != '+') return false;
  return std::all_of(text.begin() + 1, text.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

bool Allows(const PolicyRow& policy, bool to_phone) {
  return to_phone ? policy.allow_call_forwarding_to_phone
                  : policy.allow_call_forwarding_to_user;
}

// A leg while the plan is drafted.
struct DraftLeg {
  TargetRef target;
  std::int64_t start;
  Moment stop;
  LegRole role;
  Notification notification;
  std::uint8_t flags;
};

}  // namespace

// One call routed by the reference rules. Written for clarity, not speed.
class ReferenceCall {
 public:
  using Person = ReferenceRouter::Person;

  ReferenceCall(const ReferenceRouter& router, const CallRequest& call,
                std::span<const std::uint8_t> presence)
      : router_(router),
        call_(call),
        presence_(presence),
        callee_(router.people_[call.callee]),
        settings_(callee_.settings),
        policy_(PolicyOf(callee_)) {
    if (call.caller != kNoUser) rung_.insert(call.caller);
  }

  RingPlan Play() {
    if (!callee_.eligible) flags_ |= kIneligibleLegSkipped;
    if (call_.pstn) {
      const PstnTreatment treatment = policy_.inbound_pstn_treatment;
      if (treatment == PstnTreatment::kVoicemail) {
        flags_ |= kPstnTreatment;
        if (HasVoicemail()) return Finish(Ending::kVoicemail, 0);
        return Disconnect(DisconnectReason::kRejectedByPolicy);
      }
      if (treatment == PstnTreatment::kUnanswered) {
        flags_ |= kPstnTreatment;
        return Unanswered(0);
      }
    }
    const int busy = BusyChoice();  // 0 ring, 1 busy signal, 2 redirect
    if (busy != 0 && OnCall(call_.callee)) {
      flags_ |= kBusyOnBusy;
      if (busy == 1) return Finish(Ending::kBusySignal, 0);
      return Unanswered(0);
    }
    return RegularCall();
  }

 private:
  RingPlan RegularCall() {
    const Moment first_end =
        UnansweredApplies()
            ? Moment(std::int64_t{settings_.unanswered_delay_s} * 1000)
            : (HasVoicemail() ? Moment(router_.options_.voicemail_timeout_ms)
                              : std::nullopt);
    window_start_ = 0;
    window_end_ = first_end;
    const TargetType type = settings_.forwarding_target_type;
    const bool immediate =
        settings_.forwarding_type == ForwardingType::kImmediate;
    if (!callee_.eligible || !settings_.forwarding ||
        type == TargetType::kNone) {
      RingOwner();
    } else if (type == TargetType::kVoicemail) {
      if (immediate && HasVoicemail()) return Finish(Ending::kVoicemail, 0);
      if (immediate) flags_ |= kBlockedByPolicy;
      RingOwner();
    } else if (!immediate) {
      RingOwner();
      Reach(type, settings_.forwarding_target, LegRole::kForwardTarget);
    } else if (!Reach(type, settings_.forwarding_target,
                      LegRole::kForwardTarget)) {
      RingOwner();
    }
    return Unanswered(legs_.empty() ? Moment(0) : first_end);
  }

  RingPlan Unanswered(Moment start) {
    if (!UnansweredApplies()) return AfterRinging(start);
    const TargetType type = UnansweredTargetType();
    if (type == TargetType::kVoicemail) {
      return Finish(Ending::kVoicemail, *start);
    }
    window_start_ = *start;
    window_end_ = HasVoicemail()
                      ? Moment(*start + router_.options_.voicemail_timeout_ms)
                      : std::nullopt;
    window_flags_ = RingLeg::kLegUnanswered;
    const std::size_t before = legs_.size();
    Reach(type, settings_.unanswered_target, LegRole::kUnansweredTarget);
    return AfterRinging(legs_.size() > before ? window_end_ : start);
  }

  // Rings a target; false when a gate refused it or nothing was named.
  bool Reach(TargetType type, const std::string& target, LegRole role) {
    if (type == TargetType::kSingleTarget) return ReachOne(target, role);
    if (type != TargetType::kGroup && type != TargetType::kMyDelegates) {
      return false;
    }
    const bool allowed = type == TargetType::kGroup ? policy_.allow_call_groups
                                                    : policy_.allow_delegation;
    std::uint8_t stale = 0;
    if (!allowed && router_.options_.mode == RouterMode::kEnforced) {
      flags_ |= kBlockedByPolicy;
      return false;
    }
    if (!allowed) {
      flags_ |= kStaleRouted;
      stale = RingLeg::kLegStaleRouted;
    }
    if (type == TargetType::kGroup) RingMembers(stale);
    if (type == TargetType::kMyDelegates) RingDelegates(stale);
    return true;
  }

  bool ReachOne(const std::string& target, LegRole role) {
    if (target.empty()) return false;
    const bool phone = IsPhoneNumber(target);
    if (!Allows(policy_, phone)) {
      flags_ |= kBlockedByPolicy;
      return false;
    }
    TargetRef ref = phone ? PhoneTarget(router_.phone_ids_.at(target))
                          : router_.user_ids_.at(target);
    if (role == LegRole::kForwardTarget && !phone) ref = Chase(ref);
    if (rung_.count(ref) == 0) {
      Ring(ref, window_start_, std::nullopt, role, Notification::kRing,
           window_flags_);
    }
    return true;
  }

  // Forward chain from user `first`.
  TargetRef Chase(TargetRef first) {
    const std::uint32_t limit =
        std::min(router_.options_.forward_hops, kMaxForwardHops);
    std::vector<TargetRef> chain = {call_.callee};
    TargetRef at = first;
    for (std::uint32_t hop = 1; hop < limit; ++hop) {
      chain.push_back(at);
      const Person& person = router_.people_[at];
      const SettingsRow& s = person.settings;
      if (!person.eligible || !s.forwarding ||
          s.forwarding_type != ForwardingType::kImmediate ||
          s.forwarding_target_type != TargetType::kSingleTarget ||
          s.forwarding_target.empty()) {
        break;
      }
      const bool phone = IsPhoneNumber(s.forwarding_target);
      if (!Allows(PolicyOf(person), phone)) {
        flags_ |= kBlockedByPolicy;
        break;
      }
      if (phone) return PhoneTarget(router_.phone_ids_.at(s.forwarding_target));
      const UserId next = router_.user_ids_.at(s.forwarding_target);
      if (std::count(chain.begin(), chain.end(), next) > 0) {
        flags_ |= kForwardCycle;
        break;
      }
      at = next;
    }
    return at;
  }

  void RingMembers(std::uint8_t stale) {
    const std::vector<MemberRow>& group = callee_.group;
    const bool in_order = settings_.call_group_order == RingOrder::kInOrder &&
                          group.size() <= router_.limits_.in_order_members;
    const std::int64_t turn_ms = router_.options_.in_order_ring_ms;
    std::int64_t turn = 0;
    for (const MemberRow& row : group) {
      const UserId member = router_.user_ids_.at(row.member_upn);
      if (!MayRing(member)) continue;
      const bool muted =
          router_.people_[member].settings.notification_override ==
          NotificationOverride::kMute;
      const std::int64_t start =
          window_start_ + (in_order ? turn * turn_ms : 0);
      const Moment stop = in_order ? Moment(start + turn_ms) : std::nullopt;
      if (Ring(member, start, stop, LegRole::kMember,
               muted ? Notification::kMute : row.notification,
               window_flags_ | stale)) {
        ++turn;
      }
    }
  }

  void RingDelegates(std::uint8_t stale) {
    for (const DelegateRow& row : callee_.delegates) {
      if ((row.permissions & kReceiveCalls) == 0) continue;
      const UserId delegate = router_.user_ids_.at(row.delegate_upn);
      if (!MayRing(delegate)) continue;
      Ring(delegate, window_start_, std::nullopt, LegRole::kDelegate,
           Notification::kRing, window_flags_ | stale);
    }
  }

  void RingOwner() {
    if (rung_.count(call_.callee) > 0) return;
    Ring(call_.callee, 0, std::nullopt, LegRole::kOwner, Notification::kRing,
         0);
  }

  // Adds a leg unless the window closes before it starts.
  bool Ring(TargetRef target, std::int64_t start, Moment stop, LegRole role,
            Notification notification, std::uint8_t flags) {
    stop = Earlier(stop, window_end_);
    if (stop && *stop <= start) return false;
    legs_.push_back({target, start, stop, role, notification,
                     static_cast<std::uint8_t>(flags)});
    rung_.insert(target);
    return true;
  }

  bool MayRing(UserId person) {
    if (rung_.count(person) > 0) return false;
    if (!router_.people_[person].eligible) {
      flags_ |= kIneligibleLegSkipped;
      return false;
    }
    if (!Free(person)) {
      flags_ |= kUnavailableLegSkipped;
      return false;
    }
    return true;
  }

  bool Free(UserId person) const {
    if (presence_.empty()) return true;
    const RouterOptions& options = router_.options_;
    const std::uint8_t state = presence_[person];
    if (PresenceState::OnCall(state) && !options.notify_members_on_call) {
      return false;
    }
    switch (PresenceState::Of(state)) {
      case Presence::kOffline:
        return options.notify_offline;
      case Presence::kDoNotDisturb:
        return options.notify_do_not_disturb;
      default:
        return true;
    }
  }

  bool OnCall(UserId person) const {
    return !presence_.empty() && PresenceState::OnCall(presence_[person]);
  }

  int BusyChoice() const {
    switch (policy_.busy_on_busy) {
      case BusyOnBusyPolicy::kEnabled:
        return 1;
      case BusyOnBusyPolicy::kUnanswered:
        return 2;
      case BusyOnBusyPolicy::kDisabled:
        return 0;
      case BusyOnBusyPolicy::kUserOverride:
        break;
    }
    if (settings_.busy_on_busy_option == BusyOnBusyOption::kPlayBusySignal) {
      return 1;
    }
    if (settings_.busy_on_busy_option ==
        BusyOnBusyOption::kRedirectAsUnansweredCall) {
      return 2;
    }
    return 0;
  }

  bool HasVoicemail() const {
    return policy_.allow_voicemail != VoicemailPolicy::kAlwaysDisabled;
  }

  TargetType UnansweredTargetType() const {
    return callee_.eligible ? settings_.unanswered_target_type
                            : TargetType::kVoicemail;
  }

  bool UnansweredApplies() const {
    if (!settings_.unanswered) return false;
    const TargetType type = UnansweredTargetType();
    if (type == TargetType::kNone) return false;
    return type != TargetType::kVoicemail || HasVoicemail();
  }

  const PolicyRow& PolicyOf(const Person& person) const {
    return router_.policies_.at(person.policy);
  }

  RingPlan AfterRinging(Moment voicemail_at) {
    if (HasVoicemail()) return Finish(Ending::kVoicemail, *voicemail_at);
    if (!legs_.empty()) return Finish(Ending::kRingOut, 0);
    return Disconnect((flags_ & kBlockedByPolicy) != 0
                          ? DisconnectReason::kRejectedByPolicy
                          : DisconnectReason::kNoTargetConfigured);
  }

  RingPlan Disconnect(DisconnectReason reason) {
    RingPlan plan = Finish(Ending::kDisconnected, 0);
    plan.disconnect_reason = reason;
    return plan;
  }

  RingPlan Finish(Ending ending, std::int64_t at_ms) {
    RingPlan plan;
    for (const DraftLeg& draft : legs_) {
      RingLeg leg;
      leg.target = draft.target;
      leg.start_ms = static_cast<std::uint32_t>(draft.start);
      leg.ring_ms = draft.stop
                        ? static_cast<std::uint32_t>(*draft.stop - draft.start)
                        : RingLeg::kUntilCallerGivesUp;
      leg.role = draft.role;
      leg.notification = draft.notification;
      leg.flags = draft.flags;
      plan.legs.push_back(leg);
    }
    plan.ending = ending;
    plan.ending_ms = static_cast<std::uint32_t>(at_ms);
    plan.flags = flags_;
    return plan;
  }

  const ReferenceRouter& router_;
  const CallRequest& call_;
  std::span<const std::uint8_t> presence_;
  const Person& callee_;
  const SettingsRow& settings_;
  const PolicyRow& policy_;
  std::vector<DraftLeg> legs_;
  std::set<TargetRef> rung_;
  std::uint8_t flags_ = 0;
  std::int64_t window_start_ = 0;
  Moment window_end_;
  std::uint8_t window_flags_ = 0;
};

ReferenceRouter::ReferenceRouter(const Directory& directory,
                                 const LimitProfile& limits,
                                 RouterOptions options)
    : limits_(limits), options_(options) {
  // Policies by name; a Global row replaces the implied defaults.
  PolicyRow global;
  global.name = "Global";
  policies_.emplace("Global", global);
  bool global_seen = false;
  for (const PolicyRow& row : directory.policies) {
    if (row.name == "Global" && !global_seen) {
      global_seen = true;
      policies_["Global"] = row;
    } else {
      policies_.emplace(row.name, row);
    }
  }

  // People in row order; their ids are their row numbers.
  for (const UserRow& row : directory.users) {
    user_ids_.emplace(row.upn, static_cast<UserId>(people_.size()));
    Person person;
    person.upn = row.upn;
    person.eligible = row.teams_only && row.voice_enabled;
    person.policy = row.calling_policy;
    person.settings.upn = row.upn;
    people_.push_back(std::move(person));
  }

  // Settings, numbering phone numbers on first sight.
  for (const SettingsRow& row : directory.settings) {
    people_[user_ids_.at(row.upn)].settings = row;
    for (const auto& [type, target] :
         {std::pair{row.forwarding_target_type, row.forwarding_target},
          std::pair{row.unanswered_target_type, row.unanswered_target}}) {
      if (type == TargetType::kSingleTarget && IsPhoneNumber(target)) {
        phone_ids_.emplace(target, static_cast<PhoneId>(phone_ids_.size()));
      }
    }
  }

  // Groups and delegates, one list per owner or delegator.
  for (const MemberRow& row : directory.members) {
    people_[user_ids_.at(row.owner_upn)].group.push_back(row);
  }
  for (Person& person : people_) {
    std::stable_sort(person.group.begin(), person.group.end(),
                     [](const MemberRow& a, const MemberRow& b) {
                       return a.position < b.position;
                     });
  }
  for (const DelegateRow& row : directory.delegates) {
    people_[user_ids_.at(row.delegator_upn)].delegates.push_back(row);
  }
}

RingPlan ReferenceRouter::Route(const CallRequest& call,
                                std::span<const std::uint8_t> presence) const {
  return ReferenceCall(*this, call, presence).Play();
}

}  // namespace callshare
