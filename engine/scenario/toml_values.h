// The pieces every scenario key is read and written with: where findings
// go, typed readers that check range and report key and line, and writers
// that turn values back into TOML text. Internal to callshare_scenario.
#ifndef CALLSHARE_SCENARIO_TOML_VALUES_H_
#define CALLSHARE_SCENARIO_TOML_VALUES_H_

#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "callshare/sim/config.h"
#include "callshare/tenant/diagnostic.h"

namespace callshare::scenario_internal {

// A value found in the scenario: the node, its dotted key and the line of
// the key (0 when the value came from an override).
struct Item {
  const toml::node& node;
  std::string key;
  std::uint32_t line = 0;
};

// Collects the findings of one load and what is needed to phrase them.
class LoadContext {
 public:
  LoadContext(std::string file, std::filesystem::path folder,
              Diagnostics* errors)
      : file_(std::move(file)), folder_(std::move(folder)), errors_(errors) {}

  // Reports `message` about `item`; an overridden key is blamed on --set.
  void Error(const Item& item, std::string message);
  // Reports `message` about `key`, at the line it was read from if any.
  void Error(const std::string& key, std::string message);
  // Reports a finding in another file, such as a rate profile.
  void ErrorInFile(std::string file, std::uint32_t line, std::string field,
                   std::string message);

  void MarkOverridden(std::string key) { overridden_.insert(std::move(key)); }
  void RecordLine(const std::string& key, std::uint32_t line) {
    lines_[key] = line;
  }

  const std::filesystem::path& folder() const { return folder_; }
  const std::string& file() const { return file_; }
  bool failed() const { return failed_; }

 private:
  bool IsOverridden(std::string_view key) const;

  std::string file_;
  std::filesystem::path folder_;
  Diagnostics* errors_;
  std::set<std::string, std::less<>> overridden_;
  std::map<std::string, std::uint32_t, std::less<>> lines_;
  bool failed_ = false;
};

// The accepted range of a real value.
struct RealBounds {
  double min = 0.0;
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
};
inline constexpr RealBounds kPositive{
    0.0, std::numeric_limits<double>::infinity(), true};
inline constexpr RealBounds kNonNegative{};
inline constexpr RealBounds kUnitInterval{0.0, 1.0, false};

// A name of an enumerator as scenarios spell it.
template <typename Enum>
struct NamedValue {
  std::string_view name;
  Enum value;
};

// Each reader checks type and range, stores into *out on success and
// returns whether it did; on failure it has reported the error.
bool ReadReal(const Item& item, RealBounds bounds, LoadContext& context,
              double* out);
bool ReadUint(const Item& item, std::uint64_t min, std::uint64_t max,
              LoadContext& context, std::uint64_t* out);
bool ReadUint32(const Item& item, std::uint32_t min, LoadContext& context,
                std::uint32_t* out);
bool ReadBool(const Item& item, LoadContext& context, bool* out);
bool ReadString(const Item& item, LoadContext& context, std::string* out);
bool ReadStringList(const Item& item, LoadContext& context,
                    std::vector<std::string>* out);
// A path made absolute against the scenario's folder.
bool ReadPath(const Item& item, LoadContext& context,
              std::filesystem::path* out);
// A table {kind, mean_s, sigma}; keys not given keep *out's values.
bool ReadDistribution(const Item& item, LoadContext& context,
                      DurationDistribution* out);
// A table keyed by presence names; keys not given keep *out's values.
bool ReadPresenceTable(const Item& item, RealBounds bounds,
                       LoadContext& context, PresenceTable* out);

// `what` names the enumeration in the message ("router mode").
template <typename Enum>
bool ReadEnum(const Item& item, std::span<const NamedValue<Enum>> names,
              std::string_view what, LoadContext& context, Enum* out);

// Calls `visit(sub_item)` for every key of a table item; false, with an
// error, when the item is not a table.
template <typename Visit>
bool ForEachEntry(const Item& item, LoadContext& context, Visit visit);

// "a | b | c", for messages that list the choices.
template <typename Enum>
std::string Choices(std::span<const NamedValue<Enum>> names);
template <typename Enum>
std::string_view NameOf(std::span<const NamedValue<Enum>> names, Enum value);

// TOML text of values, read back exactly by the readers above.
std::string RealLiteral(double value);
std::string StringLiteral(std::string_view value);
std::string BoolLiteral(bool value);
std::string StringListLiteral(std::span<const std::string> values);
std::string DistributionLiteral(const DurationDistribution& value);
std::string PresenceTableLiteral(const PresenceTable& value);

// TOML's name for the type of `node`, for "expected X, got Y".
std::string_view TypeName(const toml::node& node);

// The names scenarios use for the enumerations of config.h.
std::span<const NamedValue<RouterMode>> RouterModeNames();
std::span<const NamedValue<DurationDistribution::Kind>> DistributionNames();
std::span<const NamedValue<Presence>> PresenceNames();
std::span<const NamedValue<PresenceMode>> PresenceModeNames();
std::span<const NamedValue<Notification>> NotificationNames();
std::span<const NamedValue<CalleeChoice>> CalleeChoiceNames();
std::span<const NamedValue<CalleeSet>> CalleeSetNames();
std::span<const NamedValue<UserSelector>> UserSelectorNames();
std::span<const NamedValue<Limit>> LimitNames();

// ---------------------------------------------------------------------
// Template definitions.

template <typename Enum>
std::string Choices(std::span<const NamedValue<Enum>> names) {
  std::string text;
  for (const NamedValue<Enum>& named : names) {
    if (!text.empty()) text += " | ";
    text += named.name;
  }
  return text;
}

template <typename Enum>
std::string_view NameOf(std::span<const NamedValue<Enum>> names, Enum value) {
  for (const NamedValue<Enum>& named : names) {
    if (named.value == value) return named.name;
  }
  return "?";
}

template <typename Enum>
bool ReadEnum(const Item& item, std::span<const NamedValue<Enum>> names,
              std::string_view what, LoadContext& context, Enum* out) {
  std::string name;
  if (!ReadString(item, context, &name)) return false;
  for (const NamedValue<Enum>& named : names) {
    if (named.name == name) {
      *out = named.value;
      return true;
    }
  }
  context.Error(item, "unknown " + std::string(what) + " '" + name +
                          "'; choose " + Choices(names));
  return false;
}

template <typename Visit>
bool ForEachEntry(const Item& item, LoadContext& context, Visit visit) {
  const toml::table* table = item.node.as_table();
  if (table == nullptr) {
    context.Error(item,
                  "expected a table, got " + std::string(TypeName(item.node)));
    return false;
  }
  for (const auto& [key, node] : *table) {
    const std::uint32_t line =
        item.line == 0 ? 0
                       : static_cast<std::uint32_t>(key.source().begin.line);
    visit(Item{node, item.key + "." + std::string(key.str()), line});
  }
  return true;
}

}  // namespace callshare::scenario_internal

#endif  // CALLSHARE_SCENARIO_TOML_VALUES_H_
