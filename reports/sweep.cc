#include "callshare/reports/sweep.h"

#include <charconv>

#include <fmt/format.h>

#include "callshare/reports/summary_csv.h"
#include "callshare/reports/summary_json.h"
#include "json_reader.h"

namespace callshare {
namespace {

std::optional<double> ParameterNumber(const Summary& summary,
                                      std::string_view key) {
  for (const auto& [name, value] : summary.parameters) {
    if (name != key) continue;
    double number = 0;
    const char* end = value.data() + value.size();
    const auto [last, error] = std::from_chars(value.data(), end, number);
    if (error != std::errc() || last != end) return std::nullopt;
    return number;
  }
  return std::nullopt;
}

std::string CsvHeader(const SweepResult& sweep) {
  std::string text;
  for (const std::string& name : sweep.parameters) {
    text += CsvCell(name) + ",";
  }
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    text += fmt::format("{0}_mean,{0}_ci_low,{0}_ci_high,", Name(Outcome(i)));
  }
  return text +
         "time_to_answer_p50_s,time_to_answer_p90_s,time_to_answer_p99_s,"
         "routing_latency_p50_ns,routing_latency_p99_ns,erlang_b\n";
}

std::string CsvRow(const SweepPoint& point) {
  std::string text;
  for (const std::string& value : point.values) text += CsvCell(value) + ",";
  const Summary& summary = point.summary;
  for (const ShareEstimate& share : summary.shares) {
    text += CsvNumber(share.mean) + ",";
    if (share.ci95) {
      text += CsvNumber(*share.low()) + "," + CsvNumber(*share.high()) + ",";
    } else {
      text += ",,";
    }
  }
  const TimeToAnswerSummary& tta = summary.time_to_answer_s;
  text +=
      fmt::format("{},{},{},{},{},", CsvNumber(tta.p50), CsvNumber(tta.p90),
                  CsvNumber(tta.p99), CsvNumber(summary.routing_latency_ns.p50),
                  CsvNumber(summary.routing_latency_ns.p99));
  const std::optional<double> erlang_b = ErlangBOf(summary);
  if (erlang_b) text += CsvNumber(*erlang_b);
  return text + "\n";
}

SweepPoint ReadPoint(JsonReader& reader, const JsonNode& node,
                     const std::vector<std::string>& names,
                     const std::string& file, Diagnostics* errors) {
  SweepPoint point;
  const JsonNode values = reader.Object(node, "parameters");
  for (const std::string& name : names) {
    point.values.push_back(reader.Text(values, name));
  }
  const JsonNode summary = reader.Object(node, "summary");
  if (summary.json == nullptr) return point;
  std::optional<Summary> read =
      SummaryFromJson(*summary.json, file, summary.path, errors);
  if (!read) {
    reader.Fail(summary.path, "not a valid summary");
    return point;
  }
  point.summary = std::move(*read);
  return point;
}

}  // namespace

double ErlangB(unsigned servers, double offered_erlangs) {
  double blocking = 1.0;
  for (unsigned k = 1; k <= servers; ++k) {
    const double carried = offered_erlangs * blocking;
    blocking = carried / (double(k) + carried);
  }
  return blocking;
}

std::optional<double> ErlangBOf(const Summary& summary) {
  const std::optional<double> servers =
      ParameterNumber(summary, kErlangServersKey);
  const std::optional<double> offered =
      ParameterNumber(summary, kErlangOfferedKey);
  if (!servers || !offered || *servers < 0 || *offered < 0) {
    return std::nullopt;
  }
  return ErlangB(unsigned(*servers), *offered);
}

std::string SweepCsvText(const SweepResult& sweep) {
  std::string text = CsvHeader(sweep);
  for (const SweepPoint& point : sweep.points) text += CsvRow(point);
  return text;
}

nlohmann::ordered_json SweepToJson(const SweepResult& sweep) {
  Json points = Json::array();
  for (const SweepPoint& point : sweep.points) {
    Json values = Json::object();
    for (std::size_t i = 0; i < sweep.parameters.size(); ++i) {
      values[sweep.parameters[i]] =
          i < point.values.size() ? point.values[i] : std::string();
    }
    points.push_back({{"parameters", std::move(values)},
                      {"summary", SummaryToJson(point.summary)}});
  }
  Json json = Json::object();
  json["schema"] = kSweepSchema;
  json["scenario"] = sweep.scenario;
  json["parameters"] = sweep.parameters;
  json["points"] = std::move(points);
  return json;
}

bool WriteSweepFiles(const SweepResult& sweep,
                     const std::filesystem::path& out_dir,
                     Diagnostics* errors) {
  if (!CreateFolder(out_dir, errors)) return false;
  return WriteTextFile(out_dir / "sweep.csv", SweepCsvText(sweep), errors) &&
         WriteTextFile(out_dir / "sweep.json",
                       SweepToJson(sweep).dump(2) + "\n", errors);
}

std::optional<SweepResult> ReadSweep(const std::filesystem::path& file,
                                     Diagnostics* errors) {
  const std::optional<Json> json = ReadJsonFile(file, errors);
  if (!json) return std::nullopt;
  JsonReader reader(file.string(), errors);
  const JsonNode root{&*json, ""};
  const std::string schema = reader.Text(root, "schema");
  if (reader.ok() && schema != kSweepSchema) {
    reader.Fail("schema", "expected \"" + std::string(kSweepSchema) +
                              "\", found \"" + schema + "\"");
  }
  if (!reader.ok()) return std::nullopt;

  SweepResult sweep;
  sweep.scenario = reader.Text(root, "scenario");
  const JsonNode names = reader.Array(root, "parameters");
  for (std::size_t i = 0; names.json && i < names.json->size(); ++i) {
    const JsonNode name = reader.Element(names, i);
    if (!name.json->is_string()) {
      reader.Fail(name.path, "expected a string");
      continue;
    }
    sweep.parameters.push_back(name.json->get<std::string>());
  }
  const JsonNode points = reader.Array(root, "points");
  for (std::size_t i = 0; points.json && i < points.json->size(); ++i) {
    sweep.points.push_back(ReadPoint(reader, reader.Element(points, i),
                                     sweep.parameters, file.string(), errors));
  }
  if (!reader.ok()) return std::nullopt;
  return sweep;
}

}  // namespace callshare
