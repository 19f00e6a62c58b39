// The changes an admin or a user makes to a built tenant. Each one checks
// everything first and only then touches the tables, so a refused change
// leaves them exactly as they were.
#include <fmt/format.h>

#include <algorithm>
#include <cassert>

#include "callshare/tenant/tenant.h"
#include "tenant_tables.h"

namespace callshare {
namespace {

ChangeStatus Refuse(ChangeError::Kind kind, std::string message) {
  return ChangeStatus::Refused({kind, std::move(message), std::nullopt});
}

ChangeStatus RefuseLimit(LimitError error) {
  std::string message = error.Message();
  return ChangeStatus::Refused(
      {ChangeError::Kind::kLimit, std::move(message), std::move(error)});
}

ChangeStatus UnknownUser(UserId user) {
  return Refuse(ChangeError::Kind::kUnknown,
                fmt::format("no user with id {}", user));
}

template <typename T>
bool Contains(std::span<const T> values, T value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// Inserts `value` at `at` and moves every later CSR boundary by one.
template <typename Values, typename Offsets, typename T>
void InsertIntoCsr(Values* values, Offsets* offsets, std::size_t row,
                   std::uint32_t at, T value) {
  values->insert(values->begin() + at, value);
  for (std::size_t i = row + 1; i < offsets->size(); ++i) ++(*offsets)[i];
}

template <typename Values, typename Offsets>
void EraseFromCsr(Values* values, Offsets* offsets, std::size_t row,
                  std::uint32_t at) {
  values->erase(values->begin() + at);
  for (std::size_t i = row + 1; i < offsets->size(); ++i) --(*offsets)[i];
}

// Where `value` sits, or belongs, in a row of an ascending CSR index.
template <typename Values, typename Offsets, typename T>
std::uint32_t SortedSlot(const Values& values, const Offsets& offsets,
                         std::size_t row, T value) {
  const auto begin = values.begin() + offsets[row];
  const auto end = values.begin() + offsets[row + 1];
  return static_cast<std::uint32_t>(std::lower_bound(begin, end, value) -
                                    values.begin());
}

}  // namespace

// ---------------------------------------------------------------------------
// Call groups.

ChangeStatus Tenant::CreateGroup(UserId owner, RingOrder order,
                                 std::span<const MemberSpec> members) {
  // Check the owner, the member list and every limit.
  if (owner >= user_count()) return UnknownUser(owner);
  if (users_[owner].group != kNoGroup) {
    return Refuse(ChangeError::Kind::kDuplicate,
                  fmt::format("{} already owns a call group", upn(owner)));
  }
  if (members.empty()) {
    return Refuse(ChangeError::Kind::kInvalid,
                  "a call group needs at least one member");
  }
  if (group_count() >= limits_.groups_per_tenant) {
    return RefuseLimit({Limit::kGroupsPerTenant, "tenant", group_count() + 1ull,
                        limits_.groups_per_tenant});
  }
  if (members.size() > limits_.members_per_group) {
    return RefuseLimit({Limit::kMembersPerGroup, std::string(upn(owner)),
                        members.size(), limits_.members_per_group});
  }
  std::uint64_t chars = 0;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const UserId member = members[i].user;
    if (member >= user_count()) return UnknownUser(member);
    if (member == owner) {
      return Refuse(ChangeError::Kind::kInvalid,
                    fmt::format("{} cannot be a member of their own call "
                                "group",
                                upn(owner)));
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (members[j].user != member) continue;
      return Refuse(ChangeError::Kind::kDuplicate,
                    fmt::format("{} is listed twice", upn(member)));
    }
    const std::size_t groups = memberships(member).size();
    if (groups >= limits_.memberships_per_user) {
      return RefuseLimit({Limit::kMembershipsPerUser, std::string(upn(member)),
                          groups + 1, limits_.memberships_per_user});
    }
    chars += upn(member).size();
  }
  if (chars > limits_.member_list_chars) {
    return RefuseLimit({Limit::kMemberListChars, std::string(upn(owner)), chars,
                        limits_.member_list_chars});
  }

  // Append the group; it has the largest id, so memberships just rebuild.
  const GroupId group = group_count();
  group_owner_.push_back(owner);
  for (const MemberSpec& member : members) {
    member_user_.push_back(member.user);
    member_notification_.push_back(member.notification);
  }
  member_offsets_.push_back(static_cast<std::uint32_t>(member_user_.size()));
  member_list_chars_.push_back(static_cast<std::uint32_t>(chars));
  users_[owner].group = group;
  users_[owner].call_group_order = order;
  TenantTables::RebuildMemberships(*this);
  return ChangeStatus::Ok();
}

ChangeStatus Tenant::RemoveGroup(UserId owner) {
  if (owner >= user_count()) return UnknownUser(owner);
  const GroupId group = users_[owner].group;
  if (group == kNoGroup) {
    return Refuse(ChangeError::Kind::kNotFound,
                  fmt::format("{} owns no call group", upn(owner)));
  }
  // The last group moves into the hole, so ids stay dense.
  std::vector<GroupId> order(group_count());
  for (GroupId g = 0; g < order.size(); ++g) order[g] = g;
  order[group] = order.back();
  order.pop_back();
  TenantTables::ReorderGroups(*this, order);
  return ChangeStatus::Ok();
}

ChangeStatus Tenant::AddMember(UserId owner, MemberSpec member) {
  // Check the owner's group, the member and the three limits it touches.
  if (owner >= user_count()) return UnknownUser(owner);
  if (member.user >= user_count()) return UnknownUser(member.user);
  const GroupId group = users_[owner].group;
  if (group == kNoGroup) {
    return Refuse(ChangeError::Kind::kNotFound,
                  fmt::format("{} owns no call group", upn(owner)));
  }
  if (member.user == owner) {
    return Refuse(ChangeError::Kind::kInvalid,
                  fmt::format("{} cannot be a member of their own call group",
                              upn(owner)));
  }
  if (Contains(members(group), member.user)) {
    return Refuse(ChangeError::Kind::kDuplicate,
                  fmt::format("{} is already a member of the call group of {}",
                              upn(member.user), upn(owner)));
  }
  const std::size_t size = members(group).size() + 1;
  if (size > limits_.members_per_group) {
    return RefuseLimit({Limit::kMembersPerGroup, std::string(upn(owner)), size,
                        limits_.members_per_group});
  }
  const std::size_t groups = memberships(member.user).size() + 1;
  if (groups > limits_.memberships_per_user) {
    return RefuseLimit({Limit::kMembershipsPerUser,
                        std::string(upn(member.user)), groups,
                        limits_.memberships_per_user});
  }
  const std::uint64_t chars =
      std::uint64_t{member_list_chars_[group]} + upn(member.user).size();
  if (chars > limits_.member_list_chars) {
    return RefuseLimit({Limit::kMemberListChars, std::string(upn(owner)), chars,
                        limits_.member_list_chars});
  }

  // Append to the group's range and insert into the member's memberships.
  const std::uint32_t at = member_offsets_[group + 1];
  member_notification_.insert(member_notification_.begin() + at,
                              member.notification);
  InsertIntoCsr(&member_user_, &member_offsets_, group, at, member.user);
  member_list_chars_[group] = static_cast<std::uint32_t>(chars);
  InsertIntoCsr(
      &membership_group_, &membership_offsets_, member.user,
      SortedSlot(membership_group_, membership_offsets_, member.user, group),
      group);
  return ChangeStatus::Ok();
}

ChangeStatus Tenant::RemoveMember(UserId owner, UserId member) {
  if (owner >= user_count()) return UnknownUser(owner);
  if (member >= user_count()) return UnknownUser(member);
  const GroupId group = users_[owner].group;
  if (group == kNoGroup || !Contains(members(group), member)) {
    return Refuse(ChangeError::Kind::kNotFound,
                  fmt::format("{} is not a member of a call group of {}",
                              upn(member), upn(owner)));
  }
  // A group without members is no group: the last member takes it along.
  if (members(group).size() == 1) return RemoveGroup(owner);

  const auto range = members(group);
  const auto at = static_cast<std::uint32_t>(
      member_offsets_[group] +
      (std::find(range.begin(), range.end(), member) - range.begin()));
  member_notification_.erase(member_notification_.begin() + at);
  EraseFromCsr(&member_user_, &member_offsets_, group, at);
  member_list_chars_[group] -= static_cast<std::uint32_t>(upn(member).size());
  EraseFromCsr(
      &membership_group_, &membership_offsets_, member,
      SortedSlot(membership_group_, membership_offsets_, member, group));
  return ChangeStatus::Ok();
}

ChangeStatus Tenant::SetMemberNotification(UserId owner, UserId member,
                                           Notification notification) {
  if (owner >= user_count()) return UnknownUser(owner);
  if (member >= user_count()) return UnknownUser(member);
  const GroupId group = users_[owner].group;
  if (group == kNoGroup || !Contains(members(group), member)) {
    return Refuse(ChangeError::Kind::kNotFound,
                  fmt::format("{} is not a member of a call group of {}",
                              upn(member), upn(owner)));
  }
  const auto range = members(group);
  const auto at = std::find(range.begin(), range.end(), member) - range.begin();
  member_notification_[member_offsets_[group] + at] = notification;
  return ChangeStatus::Ok();
}

// ---------------------------------------------------------------------------
// Delegation.

ChangeStatus Tenant::AddDelegate(UserId delegator, UserId delegate,
                                 Permissions permissions) {
  // Check both users, the relationship and the two limits.
  if (delegator >= user_count()) return UnknownUser(delegator);
  if (delegate >= user_count()) return UnknownUser(delegate);
  if (delegator == delegate) {
    return Refuse(
        ChangeError::Kind::kInvalid,
        fmt::format("{} cannot be their own delegate", upn(delegate)));
  }
  if (Contains(delegates(delegator), delegate)) {
    return Refuse(ChangeError::Kind::kDuplicate,
                  fmt::format("{} is already a delegate of {}", upn(delegate),
                              upn(delegator)));
  }
  const std::size_t count = delegates(delegator).size() + 1;
  if (count > limits_.delegates_per_user) {
    return RefuseLimit({Limit::kDelegatesPerUser, std::string(upn(delegator)),
                        count, limits_.delegates_per_user});
  }
  const std::size_t from = delegators(delegate).size() + 1;
  if (from > limits_.delegators_per_delegate) {
    return RefuseLimit({Limit::kDelegatorsPerDelegate,
                        std::string(upn(delegate)), from,
                        limits_.delegators_per_delegate});
  }

  // Append to the delegator's range; every later range starts one later.
  UserRecord& record = users_[delegator];
  const std::uint32_t at = record.delegates_begin + record.delegate_count;
  delegate_user_.insert(delegate_user_.begin() + at, delegate);
  delegate_permissions_.insert(delegate_permissions_.begin() + at, permissions);
  ++record.delegate_count;
  for (UserId user = delegator + 1; user < user_count(); ++user) {
    ++users_[user].delegates_begin;
  }
  InsertIntoCsr(
      &delegator_user_, &delegator_offsets_, delegate,
      SortedSlot(delegator_user_, delegator_offsets_, delegate, delegator),
      delegator);
  return ChangeStatus::Ok();
}

ChangeStatus Tenant::RemoveDelegate(UserId delegator, UserId delegate) {
  if (delegator >= user_count()) return UnknownUser(delegator);
  if (delegate >= user_count()) return UnknownUser(delegate);
  const auto range = delegates(delegator);
  const auto it = std::find(range.begin(), range.end(), delegate);
  if (it == range.end()) {
    return Refuse(ChangeError::Kind::kNotFound,
                  fmt::format("{} is not a delegate of {}", upn(delegate),
                              upn(delegator)));
  }
  const auto at = static_cast<std::size_t>(users_[delegator].delegates_begin +
                                           (it - range.begin()));
  delegate_user_.erase(delegate_user_.begin() + at);
  delegate_permissions_.erase(delegate_permissions_.begin() + at);
  --users_[delegator].delegate_count;
  for (UserId user = delegator + 1; user < user_count(); ++user) {
    --users_[user].delegates_begin;
  }
  EraseFromCsr(
      &delegator_user_, &delegator_offsets_, delegate,
      SortedSlot(delegator_user_, delegator_offsets_, delegate, delegator));
  return ChangeStatus::Ok();
}

// ---------------------------------------------------------------------------
// Policies, eligibility and settings.

ChangeStatus Tenant::SetPolicy(PolicyId policy, const Policy& value) {
  if (policy >= policy_count()) {
    return Refuse(ChangeError::Kind::kUnknown,
                  fmt::format("no policy with id {}", policy));
  }
  policies_[policy] = value;
  return ChangeStatus::Ok();
}

ChangeStatus Tenant::AddPolicy(std::string_view name, const Policy& value) {
  if (name.empty()) {
    return Refuse(ChangeError::Kind::kInvalid, "a policy needs a name");
  }
  if (FindPolicy(name)) {
    return Refuse(ChangeError::Kind::kDuplicate,
                  fmt::format("policy {} exists already", name));
  }
  if (policy_count() > std::numeric_limits<PolicyId>::max()) {
    return Refuse(ChangeError::Kind::kInvalid, "more than 65,536 policies");
  }
  policies_.push_back(value);
  policy_names_.emplace_back(name);
  return ChangeStatus::Ok();
}

ChangeStatus Tenant::AssignPolicy(UserId user, PolicyId policy) {
  if (user >= user_count()) return UnknownUser(user);
  if (policy >= policy_count()) {
    return Refuse(ChangeError::Kind::kUnknown,
                  fmt::format("no policy with id {}", policy));
  }
  users_[user].policy = policy;
  return ChangeStatus::Ok();
}

ChangeStatus Tenant::SetEligibility(UserId user, bool teams_only,
                                    bool voice_enabled) {
  if (user >= user_count()) return UnknownUser(user);
  UserRecord& record = users_[user];
  constexpr auto kEligibility = static_cast<std::uint8_t>(
      UserRecord::kTeamsOnly | UserRecord::kVoiceEnabled);
  record.flags = static_cast<std::uint8_t>(record.flags & ~kEligibility);
  if (teams_only) record.flags |= UserRecord::kTeamsOnly;
  if (voice_enabled) record.flags |= UserRecord::kVoiceEnabled;
  traits_[user] = TenantTables::MakeTraits(record);
  return ChangeStatus::Ok();
}

ChangeStatus Tenant::SetCallingSettings(UserId user,
                                        const CallingSettings& settings) {
  if (user >= user_count()) return UnknownUser(user);
  const auto problems = TenantTables::CheckSettings(*this, user, settings);
  if (!problems.empty()) {
    return Refuse(ChangeError::Kind::kInvalid,
                  fmt::format("{}: {}", problems.front().field,
                              problems.front().message));
  }
  TenantTables::ApplySettings(*this, user, settings);
  return ChangeStatus::Ok();
}

ChangeStatus Tenant::SetLimits(const LimitProfile& limits) {
  if (auto problem = limits.Validate()) {
    return Refuse(ChangeError::Kind::kInvalid, std::move(*problem));
  }
  if (auto breach = TenantTables::FirstBreach(*this, limits)) {
    return RefuseLimit(std::move(*breach));
  }
  limits_ = limits;
  return ChangeStatus::Ok();
}

PhoneId Tenant::InternPhone(std::string_view number) {
  assert(IsE164(number));
  // Phone targets are few next to users; a scan keeps the tables lean.
  const auto it = std::find(phones_.begin(), phones_.end(), number);
  if (it != phones_.end()) return static_cast<PhoneId>(it - phones_.begin());
  phones_.emplace_back(number);
  return static_cast<PhoneId>(phones_.size() - 1);
}

}  // namespace callshare
