// Loading and generating tenant directories at the size of the largest
// tenant we model: a million users and the full 32,768 call groups of 25.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "callshare/tenant/directory_csv.h"
#include "callshare/tenant/generator.h"

namespace callshare {
namespace {

namespace fs = std::filesystem;

GeneratorOptions LargestTenant() {
  GeneratorOptions options;
  options.users = 1'000'000;
  options.groups = 32'768;
  options.full_groups = true;
  return options;
}

std::size_t RowCount(const Directory& directory) {
  return directory.users.size() + directory.policies.size() +
         directory.settings.size() + directory.members.size() +
         directory.delegates.size();
}

// The largest tenant, generated and written once per process into a
// folder under /tmp that is removed at exit.
class LargestTenantFolder {
 public:
  static const LargestTenantFolder& Get() {
    static const LargestTenantFolder folder;
    return folder;
  }

  const fs::path& path() const { return path_; }
  std::size_t rows() const { return rows_; }

 private:
  LargestTenantFolder()
      : path_(fs::temp_directory_path() /
              ("callshare_bench_" + std::to_string(::getpid()))) {
    const Directory directory =
        GenerateDirectory(LargestTenant(), LimitProfile::Teams());
    rows_ = RowCount(directory);
    Diagnostics errors;
    if (!WriteDirectory(directory, path_, &errors)) {
      for (const Diagnostic& error : errors) {
        std::fprintf(stderr, "%s\n", error.ToString().c_str());
      }
      std::abort();
    }
  }
  ~LargestTenantFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }

  fs::path path_;
  std::size_t rows_ = 0;
};

// ReadDirectory and Tenant::Build of the largest tenant, from files that
// sit in the page cache after the first iteration.
void BM_LoadDirectory(benchmark::State& state) {
  const LargestTenantFolder& folder = LargestTenantFolder::Get();
  const LimitProfile limits = LimitProfile::Teams();
  for (auto _ : state) {
    Diagnostics errors;
    auto tenant = LoadTenant(folder.path(), limits, &errors);
    if (!tenant) {
      state.SkipWithError("the generated directory did not load");
      return;
    }
    benchmark::DoNotOptimize(tenant);
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(folder.rows()),
                         benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_LoadDirectory)->Unit(benchmark::kMillisecond)->UseRealTime();

// Tenant::Build alone, from rows read once, to tell building from parsing.
void BM_BuildTenant(benchmark::State& state) {
  const LargestTenantFolder& folder = LargestTenantFolder::Get();
  const LimitProfile limits = LimitProfile::Teams();
  Diagnostics errors;
  const std::optional<Directory> directory =
      ReadDirectory(folder.path(), &errors);
  if (!directory) {
    state.SkipWithError("the generated directory did not read");
    return;
  }
  for (auto _ : state) {
    auto tenant = Tenant::Build(*directory, limits, &errors);
    benchmark::DoNotOptimize(tenant);
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(folder.rows()),
                         benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_BuildTenant)->Unit(benchmark::kMillisecond)->UseRealTime();

// ReadDirectory alone, to tell parsing from building.
void BM_ReadDirectory(benchmark::State& state) {
  const LargestTenantFolder& folder = LargestTenantFolder::Get();
  for (auto _ : state) {
    Diagnostics errors;
    auto directory = ReadDirectory(folder.path(), &errors);
    benchmark::DoNotOptimize(directory);
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(folder.rows()),
                         benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ReadDirectory)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_GenerateDirectory(benchmark::State& state) {
  GeneratorOptions options = LargestTenant();
  options.users = static_cast<std::uint32_t>(state.range(0));
  options.groups = static_cast<std::uint32_t>(state.range(1));
  std::size_t rows = 0;
  for (auto _ : state) {
    Directory directory = GenerateDirectory(options, LimitProfile::Teams());
    rows = RowCount(directory);
    benchmark::DoNotOptimize(directory);
  }
  state.counters["rows/s"] = benchmark::Counter(
      static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_GenerateDirectory)
    ->Args({100'000, 3'276})
    ->Args({1'000'000, 32'768})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace callshare

BENCHMARK_MAIN();
