// The flat router against the reference router on generated tenants:
// random calls, callers and presence, every plan compared.
#include "callshare/routing/reference_router.h"

#include <gtest/gtest.h>

#include <array>
#include <sstream>
#include <string>
#include <unordered_map>

#include "callshare/rng/distributions.h"
#include "callshare/rng/xoshiro.h"
#include "callshare/routing/router.h"
#include "callshare/tenant/generator.h"

namespace callshare {
namespace {

constexpr std::uint32_t kUsers = 3'000;
constexpr std::uint32_t kCalls = 1'000'000;

std::string Describe(const RingPlan& plan) {
  std::ostringstream out;
  out << Name(plan.ending) << "@" << plan.ending_ms << " "
      << Name(plan.disconnect_reason) << " flags=" << int{plan.flags};
  for (const RingLeg& leg : plan.legs) {
    out << " [" << leg.target << " " << Name(leg.role) << " " << leg.start_ms
        << "+" << leg.ring_ms << " n" << int(leg.notification) << " f"
        << int{leg.flags} << "]";
  }
  return out.str();
}

template <typename T>
T Pick(Xoshiro256pp& rng, std::initializer_list<T> values) {
  return *(values.begin() + UniformBelow(rng, values.size()));
}

// Rewrites a share of the settings rows and adds policies with every
// combination of gates, so that every rule is exercised, not only the
// generator's mix.
class Scrambler {
 public:
  Scrambler(Directory* directory, std::uint64_t seed)
      : directory_(*directory), rng_(seed) {}

  void Run() {
    AddPolicies();
    for (UserRow& user : directory_.users) {
      if (UniformBelow(rng_, 3) == 0) user.calling_policy = RandomPolicy();
    }
    std::unordered_map<std::string, std::size_t> rows;
    for (std::size_t i = 0; i < directory_.settings.size(); ++i) {
      rows.emplace(directory_.settings[i].upn, i);
    }
    for (std::size_t u = 0; u < directory_.users.size(); ++u) {
      if (UniformBelow(rng_, 4) != 0) continue;
      const std::string& upn = directory_.users[u].upn;
      auto [it, inserted] = rows.emplace(upn, directory_.settings.size());
      if (inserted) directory_.settings.emplace_back();
      directory_.settings[it->second] = RandomSettings(u);
    }
    AddForwardRings(rows);
  }

 private:
  void AddPolicies() {
    for (int i = 0; i < 12; ++i) {
      PolicyRow row;
      row.name = "Scrambled" + std::to_string(i);
      row.allow_call_groups = UniformBelow(rng_, 2) == 0;
      row.allow_delegation = UniformBelow(rng_, 2) == 0;
      row.allow_call_forwarding_to_user = UniformBelow(rng_, 4) != 0;
      row.allow_call_forwarding_to_phone = UniformBelow(rng_, 4) != 0;
      row.allow_voicemail = Pick(rng_, {VoicemailPolicy::kAlwaysEnabled,
                                        VoicemailPolicy::kAlwaysDisabled,
                                        VoicemailPolicy::kUserOverride});
      row.busy_on_busy = Pick(
          rng_, {BusyOnBusyPolicy::kEnabled, BusyOnBusyPolicy::kUnanswered,
                 BusyOnBusyPolicy::kDisabled, BusyOnBusyPolicy::kUserOverride});
      row.inbound_pstn_treatment = Pick(
          rng_, {PstnTreatment::kRegularIncoming, PstnTreatment::kUnanswered,
                 PstnTreatment::kVoicemail, PstnTreatment::kUserOverride});
      directory_.policies.push_back(row);
      policies_.push_back(row.name);
    }
  }

  // Random settings rarely close a forward cycle, so every 100th user
  // starts a ring of three users forwarding to each other.
  void AddForwardRings(std::unordered_map<std::string, std::size_t>& rows) {
    const std::size_t users = directory_.users.size();
    for (std::size_t u = 0; u + 2 < users; u += 100) {
      for (std::size_t k = 0; k < 3; ++k) {
        const std::string& upn = directory_.users[u + k].upn;
        auto [it, inserted] = rows.emplace(upn, directory_.settings.size());
        if (inserted) directory_.settings.emplace_back();
        SettingsRow& row = directory_.settings[it->second];
        row = RandomSettings(u + k);
        row.forwarding = true;
        row.forwarding_type = ForwardingType::kImmediate;
        row.forwarding_target_type = TargetType::kSingleTarget;
        row.forwarding_target = directory_.users[u + (k + 1) % 3].upn;
      }
    }
  }

  std::string RandomPolicy() {
    return policies_[UniformBelow(rng_, policies_.size())];
  }

  // A user or one of a few numbers, never `self`.
  std::string RandomTarget(std::size_t self) {
    if (UniformBelow(rng_, 4) == 0) {
      return "+1555010" + std::to_string(UniformBelow(rng_, 8));
    }
    // Near neighbours make chains and cycles likely.
    std::size_t other = self;
    while (other == self) {
      other = (self + directory_.users.size() - 3 + UniformBelow(rng_, 7)) %
              directory_.users.size();
    }
    return directory_.users[other].upn;
  }

  SettingsRow RandomSettings(std::size_t user) {
    SettingsRow row;
    row.upn = directory_.users[user].upn;
    row.forwarding = UniformBelow(rng_, 3) != 0;
    row.forwarding_type =
        Pick(rng_, {ForwardingType::kImmediate, ForwardingType::kSimultaneous});
    row.forwarding_target_type =
        Pick(rng_, {TargetType::kVoicemail, TargetType::kSingleTarget,
                    TargetType::kMyDelegates, TargetType::kGroup});
    if (row.forwarding_target_type == TargetType::kVoicemail) {
      row.forwarding_type = ForwardingType::kImmediate;
    }
    if (row.forwarding_target_type == TargetType::kSingleTarget) {
      row.forwarding_target = RandomTarget(user);
    }
    row.unanswered = UniformBelow(rng_, 4) != 0;
    row.unanswered_target_type =
        Pick(rng_, {TargetType::kVoicemail, TargetType::kSingleTarget,
                    TargetType::kMyDelegates, TargetType::kGroup});
    if (!row.unanswered && UniformBelow(rng_, 2) == 0) {
      row.unanswered_target_type = TargetType::kNone;
    }
    if (row.unanswered_target_type == TargetType::kSingleTarget) {
      row.unanswered_target = RandomTarget(user);
    }
    row.unanswered_delay_s =
        Pick(rng_, {5u, 10u, 15u, 20u, 30u, 40u, 50u, 60u});
    row.call_group_order =
        Pick(rng_, {RingOrder::kSimultaneous, RingOrder::kInOrder});
    row.notification_override = Pick(
        rng_, {NotificationOverride::kNone, NotificationOverride::kRing,
               NotificationOverride::kBanner, NotificationOverride::kMute});
    row.busy_on_busy_option =
        Pick(rng_, {BusyOnBusyOption::kPlayBusySignal,
                    BusyOnBusyOption::kRedirectAsUnansweredCall,
                    BusyOnBusyOption::kRingUser});
    return row;
  }

  Directory& directory_;
  Xoshiro256pp rng_;
  std::vector<std::string> policies_;
};

// What a comparison saw: the first mismatch (empty when none), and how
// often each plan flag and each ending came up, to show the calls covered
// the rules.
struct Comparison {
  std::string mismatch;
  std::array<std::uint64_t, 8> flags{};
  std::array<std::uint64_t, 4> endings{};
};

void Count(const RingPlan& plan, Comparison* seen) {
  for (int bit = 0; bit < 8; ++bit) seen->flags[bit] += (plan.flags >> bit) & 1;
  ++seen->endings[static_cast<int>(plan.ending)];
}

// Routes kCalls random calls through both routers in both modes.
Comparison CompareRouters(const Directory& directory,
                          const LimitProfile& limits, std::uint64_t seed) {
  Comparison seen;
  Diagnostics errors;
  const std::optional<Tenant> tenant =
      Tenant::Build(directory, limits, &errors);
  if (!tenant) {
    seen.mismatch =
        "build failed: " + (errors.empty() ? "" : errors.front().message);
    return seen;
  }
  Xoshiro256pp rng(seed);
  std::vector<std::uint8_t> presence(tenant->user_count());
  for (RouterMode mode : {RouterMode::kAsDeployed, RouterMode::kEnforced}) {
    RouterOptions options;
    options.mode = mode;
    options.forward_hops = 3;
    const Router router(*tenant, options, presence);
    const ReferenceRouter reference(directory, limits, options);
    RingPlan plan;
    for (std::uint32_t i = 0; i < kCalls; ++i) {
      // New presence now and then: a fifth of the people on a call.
      if (i % 1'000 == 0) {
        for (std::uint8_t& state : presence) {
          state = static_cast<std::uint8_t>(UniformBelow(rng, 5));
          if (UniformBelow(rng, 5) == 0) state |= PresenceState::kOnCall;
        }
      }
      const CallRequest call{
          static_cast<UserId>(UniformBelow(rng, tenant->user_count())),
          UniformBelow(rng, 3) == 0
              ? kNoUser
              : static_cast<UserId>(UniformBelow(rng, tenant->user_count())),
          UniformBelow(rng, 2) == 0};
      router.Route(call, &plan);
      const RingPlan expected = reference.Route(call, presence);
      Count(plan, &seen);
      if (!(plan == expected)) {
        std::ostringstream out;
        out << "call " << i << " mode " << Name(mode) << " callee "
            << call.callee << " caller " << call.caller << " pstn " << call.pstn
            << "\n  router:    " << Describe(plan)
            << "\n  reference: " << Describe(expected);
        seen.mismatch = out.str();
        return seen;
      }
    }
  }
  return seen;
}

Directory GeneratedDirectory(std::uint64_t seed) {
  GeneratorOptions options;
  options.users = kUsers;
  options.groups = 300;
  options.seed = seed;
  options.delegator_share = 0.05;
  options.ineligible_share = 0.05;
  return GenerateDirectory(options, LimitProfile::Teams());
}

TEST(ReferenceRouterTest, AgreesWithRouterOnAGeneratedTenant) {
  const Directory directory = GeneratedDirectory(7);
  const Comparison seen = CompareRouters(directory, LimitProfile::Teams(), 11);
  EXPECT_EQ(seen.mismatch, "");
  EXPECT_GT(seen.flags[2], 0u) << "no ineligible leg skipped";
  EXPECT_GT(seen.flags[3], 0u) << "no unavailable leg skipped";
}

TEST(ReferenceRouterTest, AgreesWithRouterOnAScrambledTenant) {
  Directory directory = GeneratedDirectory(8);
  Scrambler(&directory, 12).Run();
  const Comparison seen = CompareRouters(directory, LimitProfile::Teams(), 13);
  EXPECT_EQ(seen.mismatch, "");
  for (int bit = 0; bit < 7; ++bit) {
    EXPECT_GT(seen.flags[bit], 0u) << "flag " << Name(PlanFlag(1 << bit));
  }
  for (int ending = 0; ending < 4; ++ending) {
    EXPECT_GT(seen.endings[ending], 0u)
        << "ending " << Name(static_cast<Ending>(ending));
  }
}

// Every owner and delegator under a policy that forbids both call groups
// and delegation: all their relationships are stale.
TEST(ReferenceRouterTest, AgreesWithRouterOnAStaleTenant) {
  Directory directory = GeneratedDirectory(9);
  PolicyRow locked;
  locked.name = "LockedDown";
  locked.allow_call_groups = false;
  locked.allow_delegation = false;
  directory.policies.push_back(locked);
  std::unordered_map<std::string, bool> sharing;
  for (const MemberRow& row : directory.members) sharing[row.owner_upn] = true;
  for (const DelegateRow& row : directory.delegates) {
    sharing[row.delegator_upn] = true;
  }
  for (UserRow& user : directory.users) {
    if (sharing.count(user.upn) > 0) user.calling_policy = locked.name;
  }
  const Comparison seen = CompareRouters(directory, LimitProfile::Teams(), 14);
  EXPECT_EQ(seen.mismatch, "");
  EXPECT_GT(seen.flags[0], 0u) << "no call was stale-routed";
  EXPECT_GT(seen.flags[1], 0u) << "no stale relationship was blocked";
}

}  // namespace
}  // namespace callshare
