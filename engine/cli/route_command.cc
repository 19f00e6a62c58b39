// callshare route: shows the ring plan of one call, as a person reads it.
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "callshare/routing/router.h"
#include "callshare/tenant/directory_csv.h"
#include "commands.h"

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

void PrintLegs(const Tenant& tenant, const RingPlan& plan) {
  if (plan.legs.empty()) {
    fmt::print("Nobody rings.\n");
    return;
  }
  fmt::print("Who rings:\n");
  for (const RingLeg& leg : plan.legs) {
    fmt::print("  from {:>6} for {:>6}  {:<32} {:<24} {}{}\n",
               Seconds(leg.start_ms), Seconds(leg.ring_ms),
               TargetName(tenant, leg.target), RoleText(leg.role),
               Name(leg.notification),
               (leg.flags & RingLeg::kLegStaleRouted) ? "  (stale)" : "");
  }
}

void PrintEnding(const RingPlan& plan) {
  fmt::print("If nobody answers: ");
  switch (plan.ending) {
    case Ending::kVoicemail:
      fmt::print("voicemail at {}.\n", Seconds(plan.ending_ms));
      break;
    case Ending::kBusySignal:
      fmt::print("the caller hears a busy signal.\n");
      break;
    case Ending::kDisconnected:
      fmt::print("the call is disconnected ({}).\n",
                 Name(plan.disconnect_reason));
      break;
    case Ending::kRingOut:
      fmt::print("it rings until the caller gives up.\n");
      break;
  }
}

// Why each flag was raised, in words that point at what to change.
std::string_view FlagReason(PlanFlag flag) {
  switch (flag) {
    case kStaleRouted:
      return "a call group or delegation that the callee's policy no longer "
             "allows was followed, as Teams does until an admin cleans it "
             "up (run with --mode enforced to drop it, or clean up)";
    case kBlockedByPolicy:
      return "a leg was dropped because the callee's calling policy does "
             "not allow it";
    case kIneligibleLegSkipped:
      return "a member or delegate is not in Teams Only mode or not "
             "voice-enabled, so is never rung";
    case kUnavailableLegSkipped:
      return "a member or delegate is on a call, offline or on Do Not "
             "Disturb, so is not notified";
    case kForwardCycle:
      return "the forwarding chain leads back to someone already rung";
    case kPstnTreatment:
      return "the policy's inbound PSTN treatment decided the route";
    case kBusyOnBusy:
      return "the callee is on a call and busy-on-busy decided the route";
  }
  return "";
}

void PrintFlags(const RingPlan& plan) {
  if (plan.flags == 0) return;
  fmt::print("Flags:\n");
  for (std::uint8_t bit = 1; bit != 0; bit = std::uint8_t(bit << 1)) {
    if ((plan.flags & bit) == 0) continue;
    const auto flag = static_cast<PlanFlag>(bit);
    fmt::print("  {}: {}\n", Name(flag), FlagReason(flag));
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
  PrintLegs(*tenant, plan);
  PrintEnding(plan);
  PrintFlags(plan);
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
      "Example:\n"
      "  callshare route big/ --callee ana@contoso.com --pstn \\\n"
      "      --on-call ben@contoso.com --presence cy@contoso.com=offline");
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
