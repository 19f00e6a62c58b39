#include "toml_values.h"

#include <array>
#include <cmath>

#include <fmt/format.h>

namespace callshare::scenario_internal {
namespace {

constexpr std::array<NamedValue<RouterMode>, 2> kRouterModes{{
    {"as_deployed", RouterMode::kAsDeployed},
    {"enforced", RouterMode::kEnforced},
}};

constexpr std::array<NamedValue<DurationDistribution::Kind>, 3> kDistributions{{
    {"exponential", DurationDistribution::Kind::kExponential},
    {"lognormal", DurationDistribution::Kind::kLognormal},
    {"fixed", DurationDistribution::Kind::kFixed},
}};

constexpr std::array<NamedValue<Presence>, kPresenceCount> kPresences{{
    {"available", Presence::kAvailable},
    {"busy", Presence::kBusy},
    {"away", Presence::kAway},
    {"do_not_disturb", Presence::kDoNotDisturb},
    {"offline", Presence::kOffline},
}};

constexpr std::array<NamedValue<PresenceMode>, 2> kPresenceModes{{
    {"fixed", PresenceMode::kFixed},
    {"markov", PresenceMode::kMarkov},
}};

// Spelled as in directory files, so that one name means one thing.
constexpr std::array<NamedValue<Notification>, kNotificationCount>
    kNotifications{{
        {"Ring", Notification::kRing},
        {"Banner", Notification::kBanner},
        {"Mute", Notification::kMute},
    }};

constexpr std::array<NamedValue<CalleeChoice>, 2> kCalleeChoices{{
    {"uniform", CalleeChoice::kUniform},
    {"zipf", CalleeChoice::kZipf},
}};

constexpr std::array<NamedValue<CalleeSet>, 2> kCalleeSets{{
    {"all", CalleeSet::kAll},
    {"group_owners", CalleeSet::kGroupOwners},
}};

constexpr std::array<NamedValue<UserSelector>, 4> kUserSelectors{{
    {"all", UserSelector::kAll},
    {"group_owners", UserSelector::kGroupOwners},
    {"group_members", UserSelector::kGroupMembers},
    {"delegators", UserSelector::kDelegators},
}};

// The keys of [limits], one per field of LimitProfile.
constexpr std::array<NamedValue<Limit>, 7> kLimits{{
    {"groups_per_tenant", Limit::kGroupsPerTenant},
    {"members_per_group", Limit::kMembersPerGroup},
    {"memberships_per_user", Limit::kMembershipsPerUser},
    {"in_order_members", Limit::kInOrderMembers},
    {"delegates_per_user", Limit::kDelegatesPerUser},
    {"delegators_per_delegate", Limit::kDelegatorsPerDelegate},
    {"member_list_chars", Limit::kMemberListChars},
}};

std::string BoundsText(RealBounds bounds) {
  if (std::isinf(bounds.max)) {
    return fmt::format("must be {} {}",
                       bounds.min_exclusive ? ">" : ">=", bounds.min);
  }
  return fmt::format("must be in [{}, {}]", bounds.min, bounds.max);
}

bool InBounds(double value, RealBounds bounds) {
  const bool above_min =
      bounds.min_exclusive ? value > bounds.min : value >= bounds.min;
  return above_min && value <= bounds.max;
}

void ExpectedError(const Item& item, std::string_view expected,
                   LoadContext& context) {
  context.Error(
      item, fmt::format("expected {}, got {}", expected, TypeName(item.node)));
}

}  // namespace

void LoadContext::Error(const Item& item, std::string message) {
  if (IsOverridden(item.key)) {
    ErrorInFile("--set", 0, item.key, std::move(message));
    return;
  }
  ErrorInFile(file_, item.line, item.key, std::move(message));
}

void LoadContext::Error(const std::string& key, std::string message) {
  const auto found = lines_.find(key);
  const std::uint32_t line = found == lines_.end() ? 0 : found->second;
  static const toml::value<bool> kNoNode(false);
  Error(Item{kNoNode, key, line}, std::move(message));
}

void LoadContext::ErrorInFile(std::string file, std::uint32_t line,
                              std::string field, std::string message) {
  failed_ = true;
  errors_->push_back(Diagnostic{Diagnostic::Severity::kError, std::move(file),
                                line, std::move(field), std::move(message)});
}

// A key is overridden when it, or a table holding it, was set by --set.
bool LoadContext::IsOverridden(std::string_view key) const {
  for (std::string_view prefix = key; !prefix.empty();) {
    if (overridden_.contains(prefix)) return true;
    const std::size_t dot = prefix.rfind('.');
    if (dot == std::string_view::npos) break;
    prefix = prefix.substr(0, dot);
  }
  return false;
}

std::string_view TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    default:
      return "a date or time";
  }
}

bool ReadReal(const Item& item, RealBounds bounds, LoadContext& context,
              double* out) {
  if (!item.node.is_number()) {
    ExpectedError(item, "a number", context);
    return false;
  }
  const double value = item.node.is_integer()
                           ? static_cast<double>(*item.node.value<int64_t>())
                           : *item.node.value<double>();
  if (!std::isfinite(value) || !InBounds(value, bounds)) {
    context.Error(item, fmt::format("{}, got {}", BoundsText(bounds), value));
    return false;
  }
  *out = value;
  return true;
}

bool ReadUint(const Item& item, std::uint64_t min, std::uint64_t max,
              LoadContext& context, std::uint64_t* out) {
  if (!item.node.is_integer()) {
    ExpectedError(item, "an integer", context);
    return false;
  }
  const std::int64_t value = *item.node.value<std::int64_t>();
  if (value < 0 || static_cast<std::uint64_t>(value) < min ||
      static_cast<std::uint64_t>(value) > max) {
    context.Error(item,
                  fmt::format("must be in [{}, {}], got {}", min, max, value));
    return false;
  }
  *out = static_cast<std::uint64_t>(value);
  return true;
}

bool ReadUint32(const Item& item, std::uint32_t min, LoadContext& context,
                std::uint32_t* out) {
  std::uint64_t value = 0;
  if (!ReadUint(item, min, std::numeric_limits<std::uint32_t>::max(), context,
                &value)) {
    return false;
  }
  *out = static_cast<std::uint32_t>(value);
  return true;
}

bool ReadBool(const Item& item, LoadContext& context, bool* out) {
  if (!item.node.is_boolean()) {
    ExpectedError(item, "a boolean", context);
    return false;
  }
  *out = *item.node.value<bool>();
  return true;
}

bool ReadString(const Item& item, LoadContext& context, std::string* out) {
  if (!item.node.is_string()) {
    ExpectedError(item, "a string", context);
    return false;
  }
  *out = *item.node.value<std::string>();
  return true;
}

bool ReadStringList(const Item& item, LoadContext& context,
                    std::vector<std::string>* out) {
  const toml::array* array = item.node.as_array();
  if (array == nullptr) {
    ExpectedError(item, "an array of strings", context);
    return false;
  }
  std::vector<std::string> values;
  for (const toml::node& element : *array) {
    if (!element.is_string()) {
      ExpectedError(Item{element, item.key, item.line}, "a string", context);
      return false;
    }
    values.push_back(*element.value<std::string>());
  }
  *out = std::move(values);
  return true;
}

bool ReadPath(const Item& item, LoadContext& context,
              std::filesystem::path* out) {
  std::string text;
  if (!ReadString(item, context, &text)) return false;
  if (text.empty()) {
    *out = std::filesystem::path();
    return true;
  }
  *out = (context.folder() / text).lexically_normal();
  return true;
}

bool ReadDistribution(const Item& item, LoadContext& context,
                      DurationDistribution* out) {
  DurationDistribution value = *out;
  bool sigma_given = false;
  const bool is_table = ForEachEntry(item, context, [&](const Item& entry) {
    const std::string_view name =
        std::string_view(entry.key).substr(item.key.size() + 1);
    if (name == "kind") {
      ReadEnum(entry, DistributionNames(), "distribution", context,
               &value.kind);
    } else if (name == "mean_s") {
      ReadReal(entry, kPositive, context, &value.mean_s);
    } else if (name == "sigma") {
      sigma_given = ReadReal(entry, kPositive, context, &value.sigma);
    } else {
      context.Error(entry, "unknown key; choose kind | mean_s | sigma");
    }
  });
  if (!is_table) return false;
  if (sigma_given && value.kind != DurationDistribution::Kind::kLognormal) {
    context.Error(item, "sigma applies to kind = \"lognormal\" only");
    return false;
  }
  *out = value;
  return true;
}

bool ReadPresenceTable(const Item& item, RealBounds bounds,
                       LoadContext& context, PresenceTable* out) {
  PresenceTable value = *out;
  const bool is_table = ForEachEntry(item, context, [&](const Item& entry) {
    const std::string_view name =
        std::string_view(entry.key).substr(item.key.size() + 1);
    for (const NamedValue<Presence>& presence : kPresences) {
      if (presence.name == name) {
        ReadReal(entry, bounds, context,
                 &value[static_cast<std::size_t>(presence.value)]);
        return;
      }
    }
    context.Error(entry,
                  "unknown presence; choose " + Choices(PresenceNames()));
  });
  if (!is_table) return false;
  *out = value;
  return true;
}

std::string RealLiteral(double value) {
  // Shortest text that reads back as the same double; TOML accepts it.
  // Adding +0.0 writes -0.0 as "0": "-0" would read back as an integer,
  // so a written scenario would not survive a second write unchanged.
  return fmt::format("{}", value + 0.0);
}

std::string StringLiteral(std::string_view value) {
  std::string text = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') {
      text += '\\';
      text += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      text += fmt::format("\\u{:04X}", static_cast<unsigned char>(c));
    } else {
      text += c;
    }
  }
  return text + "\"";
}

std::string BoolLiteral(bool value) { return value ? "true" : "false"; }

std::string StringListLiteral(std::span<const std::string> values) {
  std::string text = "[";
  for (const std::string& value : values) {
    if (text.size() > 1) text += ", ";
    text += StringLiteral(value);
  }
  return text + "]";
}

std::string DistributionLiteral(const DurationDistribution& value) {
  std::string text =
      fmt::format("{{ kind = {}, mean_s = {}",
                  StringLiteral(NameOf(DistributionNames(), value.kind)),
                  RealLiteral(value.mean_s));
  if (value.kind == DurationDistribution::Kind::kLognormal) {
    text += ", sigma = " + RealLiteral(value.sigma);
  }
  return text + " }";
}

std::string PresenceTableLiteral(const PresenceTable& value) {
  std::string text = "{ ";
  for (const NamedValue<Presence>& presence : kPresences) {
    if (text.size() > 2) text += ", ";
    text += fmt::format(
        "{} = {}", presence.name,
        RealLiteral(value[static_cast<std::size_t>(presence.value)]));
  }
  return text + " }";
}

std::span<const NamedValue<RouterMode>> RouterModeNames() {
  return kRouterModes;
}
std::span<const NamedValue<DurationDistribution::Kind>> DistributionNames() {
  return kDistributions;
}
std::span<const NamedValue<Presence>> PresenceNames() { return kPresences; }
std::span<const NamedValue<PresenceMode>> PresenceModeNames() {
  return kPresenceModes;
}
std::span<const NamedValue<Notification>> NotificationNames() {
  return kNotifications;
}
std::span<const NamedValue<CalleeChoice>> CalleeChoiceNames() {
  return kCalleeChoices;
}
std::span<const NamedValue<CalleeSet>> CalleeSetNames() { return kCalleeSets; }
std::span<const NamedValue<UserSelector>> UserSelectorNames() {
  return kUserSelectors;
}
std::span<const NamedValue<Limit>> LimitNames() { return kLimits; }

}  // namespace callshare::scenario_internal
