// Scenario files: a TOML description of a run (docs/scenarios.md), read
// into a SimConfig with every error reported at once, and written back so
// that a run can record the exact parameters it used.
#ifndef CALLSHARE_SCENARIO_SCENARIO_H_
#define CALLSHARE_SCENARIO_SCENARIO_H_

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "callshare/sim/config.h"
#include "callshare/tenant/diagnostic.h"

namespace callshare {

// Reads `file`, applies `overrides` (each "dotted.key=value", the value
// written as in TOML, quotes optional for strings) and checks every
// value. Relative paths resolve against the file's folder. A file that
// sets no key (empty, or blanks and comments only) is an error. On any error
// returns nullopt and appends every finding to `errors`; an override's
// findings name the file "--set". REQUIRES: errors != nullptr.
std::optional<SimConfig> LoadScenario(const std::filesystem::path& file,
                                      std::span<const std::string> overrides,
                                      Diagnostics* errors);

// Same as LoadScenario, from TOML text; `display_name` names it in
// diagnostics and gives the default run name, `folder` anchors relative
// paths.
std::optional<SimConfig> ParseScenario(std::string_view text,
                                       const std::string& display_name,
                                       const std::filesystem::path& folder,
                                       std::span<const std::string> overrides,
                                       Diagnostics* errors);

// One effective parameter: its dotted key and its value as TOML text.
struct ScenarioEntry {
  std::string key;
  std::string value;

  bool operator==(const ScenarioEntry&) const = default;
};

// Every parameter of `config`, in the order of ScenarioKeys(), then one
// entry per event ("events.1", ...) as an inline table. Keys of the
// unused tenant source are left out.
std::vector<ScenarioEntry> DescribeScenario(const SimConfig& config);

// A scenario file that loads back into `config`. Paths are absolute and
// a rate profile is written inline.
std::string ScenarioToToml(const SimConfig& config);

// An accepted key, for `--help-keys` and the format reference.
struct ScenarioKeyHelp {
  std::string key;            // dotted, e.g. "traffic.calls_per_hour"
  std::string description;    // one line, with the unit
  std::string default_value;  // as TOML text; empty when there is none
};

// Every accepted key, sections in file order, events last.
std::vector<ScenarioKeyHelp> ScenarioKeys();

}  // namespace callshare

#endif  // CALLSHARE_SCENARIO_SCENARIO_H_
