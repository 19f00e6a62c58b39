// Tenant::Build: from directory rows to the flat routing tables.
//
// Algorithm: policies first (users name them), then users in row order
// with the UPN index, then settings (interning phones on first sight),
// then call groups and delegations. Members and delegates are bucketed by
// owner or delegator with one counting sort each, so the whole build is
// linear in the rows apart from sorting each group by position. Every
// problem becomes a Diagnostic; any error means no tables.
//
// Rows a reader rejected (RejectedRows) are checked as far as they were
// read, so that no error waits for another run: rejected users and
// policies whose key parsed are added in line order with the others, so
// that references to them resolve and a duplicate names the later line.
// When a users.csv or policies.csv row was lost whole, a name found in no
// row may be in it, so "unknown user" and "unknown policy" are not
// reported. Rows of the other files that were rejected are simply absent:
// without them counts can only be lower and pairs fewer, so every limit,
// duplicate and position error still found is real. Anything rejected
// means no tables.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <string>
#include <unordered_map>

#include "callshare/tenant/tenant.h"
#include "tenant_tables.h"

namespace callshare {
namespace {

constexpr std::size_t kMaxPolicies = 65'536;
static_assert(kMaxPolicies - 1 == std::numeric_limits<PolicyId>::max(),
              "policy ids are 16 bits");

// Rows whose UPNs are looked up together. A block's strings and ids stay
// in L2 between gathering and checking.
constexpr std::size_t kResolveBlock = 1024;

// A member row resolved to ids, kept until the group is sorted.
struct MemberEntry {
  GroupId group;
  std::uint32_t position;
  UserId member;
  std::uint32_t member_chars;  // the length of the member's UPN
  std::uint32_t line;
  Notification notification;
};

// The state of resolving member rows, carried from row to row.
struct MemberResolution {
  std::vector<MemberEntry> entries;
  std::vector<std::uint32_t> memberships;  // per user, so far
  bool group_limit_reported = false;
};

// UPNs gathered from a block of rows and looked up together, which lets
// TenantTables::FindUsers overlap their cache misses.
class UpnBatch {
 public:
  explicit UpnBatch(const Tenant& tenant) : tenant_(tenant) {}

  void Add(std::string_view upn) { upns_.push_back(upn); }

  // Looks up the UPNs added since the last Run; Next then hands out their
  // users (kNoUser when unknown) in the order they were added.
  void Run() {
    users_.resize(upns_.size());
    TenantTables::FindUsers(tenant_, upns_, users_);
    upns_.clear();
    next_ = 0;
  }
  UserId Next() { return users_[next_++]; }

 private:
  const Tenant& tenant_;
  std::vector<std::string_view> upns_;
  std::vector<UserId> users_;
  std::size_t next_ = 0;
};

// A delegate row resolved to ids.
struct DelegateEntry {
  UserId delegator;
  UserId delegate;
  Permissions permissions;
  std::uint32_t line;
};

// Calls visit(row, rejected) for every row of `kept` and `rejected`, in
// line order; both are in line order already.
template <typename Row, typename Visit>
void InLineOrder(const std::vector<Row>& kept, const std::vector<Row>& rejected,
                 Visit visit) {
  auto next = rejected.begin();
  for (const Row& row : kept) {
    for (; next != rejected.end() && next->line < row.line; ++next) {
      visit(*next, true);
    }
    visit(row, false);
  }
  for (; next != rejected.end(); ++next) visit(*next, true);
}

Policy ToPolicy(const PolicyRow& row) {
  return {row.allow_call_groups,
          row.allow_delegation,
          row.allow_call_forwarding_to_user,
          row.allow_call_forwarding_to_phone,
          row.allow_voicemail,
          row.busy_on_busy,
          row.inbound_pstn_treatment};
}

}  // namespace

class TenantBuilder {
 public:
  TenantBuilder(const Directory& directory, const RejectedRows& rejected,
                const LimitProfile& limits, Diagnostics* errors)
      : directory_(directory), rejected_(rejected), errors_(errors) {
    tenant_.limits_ = limits;
  }

  std::optional<Tenant> Run() {
    if (auto problem = tenant_.limits_.Validate()) {
      Error("", 0, "limits", *problem);
    }
    AddPolicies();
    AddUsers();
    AddSettings();
    AddGroups();
    AddDelegates();
    if (failed_ || rejected_.any) return std::nullopt;
    TenantTables::RebuildMemberships(tenant_);
    TenantTables::RebuildDelegators(tenant_);
    return std::move(tenant_);
  }

 private:
  void Error(std::string_view file, std::uint32_t line, std::string_view field,
             std::string message) {
    failed_ = true;
    errors_->push_back({Diagnostic::Severity::kError, std::string(file), line,
                        std::string(field), std::move(message)});
  }

  void LimitBreach(std::string_view file, std::uint32_t line,
                   std::string_view field, LimitError error) {
    Error(file, line, field, error.Message());
  }

  // Not reported when a users.csv row was lost: it may be that user's.
  void UnknownUser(std::string_view file, std::uint32_t line,
                   std::string_view field, std::string_view upn) {
    if (rejected_.users_lost) return;
    Error(file, line, field, fmt::format("unknown user {}", upn));
  }

  // Calls look_up(i, batch) for each row index i of a block, which adds
  // the row's UPNs; runs the batch; then calls check(i, batch) for each
  // row of the block, which takes their users in the same order. Rows are
  // checked in order, so diagnostics come out as if looked up one by one.
  template <typename Row, typename LookUp, typename Check>
  void InBlocks(const std::vector<Row>& rows, LookUp look_up, Check check) {
    UpnBatch batch(tenant_);
    for (std::size_t begin = 0; begin < rows.size(); begin += kResolveBlock) {
      const std::size_t end = std::min(rows.size(), begin + kResolveBlock);
      for (std::size_t i = begin; i < end; ++i) look_up(i, batch);
      batch.Run();
      for (std::size_t i = begin; i < end; ++i) check(i, batch);
    }
  }

  // Policy 0 is Global; a Global row replaces its values.
  void AddPolicies() {
    tenant_.policies_.push_back(Policy{});
    tenant_.policy_names_.push_back("Global");
    policy_ids_.emplace("Global", kGlobalPolicy);
    InLineOrder(directory_.policies, rejected_.policies,
                [this](const PolicyRow& row, bool) { AddPolicy(row); });
  }

  void AddPolicy(const PolicyRow& row) {
    if (row.name == "Global" && !global_seen_) {
      global_seen_ = true;
      tenant_.policies_[kGlobalPolicy] = ToPolicy(row);
      return;
    }
    const auto id = static_cast<PolicyId>(tenant_.policies_.size());
    if (row.name.empty()) {
      Error(kPoliciesFile, row.line, "name", "empty policy name");
    } else if (!policy_ids_.try_emplace(row.name, id).second) {
      Error(kPoliciesFile, row.line, "name",
            fmt::format("duplicate policy {}", row.name));
    } else if (tenant_.policies_.size() == kMaxPolicies) {
      Error(kPoliciesFile, row.line, "name", "more than 65,536 policies");
    } else {
      tenant_.policies_.push_back(ToPolicy(row));
      tenant_.policy_names_.push_back(row.name);
    }
  }

  void AddUsers() {
    const std::size_t count = directory_.users.size() + rejected_.users.size();
    tenant_.users_.reserve(count);
    tenant_.traits_.reserve(count);
    tenant_.upn_offsets_.reserve(count + 1);
    tenant_.upn_offsets_.push_back(0);
    std::size_t chars = 0;
    for (const UserRow& row : directory_.users) chars += row.upn.size();
    for (const UserRow& row : rejected_.users) chars += row.upn.size();
    tenant_.upn_chars_.reserve(chars);
    // At most half full, so a miss probes about two slots.
    tenant_.upn_slots_.assign(
        std::bit_ceil(std::max<std::size_t>(16, 2 * count)), {});
    InLineOrder(
        directory_.users, rejected_.users,
        [this](const UserRow& row, bool rejected) { AddUser(row, rejected); });
  }

  // A rejected row's calling_policy is empty when it did not parse, which
  // the reader has reported.
  void AddUser(const UserRow& row, bool rejected) {
    if (row.upn.empty() || row.upn.find('@') == std::string::npos) {
      Error(kUsersFile, row.line, "upn",
            fmt::format("'{}' is not a UPN (name@domain)", row.upn));
    }
    UserRecord record;
    const auto policy = policy_ids_.find(row.calling_policy);
    const bool policy_read = !(rejected && row.calling_policy.empty());
    if (policy != policy_ids_.end()) {
      record.policy = policy->second;
    } else if (policy_read && !rejected_.policies_lost) {
      Error(kUsersFile, row.line, "calling_policy",
            fmt::format("unknown policy {}", row.calling_policy));
    }
    if (row.teams_only) record.flags |= UserRecord::kTeamsOnly;
    if (row.voice_enabled) record.flags |= UserRecord::kVoiceEnabled;
    record.flags |= UserRecord::kUnanswered;
    if (!IndexUpn(row)) return;
    tenant_.users_.push_back(record);
    tenant_.traits_.push_back(TenantTables::MakeTraits(record));
  }

  // Adds the row's UPN to the chars and the index; false for a duplicate.
  // Prefetching the slots of the next rows measured no faster: inserts do
  // not wait on each other, so the CPU overlaps their misses already.
  bool IndexUpn(const UserRow& row) {
    auto& slots = tenant_.upn_slots_;
    const std::uint64_t hash = TenantTables::UpnHash(row.upn);
    const std::size_t mask = slots.size() - 1;
    const std::uint32_t fingerprint = TenantTables::Fingerprint(hash);
    std::size_t slot = hash & mask;
    for (; slots[slot].user != kNoUser; slot = (slot + 1) & mask) {
      if (slots[slot].fingerprint == fingerprint &&
          tenant_.upn(slots[slot].user) == row.upn) {
        Error(kUsersFile, row.line, "upn",
              fmt::format("duplicate UPN {}", row.upn));
        return false;
      }
    }
    slots[slot] = {static_cast<UserId>(tenant_.users_.size()), fingerprint};
    tenant_.upn_chars_ += row.upn;
    tenant_.upn_offsets_.push_back(
        static_cast<std::uint32_t>(tenant_.upn_chars_.size()));
    return true;
  }

  void AddSettings() {
    const std::vector<SettingsRow>& rows = directory_.settings;
    std::vector<bool> seen(tenant_.users_.size(), false);
    auto look_up = [&](std::size_t i, UpnBatch& batch) {
      batch.Add(rows[i].upn);
    };
    auto check = [&](std::size_t i, UpnBatch& batch) {
      const SettingsRow& row = rows[i];
      const UserId user = batch.Next();
      if (user == kNoUser) {
        UnknownUser(kSettingsFile, row.line, "upn", row.upn);
      } else if (seen[user]) {
        Error(kSettingsFile, row.line, "upn",
              fmt::format("second settings row for {}", row.upn));
      } else {
        seen[user] = true;
        AddSettingsRow(user, row);
      }
    };
    InBlocks(rows, look_up, check);
  }

  void AddSettingsRow(UserId user, const SettingsRow& row) {
    CallingSettings settings;
    std::vector<std::string_view> reported;
    settings.forwarding = row.forwarding;
    settings.forwarding_type = row.forwarding_type;
    settings.forwarding_target_type = row.forwarding_target_type;
    settings.forwarding_target =
        ResolveTarget(row, row.forwarding_target_type, row.forwarding_target,
                      "forwarding_target", &reported);
    settings.unanswered = row.unanswered;
    settings.unanswered_target_type = row.unanswered_target_type;
    settings.unanswered_target =
        ResolveTarget(row, row.unanswered_target_type, row.unanswered_target,
                      "unanswered_target", &reported);
    settings.unanswered_delay_s = static_cast<std::uint8_t>(
        std::min<std::uint32_t>(row.unanswered_delay_s, 255));
    if (!IsAllowedUnansweredDelay(row.unanswered_delay_s)) {
      settings.unanswered_delay_s = 0;  // reported below as not allowed
    }
    settings.call_group_order = row.call_group_order;
    settings.notification_override = row.notification_override;
    settings.busy_on_busy_option = row.busy_on_busy_option;
    ReportSettings(user, row, settings, reported);
    TenantTables::ApplySettings(tenant_, user, settings);
  }

  void ReportSettings(UserId user, const SettingsRow& row,
                      const CallingSettings& settings,
                      const std::vector<std::string_view>& reported) {
    for (auto& problem : TenantTables::CheckSettings(tenant_, user, settings)) {
      if (std::find(reported.begin(), reported.end(), problem.field) !=
          reported.end()) {
        continue;
      }
      if (problem.field == "unanswered_delay_s") {
        problem.message = fmt::format(
            "unanswered delay of {} is {} s; allowed: 5, 10, 15, 20, 30, 40, "
            "50, 60",
            row.upn, row.unanswered_delay_s);
      }
      Error(kSettingsFile, row.line, problem.field, std::move(problem.message));
    }
  }

  // A SingleTarget target: a phone (interned) or a known UPN. Other target
  // types keep no target.
  TargetRef ResolveTarget(const SettingsRow& row, TargetType type,
                          const std::string& text, std::string_view field,
                          std::vector<std::string_view>* reported) {
    if (type != TargetType::kSingleTarget || text.empty()) return kNoTarget;
    if (IsE164(text)) return PhoneTarget(Intern(text));
    if (auto user = tenant_.FindUser(text)) return *user;
    reported->push_back(field);
    if (rejected_.users_lost) return kNoTarget;  // as in UnknownUser
    Error(kSettingsFile, row.line, field,
          fmt::format("target {} of {} is neither a known UPN nor an E.164 "
                      "number",
                      text, row.upn));
    return kNoTarget;
  }

  PhoneId Intern(const std::string& number) {
    auto [it, inserted] = phone_ids_.try_emplace(
        number, static_cast<PhoneId>(tenant_.phones_.size()));
    if (inserted) tenant_.phones_.push_back(number);
    return it->second;
  }

  // Resolves member rows, numbering groups by their owner's first row.
  // An owner repeats on every row of its group, but looking it up again
  // costs nothing measurable: its lines are still in cache from the row
  // before.
  std::vector<MemberEntry> ResolveMembers() {
    const std::vector<MemberRow>& rows = directory_.members;
    MemberResolution state;
    state.entries.reserve(rows.size());
    state.memberships.assign(tenant_.users_.size(), 0);
    auto look_up = [&](std::size_t i, UpnBatch& batch) {
      batch.Add(rows[i].owner_upn);
      batch.Add(rows[i].member_upn);
    };
    auto check = [&](std::size_t i, UpnBatch& batch) {
      const UserId owner = batch.Next();
      ResolveMember(rows[i], owner, batch.Next(), &state);
    };
    InBlocks(rows, look_up, check);
    return std::move(state.entries);
  }

  void ResolveMember(const MemberRow& row, UserId owner, UserId member,
                     MemberResolution* state) {
    if (owner == kNoUser) {
      UnknownUser(kMembersFile, row.line, "owner_upn", row.owner_upn);
    }
    if (member == kNoUser) {
      UnknownUser(kMembersFile, row.line, "member_upn", row.member_upn);
    }
    if (owner == kNoUser || member == kNoUser) return;
    if (owner == member) {
      Error(kMembersFile, row.line, "member_upn",
            fmt::format("{} cannot be a member of their own call group",
                        row.owner_upn));
      return;
    }
    const GroupId group = GroupOf(row, owner, state);
    if (group == kNoGroup) return;
    CountMembership(row, member, &state->memberships);
    state->entries.push_back({group, row.position, member,
                              static_cast<std::uint32_t>(row.member_upn.size()),
                              row.line, row.notification});
  }

  // The owner's group, numbered on its first row; kNoGroup past the limit.
  GroupId GroupOf(const MemberRow& row, UserId owner, MemberResolution* state) {
    GroupId& group = tenant_.users_[owner].group;
    if (group != kNoGroup) return group;
    const auto count = tenant_.group_owner_.size();
    if (count >= tenant_.limits_.groups_per_tenant) {
      if (!state->group_limit_reported) {
        state->group_limit_reported = true;
        LimitBreach(kMembersFile, row.line, "owner_upn",
                    {Limit::kGroupsPerTenant, "tenant", count + 1,
                     tenant_.limits_.groups_per_tenant});
      }
      return kNoGroup;
    }
    group = static_cast<GroupId>(count);
    tenant_.group_owner_.push_back(owner);
    return group;
  }

  // Memberships per user, counted in row order so that the row that goes
  // over is the one named.
  void CountMembership(const MemberRow& row, UserId member,
                       std::vector<std::uint32_t>* memberships) {
    const std::uint32_t limit = tenant_.limits_.memberships_per_user;
    if (++(*memberships)[member] != std::uint64_t{limit} + 1) return;
    LimitBreach(
        kMembersFile, row.line, "member_upn",
        {Limit::kMembershipsPerUser, row.member_upn, limit + 1ull, limit});
  }

  // Counting sort by group, keeping row order within a group. Rows that
  // come grouped by owner are in group order already and stay in place.
  std::vector<std::uint32_t> BucketByGroup(std::vector<MemberEntry>* entries) {
    const std::size_t groups = tenant_.group_owner_.size();
    std::vector<std::uint32_t> offsets(groups + 1, 0);
    for (const MemberEntry& entry : *entries) ++offsets[entry.group + 1];
    for (std::size_t g = 0; g < groups; ++g) offsets[g + 1] += offsets[g];
    auto by_group = [](const MemberEntry& a, const MemberEntry& b) {
      return a.group < b.group;
    };
    if (std::is_sorted(entries->begin(), entries->end(), by_group)) {
      return offsets;
    }
    std::vector<MemberEntry> sorted(entries->size());
    std::vector<std::uint32_t> fill(offsets.begin(), offsets.end() - 1);
    for (const MemberEntry& entry : *entries) {
      sorted[fill[entry.group]++] = entry;
    }
    *entries = std::move(sorted);
    return offsets;
  }

  void AddGroups() {
    std::vector<MemberEntry> entries = ResolveMembers();
    const std::vector<std::uint32_t> offsets = BucketByGroup(&entries);
    std::vector<GroupId> last_group(tenant_.users_.size(), kNoGroup);
    const std::size_t groups = tenant_.group_owner_.size();
    tenant_.member_user_.reserve(entries.size());
    tenant_.member_notification_.reserve(entries.size());
    tenant_.member_offsets_.reserve(groups + 1);
    tenant_.member_list_chars_.reserve(groups);
    for (GroupId g = 0; g < groups; ++g) {
      AddGroup(
          g,
          std::span(entries).subspan(offsets[g], offsets[g + 1] - offsets[g]),
          &last_group);
    }
  }

  // Checks one group's rows (in row order), sorts them by position and
  // appends them to the CSR arrays.
  void AddGroup(GroupId group, std::span<MemberEntry> rows,
                std::vector<GroupId>* last_group) {
    const std::string_view owner = tenant_.upn(tenant_.group_owner_[group]);
    const LimitProfile& limits = tenant_.limits_;
    std::uint64_t chars = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const MemberEntry& row = rows[i];
      if ((*last_group)[row.member] == group) {
        Error(kMembersFile, row.line, "member_upn",
              fmt::format("{} is already a member of the call group of {}",
                          tenant_.upn(row.member), owner));
      }
      (*last_group)[row.member] = group;
      const std::uint64_t before = chars;
      chars += row.member_chars;
      if (i == limits.members_per_group) {
        LimitBreach(kMembersFile, row.line, "member_upn",
                    {Limit::kMembersPerGroup, std::string(owner), i + 1,
                     limits.members_per_group});
      }
      if (before <= limits.member_list_chars &&
          chars > limits.member_list_chars) {
        LimitBreach(kMembersFile, row.line, "member_upn",
                    {Limit::kMemberListChars, std::string(owner), chars,
                     limits.member_list_chars});
      }
    }
    SortByPosition(rows, owner);
    for (const MemberEntry& row : rows) {
      tenant_.member_user_.push_back(row.member);
      tenant_.member_notification_.push_back(row.notification);
    }
    tenant_.member_offsets_.push_back(
        static_cast<std::uint32_t>(tenant_.member_user_.size()));
    tenant_.member_list_chars_.push_back(static_cast<std::uint32_t>(chars));
  }

  void SortByPosition(std::span<MemberEntry> rows, std::string_view owner) {
    auto by_position = [](const MemberEntry& a, const MemberEntry& b) {
      return a.position < b.position;
    };
    // Rows usually come in position order; skipping the sort then saves
    // stable_sort's buffer allocation per group.
    if (!std::is_sorted(rows.begin(), rows.end(), by_position)) {
      std::stable_sort(rows.begin(), rows.end(), by_position);
    }
    for (std::size_t i = 1; i < rows.size(); ++i) {
      if (rows[i].position != rows[i - 1].position) continue;
      Error(kMembersFile, std::max(rows[i].line, rows[i - 1].line), "position",
            fmt::format("position {} appears twice in the call group of {}",
                        rows[i].position, owner));
    }
  }

  // Resolves delegate rows and counts delegators per delegate in row order.
  std::vector<DelegateEntry> ResolveDelegates() {
    const std::vector<DelegateRow>& rows = directory_.delegates;
    std::vector<DelegateEntry> entries;
    entries.reserve(rows.size());
    std::vector<std::uint32_t> delegators(tenant_.users_.size(), 0);
    auto look_up = [&](std::size_t i, UpnBatch& batch) {
      batch.Add(rows[i].delegator_upn);
      batch.Add(rows[i].delegate_upn);
    };
    auto check = [&](std::size_t i, UpnBatch& batch) {
      const UserId delegator = batch.Next();
      const UserId delegate = batch.Next();
      ResolveDelegate(rows[i], delegator, delegate, &delegators, &entries);
    };
    InBlocks(rows, look_up, check);
    return entries;
  }

  void ResolveDelegate(const DelegateRow& row, UserId delegator,
                       UserId delegate, std::vector<std::uint32_t>* delegators,
                       std::vector<DelegateEntry>* entries) {
    if (delegator == kNoUser) {
      UnknownUser(kDelegatesFile, row.line, "delegator_upn", row.delegator_upn);
    }
    if (delegate == kNoUser) {
      UnknownUser(kDelegatesFile, row.line, "delegate_upn", row.delegate_upn);
    }
    if (delegator == kNoUser || delegate == kNoUser) return;
    if (delegator == delegate) {
      Error(kDelegatesFile, row.line, "delegate_upn",
            fmt::format("{} cannot be their own delegate", row.delegate_upn));
      return;
    }
    const std::uint32_t limit = tenant_.limits_.delegators_per_delegate;
    if (++(*delegators)[delegate] == std::uint64_t{limit} + 1) {
      LimitBreach(kDelegatesFile, row.line, "delegate_upn",
                  {Limit::kDelegatorsPerDelegate, row.delegate_upn,
                   limit + 1ull, limit});
    }
    entries->push_back({delegator, delegate, row.permissions, row.line});
  }

  void AddDelegates() {
    std::vector<DelegateEntry> entries = ResolveDelegates();
    const std::size_t users = tenant_.users_.size();

    // Counting sort by delegator, keeping row order per delegator.
    std::vector<std::uint32_t> offsets(users + 1, 0);
    for (const DelegateEntry& entry : entries) ++offsets[entry.delegator + 1];
    for (std::size_t u = 0; u < users; ++u) offsets[u + 1] += offsets[u];
    std::vector<DelegateEntry> sorted(entries.size());
    std::vector<std::uint32_t> fill(offsets.begin(), offsets.end() - 1);
    for (const DelegateEntry& entry : entries) {
      sorted[fill[entry.delegator]++] = entry;
    }

    // Lay out each delegator's range, checking duplicates and the limit.
    std::vector<UserId> last_delegator(users, kNoUser);
    tenant_.delegate_user_.reserve(sorted.size());
    tenant_.delegate_permissions_.reserve(sorted.size());
    for (UserId delegator = 0; delegator < users; ++delegator) {
      AddDelegatesOf(
          delegator,
          std::span(sorted).subspan(
              offsets[delegator], offsets[delegator + 1] - offsets[delegator]),
          &last_delegator);
    }
  }

  void AddDelegatesOf(UserId delegator, std::span<const DelegateEntry> rows,
                      std::vector<UserId>* last_delegator) {
    UserRecord& record = tenant_.users_[delegator];
    record.delegates_begin =
        static_cast<std::uint32_t>(tenant_.delegate_user_.size());
    const std::uint32_t limit = tenant_.limits_.delegates_per_user;
    std::uint32_t count = 0;
    for (const DelegateEntry& row : rows) {
      if ((*last_delegator)[row.delegate] == delegator) {
        Error(kDelegatesFile, row.line, "delegate_upn",
              fmt::format("{} is already a delegate of {}",
                          tenant_.upn(row.delegate), tenant_.upn(delegator)));
        continue;
      }
      (*last_delegator)[row.delegate] = delegator;
      if (++count == std::uint64_t{limit} + 1) {
        LimitBreach(kDelegatesFile, row.line, "delegate_upn",
                    {Limit::kDelegatesPerUser,
                     std::string(tenant_.upn(delegator)), count, limit});
      }
      if (count > limit) continue;
      tenant_.delegate_user_.push_back(row.delegate);
      tenant_.delegate_permissions_.push_back(row.permissions);
    }
    record.delegate_count = static_cast<std::uint8_t>(
        tenant_.delegate_user_.size() - record.delegates_begin);
  }

  const Directory& directory_;
  const RejectedRows& rejected_;
  Diagnostics* errors_;
  Tenant tenant_;
  bool failed_ = false;
  bool global_seen_ = false;
  std::unordered_map<std::string_view, PolicyId> policy_ids_;
  std::unordered_map<std::string_view, PhoneId> phone_ids_;
};

std::optional<Tenant> Tenant::Build(const Directory& directory,
                                    const LimitProfile& limits,
                                    Diagnostics* errors,
                                    const RejectedRows& rejected) {
  return TenantBuilder(directory, rejected, limits, errors).Run();
}

}  // namespace callshare
