// Every loader against the inputs CI jobs and capacity planners get wrong:
// the exact diagnostics, nothing loaded and, through the `callshare`
// binary, exit code 2 (1 for validate) with nothing written.
//
// Each folder of tests/data/bad_inputs is one case. Its name's prefix says
// which loader reads it: csv_ a tenant directory (LoadTenant), audit_ a
// directory that loads but that `callshare validate` warns about,
// scenario_ scenario.toml (LoadScenario), events_ a scenario.toml that
// loads but whose events name what its tenant/ folder does not have
// (CheckAdminEventNames), replay_ a scenario whose call log
// (traffic.replay, calls.csv) `callshare run` refuses, warning_replay_
// one whose log runs with a warning, summary_ summary.json (ReadSummary),
// sweep_ sweep.json (ReadSweep). expected.txt holds the diagnostics, one a
// line, with file names relative to the case folder. Every loop over a
// prefix first asserts that it found cases, so that a renamed folder
// cannot turn a test into one that checks nothing. Inputs too large to
// commit are generated here, in temp folders.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "callshare/reports/summary_json.h"
#include "callshare/reports/sweep.h"
#include "callshare/scenario/scenario.h"
#include "callshare/sim/admin_events.h"
#include "callshare/tenant/directory_csv.h"

namespace callshare {
namespace {

namespace fs = std::filesystem;

const fs::path kCases = fs::path(CALLSHARE_TEST_DATA) / "bad_inputs";
const fs::path kDirectoryCases =
    fs::path(CALLSHARE_TEST_DATA) / "directories" / "bad";

// A fresh folder under the system temp folder, removed at the end.
class TempFolder {
 public:
  explicit TempFolder(const std::string& name)
      : path_(fs::temp_directory_path() /
              ("callshare_bad_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempFolder() { fs::remove_all(path_); }

  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::vector<std::string> ReadLines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void WriteText(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
}

// The case folders whose names start with `prefix`, sorted.
std::vector<fs::path> Cases(const fs::path& root, const std::string& prefix) {
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.path().filename().string().starts_with(prefix)) {
      cases.push_back(entry.path());
    }
  }
  std::ranges::sort(cases);
  return cases;
}

// The diagnostics as printed, with `folder`/ taken off the file names.
std::vector<std::string> Lines(const Diagnostics& diagnostics,
                               const fs::path& folder) {
  const std::string prefix = folder.string() + "/";
  std::vector<std::string> lines;
  for (const Diagnostic& diagnostic : diagnostics) {
    std::string line = diagnostic.ToString();
    if (line.starts_with(prefix)) line.erase(0, prefix.size());
    lines.push_back(line);
  }
  return lines;
}

// The result of one run of the callshare binary.
struct CliRun {
  int exit_code = -1;
  std::vector<std::string> output;  // stdout and stderr, line by line
};

CliRun RunCallshare(const std::string& arguments, const fs::path& scratch) {
  const fs::path log = scratch / "output.txt";
  const std::string command = std::string(CALLSHARE_BINARY) + " " + arguments +
                              " >" + log.string() + " 2>&1";
  const int status = std::system(command.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.output = ReadLines(log);
  return run;
}

// `lines`, each prefixed as the CLI prefixes a case's diagnostics.
std::vector<std::string> Prefixed(std::vector<std::string> lines,
                                  const std::string& prefix) {
  for (std::string& line : lines) line = prefix + line;
  return lines;
}

// `callshare run` on each case folder named PREFIX*: exit 2, the case's
// expected.txt as output with the folder in front, and no output folder.
void ExpectRunRefusesEachCase(const std::string& prefix) {
  TempFolder scratch(prefix + "run");
  const fs::path out = scratch.path() / "out";
  const std::vector<fs::path> cases = Cases(kCases, prefix);
  ASSERT_FALSE(cases.empty()) << "no " << prefix << "* case in " << kCases;
  for (const fs::path& folder : cases) {
    SCOPED_TRACE(folder.filename().string());
    const CliRun run =
        RunCallshare("run " + (folder / "scenario.toml").string() +
                         " --quiet --out " + out.string(),
                     scratch.path());
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(run.output, Prefixed(ReadLines(folder / "expected.txt"),
                                   folder.string() + "/"));
    EXPECT_FALSE(fs::exists(out));
  }
}

// ---- Tenant directories ----

TEST(BadInputTest, DirectoriesLoadNothingAndSayWhy) {
  const std::vector<fs::path> cases = Cases(kCases, "csv_");
  ASSERT_FALSE(cases.empty()) << "no csv_* case in " << kCases;
  for (const fs::path& folder : cases) {
    SCOPED_TRACE(folder.filename().string());
    Diagnostics errors;
    EXPECT_FALSE(LoadTenant(folder, LimitProfile::Teams(), &errors));
    EXPECT_EQ(Lines(errors, folder), ReadLines(folder / "expected.txt"));
  }
}

// validate prints every finding as DIR/file:line: field: message, exits 1.
TEST(BadInputTest, ValidateReportsEveryBadDirectory) {
  TempFolder scratch("validate");
  std::vector<fs::path> folders = Cases(kCases, "csv_");
  ASSERT_FALSE(folders.empty()) << "no csv_* case in " << kCases;
  const std::vector<fs::path> directories = Cases(kDirectoryCases, "");
  ASSERT_FALSE(directories.empty()) << "no case in " << kDirectoryCases;
  folders.insert(folders.end(), directories.begin(), directories.end());
  for (const fs::path& folder : folders) {
    SCOPED_TRACE(folder.filename().string());
    const CliRun run =
        RunCallshare("validate " + folder.string(), scratch.path());
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_EQ(run.output, Prefixed(ReadLines(folder / "expected.txt"),
                                   folder.string() + "/"));
  }
}

// A forward cycle is tenant state, not a syntax error: the directory
// loads and validate warns.
TEST(BadInputTest, ForwardCycleLoadsAndValidateWarns) {
  TempFolder scratch("cycle");
  const std::vector<fs::path> cases = Cases(kCases, "audit_");
  ASSERT_FALSE(cases.empty()) << "no audit_* case in " << kCases;
  for (const fs::path& folder : cases) {
    SCOPED_TRACE(folder.filename().string());
    Diagnostics errors;
    EXPECT_TRUE(LoadTenant(folder, LimitProfile::Teams(), &errors));
    const CliRun run =
        RunCallshare("validate " + folder.string(), scratch.path());
    EXPECT_EQ(run.exit_code, 1);
    std::vector<std::string> expected =
        Prefixed(ReadLines(folder / "expected.txt"), folder.string() + "/");
    expected.push_back(fmt::format("{}: valid, with {} audit warnings",
                                   folder.string(), expected.size()));
    // The warnings go to stdout and the verdict to stderr, so their order
    // in one capture is the pipes' and not the program's.
    std::vector<std::string> output = run.output;
    std::ranges::sort(output);
    std::ranges::sort(expected);
    EXPECT_EQ(output, expected);
  }
}

constexpr const char* kUsersHeader =
    "upn,teams_only,voice_enabled,calling_policy\n";

// There is no limit on the length of a UPN: a megabyte one is read whole,
// not cut at the parser's block, and the row it sits in stays line 3.
TEST(BadInputTest, MegabyteUpnIsReadWhole) {
  TempFolder folder("huge_upn");
  const std::string upn = std::string(1 << 20, 'a') + "@contoso.com";
  WriteText(folder.path() / "users.csv",
            std::string(kUsersHeader) + "ana@contoso.com,true,true,Global\n" +
                upn + ",true,true,Global\n");
  Diagnostics errors;
  const std::optional<Directory> directory =
      ReadDirectory(folder.path(), &errors);
  ASSERT_TRUE(directory.has_value());
  ASSERT_EQ(directory->users.size(), 2u);
  EXPECT_EQ(directory->users[1].upn, upn);
  EXPECT_EQ(directory->users[1].line, 3u);
}

TEST(BadInputTest, HundredKilobyteLineNamesItsField) {
  TempFolder folder("long_line");
  WriteText(folder.path() / "users.csv", std::string(kUsersHeader) +
                                             "ana@contoso.com,true,true," +
                                             std::string(100'000, 'P') + "\n");
  Diagnostics errors;
  EXPECT_FALSE(LoadTenant(folder.path(), LimitProfile::Teams(), &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, "users.csv");
  EXPECT_EQ(errors[0].line, 2u);
  EXPECT_EQ(errors[0].field, "calling_policy");
  // The value is quoted whole, so the planner can find it in the file.
  EXPECT_EQ(errors[0].message, "unknown policy " + std::string(100'000, 'P'));
}

// One group over the tenant limit of 32,768, each owner the only member
// of the next owner's group so that no other limit is reached first.
TEST(BadInputTest, GroupOverTheTenantLimitNamesItsLine) {
  constexpr int kGroups = 32'769;
  TempFolder folder("groups");
  std::string users = kUsersHeader;
  std::string members = "owner_upn,position,member_upn,notification\n";
  const auto upn = [](int i) { return fmt::format("u{}@contoso.com", i); };
  for (int i = 0; i < kGroups; ++i) {
    users += fmt::format("{},true,true,Global\n", upn(i));
    members += fmt::format("{},1,{},Ring\n", upn(i), upn((i + 1) % kGroups));
  }
  WriteText(folder.path() / "users.csv", users);
  WriteText(folder.path() / "call_group_members.csv", members);
  const std::string expected =
      "call_group_members.csv:32770: owner_upn: tenant would have 32769 "
      "call groups (limit 32768)";
  Diagnostics errors;
  EXPECT_FALSE(LoadTenant(folder.path(), LimitProfile::Teams(), &errors));
  EXPECT_EQ(Lines(errors, folder.path()), std::vector<std::string>{expected});

  // A run on that directory stops before simulating and writes nothing.
  TempFolder scratch("groups_run");
  const fs::path scenario = scratch.path() / "scenario.toml";
  WriteText(scenario, fmt::format("[tenant]\ndirectory = \"{}\"\n",
                                  folder.path().string()));
  const fs::path out = scratch.path() / "out";
  const CliRun run = RunCallshare(
      "run " + scenario.string() + " --quiet --out " + out.string(),
      scratch.path());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.output,
            std::vector<std::string>{folder.path().string() + "/" + expected});
  EXPECT_FALSE(fs::exists(out));
}

// ---- Scenarios ----

TEST(BadInputTest, ScenariosLoadNothingAndSayWhy) {
  const std::vector<fs::path> cases = Cases(kCases, "scenario_");
  ASSERT_FALSE(cases.empty()) << "no scenario_* case in " << kCases;
  for (const fs::path& folder : cases) {
    SCOPED_TRACE(folder.filename().string());
    Diagnostics errors;
    EXPECT_FALSE(LoadScenario(folder / "scenario.toml", {}, &errors));
    EXPECT_EQ(Lines(errors, folder), ReadLines(folder / "expected.txt"));
  }
}

TEST(BadInputTest, RunRefusesBadScenariosAndWritesNothing) {
  ExpectRunRefusesEachCase("scenario_");
}

// Zero bytes, blanks or comments set no key: the planner passed the wrong
// file, so it is refused rather than run as every default.
TEST(BadInputTest, ScenarioThatSetsNoKeyIsAnError) {
  for (const std::string text : {"", "  \n\t\n", "# to be written\n"}) {
    SCOPED_TRACE(text);
    Diagnostics errors;
    EXPECT_FALSE(ParseScenario(text, "empty.toml", ".", {}, &errors));
    EXPECT_EQ(Lines(errors, "."),
              std::vector<std::string>{"empty.toml: the scenario is empty: it "
                                       "sets no key (`callshare keys` lists "
                                       "them)"});
  }
}

// ---- Events against the tenant ----

TEST(BadInputTest, EventsNamingUnknownUsersOrPoliciesSayWhere) {
  const std::vector<fs::path> cases = Cases(kCases, "events_");
  ASSERT_FALSE(cases.empty()) << "no events_* case in " << kCases;
  for (const fs::path& folder : cases) {
    SCOPED_TRACE(folder.filename().string());
    const fs::path file = folder / "scenario.toml";
    Diagnostics errors;
    const std::optional<SimConfig> config = LoadScenario(file, {}, &errors);
    ASSERT_TRUE(config.has_value());
    const std::optional<Tenant> tenant =
        LoadTenant(folder / "tenant", LimitProfile::Teams(), &errors);
    ASSERT_TRUE(tenant.has_value());
    EXPECT_FALSE(
        CheckAdminEventNames(config->events, *tenant, file.string(), &errors));
    EXPECT_EQ(Lines(errors, folder), ReadLines(folder / "expected.txt"));
  }
}

TEST(BadInputTest, RunRefusesEventsNamingUnknownNamesAndWritesNothing) {
  ExpectRunRefusesEachCase("events_");
}

// ---- Call logs (traffic.replay) ----

// A bad call log is refused whole before any replication runs: exit 2,
// every finding as calls.csv:line: field: message, and no output folder.
TEST(BadInputTest, RunRefusesBadCallLogsAndWritesNothing) {
  ExpectRunRefusesEachCase("replay_");
}

// Rows out of time order are not an error: the log is replayed sorted,
// with one warning, and the run writes its results.
TEST(BadInputTest, CallLogOutOfOrderRunsSortedWithAWarning) {
  TempFolder scratch("replay_sorted");
  const fs::path out = scratch.path() / "out";
  const std::vector<fs::path> cases = Cases(kCases, "warning_replay_");
  ASSERT_FALSE(cases.empty()) << "no warning_replay_* case in " << kCases;
  for (const fs::path& folder : cases) {
    SCOPED_TRACE(folder.filename().string());
    const CliRun run =
        RunCallshare("run " + (folder / "scenario.toml").string() +
                         " --quiet --no-report --out " + out.string(),
                     scratch.path());
    EXPECT_EQ(run.exit_code, 0);
    // The warnings share the capture with the summary table on stdout.
    const std::vector<std::string> warnings =
        Prefixed(ReadLines(folder / "expected.txt"), folder.string() + "/");
    ASSERT_FALSE(warnings.empty());
    for (const std::string& warning : warnings) {
      EXPECT_NE(std::ranges::find(run.output, warning), run.output.end())
          << warning;
    }
    const std::string log = (folder / "calls.csv").string();
    EXPECT_EQ(std::ranges::count_if(run.output,
                                    [&log](const std::string& line) {
                                      return line.starts_with(log);
                                    }),
              std::ptrdiff_t(warnings.size()));
    EXPECT_TRUE(fs::exists(out / "summary.json"));
    fs::remove_all(out);
  }
}

// ---- summary.json and sweep.json, the compare inputs ----

TEST(BadInputTest, SummariesLoadNothingAndSayWhy) {
  const std::vector<fs::path> cases = Cases(kCases, "summary_");
  ASSERT_FALSE(cases.empty()) << "no summary_* case in " << kCases;
  for (const fs::path& folder : cases) {
    SCOPED_TRACE(folder.filename().string());
    Diagnostics errors;
    EXPECT_FALSE(ReadSummary(folder / "summary.json", &errors));
    EXPECT_EQ(Lines(errors, folder), ReadLines(folder / "expected.txt"));
  }
}

TEST(BadInputTest, SweepsLoadNothingAndSayWhy) {
  const std::vector<fs::path> cases = Cases(kCases, "sweep_");
  ASSERT_FALSE(cases.empty()) << "no sweep_* case in " << kCases;
  for (const fs::path& folder : cases) {
    SCOPED_TRACE(folder.filename().string());
    Diagnostics errors;
    EXPECT_FALSE(ReadSweep(folder / "sweep.json", &errors));
    EXPECT_EQ(Lines(errors, folder), ReadLines(folder / "expected.txt"));
  }
}

// compare exits 2 on input it cannot read, naming the file.
TEST(BadInputTest, CompareRefusesBadInput) {
  TempFolder scratch("compare");
  const std::vector<fs::path> summaries = Cases(kCases, "summary_");
  const std::vector<fs::path> sweeps = Cases(kCases, "sweep_");
  ASSERT_FALSE(summaries.empty()) << "no summary_* case in " << kCases;
  ASSERT_FALSE(sweeps.empty()) << "no sweep_* case in " << kCases;
  std::vector<fs::path> files;
  for (const fs::path& folder : summaries) {
    files.push_back(folder / "summary.json");
  }
  for (const fs::path& folder : sweeps) files.push_back(folder / "sweep.json");
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    const CliRun run = RunCallshare(
        "compare " + file.string() + " " + file.string(), scratch.path());
    EXPECT_EQ(run.exit_code, 2);
    ASSERT_FALSE(run.output.empty());
    EXPECT_NE(run.output.front().find(file.string()), std::string::npos)
        << run.output.front();
  }
}

}  // namespace
}  // namespace callshare
