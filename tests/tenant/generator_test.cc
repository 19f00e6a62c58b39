#include "callshare/tenant/generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "callshare/tenant/tenant.h"

namespace callshare {
namespace {

GeneratorOptions Options(std::uint32_t users, std::uint32_t groups,
                         std::uint64_t seed = 1) {
  GeneratorOptions options;
  options.users = users;
  options.groups = groups;
  options.seed = seed;
  return options;
}

std::string Describe(const Diagnostics& errors) {
  std::string text;
  for (std::size_t i = 0; i < errors.size() && i < 10; ++i) {
    text += errors[i].ToString() + "\n";
  }
  return text;
}

// Everything but the line numbers, which generated rows do not have.
std::string Fingerprint(const Directory& directory) {
  std::string text;
  for (const UserRow& row : directory.users) {
    text += row.upn + (row.teams_only ? "+" : "-") +
            (row.voice_enabled ? "+" : "-") + row.calling_policy + "\n";
  }
  for (const SettingsRow& row : directory.settings) {
    text +=
        row.upn + std::to_string(row.forwarding) +
        std::string(Name(row.forwarding_target_type)) + row.forwarding_target +
        std::string(Name(row.unanswered_target_type)) + row.unanswered_target +
        std::to_string(row.unanswered_delay_s) + "\n";
  }
  for (const MemberRow& row : directory.members) {
    text += row.owner_upn + std::to_string(row.position) + row.member_upn +
            std::string(Name(row.notification)) + "\n";
  }
  for (const DelegateRow& row : directory.delegates) {
    text += row.delegator_upn + row.delegate_upn +
            std::to_string(row.permissions) + "\n";
  }
  return text;
}

TEST(GeneratorTest, SameSeedGivesTheSameDirectory) {
  const LimitProfile limits = LimitProfile::Teams();
  EXPECT_EQ(Fingerprint(GenerateDirectory(Options(2'000, 100, 42), limits)),
            Fingerprint(GenerateDirectory(Options(2'000, 100, 42), limits)));
}

TEST(GeneratorTest, DifferentSeedGivesADifferentDirectory) {
  const LimitProfile limits = LimitProfile::Teams();
  EXPECT_NE(Fingerprint(GenerateDirectory(Options(2'000, 100, 1), limits)),
            Fingerprint(GenerateDirectory(Options(2'000, 100, 2), limits)));
}

TEST(GeneratorTest, UpnsAreUniqueAndReadable) {
  const Directory directory =
      GenerateDirectory(Options(5'000, 10), LimitProfile::Teams());
  ASSERT_EQ(directory.users.size(), 5'000u);
  std::unordered_set<std::string> upns;
  for (const UserRow& row : directory.users) upns.insert(row.upn);
  EXPECT_EQ(upns.size(), directory.users.size());
  const std::string& upn = directory.users[17].upn;
  EXPECT_TRUE(upn.ends_with(".17@contoso.com")) << upn;
  EXPECT_EQ(std::count(upn.begin(), upn.end(), '.'), 3) << upn;
}

TEST(GeneratorTest, BuildAcceptsAThousandUsers) {
  const LimitProfile limits = LimitProfile::Teams();
  Diagnostics errors;
  const auto tenant = Tenant::Build(
      GenerateDirectory(Options(1'000, 100), limits), limits, &errors);
  ASSERT_TRUE(tenant.has_value()) << Describe(errors);
  EXPECT_EQ(tenant->user_count(), 1'000u);
  EXPECT_EQ(tenant->group_count(), 100u);
  EXPECT_EQ(tenant->policy_count(), 5u);
  tenant->CheckInvariants();
}

TEST(GeneratorTest, BuildAcceptsAHundredThousandFullGroupUsers) {
  const LimitProfile limits = LimitProfile::Teams();
  GeneratorOptions options = Options(100'000, 4'000);
  options.full_groups = true;
  Diagnostics errors;
  const auto tenant =
      Tenant::Build(GenerateDirectory(options, limits), limits, &errors);
  ASSERT_TRUE(tenant.has_value()) << Describe(errors);
  EXPECT_EQ(tenant->group_count(), 4'000u);
  for (GroupId group = 0; group < tenant->group_count(); ++group) {
    ASSERT_EQ(tenant->members(group).size(), 25u);
  }
  tenant->CheckInvariants();
}

TEST(GeneratorTest, MixHasEveryKindOfRelationship) {
  const Directory directory =
      GenerateDirectory(Options(20'000, 1'000), LimitProfile::Teams());

  // All three notifications, and both orders including InOrder groups
  // too large to ring in order.
  std::set<Notification> notifications;
  std::map<std::string, std::uint32_t> group_sizes;
  for (const MemberRow& row : directory.members) {
    notifications.insert(row.notification);
    group_sizes[row.owner_upn] =
        std::max(group_sizes[row.owner_upn], row.position);
  }
  EXPECT_EQ(notifications.size(), 3u);
  int in_order = 0, in_order_too_large = 0, simultaneous = 0;
  std::set<TargetType> forwarding_targets;
  std::set<NotificationOverride> overrides;
  bool phone_target = false;
  for (const SettingsRow& row : directory.settings) {
    if (row.forwarding) forwarding_targets.insert(row.forwarding_target_type);
    overrides.insert(row.notification_override);
    phone_target = phone_target || row.forwarding_target.starts_with("+1425");
    if (!group_sizes.contains(row.upn)) continue;
    if (row.call_group_order == RingOrder::kSimultaneous) {
      ++simultaneous;
    } else {
      ++in_order;
      if (group_sizes[row.upn] > 5) ++in_order_too_large;
    }
  }
  EXPECT_GT(simultaneous, 0);
  EXPECT_GT(in_order, 0);
  EXPECT_GT(in_order_too_large, 0);
  EXPECT_LT(in_order_too_large, in_order / 2);
  EXPECT_EQ(forwarding_targets.size(), 4u);
  EXPECT_EQ(overrides.size(), 4u);
  EXPECT_TRUE(phone_target);

  // Delegates, most of whom receive calls.
  ASSERT_FALSE(directory.delegates.empty());
  const auto receiving = std::count_if(
      directory.delegates.begin(), directory.delegates.end(),
      [](const DelegateRow& row) { return row.permissions & kReceiveCalls; });
  EXPECT_GT(receiving * 2, std::ssize(directory.delegates));

  // Ineligible users of both kinds, and every named policy in use.
  const auto lacks = [&](auto predicate) {
    return std::any_of(directory.users.begin(), directory.users.end(),
                       predicate);
  };
  EXPECT_TRUE(lacks([](const UserRow& row) { return !row.teams_only; }));
  EXPECT_TRUE(lacks([](const UserRow& row) { return !row.voice_enabled; }));
  std::set<std::string> policies;
  for (const UserRow& row : directory.users)
    policies.insert(row.calling_policy);
  EXPECT_EQ(policies.size(), directory.policies.size());
}

// A profile far tighter than Teams', with room for only a sixth more
// memberships than the groups need: the last groups are filled by the
// fallback scan, and no limit breaks.
TEST(GeneratorTest, LimitsOfTheProfileHold) {
  LimitProfile limits;
  limits.groups_per_tenant = 50;
  limits.members_per_group = 10;
  limits.memberships_per_user = 3;
  limits.delegates_per_user = 2;
  limits.delegators_per_delegate = 1;
  GeneratorOptions options = Options(200, 500);
  options.full_groups = true;
  options.max_group_size = 25;
  options.delegator_share = 0.5;
  const Directory directory = GenerateDirectory(options, limits);

  std::unordered_map<std::string, std::uint32_t> members_of, memberships,
      delegates_of, delegators_of;
  for (const MemberRow& row : directory.members) {
    ++members_of[row.owner_upn];
    ++memberships[row.member_upn];
  }
  for (const DelegateRow& row : directory.delegates) {
    ++delegates_of[row.delegator_upn];
    ++delegators_of[row.delegate_upn];
  }
  EXPECT_EQ(members_of.size(), 50u);
  for (const auto& [owner, count] : members_of) EXPECT_EQ(count, 10u);
  for (const auto& [member, count] : memberships) EXPECT_LE(count, 3u);
  for (const auto& [delegator, count] : delegates_of) EXPECT_LE(count, 2u);
  for (const auto& [delegate, count] : delegators_of) EXPECT_LE(count, 1u);

  Diagnostics errors;
  EXPECT_TRUE(Tenant::Build(directory, limits, &errors).has_value())
      << Describe(errors);
}

// Fewer membership slots than the groups ask for: groups come out smaller
// (or not at all) rather than over a limit.
TEST(GeneratorTest, SaturatedTenantShrinksGroups) {
  LimitProfile limits;
  limits.memberships_per_user = 2;
  GeneratorOptions options = Options(200, 50);
  options.full_groups = true;
  const Directory directory = GenerateDirectory(options, limits);
  std::unordered_map<std::string, std::uint32_t> memberships;
  for (const MemberRow& row : directory.members) ++memberships[row.member_upn];
  EXPECT_LT(directory.members.size(), 50u * 25u);
  EXPECT_GT(directory.members.size(), 300u);
  for (const auto& [member, count] : memberships) EXPECT_LE(count, 2u);
  Diagnostics errors;
  EXPECT_TRUE(Tenant::Build(directory, limits, &errors).has_value())
      << Describe(errors);
}

TEST(GeneratorTest, TinyTenantsStillBuild) {
  const LimitProfile limits = LimitProfile::Teams();
  for (const std::uint32_t users : {0u, 1u, 2u, 3u}) {
    const Directory directory = GenerateDirectory(Options(users, 10), limits);
    EXPECT_EQ(directory.users.size(), users);
    Diagnostics errors;
    EXPECT_TRUE(Tenant::Build(directory, limits, &errors).has_value())
        << users << " users: " << Describe(errors);
  }
}

}  // namespace
}  // namespace callshare
