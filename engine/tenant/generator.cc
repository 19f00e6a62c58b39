// A synthetic tenant directory, drawn from one xoshiro256++ stream so that a
// seed always gives the same rows.
//
// Algorithm: users first (UPN, eligibility, policy), then call group owners
// (a uniform sample without replacement), then each group's members, then
// delegates, and last each user's calling settings, which depend on whether
// the user owns a group or has delegates. Members and delegates are drawn
// uniformly and redrawn when they would break a limit; when redraws keep
// failing, as they do in a tenant close to its limits, a scan from a random
// start finds the next user that still fits, so generation always ends.
//
// Rows come out in the tenant's canonical order (users by id, groups by
// owner id, members by position, delegates by delegate id within a
// delegator), so that writing, loading and exporting a generated directory
// gives the same files.
#include "callshare/tenant/generator.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <string_view>
#include <vector>

#include "callshare/rng/distributions.h"
#include "callshare/rng/xoshiro.h"

namespace callshare {
namespace {

constexpr std::array<std::string_view, 24> kFirstNames = {
    "ana",   "ben",  "chen", "dara",  "eli", "fatima", "gus",  "hana",
    "ivan",  "jo",   "kofi", "lena",  "mei", "nils",   "omar", "priya",
    "quinn", "rosa", "sami", "tariq", "uma", "vera",   "wen",  "yusuf"};
constexpr std::array<std::string_view, 24> kLastNames = {
    "adams", "berg",  "costa", "diaz",   "ekberg", "fox",   "garcia", "haas",
    "ito",   "jones", "khan",  "lopez",  "meyer",  "novak", "okafor", "patel",
    "quist", "rossi", "silva", "tanaka", "ueda",   "vogel", "weber",  "young"};

// The policies besides Global and the share of users each is assigned.
// Small shares, as in a real tenant; NoCallGroups and NoDelegation land on
// some owners and delegators, which makes their relationships stale.
struct NamedPolicy {
  const char* name;
  double share;
};
constexpr std::array<NamedPolicy, 4> kNamedPolicies = {{
    {"NoCallGroups", 0.01},
    {"NoDelegation", 0.01},
    {"PstnToVoicemail", 0.02},
    {"BusyOnBusy", 0.02},
}};

// The notification of a membership: mostly Ring, as Teams defaults to it.
constexpr double kBannerShare = 0.15;
constexpr double kMuteShare = 0.05;

// Of the InOrder groups, the share drawn at any size rather than within
// the in-order limit, so that an audit finds groups that will ring all at
// once despite their order.
constexpr double kLargeInOrderShare = 0.05;

// Delegates per delegator are drawn in [1, kMaxDelegatesDrawn].
constexpr std::uint32_t kMaxDelegatesDrawn = 4;

// Users with an override of every group notification, and with a
// busy-on-busy option other than the default.
constexpr double kOverrideShare = 0.02;
constexpr double kBusyOptionShare = 0.02;
// Users who are not owners, delegators or forwarders but changed what
// happens to unanswered calls.
constexpr double kUnansweredShare = 0.03;

// Uniform redraws before a limit-bound pick falls back to scanning.
constexpr int kRedraws = 32;

constexpr std::array<std::uint32_t, 8> kDelays = {5,  10, 15, 20,
                                                  30, 40, 50, 60};

// What the generator knows about a user beyond its row.
enum Role : std::uint8_t {
  kOwner = 1 << 0,
  kInOrderOwner = 1 << 1,
  kDelegator = 1 << 2,
};

class Generator {
 public:
  Generator(const GeneratorOptions& options, const LimitProfile& limits)
      : options_(options),
        limits_(limits),
        rng_(options.seed),
        roles_(options.users, 0),
        memberships_(options.users, 0),
        delegators_(options.users, 0) {}

  Directory Run() {
    AddPolicies();
    AddUsers();
    AddGroups();
    AddDelegates();
    AddSettings();
    return std::move(directory_);
  }

 private:
  std::uint32_t UserCount() const { return options_.users; }

  std::uint32_t Below(std::uint64_t n) {
    return static_cast<std::uint32_t>(UniformBelow(rng_, n));
  }

  // A user other than `self`. REQUIRES: at least two users.
  std::uint32_t OtherUser(std::uint32_t self) {
    const std::uint32_t other = Below(UserCount() - 1);
    return other >= self ? other + 1 : other;
  }

  const std::string& Upn(std::uint32_t user) const {
    return directory_.users[user].upn;
  }

  void AddPolicies() {
    directory_.policies.push_back(PolicyRow{.name = "Global"});
    PolicyRow no_groups{.name = kNamedPolicies[0].name};
    no_groups.allow_call_groups = false;
    PolicyRow no_delegation{.name = kNamedPolicies[1].name};
    no_delegation.allow_delegation = false;
    PolicyRow pstn{.name = kNamedPolicies[2].name};
    pstn.inbound_pstn_treatment = PstnTreatment::kVoicemail;
    PolicyRow busy{.name = kNamedPolicies[3].name};
    busy.busy_on_busy = BusyOnBusyPolicy::kEnabled;
    for (PolicyRow* row : {&no_groups, &no_delegation, &pstn, &busy}) {
      directory_.policies.push_back(std::move(*row));
    }
  }

  void AddUsers() {
    directory_.users.reserve(UserCount());
    for (std::uint32_t user = 0; user < UserCount(); ++user) {
      UserRow row;
      row.upn = MakeUpn(user);
      DrawEligibility(&row);
      row.calling_policy = DrawPolicy();
      directory_.users.push_back(std::move(row));
    }
  }

  // first.last.N@domain: the index keeps UPNs unique, the names keep them
  // readable in reports.
  std::string MakeUpn(std::uint32_t user) {
    const std::string_view first = kFirstNames[Below(kFirstNames.size())];
    const std::string_view last = kLastNames[Below(kLastNames.size())];
    char number[12];
    const auto digits = std::to_chars(number, number + sizeof number, user);
    std::string upn;
    upn.reserve(first.size() + last.size() + options_.domain.size() + 14);
    upn.append(first).append(".").append(last).append(".");
    upn.append(number, digits.ptr).append("@").append(options_.domain);
    return upn;
  }

  // An ineligible user lacks Teams Only mode, voice, or both.
  void DrawEligibility(UserRow* row) {
    if (!Bernoulli(rng_, options_.ineligible_share)) return;
    const std::uint32_t kind = Below(5);
    row->teams_only = kind >= 2 && kind < 4;
    row->voice_enabled = kind < 2;
  }

  std::string DrawPolicy() {
    double draw = UniformDouble(rng_);
    for (const NamedPolicy& policy : kNamedPolicies) {
      if (draw < policy.share) return policy.name;
      draw -= policy.share;
    }
    return "Global";
  }

  // The largest group the options and limits allow; a user is never a
  // member of their own group.
  std::uint32_t MaxGroupSize() const {
    return std::min(
        {options_.max_group_size, limits_.members_per_group, UserCount() - 1});
  }

  std::uint32_t DrawGroupSize(RingOrder order) {
    const std::uint32_t high = MaxGroupSize();
    const std::uint32_t low = std::min(options_.min_group_size, high);
    if (options_.full_groups) return high;
    std::uint32_t top = high;
    if (order == RingOrder::kInOrder && !Bernoulli(rng_, kLargeInOrderShare)) {
      top = std::max(low, std::min(high, limits_.in_order_members));
    }
    return low + Below(top - low + 1);
  }

  // Owners are a uniform sample without replacement (Floyd's method), so
  // the cost is in the number of groups, not of users.
  std::vector<std::uint32_t> DrawOwners(std::uint32_t count) {
    for (std::uint32_t j = UserCount() - count; j < UserCount(); ++j) {
      const std::uint32_t pick = Below(j + 1);
      const std::uint32_t owner = (roles_[pick] & kOwner) ? j : pick;
      roles_[owner] |= kOwner;
    }
    std::vector<std::uint32_t> owners;
    owners.reserve(count);
    for (std::uint32_t user = 0; user < UserCount(); ++user) {
      if (roles_[user] & kOwner) owners.push_back(user);
    }
    return owners;
  }

  void AddGroups() {
    if (UserCount() < 2 || MaxGroupSize() == 0) return;
    const std::uint32_t count =
        std::min({options_.groups, limits_.groups_per_tenant, UserCount()});
    for (const std::uint32_t owner : DrawOwners(count)) {
      const RingOrder order = Bernoulli(rng_, options_.in_order_share)
                                  ? RingOrder::kInOrder
                                  : RingOrder::kSimultaneous;
      if (order == RingOrder::kInOrder) roles_[owner] |= kInOrderOwner;
      AddMembers(owner, DrawGroupSize(order));
    }
  }

  // Whether `user` may join the group of `owner` that has `members`.
  bool FitsGroup(std::uint32_t user, std::uint32_t owner,
                 const std::vector<std::uint32_t>& members) const {
    return user != owner && memberships_[user] < limits_.memberships_per_user &&
           std::find(members.begin(), members.end(), user) == members.end();
  }

  // A uniform pick that satisfies `fits`, or UserCount() when none does.
  template <typename Fits>
  std::uint32_t PickUser(Fits fits) {
    for (int attempt = 0; attempt < kRedraws; ++attempt) {
      const std::uint32_t user = Below(UserCount());
      if (fits(user)) return user;
    }
    const std::uint32_t start = Below(UserCount());
    for (std::uint32_t step = 0; step < UserCount(); ++step) {
      const std::uint32_t user = (start + step) % UserCount();
      if (fits(user)) return user;
    }
    return UserCount();
  }

  void AddMembers(std::uint32_t owner, std::uint32_t size) {
    std::vector<std::uint32_t> members;
    std::uint64_t list_chars = 0;
    while (members.size() < size) {
      const std::uint32_t member = PickUser(
          [&](std::uint32_t user) { return FitsGroup(user, owner, members); });
      if (member == UserCount()) break;
      list_chars += Upn(member).size();
      if (list_chars > limits_.member_list_chars) break;
      ++memberships_[member];
      members.push_back(member);
      directory_.members.push_back(MemberRow{
          .owner_upn = Upn(owner),
          .position = std::uint32_t(members.size()),
          .member_upn = Upn(member),
          .notification = DrawNotification(),
      });
    }
    // A group exists only through its members.
    if (members.empty()) roles_[owner] &= std::uint8_t(~kOwner);
  }

  Notification DrawNotification() {
    const double draw = UniformDouble(rng_);
    if (draw < kMuteShare) return Notification::kMute;
    if (draw < kMuteShare + kBannerShare) return Notification::kBanner;
    return Notification::kRing;
  }

  void AddDelegates() {
    if (UserCount() < 2 || limits_.delegates_per_user == 0) return;
    const std::uint32_t most =
        std::min(kMaxDelegatesDrawn, limits_.delegates_per_user);
    for (std::uint32_t delegator = 0; delegator < UserCount(); ++delegator) {
      if (!Bernoulli(rng_, options_.delegator_share)) continue;
      AddDelegatesOf(delegator, 1 + Below(most));
    }
  }

  void AddDelegatesOf(std::uint32_t delegator, std::uint32_t count) {
    std::vector<std::uint32_t> chosen;
    while (chosen.size() < count) {
      const std::uint32_t delegate = PickUser([&](std::uint32_t user) {
        return user != delegator &&
               delegators_[user] < limits_.delegators_per_delegate &&
               std::find(chosen.begin(), chosen.end(), user) == chosen.end();
      });
      if (delegate == UserCount()) break;
      ++delegators_[delegate];
      chosen.push_back(delegate);
    }
    if (chosen.empty()) return;
    roles_[delegator] |= kDelegator;
    std::sort(chosen.begin(), chosen.end());
    for (const std::uint32_t delegate : chosen) {
      directory_.delegates.push_back(DelegateRow{
          .delegator_upn = Upn(delegator),
          .delegate_upn = Upn(delegate),
          .permissions = DrawPermissions(),
      });
    }
  }

  // ReceiveCalls is what makes a delegate ring, so most delegates hold it;
  // the rest are assistants who place calls or manage settings.
  Permissions DrawPermissions() {
    Permissions permissions = 0;
    if (Bernoulli(rng_, 0.9)) permissions |= kReceiveCalls;
    if (Bernoulli(rng_, 0.5)) permissions |= kMakeCalls;
    if (Bernoulli(rng_, 0.2)) permissions |= kManageSettings;
    if (Bernoulli(rng_, 0.3)) permissions |= kPickUpHeldCalls;
    if (Bernoulli(rng_, 0.2)) permissions |= kJoinActiveCalls;
    return permissions == 0 ? Permissions{kMakeCalls} : permissions;
  }

  // A settings row for every user whose settings differ from the defaults.
  void AddSettings() {
    for (std::uint32_t user = 0; user < UserCount(); ++user) {
      SettingsRow row;
      bool changed = false;
      if (roles_[user] & kOwner) {
        changed = DrawOwnerRouting(user, &row);
      } else if (roles_[user] & kDelegator) {
        changed = DrawDelegatorRouting(&row);
      } else if (Bernoulli(rng_, options_.forwarding_share)) {
        changed = DrawForwarding(user, &row);
      } else if (Bernoulli(rng_, kUnansweredShare)) {
        changed = DrawUnanswered(user, &row);
      }
      changed = DrawPersonalOptions(&row) || changed;
      if (!changed) continue;
      row.upn = Upn(user);
      directory_.settings.push_back(std::move(row));
    }
  }

  // Owners share their calls: mostly ringing the group with themselves,
  // some sending calls straight to it, the rest when they do not answer.
  bool DrawOwnerRouting(std::uint32_t user, SettingsRow* row) {
    if (roles_[user] & kInOrderOwner) {
      row->call_group_order = RingOrder::kInOrder;
    }
    const double draw = UniformDouble(rng_);
    if (draw < 0.75) {
      row->forwarding = true;
      row->forwarding_type = draw < 0.6 ? ForwardingType::kSimultaneous
                                        : ForwardingType::kImmediate;
      row->forwarding_target_type = TargetType::kGroup;
    } else {
      row->unanswered_target_type = TargetType::kGroup;
      row->unanswered_delay_s = DrawDelay();
    }
    return true;
  }

  bool DrawDelegatorRouting(SettingsRow* row) {
    const double draw = UniformDouble(rng_);
    if (draw < 0.5) {
      row->forwarding = true;
      row->forwarding_type = ForwardingType::kSimultaneous;
      row->forwarding_target_type = TargetType::kMyDelegates;
      return true;
    }
    if (draw < 0.8) {
      row->unanswered_target_type = TargetType::kMyDelegates;
      row->unanswered_delay_s = DrawDelay();
      return true;
    }
    return false;
  }

  // Forwarding to a colleague, to a phone number, or straight to
  // voicemail (which only Immediate forwarding allows).
  bool DrawForwarding(std::uint32_t user, SettingsRow* row) {
    if (UserCount() < 2) return false;
    row->forwarding = true;
    row->forwarding_type = Bernoulli(rng_, 0.5) ? ForwardingType::kImmediate
                                                : ForwardingType::kSimultaneous;
    const double draw = UniformDouble(rng_);
    if (draw < 0.15) {
      row->forwarding_type = ForwardingType::kImmediate;
      row->forwarding_target_type = TargetType::kVoicemail;
    } else if (draw < 0.4) {
      row->forwarding_target_type = TargetType::kSingleTarget;
      row->forwarding_target = DrawPhoneNumber();
    } else {
      row->forwarding_target_type = TargetType::kSingleTarget;
      row->forwarding_target = Upn(OtherUser(user));
    }
    return true;
  }

  // Unanswered calls to a colleague after a chosen delay, or never
  // redirected at all.
  bool DrawUnanswered(std::uint32_t user, SettingsRow* row) {
    if (UserCount() < 2) return false;
    if (Bernoulli(rng_, 0.3)) {
      row->unanswered = false;
      row->unanswered_target_type = TargetType::kNone;
      return true;
    }
    row->unanswered_target_type = TargetType::kSingleTarget;
    row->unanswered_target = Upn(OtherUser(user));
    row->unanswered_delay_s = DrawDelay();
    return true;
  }

  bool DrawPersonalOptions(SettingsRow* row) {
    bool changed = false;
    if (Bernoulli(rng_, kOverrideShare)) {
      row->notification_override =
          static_cast<NotificationOverride>(1 + Below(3));
      changed = true;
    }
    if (Bernoulli(rng_, kBusyOptionShare)) {
      row->busy_on_busy_option =
          Bernoulli(rng_, 0.5) ? BusyOnBusyOption::kPlayBusySignal
                               : BusyOnBusyOption::kRedirectAsUnansweredCall;
      changed = true;
    }
    return changed;
  }

  std::uint32_t DrawDelay() { return kDelays[Below(kDelays.size())]; }

  // A number in the fictional 555 exchange of area code 425.
  std::string DrawPhoneNumber() {
    char number[16];
    std::snprintf(number, sizeof number, "+1425555%04u", Below(10'000));
    return number;
  }

  const GeneratorOptions& options_;
  const LimitProfile& limits_;
  Xoshiro256pp rng_;
  Directory directory_;
  std::vector<std::uint8_t> roles_;         // Role bits per user
  std::vector<std::uint32_t> memberships_;  // groups each user is in
  std::vector<std::uint32_t> delegators_;   // delegators each user serves
};

}  // namespace

Directory GenerateDirectory(const GeneratorOptions& options,
                            const LimitProfile& limits) {
  return Generator(options, limits).Run();
}

}  // namespace callshare
