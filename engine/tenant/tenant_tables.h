// Helpers shared by the files that build, change and audit the tenant's
// tables. Internal to the tenant library.
#ifndef CALLSHARE_TENANT_TENANT_TABLES_H_
#define CALLSHARE_TENANT_TENANT_TABLES_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "callshare/tenant/tenant.h"

namespace callshare {

// A problem with a user's calling settings: the column it is about and a
// sentence that names the user.
struct SettingsProblem {
  std::string field;
  std::string message;
};

// True for '+' followed by one to fifteen digits (E.164).
bool IsE164(std::string_view number);

// Table operations that several of the tenant's files need.
class TenantTables {
 public:
  // The traits byte of a record: eligibility and notification override.
  static std::uint8_t MakeTraits(const UserRecord& record);

  // The hash of a UPN in the index: its low bits pick the home slot, its
  // high 32 bits are the fingerprint kept in the slot.
  static std::uint64_t UpnHash(std::string_view upn);
  static std::uint32_t Fingerprint(std::uint64_t hash) {
    return static_cast<std::uint32_t>(hash >> 32);
  }

  // FindUser for many UPNs: writes the user of upns[i], or kNoUser, to
  // users[i]. REQUIRES: users.size() == upns.size().
  static void FindUsers(const Tenant& tenant,
                        std::span<const std::string_view> upns,
                        std::span<UserId> users);

  // Every rule a user's settings must satisfy, as problems; empty when the
  // settings are valid for `user` in `tenant`.
  static std::vector<SettingsProblem> CheckSettings(
      const Tenant& tenant, UserId user, const CallingSettings& settings);

  // Writes `settings` into the user's record and traits.
  static void ApplySettings(Tenant& tenant, UserId user,
                            const CallingSettings& settings);

  // Recomputes a reverse index from the forward relationships, ascending
  // by group id or delegator id.
  static void RebuildMemberships(Tenant& tenant);
  static void RebuildDelegators(Tenant& tenant);

  // Rebuilds the group CSR arrays in `order` (old group ids, new id = index)
  // and points every owner's record at its new id. Owners of groups left
  // out no longer own one.
  static void ReorderGroups(Tenant& tenant, const std::vector<GroupId>& order);

  // The first limit of `limits` the tables break, in the order groups,
  // members, member list chars, memberships, delegates, delegators; nullopt
  // when they fit. InOrder size is no breach: larger groups ring at once.
  static std::optional<LimitError> FirstBreach(const Tenant& tenant,
                                               const LimitProfile& limits);

  // The first per-user limit `user` breaks under `limits`.
  static std::optional<LimitError> UserBreach(const Tenant& tenant, UserId user,
                                              const LimitProfile& limits);

  // The UPN, or the phone number, a target refers to.
  static std::string TargetText(const Tenant& tenant, TargetRef target);

 private:
  // FindUsers for one group of at most kLookupGroup UPNs.
  static void FindGroup(const Tenant& tenant,
                        std::span<const std::string_view> upns,
                        std::span<UserId> users);
};

}  // namespace callshare

#endif  // CALLSHARE_TENANT_TENANT_TABLES_H_
