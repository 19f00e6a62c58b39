// A tenant directory as plain rows with strings: the five CSV files of a
// directory, what the generator produces and what export writes. Each row
// remembers the line it came from so that every later check can name it.
// The routing tables are built from a Directory (see tenant.h).
#ifndef CALLSHARE_TENANT_DIRECTORY_H_
#define CALLSHARE_TENANT_DIRECTORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "callshare/tenant/types.h"

namespace callshare {

// users.csv: upn,teams_only,voice_enabled,calling_policy
struct UserRow {
  std::string upn;
  bool teams_only = true;
  bool voice_enabled = true;
  std::string calling_policy = "Global";
  std::uint32_t line = 0;
};

// policies.csv: name,allow_call_groups,allow_delegation,
// allow_call_forwarding_to_user,allow_call_forwarding_to_phone,
// allow_voicemail,busy_on_busy,inbound_pstn_treatment
struct PolicyRow {
  std::string name;
  bool allow_call_groups = true;
  bool allow_delegation = true;
  bool allow_call_forwarding_to_user = true;
  bool allow_call_forwarding_to_phone = true;
  VoicemailPolicy allow_voicemail = VoicemailPolicy::kUserOverride;
  BusyOnBusyPolicy busy_on_busy = BusyOnBusyPolicy::kDisabled;
  PstnTreatment inbound_pstn_treatment = PstnTreatment::kRegularIncoming;
  std::uint32_t line = 0;
};

// calling_settings.csv. A user without a row has these defaults: no
// forwarding, unanswered calls to voicemail after 20 seconds.
struct SettingsRow {
  std::string upn;
  bool forwarding = false;
  ForwardingType forwarding_type = ForwardingType::kImmediate;
  TargetType forwarding_target_type = TargetType::kNone;
  std::string forwarding_target;  // a UPN or an E.164 number
  bool unanswered = true;
  TargetType unanswered_target_type = TargetType::kVoicemail;
  std::string unanswered_target;
  std::uint32_t unanswered_delay_s = 20;
  RingOrder call_group_order = RingOrder::kSimultaneous;
  NotificationOverride notification_override = NotificationOverride::kNone;
  BusyOnBusyOption busy_on_busy_option = BusyOnBusyOption::kRingUser;
  std::uint32_t line = 0;
};

// call_group_members.csv: owner_upn,position,member_upn,notification
struct MemberRow {
  std::string owner_upn;
  std::uint32_t position = 0;  // order within the group, 1-based
  std::string member_upn;
  Notification notification = Notification::kRing;
  std::uint32_t line = 0;
};

// delegates.csv: delegator_upn,delegate_upn,make_calls,receive_calls,
// manage_settings,pick_up_held_calls,join_active_calls
struct DelegateRow {
  std::string delegator_upn;
  std::string delegate_upn;
  Permissions permissions = 0;
  std::uint32_t line = 0;
};

struct Directory {
  std::vector<UserRow> users;
  std::vector<PolicyRow> policies;  // "Global" is implied when absent
  std::vector<SettingsRow> settings;
  std::vector<MemberRow> members;
  std::vector<DelegateRow> delegates;
};

// What a reader left out of a Directory because it did not parse. Build
// takes it so that it checks the rows that did parse without blaming them
// for those that did not (a reference to a user whose row was rejected is
// not to an unknown user), and builds nothing when anything was left out.
struct RejectedRows {
  // users.csv rows whose UPN parsed but another field did not, in file
  // order. calling_policy is empty when it is among the fields that did
  // not parse; the other fields are not to be used.
  std::vector<UserRow> users;
  // policies.csv rows whose name parsed but another field did not, in
  // file order; only name and line are to be used.
  std::vector<PolicyRow> policies;
  // Whether users.csv or policies.csv lost a row before its fields could
  // be read (a row that does not split into its columns, a file that
  // cannot be read to its end). A UPN or policy name no row holds may then
  // be in the lost row, so a reference to it cannot be called unknown. A
  // key that did not parse loses nothing: a reference to the same text
  // does not parse either.
  bool users_lost = false;
  bool policies_lost = false;
  // Whether anything of any file was left out.
  bool any = false;
};

// The file names inside a directory folder.
inline constexpr const char* kUsersFile = "users.csv";
inline constexpr const char* kPoliciesFile = "policies.csv";
inline constexpr const char* kSettingsFile = "calling_settings.csv";
inline constexpr const char* kMembersFile = "call_group_members.csv";
inline constexpr const char* kDelegatesFile = "delegates.csv";

// The allowed unanswered delays, in seconds.
bool IsAllowedUnansweredDelay(std::uint32_t seconds);

}  // namespace callshare

#endif  // CALLSHARE_TENANT_DIRECTORY_H_
