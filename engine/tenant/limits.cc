#include "callshare/tenant/limits.h"

#include <fmt/format.h>

namespace callshare {
namespace {

// The owner, a forward target and a spare leg ride along with every group
// and delegate list, so a profile must leave room for them.
constexpr std::uint32_t kLegsBesidesMembersAndDelegates = 3;

}  // namespace

std::string_view Name(Limit limit) {
  switch (limit) {
    case Limit::kGroupsPerTenant:
      return "groups_per_tenant";
    case Limit::kMembersPerGroup:
      return "members_per_group";
    case Limit::kMembershipsPerUser:
      return "memberships_per_user";
    case Limit::kInOrderMembers:
      return "in_order_members";
    case Limit::kDelegatesPerUser:
      return "delegates_per_user";
    case Limit::kDelegatorsPerDelegate:
      return "delegators_per_delegate";
    case Limit::kMemberListChars:
      return "member_list_chars";
  }
  return "?";
}

std::uint32_t LimitProfile::Get(Limit limit) const {
  switch (limit) {
    case Limit::kGroupsPerTenant:
      return groups_per_tenant;
    case Limit::kMembersPerGroup:
      return members_per_group;
    case Limit::kMembershipsPerUser:
      return memberships_per_user;
    case Limit::kInOrderMembers:
      return in_order_members;
    case Limit::kDelegatesPerUser:
      return delegates_per_user;
    case Limit::kDelegatorsPerDelegate:
      return delegators_per_delegate;
    case Limit::kMemberListChars:
      return member_list_chars;
  }
  return 0;
}

void LimitProfile::Set(Limit limit, std::uint32_t value) {
  switch (limit) {
    case Limit::kGroupsPerTenant:
      groups_per_tenant = value;
      return;
    case Limit::kMembersPerGroup:
      members_per_group = value;
      return;
    case Limit::kMembershipsPerUser:
      memberships_per_user = value;
      return;
    case Limit::kInOrderMembers:
      in_order_members = value;
      return;
    case Limit::kDelegatesPerUser:
      delegates_per_user = value;
      return;
    case Limit::kDelegatorsPerDelegate:
      delegators_per_delegate = value;
      return;
    case Limit::kMemberListChars:
      member_list_chars = value;
      return;
  }
}

std::optional<std::string> LimitProfile::Validate() const {
  const std::uint64_t people = std::uint64_t{members_per_group} +
                               delegates_per_user +
                               kLegsBesidesMembersAndDelegates;
  if (people <= kMaxRingPlanPeople) return std::nullopt;
  return fmt::format(
      "members_per_group ({}) + delegates_per_user ({}) + {} = {} exceeds "
      "the {} people a ring plan can hold",
      members_per_group, delegates_per_user, kLegsBesidesMembersAndDelegates,
      people, kMaxRingPlanPeople);
}

std::string LimitError::Message() const {
  switch (limit) {
    case Limit::kGroupsPerTenant:
      return fmt::format("{} would have {} call groups (limit {})", entity,
                         value, maximum);
    case Limit::kMembersPerGroup:
      return fmt::format("call group of {} would have {} members (limit {})",
                         entity, value, maximum);
    case Limit::kMembershipsPerUser:
      return fmt::format("{} would be a member of {} call groups (limit {})",
                         entity, value, maximum);
    case Limit::kInOrderMembers:
      return fmt::format(
          "InOrder call group of {} has {} members (limit {}); it rings "
          "simultaneously",
          entity, value, maximum);
    case Limit::kDelegatesPerUser:
      return fmt::format("{} would have {} delegates (limit {})", entity, value,
                         maximum);
    case Limit::kDelegatorsPerDelegate:
      return fmt::format("{} would be a delegate of {} users (limit {})",
                         entity, value, maximum);
    case Limit::kMemberListChars:
      return fmt::format(
          "member list of the call group of {} would have {} characters "
          "(limit {})",
          entity, value, maximum);
  }
  return "limit exceeded";
}

}  // namespace callshare
