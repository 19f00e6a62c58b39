// Small builders of directories for the tenant tests.
#ifndef CALLSHARE_TESTS_TENANT_TENANT_TEST_UTIL_H_
#define CALLSHARE_TESTS_TENANT_TENANT_TEST_UTIL_H_

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "callshare/tenant/tenant.h"

namespace callshare::testing {

inline std::string Upn(std::uint32_t i) {
  return fmt::format("u{}@contoso.com", i);
}

// A settings row of user `i` with the defaults.
inline SettingsRow Settings(std::uint32_t i, std::uint32_t line = 0) {
  SettingsRow row;
  row.upn = Upn(i);
  row.line = line;
  return row;
}

// A policy row with the defaults but the two call sharing gates.
inline PolicyRow PolicyNamed(std::string name, bool call_groups = true,
                             bool delegation = true, std::uint32_t line = 0) {
  PolicyRow row;
  row.name = std::move(name);
  row.allow_call_groups = call_groups;
  row.allow_delegation = delegation;
  row.line = line;
  return row;
}

// A directory of `count` eligible users u0..u{count-1} on Global.
inline Directory Users(std::uint32_t count) {
  Directory directory;
  directory.users.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    directory.users.push_back({Upn(i), true, true, "Global", i + 2});
  }
  return directory;
}

inline void AddMember(Directory* directory, std::uint32_t owner,
                      std::uint32_t position, std::uint32_t member,
                      Notification notification = Notification::kRing) {
  const auto line = static_cast<std::uint32_t>(directory->members.size() + 2);
  directory->members.push_back(
      {Upn(owner), position, Upn(member), notification, line});
}

inline void AddDelegate(Directory* directory, std::uint32_t delegator,
                        std::uint32_t delegate,
                        Permissions permissions = kReceiveCalls) {
  const auto line = static_cast<std::uint32_t>(directory->delegates.size() + 2);
  directory->delegates.push_back(
      {Upn(delegator), Upn(delegate), permissions, line});
}

// Builds and fails the test on any diagnostic.
inline Tenant MustBuild(const Directory& directory,
                        const LimitProfile& limits = LimitProfile::Teams()) {
  Diagnostics errors;
  auto tenant = Tenant::Build(directory, limits, &errors);
  for (const Diagnostic& error : errors) ADD_FAILURE() << error.ToString();
  return tenant ? std::move(*tenant) : Tenant();
}

// Builds expecting failure; returns the diagnostics.
inline Diagnostics MustFail(
    const Directory& directory,
    const LimitProfile& limits = LimitProfile::Teams()) {
  Diagnostics errors;
  EXPECT_FALSE(Tenant::Build(directory, limits, &errors).has_value());
  EXPECT_FALSE(errors.empty());
  return errors;
}

// A comparable text of the whole directory, for identity checks.
inline std::string Dump(const Directory& d) {
  std::string text;
  auto add = [&](auto... parts) {
    ((text += std::to_string(parts) + ","), ...);
  };
  for (const auto& u : d.users) {
    text += u.upn + u.calling_policy;
    add(u.teams_only, u.voice_enabled);
  }
  for (const auto& p : d.policies) {
    text += p.name;
    add(p.allow_call_groups, p.allow_delegation,
        p.allow_call_forwarding_to_user, p.allow_call_forwarding_to_phone,
        int(p.allow_voicemail), int(p.busy_on_busy),
        int(p.inbound_pstn_treatment));
  }
  for (const auto& s : d.settings) {
    text += s.upn + "|" + s.forwarding_target + "|" + s.unanswered_target;
    add(s.forwarding, int(s.forwarding_type), int(s.forwarding_target_type),
        s.unanswered, int(s.unanswered_target_type), s.unanswered_delay_s,
        int(s.call_group_order), int(s.notification_override),
        int(s.busy_on_busy_option));
  }
  for (const auto& m : d.members) {
    text += m.owner_upn + m.member_upn;
    add(m.position, int(m.notification));
  }
  for (const auto& g : d.delegates) {
    text += g.delegator_upn + g.delegate_upn;
    add(int(g.permissions));
  }
  return text;
}

}  // namespace callshare::testing

#endif  // CALLSHARE_TESTS_TENANT_TENANT_TEST_UTIL_H_
