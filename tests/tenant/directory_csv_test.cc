#include "callshare/tenant/directory_csv.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "callshare/tenant/generator.h"

namespace callshare {
namespace {

namespace fs = std::filesystem;

const fs::path kDirectories = fs::path(CALLSHARE_TEST_DATA) / "directories";

// A fresh folder under the system temp folder, removed at the end of the
// test.
class TempFolder {
 public:
  TempFolder() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ =
        fs::temp_directory_path() / ("callshare_" + std::string(test->name()) +
                                     "_" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempFolder() { fs::remove_all(path_); }

  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteBytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

std::vector<std::string> Lines(const Diagnostics& diagnostics) {
  std::vector<std::string> lines;
  for (const Diagnostic& diagnostic : diagnostics) {
    lines.push_back(diagnostic.ToString());
  }
  return lines;
}

// Row equality that ignores `line`, which only says where a row was read.
bool SameRow(const UserRow& a, const UserRow& b) {
  return a.upn == b.upn && a.teams_only == b.teams_only &&
         a.voice_enabled == b.voice_enabled &&
         a.calling_policy == b.calling_policy;
}

bool SameRow(const PolicyRow& a, const PolicyRow& b) {
  return a.name == b.name && a.allow_call_groups == b.allow_call_groups &&
         a.allow_delegation == b.allow_delegation &&
         a.allow_call_forwarding_to_user == b.allow_call_forwarding_to_user &&
         a.allow_call_forwarding_to_phone == b.allow_call_forwarding_to_phone &&
         a.allow_voicemail == b.allow_voicemail &&
         a.busy_on_busy == b.busy_on_busy &&
         a.inbound_pstn_treatment == b.inbound_pstn_treatment;
}

bool SameRow(const SettingsRow& a, const SettingsRow& b) {
  return a.upn == b.upn && a.forwarding == b.forwarding &&
         a.forwarding_type == b.forwarding_type &&
         a.forwarding_target_type == b.forwarding_target_type &&
         a.forwarding_target == b.forwarding_target &&
         a.unanswered == b.unanswered &&
         a.unanswered_target_type == b.unanswered_target_type &&
         a.unanswered_target == b.unanswered_target &&
         a.unanswered_delay_s == b.unanswered_delay_s &&
         a.call_group_order == b.call_group_order &&
         a.notification_override == b.notification_override &&
         a.busy_on_busy_option == b.busy_on_busy_option;
}

bool SameRow(const MemberRow& a, const MemberRow& b) {
  return a.owner_upn == b.owner_upn && a.position == b.position &&
         a.member_upn == b.member_upn && a.notification == b.notification;
}

bool SameRow(const DelegateRow& a, const DelegateRow& b) {
  return a.delegator_upn == b.delegator_upn &&
         a.delegate_upn == b.delegate_upn && a.permissions == b.permissions;
}

template <typename Row>
bool SameRows(const std::vector<Row>& a, const std::vector<Row>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const Row& x, const Row& y) { return SameRow(x, y); });
}

bool SameDirectory(const Directory& a, const Directory& b) {
  return SameRows(a.users, b.users) && SameRows(a.policies, b.policies) &&
         SameRows(a.settings, b.settings) && SameRows(a.members, b.members) &&
         SameRows(a.delegates, b.delegates);
}

constexpr const char* kFiles[] = {kUsersFile, kPoliciesFile, kSettingsFile,
                                  kMembersFile, kDelegatesFile};

TEST(DirectoryCsvTest, ReadsTheSmallDirectory) {
  Diagnostics errors;
  const auto directory = ReadDirectory(kDirectories / "small", &errors);
  ASSERT_TRUE(directory.has_value()) << ::testing::PrintToString(Lines(errors));
  EXPECT_EQ(directory->users.size(), 10u);
  EXPECT_EQ(directory->policies.size(), 3u);
  EXPECT_EQ(directory->settings.size(), 6u);
  EXPECT_EQ(directory->members.size(), 8u);
  EXPECT_EQ(directory->delegates.size(), 2u);

  const UserRow& hana = directory->users[7];
  EXPECT_EQ(hana.upn, "hana@contoso.com");
  EXPECT_TRUE(hana.teams_only);
  EXPECT_FALSE(hana.voice_enabled);
  EXPECT_EQ(directory->policies[1].inbound_pstn_treatment,
            PstnTreatment::kVoicemail);
  const SettingsRow& ben = directory->settings[1];
  EXPECT_EQ(ben.forwarding_target_type, TargetType::kNone);
  EXPECT_EQ(ben.unanswered_target_type, TargetType::kGroup);
  EXPECT_EQ(ben.unanswered_delay_s, 15u);
  EXPECT_EQ(ben.call_group_order, RingOrder::kInOrder);
  EXPECT_EQ(directory->settings[3].forwarding_target, "+14255550100");
  EXPECT_EQ(directory->members[1].notification, Notification::kBanner);
  EXPECT_EQ(directory->delegates[1].permissions,
            kReceiveCalls | kPickUpHeldCalls);
}

TEST(DirectoryCsvTest, RowsRememberTheirPhysicalLine) {
  Diagnostics errors;
  const auto directory = ReadDirectory(kDirectories / "small", &errors);
  ASSERT_TRUE(directory.has_value());
  EXPECT_EQ(directory->users.front().line, 2u);
  EXPECT_EQ(directory->users.back().line, 11u);
  EXPECT_EQ(directory->members[4].line, 6u);
  EXPECT_EQ(directory->delegates[1].line, 3u);
}

TEST(DirectoryCsvTest, LoadsTheSmallDirectoryIntoATenant) {
  Diagnostics errors;
  const auto tenant =
      LoadTenant(kDirectories / "small", LimitProfile::Teams(), &errors);
  ASSERT_TRUE(tenant.has_value()) << ::testing::PrintToString(Lines(errors));
  EXPECT_EQ(tenant->user_count(), 10u);
  EXPECT_EQ(tenant->group_count(), 3u);
  EXPECT_EQ(tenant->policy_count(), 3u);
}

TEST(DirectoryCsvTest, OnlyUsersIsRequired) {
  TempFolder folder;
  WriteBytes(folder.path() / kUsersFile,
             "upn,teams_only,voice_enabled,calling_policy\n"
             "ana@contoso.com,true,true,Global\n");
  Diagnostics errors;
  const auto directory = ReadDirectory(folder.path(), &errors);
  ASSERT_TRUE(directory.has_value());
  EXPECT_EQ(directory->users.size(), 1u);
  EXPECT_TRUE(directory->policies.empty());
  EXPECT_TRUE(directory->members.empty());
}

TEST(DirectoryCsvTest, MissingUsersFileIsAnError) {
  TempFolder folder;
  Diagnostics errors;
  EXPECT_FALSE(ReadDirectory(folder.path(), &errors).has_value());
  EXPECT_EQ(Lines(errors),
            std::vector<std::string>{"users.csv: cannot open: No such file or "
                                     "directory"});
}

TEST(DirectoryCsvTest, EmptySettingsFieldsTakeTheDefaults) {
  TempFolder folder;
  WriteBytes(folder.path() / kUsersFile,
             "upn,teams_only,voice_enabled,calling_policy\n"
             "ana@contoso.com,true,true,Global\n");
  WriteBytes(folder.path() / kSettingsFile,
             "upn,forwarding,forwarding_type,forwarding_target_type,"
             "forwarding_target,unanswered,unanswered_target_type,"
             "unanswered_target,unanswered_delay_s,call_group_order,"
             "notification_override,busy_on_busy_option\n"
             "ana@contoso.com,false,,,,true,Voicemail,,,,,\n");
  Diagnostics errors;
  const auto directory = ReadDirectory(folder.path(), &errors);
  ASSERT_TRUE(directory.has_value()) << ::testing::PrintToString(Lines(errors));
  const SettingsRow& row = directory->settings.front();
  EXPECT_EQ(row.unanswered_delay_s, 20u);
  EXPECT_EQ(row.forwarding_target_type, TargetType::kNone);
  EXPECT_EQ(row.call_group_order, RingOrder::kSimultaneous);
  EXPECT_EQ(row.notification_override, NotificationOverride::kNone);
  EXPECT_EQ(row.busy_on_busy_option, BusyOnBusyOption::kRingUser);
}

TEST(DirectoryCsvTest, ColumnsMayComeInAnyOrderAndWithQuotes) {
  TempFolder folder;
  WriteBytes(folder.path() / kUsersFile,
             "calling_policy,upn,voice_enabled,teams_only\r\n"
             "\"Global\", ana@contoso.com ,false,true\r\n");
  Diagnostics errors;
  const auto directory = ReadDirectory(folder.path(), &errors);
  ASSERT_TRUE(directory.has_value());
  const UserRow& ana = directory->users.front();
  EXPECT_EQ(ana.upn, "ana@contoso.com");
  EXPECT_TRUE(ana.teams_only);
  EXPECT_FALSE(ana.voice_enabled);
  EXPECT_EQ(ana.calling_policy, "Global");
}

TEST(DirectoryCsvTest, ReportsEveryMissingAndUnknownColumn) {
  TempFolder folder;
  WriteBytes(folder.path() / kUsersFile, "upn,team_only,voice_enabled\n");
  Diagnostics errors;
  EXPECT_FALSE(ReadDirectory(folder.path(), &errors).has_value());
  EXPECT_EQ(Lines(errors), (std::vector<std::string>{
                               "users.csv:1: team_only: unknown column",
                               "users.csv:1: teams_only: missing column",
                               "users.csv:1: calling_policy: missing column"}));
}

TEST(DirectoryCsvTest, ReportsAColumnNamedTwice) {
  TempFolder folder;
  WriteBytes(folder.path() / kUsersFile,
             "upn,teams_only,voice_enabled,upn,calling_policy\n");
  Diagnostics errors;
  EXPECT_FALSE(ReadDirectory(folder.path(), &errors).has_value());
  EXPECT_EQ(Lines(errors),
            std::vector<std::string>{"users.csv:1: upn: column named twice"});
}

TEST(DirectoryCsvTest, AcceptsMultibyteUtf8AndRejectsOverlongs) {
  TempFolder folder;
  WriteBytes(folder.path() / kUsersFile,
             "upn,teams_only,voice_enabled,calling_policy\n"
             "jos\xC3\xA9@contoso.com,true,true,Global\n"
             "\xF0\x9F\x93\x9E@contoso.com,true,true,Global\n"
             "\xC0\xAF@contoso.com,true,true,Global\n");
  Diagnostics errors;
  EXPECT_FALSE(ReadDirectory(folder.path(), &errors).has_value());
  EXPECT_EQ(Lines(errors), std::vector<std::string>{
                               "users.csv:4: upn: not valid UTF-8 (byte 1 of "
                               "the field)"});
}

constexpr const char* kPolicyHeader =
    "name,allow_call_groups,allow_delegation,allow_call_forwarding_to_user,"
    "allow_call_forwarding_to_phone,allow_voicemail,busy_on_busy,"
    "inbound_pstn_treatment\n";

// A row with a field error is left out; users and policies whose key
// parsed are kept aside, and a key that did not parse loses no user.
TEST(DirectoryCsvTest, ParsedRowsKeepRejectedKeysAside) {
  TempFolder folder;
  WriteBytes(folder.path() / kUsersFile,
             "upn,teams_only,voice_enabled,calling_policy\n"
             "ana@contoso.com,true,true,Global\n"
             "ben@contoso.com,yes,true,Sales\n"
             "chen@contoso.com,true,true,\n"
             "\xC0@contoso.com,true,true,Global\n");
  WriteBytes(folder.path() / kPoliciesFile,
             std::string(kPolicyHeader) +
                 "Sales,true,true,true,true,Never,Disabled,RegularIncoming\n"
                 ",true,true,true,true,UserOverride,Disabled,Voicemail\n");
  Diagnostics errors;
  RejectedRows rejected;
  const Directory directory = ReadParsedRows(folder.path(), &rejected, &errors);
  EXPECT_EQ(errors.size(), 5u) << ::testing::PrintToString(Lines(errors));
  ASSERT_EQ(directory.users.size(), 1u);
  EXPECT_EQ(directory.users[0].upn, "ana@contoso.com");
  ASSERT_EQ(rejected.users.size(), 2u);
  EXPECT_EQ(rejected.users[0].upn, "ben@contoso.com");
  EXPECT_EQ(rejected.users[0].calling_policy, "Sales");
  EXPECT_EQ(rejected.users[0].line, 3u);
  EXPECT_EQ(rejected.users[1].upn, "chen@contoso.com");
  EXPECT_EQ(rejected.users[1].calling_policy, "");
  EXPECT_TRUE(directory.policies.empty());
  ASSERT_EQ(rejected.policies.size(), 1u);
  EXPECT_EQ(rejected.policies[0].name, "Sales");
  EXPECT_FALSE(rejected.users_lost);
  EXPECT_FALSE(rejected.policies_lost);
  EXPECT_TRUE(rejected.any);
}

TEST(DirectoryCsvTest, RowThatDoesNotSplitOrUnreadableFileLosesRows) {
  TempFolder folder;
  WriteBytes(folder.path() / kUsersFile,
             "upn,teams_only,voice_enabled,calling_policy\n"
             "ana@contoso.com,true,true\n");
  WriteBytes(folder.path() / kPoliciesFile, "name,allow_call_groups\n");
  Diagnostics errors;
  RejectedRows rejected;
  ReadParsedRows(folder.path(), &rejected, &errors);
  EXPECT_TRUE(rejected.users_lost);
  EXPECT_TRUE(rejected.policies_lost);
  EXPECT_TRUE(rejected.users.empty());
  EXPECT_TRUE(rejected.any);
}

// Only the file with the problem loses rows; a whole directory loses none.
TEST(DirectoryCsvTest, ParsedRowsOfAGoodDirectoryRejectNothing) {
  Diagnostics errors;
  RejectedRows rejected;
  const Directory directory =
      ReadParsedRows(kDirectories / "small", &rejected, &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_FALSE(rejected.any);
  EXPECT_FALSE(rejected.users_lost);
  EXPECT_FALSE(rejected.policies_lost);
  EXPECT_EQ(directory.users.size(), 10u);
}

// A load runs the build over what parsed: both passes report in one run,
// the reader's first, and nothing is loaded.
TEST(DirectoryCsvTest, LoadReportsFieldAndBuildErrorsTogether) {
  TempFolder folder;
  WriteBytes(folder.path() / kUsersFile,
             "upn,teams_only,voice_enabled,calling_policy\n"
             "ana@contoso.com,true,true,Global\n"
             "ben@contoso.com,true,maybe,Global\n");
  WriteBytes(folder.path() / kMembersFile,
             "owner_upn,position,member_upn,notification\n"
             "ana@contoso.com,1,ben@contoso.com,Ring\n"
             "ana@contoso.com,2,zed@contoso.com,Ring\n");
  Diagnostics errors;
  EXPECT_FALSE(LoadTenant(folder.path(), LimitProfile::Teams(), &errors));
  EXPECT_EQ(Lines(errors),
            (std::vector<std::string>{
                "users.csv:3: voice_enabled: 'maybe' is not one of true | "
                "false",
                "call_group_members.csv:3: member_upn: unknown user "
                "zed@contoso.com"}));
}

TEST(DirectoryCsvTest, WriterQuotesFieldsThatNeedIt) {
  Directory directory;
  directory.users.push_back({.upn = "ana@contoso.com"});
  directory.policies.push_back({.name = "Sales, \"East\""});
  directory.policies.push_back({.name = " padded"});
  TempFolder folder;
  Diagnostics errors;
  ASSERT_TRUE(WriteDirectory(directory, folder.path(), &errors));
  const std::string policies = ReadBytes(folder.path() / kPoliciesFile);
  EXPECT_NE(policies.find("\n\"Sales, \"\"East\"\"\",true"), std::string::npos);
  EXPECT_NE(policies.find("\n\" padded\",true"), std::string::npos);

  const auto read = ReadDirectory(folder.path(), &errors);
  ASSERT_TRUE(read.has_value());
  EXPECT_TRUE(SameDirectory(*read, directory));
}

TEST(DirectoryCsvTest, WriteThenReadGivesTheSameRows) {
  GeneratorOptions options;
  options.users = 2'000;
  options.groups = 200;
  const Directory generated = GenerateDirectory(options, LimitProfile::Teams());
  TempFolder folder;
  Diagnostics errors;
  ASSERT_TRUE(WriteDirectory(generated, folder.path(), &errors));
  const auto read = ReadDirectory(folder.path(), &errors);
  ASSERT_TRUE(read.has_value()) << ::testing::PrintToString(Lines(errors));
  EXPECT_TRUE(SameDirectory(*read, generated));
  EXPECT_EQ(read->users[5].line, 7u);
}

// Load, export and write again: every file is identical byte for byte,
// because generated rows come in the tenant's canonical order.
TEST(DirectoryCsvTest, LoadExportLoadRoundTripsByteForByte) {
  GeneratorOptions options;
  options.users = 3'000;
  options.groups = 300;
  options.seed = 7;
  const LimitProfile limits = LimitProfile::Teams();
  TempFolder folder;
  const fs::path first = folder.path() / "first";
  const fs::path second = folder.path() / "second";
  Diagnostics errors;
  ASSERT_TRUE(
      WriteDirectory(GenerateDirectory(options, limits), first, &errors));
  const auto tenant = LoadTenant(first, limits, &errors);
  ASSERT_TRUE(tenant.has_value()) << ::testing::PrintToString(Lines(errors));
  ASSERT_TRUE(WriteDirectory(tenant->ToDirectory(), second, &errors));
  for (const char* file : kFiles) {
    EXPECT_EQ(ReadBytes(first / file), ReadBytes(second / file)) << file;
  }
}

TEST(DirectoryCsvTest, SmallDirectoryRoundTripsByteForByte) {
  const LimitProfile limits = LimitProfile::Teams();
  Diagnostics errors;
  const auto tenant = LoadTenant(kDirectories / "small", limits, &errors);
  ASSERT_TRUE(tenant.has_value());
  TempFolder folder;
  ASSERT_TRUE(WriteDirectory(tenant->ToDirectory(), folder.path(), &errors));
  for (const char* file : kFiles) {
    EXPECT_EQ(ReadBytes(kDirectories / "small" / file),
              ReadBytes(folder.path() / file))
        << file;
  }
}

TEST(DirectoryCsvTest, WriteLeavesNoPartialFiles) {
  TempFolder folder;
  Diagnostics errors;
  ASSERT_TRUE(WriteDirectory(Directory{}, folder.path() / "out", &errors));
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder.path() / "out")) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{
                       "call_group_members.csv", "calling_settings.csv",
                       "delegates.csv", "policies.csv", "users.csv"}));
}

TEST(DirectoryCsvTest, WriteIntoAFileFails) {
  TempFolder folder;
  WriteBytes(folder.path() / "plain", "not a folder");
  Diagnostics errors;
  EXPECT_FALSE(
      WriteDirectory(Directory{}, folder.path() / "plain" / "out", &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors.front().message.find("cannot create"), std::string::npos);
}

// Each folder under bad/ holds a broken directory and, in expected.txt, the
// exact diagnostics a load must give.
std::vector<std::string> BadCases() {
  std::vector<std::string> cases;
  for (const auto& entry : fs::directory_iterator(kDirectories / "bad")) {
    cases.push_back(entry.path().filename().string());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

class BadDirectoryTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BadDirectoryTest, GivesExactlyTheExpectedDiagnostics) {
  const fs::path folder = kDirectories / "bad" / GetParam();
  std::vector<std::string> expected;
  std::istringstream text(ReadBytes(folder / "expected.txt"));
  for (std::string line; std::getline(text, line);) expected.push_back(line);
  ASSERT_FALSE(expected.empty());

  Diagnostics errors;
  EXPECT_FALSE(LoadTenant(folder, LimitProfile::Teams(), &errors));
  EXPECT_EQ(Lines(errors), expected);
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& param) {
  return param.param;
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadDirectoryTest,
                         ::testing::ValuesIn(BadCases()), CaseName);

}  // namespace
}  // namespace callshare
