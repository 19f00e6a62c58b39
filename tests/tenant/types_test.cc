#include <gtest/gtest.h>

#include "callshare/tenant/diagnostic.h"
#include "callshare/tenant/directory.h"
#include "callshare/tenant/limits.h"
#include "callshare/tenant/types.h"

namespace callshare {
namespace {

template <typename Enum>
void ExpectNames(std::initializer_list<std::string_view> names) {
  int value = 0;
  for (std::string_view name : names) {
    const auto e = static_cast<Enum>(value++);
    EXPECT_EQ(Name(e), name);
    ASSERT_TRUE(ParseEnum<Enum>(name).has_value()) << name;
    EXPECT_EQ(*ParseEnum<Enum>(name), e);
    if (!name.empty()) {
      EXPECT_NE(EnumChoices<Enum>().find(name), std::string_view::npos);
    }
  }
}

TEST(TypesTest, EveryEnumerationRoundTripsItsNames) {
  ExpectNames<Notification>({"Ring", "Banner", "Mute"});
  ExpectNames<NotificationOverride>({"None", "Ring", "Banner", "Mute"});
  ExpectNames<ForwardingType>({"Immediate", "Simultaneous"});
  ExpectNames<TargetType>(
      {"", "Voicemail", "SingleTarget", "MyDelegates", "Group"});
  ExpectNames<RingOrder>({"Simultaneous", "InOrder"});
  ExpectNames<BusyOnBusyOption>(
      {"PlayBusySignal", "RedirectAsUnansweredCall", "RingUser"});
  ExpectNames<VoicemailPolicy>(
      {"AlwaysEnabled", "AlwaysDisabled", "UserOverride"});
  ExpectNames<BusyOnBusyPolicy>(
      {"Enabled", "Unanswered", "Disabled", "UserOverride"});
  ExpectNames<PstnTreatment>(
      {"RegularIncoming", "Unanswered", "Voicemail", "UserOverride"});
  ExpectNames<Presence>(
      {"available", "busy", "away", "do_not_disturb", "offline"});
}

TEST(TypesTest, ParseRejectsNamesThatAreNotExact) {
  EXPECT_FALSE(ParseEnum<Notification>("ring").has_value());
  EXPECT_FALSE(ParseEnum<Notification>("Ring ").has_value());
  EXPECT_FALSE(ParseEnum<Notification>("").has_value());
  EXPECT_FALSE(ParseEnum<NotificationOverride>("").has_value());
  EXPECT_FALSE(ParseEnum<TargetType>("None").has_value());
  EXPECT_FALSE(ParseEnum<Presence>("Available").has_value());
}

TEST(TypesTest, OnlyTheListedUnansweredDelaysAreAllowed) {
  for (std::uint32_t s : {5u, 10u, 15u, 20u, 30u, 40u, 50u, 60u}) {
    EXPECT_TRUE(IsAllowedUnansweredDelay(s)) << s;
  }
  for (std::uint32_t s : {0u, 4u, 6u, 25u, 45u, 61u, 120u}) {
    EXPECT_FALSE(IsAllowedUnansweredDelay(s)) << s;
  }
}

TEST(LimitsTest, GetReadsWhatSetWrote) {
  LimitProfile profile;
  EXPECT_EQ(profile.Get(Limit::kGroupsPerTenant), 32'768u);
  EXPECT_EQ(profile.Get(Limit::kInOrderMembers), 5u);
  EXPECT_EQ(profile.Get(Limit::kMemberListChars), 32'768u);
  for (auto limit : {Limit::kGroupsPerTenant, Limit::kMembersPerGroup,
                     Limit::kMembershipsPerUser, Limit::kInOrderMembers,
                     Limit::kDelegatesPerUser, Limit::kDelegatorsPerDelegate,
                     Limit::kMemberListChars}) {
    profile.Set(limit, 7);
    EXPECT_EQ(profile.Get(limit), 7u) << Name(limit);
  }
  EXPECT_EQ(Name(Limit::kMembersPerGroup), "members_per_group");
}

TEST(LimitsTest, ValidateRefusesProfilesThatOverflowARingPlan) {
  LimitProfile profile;
  EXPECT_FALSE(profile.Validate().has_value());
  profile.members_per_group = 36;  // 36 + 25 + 3 = 64
  EXPECT_FALSE(profile.Validate().has_value());
  profile.members_per_group = 37;
  ASSERT_TRUE(profile.Validate().has_value());
  EXPECT_NE(profile.Validate()->find("members_per_group"), std::string::npos);
}

TEST(LimitsTest, MessageNamesLimitEntityAndValue) {
  LimitError error{Limit::kMembersPerGroup, "ana@contoso.com", 26, 25};
  EXPECT_EQ(error.Message(),
            "call group of ana@contoso.com would have 26 members (limit 25)");
  LimitError groups{Limit::kGroupsPerTenant, "tenant", 32'769, 32'768};
  EXPECT_NE(groups.Message().find("32769"), std::string::npos);
}

TEST(DiagnosticTest, ToStringLeavesOutEmptyParts) {
  Diagnostic full{Diagnostic::Severity::kError, "users.csv", 3, "upn", "bad"};
  EXPECT_EQ(full.ToString(), "users.csv:3: upn: bad");
  Diagnostic bare{Diagnostic::Severity::kWarning, "", 0, "", "note"};
  EXPECT_EQ(bare.ToString(), "note");
  EXPECT_FALSE(HasErrors({bare}));
  EXPECT_TRUE(HasErrors({bare, full}));
}

}  // namespace
}  // namespace callshare
