#include "reasons.h"

#include <algorithm>

namespace callshare::cli {
namespace {

// Whether the router reaches the relationship behind `type` for a callee
// on `policy`: a group or delegate gate that says no is followed as
// deployed and dropped when enforced.
bool Reaches(TargetType type, const Policy& policy, RouterMode mode) {
  const bool as_deployed = mode == RouterMode::kAsDeployed;
  if (type == TargetType::kGroup) {
    return policy.allow_call_groups || as_deployed;
  }
  if (type == TargetType::kMyDelegates) {
    return policy.allow_delegation || as_deployed;
  }
  return false;
}

// The relationships a route of `callee` considered. The first stage is
// skipped when the PSTN treatment or busy-on-busy decided the route.
std::vector<TargetType> ConsideredTargets(const UserRecord& callee,
                                          const Policy& policy, RouterMode mode,
                                          const RingPlan& plan) {
  std::vector<TargetType> targets;
  const bool first_stage = !plan.has(kPstnTreatment) && !plan.has(kBusyOnBusy);
  if (first_stage && (callee.flags & UserRecord::kForwarding) &&
      Reaches(callee.forwarding_target_type, policy, mode)) {
    targets.push_back(callee.forwarding_target_type);
  }
  if ((callee.flags & UserRecord::kUnanswered) &&
      Reaches(callee.unanswered_target_type, policy, mode)) {
    targets.push_back(callee.unanswered_target_type);
  }
  return targets;
}

// The members or delegates behind `type`, in the order they ring.
std::vector<UserId> PeopleOf(const Tenant& tenant, UserId callee,
                             TargetType type) {
  if (type == TargetType::kGroup) {
    const GroupId group = tenant.user(callee).group;
    if (group == kNoGroup) return {};
    const auto members = tenant.members(group);
    return {members.begin(), members.end()};
  }
  std::vector<UserId> receivers;
  const auto delegates = tenant.delegates(callee);
  const auto permissions = tenant.delegate_permissions(callee);
  for (std::size_t k = 0; k < delegates.size(); ++k) {
    if (permissions[k] & kReceiveCalls) receivers.push_back(delegates[k]);
  }
  return receivers;
}

bool Rings(const RingPlan& plan, UserId user) {
  return std::any_of(plan.legs.begin(), plan.legs.end(),
                     [&](const RingLeg& leg) { return leg.target == user; });
}

bool Listed(const std::vector<SkippedPerson>& skipped, UserId user) {
  return std::any_of(
      skipped.begin(), skipped.end(),
      [&](const SkippedPerson& person) { return person.user == user; });
}

}  // namespace

std::optional<PlanFlag> ParsePlanFlag(std::string_view name) {
  for (std::uint8_t bit = 1; bit != 0; bit = std::uint8_t(bit << 1)) {
    const auto flag = static_cast<PlanFlag>(bit);
    if (Name(flag) == name) return flag;
  }
  return std::nullopt;
}

std::string_view FlagSentence(PlanFlag flag) {
  switch (flag) {
    case kStaleRouted:
      return "a call group or delegation that the callee's policy no "
             "longer allows was followed, as Teams does until an admin "
             "cleans it up";
    case kBlockedByPolicy:
      return "a leg was dropped because the callee's calling policy does "
             "not allow it";
    case kIneligibleLegSkipped:
      return "someone is not in Teams Only mode or not voice-enabled: "
             "an ineligible callee gets no call sharing, an ineligible "
             "member or delegate is never rung";
    case kUnavailableLegSkipped:
      return "a member or delegate on a call, offline or on Do Not "
             "Disturb was not notified";
    case kForwardCycle:
      return "the forwarding chain leads back to someone already on it";
    case kPstnTreatment:
      return "the policy's InboundPstnCallRoutingTreatment decided the "
             "route";
    case kBusyOnBusy:
      return "the callee was on a call and busy-on-busy decided the route";
  }
  return "";
}

std::string IneligibleWhy(const UserRecord& user) {
  const bool teams_only = (user.flags & UserRecord::kTeamsOnly) != 0;
  const bool voice = (user.flags & UserRecord::kVoiceEnabled) != 0;
  if (!teams_only && !voice) {
    return "not in Teams Only mode and not voice-enabled";
  }
  if (!teams_only) return "not in Teams Only mode";
  if (!voice) return "not voice-enabled";
  return "";
}

std::string_view UnavailableWhy(std::uint8_t state,
                                const RouterOptions& options) {
  switch (UnavailabilityOf(state, options)) {
    case Unavailability::kOnCall:
      return "on a call";
    case Unavailability::kOffline:
      return "offline";
    case Unavailability::kDoNotDisturb:
      return "on Do Not Disturb";
    case Unavailability::kNone:
      break;
  }
  return "";
}

std::vector<SkippedPerson> SkippedPeople(const Tenant& tenant,
                                         const CallRequest& call,
                                         const RouterOptions& options,
                                         std::span<const std::uint8_t> presence,
                                         const RingPlan& plan) {
  std::vector<SkippedPerson> skipped;
  const UserRecord& callee = tenant.user(call.callee);
  if (!callee.eligible()) return skipped;
  const Policy& policy = tenant.policy(callee.policy);
  for (const TargetType type :
       ConsideredTargets(callee, policy, options.mode, plan)) {
    const LegRole role =
        type == TargetType::kGroup ? LegRole::kMember : LegRole::kDelegate;
    for (const UserId person : PeopleOf(tenant, call.callee, type)) {
      if (person == call.caller || Rings(plan, person) ||
          Listed(skipped, person)) {
        continue;
      }
      const std::string ineligible = IneligibleWhy(tenant.user(person));
      const std::string_view unavailable =
          presence.empty() ? "" : UnavailableWhy(presence[person], options);
      if (!ineligible.empty()) {
        skipped.push_back({person, role, true, ineligible});
      } else if (!unavailable.empty()) {
        skipped.push_back({person, role, false, std::string(unavailable)});
      }
    }
  }
  return skipped;
}

}  // namespace callshare::cli
