// Lookups, views, export and invariants of the tenant's tables, and the
// helpers that building and changing them share.
#include "tenant_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace callshare {
namespace {

// Aborts with the broken invariant; used only by CheckInvariants.
void Require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "tenant invariant broken: %s\n", what);
  std::abort();
}

bool IsNonDecreasing(const HugeVector<std::uint32_t>& offsets,
                     std::size_t entries, std::size_t end) {
  return offsets.size() == entries + 1 && offsets.front() == 0 &&
         offsets.back() == end &&
         std::is_sorted(offsets.begin(), offsets.end());
}

}  // namespace

bool IsE164(std::string_view number) {
  constexpr std::size_t kMaxDigits = 15;
  if (number.size() < 2 || number.size() > kMaxDigits + 1) return false;
  if (number.front() != '+') return false;
  return std::all_of(number.begin() + 1, number.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// ---------------------------------------------------------------------------
// Lookups and views.

std::optional<UserId> Tenant::FindUser(std::string_view upn) const {
  if (upn_slots_.empty()) return std::nullopt;
  const std::uint64_t hash = TenantTables::UpnHash(upn);
  const std::uint32_t fingerprint = TenantTables::Fingerprint(hash);
  const std::size_t mask = upn_slots_.size() - 1;
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const UpnSlot& entry = upn_slots_[slot];
    if (entry.user == kNoUser) return std::nullopt;
    if (entry.fingerprint == fingerprint && this->upn(entry.user) == upn) {
      return entry.user;
    }
  }
}

std::optional<PolicyId> Tenant::FindPolicy(std::string_view name) const {
  // A tenant has a handful of policies; a scan beats a hash here.
  for (std::size_t i = 0; i < policy_names_.size(); ++i) {
    if (policy_names_[i] == name) return static_cast<PolicyId>(i);
  }
  return std::nullopt;
}

std::string_view Tenant::upn(UserId user) const {
  return std::string_view(upn_chars_)
      .substr(upn_offsets_[user], upn_offsets_[user + 1] - upn_offsets_[user]);
}

std::string_view Tenant::policy_name(PolicyId policy) const {
  return policy_names_[policy];
}

std::string_view Tenant::phone(PhoneId phone) const { return phones_[phone]; }

std::span<const UserId> Tenant::members(GroupId group) const {
  const std::uint32_t begin = member_offsets_[group];
  return {member_user_.data() + begin, member_offsets_[group + 1] - begin};
}

std::span<const Notification> Tenant::member_notifications(
    GroupId group) const {
  const std::uint32_t begin = member_offsets_[group];
  return {member_notification_.data() + begin,
          member_offsets_[group + 1] - begin};
}

std::span<const UserId> Tenant::delegates(UserId delegator) const {
  const UserRecord& record = users_[delegator];
  return {delegate_user_.data() + record.delegates_begin,
          record.delegate_count};
}

std::span<const Permissions> Tenant::delegate_permissions(
    UserId delegator) const {
  const UserRecord& record = users_[delegator];
  return {delegate_permissions_.data() + record.delegates_begin,
          record.delegate_count};
}

std::span<const GroupId> Tenant::memberships(UserId member) const {
  const std::uint32_t begin = membership_offsets_[member];
  return {membership_group_.data() + begin,
          membership_offsets_[member + 1] - begin};
}

std::span<const UserId> Tenant::delegators(UserId delegate) const {
  const std::uint32_t begin = delegator_offsets_[delegate];
  return {delegator_user_.data() + begin,
          delegator_offsets_[delegate + 1] - begin};
}

CallingSettings Tenant::settings(UserId user) const {
  const UserRecord& record = users_[user];
  CallingSettings settings;
  settings.forwarding = (record.flags & UserRecord::kForwarding) != 0;
  settings.forwarding_type = record.forwarding_type;
  settings.forwarding_target_type = record.forwarding_target_type;
  settings.forwarding_target = record.forwarding_target;
  settings.unanswered = (record.flags & UserRecord::kUnanswered) != 0;
  settings.unanswered_target_type = record.unanswered_target_type;
  settings.unanswered_target = record.unanswered_target;
  settings.unanswered_delay_s = record.unanswered_delay_s;
  settings.call_group_order = record.call_group_order;
  settings.notification_override = record.notification_override;
  settings.busy_on_busy_option = record.busy_on_busy_option;
  return settings;
}

std::size_t Tenant::routing_bytes() const {
  auto bytes = [](const auto& v) { return v.size() * sizeof(v[0]); };
  return bytes(users_) + bytes(traits_) + bytes(policies_) +
         bytes(group_owner_) + bytes(member_offsets_) + bytes(member_user_) +
         bytes(member_notification_) + bytes(member_list_chars_) +
         bytes(delegate_user_) + bytes(delegate_permissions_) +
         bytes(membership_offsets_) + bytes(membership_group_) +
         bytes(delegator_offsets_) + bytes(delegator_user_);
}

// ---------------------------------------------------------------------------
// Export.

namespace {

bool IsDefault(const CallingSettings& settings) {
  const CallingSettings defaults;
  return settings.forwarding == defaults.forwarding &&
         settings.forwarding_type == defaults.forwarding_type &&
         settings.forwarding_target_type == defaults.forwarding_target_type &&
         settings.forwarding_target == defaults.forwarding_target &&
         settings.unanswered == defaults.unanswered &&
         settings.unanswered_target_type == defaults.unanswered_target_type &&
         settings.unanswered_target == defaults.unanswered_target &&
         settings.unanswered_delay_s == defaults.unanswered_delay_s &&
         settings.call_group_order == defaults.call_group_order &&
         settings.notification_override == defaults.notification_override &&
         settings.busy_on_busy_option == defaults.busy_on_busy_option;
}

PolicyRow ToRow(std::string_view name, const Policy& policy) {
  PolicyRow row;
  row.name = std::string(name);
  row.allow_call_groups = policy.allow_call_groups;
  row.allow_delegation = policy.allow_delegation;
  row.allow_call_forwarding_to_user = policy.allow_call_forwarding_to_user;
  row.allow_call_forwarding_to_phone = policy.allow_call_forwarding_to_phone;
  row.allow_voicemail = policy.allow_voicemail;
  row.busy_on_busy = policy.busy_on_busy;
  row.inbound_pstn_treatment = policy.inbound_pstn_treatment;
  return row;
}

}  // namespace

std::string TenantTables::TargetText(const Tenant& tenant, TargetRef target) {
  if (target == kNoTarget) return {};
  if (IsPhone(target)) return std::string(tenant.phone(PhoneOf(target)));
  return std::string(tenant.upn(target));
}

Directory Tenant::ToDirectory() const {
  Directory directory;

  // Users and policies, by id. Global is written so its values survive.
  directory.users.reserve(users_.size());
  for (UserId user = 0; user < user_count(); ++user) {
    const UserRecord& record = users_[user];
    directory.users.push_back({std::string(upn(user)),
                               (record.flags & UserRecord::kTeamsOnly) != 0,
                               (record.flags & UserRecord::kVoiceEnabled) != 0,
                               std::string(policy_name(record.policy)), 0});
  }
  for (PolicyId policy = 0; policy < policy_count(); ++policy) {
    directory.policies.push_back(
        ToRow(policy_names_[policy], policies_[policy]));
  }

  // Settings, only for users who changed a default.
  for (UserId user = 0; user < user_count(); ++user) {
    const CallingSettings s = settings(user);
    if (IsDefault(s)) continue;
    directory.settings.push_back(
        {std::string(upn(user)), s.forwarding, s.forwarding_type,
         s.forwarding_target_type,
         TenantTables::TargetText(*this, s.forwarding_target), s.unanswered,
         s.unanswered_target_type,
         TenantTables::TargetText(*this, s.unanswered_target),
         s.unanswered_delay_s, s.call_group_order, s.notification_override,
         s.busy_on_busy_option, 0});
  }

  // Members by group then position; delegates by delegator then order.
  directory.members.reserve(member_user_.size());
  for (GroupId group = 0; group < group_count(); ++group) {
    const auto owner = std::string(upn(group_owner_[group]));
    const auto group_members = members(group);
    const auto notifications = member_notifications(group);
    for (std::uint32_t i = 0; i < group_members.size(); ++i) {
      directory.members.push_back({owner, i + 1,
                                   std::string(upn(group_members[i])),
                                   notifications[i], 0});
    }
  }
  directory.delegates.reserve(delegate_user_.size());
  for (UserId delegator = 0; delegator < user_count(); ++delegator) {
    const auto users = delegates(delegator);
    const auto permissions = delegate_permissions(delegator);
    for (std::size_t i = 0; i < users.size(); ++i) {
      directory.delegates.push_back({std::string(upn(delegator)),
                                     std::string(upn(users[i])), permissions[i],
                                     0});
    }
  }
  return directory;
}

// ---------------------------------------------------------------------------
// Invariants.

void Tenant::CheckInvariants() const {
  const std::size_t users = users_.size();
  Require(traits_.size() == users, "one traits byte per user");
  Require(upn_offsets_.size() == users + 1, "upn offsets per user");
  Require(!policies_.empty() && policies_.size() == policy_names_.size(),
          "policy table has Global and a name per policy");

  // Group CSR and ownership.
  Require(IsNonDecreasing(member_offsets_, group_owner_.size(),
                          member_user_.size()),
          "member offsets");
  Require(member_notification_.size() == member_user_.size(),
          "a notification per member");
  Require(member_list_chars_.size() == group_owner_.size(),
          "member list chars per group");
  std::size_t owners = 0;
  for (UserId user = 0; user < users; ++user) {
    const GroupId group = users_[user].group;
    if (group == kNoGroup) continue;
    ++owners;
    Require(group < group_owner_.size() && group_owner_[group] == user,
            "record's group is owned by that user");
    Require(traits_[user] == TenantTables::MakeTraits(users_[user]),
            "traits match the record");
  }
  Require(owners == group_owner_.size(), "every group has one owner");
  for (GroupId group = 0; group < group_owner_.size(); ++group) {
    Require(users_[group_owner_[group]].group == group, "owner owns group");
    std::uint64_t chars = 0;
    for (UserId member : members(group)) chars += upn(member).size();
    Require(chars == member_list_chars_[group], "member list chars");
  }

  // Delegate CSR: contiguous in user order.
  std::uint32_t next = 0;
  for (UserId user = 0; user < users; ++user) {
    Require(users_[user].delegates_begin == next, "delegate ranges in order");
    next += users_[user].delegate_count;
    Require(traits_[user] == TenantTables::MakeTraits(users_[user]),
            "traits match the record");
  }
  Require(next == delegate_user_.size() &&
              delegate_permissions_.size() == delegate_user_.size(),
          "delegate arrays end with the last range");

  // Reverse indices list exactly the forward relationships, ascending.
  Require(IsNonDecreasing(membership_offsets_, users, membership_group_.size()),
          "membership offsets");
  Require(membership_group_.size() == member_user_.size(),
          "one membership per member");
  for (UserId user = 0; user < users; ++user) {
    const auto groups = memberships(user);
    Require(std::is_sorted(groups.begin(), groups.end()), "memberships sorted");
    for (GroupId group : groups) {
      const auto m = members(group);
      Require(std::find(m.begin(), m.end(), user) != m.end(),
              "membership has its member");
    }
  }
  Require(IsNonDecreasing(delegator_offsets_, users, delegator_user_.size()),
          "delegator offsets");
  Require(delegator_user_.size() == delegate_user_.size(),
          "one delegator entry per delegate");
  for (UserId user = 0; user < users; ++user) {
    const auto from = delegators(user);
    Require(std::is_sorted(from.begin(), from.end()), "delegators sorted");
    for (UserId delegator : from) {
      const auto d = delegates(delegator);
      Require(std::find(d.begin(), d.end(), user) != d.end(),
              "delegator has its delegate");
    }
  }
}

// ---------------------------------------------------------------------------
// Shared helpers.

std::uint8_t TenantTables::MakeTraits(const UserRecord& record) {
  const auto eligible = record.eligible() ? Traits::kEligible : 0;
  const auto override_bits = static_cast<unsigned>(record.notification_override)
                             << Traits::kOverrideShift;
  return static_cast<std::uint8_t>(eligible | override_bits);
}

std::uint64_t TenantTables::UpnHash(std::string_view upn) {
  static_assert(sizeof(std::size_t) == sizeof(std::uint64_t),
                "the fingerprint takes the high half of a 64-bit hash");
  return std::hash<std::string_view>{}(upn);
}

namespace {

// Lookups handled together by FindUsers. Large enough to overlap many
// misses, small enough that a group's slots stay in L1 between the steps.
constexpr std::size_t kLookupGroup = 16;

}  // namespace

void TenantTables::FindUsers(const Tenant& tenant,
                             std::span<const std::string_view> upns,
                             std::span<UserId> users) {
  for (std::size_t begin = 0; begin < upns.size(); begin += kLookupGroup) {
    const std::size_t count = std::min(kLookupGroup, upns.size() - begin);
    FindGroup(tenant, upns.subspan(begin, count), users.subspan(begin, count));
  }
}

// A lookup waits on up to three cache misses in turn: the home slot, the
// candidate's offsets and its chars. Taking each step for the whole group
// before the next, with the next step's lines prefetched, overlaps the
// misses of the group instead of paying them one after another. Build of
// a million users took 0.80 s CPU with groups of one lookup, 0.46 s with
// groups of 16; 32 and 64 measured no better.
void TenantTables::FindGroup(const Tenant& tenant,
                             std::span<const std::string_view> upns,
                             std::span<UserId> users) {
  const HugeVector<Tenant::UpnSlot>& slots = tenant.upn_slots_;
  if (slots.empty()) {
    std::fill(users.begin(), users.end(), kNoUser);
    return;
  }
  const std::size_t mask = slots.size() - 1;
  const std::size_t count = upns.size();

  // Hash, and fetch the home slots.
  std::array<std::uint64_t, kLookupGroup> hashes;
  for (std::size_t i = 0; i < count; ++i) {
    hashes[i] = UpnHash(upns[i]);
    __builtin_prefetch(&slots[hashes[i] & mask]);
  }

  // The first slot with the fingerprint holds the candidate, if any; an
  // empty slot before it means the UPN is unknown. Fetch its offsets.
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint32_t fingerprint = Fingerprint(hashes[i]);
    std::size_t slot = hashes[i] & mask;
    while (slots[slot].user != kNoUser &&
           slots[slot].fingerprint != fingerprint) {
      slot = (slot + 1) & mask;
    }
    users[i] = slots[slot].user;
    if (users[i] != kNoUser) __builtin_prefetch(&tenant.upn_offsets_[users[i]]);
  }

  // Fetch the candidates' chars.
  for (std::size_t i = 0; i < count; ++i) {
    if (users[i] == kNoUser) continue;
    __builtin_prefetch(tenant.upn_chars_.data() +
                       tenant.upn_offsets_[users[i]]);
  }

  // Compare. A candidate with other chars shares 32 bits of hash by
  // chance; the full probe settles it.
  for (std::size_t i = 0; i < count; ++i) {
    if (users[i] == kNoUser || tenant.upn(users[i]) == upns[i]) continue;
    users[i] = tenant.FindUser(upns[i]).value_or(kNoUser);
  }
}

std::vector<SettingsProblem> TenantTables::CheckSettings(
    const Tenant& tenant, UserId user, const CallingSettings& settings) {
  std::vector<SettingsProblem> problems;
  const std::string upn(tenant.upn(user));
  auto check_target = [&](bool enabled, TargetType type, TargetRef target,
                          const char* type_field, const char* target_field,
                          const char* what) {
    if (enabled && type == TargetType::kNone) {
      problems.push_back(
          {type_field,
           fmt::format("{} of {} is on but has no target type", what, upn)});
    }
    if (type != TargetType::kSingleTarget) return;
    const bool valid =
        target != kNoTarget &&
        (IsPhone(target) ? PhoneOf(target) < tenant.phones_.size()
                         : target < tenant.user_count());
    if (!valid) {
      problems.push_back(
          {target_field,
           fmt::format("{} of {} is SingleTarget without a valid target", what,
                       upn)});
    } else if (target == user) {
      problems.push_back(
          {target_field,
           fmt::format("{} of {} targets the user themself", what, upn)});
    }
  };
  check_target(settings.forwarding, settings.forwarding_target_type,
               settings.forwarding_target, "forwarding_target_type",
               "forwarding_target", "forwarding");
  check_target(settings.unanswered, settings.unanswered_target_type,
               settings.unanswered_target, "unanswered_target_type",
               "unanswered_target", "unanswered forwarding");
  if (settings.forwarding_target_type == TargetType::kVoicemail &&
      settings.forwarding_type == ForwardingType::kSimultaneous) {
    problems.push_back(
        {"forwarding_type",
         fmt::format("forwarding of {} to Voicemail must be Immediate", upn)});
  }
  if (!IsAllowedUnansweredDelay(settings.unanswered_delay_s)) {
    problems.push_back(
        {"unanswered_delay_s",
         fmt::format(
             "unanswered delay of {} is {} s; allowed: 5, 10, 15, 20, 30, 40, "
             "50, 60",
             upn, settings.unanswered_delay_s)});
  }
  return problems;
}

void TenantTables::ApplySettings(Tenant& tenant, UserId user,
                                 const CallingSettings& settings) {
  UserRecord& record = tenant.users_[user];
  constexpr auto kSettingFlags = static_cast<std::uint8_t>(
      UserRecord::kForwarding | UserRecord::kUnanswered);
  record.flags = static_cast<std::uint8_t>(record.flags & ~kSettingFlags);
  if (settings.forwarding) record.flags |= UserRecord::kForwarding;
  if (settings.unanswered) record.flags |= UserRecord::kUnanswered;
  record.forwarding_type = settings.forwarding_type;
  record.forwarding_target_type = settings.forwarding_target_type;
  record.forwarding_target = settings.forwarding_target;
  record.unanswered_target_type = settings.unanswered_target_type;
  record.unanswered_target = settings.unanswered_target;
  record.unanswered_delay_s = settings.unanswered_delay_s;
  record.call_group_order = settings.call_group_order;
  record.notification_override = settings.notification_override;
  record.busy_on_busy_option = settings.busy_on_busy_option;
  tenant.traits_[user] = MakeTraits(record);
}

std::optional<LimitError> TenantTables::FirstBreach(
    const Tenant& tenant, const LimitProfile& limits) {
  if (tenant.group_count() > limits.groups_per_tenant) {
    return LimitError{Limit::kGroupsPerTenant, "tenant", tenant.group_count(),
                      limits.groups_per_tenant};
  }
  for (GroupId group = 0; group < tenant.group_count(); ++group) {
    const auto owner = std::string(tenant.upn(tenant.group_owner(group)));
    const std::size_t size = tenant.members(group).size();
    if (size > limits.members_per_group) {
      return LimitError{Limit::kMembersPerGroup, owner, size,
                        limits.members_per_group};
    }
    const std::uint32_t chars = tenant.member_list_chars_[group];
    if (chars > limits.member_list_chars) {
      return LimitError{Limit::kMemberListChars, owner, chars,
                        limits.member_list_chars};
    }
  }
  for (UserId user = 0; user < tenant.user_count(); ++user) {
    if (auto breach = UserBreach(tenant, user, limits)) return breach;
  }
  return std::nullopt;
}

std::optional<LimitError> TenantTables::UserBreach(const Tenant& tenant,
                                                   UserId user,
                                                   const LimitProfile& limits) {
  const auto upn = [&] { return std::string(tenant.upn(user)); };
  if (const auto n = tenant.memberships(user).size();
      n > limits.memberships_per_user) {
    return LimitError{Limit::kMembershipsPerUser, upn(), n,
                      limits.memberships_per_user};
  }
  if (const auto n = tenant.delegates(user).size();
      n > limits.delegates_per_user) {
    return LimitError{Limit::kDelegatesPerUser, upn(), n,
                      limits.delegates_per_user};
  }
  if (const auto n = tenant.delegators(user).size();
      n > limits.delegators_per_delegate) {
    return LimitError{Limit::kDelegatorsPerDelegate, upn(), n,
                      limits.delegators_per_delegate};
  }
  return std::nullopt;
}

void TenantTables::RebuildMemberships(Tenant& tenant) {
  const std::size_t users = tenant.users_.size();

  // Count each member's groups, then place them in ascending group order.
  HugeVector<std::uint32_t> offsets(users + 1, 0);
  for (UserId member : tenant.member_user_) ++offsets[member + 1];
  for (std::size_t i = 0; i < users; ++i) offsets[i + 1] += offsets[i];
  HugeVector<GroupId> groups(tenant.member_user_.size());
  std::vector<std::uint32_t> fill(offsets.begin(), offsets.end() - 1);
  for (GroupId group = 0; group < tenant.group_owner_.size(); ++group) {
    for (UserId member : tenant.members(group)) groups[fill[member]++] = group;
  }
  tenant.membership_offsets_ = std::move(offsets);
  tenant.membership_group_ = std::move(groups);
}

void TenantTables::RebuildDelegators(Tenant& tenant) {
  const std::size_t users = tenant.users_.size();

  // Count each delegate's delegators, then place them in delegator order.
  HugeVector<std::uint32_t> offsets(users + 1, 0);
  for (UserId delegate : tenant.delegate_user_) ++offsets[delegate + 1];
  for (std::size_t i = 0; i < users; ++i) offsets[i + 1] += offsets[i];
  HugeVector<UserId> delegators(tenant.delegate_user_.size());
  std::vector<std::uint32_t> fill(offsets.begin(), offsets.end() - 1);
  for (UserId delegator = 0; delegator < users; ++delegator) {
    for (UserId delegate : tenant.delegates(delegator)) {
      delegators[fill[delegate]++] = delegator;
    }
  }
  tenant.delegator_offsets_ = std::move(offsets);
  tenant.delegator_user_ = std::move(delegators);
}

void TenantTables::ReorderGroups(Tenant& tenant,
                                 const std::vector<GroupId>& order) {
  std::vector<UserId> owners;
  HugeVector<std::uint32_t> offsets{0};
  HugeVector<UserId> members;
  HugeVector<Notification> notifications;
  std::vector<std::uint32_t> chars;
  owners.reserve(order.size());
  offsets.reserve(order.size() + 1);
  chars.reserve(order.size());

  // Owners of dropped groups lose their group; kept ones get new ids.
  for (UserId owner : tenant.group_owner_)
    tenant.users_[owner].group = kNoGroup;
  for (GroupId old_group : order) {
    const UserId owner = tenant.group_owner_[old_group];
    tenant.users_[owner].group = static_cast<GroupId>(owners.size());
    owners.push_back(owner);
    const auto m = tenant.members(old_group);
    const auto n = tenant.member_notifications(old_group);
    members.insert(members.end(), m.begin(), m.end());
    notifications.insert(notifications.end(), n.begin(), n.end());
    offsets.push_back(static_cast<std::uint32_t>(members.size()));
    chars.push_back(tenant.member_list_chars_[old_group]);
  }
  tenant.group_owner_ = std::move(owners);
  tenant.member_offsets_ = std::move(offsets);
  tenant.member_user_ = std::move(members);
  tenant.member_notification_ = std::move(notifications);
  tenant.member_list_chars_ = std::move(chars);
  RebuildMemberships(tenant);
}

}  // namespace callshare
