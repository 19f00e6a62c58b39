// Fuzzes the scenario loader: TOML text and --set overrides.
//
// Input: the scenario text, then up to four overrides, each after a NUL
// byte ("key=value" as on the command line). Relative paths resolve
// against tests/data/scenarios, so that the fuzzer can reach the rate
// profile and tenant folder found there.
//
// Beyond not crashing: a refused scenario names an error with a message;
// an accepted one is written back with ScenarioToToml, loads again, and
// writes back to the very same text.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callshare/scenario/scenario.h"
#include "fuzz_util.h"

namespace callshare::fuzz {
namespace {

constexpr std::size_t kMaxOverrides = 4;

const std::filesystem::path& DataFolder() {
  static const std::filesystem::path kFolder =
      std::filesystem::path(CALLSHARE_SOURCE_DIR) / "tests/data/scenarios";
  return kFolder;
}

void CheckRoundTrip(const SimConfig& config) {
  const std::string text = ScenarioToToml(config);
  Diagnostics errors;
  const std::optional<SimConfig> again =
      ParseScenario(text, "written.toml", DataFolder(), {}, &errors);
  Require(again.has_value(), "ScenarioToToml wrote a scenario that fails",
          errors);
  Require(ScenarioToToml(*again) == text,
          "scenario changed on a write-read-write round trip");
}

}  // namespace
}  // namespace callshare::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using namespace callshare;
  using namespace callshare::fuzz;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto parts = Split(bytes, '\0', kMaxOverrides + 1);
  const std::vector<std::string> overrides(parts.begin() + 1, parts.end());

  Diagnostics errors;
  const std::optional<SimConfig> config = ParseScenario(
      parts.front(), "fuzz.toml", DataFolder(), overrides, &errors);
  RequireExplained(config.has_value(), errors);
  if (config) CheckRoundTrip(*config);
  return 0;
}
