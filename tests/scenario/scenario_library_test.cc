// The scenario library (scenarios/ and scenarios/validation/): every file
// a planner is pointed at loads without an error, and so does what it
// names: its tenant, generated or read from a directory, and its call
// log. A scenario broken by a renamed key or a moved tenant fails here
// rather than in front of a planner.
#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "callshare/scenario/scenario.h"
#include "callshare/sim/replay.h"
#include "callshare/tenant/directory_csv.h"
#include "callshare/tenant/generator.h"

namespace callshare {
namespace {

namespace fs = std::filesystem;

// Generating and building a tenant is cheap up to this size (well under
// a second); the soak scenario's million users are parsed only.
constexpr std::uint32_t kLargestTenantBuilt = 100'000;

const fs::path kLibrary = fs::path(CALLSHARE_SOURCE_DIR) / "scenarios";

// The .toml files of `folder`, sorted.
std::vector<fs::path> ScenarioFiles(const fs::path& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  }
  std::ranges::sort(files);
  return files;
}

std::string Describe(const Diagnostics& diagnostics) {
  std::string text;
  for (const Diagnostic& diagnostic : diagnostics) {
    text += diagnostic.ToString() + "\n";
  }
  return text;
}

// The scenario's tenant, generated or loaded as `callshare run` does.
std::optional<Tenant> BuildTenant(const SimConfig& config,
                                  Diagnostics* errors) {
  if (config.tenant.generated()) {
    const auto& options = std::get<GeneratorOptions>(config.tenant.source);
    return Tenant::Build(GenerateDirectory(options, config.tenant.limits),
                         config.tenant.limits, errors);
  }
  return LoadTenant(std::get<fs::path>(config.tenant.source),
                    config.tenant.limits, errors);
}

void CheckScenario(const fs::path& file) {
  SCOPED_TRACE(file.string());
  Diagnostics errors;
  const std::optional<SimConfig> config = LoadScenario(file, {}, &errors);
  ASSERT_TRUE(config.has_value()) << Describe(errors);
  EXPECT_FALSE(HasErrors(errors)) << Describe(errors);

  if (config->tenant.generated() &&
      std::get<GeneratorOptions>(config->tenant.source).users >
          kLargestTenantBuilt) {
    return;  // parsed only
  }
  const std::optional<Tenant> tenant = BuildTenant(*config, &errors);
  ASSERT_TRUE(tenant.has_value()) << Describe(errors);
  EXPECT_GT(tenant->user_count(), 0u);
  if (config->traffic.replay.empty()) return;
  const std::optional<CallLog> log = ReadCallLog(
      config->traffic.replay, config->traffic.replay_columns, *tenant, &errors);
  ASSERT_TRUE(log.has_value()) << Describe(errors);
  EXPECT_FALSE(log->calls.empty());
}

TEST(ScenarioLibraryTest, EveryScenarioLoadsWithItsTenant) {
  const std::vector<fs::path> files = ScenarioFiles(kLibrary);
  ASSERT_FALSE(files.empty()) << "no scenario in " << kLibrary;
  for (const fs::path& file : files) CheckScenario(file);
}

TEST(ScenarioLibraryTest, EveryValidationScenarioLoadsWithItsTenant) {
  const std::vector<fs::path> files = ScenarioFiles(kLibrary / "validation");
  ASSERT_FALSE(files.empty()) << "no scenario in " << kLibrary / "validation";
  for (const fs::path& file : files) CheckScenario(file);
}

}  // namespace
}  // namespace callshare
