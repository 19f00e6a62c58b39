// The tenant's routing tables: every user, policy, call group and
// delegation of a tenant in flat arrays, and the only way to change them.
//
// Design notes
// ------------
// A route reads the callee's record, the callee's policy and, for a shared
// call, the callee's call group or delegates. At a million users nothing
// but the policy table stays in cache, so the layout is chosen to make a
// route touch as few cache lines as possible:
//
//   users_       UserRecord[user]           32 bytes: the callee's settings,
//                                           policy, owned group and where its
//                                           delegates start. Two a line.
//   traits_      uint8[user]                eligibility and notification
//                                           override, read once per member.
//   groups       group_owner_[group]        CSR: members of group g are
//                member_offsets_[group + 1] member_user_[b, e) and
//                member_user_[], member_    member_notification_[b, e) with
//                notification_[]            b = member_offsets_[g],
//                                           e = member_offsets_[g + 1].
//   delegates    delegate_user_[],          CSR with the offsets inside the
//                delegate_permissions_[]    record: delegates_begin and
//                                           delegate_count.
//   reverse      membership_offsets_[user+1], membership_group_[]
//                delegator_offsets_[user+1],  delegator_user_[]
//
// A route of a user without a group or delegates touches one line of
// users_ and the policy table; a group route adds the member lines (a full
// group of 25 is two lines of ids and one of notifications) and the
// members' traits.
//
// Every array that reaches 1 MiB lives on 2 MiB pages (HugeVector): at a
// million users users_ alone spans 8,192 small pages, so with 4 KiB pages
// a random record read missed the TLB too and paid a page walk on top of
// the line. Measured at 1M users, CPU time, medians of 3, three A/B rounds
// on a loaded 2-core VM: one route at a time 3.2-3.9 M/s before, 4.3-5.2
// M/s after (1.4x); batched 7.3-8.1 M/s before, 11.9-16.2 M/s after
// (1.7x). AnonHugePages showed 50 MiB of the tables on huge pages.
//
// Invariants (checked by CheckInvariants in debug builds and tests):
//   - member_offsets_ is non-decreasing, has group_count() + 1 entries and
//     ends at member_user_.size(); likewise the reverse indices.
//   - users_[group_owner_[g]].group == g for every group g, and a user owns
//     at most one group.
//   - the reverse indices list exactly the forward relationships, in
//     ascending order of group id and delegator id.
//   - no limit of limits_ is exceeded: Build and SetLimits refuse tables
//     that break the profile, so the audit has no limit breaches to find.
//     The one exception by design is an InOrder group larger than
//     in_order_members, which rings simultaneously (the audit lists it).
//
// Determinism (the reference router and the CSV round trip rely on it):
//   - user ids follow Directory::users row order;
//   - policy 0 is "Global" with defaults, replaced by a "Global" row; other
//     policies follow in row order;
//   - phone ids are interned in order of first appearance, scanning the
//     settings rows in order, forwarding target before unanswered target;
//     a target is a phone when it is '+' and 1 to 15 digits, otherwise it
//     must be a known UPN;
//   - group ids follow the order of each owner's first member row; members
//     are ordered by position; delegates follow delegates.csv row order per
//     delegator.
//
// Changes are rare next to routes (admin events), so they rebuild the
// affected CSR ranges by shifting; bulk construction goes through Build,
// which sorts once. Each change checks everything first and then applies,
// so a refused change leaves the tables exactly as they were.
//
// Thread safety: const methods may be called from many threads at once; a
// change needs exclusive access.
#ifndef CALLSHARE_TENANT_TENANT_H_
#define CALLSHARE_TENANT_TENANT_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "callshare/tenant/diagnostic.h"
#include "callshare/tenant/directory.h"
#include "callshare/tenant/huge_page_allocator.h"
#include "callshare/tenant/limits.h"
#include "callshare/tenant/types.h"

namespace callshare {

// A forward or unanswered target: a user, or a phone number of the tenant's
// phone table, told apart by the top bit.
using TargetRef = std::uint32_t;
inline constexpr TargetRef kNoTarget = 0xFFFF'FFFFu;
inline constexpr TargetRef kPhoneBit = 0x8000'0000u;
constexpr bool IsPhone(TargetRef target) {
  return target != kNoTarget && (target & kPhoneBit) != 0;
}
constexpr PhoneId PhoneOf(TargetRef target) { return target & ~kPhoneBit; }
constexpr TargetRef PhoneTarget(PhoneId phone) { return phone | kPhoneBit; }

// A TeamsCallingPolicy, shared by many users.
struct Policy {
  bool allow_call_groups = true;
  bool allow_delegation = true;
  bool allow_call_forwarding_to_user = true;
  bool allow_call_forwarding_to_phone = true;
  VoicemailPolicy allow_voicemail = VoicemailPolicy::kUserOverride;
  BusyOnBusyPolicy busy_on_busy = BusyOnBusyPolicy::kDisabled;
  PstnTreatment inbound_pstn_treatment = PstnTreatment::kRegularIncoming;
};

// A user's calling settings (Set-CsUserCallingSettings), resolved to ids.
struct CallingSettings {
  bool forwarding = false;
  ForwardingType forwarding_type = ForwardingType::kImmediate;
  TargetType forwarding_target_type = TargetType::kNone;
  TargetRef forwarding_target = kNoTarget;
  bool unanswered = true;
  TargetType unanswered_target_type = TargetType::kVoicemail;
  TargetRef unanswered_target = kNoTarget;
  std::uint8_t unanswered_delay_s = 20;
  RingOrder call_group_order = RingOrder::kSimultaneous;
  NotificationOverride notification_override = NotificationOverride::kNone;
  BusyOnBusyOption busy_on_busy_option = BusyOnBusyOption::kRingUser;
};

// The routing-hot part of a user, one record per user. The fields take 27
// bytes; the alignment pads them to 32 and keeps a record inside one line.
struct alignas(32) UserRecord {
  GroupId group = kNoGroup;  // the call group this user owns
  TargetRef forwarding_target = kNoTarget;
  TargetRef unanswered_target = kNoTarget;
  std::uint32_t delegates_begin = 0;  // into delegate_user_
  PolicyId policy = kGlobalPolicy;
  std::uint8_t delegate_count = 0;
  std::uint8_t flags = 0;  // kTeamsOnly | kVoiceEnabled | ...
  ForwardingType forwarding_type = ForwardingType::kImmediate;
  TargetType forwarding_target_type = TargetType::kNone;
  TargetType unanswered_target_type = TargetType::kVoicemail;
  std::uint8_t unanswered_delay_s = 20;
  RingOrder call_group_order = RingOrder::kSimultaneous;
  NotificationOverride notification_override = NotificationOverride::kNone;
  BusyOnBusyOption busy_on_busy_option = BusyOnBusyOption::kRingUser;

  static constexpr std::uint8_t kTeamsOnly = 1 << 0;
  static constexpr std::uint8_t kVoiceEnabled = 1 << 1;
  static constexpr std::uint8_t kForwarding = 1 << 2;
  static constexpr std::uint8_t kUnanswered = 1 << 3;

  bool eligible() const {
    return (flags & (kTeamsOnly | kVoiceEnabled)) ==
           (kTeamsOnly | kVoiceEnabled);
  }
};
static_assert(sizeof(UserRecord) == 32,
              "two records a cache line: a route reads one line per user");

// One byte a user that the router reads for every member or delegate it
// considers: whether they may be rung, and their notification override.
struct Traits {
  static constexpr std::uint8_t kEligible = 1 << 0;
  static constexpr std::uint8_t kOverrideShift = 1;
  static constexpr std::uint8_t kOverrideMask = 0b11 << kOverrideShift;

  static bool Eligible(std::uint8_t traits) {
    return (traits & kEligible) != 0;
  }
  static NotificationOverride Override(std::uint8_t traits) {
    return static_cast<NotificationOverride>((traits & kOverrideMask) >>
                                             kOverrideShift);
  }
};

// A member as a change names it.
struct MemberSpec {
  UserId user = kNoUser;
  Notification notification = Notification::kRing;
};

// Why a change was refused.
struct ChangeError {
  enum class Kind : std::uint8_t {
    kLimit,      // see limit
    kUnknown,    // a user, group, policy or phone that does not exist
    kDuplicate,  // the relationship exists already
    kNotFound,   // the relationship to remove does not exist
    kInvalid,    // a value out of its domain (a delay, a self-reference)
  };
  Kind kind = Kind::kInvalid;
  std::string message;
  std::optional<LimitError> limit;
};

// The result of a change: ok, or the reason it was refused.
class ChangeStatus {
 public:
  static ChangeStatus Ok() { return ChangeStatus(); }
  static ChangeStatus Refused(ChangeError error) {
    return ChangeStatus(std::move(error));
  }

  bool ok() const { return !error_.has_value(); }
  const ChangeError& error() const { return *error_; }

 private:
  ChangeStatus() = default;
  explicit ChangeStatus(ChangeError error) : error_(std::move(error)) {}

  std::optional<ChangeError> error_;
};

// What the audit found, one entry per finding.
struct AuditFinding {
  enum class Kind : std::uint8_t {
    kStaleCallGroup,    // a group whose owner's policy forbids call groups
    kStaleDelegation,   // a delegation whose delegator's policy forbids it
    kIneligibleOwner,   // owner not Teams Only or not voice-enabled
    kIneligibleMember,  // member or delegate not eligible
    kForwardCycle,      // forwarding targets that lead back to the start
    kInOrderTooLarge,   // InOrder group that will ring simultaneously
  };
  Kind kind;
  UserId user = kNoUser;   // the owner or delegator concerned
  UserId other = kNoUser;  // the member or delegate, where there is one
  std::string message;     // a sentence naming the UPNs
};

// What a cleanup removed.
struct CleanupReport {
  std::uint32_t groups_removed = 0;
  std::uint32_t memberships_removed = 0;
  std::uint32_t delegations_removed = 0;
  std::uint32_t settings_reset = 0;  // forwarding or unanswered targets reset
};

class Tenant {
 public:
  Tenant() = default;

  // Builds the tables from a directory, checking every row and every limit.
  // On any error returns nullopt and appends one Diagnostic per problem
  // (file and line taken from the rows) to `errors`. `rejected` is what a
  // reader left out of `directory`: its UPNs and policy names count as
  // known, a reference is not called unknown when a lost row may hold it,
  // and when anything was left out the rows are checked but no tables are
  // built.
  static std::optional<Tenant> Build(const Directory& directory,
                                     const LimitProfile& limits,
                                     Diagnostics* errors,
                                     const RejectedRows& rejected = {});

  // The directory these tables describe, rows in a canonical order
  // (users by id, members by group then position). Build(ToDirectory())
  // gives equal tables.
  Directory ToDirectory() const;

  // Lookups.
  std::uint32_t user_count() const { return std::uint32_t(users_.size()); }
  std::uint32_t group_count() const {
    return std::uint32_t(group_owner_.size());
  }
  std::uint32_t policy_count() const { return std::uint32_t(policies_.size()); }
  std::optional<UserId> FindUser(std::string_view upn) const;
  std::optional<PolicyId> FindPolicy(std::string_view name) const;
  std::string_view upn(UserId user) const;
  std::string_view policy_name(PolicyId policy) const;
  std::string_view phone(PhoneId phone) const;
  const LimitProfile& limits() const { return limits_; }

  // The routing-hot views. REQUIRES: ids in range.
  const UserRecord& user(UserId user) const { return users_[user]; }
  std::uint8_t traits(UserId user) const { return traits_[user]; }
  // Every user's traits byte, indexed by user id, so that a batch of
  // routes can prefetch the members' bytes before it reads them.
  std::span<const std::uint8_t> all_traits() const { return traits_; }
  const Policy& policy(PolicyId policy) const { return policies_[policy]; }
  UserId group_owner(GroupId group) const { return group_owner_[group]; }
  std::span<const UserId> members(GroupId group) const;
  std::span<const Notification> member_notifications(GroupId group) const;
  std::span<const UserId> delegates(UserId delegator) const;
  std::span<const Permissions> delegate_permissions(UserId delegator) const;
  std::span<const GroupId> memberships(UserId member) const;
  std::span<const UserId> delegators(UserId delegate) const;
  CallingSettings settings(UserId user) const;

  // Bytes held by the routing tables (records, traits, CSR arrays, policy
  // table), without the UPN strings and their index.
  std::size_t routing_bytes() const;

  // Changes. Each checks all it needs first: on refusal nothing changed.
  // A group needs at least one member; the new group has the next id.
  ChangeStatus CreateGroup(UserId owner, RingOrder order,
                           std::span<const MemberSpec> members);
  // The last group takes the freed id, so group ids stay dense.
  ChangeStatus RemoveGroup(UserId owner);
  // Appends the member at the end of the owner's list.
  ChangeStatus AddMember(UserId owner, MemberSpec member);
  // Removing the last member removes the group, as RemoveGroup does.
  ChangeStatus RemoveMember(UserId owner, UserId member);
  ChangeStatus SetMemberNotification(UserId owner, UserId member,
                                     Notification notification);
  ChangeStatus AddDelegate(UserId delegator, UserId delegate,
                           Permissions permissions);
  ChangeStatus RemoveDelegate(UserId delegator, UserId delegate);
  ChangeStatus SetPolicy(PolicyId policy, const Policy& value);
  ChangeStatus AddPolicy(std::string_view name, const Policy& value);
  ChangeStatus AssignPolicy(UserId user, PolicyId policy);
  ChangeStatus SetEligibility(UserId user, bool teams_only, bool voice_enabled);
  ChangeStatus SetCallingSettings(UserId user, const CallingSettings& settings);
  // Refused when the current tables break the new profile.
  ChangeStatus SetLimits(const LimitProfile& limits);
  // Adds a phone number (E.164) to the phone table, or finds it.
  PhoneId InternPhone(std::string_view number);

  // Stale relationships, ineligible owners and members, forward cycles and
  // oversized InOrder groups, in a stable order (by user id).
  std::vector<AuditFinding> Audit() const;

  // Removes every stale relationship: groups whose owner's policy forbids
  // call groups, delegations whose delegator's policy forbids delegation,
  // and settings that pointed at them (forwarding off, unanswered to
  // voicemail).
  CleanupReport Cleanup();

  // Aborts with the broken invariant when the tables are inconsistent.
  void CheckInvariants() const;

 private:
  // The builder and the shared table helpers live in the .cc files.
  friend class TenantBuilder;
  friend class TenantTables;

  LimitProfile limits_;

  // Users, in id order.
  HugeVector<UserRecord> users_;
  HugeVector<std::uint8_t> traits_;
  std::string upn_chars_;
  HugeVector<std::uint32_t> upn_offsets_;  // user_count() + 1

  // The UPN index: open addressing, linear probing, at most half full. A
  // slot keeps 32 bits of the UPN's hash beside the user, so a probe turns
  // down another UPN without reading upn_offsets_ and upn_chars_ (two
  // cache misses at a million users). A free slot has user kNoUser.
  struct UpnSlot {
    UserId user = kNoUser;
    std::uint32_t fingerprint = 0;
  };
  HugeVector<UpnSlot> upn_slots_;

  // Policies; 0 is Global.
  std::vector<Policy> policies_;
  std::vector<std::string> policy_names_;

  // Phone numbers used as targets.
  std::vector<std::string> phones_;

  // Call groups.
  std::vector<UserId> group_owner_;
  HugeVector<std::uint32_t> member_offsets_{0};
  HugeVector<UserId> member_user_;
  HugeVector<Notification> member_notification_;
  std::vector<std::uint32_t> member_list_chars_;  // per group

  // Delegation, forward (ranges in UserRecord) and reverse.
  HugeVector<UserId> delegate_user_;
  HugeVector<Permissions> delegate_permissions_;
  HugeVector<std::uint32_t> membership_offsets_{0};
  HugeVector<GroupId> membership_group_;
  HugeVector<std::uint32_t> delegator_offsets_{0};
  HugeVector<UserId> delegator_user_;
};

}  // namespace callshare

#endif  // CALLSHARE_TENANT_TENANT_H_
