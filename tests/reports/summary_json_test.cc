#include "callshare/reports/summary_json.h"

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "test_results.h"

namespace callshare {
namespace {

using testing::FreshFolder;
using testing::MakeSummary;

std::string ReadText(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Joined(const Diagnostics& errors) {
  std::string text;
  for (const Diagnostic& error : errors) {
    text += error.file + ": " + error.field + ": " + error.message + "\n";
  }
  return text;
}

TEST(SummaryJsonTest, HasTheDocumentedFields) {
  const Summary summary = MakeSummary(3, 11);
  const nlohmann::ordered_json json = SummaryToJson(summary);
  EXPECT_EQ(json["schema"], "callshare.summary/1");
  EXPECT_EQ(json["scenario"], "pickup_small");
  EXPECT_EQ(json["seed"], 42);
  EXPECT_EQ(json["replications"], 3);
  EXPECT_EQ(json["parameters"]["members"], "10");
  EXPECT_EQ(json["outcomes"]["offered"], summary.offered);
  EXPECT_EQ(json["outcomes"]["voicemail"],
            summary.outcomes[std::size_t(Outcome::kVoicemail)]);
  EXPECT_DOUBLE_EQ(json["shares"]["voicemail"]["mean"].get<double>(),
                   summary.shares[std::size_t(Outcome::kVoicemail)].mean);
  EXPECT_TRUE(json["shares"]["voicemail"]["ci95"].is_number());
  EXPECT_TRUE(json["time_to_answer_s"].contains("p99"));
  EXPECT_TRUE(json["routing_latency_ns"].contains("p999"));
  EXPECT_EQ(json["flags"]["stale_routed"], 9);
  EXPECT_EQ(json["notifications"]["banner"]["count"], 120);
  EXPECT_EQ(json["performance"]["events"], 3'000'000);
  EXPECT_EQ(json["replication_shares"].size(), 3u);
  EXPECT_EQ(json["timeline"].size(), 4u);
  EXPECT_EQ(json["admin_events"][0]["at_s"], 1800.0);
}

TEST(SummaryJsonTest, ParametersKeepTheScenarioOrder) {
  const std::string text = SummaryJsonText(MakeSummary(2, 11));
  EXPECT_LT(text.find("\"members\""), text.find("\"arrival_rate_per_h\""));
}

TEST(SummaryJsonTest, OneReplicationWritesNullInterval) {
  const nlohmann::ordered_json json = SummaryToJson(MakeSummary(1, 11));
  EXPECT_TRUE(json["shares"]["voicemail"]["ci95"].is_null());
}

TEST(SummaryJsonTest, RoundTripKeepsEveryField) {
  const Summary summary = MakeSummary(3, 11);
  const auto folder = FreshFolder("round_trip");
  Diagnostics errors;
  ASSERT_TRUE(WriteSummaryFiles(summary, folder, &errors));
  const std::optional<Summary> read =
      ReadSummary(folder / "summary.json", &errors);
  ASSERT_TRUE(read.has_value()) << Joined(errors);
  EXPECT_EQ(read->parameters, summary.parameters);
  EXPECT_EQ(read->outcomes, summary.outcomes);
  EXPECT_EQ(read->replication_shares.size(), 3u);
  EXPECT_DOUBLE_EQ(*read->shares[4].ci95, *summary.shares[4].ci95);
  EXPECT_DOUBLE_EQ(read->routing_latency_ns.p999,
                   summary.routing_latency_ns.p999);
  EXPECT_EQ(read->admin_events[1].description,
            summary.admin_events[1].description);
  EXPECT_EQ(SummaryJsonText(*read), SummaryJsonText(summary));
}

TEST(SummaryJsonTest, SameInputGivesSameBytes) {
  const auto first = FreshFolder("bytes_first");
  const auto second = FreshFolder("bytes_second");
  Diagnostics errors;
  ASSERT_TRUE(WriteSummaryFiles(MakeSummary(3, 11), first, &errors));
  ASSERT_TRUE(WriteSummaryFiles(MakeSummary(3, 11), second, &errors));
  for (const char* name : {"summary.json", "outcomes.csv", "timeline.csv"}) {
    EXPECT_EQ(ReadText(first / name), ReadText(second / name)) << name;
  }
  EXPECT_NE(SummaryJsonText(MakeSummary(3, 11)),
            SummaryJsonText(MakeSummary(3, 12)));
}

TEST(SummaryJsonTest, MissingFieldIsNamedByPath) {
  nlohmann::ordered_json json = SummaryToJson(MakeSummary(2, 11));
  json["shares"]["voicemail"].erase("mean");
  json["flags"]["stale_routed"] = "many";
  Diagnostics errors;
  EXPECT_FALSE(SummaryFromJson(json, "summary.json", "", &errors));
  const std::string text = Joined(errors);
  EXPECT_NE(text.find("summary.json: shares.voicemail.mean: missing"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("flags.stale_routed: expected a whole number"),
            std::string::npos)
      << text;
}

TEST(SummaryJsonTest, WrongSchemaIsRefused) {
  const auto folder = FreshFolder("wrong_schema");
  nlohmann::ordered_json json = SummaryToJson(MakeSummary(2, 11));
  json["schema"] = "callshare.summary/0";
  Diagnostics errors;
  ASSERT_TRUE(WriteTextFile(folder / "summary.json", json.dump(), &errors));
  EXPECT_FALSE(ReadSummary(folder / "summary.json", &errors));
  EXPECT_NE(Joined(errors).find("schema: expected"), std::string::npos);
}

TEST(SummaryJsonTest, UnreadableAndInvalidFilesAreReported) {
  const auto folder = FreshFolder("invalid");
  Diagnostics errors;
  EXPECT_FALSE(ReadSummary(folder / "absent.json", &errors));
  ASSERT_TRUE(WriteTextFile(folder / "bad.json", "{\"schema\":", &errors));
  EXPECT_FALSE(ReadSummary(folder / "bad.json", &errors));
  const std::string text = Joined(errors);
  EXPECT_NE(text.find("cannot be read"), std::string::npos);
  EXPECT_NE(text.find("not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace callshare
