#include "callshare/reports/report.h"

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

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
  if (!PythonHasMatplotlib()) {
    GTEST_SKIP() << "/usr/bin/python3 cannot import matplotlib; install "
                    "python3-matplotlib to test the HTML report";
  }
  const auto folder = FreshFolder("report_run");
  Diagnostics errors;
  ASSERT_TRUE(WriteSummaryFiles(MakeSummary(3, 11), folder, &errors));
  ASSERT_TRUE(WriteReport(folder, &errors))
      << (errors.empty() ? "" : errors.back().message);
  const std::string html = ReadText(folder / "report.html");
  for (const char* id : {"chart-outcomes", "chart-tta-cdf", "chart-latency",
                         "chart-notifications", "chart-timeline"}) {
    EXPECT_NE(html.find(std::string("id=\"") + id + "\""), std::string::npos)
        << id;
  }
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("Picked up by a group member"), std::string::npos);
  EXPECT_NE(html.find("of calls went to voicemail"), std::string::npos);
  EXPECT_NE(html.find("set_policy NoGroups"), std::string::npos);
  EXPECT_FALSE(FetchesFromTheWeb(html));
}

TEST(ReportTest, SweepReportHasTheSweepChart) {
  if (!PythonHasMatplotlib()) {
    GTEST_SKIP() << "/usr/bin/python3 cannot import matplotlib";
  }
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
