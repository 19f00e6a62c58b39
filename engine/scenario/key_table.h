// The table of every fixed scenario key: how it is read into a SimConfig,
// how it is written back, and what it means. Loading, describing, writing
// and --help-keys all walk this one table, so they cannot disagree.
// Internal to callshare_scenario.
#ifndef CALLSHARE_SCENARIO_KEY_TABLE_H_
#define CALLSHARE_SCENARIO_KEY_TABLE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callshare/sim/config.h"
#include "toml_values.h"

namespace callshare::scenario_internal {

struct KeySpec {
  std::string key;          // dotted, e.g. "run.duration_s"
  std::string description;  // one line, with the unit
  // For a key whose value is a table (a distribution, a presence table),
  // the keys it accepts, so that "--set key.sub=value" can be checked.
  std::vector<std::string_view> subkeys;
  std::function<void(const Item&, LoadContext&, SimConfig&)> read;
  // The value as TOML text, or nullopt when the key does not apply.
  std::function<std::optional<std::string>(const SimConfig&)> write;
};

// Every fixed key, grouped by section in file order.
const std::vector<KeySpec>& KeySpecs();

// The spec of `key`, or nullptr.
const KeySpec* FindKeySpec(std::string_view key);

// Whether some fixed key lies under the table `key`.
bool IsSection(std::string_view key);

// Reads the rate profile of `item`: a CSV path or an array of tables.
void ReadRateProfile(const Item& item, LoadContext& context,
                     std::vector<RateInterval>* out);

}  // namespace callshare::scenario_internal

#endif  // CALLSHARE_SCENARIO_KEY_TABLE_H_
