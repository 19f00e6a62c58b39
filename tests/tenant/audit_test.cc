#include <fmt/format.h>
#include <gtest/gtest.h>

#include <vector>

#include "callshare/tenant/tenant.h"
#include "tenant_test_util.h"

namespace callshare {
namespace {

using testing::AddDelegate;
using testing::AddMember;
using testing::MustBuild;
using testing::Upn;
using testing::Users;
using Kind = AuditFinding::Kind;

std::vector<AuditFinding> OfKind(const std::vector<AuditFinding>& findings,
                                 Kind kind) {
  std::vector<AuditFinding> out;
  for (const auto& f : findings) {
    if (f.kind == kind) out.push_back(f);
  }
  return out;
}

SettingsRow ForwardTo(std::uint32_t from, std::uint32_t to) {
  SettingsRow row = testing::Settings(from);
  row.forwarding = true;
  row.forwarding_target_type = TargetType::kSingleTarget;
  row.forwarding_target = Upn(to);
  return row;
}

TEST(AuditTest, CleanTenantHasNoFindings) {
  Directory d = Users(4);
  AddMember(&d, 0, 1, 1);
  AddDelegate(&d, 2, 3);
  d.settings.push_back(ForwardTo(1, 2));
  EXPECT_TRUE(MustBuild(d).Audit().empty());
}

TEST(AuditTest, PolicyTurnedOffMakesRelationshipsStaleAndCleanupRemovesThem) {
  Directory d = Users(8);
  AddMember(&d, 0, 1, 1);
  AddMember(&d, 0, 2, 2);
  AddMember(&d, 3, 1, 1);
  AddMember(&d, 5, 1, 6);
  AddDelegate(&d, 0, 4);
  AddDelegate(&d, 0, 5);
  AddDelegate(&d, 6, 7);
  SettingsRow to_group = testing::Settings(0);
  to_group.forwarding = true;
  to_group.forwarding_target_type = TargetType::kGroup;
  to_group.unanswered_target_type = TargetType::kMyDelegates;
  d.settings.push_back(to_group);
  Tenant tenant = MustBuild(d);
  EXPECT_TRUE(tenant.Audit().empty());

  // The admin turns both off in Global after the fact, then back on for u5
  // and u6 through a policy of their own.
  Policy off;
  off.allow_call_groups = false;
  off.allow_delegation = false;
  ASSERT_TRUE(tenant.SetPolicy(kGlobalPolicy, off).ok());
  ASSERT_TRUE(tenant.AddPolicy("Open", Policy{}).ok());
  ASSERT_TRUE(tenant.AssignPolicy(5, 1).ok());
  ASSERT_TRUE(tenant.AssignPolicy(6, 1).ok());
  const auto findings = tenant.Audit();
  const auto groups = OfKind(findings, Kind::kStaleCallGroup);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].user, 0u);
  EXPECT_EQ(groups[1].user, 3u);
  EXPECT_NE(groups[0].message.find(Upn(0)), std::string::npos);
  const auto delegations = OfKind(findings, Kind::kStaleDelegation);
  ASSERT_EQ(delegations.size(), 2u);
  EXPECT_EQ(delegations[1].other, 5u);

  const CleanupReport report = tenant.Cleanup();
  tenant.CheckInvariants();
  EXPECT_EQ(report.groups_removed, 2u);
  EXPECT_EQ(report.memberships_removed, 3u);
  EXPECT_EQ(report.delegations_removed, 2u);
  EXPECT_EQ(report.settings_reset, 2u);
  EXPECT_TRUE(tenant.Audit().empty());
  EXPECT_EQ(tenant.group_count(), 1u);
  EXPECT_EQ(tenant.group_owner(0), 5u);
  EXPECT_EQ(tenant.user(5).group, 0u);
  EXPECT_TRUE(tenant.memberships(1).empty());
  EXPECT_TRUE(tenant.delegators(4).empty());
  EXPECT_EQ(tenant.delegates(6).size(), 1u);
  EXPECT_FALSE(tenant.settings(0).forwarding);
  EXPECT_EQ(tenant.settings(0).unanswered_target_type, TargetType::kVoicemail);
}

TEST(AuditTest, IneligibleOwnersMembersAndDelegates) {
  Directory d = Users(5);
  d.users[0].teams_only = false;
  d.users[2].voice_enabled = false;
  d.users[4].voice_enabled = false;
  AddMember(&d, 0, 1, 1);
  AddMember(&d, 0, 2, 2);
  AddDelegate(&d, 3, 4);
  const auto findings = MustBuild(d).Audit();
  const auto owners = OfKind(findings, Kind::kIneligibleOwner);
  ASSERT_EQ(owners.size(), 1u);
  EXPECT_EQ(owners[0].user, 0u);
  const auto members = OfKind(findings, Kind::kIneligibleMember);
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0].other, 2u);
  EXPECT_EQ(members[1].user, 3u);
  EXPECT_EQ(members[1].other, 4u);
  EXPECT_NE(members[1].message.find(Upn(4)), std::string::npos);
}

TEST(AuditTest, ForwardCyclesAreReportedOnce) {
  Directory d = Users(7);
  d.settings = {ForwardTo(4, 2), ForwardTo(2, 5), ForwardTo(5, 4),
                ForwardTo(0, 4), ForwardTo(1, 3), ForwardTo(3, 6)};
  SettingsRow off = ForwardTo(6, 1);
  off.forwarding = false;  // a disabled hop closes no cycle
  d.settings.push_back(off);
  const auto cycles = OfKind(MustBuild(d).Audit(), Kind::kForwardCycle);
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(cycles[0].user, 2u);
  EXPECT_EQ(cycles[0].message, "forwarding cycle: " + Upn(2) + " -> " + Upn(5) +
                                   " -> " + Upn(4) + " -> " + Upn(2));
}

TEST(AuditTest, TwoUserCycle) {
  Directory d = Users(2);
  d.settings = {ForwardTo(0, 1), ForwardTo(1, 0)};
  EXPECT_EQ(OfKind(MustBuild(d).Audit(), Kind::kForwardCycle).size(), 1u);
}

TEST(AuditTest, InOrderGroupsOverFiveAreListed) {
  Directory d = Users(14);
  SettingsRow five = testing::Settings(0);
  five.call_group_order = RingOrder::kInOrder;
  SettingsRow six = testing::Settings(7);
  six.call_group_order = RingOrder::kInOrder;
  d.settings = {five, six};
  for (std::uint32_t m = 1; m <= 5; ++m) AddMember(&d, 0, m, m);
  for (std::uint32_t m = 1; m <= 6; ++m) AddMember(&d, 7, m, 7 + m);
  const auto findings = MustBuild(d).Audit();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, Kind::kInOrderTooLarge);
  EXPECT_EQ(findings[0].user, 7u);
  EXPECT_NE(findings[0].message.find(Upn(7)), std::string::npos);
}

}  // namespace
}  // namespace callshare
