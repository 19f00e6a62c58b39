// Why a call went where it went, in the sentences `callshare route` and
// `callshare explain` both print, so that the two commands word a flag or
// a skipped person the same way. Everything here re-reads the tenant
// tables after routing: the router itself only raises flags, and never
// spends time on words.
#ifndef CALLSHARE_CLI_REASONS_H_
#define CALLSHARE_CLI_REASONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callshare/routing/router.h"
#include "callshare/tenant/tenant.h"

namespace callshare::cli {

// The flag a trace names ("stale_routed"), or nullopt for an unknown name.
std::optional<PlanFlag> ParsePlanFlag(std::string_view name);

// What a flag means when nothing more is known about the call: the
// sentence explain prints for a traced call and route falls back on.
std::string_view FlagSentence(PlanFlag flag);

// Why `user` is not eligible for call sharing: "not in Teams Only mode",
// "not voice-enabled", or both joined by "and"; empty when eligible.
std::string IneligibleWhy(const UserRecord& user);

// Why a member or delegate in presence `state` is not notified under
// `options`: "on a call", "offline" or "on Do Not Disturb"; empty when
// the router would ring them.
std::string_view UnavailableWhy(std::uint8_t state,
                                const RouterOptions& options);

// A member or delegate whom the router considered and did not ring.
struct SkippedPerson {
  UserId user = kNoUser;
  LegRole role = LegRole::kMember;  // kMember or kDelegate
  bool ineligible = false;          // else unavailable
  std::string why;                  // IneligibleWhy or UnavailableWhy
};

// The members and delegates that `plan` skipped as ineligible or
// unavailable, in the order the router considered them. Re-derives the
// router's choices from the tables: the callee's forwarding and
// unanswered targets, the policy gates in `options.mode`, each person's
// eligibility and `presence` (one byte a user, or empty for everyone
// available). An ineligible callee rings no group or delegate, so skips
// nobody here.
std::vector<SkippedPerson> SkippedPeople(const Tenant& tenant,
                                         const CallRequest& call,
                                         const RouterOptions& options,
                                         std::span<const std::uint8_t> presence,
                                         const RingPlan& plan);

}  // namespace callshare::cli

#endif  // CALLSHARE_CLI_REASONS_H_
