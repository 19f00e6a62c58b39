// Every parameter of a simulation run, as plain values with defaults. A
// scenario file fills them (callshare/scenario/scenario.h); the simulator
// only reads them. Every modelling choice the rules leave open is a field
// here, never a constant inside the simulator.
//
// Units: times are seconds (suffix _s) as doubles unless the field says
// otherwise; rates are calls per hour; shares and probabilities are in
// [0, 1].
#ifndef CALLSHARE_SIM_CONFIG_H_
#define CALLSHARE_SIM_CONFIG_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "callshare/rng/distributions.h"
#include "callshare/routing/router.h"
#include "callshare/tenant/generator.h"
#include "callshare/tenant/limits.h"
#include "callshare/tenant/types.h"

namespace callshare {

struct CallLog;  // callshare/sim/replay.h

// How many presence states and notifications there are; tables indexed by
// Presence or Notification have these sizes.
inline constexpr std::size_t kPresenceCount = 5;
inline constexpr std::size_t kNotificationCount = 3;
static_assert(static_cast<std::size_t>(Presence::kOffline) + 1 ==
                  kPresenceCount,
              "PresenceTable is indexed by Presence");
static_assert(static_cast<std::size_t>(Notification::kMute) + 1 ==
                  kNotificationCount,
              "answer models are indexed by Notification");

// One number per presence state, indexed by static_cast<size_t>(Presence).
using PresenceTable = std::array<double, kPresenceCount>;

// The shape of a run: how long, how often, how seeded, how routed.
struct RunConfig {
  std::string name;                 // the scenario's name; default file stem
  double duration_s = 3'600.0;      // simulated time of one replication
  double warmup_s = 0.0;            // calls arriving earlier are not measured
  std::uint32_t replications = 10;  // independent runs, each reseeded
  std::uint64_t seed = 1;           // replication r uses stream r of it
  std::uint32_t threads = 0;        // worker threads; 0 = one per core
  RouterMode router_mode = RouterMode::kAsDeployed;
  bool trace = false;  // write calls.csv and legs.csv (slower)
  // Time one route in this many, by arrival order; 0 times none. A power
  // of two, so that choosing is a mask. Timing every route measured 16%
  // slower on 32,768 groups in one quiet run (1,459 against 1,258 ms)
  // and within noise in others; one in four bounds the cost to a quarter
  // of that, and since callees arrive in random order the sample has the
  // distribution of all routes.
  std::uint32_t latency_sample_period = 4;
};

// Where the tenant comes from, and the limits it is held to. Exactly one
// of a directory of CSV files and a generator is the source.
struct TenantSource {
  // An absolute directory path, or the options of a generated tenant.
  std::variant<GeneratorOptions, std::filesystem::path> source;
  // The teams profile with the scenario's [limits] applied field by field.
  LimitProfile limits;

  bool generated() const {
    return std::holds_alternative<GeneratorOptions>(source);
  }
};

// A piecewise-constant offered rate: calls_per_hour holds from start_s
// until the next interval's start_s (the last holds to the end).
struct RateInterval {
  double start_s = 0.0;
  double calls_per_hour = 0.0;
};

// How callees are drawn among the eligible set.
enum class CalleeChoice : std::uint8_t {
  kUniform,  // every candidate equally likely
  kZipf,     // candidate of rank k weighs 1 / k^zipf_exponent
};

// Which users can be called.
enum class CalleeSet : std::uint8_t {
  kAll,          // every user of the tenant
  kGroupOwners,  // only owners of a call group (validation scenarios)
};

// Column names of a replay file, for logs exported by other tools.
struct ReplayColumns {
  std::string timestamp = "timestamp";  // seconds since the run's start
  std::string callee = "callee";        // the callee's UPN
  std::string caller = "caller";        // UPN, empty for outside callers
  std::string pstn = "pstn";            // true or false
  std::string duration = "duration_s";  // holding time once answered
};

// The calls offered to the tenant.
struct TrafficConfig {
  double calls_per_hour = 1'000.0;  // constant rate, when profile is empty
  // When not empty, replaces calls_per_hour; sorted, first start_s is 0.
  std::vector<RateInterval> profile;
  CalleeChoice callee_choice = CalleeChoice::kUniform;
  double zipf_exponent = 1.0;  // kZipf only; larger is more skewed
  CalleeSet callees = CalleeSet::kAll;
  // Share of calls from the PSTN; the rest come from a user drawn
  // uniformly among everyone but the callee.
  double pstn_share = 0.3;
  DurationDistribution holding{DurationDistribution::Kind::kExponential, 180.0,
                               1.0};
  // The caller hangs up this long after the call starts ringing.
  DurationDistribution patience{DurationDistribution::Kind::kExponential, 60.0,
                                1.0};
  // A call log to replay instead of drawn traffic; empty for none.
  std::filesystem::path replay;
  ReplayColumns replay_columns;
  // The log `replay` names, read against the tenant (ReadCallLog) once the
  // tenant is known; the simulator plays it when set. Shared, not copied,
  // by the configurations of a sweep.
  std::shared_ptr<const CallLog> replay_log;
};

// How presence changes over a replication.
enum class PresenceMode : std::uint8_t {
  kFixed,   // drawn once from `share`, then constant
  kMarkov,  // starts from `share`, then moves between states
};

struct PresenceConfig {
  PresenceMode mode = PresenceMode::kFixed;
  // Share of people in each state (at the start, in markov mode); sums
  // to 1.
  PresenceTable share = {0.70, 0.10, 0.12, 0.05, 0.03};
  // Markov only: mean seconds spent in a state before leaving it.
  PresenceTable mean_sojourn_s = {1'800.0, 900.0, 1'200.0, 1'800.0, 14'400.0};
  // Markov only: next[s] are the shares of the states entered on leaving
  // s; each row sums to 1 and next[s][s] is 0.
  std::array<PresenceTable, kPresenceCount> next = {{
      {0.0, 0.50, 0.40, 0.05, 0.05},
      {0.80, 0.0, 0.10, 0.05, 0.05},
      {0.80, 0.10, 0.0, 0.05, 0.05},
      {0.90, 0.05, 0.05, 0.0, 0.0},
      {1.0, 0.0, 0.0, 0.0, 0.0},
  }};
};

// How a notified person answers: with `probability` (scaled by presence),
// after a delay drawn from `delay` (scaled by presence) if the call still
// rings then.
struct AnswerModel {
  double probability = 0.0;
  DurationDistribution delay;
};

// The people: presence, answering, and the router's open choices.
struct BehaviourConfig {
  PresenceConfig presence;
  // Indexed by Notification. Forward targets and delegates are rung and
  // answer as kRing.
  std::array<AnswerModel, kNotificationCount> answer = {{
      {0.90, {DurationDistribution::Kind::kLognormal, 6.0, 0.5}},
      {0.60, {DurationDistribution::Kind::kLognormal, 10.0, 0.6}},
      {0.05, {DurationDistribution::Kind::kLognormal, 15.0, 0.7}},
  }};
  // Multiplies every answer probability by the answerer's presence.
  PresenceTable presence_factor = {1.0, 0.5, 0.3, 0.1, 0.0};
  // Multiplies every drawn answer delay by the answerer's presence, so
  // that, say, someone away takes longer to pick up. 1 everywhere keeps
  // the delay as drawn (x * 1.0 is x exactly).
  PresenceTable presence_delay_factor = {1.0, 1.0, 1.0, 1.0, 1.0};
  bool owner_answers = true;              // false: the owner never answers
  double owner_answer_probability = 0.8;  // before presence_factor
  DurationDistribution owner_answer_delay{
      DurationDistribution::Kind::kLognormal, 8.0, 0.5};
  // Whether a member notified while on a call may answer (and hold the
  // other call). Only matters when router.notify_members_on_call.
  bool members_answer_while_on_call = false;
  // Whether an internal caller is a person of the simulation: when true,
  // a caller who is a user of the tenant is on a call from the moment
  // their call is answered until it hangs up (not notified, and calls to
  // them meet busy-on-busy). False, the default, treats callers as
  // outside the model: drawn for the router, never marked on a call.
  bool internal_caller_busy = false;
  // Ring times and notification rules. `router.mode` is kept equal to
  // RunConfig::router_mode by the loader; use RouterOptionsOf().
  RouterOptions router;
};

// What an administrator (or a user, for group changes) does mid-run.
enum class AdminAction : std::uint8_t {
  kSetPolicy,
  kAssignPolicy,
  kCleanup,
  kAddMember,
  kRemoveMember,
  kCreateGroups,
  kAddDelegate,
  kRemoveDelegate,
  kSetLimit,
};

// Sets one field of a calling policy. `field` is a policies.csv column
// other than name; `value` is "true"/"false" or an enumeration name.
struct SetPolicyChange {
  std::string policy;
  std::string field;
  std::string value;
};

// Which users assign_policy reaches when no UPN list is given.
enum class UserSelector : std::uint8_t {
  kAll,
  kGroupOwners,
  kGroupMembers,
  kDelegators,
};

// Assigns `policy` to the listed users, or else to a random part of the
// users the selector picks: `count` of them if non-zero, else `share`.
struct AssignPolicyChange {
  std::string policy;
  std::vector<std::string> users;  // UPNs; when empty the selector applies
  UserSelector selector = UserSelector::kAll;
  double share = 1.0;
  std::uint32_t count = 0;
};

// Removes every relationship a policy forbids (the audit's findings).
struct CleanupChange {};

struct AddMemberChange {
  std::string owner;   // UPN of the call group's owner
  std::string member;  // UPN added at the end of the group
  Notification notification = Notification::kRing;
};

struct RemoveMemberChange {
  std::string owner;
  std::string member;
};

// Users without a group each create one of `size` members, `count` times;
// each creation the groups limit refuses counts as a limit rejection.
struct CreateGroupsChange {
  std::uint32_t count = 1;
  std::uint32_t size = 2;
};

struct AddDelegateChange {
  std::string delegator;
  std::string delegate;
  Permissions permissions = kReceiveCalls;
};

struct RemoveDelegateChange {
  std::string delegator;
  std::string delegate;
};

// Changes one limit of the profile; existing state above it stays.
struct SetLimitChange {
  Limit limit = Limit::kGroupsPerTenant;
  std::uint32_t value = 0;
};

// The alternatives in AdminAction order, so that index() is the action.
using AdminChange =
    std::variant<SetPolicyChange, AssignPolicyChange, CleanupChange,
                 AddMemberChange, RemoveMemberChange, CreateGroupsChange,
                 AddDelegateChange, RemoveDelegateChange, SetLimitChange>;
static_assert(std::variant_size_v<AdminChange> ==
                  static_cast<std::size_t>(AdminAction::kSetLimit) + 1,
              "one alternative per AdminAction, in order");

// One change at a simulated time.
struct AdminEvent {
  double at_s = 0.0;  // in [0, duration_s)
  AdminChange change;
  // Where the scenario file gave the event, for findings made once the
  // tenant is known: the line of its table and its 1-based position among
  // the file's [[events]] (events are sorted, so the two differ). Both 0
  // for an event not read from a file.
  std::uint32_t line = 0;
  std::uint32_t position = 0;

  AdminAction action() const {
    return static_cast<AdminAction>(change.index());
  }
};

// Everything a run needs. Events are sorted by at_s, ties in file order.
struct SimConfig {
  RunConfig run;
  TenantSource tenant;
  TrafficConfig traffic;
  BehaviourConfig behaviour;
  std::vector<AdminEvent> events;
};

// The router options a run uses: behaviour.router with the run's mode.
inline RouterOptions RouterOptionsOf(const SimConfig& config) {
  RouterOptions options = config.behaviour.router;
  options.mode = config.run.router_mode;
  return options;
}

}  // namespace callshare

#endif  // CALLSHARE_SIM_CONFIG_H_
