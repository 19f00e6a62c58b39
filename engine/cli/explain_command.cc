// callshare explain: the story of one traced call, in plain English, from
// the files `callshare run --trace` leaves in its output folder: calls.csv
// and legs.csv (what happened), admin_events.csv (what had changed) and
// scenario.toml (which rebuilds the tenant the run started from, so that
// each leg can be tied to the relationship that rang it).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "callshare/reports/summary.h"
#include "callshare/scenario/scenario.h"
#include "commands.h"
#include "reasons.h"
#include "scenario_runner.h"

namespace callshare::cli {
namespace {

namespace fs = std::filesystem;

// One CSV table as text cells, the header left out.
using Table = std::vector<std::vector<std::string>>;

// Splits one line of an RFC 4180 file; the trace never breaks a cell
// over lines, since UPNs and numbers hold no line breaks.
std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      cells.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells.emplace_back();
    } else if (c != '\r') {
      cells.back() += c;
    }
  }
  return cells;
}

std::optional<Table> ReadTable(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  Table table;
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    if (!line.empty()) table.push_back(SplitCsvLine(line));
  }
  return table;
}

// What the files say about the call; cells in the writers' column order.
struct CallStory {
  std::uint64_t id = 0;
  std::vector<std::string> call;  // calls.csv row
  Table legs;                     // its legs.csv rows
  Table admin;                    // admin_events.csv
  SimConfig config;
  Tenant tenant;
};

enum CallColumn {
  kArrival = 1,
  kCallee,
  kCallerKind,
  kCaller,
  kLegsRung,
  kOutcome,
  kAnsweredBy,
  kTimeToAnswer,
  kFlags
};
enum LegColumn { kTarget = 2, kRole, kNotification, kStart, kRing, kFate };

double Number(const std::string& text) {
  return text.empty() ? 0.0 : std::stod(text);
}

// --- The tenant as the run started -------------------------------------

std::string CalleePolicy(const CallStory& story) {
  const auto callee = story.tenant.FindUser(story.call[kCallee]);
  if (!callee) return "";
  return std::string(
      story.tenant.policy_name(story.tenant.user(*callee).policy));
}

// "position 2 of 4" in the callee's call group, as the tenant was loaded.
std::string GroupPosition(const CallStory& story, const std::string& member) {
  const Tenant& tenant = story.tenant;
  const auto callee = tenant.FindUser(story.call[kCallee]);
  const auto person = tenant.FindUser(member);
  if (!callee || !person || tenant.user(*callee).group == kNoGroup) {
    return "added to the group by an admin event";
  }
  const auto members = tenant.members(tenant.user(*callee).group);
  for (std::size_t k = 0; k < members.size(); ++k) {
    if (members[k] == *person) {
      return fmt::format("position {} of {}", k + 1, members.size());
    }
  }
  return "added to the group by an admin event";
}

// The turn of a member leg among the distinct start times of the
// member legs: all at once is Simultaneous ringing.
std::string MemberTurn(const CallStory& story, const std::string& start) {
  std::vector<double> starts;
  for (const auto& leg : story.legs) {
    if (leg[kRole] == "member") starts.push_back(Number(leg[kStart]));
  }
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  if (starts.size() <= 1) return "rung with the whole group at once";
  const auto turn =
      std::lower_bound(starts.begin(), starts.end(), Number(start)) -
      starts.begin();
  return fmt::format("InOrder turn {} of {}", turn + 1, starts.size());
}

CallingSettings CalleeSettings(const CallStory& story) {
  const auto callee = story.tenant.FindUser(story.call[kCallee]);
  return callee ? story.tenant.settings(*callee) : CallingSettings{};
}

// Why a group member, delegate or target rang: the callee's forwarding
// or unanswered setting that targets it, as the tenant was loaded.
std::string Through(const CallStory& story, const std::string& role) {
  const CallingSettings settings = CalleeSettings(story);
  const TargetType wanted = role == "member"     ? TargetType::kGroup
                            : role == "delegate" ? TargetType::kMyDelegates
                                                 : TargetType::kSingleTarget;
  if (settings.forwarding && settings.forwarding_target_type == wanted) {
    return fmt::format("because {} forwarding to {} is on",
                       Name(settings.forwarding_type), Name(wanted));
  }
  if (settings.unanswered && settings.unanswered_target_type == wanted) {
    return fmt::format("as the unanswered target ({}) after the {} s delay",
                       Name(wanted), settings.unanswered_delay_s);
  }
  return "";
}

std::string LegReason(const CallStory& story,
                      const std::vector<std::string>& leg) {
  const std::string& role = leg[kRole];
  const std::string& callee = story.call[kCallee];
  std::string reason;
  if (role == "owner") {
    reason = "the callee";
  } else if (role == "member") {
    reason = fmt::format("member of {}'s call group, {}, {}", callee,
                         GroupPosition(story, leg[kTarget]),
                         MemberTurn(story, leg[kStart]));
  } else if (role == "delegate") {
    reason = fmt::format("delegate of {} with ReceiveCalls", callee);
  } else if (role == "forward_target") {
    reason = "forwarding target";
  } else {
    return fmt::format("unanswered target, rung after the {} s delay",
                       CalleeSettings(story).unanswered_delay_s);
  }
  const std::string through = role == "owner" ? "" : Through(story, role);
  return through.empty() ? reason : reason + ", " + through;
}

std::string FateText(const std::vector<std::string>& leg,
                     const std::vector<std::string>& call) {
  const std::string& fate = leg[kFate];
  if (fate == "answered") {
    return fmt::format("answered {} s after the call arrived",
                       call[kTimeToAnswer]);
  }
  if (fate == "declined") {
    return "rang, not answered (no pick-up within its ring time)";
  }
  if (fate == "skipped_busy") return "not answered: on another call";
  if (fate == "not_reached") return "never rang: the call ended first";
  if (fate == "stopped") {
    return "rang, stopped when the call was answered elsewhere or ended";
  }
  return fate;
}

// --- Admin state ------------------------------------------------------

// The admin events applied before the call (ties go to the event).
std::vector<const std::vector<std::string>*> AppliedBefore(
    const CallStory& story) {
  std::vector<const std::vector<std::string>*> applied;
  const double arrival = Number(story.call[kArrival]);
  for (const auto& event : story.admin) {
    if (event.size() >= 2 && Number(event[0]) <= arrival) {
      applied.push_back(&event);
    }
  }
  return applied;
}

// "since 600 s" for the first applied set_policy that turned `field` off
// in `policy`, or empty.
std::string OffSince(const CallStory& story, const std::string& policy,
                     const std::string& field) {
  const std::string wanted =
      fmt::format("set_policy {} {}=false", policy, field);
  for (const auto* event : AppliedBefore(story)) {
    if ((*event)[1] == wanted) return fmt::format("since {} s", (*event)[0]);
  }
  return "";
}

std::optional<std::string> CleanupAt(const CallStory& story) {
  for (const auto* event : AppliedBefore(story)) {
    if ((*event)[1] == "cleanup") return (*event)[0];
  }
  return std::nullopt;
}

// Which switches of the callee's policy were off, and since when.
std::string PolicyState(const CallStory& story) {
  const std::string policy = CalleePolicy(story);
  std::vector<std::string> off;
  const auto id = story.tenant.FindPolicy(policy);
  const Policy loaded = id ? story.tenant.policy(*id) : Policy{};
  const std::pair<const char*, bool> switches[] = {
      {"allow_call_groups", loaded.allow_call_groups},
      {"allow_delegation", loaded.allow_delegation}};
  for (const auto& [field, allowed] : switches) {
    const std::string since = OffSince(story, policy, field);
    if (!since.empty()) {
      off.push_back(fmt::format("{} off {}", field, since));
    } else if (!allowed) {
      off.push_back(fmt::format("{} off in the tenant directory", field));
    }
  }
  if (off.empty()) return "";
  std::string text = fmt::format("policy {} had {}", policy, off[0]);
  for (std::size_t i = 1; i < off.size(); ++i) text += " and " + off[i];
  return text;
}

// What a stale leg followed: the legs that rang say which relationship.
std::string StaleRelationship(const CallStory& story) {
  bool member = false, delegate = false;
  for (const auto& leg : story.legs) {
    member = member || leg[kRole] == "member";
    delegate = delegate || leg[kRole] == "delegate";
  }
  if (member && delegate) return "call group and delegation";
  if (member) return "call group";
  if (delegate) return "delegation";
  return "relationship";
}

std::string StaleReason(const CallStory& story) {
  const std::string state = PolicyState(story);
  const std::optional<std::string> cleanup = CleanupAt(story);
  const bool as_deployed =
      story.config.run.router_mode == RouterMode::kAsDeployed;
  std::string text = state.empty()
                         ? "a leg followed a relationship its policy forbids"
                         : state;
  if (!cleanup) {
    const std::string relationship = StaleRelationship(story);
    text += as_deployed ? fmt::format(
                              "; cleanup had not run yet, so the stale {} "
                              "was followed (as deployed)",
                              relationship)
                        : fmt::format(
                              "; cleanup had not run yet, so the router "
                              "(enforced) dropped the stale {}",
                              relationship);
  } else {
    text += fmt::format("; cleanup ran at {} s", *cleanup);
  }
  return text;
}

// The stale and blocked flags come with the policy change behind them;
// the others read as `callshare route` words them.
std::string FlagReason(const CallStory& story, const std::string& flag) {
  if (flag == "stale_routed" || flag == "blocked_by_policy") {
    return StaleReason(story);
  }
  const std::optional<PlanFlag> known = ParsePlanFlag(flag);
  return known ? std::string(FlagSentence(*known)) : "";
}

// --- The story --------------------------------------------------------

void PrintArrival(const CallStory& story) {
  const auto& call = story.call;
  std::string from = "from the PSTN";
  if (call[kCallerKind] == "internal") {
    from = fmt::format("from {} (a user of the tenant)", call[kCaller]);
  } else if (call[kCallerKind] == "external") {
    from = "from outside the tenant (not PSTN)";
  }
  fmt::print("Call {} of replication 0 in {} (router {})\n\n", story.id,
             story.config.run.name, Name(story.config.run.router_mode));
  fmt::print("Arrival  at {} s, to {} (policy {}), {}.\n", call[kArrival],
             call[kCallee], CalleePolicy(story), from);
}

void PrintAdminState(const CallStory& story) {
  const auto applied = AppliedBefore(story);
  if (story.admin.empty()) return;
  fmt::print("\nAdmin events applied before the call ({} of {}):\n",
             applied.size(), story.admin.size());
  for (const auto* event : applied) {
    const bool rejected = event->size() > 2 && (*event)[2] == "true";
    fmt::print("  {:>8} s  {}{}\n", (*event)[0], (*event)[1],
               rejected ? " (rejected by a limit)" : "");
  }
  const std::string state = PolicyState(story);
  if (!state.empty()) fmt::print("  So: {}.\n", state);
}

void PrintLegs(const CallStory& story) {
  fmt::print("\nRing plan: {} leg(s), {} rang\n", story.legs.size(),
             story.call[kLegsRung]);
  for (const auto& leg : story.legs) {
    const std::string ring = leg[kRing].empty()
                                 ? "until the caller gives up"
                                 : fmt::format("for {} s", leg[kRing]);
    fmt::print("  leg {}  {} ({}, {})\n", leg[1], leg[kTarget], leg[kRole],
               leg[kNotification]);
    fmt::print("         why:  {}\n", LegReason(story, leg));
    fmt::print("         when: from {} s {}\n", leg[kStart], ring);
    fmt::print("         fate: {}\n", FateText(leg, story.call));
  }
}

void PrintEnding(const CallStory& story) {
  const auto& call = story.call;
  const std::optional<Outcome> outcome = ParseOutcome(call[kOutcome]);
  fmt::print("\nEnding   {}", outcome ? PlainName(*outcome) : "unknown");
  if (!call[kAnsweredBy].empty()) {
    fmt::print(" ({}, after {} s)", call[kAnsweredBy], call[kTimeToAnswer]);
  }
  fmt::print(".\n");
  if (call[kFlags].empty()) return;
  fmt::print("Flags\n");
  std::size_t begin = 0;
  for (;;) {
    const std::size_t bar = call[kFlags].find('|', begin);
    const std::string flag = call[kFlags].substr(begin, bar - begin);
    fmt::print("  {}: {}\n", flag, FlagReason(story, flag));
    if (bar == std::string::npos) break;
    begin = bar + 1;
  }
}

// --- Loading ----------------------------------------------------------

int Fail(const std::string& message) {
  fmt::print(stderr, "callshare explain: {}\n", message);
  return kExitBadInput;
}

int Explain(const fs::path& out, std::uint64_t id) {
  if (!fs::exists(out / "calls.csv") || !fs::exists(out / "legs.csv")) {
    return Fail(fmt::format(
        "{} has no call trace (calls.csv, legs.csv): run with --trace first, "
        "e.g. callshare run SCENARIO --trace --out {}",
        out.string(), out.string()));
  }
  const std::optional<Table> calls = ReadTable(out / "calls.csv");
  if (!calls || id >= calls->size()) {
    return Fail(fmt::format("call {} is out of range: {} has calls 0 to {}", id,
                            (out / "calls.csv").string(),
                            calls ? std::int64_t(calls->size()) - 1 : -1));
  }
  Diagnostics errors;
  std::optional<SimConfig> config =
      LoadScenario(out / "scenario.toml", {}, &errors);
  for (const Diagnostic& error : errors) {
    fmt::print(stderr, "{}\n", error.ToString());
  }
  if (!config) return Fail("cannot read the run's scenario.toml");
  std::optional<Tenant> tenant = PrepareTenant(*config);
  if (!tenant) return Fail("cannot rebuild the run's tenant");

  CallStory story{id, (*calls)[id],       {},
                  {}, std::move(*config), std::move(*tenant)};
  for (auto& leg : ReadTable(out / "legs.csv").value_or(Table{})) {
    if (leg.size() > kFate && leg[0] == std::to_string(id)) {
      story.legs.push_back(std::move(leg));
    }
  }
  story.admin = ReadTable(out / "admin_events.csv").value_or(Table{});
  if (story.call.size() <= kFlags) return Fail("calls.csv is malformed");
  PrintArrival(story);
  PrintAdminState(story);
  PrintLegs(story);
  PrintEnding(story);
  return kExitOk;
}

}  // namespace

void AddExplainCommand(CLI::App& app, int* exit_code) {
  auto out = std::make_shared<fs::path>();
  auto id = std::make_shared<std::uint64_t>(0);
  CLI::App* command = app.add_subcommand(
      "explain", "Tell the story of one call of a traced run");
  command->footer(
      "Reads the output folder of `callshare run --trace` (calls.csv,\n"
      "legs.csv, admin_events.csv, scenario.toml) and explains one call of\n"
      "replication 0: who called whom, every leg of the ring plan and why\n"
      "it rang, how each leg ended, the outcome, its flags and the admin\n"
      "changes in force when it arrived. Exit 2 when the folder has no\n"
      "trace or the call does not exist.\n\n"
      "Example:\n"
      "  callshare run scenarios/stale_delegation.toml --trace \\\n"
      "      --replications 1 --out out/stale\n"
      "  grep stale_routed out/stale/calls.csv | head -1\n"
      "  callshare explain out/stale --call 36");
  command->add_option("OUTDIR", *out, "Output folder of a traced run")
      ->required();
  command->add_option("--call", *id, "The call's id (column id of calls.csv)")
      ->required();
  command->callback([out, id, exit_code] { *exit_code = Explain(*out, *id); });
}

}  // namespace callshare::cli
