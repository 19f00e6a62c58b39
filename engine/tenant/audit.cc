// The audit of a tenant's state and the cleanup of stale relationships.
#include <fmt/format.h>

#include <algorithm>

#include "callshare/tenant/tenant.h"
#include "tenant_tables.h"

namespace callshare {
namespace {

using Kind = AuditFinding::Kind;

// Findings about one owner's call group.
void AuditGroup(const Tenant& tenant, UserId owner,
                std::vector<AuditFinding>* findings) {
  const UserRecord& record = tenant.user(owner);
  const GroupId group = record.group;
  const auto name = tenant.upn(owner);
  if (!tenant.policy(record.policy).allow_call_groups) {
    findings->push_back(
        {Kind::kStaleCallGroup, owner, kNoUser,
         fmt::format("{} has a call group but policy {} forbids call groups",
                     name, tenant.policy_name(record.policy))});
  }
  if (!record.eligible()) {
    findings->push_back(
        {Kind::kIneligibleOwner, owner, kNoUser,
         fmt::format("{} owns a call group but is not Teams Only and "
                     "voice-enabled",
                     name)});
  }
  for (UserId member : tenant.members(group)) {
    if (Traits::Eligible(tenant.traits(member))) continue;
    findings->push_back(
        {Kind::kIneligibleMember, owner, member,
         fmt::format("{}, member of the call group of {}, is not Teams Only "
                     "and voice-enabled",
                     tenant.upn(member), name)});
  }
  const std::size_t size = tenant.members(group).size();
  if (record.call_group_order == RingOrder::kInOrder &&
      size > tenant.limits().in_order_members) {
    findings->push_back({Kind::kInOrderTooLarge, owner, kNoUser,
                         LimitError{Limit::kInOrderMembers, std::string(name),
                                    size, tenant.limits().in_order_members}
                             .Message()});
  }
}

// Findings about one delegator's delegates.
void AuditDelegates(const Tenant& tenant, UserId delegator,
                    std::vector<AuditFinding>* findings) {
  const PolicyId policy = tenant.user(delegator).policy;
  const bool allowed = tenant.policy(policy).allow_delegation;
  const auto name = tenant.upn(delegator);
  for (UserId delegate : tenant.delegates(delegator)) {
    if (!allowed) {
      findings->push_back(
          {Kind::kStaleDelegation, delegator, delegate,
           fmt::format("{} delegates to {} but policy {} forbids delegation",
                       name, tenant.upn(delegate),
                       tenant.policy_name(policy))});
    }
    if (Traits::Eligible(tenant.traits(delegate))) continue;
    findings->push_back(
        {Kind::kIneligibleMember, delegator, delegate,
         fmt::format("{}, delegate of {}, is not Teams Only and "
                     "voice-enabled",
                     tenant.upn(delegate), name)});
  }
}

// The user a user's forwarding sends calls to, or kNoUser.
UserId ForwardsTo(const Tenant& tenant, UserId user) {
  const UserRecord& record = tenant.user(user);
  if ((record.flags & UserRecord::kForwarding) == 0) return kNoUser;
  if (record.forwarding_target_type != TargetType::kSingleTarget) {
    return kNoUser;
  }
  const TargetRef target = record.forwarding_target;
  return target == kNoTarget || IsPhone(target) ? kNoUser : target;
}

// Forwarding is a function from users to users, so each user starts at
// most one walk; a walk that meets its own path closes a cycle, reported
// once from its smallest user.
void AuditForwardCycles(const Tenant& tenant,
                        std::vector<AuditFinding>* findings) {
  constexpr std::uint32_t kUnvisited = 0xFFFF'FFFFu;
  std::vector<std::uint32_t> walk_of(tenant.user_count(), kUnvisited);
  for (UserId start = 0; start < tenant.user_count(); ++start) {
    UserId user = start;
    while (user != kNoUser && walk_of[user] == kUnvisited) {
      walk_of[user] = start;
      user = ForwardsTo(tenant, user);
    }
    if (user == kNoUser || walk_of[user] != start) continue;

    // `user` is on the cycle; list it from its smallest id.
    std::vector<UserId> cycle{user};
    for (UserId next = ForwardsTo(tenant, user); next != user;
         next = ForwardsTo(tenant, next)) {
      cycle.push_back(next);
    }
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()),
                cycle.end());
    std::string path;
    for (UserId member : cycle)
      path += fmt::format("{} -> ", tenant.upn(member));
    path += tenant.upn(cycle.front());
    findings->push_back({Kind::kForwardCycle, cycle.front(), kNoUser,
                         fmt::format("forwarding cycle: {}", path)});
  }
}

// Resets settings that lead to a group or delegates the user no longer
// has; returns how many settings changed.
std::uint32_t ResetDanglingTargets(Tenant& tenant, UserId user) {
  CallingSettings settings = tenant.settings(user);
  const UserRecord& record = tenant.user(user);
  auto dangling = [&](TargetType type) {
    return (type == TargetType::kGroup && record.group == kNoGroup) ||
           (type == TargetType::kMyDelegates && record.delegate_count == 0);
  };
  std::uint32_t reset = 0;
  if (dangling(settings.forwarding_target_type)) {
    settings.forwarding = false;
    settings.forwarding_type = ForwardingType::kImmediate;
    settings.forwarding_target_type = TargetType::kNone;
    ++reset;
  }
  if (dangling(settings.unanswered_target_type)) {
    settings.unanswered_target_type = TargetType::kVoicemail;
    ++reset;
  }
  if (reset != 0) tenant.SetCallingSettings(user, settings);
  return reset;
}

}  // namespace

std::vector<AuditFinding> Tenant::Audit() const {
  std::vector<AuditFinding> findings;
  for (UserId user = 0; user < user_count(); ++user) {
    if (users_[user].group != kNoGroup) AuditGroup(*this, user, &findings);
    AuditDelegates(*this, user, &findings);
  }
  AuditForwardCycles(*this, &findings);
  std::stable_sort(findings.begin(), findings.end(),
                   [](const AuditFinding& a, const AuditFinding& b) {
                     return a.user < b.user;
                   });
  return findings;
}

CleanupReport Tenant::Cleanup() {
  CleanupReport report;
  std::vector<UserId> touched;

  // Stale groups, removed in one pass, each hole filled by the last group
  // as RemoveGroup would.
  std::vector<GroupId> order(group_count());
  std::vector<std::uint32_t> slot_of(group_count());
  for (GroupId g = 0; g < order.size(); ++g) order[g] = slot_of[g] = g;
  for (GroupId g = 0; g < group_count(); ++g) {
    const UserId owner = group_owner_[g];
    if (policies_[users_[owner].policy].allow_call_groups) continue;
    ++report.groups_removed;
    report.memberships_removed += static_cast<std::uint32_t>(members(g).size());
    touched.push_back(owner);
    const std::uint32_t hole = slot_of[g];
    order[hole] = order.back();
    slot_of[order[hole]] = hole;
    order.pop_back();
  }
  if (report.groups_removed != 0) TenantTables::ReorderGroups(*this, order);

  // Stale delegations: every delegate of a delegator whose policy forbids
  // delegation; the delegate CSR is rebuilt without them.
  HugeVector<UserId> kept_users;
  HugeVector<Permissions> kept_permissions;
  kept_users.reserve(delegate_user_.size());
  kept_permissions.reserve(delegate_user_.size());
  for (UserId user = 0; user < user_count(); ++user) {
    UserRecord& record = users_[user];
    const auto begin = record.delegates_begin;
    const auto count = record.delegate_count;
    record.delegates_begin = static_cast<std::uint32_t>(kept_users.size());
    if (!policies_[record.policy].allow_delegation && count != 0) {
      report.delegations_removed += count;
      record.delegate_count = 0;
      touched.push_back(user);
      continue;
    }
    kept_users.insert(kept_users.end(), delegate_user_.begin() + begin,
                      delegate_user_.begin() + begin + count);
    kept_permissions.insert(kept_permissions.end(),
                            delegate_permissions_.begin() + begin,
                            delegate_permissions_.begin() + begin + count);
  }
  delegate_user_ = std::move(kept_users);
  delegate_permissions_ = std::move(kept_permissions);
  if (report.delegations_removed != 0) TenantTables::RebuildDelegators(*this);

  // Settings that pointed at what was removed.
  for (UserId user : touched) {
    report.settings_reset += ResetDanglingTargets(*this, user);
  }
  return report;
}

}  // namespace callshare
