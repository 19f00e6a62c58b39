// The vocabulary of the tenant: identifiers and the enumerations of
// Teams' calling settings and policies, with their names as they appear in
// directory files and in PowerShell.
#ifndef CALLSHARE_TENANT_TYPES_H_
#define CALLSHARE_TENANT_TYPES_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace callshare {

// Users, call groups and policies are addressed by dense indices into the
// tenant's tables. A UPN or policy name is looked up once, at the edge.
using UserId = std::uint32_t;
using GroupId = std::uint32_t;
using PolicyId = std::uint16_t;
using PhoneId = std::uint32_t;

inline constexpr UserId kNoUser = std::numeric_limits<UserId>::max();
inline constexpr GroupId kNoGroup = std::numeric_limits<GroupId>::max();
inline constexpr PolicyId kGlobalPolicy = 0;

// How a member is told of a shared call: audio and visual, visual only, or
// not at all.
enum class Notification : std::uint8_t { kRing, kBanner, kMute };

// A user's override of every per-group notification. kMute silences the
// user in every group; kRing and kBanner leave per-group settings in force.
enum class NotificationOverride : std::uint8_t { kNone, kRing, kBanner, kMute };

enum class ForwardingType : std::uint8_t { kImmediate, kSimultaneous };

// Where forwarding or unanswered calls go. kNone only appears when the
// setting is disabled.
enum class TargetType : std::uint8_t {
  kNone,
  kVoicemail,
  kSingleTarget,
  kMyDelegates,
  kGroup,
};

enum class RingOrder : std::uint8_t { kSimultaneous, kInOrder };

// A user's own busy-on-busy choice, used when the policy says UserOverride.
enum class BusyOnBusyOption : std::uint8_t {
  kPlayBusySignal,
  kRedirectAsUnansweredCall,
  kRingUser,
};

// Policy AllowVoicemail.
enum class VoicemailPolicy : std::uint8_t {
  kAlwaysEnabled,
  kAlwaysDisabled,
  kUserOverride,
};

// Policy BusyOnBusyEnabledType.
enum class BusyOnBusyPolicy : std::uint8_t {
  kEnabled,
  kUnanswered,
  kDisabled,
  kUserOverride,
};

// Policy InboundPstnCallRoutingTreatment.
enum class PstnTreatment : std::uint8_t {
  kRegularIncoming,
  kUnanswered,
  kVoicemail,
  kUserOverride,
};

// Delegate permissions, one bit each.
enum Permission : std::uint8_t {
  kMakeCalls = 1 << 0,
  kReceiveCalls = 1 << 1,
  kManageSettings = 1 << 2,
  kPickUpHeldCalls = 1 << 3,
  kJoinActiveCalls = 1 << 4,
};
using Permissions = std::uint8_t;

// Where a person is; set by the simulator, read by the router.
enum class Presence : std::uint8_t {
  kAvailable,
  kBusy,
  kAway,
  kDoNotDisturb,
  kOffline,
};

// The names used in directory files, scenarios and reports. Parse returns
// nullopt for a name that is not exactly one of them.
std::string_view Name(Notification value);
std::string_view Name(NotificationOverride value);
std::string_view Name(ForwardingType value);
std::string_view Name(TargetType value);
std::string_view Name(RingOrder value);
std::string_view Name(BusyOnBusyOption value);
std::string_view Name(VoicemailPolicy value);
std::string_view Name(BusyOnBusyPolicy value);
std::string_view Name(PstnTreatment value);
std::string_view Name(Presence value);

template <typename Enum>
std::optional<Enum> ParseEnum(std::string_view name);

// The valid names of an enumeration, separated by " | ", for error messages.
template <typename Enum>
std::string_view EnumChoices();

}  // namespace callshare

#endif  // CALLSHARE_TENANT_TYPES_H_
