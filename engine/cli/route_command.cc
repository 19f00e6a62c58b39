// callshare route: shows the ring plan of one call, as a person reads it.
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "callshare/routing/router.h"
#include "callshare/tenant/directory_csv.h"
#include "commands.h"
#include "reasons.h"

namespace callshare::cli {
namespace {

struct RouteArgs {
  std::filesystem::path folder;
  std::string callee;
  std::string caller;
  bool pstn = false;
  std::string mode = "as-deployed";
  std::vector<std::string> on_call;
  std::vector<std::string> presence;  // "upn=state"
};

std::string Seconds(std::uint32_t ms) {
  return fmt::format("{:.1f} s", double(ms) / 1000.0);
}

std::string TargetName(const Tenant& tenant, TargetRef target) {
  if (IsPhone(target)) return std::string(tenant.phone(PhoneOf(target)));
  return std::string(tenant.upn(target));
}

std::string_view RoleText(LegRole role) {
  switch (role) {
    case LegRole::kOwner:
      return "the callee";
    case LegRole::kMember:
      return "call group member";
    case LegRole::kDelegate:
      return "delegate";
    case LegRole::kForwardTarget:
      return "forwarding target";
    case LegRole::kUnansweredTarget:
      return "unanswered-call target";
  }
  return "";
}

// One routed call and what its explanation re-reads.
struct RoutedCall {
  const Tenant& tenant;
  const CallRequest& call;
  const RouterOptions& options;
  std::span<const std::uint8_t> presence;
  const RingPlan& plan;

  const UserRecord& callee() const { return tenant.user(call.callee); }
  std::string callee_upn() const {
    return std::string(tenant.upn(call.callee));
  }
  std::string policy_name() const {
    return std::string(tenant.policy_name(callee().policy));
  }
  const Policy& policy() const { return tenant.policy(callee().policy); }
};

void PrintLegs(const Tenant& tenant, const RingPlan& plan) {
  fmt::print("Who rings:\n");
  for (const RingLeg& leg : plan.legs) {
    fmt::print("  from {:>6} for {:>6}  {:<32} {:<24} {}{}\n",
               Seconds(leg.start_ms), Seconds(leg.ring_ms),
               TargetName(tenant, leg.target), RoleText(leg.role),
               Name(leg.notification),
               (leg.flags & RingLeg::kLegStaleRouted) ? "  (stale)" : "");
  }
}

// The ending as the rest of a sentence: "voicemail at 20.0 s".
std::string EndingText(const RingPlan& plan) {
  switch (plan.ending) {
    case Ending::kVoicemail:
      return plan.legs.empty()
                 ? "the call goes straight to voicemail"
                 : fmt::format("voicemail at {}", Seconds(plan.ending_ms));
    case Ending::kBusySignal:
      return "the caller hears a busy signal";
    case Ending::kDisconnected:
      return fmt::format("the call is disconnected ({})",
                         Name(plan.disconnect_reason));
    case Ending::kRingOut:
      return "it rings until the caller gives up";
  }
  return "";
}

// Who rings and what happens if nobody answers, or, when nobody rings,
// the one thing that happens at once.
void PrintPlan(const Tenant& tenant, const RingPlan& plan) {
  if (plan.legs.empty()) {
    fmt::print("Nobody rings: {}.\n", EndingText(plan));
    return;
  }
  PrintLegs(tenant, plan);
  fmt::print("If nobody answers: {}.\n", EndingText(plan));
}

// "hana@contoso.com (call group member) is not voice-enabled, so is
// never rung", for each person the route skipped for `ineligible`.
std::string SkippedText(const RoutedCall& routed, bool ineligible) {
  std::vector<std::string> parts;
  for (const SkippedPerson& person :
       SkippedPeople(routed.tenant, routed.call, routed.options,
                     routed.presence, routed.plan)) {
    if (person.ineligible != ineligible) continue;
    parts.push_back(fmt::format("{} ({}) is {}, so is {}",
                                routed.tenant.upn(person.user),
                                RoleText(person.role), person.why,
                                ineligible ? "never rung" : "not notified"));
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::string IneligibleCalleeText(const RoutedCall& routed) {
  const bool owner_only = routed.plan.legs.size() == 1 &&
                          routed.plan.legs[0].role == LegRole::kOwner;
  return fmt::format(
      "the callee {} is {}, so gets no call sharing: forwarding, call "
      "groups and delegates are ignored{}",
      routed.callee_upn(), IneligibleWhy(routed.callee()),
      owner_only
          ? fmt::format(" and the call rings {} only", routed.callee_upn())
          : "");
}

std::string PstnText(const RoutedCall& routed) {
  const PstnTreatment treatment = routed.policy().inbound_pstn_treatment;
  const std::string what =
      fmt::format("policy {} sets InboundPstnCallRoutingTreatment to {}",
                  routed.policy_name(), Name(treatment));
  if (treatment == PstnTreatment::kUnanswered) {
    return what +
           ", so this PSTN call skips ringing the callee and is handled "
           "as unanswered at once";
  }
  if (routed.plan.ending == Ending::kDisconnected) {
    return what + fmt::format(
                      ", but its AllowVoicemail is {}, so this PSTN call is "
                      "rejected",
                      Name(routed.policy().allow_voicemail));
  }
  return what +
         ", so this PSTN call goes to voicemail without ringing "
         "anyone";
}

std::string BusyText(const RoutedCall& routed) {
  const BusyOnBusyPolicy setting = routed.policy().busy_on_busy;
  const std::string source =
      setting == BusyOnBusyPolicy::kUserOverride
          ? fmt::format("its busy-on-busy option is {}",
                        Name(routed.callee().busy_on_busy_option))
          : fmt::format("policy {} sets BusyOnBusyEnabledType to {}",
                        routed.policy_name(), Name(setting));
  const bool busy_signal =
      routed.plan.ending == Ending::kBusySignal && routed.plan.legs.empty();
  return fmt::format("the callee {} is on a call and {}, so {}",
                     routed.callee_upn(), source,
                     busy_signal ? "the caller hears a busy signal"
                                 : "the call is handled as unanswered at once");
}

// A switch of the callee's policy that is off while a setting of the
// callee still targets the relationship it governs.
struct GateOff {
  std::string_view policy_switch;  // "AllowCallGroups"
  std::string_view relationship;   // "call group"
};

std::vector<GateOff> GatesOff(const RoutedCall& routed) {
  const UserRecord& callee = routed.callee();
  const Policy& policy = routed.policy();
  auto uses = [&](TargetType type) {
    return ((callee.flags & UserRecord::kForwarding) &&
            callee.forwarding_target_type == type) ||
           ((callee.flags & UserRecord::kUnanswered) &&
            callee.unanswered_target_type == type);
  };
  std::vector<GateOff> off;
  if (uses(TargetType::kGroup) && !policy.allow_call_groups) {
    off.push_back({"AllowCallGroups", "call group"});
  }
  if (uses(TargetType::kMyDelegates) && !policy.allow_delegation) {
    off.push_back({"AllowDelegation", "delegates"});
  }
  return off;
}

// "policy NoCallGroups has AllowCallGroups off" and what it governs.
std::pair<std::string, std::string> GatesText(const RoutedCall& routed) {
  std::vector<std::string_view> switches, relationships;
  for (const GateOff& gate : GatesOff(routed)) {
    switches.push_back(gate.policy_switch);
    relationships.push_back(gate.relationship);
  }
  if (switches.empty()) return {};
  return {fmt::format("policy {} has {} off", routed.policy_name(),
                      fmt::join(switches, " and ")),
          fmt::format("{}", fmt::join(relationships, " and "))};
}

std::string StaleText(const RoutedCall& routed) {
  const auto [gates, relationships] = GatesText(routed);
  if (gates.empty()) return std::string(FlagSentence(kStaleRouted));
  return fmt::format(
      "{}, but {}'s {} rang anyway, as Teams does until "
      "an admin cleans it up (run with --mode enforced to drop it)",
      gates, routed.callee_upn(), relationships);
}

std::string BlockedText(const RoutedCall& routed) {
  const auto [gates, relationships] = GatesText(routed);
  if (gates.empty() || routed.options.mode != RouterMode::kEnforced) {
    return std::string(FlagSentence(kBlockedByPolicy));
  }
  return fmt::format("{}, so the router (enforced) dropped {}'s {}", gates,
                     routed.callee_upn(), relationships);
}

// Why a flag was raised, naming the people, policy and setting involved
// where the tables tell them, else the general sentence.
std::string FlagReason(const RoutedCall& routed, PlanFlag flag) {
  std::string reason;
  switch (flag) {
    case kStaleRouted:
      return StaleText(routed);
    case kBlockedByPolicy:
      return BlockedText(routed);
    case kIneligibleLegSkipped:
      if (!routed.callee().eligible()) return IneligibleCalleeText(routed);
      reason = SkippedText(routed, true);
      break;
    case kUnavailableLegSkipped:
      reason = SkippedText(routed, false);
      break;
    case kPstnTreatment:
      return PstnText(routed);
    case kBusyOnBusy:
      return BusyText(routed);
    case kForwardCycle:
      break;
  }
  return reason.empty() ? std::string(FlagSentence(flag)) : reason;
}

void PrintFlags(const RoutedCall& routed) {
  if (routed.plan.flags == 0) return;
  fmt::print("Flags:\n");
  for (std::uint8_t bit = 1; bit != 0; bit = std::uint8_t(bit << 1)) {
    if ((routed.plan.flags & bit) == 0) continue;
    const auto flag = static_cast<PlanFlag>(bit);
    fmt::print("  {}: {}\n", Name(flag), FlagReason(routed, flag));
  }
}

// Applies --on-call and --presence to the presence bytes the router reads.
bool SetPresence(const Tenant& tenant, const RouteArgs& args,
                 std::vector<std::uint8_t>* presence) {
  for (const std::string& upn : args.on_call) {
    const std::optional<UserId> user = tenant.FindUser(upn);
    if (!user) {
      fmt::print(stderr, "callshare route: --on-call: unknown user '{}'\n",
                 upn);
      return false;
    }
    (*presence)[*user] |= PresenceState::kOnCall;
  }
  for (const std::string& entry : args.presence) {
    const std::size_t equals = entry.find('=');
    const std::optional<UserId> user = tenant.FindUser(entry.substr(0, equals));
    const std::optional<Presence> state =
        equals == std::string::npos
            ? std::nullopt
            : ParseEnum<Presence>(entry.substr(equals + 1));
    if (!user || !state) {
      fmt::print(stderr,
                 "callshare route: --presence '{}': expected UPN=STATE with "
                 "a known UPN and STATE one of {}\n",
                 entry, EnumChoices<Presence>());
      return false;
    }
    (*presence)[*user] = std::uint8_t(
        ((*presence)[*user] & PresenceState::kOnCall) | std::uint8_t(*state));
  }
  return true;
}

int RunRoute(const RouteArgs& args) {
  Diagnostics errors;
  std::optional<Tenant> tenant =
      LoadTenant(args.folder, LimitProfile::Teams(), &errors);
  if (!tenant) {
    for (const Diagnostic& error : errors) {
      fmt::print(stderr, "{}/{}\n", args.folder.string(), error.ToString());
    }
    return kExitBadInput;
  }

  CallRequest call;
  call.pstn = args.pstn;
  const std::optional<UserId> callee = tenant->FindUser(args.callee);
  if (!callee) {
    fmt::print(stderr, "callshare route: --callee: unknown user '{}'\n",
               args.callee);
    return kExitBadInput;
  }
  call.callee = *callee;
  if (!args.caller.empty()) {
    const std::optional<UserId> caller = tenant->FindUser(args.caller);
    if (!caller) {
      fmt::print(stderr, "callshare route: --caller: unknown user '{}'\n",
                 args.caller);
      return kExitBadInput;
    }
    call.caller = *caller;
  }

  std::vector<std::uint8_t> presence(tenant->user_count(), 0);
  if (!SetPresence(*tenant, args, &presence)) return kExitBadInput;

  RouterOptions options;
  options.mode =
      args.mode == "enforced" ? RouterMode::kEnforced : RouterMode::kAsDeployed;
  const Router router(*tenant, options, presence);
  RingPlan plan;
  router.Route(call, &plan);

  fmt::print("Call to {} from {}{}, router {}\n\n", args.callee,
             args.caller.empty() ? "an outside caller" : args.caller,
             args.pstn ? " over the PSTN" : "", Name(options.mode));
  PrintPlan(*tenant, plan);
  PrintFlags({*tenant, call, options, presence, plan});
  return kExitOk;
}

}  // namespace

void AddRouteCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<RouteArgs>();
  CLI::App* command =
      app.add_subcommand("route", "Show the ring plan of one call");
  command->footer(
      "Show where one call goes: who rings when and for how long, how each\n"
      "person is notified (Ring, Banner, Mute), what happens if nobody\n"
      "answers, and every flag with its reason. Everyone is available\n"
      "unless --on-call or --presence says otherwise.\n\n"
      "Example (big/ as `callshare generate-tenant --help` writes it):\n"
      "  callshare route big/ --callee nils.lopez.4@contoso.com --pstn \\\n"
      "      --on-call eli.fox.67445@contoso.com \\\n"
      "      --presence ben.garcia.55784@contoso.com=offline");
  command->add_option("DIR", args->folder, "Tenant directory folder")
      ->required()
      ->check(CLI::ExistingDirectory);
  command->add_option("--callee", args->callee, "UPN of the user called")
      ->required();
  command->add_option("--caller", args->caller,
                      "UPN of an internal caller (default: outside caller)");
  command->add_flag("--pstn", args->pstn,
                    "The call comes from the phone network");
  command
      ->add_option("--mode", args->mode,
                   "as-deployed follows stale relationships like Teams; "
                   "enforced drops them")
      ->check(CLI::IsMember({"as-deployed", "enforced"}))
      ->capture_default_str();
  command->add_option("--on-call", args->on_call,
                      "UPN of someone already on a call (repeatable)");
  command->add_option(
      "--presence", args->presence,
      "UPN=STATE with STATE available, busy, away, do_not_disturb or "
      "offline (repeatable)");
  command->callback([args, exit_code] { *exit_code = RunRoute(*args); });
}

}  // namespace callshare::cli
