#include "callshare/sim/admin_events.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "callshare/rng/distributions.h"

namespace callshare {
namespace {

// Counts a refusal for a limit; returns whether the change went through.
bool Tally(const ChangeStatus& status, std::uint64_t* limit_rejections) {
  if (!status.ok() && status.error().kind == ChangeError::Kind::kLimit) {
    ++*limit_rejections;
  }
  return status.ok();
}

// Parses `value` into `*field`; false when it is not a valid name.
template <typename Enum>
bool ParseInto(const std::string& value, Enum* field) {
  const std::optional<Enum> parsed = ParseEnum<Enum>(value);
  if (parsed) *field = *parsed;
  return parsed.has_value();
}

bool ParseBool(const std::string& value, bool* field) {
  if (value != "true" && value != "false") return false;
  *field = value == "true";
  return true;
}

// Sets the policies.csv column `field` of `policy`; false when unknown.
bool SetPolicyField(const std::string& field, const std::string& value,
                    Policy* policy) {
  if (field == "allow_call_groups") {
    return ParseBool(value, &policy->allow_call_groups);
  }
  if (field == "allow_delegation") {
    return ParseBool(value, &policy->allow_delegation);
  }
  if (field == "allow_call_forwarding_to_user") {
    return ParseBool(value, &policy->allow_call_forwarding_to_user);
  }
  if (field == "allow_call_forwarding_to_phone") {
    return ParseBool(value, &policy->allow_call_forwarding_to_phone);
  }
  if (field == "allow_voicemail") {
    return ParseInto(value, &policy->allow_voicemail);
  }
  if (field == "busy_on_busy") return ParseInto(value, &policy->busy_on_busy);
  if (field == "inbound_pstn_treatment") {
    return ParseInto(value, &policy->inbound_pstn_treatment);
  }
  return false;
}

bool Apply(const SetPolicyChange& change, Tenant* tenant, Xoshiro256pp&,
           std::uint64_t* rejections) {
  const std::optional<PolicyId> id = tenant->FindPolicy(change.policy);
  if (!id) return false;
  Policy policy = tenant->policy(*id);
  if (!SetPolicyField(change.field, change.value, &policy)) return false;
  return Tally(tenant->SetPolicy(*id, policy), rejections);
}

// The users a selector reaches, in id order.
std::vector<UserId> Select(const Tenant& tenant, UserSelector selector) {
  std::vector<UserId> users;
  for (UserId user = 0; user < tenant.user_count(); ++user) {
    const bool chosen = selector == UserSelector::kAll ||
                        (selector == UserSelector::kGroupOwners &&
                         tenant.user(user).group != kNoGroup) ||
                        (selector == UserSelector::kGroupMembers &&
                         !tenant.memberships(user).empty()) ||
                        (selector == UserSelector::kDelegators &&
                         tenant.user(user).delegate_count > 0);
    if (chosen) users.push_back(user);
  }
  return users;
}

// The first `count` entries of `users` after a partial shuffle.
void ChooseRandom(std::vector<UserId>* users, std::size_t count,
                  Xoshiro256pp& rng) {
  count = std::min(count, users->size());
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t j = i + UniformBelow(rng, users->size() - i);
    std::swap((*users)[i], (*users)[j]);
  }
  users->resize(count);
}

std::vector<UserId> AssignTargets(const AssignPolicyChange& change,
                                  const Tenant& tenant, Xoshiro256pp& rng) {
  std::vector<UserId> users;
  if (!change.users.empty()) {
    for (const std::string& upn : change.users) {
      if (std::optional<UserId> id = tenant.FindUser(upn)) users.push_back(*id);
    }
    return users;
  }
  users = Select(tenant, change.selector);
  const auto count =
      change.count != 0
          ? std::size_t{change.count}
          : static_cast<std::size_t>(change.share * double(users.size()) + 0.5);
  ChooseRandom(&users, count, rng);
  return users;
}

bool Apply(const AssignPolicyChange& change, Tenant* tenant, Xoshiro256pp& rng,
           std::uint64_t* rejections) {
  const std::optional<PolicyId> id = tenant->FindPolicy(change.policy);
  if (!id) return false;
  bool all_ok = true;
  for (UserId user : AssignTargets(change, *tenant, rng)) {
    all_ok &= Tally(tenant->AssignPolicy(user, *id), rejections);
  }
  return all_ok;
}

bool Apply(const CleanupChange&, Tenant* tenant, Xoshiro256pp&,
           std::uint64_t*) {
  tenant->Cleanup();
  return true;
}

// Looks up two UPNs; false when either is unknown.
bool FindPair(const Tenant& tenant, const std::string& a, const std::string& b,
              UserId* first, UserId* second) {
  const std::optional<UserId> x = tenant.FindUser(a);
  const std::optional<UserId> y = tenant.FindUser(b);
  if (!x || !y) return false;
  *first = *x;
  *second = *y;
  return true;
}

bool Apply(const AddMemberChange& change, Tenant* tenant, Xoshiro256pp&,
           std::uint64_t* rejections) {
  UserId owner, member;
  if (!FindPair(*tenant, change.owner, change.member, &owner, &member)) {
    return false;
  }
  return Tally(tenant->AddMember(owner, {member, change.notification}),
               rejections);
}

bool Apply(const RemoveMemberChange& change, Tenant* tenant, Xoshiro256pp&,
           std::uint64_t* rejections) {
  UserId owner, member;
  if (!FindPair(*tenant, change.owner, change.member, &owner, &member)) {
    return false;
  }
  return Tally(tenant->RemoveMember(owner, member), rejections);
}

// `size` distinct members for `owner`, drawn among everyone else.
std::vector<MemberSpec> DrawMembers(const Tenant& tenant, UserId owner,
                                    std::uint32_t size, Xoshiro256pp& rng) {
  std::vector<MemberSpec> members;
  const std::uint32_t users = tenant.user_count();
  for (std::uint32_t tries = 0; members.size() < size && tries < 16 * size;
       ++tries) {
    const auto user = static_cast<UserId>(UniformBelow(rng, users));
    const bool taken = std::any_of(
        members.begin(), members.end(),
        [user](const MemberSpec& spec) { return spec.user == user; });
    if (user != owner && !taken) members.push_back({user, Notification::kRing});
  }
  return members;
}

// Each of `count` users without a group tries to create one; every
// refusal counts, and a refusal changes nothing.
bool Apply(const CreateGroupsChange& change, Tenant* tenant, Xoshiro256pp& rng,
           std::uint64_t* rejections) {
  std::vector<UserId> owners;
  for (UserId user = 0; user < tenant->user_count(); ++user) {
    if (tenant->user(user).group == kNoGroup) owners.push_back(user);
  }
  ChooseRandom(&owners, change.count, rng);
  bool all_ok = true;
  for (UserId owner : owners) {
    const std::vector<MemberSpec> members =
        DrawMembers(*tenant, owner, change.size, rng);
    all_ok &=
        Tally(tenant->CreateGroup(owner, RingOrder::kSimultaneous, members),
              rejections);
  }
  return all_ok;
}

bool Apply(const AddDelegateChange& change, Tenant* tenant, Xoshiro256pp&,
           std::uint64_t* rejections) {
  UserId delegator, delegate;
  if (!FindPair(*tenant, change.delegator, change.delegate, &delegator,
                &delegate)) {
    return false;
  }
  return Tally(tenant->AddDelegate(delegator, delegate, change.permissions),
               rejections);
}

bool Apply(const RemoveDelegateChange& change, Tenant* tenant, Xoshiro256pp&,
           std::uint64_t* rejections) {
  UserId delegator, delegate;
  if (!FindPair(*tenant, change.delegator, change.delegate, &delegator,
                &delegate)) {
    return false;
  }
  return Tally(tenant->RemoveDelegate(delegator, delegate), rejections);
}

bool Apply(const SetLimitChange& change, Tenant* tenant, Xoshiro256pp&,
           std::uint64_t* rejections) {
  LimitProfile limits = tenant->limits();
  limits.Set(change.limit, change.value);
  return Tally(tenant->SetLimits(limits), rejections);
}

// A short line naming the change, for charts and logs.
std::string Describe(const AdminChange& change) {
  struct Describer {
    std::string operator()(const SetPolicyChange& c) const {
      return fmt::format("set_policy {} {}={}", c.policy, c.field, c.value);
    }
    std::string operator()(const AssignPolicyChange& c) const {
      return fmt::format("assign_policy {}", c.policy);
    }
    std::string operator()(const CleanupChange&) const { return "cleanup"; }
    std::string operator()(const AddMemberChange& c) const {
      return fmt::format("add_member {} {}", c.owner, c.member);
    }
    std::string operator()(const RemoveMemberChange& c) const {
      return fmt::format("remove_member {} {}", c.owner, c.member);
    }
    std::string operator()(const CreateGroupsChange& c) const {
      return fmt::format("create_groups count={} size={}", c.count, c.size);
    }
    std::string operator()(const AddDelegateChange& c) const {
      return fmt::format("add_delegate {} {}", c.delegator, c.delegate);
    }
    std::string operator()(const RemoveDelegateChange& c) const {
      return fmt::format("remove_delegate {} {}", c.delegator, c.delegate);
    }
    std::string operator()(const SetLimitChange& c) const {
      return fmt::format("set_limit {}={}", Name(c.limit), c.value);
    }
  };
  return std::visit(Describer{}, change);
}

// Collects the unknown names of one event as diagnostics.
class NameChecker {
 public:
  NameChecker(const AdminEvent& event, const Tenant& tenant,
              const std::string& file, Diagnostics* errors)
      : event_(event), tenant_(tenant), file_(file), errors_(errors) {}

  void operator()(const SetPolicyChange& c) { Policy("policy", c.policy); }
  void operator()(const AssignPolicyChange& c) {
    Policy("policy", c.policy);
    for (const std::string& upn : c.users) User("users", upn);
  }
  void operator()(const AddMemberChange& c) {
    User("owner", c.owner);
    User("member", c.member);
  }
  void operator()(const RemoveMemberChange& c) {
    User("owner", c.owner);
    User("member", c.member);
  }
  void operator()(const AddDelegateChange& c) {
    User("delegator", c.delegator);
    User("delegate", c.delegate);
  }
  void operator()(const RemoveDelegateChange& c) {
    User("delegator", c.delegator);
    User("delegate", c.delegate);
  }
  // These name nobody.
  void operator()(const CleanupChange&) {}
  void operator()(const CreateGroupsChange&) {}
  void operator()(const SetLimitChange&) {}

 private:
  void User(std::string_view key, const std::string& upn) {
    if (!tenant_.FindUser(upn)) Report(key, "user", upn);
  }
  void Policy(std::string_view key, const std::string& name) {
    if (!tenant_.FindPolicy(name)) Report(key, "policy", name);
  }
  void Report(std::string_view key, std::string_view what,
              const std::string& name) {
    errors_->push_back({Diagnostic::Severity::kError, file_, event_.line,
                        fmt::format("events[{}].{}", event_.position, key),
                        fmt::format("unknown {} \"{}\"", what, name)});
  }

  const AdminEvent& event_;
  const Tenant& tenant_;
  const std::string& file_;
  Diagnostics* errors_;
};

}  // namespace

bool CheckAdminEventNames(std::span<const AdminEvent> events,
                          const Tenant& tenant, const std::string& file,
                          Diagnostics* errors) {
  const std::size_t before = errors->size();
  // Findings in file order, as the loader reports the file's own.
  std::vector<const AdminEvent*> in_file_order;
  for (const AdminEvent& event : events) in_file_order.push_back(&event);
  std::ranges::stable_sort(in_file_order, {}, &AdminEvent::position);
  for (const AdminEvent* event : in_file_order) {
    std::visit(NameChecker(*event, tenant, file, errors), event->change);
  }
  return errors->size() == before;
}

AppliedEvent ApplyAdminEvent(const AdminEvent& event, Tenant* tenant,
                             Xoshiro256pp& rng,
                             std::uint64_t* limit_rejections) {
  const bool ok = std::visit(
      [&](const auto& change) {
        return Apply(change, tenant, rng, limit_rejections);
      },
      event.change);
  return AppliedEvent{event.at_s, Describe(event.change), !ok};
}

}  // namespace callshare
