#include "callshare/reports/summary_csv.h"

#include <fmt/format.h>

#include "callshare/reports/summary_json.h"

namespace callshare {
namespace {

std::string OutcomesCsv(const Summary& summary) {
  std::string text = "outcome,count,share_mean,ci_low,ci_high\n";
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    const ShareEstimate& share = summary.shares[i];
    std::string low;
    std::string high;
    if (share.ci95) {
      low = CsvNumber(*share.low());
      high = CsvNumber(*share.high());
    }
    text += fmt::format("{},{},{},{},{}\n", Name(Outcome(i)),
                        summary.outcomes[i], CsvNumber(share.mean), low, high);
  }
  return text;
}

std::string CdfCsv(const Summary& summary) {
  std::string text = "seconds,cumulative_share\n";
  for (const CdfPoint& point : summary.time_to_answer_cdf) {
    text += fmt::format("{},{}\n", CsvNumber(point.seconds),
                        CsvNumber(point.cumulative_share));
  }
  return text;
}

std::string LatencyCsv(const Summary& summary) {
  std::string text = "lower_ns,upper_ns,count\n";
  for (const LatencyBin& bin : summary.routing_latency_bins) {
    text += fmt::format("{},{},{}\n", CsvNumber(bin.lower_ns),
                        CsvNumber(bin.upper_ns), CsvNumber(bin.count));
  }
  return text;
}

std::string NotificationsCsv(const Summary& summary) {
  std::string text = "kind,notifications,per_member_hour,pickups\n";
  for (std::size_t kind = 0; kind < kNotificationKinds; ++kind) {
    const NotificationSummary& n = summary.notifications[kind];
    text += fmt::format("{},{},{},{}\n", kNotificationKindNames[kind], n.count,
                        CsvNumber(n.per_member_hour), n.pickups);
  }
  return text;
}

std::string TimelineCsv(const Summary& summary) {
  std::string text = "start_s";
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    text += fmt::format(",{}", Name(Outcome(i)));
  }
  text += ",stale_routed,blocked_by_policy\n";
  for (const TimeSlice& slice : summary.timeline) {
    text += CsvNumber(slice.start_s);
    for (std::uint64_t count : slice.outcomes) {
      text += fmt::format(",{}", count);
    }
    text +=
        fmt::format(",{},{}\n", slice.stale_routed, slice.blocked_by_policy);
  }
  return text;
}

std::string AdminEventsCsv(const Summary& summary) {
  std::string text = "at_s,description,rejected\n";
  for (const AppliedEvent& event : summary.admin_events) {
    text += fmt::format("{},{},{}\n", CsvNumber(event.at_s),
                        CsvCell(event.description),
                        event.rejected ? "true" : "false");
  }
  return text;
}

}  // namespace

std::string CsvCell(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(text);
  }
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string CsvNumber(double value) { return fmt::format("{}", value); }

bool WriteSummaryCsvs(const Summary& summary,
                      const std::filesystem::path& out_dir,
                      Diagnostics* errors) {
  const std::pair<const char*, std::string> files[] = {
      {"outcomes.csv", OutcomesCsv(summary)},
      {"time_to_answer_cdf.csv", CdfCsv(summary)},
      {"routing_latency.csv", LatencyCsv(summary)},
      {"notifications.csv", NotificationsCsv(summary)},
      {"timeline.csv", TimelineCsv(summary)},
      {"admin_events.csv", AdminEventsCsv(summary)},
  };
  bool ok = true;
  for (const auto& [name, text] : files) {
    ok = WriteTextFile(out_dir / name, text, errors) && ok;
  }
  return ok;
}

}  // namespace callshare
