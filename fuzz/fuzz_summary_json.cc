// Fuzzes the readers behind `callshare compare`: summary.json and
// sweep.json.
//
// Input: the file's bytes. They go through ReadSummary and ReadSweep from
// a file, as compare reads them, and, when they parse as JSON, through
// SummaryFromJson directly, so that documents without the right schema
// still reach the field checks.
//
// Beyond not crashing: a refused file names an error with a message; an
// accepted summary or sweep is written back and read again to the same
// JSON.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "callshare/reports/summary_json.h"
#include "callshare/reports/sweep.h"
#include "fuzz_util.h"

namespace callshare::fuzz {
namespace {

using Json = nlohmann::ordered_json;

const std::filesystem::path& InputFile() {
  static const std::filesystem::path kFile = ScratchFolder() / "input.json";
  return kFile;
}

const std::filesystem::path& WrittenFile() {
  static const std::filesystem::path kFile = ScratchFolder() / "written.json";
  return kFile;
}

void CheckSummaryRoundTrip(const Summary& summary) {
  const Json json = SummaryToJson(summary);
  Diagnostics errors;
  const std::optional<Summary> again =
      SummaryFromJson(json, "written", "", &errors);
  Require(again.has_value(), "SummaryToJson wrote a summary that fails",
          errors);
  Require(SummaryToJson(*again) == json,
          "summary changed on a write-read-write round trip");
}

void CheckSweepRoundTrip(const SweepResult& sweep) {
  const Json json = SweepToJson(sweep);
  WriteBytes(WrittenFile(), json.dump(2));
  Diagnostics errors;
  const std::optional<SweepResult> again = ReadSweep(WrittenFile(), &errors);
  Require(again.has_value(), "SweepToJson wrote a sweep that fails", errors);
  Require(SweepToJson(*again) == json,
          "sweep changed on a write-read-write round trip");
}

void FuzzSummaryFromJson(std::string_view bytes) {
  const Json json = Json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return;
  Diagnostics errors;
  const std::optional<Summary> summary =
      SummaryFromJson(json, "input", "", &errors);
  RequireExplained(summary.has_value(), errors);
  if (summary) CheckSummaryRoundTrip(*summary);
}

}  // namespace
}  // namespace callshare::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using namespace callshare;
  using namespace callshare::fuzz;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  WriteBytes(InputFile(), bytes);

  Diagnostics errors;
  const std::optional<Summary> summary = ReadSummary(InputFile(), &errors);
  RequireExplained(summary.has_value(), errors);
  if (summary) CheckSummaryRoundTrip(*summary);

  errors.clear();
  const std::optional<SweepResult> sweep = ReadSweep(InputFile(), &errors);
  RequireExplained(sweep.has_value(), errors);
  if (sweep) CheckSweepRoundTrip(*sweep);

  FuzzSummaryFromJson(bytes);
  return 0;
}
