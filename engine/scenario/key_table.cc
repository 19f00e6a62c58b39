#include "key_table.h"

#include <bit>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <utility>

#include <fmt/format.h>

namespace callshare::scenario_internal {
namespace {

using Write = std::function<std::optional<std::string>(const SimConfig&)>;

// Each builder binds a key to a field through `access`, a generic lambda
// returning the field of a const or mutable SimConfig.

template <typename Access>
KeySpec RealKey(std::string key, std::string text, RealBounds bounds,
                Access access) {
  return {std::move(key),
          std::move(text),
          {},
          [bounds, access](const Item& item, LoadContext& context,
                           SimConfig& config) {
            ReadReal(item, bounds, context, &access(config));
          },
          [access](const SimConfig& config) -> std::optional<std::string> {
            return RealLiteral(access(config));
          }};
}

template <typename Access>
KeySpec UintKey(std::string key, std::string text, std::uint32_t min,
                Access access) {
  return {
      std::move(key),
      std::move(text),
      {},
      [min, access](const Item& item, LoadContext& context, SimConfig& config) {
        ReadUint32(item, min, context, &access(config));
      },
      [access](const SimConfig& config) -> std::optional<std::string> {
        return std::to_string(access(config));
      }};
}

template <typename Access>
KeySpec BoolKey(std::string key, std::string text, Access access) {
  return {std::move(key),
          std::move(text),
          {},
          [access](const Item& item, LoadContext& context, SimConfig& config) {
            ReadBool(item, context, &access(config));
          },
          [access](const SimConfig& config) -> std::optional<std::string> {
            return BoolLiteral(access(config));
          }};
}

template <typename Access>
KeySpec StringKey(std::string key, std::string text, Access access) {
  return {std::move(key),
          std::move(text),
          {},
          [access](const Item& item, LoadContext& context, SimConfig& config) {
            ReadString(item, context, &access(config));
          },
          [access](const SimConfig& config) -> std::optional<std::string> {
            return StringLiteral(access(config));
          }};
}

template <typename Enum, typename Access>
KeySpec EnumKey(std::string key, std::string text,
                std::span<const NamedValue<Enum>> names, std::string_view what,
                Access access) {
  text += " (" + Choices(names) + ")";
  return {
      std::move(key),
      std::move(text),
      {},
      [names, what, access](const Item& item, LoadContext& context,
                            SimConfig& config) {
        ReadEnum(item, names, what, context, &access(config));
      },
      [names, access](const SimConfig& config) -> std::optional<std::string> {
        return StringLiteral(NameOf(names, access(config)));
      }};
}

template <typename Access>
KeySpec DistributionKey(std::string key, std::string text, Access access) {
  return {std::move(key),
          std::move(text),
          {"kind", "mean_s", "sigma"},
          [access](const Item& item, LoadContext& context, SimConfig& config) {
            ReadDistribution(item, context, &access(config));
          },
          [access](const SimConfig& config) -> std::optional<std::string> {
            return DistributionLiteral(access(config));
          }};
}

template <typename Access>
KeySpec PresenceKey(std::string key, std::string text, RealBounds bounds,
                    Access access) {
  std::vector<std::string_view> subkeys;
  for (const NamedValue<Presence>& presence : PresenceNames()) {
    subkeys.push_back(presence.name);
  }
  return {std::move(key), std::move(text), std::move(subkeys),
          [bounds, access](const Item& item, LoadContext& context,
                           SimConfig& config) {
            ReadPresenceTable(item, bounds, context, &access(config));
          },
          [access](const SimConfig& config) -> std::optional<std::string> {
            return PresenceTableLiteral(access(config));
          }};
}

// RouterOptions counts milliseconds; scenarios speak seconds.
template <typename Access>
KeySpec SecondsAsMillisKey(std::string key, std::string text, Access access) {
  return {std::move(key),
          std::move(text),
          {},
          [access](const Item& item, LoadContext& context, SimConfig& config) {
            double seconds = 0.0;
            if (ReadReal(item, {0.0, 4.0e6, true}, context, &seconds)) {
              access(config) =
                  static_cast<std::uint32_t>(std::llround(seconds * 1e3));
            }
          },
          [access](const SimConfig& config) -> std::optional<std::string> {
            return RealLiteral(access(config) / 1e3);
          }};
}

// The generator's options, switching the source to a generated tenant
// when a [tenant.generate] key is read.
GeneratorOptions& Generator(SimConfig& config) {
  if (!config.tenant.generated()) config.tenant.source = GeneratorOptions{};
  return std::get<GeneratorOptions>(config.tenant.source);
}
const GeneratorOptions& Generator(const SimConfig& config) {
  return std::get<GeneratorOptions>(config.tenant.source);
}

// Leaves a [tenant.generate] key out of a tenant read from a directory.
KeySpec OnlyGenerated(KeySpec spec) {
  spec.write = [write = std::move(spec.write)](
                   const SimConfig& config) -> std::optional<std::string> {
    if (!config.tenant.generated()) return std::nullopt;
    return write(config);
  };
  return spec;
}

template <typename Profile>
auto& LimitField(Profile& profile, Limit limit) {
  switch (limit) {
    case Limit::kGroupsPerTenant:
      return profile.groups_per_tenant;
    case Limit::kMembersPerGroup:
      return profile.members_per_group;
    case Limit::kMembershipsPerUser:
      return profile.memberships_per_user;
    case Limit::kInOrderMembers:
      return profile.in_order_members;
    case Limit::kDelegatesPerUser:
      return profile.delegates_per_user;
    case Limit::kDelegatorsPerDelegate:
      return profile.delegators_per_delegate;
    case Limit::kMemberListChars:
      return profile.member_list_chars;
  }
  return profile.groups_per_tenant;
}

KeySpec TenantDirectoryKey() {
  return {"tenant.directory",
          "folder of the tenant's CSV files, relative to the scenario; "
          "excludes [tenant.generate]",
          {},
          [](const Item& item, LoadContext& context, SimConfig& config) {
            std::filesystem::path path;
            if (ReadPath(item, context, &path)) config.tenant.source = path;
          },
          [](const SimConfig& config) -> std::optional<std::string> {
            if (config.tenant.generated()) return std::nullopt;
            const auto& path =
                std::get<std::filesystem::path>(config.tenant.source);
            return StringLiteral(path.string());
          }};
}

KeySpec ProfileKey() {
  return {"traffic.profile",
          "rate profile: CSV file (interval_start_s,calls_per_hour) or "
          "[[traffic.profile]] tables; replaces calls_per_hour",
          {},
          [](const Item& item, LoadContext& context, SimConfig& config) {
            ReadRateProfile(item, context, &config.traffic.profile);
          },
          [](const SimConfig& config) -> std::optional<std::string> {
            if (config.traffic.profile.empty()) return std::nullopt;
            std::string text = "[";
            for (const RateInterval& interval : config.traffic.profile) {
              if (text.size() > 1) text += ", ";
              text += fmt::format("{{ start_s = {}, calls_per_hour = {} }}",
                                  RealLiteral(interval.start_s),
                                  RealLiteral(interval.calls_per_hour));
            }
            return text + "]";
          }};
}

KeySpec ReplayKey() {
  return {"traffic.replay",
          "call log (CSV) to replay instead of drawn traffic; relative to "
          "the scenario",
          {},
          [](const Item& item, LoadContext& context, SimConfig& config) {
            ReadPath(item, context, &config.traffic.replay);
          },
          [](const SimConfig& config) -> std::optional<std::string> {
            if (config.traffic.replay.empty()) return std::nullopt;
            return StringLiteral(config.traffic.replay.string());
          }};
}

// A power of two or 0: the simulator picks the timed routes by a mask.
KeySpec LatencySamplePeriodKey() {
  return {"run.latency_sample_period",
          "time the routing of one call in this many; 0 = none; a power of 2",
          {},
          [](const Item& item, LoadContext& context, SimConfig& config) {
            std::uint32_t period = 0;
            if (!ReadUint32(item, 0, context, &period)) return;
            if (period != 0 && !std::has_single_bit(period)) {
              context.Error(
                  item,
                  fmt::format("must be 0 or a power of 2, got {}", period));
              return;
            }
            config.run.latency_sample_period = period;
          },
          [](const SimConfig& config) -> std::optional<std::string> {
            return std::to_string(config.run.latency_sample_period);
          }};
}

void AddRunKeys(std::vector<KeySpec>& specs) {
  specs.push_back(StringKey(
      "run.name",
      "name of the run in reports; "
      "default the file's stem",
      [](auto& c) -> auto& { return c.run.name; }));
  specs.push_back(RealKey(
      "run.duration_s", "simulated seconds of one replication", kPositive,
      [](auto& c) -> auto& { return c.run.duration_s; }));
  specs.push_back(RealKey(
      "run.warmup_s",
      "seconds whose arriving calls are not measured; "
      "< duration_s",
      kNonNegative, [](auto& c) -> auto& { return c.run.warmup_s; }));
  specs.push_back(UintKey(
      "run.replications", "independent replications, each reseeded", 1,
      [](auto& c) -> auto& { return c.run.replications; }));
  specs.push_back(
      {"run.seed",
       "seed of the run's random streams",
       {},
       [](const Item& item, LoadContext& context, SimConfig& config) {
         ReadUint(item, 0, INT64_MAX, context, &config.run.seed);
       },
       [](const SimConfig& config) -> std::optional<std::string> {
         return std::to_string(config.run.seed);
       }});
  specs.push_back(UintKey(
      "run.threads", "worker threads; 0 = one per hardware thread", 0,
      [](auto& c) -> auto& { return c.run.threads; }));
  specs.push_back(EnumKey(
      "run.router_mode", "what stale relationships do", RouterModeNames(),
      "router mode", [](auto& c) -> auto& { return c.run.router_mode; }));
  specs.push_back(BoolKey(
      "run.trace", "write calls.csv and legs.csv for replication 0",
      [](auto& c) -> auto& { return c.run.trace; }));
  specs.push_back(LatencySamplePeriodKey());
}

void AddTenantKeys(std::vector<KeySpec>& specs) {
  specs.push_back(TenantDirectoryKey());
  const auto gen = [&specs](KeySpec spec) {
    specs.push_back(OnlyGenerated(std::move(spec)));
  };
  gen(UintKey(
      "tenant.generate.users", "users of the generated tenant", 1,
      [](auto& c) -> auto& { return Generator(c).users; }));
  gen(UintKey(
      "tenant.generate.groups",
      "call groups; at most users and limits.groups_per_tenant", 0,
      [](auto& c) -> auto& { return Generator(c).groups; }));
  gen({"tenant.generate.seed",
       "seed of the generated directory",
       {},
       [](const Item& item, LoadContext& context, SimConfig& config) {
         ReadUint(item, 0, INT64_MAX, context, &Generator(config).seed);
       },
       [](const SimConfig& config) -> std::optional<std::string> {
         return std::to_string(Generator(config).seed);
       }});
  gen(StringKey(
      "tenant.generate.domain", "domain of generated UPNs",
      [](auto& c) -> auto& { return Generator(c).domain; }));
  gen(RealKey(
      "tenant.generate.ineligible_share",
      "share of users not Teams Only or not voice-enabled", kUnitInterval,
      [](auto& c) -> auto& { return Generator(c).ineligible_share; }));
  gen(RealKey(
      "tenant.generate.delegator_share", "share of users with delegates",
      kUnitInterval,
      [](auto& c) -> auto& { return Generator(c).delegator_share; }));
  gen(RealKey(
      "tenant.generate.in_order_share", "share of call groups ringing InOrder",
      kUnitInterval,
      [](auto& c) -> auto& { return Generator(c).in_order_share; }));
  gen(RealKey(
      "tenant.generate.forwarding_share",
      "share of users forwarding to a single target", kUnitInterval,
      [](auto& c) -> auto& { return Generator(c).forwarding_share; }));
  gen(UintKey(
      "tenant.generate.min_group_size", "fewest members of a generated group",
      1, [](auto& c) -> auto& { return Generator(c).min_group_size; }));
  gen(UintKey(
      "tenant.generate.max_group_size",
      "most members of a generated group; at most "
      "limits.members_per_group",
      1, [](auto& c) -> auto& { return Generator(c).max_group_size; }));
  gen(BoolKey(
      "tenant.generate.full_groups", "every group has max_group_size members",
      [](auto& c) -> auto& { return Generator(c).full_groups; }));
}

void AddLimitKeys(std::vector<KeySpec>& specs) {
  for (const NamedValue<Limit>& named : LimitNames()) {
    const Limit limit = named.value;
    specs.push_back(UintKey(
        "limits." + std::string(named.name),
        "overrides the teams profile's limit; 0 allows none",
        0, [limit](auto& c) -> auto& {
          return LimitField(c.tenant.limits, limit);
        }));
  }
}

void AddTrafficKeys(std::vector<KeySpec>& specs) {
  specs.push_back(RealKey(
      "traffic.calls_per_hour", "constant offered rate, calls per hour",
      kNonNegative, [](auto& c) -> auto& { return c.traffic.calls_per_hour; }));
  specs.push_back(ProfileKey());
  specs.push_back(EnumKey(
      "traffic.callee_choice", "how callees are drawn", CalleeChoiceNames(),
      "callee choice",
      [](auto& c) -> auto& { return c.traffic.callee_choice; }));
  specs.push_back(RealKey(
      "traffic.zipf_exponent", "skew of zipf callee choice", kPositive,
      [](auto& c) -> auto& { return c.traffic.zipf_exponent; }));
  specs.push_back(EnumKey(
      "traffic.callees", "who can be called", CalleeSetNames(), "callee set",
      [](auto& c) -> auto& { return c.traffic.callees; }));
  specs.push_back(RealKey(
      "traffic.pstn_share",
      "share of calls from the PSTN; the rest from a "
      "random user",
      kUnitInterval, [](auto& c) -> auto& { return c.traffic.pstn_share; }));
  specs.push_back(DistributionKey(
      "traffic.holding", "talk time of an answered call, seconds",
      [](auto& c) -> auto& { return c.traffic.holding; }));
  specs.push_back(DistributionKey(
      "traffic.patience", "seconds a caller waits before hanging up",
      [](auto& c) -> auto& { return c.traffic.patience; }));
  specs.push_back(ReplayKey());
  const auto column = [&specs](std::string name, std::string text,
                               std::string ReplayColumns::*field) {
    specs.push_back(StringKey(
        "traffic.replay_columns." + name,
        std::move(text), [field](auto& c) -> auto& {
          return c.traffic.replay_columns.*field;
        }));
  };
  column("timestamp", "replay column of the arrival second",
         &ReplayColumns::timestamp);
  column("callee", "replay column of the callee's UPN", &ReplayColumns::callee);
  column("caller", "replay column of the caller's UPN", &ReplayColumns::caller);
  column("pstn", "replay column saying the call is from the PSTN",
         &ReplayColumns::pstn);
  column("duration", "replay column of the holding seconds",
         &ReplayColumns::duration);
}

void AddPresenceKeys(std::vector<KeySpec>& specs) {
  specs.push_back(EnumKey(
      "behaviour.presence.mode", "how presence changes", PresenceModeNames(),
      "presence mode",
      [](auto& c) -> auto& { return c.behaviour.presence.mode; }));
  specs.push_back(PresenceKey(
      "behaviour.presence.share",
      "share of people in each state (at start); "
      "sums to 1",
      kUnitInterval,
      [](auto& c) -> auto& { return c.behaviour.presence.share; }));
  specs.push_back(PresenceKey(
      "behaviour.presence.mean_sojourn_s", "markov: mean seconds in each state",
      kPositive,
      [](auto& c) -> auto& { return c.behaviour.presence.mean_sojourn_s; }));
  for (const NamedValue<Presence>& from : PresenceNames()) {
    const auto row = static_cast<std::size_t>(from.value);
    specs.push_back(PresenceKey(
        "behaviour.presence.next." + std::string(from.name),
        "markov: shares of states entered on leaving " +
            std::string(from.name) + "; sums to 1",
        kUnitInterval, [row](auto& c) -> auto& {
          return c.behaviour.presence.next[row];
        }));
  }
}

void AddAnswerKeys(std::vector<KeySpec>& specs) {
  for (const NamedValue<Notification>& named : NotificationNames()) {
    const auto index = static_cast<std::size_t>(named.value);
    std::string name(named.name);
    for (char& c : name) c = static_cast<char>(std::tolower(c));
    specs.push_back(RealKey(
        "behaviour.answer." + name + ".probability",
        "chance a person notified by " + std::string(named.name) +
            " answers, before presence_factor",
        kUnitInterval, [index](auto& c) -> auto& {
          return c.behaviour.answer[index].probability;
        }));
    specs.push_back(DistributionKey(
        "behaviour.answer." + name + ".delay",
        "seconds from notification to answer", [index](auto& c) -> auto& {
          return c.behaviour.answer[index].delay;
        }));
  }
}

void AddBehaviourKeys(std::vector<KeySpec>& specs) {
  specs.push_back(BoolKey(
      "behaviour.owner_answers", "false: owners never answer their own calls",
      [](auto& c) -> auto& { return c.behaviour.owner_answers; }));
  specs.push_back(RealKey(
      "behaviour.owner_answer_probability",
      "chance the owner answers, before "
      "presence_factor",
      kUnitInterval,
      [](auto& c) -> auto& { return c.behaviour.owner_answer_probability; }));
  specs.push_back(DistributionKey(
      "behaviour.owner_answer_delay", "seconds before the owner answers",
      [](auto& c) -> auto& { return c.behaviour.owner_answer_delay; }));
  specs.push_back(BoolKey(
      "behaviour.members_answer_while_on_call",
      "a member notified during a call may answer", [](auto& c) -> auto& {
        return c.behaviour.members_answer_while_on_call;
      }));
  specs.push_back(BoolKey(
      "behaviour.internal_caller_busy",
      "an internal caller is on a call while their call is answered",
      [](auto& c) -> auto& { return c.behaviour.internal_caller_busy; }));
  AddPresenceKeys(specs);
  AddAnswerKeys(specs);
  specs.push_back(PresenceKey(
      "behaviour.presence_factor", "multiplies answer chances by presence",
      kUnitInterval,
      [](auto& c) -> auto& { return c.behaviour.presence_factor; }));
  specs.push_back(PresenceKey(
      "behaviour.presence_delay_factor", "multiplies answer delays by presence",
      kPositive,
      [](auto& c) -> auto& { return c.behaviour.presence_delay_factor; }));
}

void AddRouterKeys(std::vector<KeySpec>& specs) {
  specs.push_back(SecondsAsMillisKey(
      "behaviour.router.in_order_ring_s",
      "seconds each InOrder member rings before the next",
      [](auto& c) -> auto& { return c.behaviour.router.in_order_ring_ms; }));
  specs.push_back(SecondsAsMillisKey(
      "behaviour.router.voicemail_timeout_s",
      "seconds before an unanswered call goes to voicemail", [
      ](auto& c) -> auto& { return c.behaviour.router.voicemail_timeout_ms; }));
  specs.push_back(UintKey(
      "behaviour.router.forward_hops",
      "forward chains are followed this many hops", 0,
      [](auto& c) -> auto& { return c.behaviour.router.forward_hops; }));
  specs.push_back(BoolKey(
      "behaviour.router.notify_members_on_call",
      "members already on a call are notified", [](auto& c) -> auto& {
        return c.behaviour.router.notify_members_on_call;
      }));
  specs.push_back(BoolKey(
      "behaviour.router.notify_offline", "offline members are notified",
      [](auto& c) -> auto& { return c.behaviour.router.notify_offline; }));
  specs.push_back(BoolKey(
      "behaviour.router.notify_do_not_disturb",
      "members on Do Not Disturb are notified", [](auto& c) -> auto& {
        return c.behaviour.router.notify_do_not_disturb;
      }));
}

std::vector<KeySpec> BuildKeySpecs() {
  std::vector<KeySpec> specs;
  AddRunKeys(specs);
  AddTenantKeys(specs);
  AddLimitKeys(specs);
  AddTrafficKeys(specs);
  AddBehaviourKeys(specs);
  AddRouterKeys(specs);
  return specs;
}

}  // namespace

const std::vector<KeySpec>& KeySpecs() {
  static const std::vector<KeySpec> specs = BuildKeySpecs();
  return specs;
}

const KeySpec* FindKeySpec(std::string_view key) {
  for (const KeySpec& spec : KeySpecs()) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

bool IsSection(std::string_view key) {
  for (const KeySpec& spec : KeySpecs()) {
    if (spec.key.size() > key.size() && spec.key.starts_with(key) &&
        spec.key[key.size()] == '.') {
      return true;
    }
  }
  return false;
}

}  // namespace callshare::scenario_internal
