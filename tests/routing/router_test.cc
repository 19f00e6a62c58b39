// One test per rule of docs/rules.md, on small hand-built tenants. Every
// plan is also routed by the reference router and must match it.
#include "callshare/routing/router.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "callshare/rng/distributions.h"
#include "callshare/rng/xoshiro.h"
#include "callshare/routing/reference_router.h"
#include "callshare/tenant/generator.h"

namespace callshare {
namespace {

constexpr std::uint32_t kForever = RingLeg::kUntilCallerGivesUp;

// Built with append: g++ 12 at -O3 warns falsely on string operator+.
std::string Upn(const std::string& name) {
  std::string upn = name;
  upn.append("@contoso.com");
  return upn;
}

std::string Numbered(const char* prefix, std::uint32_t n) {
  std::string name = prefix;
  name.append(std::to_string(n));
  return name;
}

// A directory written a row at a time, then built and routed.
class RouterTest : public ::testing::Test {
 protected:
  UserId AddUser(const std::string& name, bool eligible = true,
                 const std::string& policy = "Global") {
    directory_.users.push_back({Upn(name), eligible, true, policy, 0});
    return static_cast<UserId>(directory_.users.size() - 1);
  }

  // The settings row of `name`, created with the defaults.
  SettingsRow& Settings(const std::string& name) {
    for (SettingsRow& row : directory_.settings) {
      if (row.upn == Upn(name)) return row;
    }
    directory_.settings.push_back(SettingsRow{});
    directory_.settings.back().upn = Upn(name);
    return directory_.settings.back();
  }

  PolicyRow& Policy(const std::string& name) {
    for (PolicyRow& row : directory_.policies) {
      if (row.name == name) return row;
    }
    directory_.policies.push_back(PolicyRow{});
    directory_.policies.back().name = name;
    return directory_.policies.back();
  }

  void AddGroup(const std::string& owner,
                std::initializer_list<std::string> members,
                Notification notification = Notification::kRing) {
    std::uint32_t position = 1;
    for (const std::string& member : members) {
      directory_.members.push_back(
          {Upn(owner), position++, Upn(member), notification, 0});
    }
  }

  void AddDelegate(const std::string& delegator, const std::string& delegate,
                   Permissions permissions = kReceiveCalls) {
    directory_.delegates.push_back(
        {Upn(delegator), Upn(delegate), permissions, 0});
  }

  void Forward(const std::string& name, ForwardingType type,
               TargetType target_type, const std::string& target = "") {
    SettingsRow& row = Settings(name);
    row.forwarding = true;
    row.forwarding_type = type;
    row.forwarding_target_type = target_type;
    row.forwarding_target = target;
  }

  void Unanswered(const std::string& name, TargetType type,
                  const std::string& target = "", std::uint32_t delay_s = 20) {
    SettingsRow& row = Settings(name);
    row.unanswered = true;
    row.unanswered_target_type = type;
    row.unanswered_target = target;
    row.unanswered_delay_s = delay_s;
  }

  void UnansweredOff(const std::string& name) {
    SettingsRow& row = Settings(name);
    row.unanswered = false;
    row.unanswered_target_type = TargetType::kNone;
  }

  void SetPresence(UserId user, Presence presence, bool on_call = false) {
    presence_.resize(directory_.users.size(), 0);
    presence_[user] =
        static_cast<std::uint8_t>(static_cast<std::uint8_t>(presence) |
                                  (on_call ? PresenceState::kOnCall : 0));
  }

  const Tenant& Build() {
    Diagnostics errors;
    tenant_ = Tenant::Build(directory_, limits_, &errors);
    EXPECT_TRUE(tenant_.has_value())
        << (errors.empty() ? "" : errors.front().message);
    presence_.resize(directory_.users.size(), 0);
    return *tenant_;
  }

  // Routes `callee` through both routers and checks they agree.
  RingPlan Route(UserId callee, bool pstn = false, UserId caller = kNoUser) {
    if (!tenant_) Build();
    const CallRequest call{callee, caller, pstn};
    RingPlan plan;
    Router(*tenant_, options_, presence_).Route(call, &plan);
    const RingPlan reference =
        ReferenceRouter(directory_, limits_, options_).Route(call, presence_);
    EXPECT_TRUE(plan == reference) << "router and reference disagree";
    return plan;
  }

  // Routes `callee` over tenant_ as changes left it; the reference
  // router reads the tables' own directory, since directory_ no longer
  // describes them.
  RingPlan RouteChanged(UserId callee, bool pstn = false) {
    const CallRequest call{callee, kNoUser, pstn};
    RingPlan plan;
    Router(*tenant_, options_, presence_).Route(call, &plan);
    const RingPlan reference =
        ReferenceRouter(tenant_->ToDirectory(), tenant_->limits(), options_)
            .Route(call, presence_);
    EXPECT_TRUE(plan == reference) << "router and reference disagree";
    return plan;
  }

  UserId Id(const std::string& name) const {
    return *tenant_->FindUser(Upn(name));
  }

  Directory directory_;
  LimitProfile limits_;
  RouterOptions options_;
  std::vector<std::uint8_t> presence_;
  std::optional<Tenant> tenant_;
};

void ExpectLeg(const RingLeg& leg, TargetRef target, std::uint32_t start,
               std::uint32_t ring, LegRole role,
               Notification notification = Notification::kRing,
               std::uint8_t flags = 0) {
  EXPECT_EQ(leg.target, target);
  EXPECT_EQ(leg.start_ms, start);
  EXPECT_EQ(leg.ring_ms, ring);
  EXPECT_EQ(leg.role, role);
  EXPECT_EQ(leg.notification, notification);
  EXPECT_EQ(leg.flags, flags);
}

TEST_F(RouterTest, PlainUserRingsUntilUnansweredDelayThenVoicemail) {
  const UserId ana = AddUser("ana");
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 1u);
  ExpectLeg(plan.legs[0], ana, 0, 20'000, LegRole::kOwner);
  EXPECT_EQ(plan.ending, Ending::kVoicemail);
  EXPECT_EQ(plan.ending_ms, 20'000u);
  EXPECT_EQ(plan.flags, 0);
}

TEST_F(RouterTest, SimultaneousGroupRingsOwnerAndAllMembersAtOnce) {
  const UserId ana = AddUser("ana");
  AddUser("bo");
  AddUser("cy");
  AddGroup("ana", {"bo", "cy"});
  Forward("ana", ForwardingType::kSimultaneous, TargetType::kGroup);
  Build();
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 3u);
  ExpectLeg(plan.legs[0], ana, 0, 20'000, LegRole::kOwner);
  ExpectLeg(plan.legs[1], Id("bo"), 0, 20'000, LegRole::kMember);
  ExpectLeg(plan.legs[2], Id("cy"), 0, 20'000, LegRole::kMember);
  EXPECT_EQ(plan.ending_ms, 20'000u);
}

TEST_F(RouterTest, InOrderGroupRingsMembersOneAtATime) {
  const UserId ana = AddUser("ana");
  for (const char* name : {"m1", "m2", "m3", "m4", "m5"}) AddUser(name);
  AddGroup("ana", {"m1", "m2", "m3", "m4", "m5"});
  Forward("ana", ForwardingType::kImmediate, TargetType::kGroup);
  Unanswered("ana", TargetType::kVoicemail, "", 60);
  Settings("ana").call_group_order = RingOrder::kInOrder;
  options_.in_order_ring_ms = 10'000;
  Build();
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 5u);
  for (std::uint32_t k = 0; k < 5; ++k) {
    ExpectLeg(plan.legs[k], Id(Numbered("m", k + 1)), k * 10'000, 10'000,
              LegRole::kMember);
  }
  EXPECT_EQ(plan.ending_ms, 60'000u);
}

TEST_F(RouterTest, InOrderTurnsBeyondTheDelayNeverRing) {
  const UserId ana = AddUser("ana");
  for (const char* name : {"m1", "m2", "m3"}) AddUser(name);
  AddGroup("ana", {"m1", "m2", "m3"});
  Forward("ana", ForwardingType::kImmediate, TargetType::kGroup);
  Settings("ana").call_group_order = RingOrder::kInOrder;
  Unanswered("ana", TargetType::kVoicemail, "", 30);
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 2u);
  ExpectLeg(plan.legs[0], 1, 0, 20'000, LegRole::kMember);
  ExpectLeg(plan.legs[1], 2, 20'000, 10'000, LegRole::kMember);
}

TEST_F(RouterTest, InOrderGroupOverTheLimitRingsSimultaneously) {
  const UserId ana = AddUser("ana");
  for (const char* name : {"m1", "m2", "m3", "m4", "m5", "m6"}) AddUser(name);
  AddGroup("ana", {"m1", "m2", "m3", "m4", "m5", "m6"});
  Forward("ana", ForwardingType::kImmediate, TargetType::kGroup);
  Settings("ana").call_group_order = RingOrder::kInOrder;
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 6u);
  for (const RingLeg& leg : plan.legs) {
    EXPECT_EQ(leg.start_ms, 0u);
    EXPECT_EQ(leg.ring_ms, 20'000u);
  }
}

TEST_F(RouterTest, MembersAreNotifiedByTheirGroupSetting) {
  const UserId ana = AddUser("ana");
  AddUser("bo");
  AddUser("cy");
  AddGroup("ana", {"bo"}, Notification::kBanner);
  directory_.members.push_back(
      {Upn("ana"), 2, Upn("cy"), Notification::kMute, 0});
  Forward("ana", ForwardingType::kImmediate, TargetType::kGroup);
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 2u);
  EXPECT_EQ(plan.legs[0].notification, Notification::kBanner);
  EXPECT_EQ(plan.legs[1].notification, Notification::kMute);
}

TEST_F(RouterTest, MuteOverrideWinsOverTheGroupSetting) {
  const UserId ana = AddUser("ana");
  AddUser("bo");
  AddGroup("ana", {"bo"}, Notification::kRing);
  Forward("ana", ForwardingType::kImmediate, TargetType::kGroup);
  Settings("bo").notification_override = NotificationOverride::kMute;
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 1u);
  EXPECT_EQ(plan.legs[0].notification, Notification::kMute);
}

TEST_F(RouterTest, RingAndBannerOverridesLeaveTheGroupSettingInForce) {
  const UserId ana = AddUser("ana");
  AddUser("bo");
  AddUser("cy");
  AddGroup("ana", {"bo"}, Notification::kMute);
  directory_.members.push_back(
      {Upn("ana"), 2, Upn("cy"), Notification::kRing, 0});
  Forward("ana", ForwardingType::kImmediate, TargetType::kGroup);
  Settings("bo").notification_override = NotificationOverride::kRing;
  Settings("cy").notification_override = NotificationOverride::kBanner;
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 2u);
  EXPECT_EQ(plan.legs[0].notification, Notification::kMute);
  EXPECT_EQ(plan.legs[1].notification, Notification::kRing);
}

TEST_F(RouterTest, IneligibleOwnerRingsOwnerOnly) {
  const UserId ana = AddUser("ana", /*eligible=*/false);
  AddUser("bo");
  AddGroup("ana", {"bo"});
  Forward("ana", ForwardingType::kSimultaneous, TargetType::kGroup);
  Unanswered("ana", TargetType::kSingleTarget, Upn("bo"), 10);
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 1u);
  ExpectLeg(plan.legs[0], ana, 0, 10'000, LegRole::kOwner);
  EXPECT_TRUE(plan.has(kIneligibleLegSkipped));
  EXPECT_EQ(plan.ending, Ending::kVoicemail);
  EXPECT_EQ(plan.ending_ms, 10'000u);
}

TEST_F(RouterTest, IneligibleMemberIsSkippedAndFlagged) {
  const UserId ana = AddUser("ana");
  AddUser("bo", /*eligible=*/false);
  AddUser("cy");
  AddGroup("ana", {"bo", "cy"});
  Forward("ana", ForwardingType::kImmediate, TargetType::kGroup);
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 1u);
  EXPECT_EQ(plan.legs[0].target, Id("cy"));
  EXPECT_TRUE(plan.has(kIneligibleLegSkipped));
}

TEST_F(RouterTest, UnavailableMembersAreSkipped) {
  const UserId ana = AddUser("ana");
  const UserId on_call = AddUser("bo");
  const UserId dnd = AddUser("cy");
  const UserId offline = AddUser("di");
  const UserId away = AddUser("ed");
  AddGroup("ana", {"bo", "cy", "di", "ed"});
  Forward("ana", ForwardingType::kImmediate, TargetType::kGroup);
  Build();
  SetPresence(on_call, Presence::kAvailable, /*on_call=*/true);
  SetPresence(dnd, Presence::kDoNotDisturb);
  SetPresence(offline, Presence::kOffline);
  SetPresence(away, Presence::kAway);
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 1u);
  EXPECT_EQ(plan.legs[0].target, away);
  EXPECT_TRUE(plan.has(kUnavailableLegSkipped));
}

TEST_F(RouterTest, UnavailableMembersRingWhenTheOptionsSaySo) {
  const UserId ana = AddUser("ana");
  const UserId on_call = AddUser("bo");
  const UserId dnd = AddUser("cy");
  const UserId offline = AddUser("di");
  AddGroup("ana", {"bo", "cy", "di"});
  Forward("ana", ForwardingType::kImmediate, TargetType::kGroup);
  Build();
  SetPresence(on_call, Presence::kBusy, /*on_call=*/true);
  SetPresence(dnd, Presence::kDoNotDisturb);
  SetPresence(offline, Presence::kOffline);
  options_.notify_members_on_call = true;
  options_.notify_do_not_disturb = true;
  options_.notify_offline = true;
  const RingPlan plan = Route(ana);
  EXPECT_EQ(plan.legs.size(), 3u);
  EXPECT_FALSE(plan.has(kUnavailableLegSkipped));
}

TEST_F(RouterTest, PstnVoicemailTreatmentSendsPstnCallsToVoicemail) {
  const UserId ana = AddUser("ana", true, "Pstn");
  Policy("Pstn").inbound_pstn_treatment = PstnTreatment::kVoicemail;
  const RingPlan plan = Route(ana, /*pstn=*/true);
  EXPECT_TRUE(plan.legs.empty());
  EXPECT_EQ(plan.ending, Ending::kVoicemail);
  EXPECT_EQ(plan.ending_ms, 0u);
  EXPECT_TRUE(plan.has(kPstnTreatment));
}

TEST_F(RouterTest, PstnUnansweredTreatmentGoesToTheUnansweredTargetAtOnce) {
  const UserId ana = AddUser("ana", true, "Pstn");
  const UserId bo = AddUser("bo");
  Policy("Pstn").inbound_pstn_treatment = PstnTreatment::kUnanswered;
  Unanswered("ana", TargetType::kSingleTarget, Upn("bo"));
  const RingPlan plan = Route(ana, /*pstn=*/true);
  ASSERT_EQ(plan.legs.size(), 1u);
  ExpectLeg(plan.legs[0], bo, 0, 30'000, LegRole::kUnansweredTarget,
            Notification::kRing, RingLeg::kLegUnanswered);
  EXPECT_EQ(plan.ending_ms, 30'000u);
  EXPECT_TRUE(plan.has(kPstnTreatment));
}

TEST_F(RouterTest, PstnTreatmentLeavesInternalCallsAlone) {
  const UserId ana = AddUser("ana", true, "Pstn");
  const UserId bo = AddUser("bo");
  Policy("Pstn").inbound_pstn_treatment = PstnTreatment::kVoicemail;
  const RingPlan plan = Route(ana, /*pstn=*/false, bo);
  ASSERT_EQ(plan.legs.size(), 1u);
  EXPECT_EQ(plan.legs[0].target, ana);
  EXPECT_FALSE(plan.has(kPstnTreatment));
}

// A callee on policy Pstn who shares calls every way: Simultaneous
// forwarding to the call group {bo}, and the delegate cy as the
// unanswered target. dee calls from inside the tenant.
class PstnPrecedenceTest : public RouterTest {
 protected:
  UserId AddSharingCallee(PstnTreatment treatment) {
    const UserId ana = AddUser("ana", true, "Pstn");
    for (const char* name : {"bo", "cy", "dee"}) AddUser(name);
    AddGroup("ana", {"bo"});
    AddDelegate("ana", "cy");
    Forward("ana", ForwardingType::kSimultaneous, TargetType::kGroup);
    Unanswered("ana", TargetType::kMyDelegates);
    Policy("Pstn").inbound_pstn_treatment = treatment;
    Build();
    return ana;
  }

  // An internal call skips the PSTN treatment: owner and group ring,
  // then the delegate after the unanswered delay.
  void ExpectInternalCallShares(UserId ana) {
    const RingPlan internal = Route(ana, /*pstn=*/false, Id("dee"));
    ASSERT_EQ(internal.legs.size(), 3u);
    ExpectLeg(internal.legs[0], ana, 0, 20'000, LegRole::kOwner);
    ExpectLeg(internal.legs[1], Id("bo"), 0, 20'000, LegRole::kMember);
    ExpectLeg(internal.legs[2], Id("cy"), 20'000, 30'000, LegRole::kDelegate,
              Notification::kRing, RingLeg::kLegUnanswered);
    EXPECT_EQ(internal.flags, 0);
  }
};

TEST_F(PstnPrecedenceTest, VoicemailPrecedesForwardingGroupsAndDelegates) {
  const UserId ana = AddSharingCallee(PstnTreatment::kVoicemail);
  const RingPlan pstn = Route(ana, /*pstn=*/true);
  EXPECT_TRUE(pstn.legs.empty());
  EXPECT_EQ(pstn.ending, Ending::kVoicemail);
  EXPECT_EQ(pstn.ending_ms, 0u);
  EXPECT_EQ(pstn.flags, kPstnTreatment);

  ExpectInternalCallShares(ana);
}

TEST_F(PstnPrecedenceTest, UnansweredPrecedesForwardingAndTheGroup) {
  const UserId ana = AddSharingCallee(PstnTreatment::kUnanswered);
  const UserId cy = Id("cy");
  // Neither the owner nor the group rings: the unanswered handling runs
  // at once, and its target, the delegates, rings from 0.
  const RingPlan pstn = Route(ana, /*pstn=*/true);
  ASSERT_EQ(pstn.legs.size(), 1u);
  ExpectLeg(pstn.legs[0], cy, 0, 30'000, LegRole::kDelegate,
            Notification::kRing, RingLeg::kLegUnanswered);
  EXPECT_EQ(pstn.ending_ms, 30'000u);
  EXPECT_EQ(pstn.flags, kPstnTreatment);

  ExpectInternalCallShares(ana);
}

// Busy-on-busy: the callee is on a call.
class BusyOnBusyTest : public RouterTest {
 protected:
  RingPlan RouteBusy(BusyOnBusyPolicy policy, BusyOnBusyOption option) {
    const UserId ana = AddUser("ana", true, "Busy");
    AddUser("bo");
    Policy("Busy").busy_on_busy = policy;
    Settings("ana").busy_on_busy_option = option;
    Unanswered("ana", TargetType::kSingleTarget, Upn("bo"));
    Build();
    SetPresence(ana, Presence::kBusy, /*on_call=*/true);
    return Route(ana);
  }

  void ExpectBusySignal(const RingPlan& plan) {
    EXPECT_TRUE(plan.legs.empty());
    EXPECT_EQ(plan.ending, Ending::kBusySignal);
    EXPECT_TRUE(plan.has(kBusyOnBusy));
  }

  void ExpectRedirected(const RingPlan& plan) {
    ASSERT_EQ(plan.legs.size(), 1u);
    EXPECT_EQ(plan.legs[0].role, LegRole::kUnansweredTarget);
    EXPECT_EQ(plan.legs[0].start_ms, 0u);
    EXPECT_TRUE(plan.has(kBusyOnBusy));
  }

  void ExpectRings(const RingPlan& plan) {
    ASSERT_EQ(plan.legs.size(), 2u);
    EXPECT_EQ(plan.legs[0].role, LegRole::kOwner);
    EXPECT_EQ(plan.legs[1].start_ms, 20'000u);
    EXPECT_FALSE(plan.has(kBusyOnBusy));
  }
};

TEST_F(BusyOnBusyTest, EnabledPlaysBusySignal) {
  ExpectBusySignal(
      RouteBusy(BusyOnBusyPolicy::kEnabled, BusyOnBusyOption::kRingUser));
}

TEST_F(BusyOnBusyTest, UnansweredGoesStraightToUnansweredHandling) {
  ExpectRedirected(
      RouteBusy(BusyOnBusyPolicy::kUnanswered, BusyOnBusyOption::kRingUser));
}

TEST_F(BusyOnBusyTest, DisabledRingsTheOwnerAnyway) {
  ExpectRings(RouteBusy(BusyOnBusyPolicy::kDisabled,
                        BusyOnBusyOption::kPlayBusySignal));
}

TEST_F(BusyOnBusyTest, UserOverridePlayBusySignal) {
  ExpectBusySignal(RouteBusy(BusyOnBusyPolicy::kUserOverride,
                             BusyOnBusyOption::kPlayBusySignal));
}

TEST_F(BusyOnBusyTest, UserOverrideRedirectAsUnanswered) {
  ExpectRedirected(RouteBusy(BusyOnBusyPolicy::kUserOverride,
                             BusyOnBusyOption::kRedirectAsUnansweredCall));
}

TEST_F(BusyOnBusyTest, UserOverrideRingUser) {
  ExpectRings(
      RouteBusy(BusyOnBusyPolicy::kUserOverride, BusyOnBusyOption::kRingUser));
}

TEST_F(RouterTest, BusyOnBusyIgnoresACalleeWhoIsNotOnACall) {
  const UserId ana = AddUser("ana", true, "Busy");
  Policy("Busy").busy_on_busy = BusyOnBusyPolicy::kEnabled;
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 1u);
  EXPECT_FALSE(plan.has(kBusyOnBusy));
}

TEST_F(RouterTest, ImmediateForwardingToAUserRingsOnlyTheTarget) {
  const UserId ana = AddUser("ana");
  const UserId bo = AddUser("bo");
  Forward("ana", ForwardingType::kImmediate, TargetType::kSingleTarget,
          Upn("bo"));
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 1u);
  ExpectLeg(plan.legs[0], bo, 0, 20'000, LegRole::kForwardTarget);
}

TEST_F(RouterTest, ImmediateForwardingToANumberRingsTheNumber) {
  const UserId ana = AddUser("ana");
  Forward("ana", ForwardingType::kImmediate, TargetType::kSingleTarget,
          "+15550100");
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 1u);
  EXPECT_TRUE(IsPhone(plan.legs[0].target));
  EXPECT_EQ(tenant_->phone(PhoneOf(plan.legs[0].target)), "+15550100");
  EXPECT_EQ(plan.legs[0].role, LegRole::kForwardTarget);
}

TEST_F(RouterTest, SimultaneousForwardingRingsOwnerAndTarget) {
  const UserId ana = AddUser("ana");
  const UserId bo = AddUser("bo");
  Forward("ana", ForwardingType::kSimultaneous, TargetType::kSingleTarget,
          Upn("bo"));
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 2u);
  ExpectLeg(plan.legs[0], ana, 0, 20'000, LegRole::kOwner);
  ExpectLeg(plan.legs[1], bo, 0, 20'000, LegRole::kForwardTarget);
}

TEST_F(RouterTest, SimultaneousForwardingToANumberRingsOwnerAndNumber) {
  const UserId ana = AddUser("ana");
  Forward("ana", ForwardingType::kSimultaneous, TargetType::kSingleTarget,
          "+15550100");
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 2u);
  EXPECT_EQ(plan.legs[0].target, ana);
  EXPECT_TRUE(IsPhone(plan.legs[1].target));
}

TEST_F(RouterTest, ForwardingToAUserBlockedByPolicyRingsTheOwner) {
  const UserId ana = AddUser("ana", true, "NoForward");
  AddUser("bo");
  Policy("NoForward").allow_call_forwarding_to_user = false;
  Forward("ana", ForwardingType::kImmediate, TargetType::kSingleTarget,
          Upn("bo"));
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 1u);
  EXPECT_EQ(plan.legs[0].target, ana);
  EXPECT_TRUE(plan.has(kBlockedByPolicy));
}

TEST_F(RouterTest, ForwardingToANumberBlockedByPolicyRingsTheOwner) {
  const UserId ana = AddUser("ana", true, "NoPhone");
  Policy("NoPhone").allow_call_forwarding_to_phone = false;
  Forward("ana", ForwardingType::kSimultaneous, TargetType::kSingleTarget,
          "+15550100");
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 1u);
  EXPECT_EQ(plan.legs[0].target, ana);
  EXPECT_TRUE(plan.has(kBlockedByPolicy));
}

TEST_F(RouterTest, ImmediateForwardingToVoicemailEndsInVoicemailAtOnce) {
  const UserId ana = AddUser("ana");
  Forward("ana", ForwardingType::kImmediate, TargetType::kVoicemail);
  const RingPlan plan = Route(ana);
  EXPECT_TRUE(plan.legs.empty());
  EXPECT_EQ(plan.ending, Ending::kVoicemail);
  EXPECT_EQ(plan.ending_ms, 0u);
}

TEST_F(RouterTest, MyDelegatesRingsOnlyDelegatesHoldingReceiveCalls) {
  const UserId ana = AddUser("ana");
  const UserId bo = AddUser("bo");
  AddUser("cy");
  AddDelegate("ana", "bo", kReceiveCalls | kMakeCalls);
  AddDelegate("ana", "cy", kMakeCalls | kManageSettings);
  Forward("ana", ForwardingType::kSimultaneous, TargetType::kMyDelegates);
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 2u);
  ExpectLeg(plan.legs[1], bo, 0, 20'000, LegRole::kDelegate);
  EXPECT_EQ(plan.flags, 0);
}

// A tenant whose owner's policy forbids call groups and delegation after
// both were configured.
class StaleTest : public RouterTest {
 protected:
  UserId MakeStaleOwner() {
    const UserId ana = AddUser("ana", true, "Locked");
    AddUser("bo");
    AddUser("cy");
    Policy("Locked").allow_call_groups = false;
    Policy("Locked").allow_delegation = false;
    AddGroup("ana", {"bo"});
    AddDelegate("ana", "cy");
    Forward("ana", ForwardingType::kSimultaneous, TargetType::kGroup);
    Unanswered("ana", TargetType::kMyDelegates);
    return ana;
  }
};

TEST_F(StaleTest, AsDeployedFollowsStaleRelationshipsAndFlagsThem) {
  const UserId ana = MakeStaleOwner();
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 3u);
  ExpectLeg(plan.legs[0], ana, 0, 20'000, LegRole::kOwner);
  ExpectLeg(plan.legs[1], Id("bo"), 0, 20'000, LegRole::kMember,
            Notification::kRing, RingLeg::kLegStaleRouted);
  ExpectLeg(plan.legs[2], Id("cy"), 20'000, 30'000, LegRole::kDelegate,
            Notification::kRing,
            RingLeg::kLegStaleRouted | RingLeg::kLegUnanswered);
  EXPECT_TRUE(plan.has(kStaleRouted));
  EXPECT_FALSE(plan.has(kBlockedByPolicy));
}

TEST_F(StaleTest, EnforcedDropsStaleRelationships) {
  const UserId ana = MakeStaleOwner();
  options_.mode = RouterMode::kEnforced;
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 1u);
  EXPECT_EQ(plan.legs[0].target, ana);
  EXPECT_TRUE(plan.has(kBlockedByPolicy));
  EXPECT_FALSE(plan.has(kStaleRouted));
  EXPECT_EQ(plan.ending, Ending::kVoicemail);
  EXPECT_EQ(plan.ending_ms, 20'000u);
}

TEST_F(StaleTest, AfterCleanupTheCallRingsAsConfigured) {
  const UserId ana = MakeStaleOwner();
  Build();
  tenant_->Cleanup();
  for (RouterMode mode : {RouterMode::kAsDeployed, RouterMode::kEnforced}) {
    options_.mode = mode;
    RingPlan plan;
    Router(*tenant_, options_, presence_).Route({ana, kNoUser, false}, &plan);
    ASSERT_EQ(plan.legs.size(), 1u);
    EXPECT_EQ(plan.legs[0].target, ana);
    EXPECT_EQ(plan.flags, 0);
    EXPECT_EQ(plan.ending, Ending::kVoicemail);
  }
}

// Groups and delegates set up under a policy that allows them, the
// policy turned off, then an admin's cleanup.
TEST_F(StaleTest, PolicyTurnedOffAfterSetupIsStaleUntilCleanup) {
  const UserId ana = AddUser("ana");
  const UserId bo = AddUser("bo");
  const UserId cy = AddUser("cy");
  AddGroup("ana", {"bo"});
  AddDelegate("ana", "cy");
  Forward("ana", ForwardingType::kSimultaneous, TargetType::kGroup);
  Unanswered("ana", TargetType::kMyDelegates);
  Build();
  ASSERT_EQ(RouteChanged(ana).legs.size(), 3u);
  ::callshare::Policy off;
  off.allow_call_groups = false;
  off.allow_delegation = false;
  ASSERT_TRUE(tenant_->SetPolicy(kGlobalPolicy, off).ok());

  options_.mode = RouterMode::kAsDeployed;
  const RingPlan deployed = RouteChanged(ana);
  ASSERT_EQ(deployed.legs.size(), 3u);
  ExpectLeg(deployed.legs[1], bo, 0, 20'000, LegRole::kMember,
            Notification::kRing, RingLeg::kLegStaleRouted);
  ExpectLeg(deployed.legs[2], cy, 20'000, 30'000, LegRole::kDelegate,
            Notification::kRing,
            RingLeg::kLegStaleRouted | RingLeg::kLegUnanswered);
  EXPECT_EQ(deployed.flags, kStaleRouted);

  options_.mode = RouterMode::kEnforced;
  const RingPlan enforced = RouteChanged(ana);
  ASSERT_EQ(enforced.legs.size(), 1u);
  ExpectLeg(enforced.legs[0], ana, 0, 20'000, LegRole::kOwner);
  EXPECT_EQ(enforced.flags, kBlockedByPolicy);
  EXPECT_EQ(enforced.ending_ms, 20'000u);

  const CleanupReport report = tenant_->Cleanup();
  EXPECT_EQ(report.groups_removed, 1u);
  EXPECT_EQ(report.delegations_removed, 1u);
  for (RouterMode mode : {RouterMode::kAsDeployed, RouterMode::kEnforced}) {
    options_.mode = mode;
    const RingPlan cleaned = RouteChanged(ana);
    ASSERT_EQ(cleaned.legs.size(), 1u) << Name(mode);
    ExpectLeg(cleaned.legs[0], ana, 0, 20'000, LegRole::kOwner);
    EXPECT_EQ(cleaned.flags, 0) << Name(mode);
    EXPECT_EQ(cleaned.ending, Ending::kVoicemail);
    EXPECT_EQ(cleaned.ending_ms, 20'000u);
  }
}

TEST_F(RouterTest, ForwardChainIsFollowedOneHopByDefault) {
  const UserId ana = AddUser("ana");
  const UserId bo = AddUser("bo");
  AddUser("cy");
  Forward("ana", ForwardingType::kImmediate, TargetType::kSingleTarget,
          Upn("bo"));
  Forward("bo", ForwardingType::kImmediate, TargetType::kSingleTarget,
          Upn("cy"));
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 1u);
  EXPECT_EQ(plan.legs[0].target, bo);
  options_.forward_hops = 2;
  const RingPlan two_hops = Route(ana);
  ASSERT_EQ(two_hops.legs.size(), 1u);
  EXPECT_EQ(two_hops.legs[0].target, Id("cy"));
}

TEST_F(RouterTest, ForwardCycleIsDetectedAndFlagged) {
  const UserId ana = AddUser("ana");
  AddUser("bo");
  const UserId cy = AddUser("cy");
  Forward("ana", ForwardingType::kImmediate, TargetType::kSingleTarget,
          Upn("bo"));
  Forward("bo", ForwardingType::kImmediate, TargetType::kSingleTarget,
          Upn("cy"));
  Forward("cy", ForwardingType::kImmediate, TargetType::kSingleTarget,
          Upn("ana"));
  options_.forward_hops = 5;
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 1u);
  EXPECT_EQ(plan.legs[0].target, cy);
  EXPECT_TRUE(plan.has(kForwardCycle));
}

TEST_F(RouterTest, APersonRingsAtMostOncePerCall) {
  const UserId ana = AddUser("ana");
  const UserId bo = AddUser("bo");
  const UserId cy = AddUser("cy");
  AddGroup("ana", {"bo", "cy"});
  AddDelegate("ana", "bo");
  Forward("ana", ForwardingType::kSimultaneous, TargetType::kGroup);
  Unanswered("ana", TargetType::kMyDelegates);
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 3u);
  EXPECT_EQ(plan.legs[1].target, bo);
  EXPECT_EQ(plan.legs[2].target, cy);
  // bo already rang as a member, so the unanswered stage rings nobody.
  EXPECT_EQ(plan.ending_ms, 20'000u);
}

TEST_F(RouterTest, TheCallerIsNeverRung) {
  const UserId ana = AddUser("ana");
  const UserId bo = AddUser("bo");
  const UserId cy = AddUser("cy");
  AddGroup("ana", {"bo", "cy"});
  Forward("ana", ForwardingType::kSimultaneous, TargetType::kGroup);
  const RingPlan plan = Route(ana, false, bo);
  ASSERT_EQ(plan.legs.size(), 2u);
  EXPECT_EQ(plan.legs[1].target, cy);
  EXPECT_EQ(plan.flags, 0);
}

TEST_F(RouterTest, UnansweredDelayCutsLegsAndTheTargetStartsThere) {
  const UserId ana = AddUser("ana");
  const UserId bo = AddUser("bo");
  const UserId cy = AddUser("cy");
  AddGroup("ana", {"bo"});
  Forward("ana", ForwardingType::kSimultaneous, TargetType::kGroup);
  Unanswered("ana", TargetType::kSingleTarget, Upn("cy"), 15);
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 3u);
  ExpectLeg(plan.legs[0], ana, 0, 15'000, LegRole::kOwner);
  ExpectLeg(plan.legs[1], bo, 0, 15'000, LegRole::kMember);
  ExpectLeg(plan.legs[2], cy, 15'000, 30'000, LegRole::kUnansweredTarget,
            Notification::kRing, RingLeg::kLegUnanswered);
  EXPECT_EQ(plan.ending, Ending::kVoicemail);
  EXPECT_EQ(plan.ending_ms, 45'000u);
}

TEST_F(RouterTest, UnansweredGroupRingsMembersAfterTheDelay) {
  const UserId ana = AddUser("ana");
  const UserId bo = AddUser("bo");
  AddGroup("ana", {"bo"});
  Unanswered("ana", TargetType::kGroup, "", 10);
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 2u);
  ExpectLeg(plan.legs[1], bo, 10'000, 30'000, LegRole::kMember,
            Notification::kRing, RingLeg::kLegUnanswered);
}

TEST_F(RouterTest, VoicemailTimeoutAppliesWhenUnansweredIsOff) {
  const UserId ana = AddUser("ana");
  UnansweredOff("ana");
  options_.voicemail_timeout_ms = 25'000;
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 1u);
  EXPECT_EQ(plan.legs[0].ring_ms, 25'000u);
  EXPECT_EQ(plan.ending, Ending::kVoicemail);
  EXPECT_EQ(plan.ending_ms, 25'000u);
}

TEST_F(RouterTest, WithoutVoicemailTheCallRingsOut) {
  const UserId ana = AddUser("ana", true, "NoVoicemail");
  Policy("NoVoicemail").allow_voicemail = VoicemailPolicy::kAlwaysDisabled;
  const RingPlan plan = Route(ana);
  ASSERT_EQ(plan.legs.size(), 1u);
  EXPECT_EQ(plan.legs[0].ring_ms, kForever);
  EXPECT_EQ(plan.ending, Ending::kRingOut);
}

TEST_F(RouterTest, NothingToRingAndNoVoicemailDisconnects) {
  const UserId ana = AddUser("ana", true, "NoVoicemail");
  const UserId bo = AddUser("bo");
  AddGroup("ana", {"bo"});
  Policy("NoVoicemail").allow_voicemail = VoicemailPolicy::kAlwaysDisabled;
  Forward("ana", ForwardingType::kImmediate, TargetType::kGroup);
  Build();
  SetPresence(bo, Presence::kOffline);
  const RingPlan plan = Route(ana);
  EXPECT_TRUE(plan.legs.empty());
  EXPECT_EQ(plan.ending, Ending::kDisconnected);
  EXPECT_EQ(plan.disconnect_reason, DisconnectReason::kNoTargetConfigured);
}

TEST_F(RouterTest, GroupWhoseOnlyMemberIsOfflineGoesToVoicemailAtOnce) {
  const UserId ana = AddUser("ana");
  const UserId bo = AddUser("bo");
  AddGroup("ana", {"bo"});
  Forward("ana", ForwardingType::kImmediate, TargetType::kGroup);
  Build();
  SetPresence(bo, Presence::kOffline);
  const RingPlan plan = Route(ana);
  EXPECT_TRUE(plan.legs.empty());
  EXPECT_EQ(plan.ending, Ending::kVoicemail);
  EXPECT_EQ(plan.ending_ms, 0u);
}

// A generated tenant (groups of every size and order, delegates, stale
// policies, ineligible people) with every presence state: the batch's
// prefetching must not change a single plan, in either mode.
TEST(RouterBatchTest, RouteBatchMatchesRoute) {
  GeneratorOptions generator;
  generator.users = 3'000;
  generator.groups = 400;
  generator.delegator_share = 0.05;
  generator.seed = 17;
  Diagnostics errors;
  const std::optional<Tenant> tenant =
      Tenant::Build(GenerateDirectory(generator, LimitProfile::Teams()),
                    LimitProfile::Teams(), &errors);
  ASSERT_TRUE(tenant.has_value());

  Xoshiro256pp rng(5);
  std::vector<std::uint8_t> presence(tenant->user_count());
  for (std::uint8_t& state : presence) {
    state = std::uint8_t(UniformBelow(rng, 5)) |
            (UniformBelow(rng, 4) == 0 ? PresenceState::kOnCall : 0);
  }
  std::vector<CallRequest> calls;
  for (UserId callee = 0; callee < tenant->user_count(); ++callee) {
    const UserId caller = UniformBelow(rng, 2)
                              ? UserId(UniformBelow(rng, tenant->user_count()))
                              : kNoUser;
    calls.push_back({callee, caller, UniformBelow(rng, 3) == 0});
  }

  for (RouterMode mode : {RouterMode::kAsDeployed, RouterMode::kEnforced}) {
    RouterOptions options;
    options.mode = mode;
    const Router router(*tenant, options, presence);
    std::vector<RingPlan> batch(calls.size());
    router.RouteBatch(calls, batch);
    std::uint8_t flags_seen = 0;
    std::size_t shared = 0;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      RingPlan single;
      router.Route(calls[i], &single);
      ASSERT_TRUE(single == batch[i]) << Name(mode) << " call " << i;
      flags_seen |= single.flags;
      shared += std::any_of(single.legs.begin(), single.legs.end(),
                            [](const RingLeg& leg) {
                              return leg.role == LegRole::kMember ||
                                     leg.role == LegRole::kDelegate;
                            });
    }
    // The tenant exercised what the prefetch waves read: groups and
    // delegates rang, and people were skipped for eligibility and
    // presence.
    EXPECT_GT(shared, 100u) << Name(mode);
    EXPECT_TRUE(flags_seen & kIneligibleLegSkipped) << Name(mode);
    EXPECT_TRUE(flags_seen & kUnavailableLegSkipped) << Name(mode);
    EXPECT_TRUE(flags_seen & (mode == RouterMode::kEnforced ? kBlockedByPolicy
                                                            : kStaleRouted))
        << Name(mode);
  }
}

}  // namespace
}  // namespace callshare
