#include "callshare/sim/replay.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "callshare/sim/simulator.h"
#include "testing/sim/sim_fixtures.h"

namespace callshare {
namespace {

namespace fs = std::filesystem;

// Writes `text` to a file of the test's temporary folder.
fs::path WriteLog(const std::string& name, const std::string& text) {
  const fs::path path = fs::path(testing::TempDir()) / name;
  std::ofstream(path) << text;
  return path;
}

// 5 groups of 3 (users 0, 4, 8, 12, 16 are the owners).
Tenant SmallTenant() { return MakeGroupTenant(5, 3, RingOrder::kSimultaneous); }

std::string Upn(const Tenant& tenant, UserId user) {
  return std::string(tenant.upn(user));
}

// `count` calls 10 s apart to the owners in turn, every third internal.
std::string OwnerLog(const Tenant& tenant, int count) {
  std::string text = "timestamp,callee,caller,pstn,duration_s\n";
  for (int i = 0; i < count; ++i) {
    const UserId owner = tenant.group_owner(GroupId(i % 5));
    const bool pstn = i % 3 != 0;
    text +=
        std::to_string(10 * i) + "," + Upn(tenant, owner) + "," +
        (pstn ? "" : Upn(tenant, tenant.group_owner(GroupId((i + 1) % 5)))) +
        "," + (pstn ? "true" : "false") + ",30\n";
  }
  return text;
}

TEST(ReplayTest, ReadsEveryRow) {
  const Tenant tenant = SmallTenant();
  Diagnostics errors;
  const auto log = ReadCallLog(WriteLog("ok.csv", OwnerLog(tenant, 12)),
                               ReplayColumns{}, tenant, &errors);
  ASSERT_TRUE(log) << (errors.empty() ? "" : errors[0].ToString());
  ASSERT_EQ(log->calls.size(), 12u);
  EXPECT_EQ(log->calls[3].at_s, 30.0);
  EXPECT_EQ(log->calls[3].callee, tenant.group_owner(3));
  EXPECT_FALSE(log->calls[3].pstn);
  EXPECT_EQ(log->calls[3].caller, tenant.group_owner(4));
  EXPECT_EQ(log->calls[4].caller, kNoUser);
  EXPECT_EQ(log->calls[4].line, 6u);
}

// Every row after the warm-up is offered, to the logged callee; calls to
// owners who forward to their group never ring the owner.
TEST(ReplayTest, PlaysTheLogInEveryReplication) {
  const Tenant tenant = SmallTenant();
  Diagnostics errors;
  SimConfig config = MakeGroupConfig(0, 30, 3'600, 1.0, 2.0);
  config.run.warmup_s = 25;  // rows at 0, 10 and 20 s are not measured
  config.traffic.replay_log = std::make_shared<const CallLog>(
      *ReadCallLog(WriteLog("play.csv", OwnerLog(tenant, 40)), ReplayColumns{},
                   tenant, &errors));
  CallTrace trace;
  SimulatorOptions options;
  options.trace = &trace;
  const ReplicationResult first =
      RunReplication(config, tenant, 0, options, nullptr);
  const ReplicationResult second = RunReplication(config, tenant, 1);
  EXPECT_EQ(first.offered, 37u);
  EXPECT_EQ(second.offered, 37u);
  ASSERT_EQ(trace.calls.size(), 40u);
  for (std::size_t i = 0; i < trace.calls.size(); ++i) {
    const TracedCall& call = trace.calls[i];
    EXPECT_EQ(call.callee, config.traffic.replay_log->calls[i].callee);
    EXPECT_EQ(call.arrival_s, 10.0 * double(i));
    for (const TracedLeg& leg : call.legs) {
      EXPECT_EQ(leg.leg.role, LegRole::kMember);
    }
  }
  EXPECT_EQ(first.outcomes[std::size_t(Outcome::kPickedUpByMember)], 37u);
}

// The logged duration holds the answering member: with one-member groups
// and 15 s calls every 10 s to one owner, every second call finds the
// member busy and goes to voicemail.
TEST(ReplayTest, LoggedDurationHoldsTheAnsweringPerson) {
  const Tenant tenant = MakeGroupTenant(1, 1, RingOrder::kSimultaneous);
  const std::string owner = Upn(tenant, tenant.group_owner(0));
  std::string text = "timestamp,callee,caller,pstn,duration_s\n";
  for (int i = 0; i < 10; ++i) {
    text += std::to_string(10 * i) + "," + owner + ",,true,15\n";
  }
  Diagnostics errors;
  SimConfig config = MakeGroupConfig(0, 1, 3'600, 1.0, 0.0);
  config.traffic.replay_log = std::make_shared<const CallLog>(*ReadCallLog(
      WriteLog("hold.csv", text), ReplayColumns{}, tenant, &errors));
  const ReplicationResult r = RunReplication(config, tenant, 0);
  EXPECT_EQ(r.offered, 10u);
  EXPECT_EQ(r.outcomes[std::size_t(Outcome::kPickedUpByMember)], 5u);
}

TEST(ReplayTest, ReportsEveryErrorAtOnce) {
  const Tenant tenant = SmallTenant();
  const std::string owner = Upn(tenant, 0);
  const std::string text = "timestamp,callee,caller,pstn,duration_s\n" +
                           std::string("1,nobody@x.example,,true,5\n") +
                           "abc," + owner + ",,true,5\n" + "3," + owner +
                           ",,maybe,5\n" + "4," + owner + ",,true,-2\n";
  Diagnostics errors;
  EXPECT_FALSE(
      ReadCallLog(WriteLog("bad.csv", text), ReplayColumns{}, tenant, &errors));
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].ToString(),
            "bad.csv:2: callee: unknown UPN 'nobody@x.example'");
  EXPECT_EQ(errors[1].line, 3u);
  EXPECT_EQ(errors[1].field, "timestamp");
  EXPECT_EQ(errors[2].field, "pstn");
  EXPECT_EQ(errors[3].ToString(),
            "bad.csv:5: duration_s: '-2' is negative; a duration is "
            "seconds >= 0");
}

TEST(ReplayTest, NamesMissingColumnsAndEmptyFiles) {
  const Tenant tenant = SmallTenant();
  Diagnostics errors;
  EXPECT_FALSE(ReadCallLog(WriteLog("cols.csv", "timestamp,callee\n"),
                           ReplayColumns{}, tenant, &errors));
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].ToString(),
            "cols.csv:1: caller: missing column (traffic.replay_columns "
            "names it)");
  errors.clear();
  EXPECT_FALSE(
      ReadCallLog(WriteLog("empty.csv", ""), ReplayColumns{}, tenant, &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("empty file"), std::string::npos);
}

// Columns are found by the scenario's names; unsorted rows are sorted
// with a warning; ISO times count from the earliest.
TEST(ReplayTest, MappedColumnsIsoTimesAndSorting) {
  const Tenant tenant = SmallTenant();
  const std::string owner = Upn(tenant, 0);
  ReplayColumns columns;
  columns.timestamp = "start";
  columns.callee = "to";
  columns.caller = "from";
  columns.pstn = "outside";
  columns.duration = "talk";
  const std::string text = "to,start,from,outside,talk,extra\n" + owner +
                           ",2026-11-30T09:00:30Z,,true,5,x\n" + owner +
                           ",2026-11-30T09:00:00.5Z,,true,5,y\n";
  Diagnostics errors;
  const auto log =
      ReadCallLog(WriteLog("iso.csv", text), columns, tenant, &errors);
  ASSERT_TRUE(log);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].severity, Diagnostic::Severity::kWarning);
  ASSERT_EQ(log->calls.size(), 2u);
  EXPECT_EQ(log->calls[0].at_s, 0.0);
  EXPECT_EQ(log->calls[0].line, 3u);
  EXPECT_EQ(log->calls[1].at_s, 29.5);
}

}  // namespace
}  // namespace callshare
