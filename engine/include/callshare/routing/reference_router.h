// The reference router: docs/rules.md written the obvious way, straight
// from a Directory's rows, with strings, hash maps and a vector per user.
// It shares no code with Router and never reads Tenant tables, so that the
// two checking each other on millions of calls means something. It is slow
// by design; tests and benchmarks use it as the yardstick.
#ifndef CALLSHARE_ROUTING_REFERENCE_ROUTER_H_
#define CALLSHARE_ROUTING_REFERENCE_ROUTER_H_

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "callshare/routing/ring_plan.h"
#include "callshare/routing/router.h"
#include "callshare/tenant/directory.h"
#include "callshare/tenant/limits.h"

namespace callshare {

class ReferenceRouter {
 public:
  // Indexes `directory`, numbering users, policies and phone numbers as
  // Tenant::Build does, so that plans compare equal. REQUIRES: the
  // directory builds into a Tenant without errors.
  ReferenceRouter(const Directory& directory, const LimitProfile& limits,
                  RouterOptions options);

  // The ring plan of `call`; `presence` as for Router (empty: everyone
  // available and free).
  RingPlan Route(const CallRequest& call,
                 std::span<const std::uint8_t> presence) const;

  const RouterOptions& options() const { return options_; }

 private:
  friend class ReferenceCall;

  // A user with everything a route may need, copied from the rows.
  struct Person {
    std::string upn;
    bool eligible = true;
    std::string policy;
    SettingsRow settings;
    std::vector<MemberRow> group;        // sorted by position
    std::vector<DelegateRow> delegates;  // in row order
  };

  std::vector<Person> people_;
  std::unordered_map<std::string, UserId> user_ids_;
  std::unordered_map<std::string, PolicyRow> policies_;
  std::unordered_map<std::string, PhoneId> phone_ids_;
  LimitProfile limits_;
  RouterOptions options_;
};

}  // namespace callshare

#endif  // CALLSHARE_ROUTING_REFERENCE_ROUTER_H_
