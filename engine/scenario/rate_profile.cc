// Rate profiles: a piecewise-constant offered rate, from a CSV file or
// from tables in the scenario.
#include <charconv>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "key_table.h"

namespace callshare::scenario_internal {
namespace {

constexpr std::string_view kProfileHeader = "interval_start_s,calls_per_hour";

std::string_view Trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

// Parses one CSV cell as a finite number, or reports it.
bool ParseCell(std::string_view cell, std::string_view column,
               const std::string& file, std::uint32_t line,
               LoadContext& context, double* out) {
  cell = Trim(cell);
  const auto [end, error] =
      std::from_chars(cell.data(), cell.data() + cell.size(), *out);
  if (error != std::errc() || end != cell.data() + cell.size() ||
      !std::isfinite(*out)) {
    context.ErrorInFile(file, line, std::string(column),
                        fmt::format("expected a number, got '{}'", cell));
    return false;
  }
  return true;
}

// Appends `interval` if it starts after the last one (the first at 0)
// and its rate is not negative; returns the finding otherwise.
std::string CheckInterval(const std::vector<RateInterval>& intervals,
                          const RateInterval& interval, std::string* field) {
  *field = "calls_per_hour";
  if (interval.calls_per_hour < 0) {
    return fmt::format("must be >= 0, got {}", interval.calls_per_hour);
  }
  *field = "interval_start_s";
  if (intervals.empty() && interval.start_s != 0) {
    return fmt::format("the first interval must start at 0, got {}",
                       interval.start_s);
  }
  if (!intervals.empty() && interval.start_s <= intervals.back().start_s) {
    return fmt::format(
        "must be after the previous interval's start ({}), "
        "got {}",
        intervals.back().start_s, interval.start_s);
  }
  return {};
}

// Reads one data row of the CSV; false after reporting a bad row.
bool ReadCsvRow(std::string_view row, const std::string& file,
                std::uint32_t line, LoadContext& context,
                std::vector<RateInterval>* intervals) {
  const std::size_t comma = row.find(',');
  if (comma == std::string_view::npos ||
      row.find(',', comma + 1) != std::string_view::npos) {
    context.ErrorInFile(file, line, "",
                        "expected 2 columns: " + std::string(kProfileHeader));
    return false;
  }
  RateInterval interval;
  if (!ParseCell(row.substr(0, comma), "interval_start_s", file, line, context,
                 &interval.start_s) ||
      !ParseCell(row.substr(comma + 1), "calls_per_hour", file, line, context,
                 &interval.calls_per_hour)) {
    return false;
  }
  std::string field;
  const std::string finding = CheckInterval(*intervals, interval, &field);
  if (!finding.empty()) {
    context.ErrorInFile(file, line, field, finding);
    return false;
  }
  intervals->push_back(interval);
  return true;
}

void ReadProfileCsv(const Item& item, LoadContext& context,
                    std::vector<RateInterval>* out) {
  std::filesystem::path path;
  if (!ReadPath(item, context, &path)) return;
  std::ifstream stream(path);
  const std::string file = path.string();
  if (!stream) {
    context.Error(item, "cannot open rate profile '" + file + "'");
    return;
  }

  // The header names the columns, so that a swapped file is caught.
  std::string text;
  std::getline(stream, text);
  if (Trim(text) != kProfileHeader) {
    context.ErrorInFile(file, 1, "",
                        fmt::format("expected header '{}', got '{}'",
                                    kProfileHeader, Trim(text)));
    return;
  }

  // Every row is read, so that all bad rows are reported at once.
  std::vector<RateInterval> intervals;
  bool ok = true;
  for (std::uint32_t line = 2; std::getline(stream, text); ++line) {
    if (Trim(text).empty()) continue;
    ok = ReadCsvRow(text, file, line, context, &intervals) && ok;
  }
  if (ok && intervals.empty()) {
    context.Error(item, "rate profile '" + file + "' has no intervals");
    return;
  }
  if (ok) *out = std::move(intervals);
}

// One [[traffic.profile]] table: {start_s, calls_per_hour}.
bool ReadProfileTable(const Item& item, LoadContext& context,
                      std::vector<RateInterval>* intervals) {
  RateInterval interval{-1.0, -1.0};
  const bool is_table = ForEachEntry(item, context, [&](const Item& entry) {
    const std::string_view name =
        std::string_view(entry.key).substr(item.key.size() + 1);
    if (name == "start_s") {
      ReadReal(entry, kNonNegative, context, &interval.start_s);
    } else if (name == "calls_per_hour") {
      ReadReal(entry, kNonNegative, context, &interval.calls_per_hour);
    } else {
      context.Error(entry, "unknown key; choose start_s | calls_per_hour");
    }
  });
  if (!is_table) return false;
  if (interval.start_s < 0 || interval.calls_per_hour < 0) {
    context.Error(item, "needs start_s and calls_per_hour");
    return false;
  }
  std::string field;
  const std::string finding = CheckInterval(*intervals, interval, &field);
  if (!finding.empty()) {
    context.Error(Item{item.node, item.key + "." + field, item.line}, finding);
    return false;
  }
  intervals->push_back(interval);
  return true;
}

}  // namespace

void ReadRateProfile(const Item& item, LoadContext& context,
                     std::vector<RateInterval>* out) {
  if (item.node.is_string()) {
    ReadProfileCsv(item, context, out);
    return;
  }
  const toml::array* array = item.node.as_array();
  if (array == nullptr || array->empty()) {
    context.Error(item,
                  "expected a CSV file name or [[traffic.profile]] "
                  "tables, got " +
                      std::string(TypeName(item.node)));
    return;
  }
  std::vector<RateInterval> intervals;
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    const auto line =
        item.line == 0
            ? 0u
            : static_cast<std::uint32_t>(element.source().begin.line);
    ok = ReadProfileTable(
             Item{element, fmt::format("{}[{}]", item.key, i + 1), line},
             context, &intervals) &&
         ok;
  }
  if (ok) *out = std::move(intervals);
}

}  // namespace callshare::scenario_internal
