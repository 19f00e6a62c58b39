#include "callshare/reports/summary_json.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "callshare/reports/summary_csv.h"
#include "json_reader.h"

namespace callshare {
namespace {

// ---- Writing ----

Json OutcomeCounts(const std::array<std::uint64_t, kOutcomeCount>& counts) {
  Json json = Json::object();
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    json[std::string(Name(Outcome(i)))] = counts[i];
  }
  return json;
}

Json SharesJson(const Summary& summary) {
  Json json = Json::object();
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    const ShareEstimate& share = summary.shares[i];
    const auto or_null = [](std::optional<double> value) -> Json {
      if (!value) return nullptr;
      return *value;
    };
    json[std::string(Name(Outcome(i)))] = {{"mean", share.mean},
                                           {"ci95", or_null(share.ci95)},
                                           {"ci_low", or_null(share.low())},
                                           {"ci_high", or_null(share.high())}};
  }
  return json;
}

Json NotificationsJson(const Summary& summary) {
  Json json = Json::object();
  for (std::size_t kind = 0; kind < kNotificationKinds; ++kind) {
    const NotificationSummary& n = summary.notifications[kind];
    json[kNotificationKindNames[kind]] = {
        {"count", n.count},
        {"per_member_hour", n.per_member_hour},
        {"pickups", n.pickups}};
  }
  return json;
}

Json ReplicationSharesJson(const Summary& summary) {
  Json json = Json::array();
  for (const ReplicationShares& row : summary.replication_shares) {
    Json shares = Json::object();
    for (std::size_t i = 0; i < kOutcomeCount; ++i) {
      shares[std::string(Name(Outcome(i)))] = row.shares[i];
    }
    json.push_back({{"replication", row.replication},
                    {"offered", row.offered},
                    {"shares", std::move(shares)}});
  }
  return json;
}

Json TimelineJson(const Summary& summary) {
  Json json = Json::array();
  for (const TimeSlice& slice : summary.timeline) {
    json.push_back({{"start_s", slice.start_s},
                    {"outcomes", OutcomeCounts(slice.outcomes)},
                    {"stale_routed", slice.stale_routed},
                    {"blocked_by_policy", slice.blocked_by_policy}});
  }
  return json;
}

Json AdminEventsJson(const Summary& summary) {
  Json json = Json::array();
  for (const AppliedEvent& event : summary.admin_events) {
    json.push_back({{"at_s", event.at_s},
                    {"description", event.description},
                    {"rejected", event.rejected}});
  }
  return json;
}

Json ParametersJson(const ParameterList& parameters) {
  Json json = Json::object();
  for (const auto& [key, value] : parameters) json[key] = value;
  return json;
}

// ---- Reading ----

std::array<std::uint64_t, kOutcomeCount> ReadOutcomeCounts(
    JsonReader& reader, const JsonNode& node) {
  std::array<std::uint64_t, kOutcomeCount> counts{};
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    counts[i] = reader.Count(node, Name(Outcome(i)));
  }
  return counts;
}

ParameterList ReadParameters(JsonReader& reader, const JsonNode& node) {
  ParameterList parameters;
  if (node.json == nullptr) return parameters;
  for (const auto& [key, value] : node.json->items()) {
    if (!value.is_string()) {
      reader.Fail(node.path + "." + key, "expected a string");
      continue;
    }
    parameters.emplace_back(key, value.get<std::string>());
  }
  return parameters;
}

void ReadHeader(JsonReader& reader, const JsonNode& root, Summary& summary) {
  summary.scenario = reader.Text(root, "scenario");
  summary.seed = reader.Count(root, "seed");
  summary.replications = reader.Count32(root, "replications");
  summary.router_mode = reader.Text(root, "router_mode");
  summary.threads = reader.Count32(root, "threads");
  summary.parameters =
      ReadParameters(reader, reader.Object(root, "parameters"));
}

void ReadOutcomes(JsonReader& reader, const JsonNode& root, Summary& summary) {
  const JsonNode outcomes = reader.Object(root, "outcomes");
  summary.offered = reader.Count(outcomes, "offered");
  summary.outcomes = ReadOutcomeCounts(reader, outcomes);
  const JsonNode shares = reader.Object(root, "shares");
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    const JsonNode share = reader.Object(shares, Name(Outcome(i)));
    summary.shares[i].mean = reader.Number(share, "mean");
    summary.shares[i].ci95 = reader.NumberOrNull(share, "ci95");
  }
}

void ReadDistributions(JsonReader& reader, const JsonNode& root,
                       Summary& summary) {
  const JsonNode tta = reader.Object(root, "time_to_answer_s");
  summary.time_to_answer_s = {
      reader.Number(tta, "p50"), reader.Number(tta, "p90"),
      reader.Number(tta, "p99"), reader.Number(tta, "mean")};
  const JsonNode latency = reader.Object(root, "routing_latency_ns");
  summary.routing_latency_ns = {
      reader.Number(latency, "p50"), reader.Number(latency, "p90"),
      reader.Number(latency, "p99"), reader.Number(latency, "p999"),
      reader.Number(latency, "max")};
}

void ReadCounters(JsonReader& reader, const JsonNode& root, Summary& summary) {
  const JsonNode flags = reader.Object(root, "flags");
  summary.flags = {reader.Count(flags, "stale_routed"),
                   reader.Count(flags, "blocked_by_policy"),
                   reader.Count(flags, "ineligible_legs"),
                   reader.Count(flags, "limit_rejections")};
  summary.member_hours = reader.Number(root, "member_hours");
  const JsonNode notifications = reader.Object(root, "notifications");
  for (std::size_t kind = 0; kind < kNotificationKinds; ++kind) {
    const JsonNode node =
        reader.Object(notifications, kNotificationKindNames[kind]);
    summary.notifications[kind] = {reader.Count(node, "count"),
                                   reader.Number(node, "per_member_hour"),
                                   reader.Count(node, "pickups")};
  }
  const JsonNode performance = reader.Object(root, "performance");
  summary.performance = {reader.Count(performance, "events"),
                         reader.Number(performance, "events_per_second"),
                         reader.Number(performance, "wall_s"),
                         reader.Count(performance, "peak_rss_bytes")};
}

void ReadReplicationShares(JsonReader& reader, const JsonNode& root,
                           Summary& summary) {
  const JsonNode rows = reader.Array(root, "replication_shares");
  if (rows.json == nullptr) return;
  for (std::size_t r = 0; r < rows.json->size(); ++r) {
    const JsonNode row = reader.Element(rows, r);
    ReplicationShares shares;
    shares.replication = reader.Count32(row, "replication");
    shares.offered = reader.Count(row, "offered");
    const JsonNode values = reader.Object(row, "shares");
    for (std::size_t i = 0; i < kOutcomeCount; ++i) {
      shares.shares[i] = reader.Number(values, Name(Outcome(i)));
    }
    summary.replication_shares.push_back(shares);
  }
}

void ReadTimeline(JsonReader& reader, const JsonNode& root, Summary& summary) {
  const JsonNode slices = reader.Array(root, "timeline");
  for (std::size_t s = 0; slices.json && s < slices.json->size(); ++s) {
    const JsonNode node = reader.Element(slices, s);
    TimeSlice slice;
    slice.start_s = reader.Number(node, "start_s");
    slice.outcomes = ReadOutcomeCounts(reader, reader.Object(node, "outcomes"));
    slice.stale_routed = reader.Count(node, "stale_routed");
    slice.blocked_by_policy = reader.Count(node, "blocked_by_policy");
    summary.timeline.push_back(slice);
  }
  const JsonNode events = reader.Array(root, "admin_events");
  for (std::size_t e = 0; events.json && e < events.json->size(); ++e) {
    const JsonNode node = reader.Element(events, e);
    summary.admin_events.push_back({reader.Number(node, "at_s"),
                                    reader.Text(node, "description"),
                                    reader.Flag(node, "rejected")});
  }
}

// Why `text` is not JSON, at the line where the parser stopped. Only
// called once a parse has failed, so the second parse with exceptions
// costs nothing on good files.
Diagnostic JsonSyntaxError(const std::filesystem::path& file,
                           const std::string& text) {
  Diagnostic diagnostic{Diagnostic::Severity::kError, file.string(), 1, "",
                        "not valid JSON"};
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    diagnostic.message = "not valid JSON: the file is empty";
    return diagnostic;
  }
  try {
    [[maybe_unused]] const Json parsed = Json::parse(text);
  } catch (const Json::parse_error& error) {
    // The parser's own text repeats an exception id and the position
    // before ": "; the reason follows it.
    const std::string what = error.what();
    const std::size_t column = what.find("column ");
    const std::size_t reason = what.find(": ", column);
    if (column != std::string::npos && reason != std::string::npos) {
      diagnostic.message = "not valid JSON: " + what.substr(reason + 2);
    }
    const std::size_t end = std::min<std::size_t>(error.byte, text.size());
    diagnostic.line = std::uint32_t(
        1 + std::count(text.begin(),
                       text.begin() + std::ptrdiff_t(end) - (end > 0 ? 1 : 0),
                       '\n'));
  } catch (const Json::exception& error) {
    // A number too large for a double, for one; the text after the
    // exception id is the reason, and the parser gives no position.
    const std::string what = error.what();
    const std::size_t id_end = what.find("] ");
    diagnostic.message =
        "not valid JSON: " +
        (id_end == std::string::npos ? what : what.substr(id_end + 2));
  }
  return diagnostic;
}

}  // namespace

Json SummaryToJson(const Summary& summary) {
  const TimeToAnswerSummary& tta = summary.time_to_answer_s;
  const LatencySummary& latency = summary.routing_latency_ns;
  const PerformanceSummary& performance = summary.performance;
  Json outcomes = {{"offered", summary.offered}};
  outcomes.update(OutcomeCounts(summary.outcomes));

  Json json = Json::object();
  json["schema"] = kSummarySchema;
  json["scenario"] = summary.scenario;
  json["seed"] = summary.seed;
  json["replications"] = summary.replications;
  json["router_mode"] = summary.router_mode;
  json["threads"] = summary.threads;
  json["parameters"] = ParametersJson(summary.parameters);
  json["outcomes"] = std::move(outcomes);
  json["shares"] = SharesJson(summary);
  json["time_to_answer_s"] = {
      {"p50", tta.p50}, {"p90", tta.p90}, {"p99", tta.p99}, {"mean", tta.mean}};
  json["routing_latency_ns"] = {{"p50", latency.p50},
                                {"p90", latency.p90},
                                {"p99", latency.p99},
                                {"p999", latency.p999},
                                {"max", latency.max}};
  json["flags"] = {{"stale_routed", summary.flags.stale_routed},
                   {"blocked_by_policy", summary.flags.blocked_by_policy},
                   {"ineligible_legs", summary.flags.ineligible_legs},
                   {"limit_rejections", summary.flags.limit_rejections}};
  json["member_hours"] = summary.member_hours;
  json["notifications"] = NotificationsJson(summary);
  json["performance"] = {{"events", performance.events},
                         {"events_per_second", performance.events_per_second},
                         {"wall_s", performance.wall_s},
                         {"peak_rss_bytes", performance.peak_rss_bytes}};
  json["replication_shares"] = ReplicationSharesJson(summary);
  json["timeline"] = TimelineJson(summary);
  json["admin_events"] = AdminEventsJson(summary);
  return json;
}

std::string SummaryJsonText(const Summary& summary) {
  return SummaryToJson(summary).dump(2) + "\n";
}

std::optional<Summary> SummaryFromJson(const Json& json,
                                       const std::string& file,
                                       const std::string& path,
                                       Diagnostics* errors) {
  JsonReader reader(file, errors);
  if (!json.is_object()) {
    reader.Fail(path, "expected an object");
    return std::nullopt;
  }
  const JsonNode root{&json, path};
  Summary summary;
  ReadHeader(reader, root, summary);
  ReadOutcomes(reader, root, summary);
  ReadDistributions(reader, root, summary);
  ReadCounters(reader, root, summary);
  ReadReplicationShares(reader, root, summary);
  ReadTimeline(reader, root, summary);
  if (!reader.ok()) return std::nullopt;
  return summary;
}

std::optional<Json> ReadJsonFile(const std::filesystem::path& file,
                                 Diagnostics* errors) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in) {
    errors->push_back(
        {Diagnostic::Severity::kError, file.string(), 0, "", "cannot be read"});
    return std::nullopt;
  }
  Json json = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    errors->push_back(JsonSyntaxError(file, text.str()));
    return std::nullopt;
  }
  return json;
}

std::optional<Summary> ReadSummary(const std::filesystem::path& file,
                                   Diagnostics* errors) {
  const std::optional<Json> json = ReadJsonFile(file, errors);
  if (!json) return std::nullopt;
  JsonReader reader(file.string(), errors);
  const std::string schema = reader.Text({&*json, ""}, "schema");
  if (!reader.ok()) return std::nullopt;
  if (schema != kSummarySchema) {
    reader.Fail("schema", "expected \"" + std::string(kSummarySchema) +
                              "\", found \"" + schema + "\"");
    return std::nullopt;
  }
  return SummaryFromJson(*json, file.string(), "", errors);
}

bool WriteTextFile(const std::filesystem::path& file, const std::string& text,
                   Diagnostics* errors) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (out) return true;
  errors->push_back({Diagnostic::Severity::kError, file.string(), 0, "",
                     "cannot be written"});
  return false;
}

bool CreateFolder(const std::filesystem::path& folder, Diagnostics* errors) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (!error) return true;
  errors->push_back({Diagnostic::Severity::kError, folder.string(), 0, "",
                     "cannot create the folder: " + error.message()});
  return false;
}

bool WriteSummaryFiles(const Summary& summary,
                       const std::filesystem::path& out_dir,
                       Diagnostics* errors) {
  if (!CreateFolder(out_dir, errors)) return false;
  return WriteTextFile(out_dir / "summary.json", SummaryJsonText(summary),
                       errors) &&
         WriteSummaryCsvs(summary, out_dir, errors);
}

}  // namespace callshare
