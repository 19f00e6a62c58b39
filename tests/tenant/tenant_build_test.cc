#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "callshare/tenant/tenant.h"
#include "tenant_test_util.h"

namespace callshare {
namespace {

using testing::AddDelegate;
using testing::AddMember;
using testing::Dump;
using testing::MustBuild;
using testing::MustFail;
using testing::Upn;
using testing::Users;

// True when some diagnostic has exactly this file, line and field.
bool Has(const Diagnostics& errors, std::string_view file, std::uint32_t line,
         std::string_view field) {
  return std::any_of(errors.begin(), errors.end(), [&](const Diagnostic& d) {
    return d.file == file && d.line == line && d.field == field;
  });
}

std::string AllText(const Diagnostics& errors) {
  std::string text;
  for (const Diagnostic& d : errors) text += fmt::format("{}\n", d.ToString());
  return text;
}

// Field by field: a record's padding bytes carry no meaning.
bool SameRecord(const UserRecord& a, const UserRecord& b) {
  return a.group == b.group && a.forwarding_target == b.forwarding_target &&
         a.unanswered_target == b.unanswered_target &&
         a.delegates_begin == b.delegates_begin && a.policy == b.policy &&
         a.delegate_count == b.delegate_count && a.flags == b.flags &&
         a.forwarding_type == b.forwarding_type &&
         a.forwarding_target_type == b.forwarding_target_type &&
         a.unanswered_target_type == b.unanswered_target_type &&
         a.unanswered_delay_s == b.unanswered_delay_s &&
         a.call_group_order == b.call_group_order &&
         a.notification_override == b.notification_override &&
         a.busy_on_busy_option == b.busy_on_busy_option;
}

// A UPN of exactly `length` characters.
std::string LongUpn(std::uint32_t i, std::size_t length) {
  const std::string tail = fmt::format(".{}@c.com", i);
  return std::string(length - tail.size(), 'x') + tail;
}

TEST(TenantBuildTest, AssignsIdsInRowOrderAndFindsByName) {
  Directory d = Users(3);
  d.policies.push_back(testing::PolicyNamed("Sales", false));
  d.users[1].calling_policy = "Sales";
  const Tenant tenant = MustBuild(d);
  ASSERT_EQ(tenant.user_count(), 3u);
  EXPECT_EQ(tenant.FindUser(Upn(2)), 2u);
  EXPECT_FALSE(tenant.FindUser("nobody@contoso.com").has_value());
  EXPECT_EQ(tenant.upn(1), Upn(1));
  EXPECT_EQ(tenant.policy_count(), 2u);
  EXPECT_EQ(tenant.policy_name(0), "Global");
  EXPECT_EQ(tenant.FindPolicy("Sales"), 1);
  EXPECT_EQ(tenant.user(1).policy, 1);
  EXPECT_FALSE(tenant.policy(1).allow_call_groups);
  EXPECT_TRUE(Traits::Eligible(tenant.traits(0)));
  tenant.CheckInvariants();
}

TEST(TenantBuildTest, GlobalRowReplacesTheDefaults) {
  Directory d = Users(1);
  d.policies.push_back(testing::PolicyNamed("Other"));
  d.policies.push_back(testing::PolicyNamed("Global", true, false));
  const Tenant tenant = MustBuild(d);
  EXPECT_EQ(tenant.FindPolicy("Global"), 0);
  EXPECT_EQ(tenant.FindPolicy("Other"), 1);
  EXPECT_FALSE(tenant.policy(0).allow_delegation);
}

TEST(TenantBuildTest, GroupsFollowFirstRowsAndMembersFollowPosition) {
  Directory d = Users(6);
  AddMember(&d, 4, 2, 1, Notification::kBanner);
  AddMember(&d, 0, 1, 5);
  AddMember(&d, 4, 1, 2, Notification::kMute);
  AddMember(&d, 4, 3, 3);
  const Tenant tenant = MustBuild(d);
  ASSERT_EQ(tenant.group_count(), 2u);
  EXPECT_EQ(tenant.group_owner(0), 4u);
  EXPECT_EQ(tenant.user(4).group, 0u);
  EXPECT_EQ(tenant.user(0).group, 1u);
  const auto members = tenant.members(0);
  EXPECT_EQ(std::vector<UserId>(members.begin(), members.end()),
            (std::vector<UserId>{2, 1, 3}));
  EXPECT_EQ(tenant.member_notifications(0)[0], Notification::kMute);
  EXPECT_EQ(tenant.member_notifications(0)[1], Notification::kBanner);
  ASSERT_EQ(tenant.memberships(5).size(), 1u);
  EXPECT_EQ(tenant.memberships(5)[0], 1u);
  tenant.CheckInvariants();
}

TEST(TenantBuildTest, DelegatesKeepRowOrderAndReverseIndexIsAscending) {
  Directory d = Users(5);
  AddDelegate(&d, 3, 4, kReceiveCalls | kMakeCalls);
  AddDelegate(&d, 1, 4);
  AddDelegate(&d, 3, 0);
  const Tenant tenant = MustBuild(d);
  const auto of3 = tenant.delegates(3);
  EXPECT_EQ(std::vector<UserId>(of3.begin(), of3.end()),
            (std::vector<UserId>{4, 0}));
  EXPECT_EQ(tenant.delegate_permissions(3)[0], kReceiveCalls | kMakeCalls);
  const auto to4 = tenant.delegators(4);
  EXPECT_EQ(std::vector<UserId>(to4.begin(), to4.end()),
            (std::vector<UserId>{1, 3}));
  EXPECT_TRUE(tenant.delegates(2).empty());
  tenant.CheckInvariants();
}

TEST(TenantBuildTest, PhonesAreInternedInOrderOfFirstAppearance) {
  Directory d = Users(3);
  SettingsRow a = testing::Settings(2);
  a.forwarding = true;
  a.forwarding_target_type = TargetType::kSingleTarget;
  a.forwarding_target = "+15550002";
  a.unanswered_target_type = TargetType::kSingleTarget;
  a.unanswered_target = "+15550001";
  SettingsRow b = testing::Settings(0);
  b.unanswered_target_type = TargetType::kSingleTarget;
  b.unanswered_target = "+15550002";
  SettingsRow c = testing::Settings(1);
  c.forwarding = true;
  c.forwarding_type = ForwardingType::kSimultaneous;
  c.forwarding_target_type = TargetType::kSingleTarget;
  c.forwarding_target = Upn(0);
  d.settings = {a, b, c};
  const Tenant tenant = MustBuild(d);
  EXPECT_EQ(tenant.phone(0), "+15550002");
  EXPECT_EQ(tenant.phone(1), "+15550001");
  EXPECT_EQ(tenant.user(0).unanswered_target, PhoneTarget(0));
  EXPECT_EQ(tenant.settings(1).forwarding_target, 0u);
  EXPECT_TRUE(tenant.settings(1).forwarding);
  EXPECT_FALSE(tenant.settings(0).forwarding);
}

TEST(TenantBuildTest, RoundTripGivesEqualTables) {
  Directory d = Users(8);
  d.policies.push_back(testing::PolicyNamed("NoGroups", false));
  d.users[3].calling_policy = "NoGroups";
  d.users[5].voice_enabled = false;
  SettingsRow s = testing::Settings(1);
  s.forwarding = true;
  s.forwarding_target_type = TargetType::kSingleTarget;
  s.forwarding_target = "+4930123";
  s.unanswered_delay_s = 30;
  s.call_group_order = RingOrder::kInOrder;
  s.notification_override = NotificationOverride::kMute;
  d.settings.push_back(s);
  AddMember(&d, 1, 1, 2);
  AddMember(&d, 1, 2, 3, Notification::kBanner);
  AddMember(&d, 6, 1, 7);
  AddDelegate(&d, 2, 7, kReceiveCalls | kJoinActiveCalls);
  const Tenant tenant = MustBuild(d);
  const Tenant again = MustBuild(tenant.ToDirectory());
  EXPECT_EQ(Dump(again.ToDirectory()), Dump(tenant.ToDirectory()));
  for (UserId u = 0; u < tenant.user_count(); ++u) {
    EXPECT_TRUE(SameRecord(tenant.user(u), again.user(u))) << u;
    EXPECT_EQ(tenant.traits(u), again.traits(u));
  }
  EXPECT_EQ(tenant.routing_bytes(), again.routing_bytes());
  EXPECT_EQ(again.settings(5).unanswered_delay_s, 20);
}

TEST(TenantBuildTest, ReportsBadUsersWithFileLineAndField) {
  Directory d = Users(3);
  d.users.push_back({Upn(1), true, true, "Global", 10});
  d.users.push_back({"no-at-sign", true, true, "Global", 11});
  d.users.push_back({"", true, true, "Global", 12});
  d.users.push_back({"x@contoso.com", true, true, "Missing", 13});
  d.policies.push_back(testing::PolicyNamed("P", true, true, 4));
  d.policies.push_back(testing::PolicyNamed("P", true, true, 5));
  const Diagnostics errors = MustFail(d);
  EXPECT_TRUE(Has(errors, kUsersFile, 10, "upn")) << AllText(errors);
  EXPECT_TRUE(Has(errors, kUsersFile, 11, "upn"));
  EXPECT_TRUE(Has(errors, kUsersFile, 12, "upn"));
  EXPECT_TRUE(Has(errors, kUsersFile, 13, "calling_policy"));
  EXPECT_TRUE(Has(errors, kPoliciesFile, 5, "name"));
  EXPECT_EQ(errors.size(), 5u) << AllText(errors);
}

TEST(TenantBuildTest, ReportsBadSettingsWithFileLineAndField) {
  Directory d = Users(3);
  auto row = [&](std::uint32_t user, std::uint32_t line) {
    SettingsRow s = testing::Settings(user);
    s.line = line;
    return s;
  };
  SettingsRow unknown = row(0, 2);
  unknown.upn = "ghost@contoso.com";
  SettingsRow no_type = row(0, 3);
  no_type.forwarding = true;
  SettingsRow duplicate = row(0, 4);
  SettingsRow voicemail = row(1, 5);
  voicemail.forwarding = true;
  voicemail.forwarding_type = ForwardingType::kSimultaneous;
  voicemail.forwarding_target_type = TargetType::kVoicemail;
  SettingsRow bad_target = row(2, 6);
  bad_target.unanswered_target_type = TargetType::kSingleTarget;
  bad_target.unanswered_target = "+12ab";
  bad_target.unanswered_delay_s = 25;
  d.settings = {unknown, no_type, duplicate, voicemail, bad_target};
  const Diagnostics errors = MustFail(d);
  EXPECT_TRUE(Has(errors, kSettingsFile, 2, "upn")) << AllText(errors);
  EXPECT_TRUE(Has(errors, kSettingsFile, 3, "forwarding_target_type"));
  EXPECT_TRUE(Has(errors, kSettingsFile, 4, "upn"));
  EXPECT_TRUE(Has(errors, kSettingsFile, 5, "forwarding_type"));
  EXPECT_TRUE(Has(errors, kSettingsFile, 6, "unanswered_target"));
  EXPECT_TRUE(Has(errors, kSettingsFile, 6, "unanswered_delay_s"));
  EXPECT_EQ(errors.size(), 6u) << AllText(errors);
}

TEST(TenantBuildTest, ReportsSelfForwardingAndUnknownTargets) {
  Directory d = Users(2);
  SettingsRow self = testing::Settings(0);
  self.forwarding = true;
  self.forwarding_target_type = TargetType::kSingleTarget;
  self.forwarding_target = Upn(0);
  self.line = 2;
  SettingsRow unknown = testing::Settings(1);
  unknown.forwarding = true;
  unknown.forwarding_target_type = TargetType::kSingleTarget;
  unknown.forwarding_target = "ghost@contoso.com";
  unknown.line = 3;
  d.settings = {self, unknown};
  const Diagnostics errors = MustFail(d);
  EXPECT_TRUE(Has(errors, kSettingsFile, 2, "forwarding_target"));
  EXPECT_TRUE(Has(errors, kSettingsFile, 3, "forwarding_target"));
  EXPECT_EQ(errors.size(), 2u) << AllText(errors);
}

TEST(TenantBuildTest, ReportsBadMemberAndDelegateRows) {
  Directory d = Users(4);
  d.members.push_back({"ghost@contoso.com", 1, Upn(1), {}, 2});
  d.members.push_back({Upn(0), 1, "ghost@contoso.com", {}, 3});
  d.members.push_back({Upn(0), 1, Upn(0), {}, 4});
  d.members.push_back({Upn(0), 1, Upn(1), {}, 5});
  d.members.push_back({Upn(0), 2, Upn(1), {}, 6});
  d.members.push_back({Upn(0), 1, Upn(2), {}, 7});
  d.delegates.push_back({"ghost@contoso.com", Upn(1), 0, 2});
  d.delegates.push_back({Upn(1), Upn(1), 0, 3});
  d.delegates.push_back({Upn(1), Upn(2), 0, 4});
  d.delegates.push_back({Upn(1), Upn(2), 0, 5});
  const Diagnostics errors = MustFail(d);
  EXPECT_TRUE(Has(errors, kMembersFile, 2, "owner_upn")) << AllText(errors);
  EXPECT_TRUE(Has(errors, kMembersFile, 3, "member_upn"));
  EXPECT_TRUE(Has(errors, kMembersFile, 4, "member_upn"));
  EXPECT_TRUE(Has(errors, kMembersFile, 6, "member_upn"));
  EXPECT_TRUE(Has(errors, kMembersFile, 7, "position"));
  EXPECT_TRUE(Has(errors, kDelegatesFile, 2, "delegator_upn"));
  EXPECT_TRUE(Has(errors, kDelegatesFile, 3, "delegate_upn"));
  EXPECT_TRUE(Has(errors, kDelegatesFile, 5, "delegate_upn"));
  EXPECT_EQ(errors.size(), 8u) << AllText(errors);
}

TEST(TenantBuildTest, MembersPerGroupAtTheLimitAndOver) {
  Directory d = Users(27);
  for (std::uint32_t m = 1; m <= 25; ++m) AddMember(&d, 0, m, m);
  EXPECT_EQ(MustBuild(d).members(0).size(), 25u);
  AddMember(&d, 0, 26, 26);
  const Diagnostics errors = MustFail(d);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 27u);
  EXPECT_EQ(errors[0].message,
            LimitError({Limit::kMembersPerGroup, Upn(0), 26, 25}).Message());
}

TEST(TenantBuildTest, MembershipsPerUserAtTheLimitAndOver) {
  Directory d = Users(27);
  for (std::uint32_t owner = 1; owner <= 25; ++owner) {
    AddMember(&d, owner, 1, 0);
  }
  EXPECT_EQ(MustBuild(d).memberships(0).size(), 25u);
  AddMember(&d, 26, 1, 0);
  const Diagnostics errors = MustFail(d);
  ASSERT_EQ(errors.size(), 1u) << AllText(errors);
  EXPECT_EQ(errors[0].line, 27u);
  EXPECT_NE(errors[0].message.find(Upn(0)), std::string::npos);
}

TEST(TenantBuildTest, DelegatesAndDelegatorsAtTheLimitAndOver) {
  Directory d = Users(28);
  for (std::uint32_t u = 1; u <= 25; ++u) AddDelegate(&d, 0, u);
  for (std::uint32_t u = 1; u <= 25; ++u) AddDelegate(&d, u, 26);
  const Tenant tenant = MustBuild(d);
  ASSERT_EQ(tenant.user_count(), 28u);
  EXPECT_EQ(tenant.delegates(0).size(), 25u);
  EXPECT_EQ(tenant.delegators(26).size(), 25u);
  AddDelegate(&d, 0, 27);   // line 52: a 26th delegate of u0
  AddDelegate(&d, 27, 26);  // line 53: a 26th delegator of u26
  const Diagnostics errors = MustFail(d);
  ASSERT_EQ(errors.size(), 2u) << AllText(errors);
  EXPECT_TRUE(Has(errors, kDelegatesFile, 52, "delegate_upn"));
  EXPECT_TRUE(Has(errors, kDelegatesFile, 53, "delegate_upn"));
  EXPECT_NE(AllText(errors).find("26 delegates (limit 25)"), std::string::npos);
  EXPECT_NE(AllText(errors).find("delegate of 26 users (limit 25)"),
            std::string::npos);
}

TEST(TenantBuildTest, MemberListCharsAtTheLimitAndOver) {
  Directory d = Users(1);
  // 24 UPNs of 1,311 characters and one of 1,304 make 32,768.
  for (std::uint32_t i = 0; i < 25; ++i) {
    const std::size_t length = i < 24 ? 1311 : 1304;
    d.users.push_back({LongUpn(i, length), true, true, "Global", i + 10});
    d.members.push_back({Upn(0), i + 1, d.users.back().upn, {}, i + 2});
  }
  EXPECT_EQ(MustBuild(d).members(0).size(), 25u);
  d.users.back().upn = d.members.back().member_upn = LongUpn(24, 1305);
  const Diagnostics errors = MustFail(d);
  ASSERT_EQ(errors.size(), 1u) << AllText(errors);
  EXPECT_EQ(errors[0].line, 26u);
  EXPECT_EQ(
      errors[0].message,
      LimitError({Limit::kMemberListChars, Upn(0), 32'769, 32'768}).Message());
}

// One group per owner u_i with member u_{i+1}, so no other limit binds.
Directory RingOfGroups(std::uint32_t groups) {
  Directory d = Users(groups + 1);
  d.members.reserve(groups);
  for (std::uint32_t i = 0; i < groups; ++i) AddMember(&d, i, 1, i + 1);
  return d;
}

TEST(TenantBuildTest, GroupsPerTenantAtTheLimitAndOver) {
  EXPECT_EQ(MustBuild(RingOfGroups(32'768)).group_count(), 32'768u);
  const Diagnostics errors = MustFail(RingOfGroups(32'769));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, kMembersFile);
  EXPECT_EQ(errors[0].line, 32'770u);
  EXPECT_EQ(errors[0].message,
            LimitError({Limit::kGroupsPerTenant, "tenant", 32'769, 32'768})
                .Message());
}

TEST(TenantBuildTest, InOrderGroupsOverTheInOrderLimitAreAccepted) {
  Directory d = Users(7);
  SettingsRow s = testing::Settings(0);
  s.call_group_order = RingOrder::kInOrder;
  d.settings.push_back(s);
  for (std::uint32_t m = 1; m <= 6; ++m) AddMember(&d, 0, m, m);
  EXPECT_EQ(MustBuild(d).members(0).size(), 6u);
}

TEST(TenantBuildTest, RefusesAProfileThatOverflowsARingPlan) {
  LimitProfile limits;
  limits.members_per_group = 40;
  const Diagnostics errors = MustFail(Users(1), limits);
  EXPECT_EQ(errors[0].field, "limits");
}

// ---- Rows a reader rejected ----

// Builds with `rejected`, which always refuses the tables; returns what
// the build itself reported.
Diagnostics BuildRejected(const Directory& directory,
                          const RejectedRows& rejected) {
  Diagnostics errors;
  EXPECT_FALSE(
      Tenant::Build(directory, LimitProfile::Teams(), &errors, rejected));
  return errors;
}

// A user whose row was rejected for another field than the UPN.
UserRow RejectedUser(std::uint32_t i, std::uint32_t line,
                     std::string policy = "Global") {
  return {Upn(i), true, true, std::move(policy), line};
}

TEST(TenantBuildTest, AnythingRejectedBuildsNoTables) {
  RejectedRows rejected;
  rejected.any = true;
  EXPECT_TRUE(BuildRejected(Users(3), rejected).empty());
}

TEST(TenantBuildTest, RejectedUsersAreKnownWhereverNamed) {
  Directory d = Users(2);
  RejectedRows rejected;
  rejected.any = true;
  rejected.users.push_back(RejectedUser(9, 4));
  AddMember(&d, 0, 1, 9);
  AddMember(&d, 9, 1, 1);
  AddDelegate(&d, 9, 0);
  SettingsRow forward = testing::Settings(1, 2);
  forward.forwarding = true;
  forward.forwarding_target_type = TargetType::kSingleTarget;
  forward.forwarding_target = Upn(9);
  d.settings.push_back(forward);
  d.settings.push_back(testing::Settings(9, 3));
  const Diagnostics errors = BuildRejected(d, rejected);
  EXPECT_TRUE(errors.empty()) << AllText(errors);
}

// What parsed of a rejected row is still checked, and its UPN is indexed
// in line order, so a duplicate names the later row either way round.
TEST(TenantBuildTest, RejectedUsersAreCheckedAsFarAsTheyParsed) {
  Directory d = Users(2);  // lines 2 and 3
  d.users.push_back({Upn(5), true, true, "Global", 6});
  RejectedRows rejected;
  rejected.any = true;
  rejected.users.push_back(RejectedUser(5, 4));
  rejected.users.push_back(RejectedUser(1, 5));
  rejected.users.push_back(RejectedUser(7, 7, "Missing"));
  rejected.users.push_back(RejectedUser(8, 8, ""));
  const Diagnostics errors = BuildRejected(d, rejected);
  EXPECT_TRUE(Has(errors, kUsersFile, 5, "upn")) << AllText(errors);
  EXPECT_TRUE(Has(errors, kUsersFile, 6, "upn"));
  EXPECT_TRUE(Has(errors, kUsersFile, 7, "calling_policy"));
  EXPECT_EQ(errors.size(), 3u) << AllText(errors);
}

TEST(TenantBuildTest, RejectedPoliciesAreKnownAndCountForDuplicates) {
  Directory d = Users(1);
  d.users[0].calling_policy = "Sales";
  d.policies.push_back(testing::PolicyNamed("Sales", true, true, 3));
  RejectedRows rejected;
  rejected.any = true;
  rejected.policies.push_back(testing::PolicyNamed("Sales", true, true, 2));
  rejected.policies.push_back(testing::PolicyNamed("Temps", true, true, 4));
  d.users.push_back({Upn(1), true, true, "Temps", 3});
  const Diagnostics errors = BuildRejected(d, rejected);
  EXPECT_TRUE(Has(errors, kPoliciesFile, 3, "name")) << AllText(errors);
  EXPECT_EQ(errors.size(), 1u) << AllText(errors);
}

// A users.csv row lost whole may be anyone's: unknown users go unreported,
// every other check still runs.
TEST(TenantBuildTest, LostUserRowSilencesOnlyUnknownUsers) {
  Directory d = Users(3);
  AddMember(&d, 0, 1, 7);
  AddMember(&d, 0, 2, 1);
  AddMember(&d, 0, 3, 1);
  AddDelegate(&d, 8, 1);
  SettingsRow forward = testing::Settings(2, 2);
  forward.forwarding = true;
  forward.forwarding_target_type = TargetType::kSingleTarget;
  forward.forwarding_target = "ghost@contoso.com";
  d.settings.push_back(forward);
  d.settings.push_back(testing::Settings(9, 3));
  RejectedRows rejected;
  rejected.any = true;
  rejected.users_lost = true;
  const Diagnostics errors = BuildRejected(d, rejected);
  EXPECT_TRUE(Has(errors, kMembersFile, 4, "member_upn")) << AllText(errors);
  EXPECT_EQ(errors.size(), 1u) << AllText(errors);
}

TEST(TenantBuildTest, LostPolicyRowSilencesUnknownPolicies) {
  Directory d = Users(1);
  d.users[0].calling_policy = "Sales";
  RejectedRows rejected;
  rejected.any = true;
  rejected.policies_lost = true;
  EXPECT_TRUE(BuildRejected(d, rejected).empty());
}

TEST(TenantBuildTest, MillionUsersFitInTheRoutingBudget) {
  constexpr std::uint32_t kUsers = 1'000'000;
  Directory d = Users(kUsers);
  d.members.reserve(32'768 * 25);
  // Owners are the first 32,768 users; members are taken round the rest
  // so that nobody is in more than 25 groups.
  std::uint32_t next = 32'768;
  for (std::uint32_t owner = 0; owner < 32'768; ++owner) {
    for (std::uint32_t p = 1; p <= 25; ++p) {
      AddMember(&d, owner, p, next);
      next = next + 1 == kUsers ? 32'768 : next + 1;
    }
  }
  const Tenant tenant = MustBuild(d);
  ASSERT_EQ(tenant.group_count(), 32'768u);
  const double per_user = double(tenant.routing_bytes()) / kUsers;
  EXPECT_LE(per_user, 64.0);
  RecordProperty("routing_bytes_per_user", std::to_string(per_user));
}

}  // namespace
}  // namespace callshare
