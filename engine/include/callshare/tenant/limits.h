// The hard limits of call sharing, as one value that scenarios can change,
// and the typed error a change gets when it would break one.
#ifndef CALLSHARE_TENANT_LIMITS_H_
#define CALLSHARE_TENANT_LIMITS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace callshare {

enum class Limit : std::uint8_t {
  kGroupsPerTenant,
  kMembersPerGroup,
  kMembershipsPerUser,
  kInOrderMembers,
  kDelegatesPerUser,
  kDelegatorsPerDelegate,
  kMemberListChars,
};

// The limit's name as scenarios spell it under [limits].
std::string_view Name(Limit limit);

// The most people one call can ring at once: the owner, a forward target,
// the group's members and the delegates, plus one spare. It mirrors the
// ring plan's leg capacity, which the tenant cannot see from here;
// callshare/routing/ring_plan.h asserts that the two agree.
inline constexpr std::uint32_t kMaxRingPlanPeople = 64;

// Every limit the tenant enforces. The defaults are Teams' published
// figures (the profile "teams").
struct LimitProfile {
  std::uint32_t groups_per_tenant = 32'768;
  std::uint32_t members_per_group = 25;
  std::uint32_t memberships_per_user = 25;
  // A larger InOrder group rings simultaneously rather than being refused.
  std::uint32_t in_order_members = 5;
  std::uint32_t delegates_per_user = 25;
  std::uint32_t delegators_per_delegate = 25;
  // Sum of the UPN lengths of a group's members.
  std::uint32_t member_list_chars = 32'768;

  static LimitProfile Teams() { return LimitProfile{}; }

  std::uint32_t Get(Limit limit) const;
  void Set(Limit limit, std::uint32_t value);

  // Why the profile cannot be used, or nullopt when it can: a profile whose
  // largest group plus delegates could overflow a ring plan is refused.
  std::optional<std::string> Validate() const;
};

// Why a change was refused: which limit, on which entity, with the value
// the change would have reached.
struct LimitError {
  Limit limit;
  std::string entity;  // a UPN, or "tenant"
  std::uint64_t value;
  std::uint64_t maximum;

  // "call group of ana@contoso.com would have 26 members (limit 25)".
  std::string Message() const;
};

}  // namespace callshare

#endif  // CALLSHARE_TENANT_LIMITS_H_
