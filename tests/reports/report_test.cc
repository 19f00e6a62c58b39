#include "callshare/reports/report.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "callshare/reports/summary_json.h"
#include "callshare/reports/sweep.h"
#include "test_results.h"

namespace callshare {
namespace {

using testing::FreshFolder;
using testing::MakeSummary;

bool PythonHasMatplotlib() {
  return std::system(
             "/usr/bin/python3 -c 'import matplotlib' "
             ">/dev/null 2>&1") == 0;
}

// scripts/bootstrap installs matplotlib, so its absence is a broken
// machine, not a reason to pass without checking the report.
constexpr const char* kNoMatplotlib =
    "/usr/bin/python3 cannot import matplotlib, which the HTML report "
    "needs; run scripts/bootstrap (it installs python3-matplotlib)";

// How often `needle` occurs in `text`.
std::size_t Count(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

// The SVG group report.py gave the id `gid`, up to its first nested
// group or its end: where matplotlib puts a text's comment and a line's
// paths. Empty when there is no such group.
std::string Group(const std::string& html, const std::string& gid) {
  const std::size_t start = html.find("<g id=\"" + gid + "\">");
  if (start == std::string::npos) return "";
  const std::size_t body = html.find('>', start) + 1;
  const std::size_t end = html.find("<g", body);
  const std::size_t close = html.find("</g>", body);
  return html.substr(body, std::min(end, close) - body);
}

// The text of a label group: matplotlib draws glyphs as paths and keeps
// the string as the comment before them.
std::string LabelText(const std::string& html, const std::string& gid) {
  const std::string group = Group(html, gid);
  const std::size_t open = group.find("<!-- ");
  const std::size_t close = group.find(" -->");
  if (open == std::string::npos || close == std::string::npos) return "";
  return group.substr(open + 5, close - open - 5);
}

std::string ReadText(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A resource the browser would fetch: a src or href attribute, an @import
// or a CSS url() that points at the web.
bool FetchesFromTheWeb(const std::string& html) {
  static const std::regex kRemote(R"((src|href)\s*=\s*["']?\s*(https?:)?//)"
                                  R"(|url\(\s*["']?(https?:)?//|@import)",
                                  std::regex::icase);
  return std::regex_search(html, kRemote);
}

TEST(ReportTest, WebResourcesAreRecognised) {
  EXPECT_TRUE(FetchesFromTheWeb("<img src=\"https://cdn.example/a.png\">"));
  EXPECT_TRUE(FetchesFromTheWeb("<script src='//cdn.example/a.js'>"));
  EXPECT_TRUE(FetchesFromTheWeb("body { background: url(http://x/y) }"));
  EXPECT_FALSE(FetchesFromTheWeb(
      "<svg xmlns=\"http://www.w3.org/2000/svg\"><use xlink:href=\"#p1\"/>"));
}

TEST(ReportTest, RunReportHasEveryChart) {
  ASSERT_TRUE(PythonHasMatplotlib()) << kNoMatplotlib;
  const auto folder = FreshFolder("report_run");
  const Summary summary = MakeSummary(3, 11);
  Diagnostics errors;
  ASSERT_TRUE(WriteSummaryFiles(summary, folder, &errors));
  ASSERT_TRUE(WriteReport(folder, &errors))
      << (errors.empty() ? "" : errors.back().message);
  const std::string html = ReadText(folder / "report.html");

  // One inline SVG a chart, each in its own figure.
  EXPECT_EQ(Count(html, "<svg"), 5u);
  for (const char* id : {"chart-outcomes", "chart-tta-cdf", "chart-latency",
                         "chart-notifications", "chart-timeline"}) {
    EXPECT_NE(html.find(std::string("id=\"") + id + "\""), std::string::npos)
        << id;
  }
  EXPECT_NE(html.find("Picked up by a group member"), std::string::npos);
  EXPECT_NE(html.find("of calls went to voicemail"), std::string::npos);
  EXPECT_FALSE(FetchesFromTheWeb(html));

  // The outcome chart's interval whiskers: one path an outcome.
  EXPECT_EQ(Count(Group(html, "outcome-ci"), "<path"), kOutcomeCount);

  // The percentile labels, with the summary's own figures.
  const auto& tta = summary.time_to_answer_s;
  EXPECT_EQ(LabelText(html, "tta-p50"), fmt::format("p50 {:.1f} s", tta.p50));
  EXPECT_EQ(LabelText(html, "tta-p90"), fmt::format("p90 {:.1f} s", tta.p90));
  const auto& latency = summary.routing_latency_ns;
  EXPECT_EQ(LabelText(html, "latency-p50"),
            fmt::format("p50 {:.0f} ns", latency.p50));
  EXPECT_EQ(LabelText(html, "latency-p99"),
            fmt::format("p99 {:.0f} ns", latency.p99));
  EXPECT_EQ(LabelText(html, "latency-p999"),
            fmt::format("p99.9 {:.0f} ns", latency.p999));

  // The results' two admin changes: a line on the timeline and a label
  // each, and no third.
  EXPECT_NE(Group(html, "admin-event-1").find("<path"), std::string::npos);
  EXPECT_NE(Group(html, "admin-event-2").find("<path"), std::string::npos);
  EXPECT_EQ(LabelText(html, "admin-event-1-label"),
            "set_policy NoGroups allow_call_groups=false");
  EXPECT_EQ(LabelText(html, "admin-event-2-label"),
            "cleanup stale call groups");
  EXPECT_EQ(html.find("id=\"admin-event-3\""), std::string::npos);
}

TEST(ReportTest, SweepReportHasTheSweepChart) {
  ASSERT_TRUE(PythonHasMatplotlib()) << kNoMatplotlib;
  SweepResult sweep;
  sweep.scenario = "erlang_loss";
  sweep.parameters = {"members"};
  for (int members : {5, 10}) {
    Summary summary = MakeSummary(3, std::uint64_t(members));
    summary.parameters = {{"members", std::to_string(members)},
                          {"erlang_loss.servers", std::to_string(members)},
                          {"erlang_loss.offered_erlangs", "7"}};
    sweep.points.push_back({{std::to_string(members)}, std::move(summary)});
  }
  const auto folder = FreshFolder("report_sweep");
  Diagnostics errors;
  ASSERT_TRUE(WriteSweepFiles(sweep, folder, &errors));
  ASSERT_TRUE(WriteReport(folder, &errors));
  const std::string html = ReadText(folder / "report.html");
  EXPECT_EQ(Count(html, "<svg"), 1u);
  EXPECT_NE(html.find("id=\"chart-sweep\""), std::string::npos);
  EXPECT_NE(html.find("Erlang B"), std::string::npos);
  EXPECT_FALSE(FetchesFromTheWeb(html));
}

TEST(ReportTest, MissingScriptIsReported) {
  ASSERT_EQ(setenv("CALLSHARE_REPORT_SCRIPT", "/nonexistent/report.py", 1), 0);
  Diagnostics errors;
  EXPECT_FALSE(WriteReport(FreshFolder("report_missing"), &errors));
  unsetenv("CALLSHARE_REPORT_SCRIPT");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("not found"), std::string::npos);
}

}  // namespace
}  // namespace callshare
