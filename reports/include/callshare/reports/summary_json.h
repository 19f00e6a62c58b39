// summary.json: the one file a run's results live in, and the file the
// compare gate reads. The layout is documented in docs/summary-schema.md.
#ifndef CALLSHARE_REPORTS_SUMMARY_JSON_H_
#define CALLSHARE_REPORTS_SUMMARY_JSON_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "callshare/reports/summary.h"
#include "callshare/tenant/diagnostic.h"

namespace callshare {

inline constexpr std::string_view kSummarySchema = "callshare.summary/1";

// The summary as a JSON object whose keys keep a fixed order, so that the
// same summary always gives the same bytes.
nlohmann::ordered_json SummaryToJson(const Summary& summary);

// The text of summary.json: SummaryToJson indented by two, ending in a
// newline.
std::string SummaryJsonText(const Summary& summary);

// The inverse of SummaryToJson. Every missing or mistyped field is
// appended to `errors` as "file: path.to.field: message"; `path` prefixes
// the field paths (empty at the top of a file). Returns nullopt on any
// error.
std::optional<Summary> SummaryFromJson(const nlohmann::ordered_json& json,
                                       const std::string& file,
                                       const std::string& path,
                                       Diagnostics* errors);

// Reads and checks a summary.json file, schema included.
std::optional<Summary> ReadSummary(const std::filesystem::path& file,
                                   Diagnostics* errors);

// Parses a JSON file, appending a Diagnostic when it cannot be read or is
// not JSON.
std::optional<nlohmann::ordered_json> ReadJsonFile(
    const std::filesystem::path& file, Diagnostics* errors);

// Writes `text` to `file`; false and a Diagnostic when it cannot.
bool WriteTextFile(const std::filesystem::path& file, const std::string& text,
                   Diagnostics* errors);

// Creates `folder` and its parents when missing; false and a Diagnostic
// when it cannot.
bool CreateFolder(const std::filesystem::path& folder, Diagnostics* errors);

// Writes summary.json and the chart CSVs (see summary_csv.h) into
// `out_dir`, creating it when missing.
bool WriteSummaryFiles(const Summary& summary,
                       const std::filesystem::path& out_dir,
                       Diagnostics* errors);

}  // namespace callshare

#endif  // CALLSHARE_REPORTS_SUMMARY_JSON_H_
