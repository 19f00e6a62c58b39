#include "callshare/scenario/scenario.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace callshare {
namespace {

const std::filesystem::path kData =
    std::filesystem::path(CALLSHARE_TEST_DATA) / "scenarios";

// "file:line: field: message" with the file reduced to its name, so that
// expectations do not depend on where the tree lives.
std::string Describe(const Diagnostic& diagnostic) {
  return std::filesystem::path(diagnostic.file).filename().string() + ":" +
         std::to_string(diagnostic.line) + ": " + diagnostic.field + ": " +
         diagnostic.message;
}

std::vector<std::string> Describe(const Diagnostics& diagnostics) {
  std::vector<std::string> lines;
  for (const Diagnostic& diagnostic : diagnostics) {
    lines.push_back(Describe(diagnostic));
  }
  return lines;
}

// Loads `text` as if from tests/data/scenarios/inline.toml.
std::optional<SimConfig> Parse(const std::string& text, Diagnostics* errors,
                               std::vector<std::string> overrides = {}) {
  return ParseScenario(text, "inline.toml", kData, overrides, errors);
}

std::vector<std::string> ErrorsOf(const std::string& text,
                                  std::vector<std::string> overrides = {}) {
  Diagnostics errors;
  EXPECT_FALSE(Parse(text, &errors, std::move(overrides)).has_value());
  return Describe(errors);
}

TEST(ScenarioTest, FullScenarioLoadsEveryValue) {
  Diagnostics errors;
  const auto config = LoadScenario(kData / "full.toml", {}, &errors);
  ASSERT_TRUE(config) << testing::PrintToString(Describe(errors));

  EXPECT_EQ(config->run.name, "full");
  EXPECT_EQ(config->run.duration_s, 7200.0);
  EXPECT_EQ(config->run.warmup_s, 600.0);
  EXPECT_EQ(config->run.replications, 20u);
  EXPECT_EQ(config->run.seed, 42u);
  EXPECT_EQ(config->run.threads, 2u);
  EXPECT_EQ(config->run.router_mode, RouterMode::kEnforced);
  EXPECT_TRUE(config->run.trace);

  EXPECT_EQ(std::get<std::filesystem::path>(config->tenant.source),
            kData / "tenant_small");
  EXPECT_EQ(config->tenant.limits.members_per_group, 30u);
  EXPECT_EQ(config->tenant.limits.in_order_members, 4u);
  EXPECT_EQ(config->tenant.limits.groups_per_tenant, 32'768u);

  const TrafficConfig& traffic = config->traffic;
  ASSERT_EQ(traffic.profile.size(), 3u);
  EXPECT_EQ(traffic.profile[1].start_s, 1800.0);
  EXPECT_EQ(traffic.profile[1].calls_per_hour, 250.5);
  EXPECT_EQ(traffic.callee_choice, CalleeChoice::kZipf);
  EXPECT_EQ(traffic.zipf_exponent, 1.2);
  EXPECT_EQ(traffic.callees, CalleeSet::kGroupOwners);
  EXPECT_EQ(traffic.pstn_share, 0.5);
  EXPECT_EQ(traffic.holding.kind, DurationDistribution::Kind::kLognormal);
  EXPECT_EQ(traffic.holding.mean_s, 240.0);
  EXPECT_EQ(traffic.holding.sigma, 0.8);
  EXPECT_EQ(traffic.patience.kind, DurationDistribution::Kind::kFixed);
  EXPECT_EQ(traffic.patience.mean_s, 45.0);
  EXPECT_EQ(traffic.replay_columns.callee, "to");
  EXPECT_EQ(traffic.replay_columns.caller, "caller");

  const BehaviourConfig& behaviour = config->behaviour;
  EXPECT_FALSE(behaviour.owner_answers);
  EXPECT_EQ(behaviour.owner_answer_probability, 0.0);
  EXPECT_TRUE(behaviour.members_answer_while_on_call);
  EXPECT_EQ(behaviour.presence.mode, PresenceMode::kMarkov);
  EXPECT_EQ(behaviour.presence.share[2], 0.2);
  EXPECT_EQ(behaviour.presence.mean_sojourn_s[2], 600.0);
  EXPECT_EQ(behaviour.presence.mean_sojourn_s[0], 1800.0);
  EXPECT_EQ(behaviour.presence.next[4], (PresenceTable{0.5, 0, 0.5, 0, 0}));
  EXPECT_EQ(behaviour.answer[0].probability, 1.0);
  EXPECT_EQ(behaviour.answer[0].delay.kind,
            DurationDistribution::Kind::kExponential);
  EXPECT_EQ(behaviour.answer[2].probability, 0.0);
  EXPECT_EQ(behaviour.answer[1].probability, 0.6);
  EXPECT_EQ(behaviour.presence_factor[2], 0.25);
  EXPECT_EQ(behaviour.router.in_order_ring_ms, 15'000u);
  EXPECT_EQ(behaviour.router.voicemail_timeout_ms, 40'500u);
  EXPECT_EQ(behaviour.router.forward_hops, 2u);
  EXPECT_TRUE(behaviour.router.notify_offline);
  EXPECT_EQ(behaviour.router.mode, RouterMode::kEnforced);
}

TEST(ScenarioTest, EventsAreSortedByTimeWithTheirFields) {
  Diagnostics errors;
  const auto config = LoadScenario(kData / "full.toml", {}, &errors);
  ASSERT_TRUE(config);
  ASSERT_EQ(config->events.size(), 7u);
  EXPECT_EQ(config->events[0].action(), AdminAction::kAddMember);
  const auto& add = std::get<AddMemberChange>(config->events[0].change);
  EXPECT_EQ(add.member, "ben@contoso.com");
  EXPECT_EQ(add.notification, Notification::kBanner);
  const auto& set = std::get<SetPolicyChange>(config->events[1].change);
  EXPECT_EQ(set.field, "allow_call_groups");
  EXPECT_EQ(set.value, "false");
  const auto& assign = std::get<AssignPolicyChange>(config->events[2].change);
  EXPECT_EQ(assign.selector, UserSelector::kGroupOwners);
  EXPECT_EQ(assign.share, 0.5);
  EXPECT_EQ(std::get<CreateGroupsChange>(config->events[3].change).size, 3u);
  const auto& limit = std::get<SetLimitChange>(config->events[4].change);
  EXPECT_EQ(limit.limit, Limit::kGroupsPerTenant);
  EXPECT_EQ(limit.value, 100u);
  EXPECT_EQ(std::get<AddDelegateChange>(config->events[5].change).permissions,
            kReceiveCalls | kMakeCalls);
  EXPECT_EQ(config->events[6].action(), AdminAction::kCleanup);
}

TEST(ScenarioTest, AbsentSectionsKeepTheDefaults) {
  Diagnostics errors;
  const auto config = LoadScenario(kData / "minimal.toml", {}, &errors);
  ASSERT_TRUE(config);
  const SimConfig defaults;
  EXPECT_EQ(config->run.name, "minimal");
  EXPECT_EQ(config->run.duration_s, defaults.run.duration_s);
  EXPECT_EQ(config->run.router_mode, RouterMode::kAsDeployed);
  ASSERT_TRUE(config->tenant.generated());
  EXPECT_EQ(std::get<GeneratorOptions>(config->tenant.source).users, 1000u);
  EXPECT_EQ(config->tenant.limits.members_per_group, 25u);
  EXPECT_TRUE(config->traffic.profile.empty());
  EXPECT_EQ(config->traffic.calls_per_hour, defaults.traffic.calls_per_hour);
  EXPECT_TRUE(config->behaviour.owner_answers);
  EXPECT_TRUE(config->events.empty());
  SimConfig named = defaults;
  named.run.name = "minimal";
  EXPECT_EQ(DescribeScenario(*config), DescribeScenario(named));
}

TEST(ScenarioTest, GeneratedTenantReadsItsOptions) {
  Diagnostics errors;
  const auto config = Parse(
      "[tenant.generate]\nusers = 50\ngroups = 5\nseed = 9\n"
      "full_groups = true\nmax_group_size = 10\n",
      &errors);
  ASSERT_TRUE(config) << testing::PrintToString(Describe(errors));
  const auto& options = std::get<GeneratorOptions>(config->tenant.source);
  EXPECT_EQ(options.users, 50u);
  EXPECT_EQ(options.groups, 5u);
  EXPECT_EQ(options.seed, 9u);
  EXPECT_TRUE(options.full_groups);
  EXPECT_EQ(options.max_group_size, 10u);
}

TEST(ScenarioTest, UnknownKeyNamesDottedKeyAndLine) {
  Diagnostics errors;
  EXPECT_FALSE(LoadScenario(kData / "unknown_key.toml", {}, &errors));
  EXPECT_EQ(Describe(errors), std::vector<std::string>{
                                  "unknown_key.toml:6: traffic.call_per_hour: "
                                  "unknown key"});
}

TEST(ScenarioTest, UnknownSectionAndNestedKeysAreErrors) {
  EXPECT_EQ(ErrorsOf("[rn]\nx = 1\n[traffic.holding]\nmeen_s = 3\n"),
            (std::vector<std::string>{
                "inline.toml:1: rn: unknown key",
                "inline.toml:4: traffic.holding.meen_s: unknown key; choose "
                "kind | mean_s | sigma"}));
}

TEST(ScenarioTest, WrongTypeNamesKeyAndLine) {
  EXPECT_EQ(ErrorsOf("[run]\nreplications = \"ten\"\ntrace = 1\n"),
            (std::vector<std::string>{
                "inline.toml:2: run.replications: expected an integer, got "
                "a string",
                "inline.toml:3: run.trace: expected a boolean, got an "
                "integer"}));
}

TEST(ScenarioTest, OutOfRangeValuesAreAllReported) {
  EXPECT_EQ(
      ErrorsOf("[run]\nduration_s = 0\n[traffic]\ncalls_per_hour = -5\n"
               "pstn_share = 1.5\nholding = { mean_s = -1 }\n"),
      (std::vector<std::string>{
          "inline.toml:2: run.duration_s: must be > 0, got 0",
          "inline.toml:4: traffic.calls_per_hour: must be >= 0, got -5",
          "inline.toml:6: traffic.holding.mean_s: must be > 0, got -1",
          "inline.toml:5: traffic.pstn_share: must be in [0, 1], got 1.5"}));
}

TEST(ScenarioTest, WarmupMustEndBeforeTheRun) {
  EXPECT_EQ(
      ErrorsOf("[run]\nduration_s = 100\nwarmup_s = 100\n"),
      std::vector<std::string>{"inline.toml:3: run.warmup_s: must be less than "
                               "run.duration_s (100), got 100"});
}

TEST(ScenarioTest, BadEnumListsTheChoices) {
  EXPECT_EQ(ErrorsOf("[run]\nrouter_mode = \"strict\"\n"),
            std::vector<std::string>{
                "inline.toml:2: run.router_mode: unknown router mode "
                "'strict'; choose as_deployed | enforced"});
}

// The simulator picks the timed routes with a mask.
TEST(ScenarioTest, LatencySamplePeriodIsZeroOrAPowerOfTwo) {
  EXPECT_EQ(ErrorsOf("[run]\nlatency_sample_period = 3\n"),
            std::vector<std::string>{
                "inline.toml:2: run.latency_sample_period: must be 0 or a "
                "power of 2, got 3"});
  for (const char* period : {"0", "1", "16"}) {
    Diagnostics errors;
    const auto config = ParseScenario(
        std::string("[run]\nlatency_sample_period = ") + period + "\n",
        "inline.toml", ".", {}, &errors);
    ASSERT_TRUE(config.has_value()) << period;
    EXPECT_EQ(config->run.latency_sample_period, std::stoul(period));
  }
}

TEST(ScenarioTest, SharesMustSumToOne) {
  EXPECT_EQ(ErrorsOf("[behaviour.presence.share]\navailable = 0.5\n"),
            std::vector<std::string>{
                "inline.toml:1: behaviour.presence.share: shares must sum "
                "to 1, got 0.8"});
}

TEST(ScenarioTest, SyntaxErrorGivesFileAndLine) {
  Diagnostics errors;
  EXPECT_FALSE(LoadScenario(kData / "syntax_error.toml", {}, &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(std::filesystem::path(errors[0].file).filename(),
            "syntax_error.toml");
  EXPECT_EQ(errors[0].line, 3u);
  EXPECT_FALSE(errors[0].message.empty());
}

TEST(ScenarioTest, MissingProfileIsReportedAtItsKey) {
  Diagnostics errors;
  EXPECT_FALSE(LoadScenario(kData / "missing_profile.toml", {}, &errors));
  EXPECT_EQ(Describe(errors),
            std::vector<std::string>{
                "missing_profile.toml:2: traffic.profile: cannot open rate "
                "profile '" +
                (kData / "no_such_profile.csv").string() + "'"});
}

TEST(ScenarioTest, BadProfileRowsAreReportedAtTheirLines) {
  Diagnostics errors;
  EXPECT_FALSE(LoadScenario(kData / "bad_profile.toml", {}, &errors));
  EXPECT_EQ(Describe(errors),
            (std::vector<std::string>{
                "bad_profile.csv:3: calls_per_hour: expected a number, got "
                "'abc'",
                "bad_profile.csv:4: interval_start_s: must be after the "
                "previous interval's start (0), got 0",
                "bad_profile.csv:5: calls_per_hour: must be >= 0, got -5",
                "bad_profile.csv:6: : expected 2 columns: "
                "interval_start_s,calls_per_hour"}));
}

TEST(ScenarioTest, InlineProfileTablesAreRead) {
  Diagnostics errors;
  const auto config = Parse(
      "[[traffic.profile]]\nstart_s = 0\ncalls_per_hour = 10\n"
      "[[traffic.profile]]\nstart_s = 60\ncalls_per_hour = 20\n",
      &errors);
  ASSERT_TRUE(config);
  ASSERT_EQ(config->traffic.profile.size(), 2u);
  EXPECT_EQ(config->traffic.profile[1].calls_per_hour, 20.0);
}

TEST(ScenarioTest, OverridesChangeValues) {
  Diagnostics errors;
  const auto config =
      LoadScenario(kData / "minimal.toml",
                   std::vector<std::string>{
                       "run.replications=20", "traffic.calls_per_hour = 500",
                       "run.router_mode=enforced", "traffic.holding.mean_s=30",
                       "run.name=\"quoted name\""},
                   &errors);
  ASSERT_TRUE(config) << testing::PrintToString(Describe(errors));
  EXPECT_EQ(config->run.replications, 20u);
  EXPECT_EQ(config->traffic.calls_per_hour, 500.0);
  EXPECT_EQ(config->run.router_mode, RouterMode::kEnforced);
  EXPECT_EQ(config->traffic.holding.mean_s, 30.0);
  EXPECT_EQ(config->traffic.holding.kind,
            DurationDistribution::Kind::kExponential);
  EXPECT_EQ(config->run.name, "quoted name");
}

TEST(ScenarioTest, OverrideOfTenantDirectoryReplacesGenerator) {
  Diagnostics errors;
  const auto config = Parse("[tenant.generate]\nusers = 5\n", &errors,
                            {"tenant.directory=tenant_small"});
  ASSERT_TRUE(config) << testing::PrintToString(Describe(errors));
  EXPECT_EQ(std::get<std::filesystem::path>(config->tenant.source),
            kData / "tenant_small");
}

TEST(ScenarioTest, BadOverridesAreErrorsOfTheOverride) {
  EXPECT_EQ(
      ErrorsOf("[run]\n", {"run.replicatons=3", "run.seed", "run.seed=-1"}),
      (std::vector<std::string>{
          "--set:0: run.replicatons: unknown key in override "
          "'run.replicatons=3'",
          "--set:0: run.seed: expected key.path=value",
          "--set:0: run.seed: must be in [0, 9223372036854775807], "
          "got -1"}));
}

TEST(ScenarioTest, OverrideThatIsNotUtf8IsRefused) {
  // A lone continuation byte, an overlong slash and a UTF-16 surrogate:
  // TOML holds none of them, so the written scenario could not load.
  EXPECT_EQ(ErrorsOf("[run]\n", {"tenant.directory=caf\x80",
                                 "run.name=\xC0\xAF", "run.name=\xED\xA0\x80"}),
            (std::vector<std::string>(3,
                                      "--set:0: : override is not valid "
                                      "UTF-8")));
  Diagnostics errors;
  EXPECT_TRUE(
      Parse("[run]\n", &errors, {"run.name=caf\xC3\xA9 \xF0\x9F\x93\x9E"}));
}

TEST(ScenarioTest, UnusableTenantDirectoryNameIsAnError) {
  // Longer than any file name the OS accepts: refused, not thrown.
  const std::string name(300, 'd');
  EXPECT_EQ(ErrorsOf("[run]\n", {"tenant.directory=" + name}),
            (std::vector<std::string>{"--set:0: tenant.directory: no such "
                                      "directory '" +
                                      (kData / name).string() + "'"}));
}

TEST(ScenarioTest, EventErrorsNameTheEventField) {
  EXPECT_EQ(
      ErrorsOf("[[events]]\nat_s = 5\naction = \"add_member\"\n"
               "owner = \"a@x\"\nnotification = \"Loud\"\n"
               "[[events]]\nat_s = 9\naction = \"set_policy\"\n"
               "policy = \"Global\"\nfield = \"allow_voicemail\"\n"
               "value = \"Sometimes\"\n"),
      (std::vector<std::string>{
          "inline.toml:5: events[1].notification: unknown notification "
          "'Loud'; choose Ring | Banner | Mute",
          "inline.toml:1: events[1]: missing member for action add_member",
          "inline.toml:6: events[2].value: allow_voicemail does not take "
          "'Sometimes'; choose AlwaysEnabled | AlwaysDisabled | "
          "UserOverride"}));
}

TEST(ScenarioTest, RelativePathsResolveAgainstTheScenarioFolder) {
  Diagnostics errors;
  const auto config = LoadScenario(kData / "full.toml", {}, &errors);
  ASSERT_TRUE(config);
  const auto& directory =
      std::get<std::filesystem::path>(config->tenant.source);
  EXPECT_TRUE(directory.is_absolute());
  EXPECT_TRUE(std::filesystem::exists(directory / "users.csv"));
}

TEST(ScenarioTest, TomlRoundTripGivesTheSameConfig) {
  Diagnostics errors;
  const auto config = LoadScenario(kData / "full.toml", {}, &errors);
  ASSERT_TRUE(config);
  const std::string text = ScenarioToToml(*config);
  const auto reloaded = Parse(text, &errors);
  ASSERT_TRUE(reloaded) << text << testing::PrintToString(Describe(errors));
  EXPECT_EQ(DescribeScenario(*reloaded), DescribeScenario(*config));
  EXPECT_EQ(reloaded->traffic.profile.size(), 3u);
  EXPECT_EQ(reloaded->events.size(), 7u);
}

TEST(ScenarioTest, NegativeZeroIsWrittenAsZero) {
  // -0.0 passes a ">= 0" bound, but its text "-0" reads back as the
  // integer 0: a written scenario must not change when loaded again.
  Diagnostics errors;
  const auto config = Parse(
      "[run]\nwarmup_s = -0.0\n[[events]]\nat_s = -0.0\naction = "
      "\"cleanup\"\n",
      &errors);
  ASSERT_TRUE(config) << testing::PrintToString(Describe(errors));
  const std::string text = ScenarioToToml(*config);
  EXPECT_EQ(text.find("-0"), std::string::npos) << text;
  const auto reloaded = Parse(text, &errors);
  ASSERT_TRUE(reloaded) << text << testing::PrintToString(Describe(errors));
  EXPECT_EQ(ScenarioToToml(*reloaded), text);
}

TEST(ScenarioTest, DescribeListsEveryKeyOnce) {
  const auto entries = DescribeScenario(SimConfig{});
  const auto keys = ScenarioKeys();
  for (const ScenarioEntry& entry : entries) {
    EXPECT_EQ(std::ranges::count(keys, entry.key, &ScenarioKeyHelp::key), 1)
        << entry.key;
  }
  EXPECT_EQ(entries.front().key, "run.name");
}

}  // namespace
}  // namespace callshare
