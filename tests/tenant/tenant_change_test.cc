#include <gtest/gtest.h>

#include <vector>

#include "callshare/tenant/tenant.h"
#include "tenant_test_util.h"

namespace callshare {
namespace {

using testing::AddDelegate;
using testing::AddMember;
using testing::Dump;
using testing::MustBuild;
using testing::Upn;
using testing::Users;

std::vector<UserId> Ids(std::span<const UserId> ids) {
  return {ids.begin(), ids.end()};
}

// A small tenant: u0 owns {u1, u2}, u3 owns {u1}, u0 delegates to u4.
class TenantChangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Directory d = Users(40);
    AddMember(&d, 0, 1, 1);
    AddMember(&d, 0, 2, 2);
    AddMember(&d, 3, 1, 1);
    AddDelegate(&d, 0, 4);
    tenant_ = MustBuild(d);
    before_ = Dump(tenant_.ToDirectory());
  }

  // Expects a refusal of `kind` that left every table as it was.
  void ExpectRefused(const ChangeStatus& status, ChangeError::Kind kind) {
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().kind, kind) << status.error().message;
    EXPECT_EQ(Dump(tenant_.ToDirectory()), before_);
    tenant_.CheckInvariants();
  }

  void ExpectOk(const ChangeStatus& status) {
    ASSERT_TRUE(status.ok()) << status.error().message;
    tenant_.CheckInvariants();
  }

  Tenant tenant_;
  std::string before_;
};

TEST_F(TenantChangeTest, CreateGroupAppendsAndIndexesMembers) {
  const MemberSpec members[] = {{5, Notification::kBanner}, {1}};
  ExpectOk(tenant_.CreateGroup(6, RingOrder::kInOrder, members));
  const GroupId group = tenant_.user(6).group;
  EXPECT_EQ(group, 2u);
  EXPECT_EQ(Ids(tenant_.members(group)), (std::vector<UserId>{5, 1}));
  EXPECT_EQ(tenant_.user(6).call_group_order, RingOrder::kInOrder);
  EXPECT_EQ(tenant_.memberships(1).size(), 3u);
  EXPECT_EQ(tenant_.memberships(5)[0], group);
}

TEST_F(TenantChangeTest, CreateGroupRefusals) {
  const MemberSpec one[] = {{5}};
  const MemberSpec self[] = {{6}};
  const MemberSpec twice[] = {{5}, {5}};
  const MemberSpec ghost[] = {{999}};
  ExpectRefused(tenant_.CreateGroup(0, RingOrder::kSimultaneous, one),
                ChangeError::Kind::kDuplicate);
  ExpectRefused(tenant_.CreateGroup(6, RingOrder::kSimultaneous, {}),
                ChangeError::Kind::kInvalid);
  ExpectRefused(tenant_.CreateGroup(6, RingOrder::kSimultaneous, self),
                ChangeError::Kind::kInvalid);
  ExpectRefused(tenant_.CreateGroup(6, RingOrder::kSimultaneous, twice),
                ChangeError::Kind::kDuplicate);
  ExpectRefused(tenant_.CreateGroup(6, RingOrder::kSimultaneous, ghost),
                ChangeError::Kind::kUnknown);
  ExpectRefused(tenant_.CreateGroup(999, RingOrder::kSimultaneous, one),
                ChangeError::Kind::kUnknown);
  std::vector<MemberSpec> many;
  for (UserId u = 10; u < 36; ++u) many.push_back({u});
  ExpectRefused(tenant_.CreateGroup(6, RingOrder::kSimultaneous, many),
                ChangeError::Kind::kLimit);
}

TEST(TenantChangeLimitTest, CreateGroupPastTheTenantLimitIsRefused) {
  Directory d = Users(32'770);
  for (std::uint32_t i = 0; i < 32'767; ++i) AddMember(&d, i, 1, i + 1);
  Tenant tenant = MustBuild(d);
  const MemberSpec member[] = {{0}};
  ASSERT_TRUE(
      tenant.CreateGroup(32'767, RingOrder::kSimultaneous, member).ok());
  EXPECT_EQ(tenant.group_count(), 32'768u);
  const std::string before = Dump(tenant.ToDirectory());
  const ChangeStatus status =
      tenant.CreateGroup(32'768, RingOrder::kSimultaneous, member);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ChangeError::Kind::kLimit);
  ASSERT_TRUE(status.error().limit.has_value());
  const LimitError& limit = *status.error().limit;
  EXPECT_EQ(limit.limit, Limit::kGroupsPerTenant);
  EXPECT_EQ(limit.entity, "tenant");
  EXPECT_EQ(limit.value, 32'769u);
  EXPECT_EQ(limit.maximum, 32'768u);
  EXPECT_EQ(Dump(tenant.ToDirectory()), before);
}

TEST_F(TenantChangeTest, RemoveGroupMovesTheLastGroupIntoTheHole) {
  const MemberSpec members[] = {{7}};
  ExpectOk(tenant_.CreateGroup(6, RingOrder::kSimultaneous, members));
  ExpectOk(tenant_.RemoveGroup(0));
  EXPECT_EQ(tenant_.group_count(), 2u);
  EXPECT_EQ(tenant_.user(0).group, kNoGroup);
  EXPECT_EQ(tenant_.user(6).group, 0u);
  EXPECT_EQ(tenant_.group_owner(0), 6u);
  EXPECT_EQ(Ids(tenant_.members(0)), (std::vector<UserId>{7}));
  EXPECT_TRUE(tenant_.memberships(2).empty());
  EXPECT_EQ(tenant_.memberships(7)[0], 0u);
  before_ = Dump(tenant_.ToDirectory());
  ExpectRefused(tenant_.RemoveGroup(0), ChangeError::Kind::kNotFound);
}

TEST_F(TenantChangeTest, AddMemberAppendsAndIndexesInGroupOrder) {
  ExpectOk(tenant_.AddMember(3, {2, Notification::kMute}));
  EXPECT_EQ(Ids(tenant_.members(1)), (std::vector<UserId>{1, 2}));
  EXPECT_EQ(tenant_.member_notifications(1)[1], Notification::kMute);
  const auto groups = tenant_.memberships(2);
  EXPECT_EQ(std::vector<GroupId>(groups.begin(), groups.end()),
            (std::vector<GroupId>{0, 1}));
}

TEST_F(TenantChangeTest, AddMemberRefusals) {
  ExpectRefused(tenant_.AddMember(5, {1}), ChangeError::Kind::kNotFound);
  ExpectRefused(tenant_.AddMember(0, {0}), ChangeError::Kind::kInvalid);
  ExpectRefused(tenant_.AddMember(0, {1}), ChangeError::Kind::kDuplicate);
  ExpectRefused(tenant_.AddMember(0, {999}), ChangeError::Kind::kUnknown);
}

TEST_F(TenantChangeTest, AddMemberStopsAtTwentyFiveMembers) {
  for (UserId u = 10; u < 33; ++u) ExpectOk(tenant_.AddMember(0, {u}));
  EXPECT_EQ(tenant_.members(0).size(), 25u);
  before_ = Dump(tenant_.ToDirectory());
  const ChangeStatus status = tenant_.AddMember(0, {33});
  ExpectRefused(status, ChangeError::Kind::kLimit);
  EXPECT_EQ(status.error().limit->limit, Limit::kMembersPerGroup);
  EXPECT_EQ(status.error().limit->value, 26u);
}

TEST(TenantChangeLimitTest, AddMemberStopsAtTwentyFiveMemberships) {
  Directory d = Users(30);
  for (std::uint32_t owner = 1; owner <= 26; ++owner) {
    AddMember(&d, owner, 1, owner == 26 ? 27 : 0);
  }
  LimitProfile limits;
  limits.member_list_chars = 45;
  Tenant tenant = MustBuild(d, limits);
  EXPECT_EQ(tenant.memberships(0).size(), 25u);
  const std::string before = Dump(tenant.ToDirectory());
  const ChangeStatus status = tenant.AddMember(26, {0});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().limit->limit, Limit::kMembershipsPerUser);
  EXPECT_EQ(status.error().limit->entity, Upn(0));
  EXPECT_EQ(Dump(tenant.ToDirectory()), before);
  EXPECT_EQ(tenant.memberships(0).size(), 25u);
  tenant.CheckInvariants();
  // u27..u29 have 15-character UPNs, u3 has 14: 45 fits, 59 does not.
  EXPECT_TRUE(tenant.AddMember(26, {28}).ok());
  EXPECT_TRUE(tenant.AddMember(26, {29}).ok());
  const std::string full = Dump(tenant.ToDirectory());
  const ChangeStatus over = tenant.AddMember(26, {3});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().limit->limit, Limit::kMemberListChars);
  EXPECT_EQ(over.error().limit->value, 59u);
  EXPECT_EQ(Dump(tenant.ToDirectory()), full);
  EXPECT_TRUE(tenant.memberships(3).empty());
  tenant.CheckInvariants();
}

TEST_F(TenantChangeTest, RemoveMemberAndTheLastMemberTakesTheGroup) {
  ExpectOk(tenant_.RemoveMember(0, 1));
  EXPECT_EQ(Ids(tenant_.members(0)), (std::vector<UserId>{2}));
  EXPECT_EQ(tenant_.memberships(1).size(), 1u);
  ExpectOk(tenant_.RemoveMember(3, 1));
  EXPECT_EQ(tenant_.group_count(), 1u);
  EXPECT_EQ(tenant_.user(3).group, kNoGroup);
  before_ = Dump(tenant_.ToDirectory());
  ExpectRefused(tenant_.RemoveMember(0, 1), ChangeError::Kind::kNotFound);
  ExpectRefused(tenant_.RemoveMember(3, 1), ChangeError::Kind::kNotFound);
}

TEST_F(TenantChangeTest, SetMemberNotification) {
  ExpectOk(tenant_.SetMemberNotification(0, 2, Notification::kBanner));
  EXPECT_EQ(tenant_.member_notifications(0)[1], Notification::kBanner);
  before_ = Dump(tenant_.ToDirectory());
  ExpectRefused(tenant_.SetMemberNotification(0, 5, Notification::kMute),
                ChangeError::Kind::kNotFound);
}

TEST_F(TenantChangeTest, AddAndRemoveDelegateKeepRangesAndReverseIndex) {
  ExpectOk(tenant_.AddDelegate(2, 4, kReceiveCalls));
  ExpectOk(tenant_.AddDelegate(0, 5, kMakeCalls));
  EXPECT_EQ(Ids(tenant_.delegates(0)), (std::vector<UserId>{4, 5}));
  EXPECT_EQ(tenant_.delegate_permissions(0)[1], kMakeCalls);
  EXPECT_EQ(Ids(tenant_.delegators(4)), (std::vector<UserId>{0, 2}));
  ExpectOk(tenant_.RemoveDelegate(0, 4));
  EXPECT_EQ(Ids(tenant_.delegates(0)), (std::vector<UserId>{5}));
  EXPECT_EQ(Ids(tenant_.delegators(4)), (std::vector<UserId>{2}));
  before_ = Dump(tenant_.ToDirectory());
  ExpectRefused(tenant_.RemoveDelegate(0, 4), ChangeError::Kind::kNotFound);
  ExpectRefused(tenant_.AddDelegate(0, 0, 0), ChangeError::Kind::kInvalid);
  ExpectRefused(tenant_.AddDelegate(0, 5, 0), ChangeError::Kind::kDuplicate);
  ExpectRefused(tenant_.AddDelegate(0, 999, 0), ChangeError::Kind::kUnknown);
}

TEST_F(TenantChangeTest, DelegateLimitsAtTwentyFive) {
  for (UserId u = 5; u < 29; ++u) ExpectOk(tenant_.AddDelegate(0, u, 0));
  EXPECT_EQ(tenant_.delegates(0).size(), 25u);
  before_ = Dump(tenant_.ToDirectory());
  ExpectRefused(tenant_.AddDelegate(0, 29, 0), ChangeError::Kind::kLimit);
  for (UserId u = 1; u < 25; ++u) ExpectOk(tenant_.AddDelegate(u, 39, 0));
  EXPECT_EQ(tenant_.delegators(39).size(), 24u);
  ExpectOk(tenant_.AddDelegate(25, 39, 0));
  before_ = Dump(tenant_.ToDirectory());
  const ChangeStatus status = tenant_.AddDelegate(26, 39, 0);
  ExpectRefused(status, ChangeError::Kind::kLimit);
  EXPECT_EQ(status.error().limit->limit, Limit::kDelegatorsPerDelegate);
}

TEST_F(TenantChangeTest, PoliciesAreAddedSetAndAssigned) {
  Policy strict;
  strict.allow_call_groups = false;
  ExpectOk(tenant_.AddPolicy("Strict", strict));
  const PolicyId id = *tenant_.FindPolicy("Strict");
  ExpectOk(tenant_.AssignPolicy(5, id));
  EXPECT_EQ(tenant_.user(5).policy, id);
  strict.allow_delegation = false;
  ExpectOk(tenant_.SetPolicy(id, strict));
  EXPECT_FALSE(tenant_.policy(id).allow_delegation);
  before_ = Dump(tenant_.ToDirectory());
  ExpectRefused(tenant_.AddPolicy("Strict", strict),
                ChangeError::Kind::kDuplicate);
  ExpectRefused(tenant_.AddPolicy("", strict), ChangeError::Kind::kInvalid);
  ExpectRefused(tenant_.SetPolicy(9, strict), ChangeError::Kind::kUnknown);
  ExpectRefused(tenant_.AssignPolicy(5, 9), ChangeError::Kind::kUnknown);
}

TEST_F(TenantChangeTest, SetEligibilityUpdatesTraits) {
  ExpectOk(tenant_.SetEligibility(1, true, false));
  EXPECT_FALSE(Traits::Eligible(tenant_.traits(1)));
  EXPECT_FALSE(tenant_.user(1).eligible());
  ExpectOk(tenant_.SetEligibility(1, true, true));
  EXPECT_TRUE(Traits::Eligible(tenant_.traits(1)));
}

TEST_F(TenantChangeTest, SetCallingSettingsValidatesLikeBuild) {
  CallingSettings settings;
  settings.notification_override = NotificationOverride::kMute;
  settings.forwarding = true;
  settings.forwarding_target_type = TargetType::kSingleTarget;
  settings.forwarding_target = PhoneTarget(tenant_.InternPhone("+15551234"));
  ExpectOk(tenant_.SetCallingSettings(1, settings));
  EXPECT_EQ(Traits::Override(tenant_.traits(1)), NotificationOverride::kMute);
  EXPECT_EQ(tenant_.phone(PhoneOf(tenant_.user(1).forwarding_target)),
            "+15551234");
  EXPECT_EQ(tenant_.InternPhone("+15551234"), 0u);
  before_ = Dump(tenant_.ToDirectory());
  CallingSettings self = settings;
  self.forwarding_target = 2;
  ExpectRefused(tenant_.SetCallingSettings(2, self),
                ChangeError::Kind::kInvalid);
  CallingSettings delay = settings;
  delay.unanswered_delay_s = 25;
  ExpectRefused(tenant_.SetCallingSettings(2, delay),
                ChangeError::Kind::kInvalid);
  CallingSettings phone = settings;
  phone.forwarding_target = PhoneTarget(7);
  ExpectRefused(tenant_.SetCallingSettings(2, phone),
                ChangeError::Kind::kInvalid);
  CallingSettings voicemail;
  voicemail.forwarding = true;
  voicemail.forwarding_type = ForwardingType::kSimultaneous;
  voicemail.forwarding_target_type = TargetType::kVoicemail;
  ExpectRefused(tenant_.SetCallingSettings(2, voicemail),
                ChangeError::Kind::kInvalid);
}

// Every limit of a profile, so that two profiles compare field by field.
std::vector<std::uint32_t> AllLimits(const LimitProfile& profile) {
  std::vector<std::uint32_t> values;
  for (int limit = 0; limit <= int(Limit::kMemberListChars); ++limit) {
    values.push_back(profile.Get(static_cast<Limit>(limit)));
  }
  return values;
}

TEST_F(TenantChangeTest, SetLimitsRefusesAProfileTheTablesBreak) {
  LimitProfile raised;
  raised.groups_per_tenant = 100;
  raised.in_order_members = 7;
  ExpectOk(tenant_.SetLimits(raised));
  const std::vector<std::uint32_t> before = AllLimits(tenant_.limits());
  LimitProfile lower = raised;
  lower.memberships_per_user = 1;
  const ChangeStatus status = tenant_.SetLimits(lower);
  ExpectRefused(status, ChangeError::Kind::kLimit);
  EXPECT_EQ(status.error().limit->entity, Upn(1));
  EXPECT_EQ(AllLimits(tenant_.limits()), before);
  LimitProfile wide = raised;
  wide.members_per_group = 50;
  ExpectRefused(tenant_.SetLimits(wide), ChangeError::Kind::kInvalid);
  EXPECT_EQ(AllLimits(tenant_.limits()), before);
  lower.memberships_per_user = 2;
  ExpectOk(tenant_.SetLimits(lower));
  EXPECT_EQ(tenant_.limits().memberships_per_user, 2u);
}

TEST_F(TenantChangeTest, ManyChangesStillRoundTrip) {
  ExpectOk(tenant_.AddMember(0, {9}));
  ExpectOk(tenant_.RemoveMember(0, 1));
  ExpectOk(tenant_.AddDelegate(3, 8, kReceiveCalls));
  const MemberSpec members[] = {{11}, {12}};
  ExpectOk(tenant_.CreateGroup(10, RingOrder::kSimultaneous, members));
  ExpectOk(tenant_.RemoveGroup(0));
  const Tenant again = MustBuild(tenant_.ToDirectory());
  EXPECT_EQ(Dump(again.ToDirectory()), Dump(tenant_.ToDirectory()));
}

}  // namespace
}  // namespace callshare
